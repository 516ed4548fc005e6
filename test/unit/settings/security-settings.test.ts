// A workspace's `.vscode/settings.json` is anybody's: presets built to cost seconds per keystroke (they are
// resolved on every selection change), to overflow the stack, or to reach Object.prototype through their names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maxTokensByPreset, MAX_KEY_CHARS, resolveSettings } from '../../../src/core/settings/settings';
import { allPresets, PRESET_LIMITS } from '../../../src/core/settings/presets';
import { findModel } from '../../../src/core/models/models';
import { buildDashboard } from '../../../src/core/views/dashboardData';
import type { LedgerRecord } from '../../../src/core/ledger/record';
import { HANG_BOUND_MS, timed } from '../adversarial';

const nested = (depth: number, leaf: unknown = 1): unknown => {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
};

test(`security: a preset with 100 unknown keys of 10,000 characters resolves within ${HANG_BOUND_MS} ms, with one clear error`, () => {
  const p: Record<string, unknown> = {};
  for (let i = 0; i < 100; i++) p[`k${i}${'x'.repeat(10_000)}`] = 1;
  const { value, ms } = timed(() => resolveSettings({ configured: {}, userPresets: { p }, presetName: 'p' }));
  assert.ok(ms < HANG_BOUND_MS, `${ms.toFixed(0)} ms`);
  assert.equal(value.errors.length, 1);
  assert.match(value.errors[0].message, new RegExp(`preset "p" has 100 keys, more than the ${PRESET_LIMITS.maxKeysPerPreset}`));
});

test(`security: 40 unknown keys of 100,000 characters: each refused by length, no "did you mean" search, within ${HANG_BOUND_MS} ms`, () => {
  const p: Record<string, unknown> = {};
  for (let i = 0; i < 40; i++) p[`k${i}${'x'.repeat(100_000)}`] = 1;
  const { value, ms } = timed(() => resolveSettings({ configured: {}, userPresets: { p }, presetName: 'p' }));
  assert.ok(ms < HANG_BOUND_MS, `${ms.toFixed(0)} ms`);
  assert.equal(value.errors.length, 40);
  assert.ok(value.errors.every((e) => e.message.length < 300 && e.message.includes('which is not a Lengthwise setting')));
});

test('security: a preset nested 5,000 levels deep (as the preset, or as a value) is a validation error, not a stack overflow', () => {
  for (const userPresets of [{ deep: nested(5000) }, { deep: { maxTokens: nested(5000) } }, { deep: { pricing: { m: nested(5000) } } }]) {
    const r = resolveSettings({ configured: {}, userPresets: userPresets as Record<string, unknown>, presetName: 'deep' });
    assert.equal(r.errors.length, 1, JSON.stringify(r.errors.map((e) => e.message)));
    assert.ok(r.errors[0].message.length < 400);
  }
  const r = resolveSettings({ configured: { pricing: { m: { input: nested(100_000) } }, maxTokens: nested(100_000) }, userPresets: {} });
  assert.equal(r.errors.length, 2, 'configured values too: the message previews the value without serializing it');
});

test(`security: 5,000 presets: the first ${PRESET_LIMITS.maxPresets} are read, with a message, within ${HANG_BOUND_MS} ms`, () => {
  const many: Record<string, unknown> = {};
  for (let i = 0; i < 5000; i++) many[`p${i}`] = { maxTokens: 100 + i, bogus: 'x'.repeat(50) };
  const { value, ms } = timed(() => resolveSettings({ configured: {}, userPresets: many, presetName: 'p3' }));
  assert.ok(ms < HANG_BOUND_MS, `${ms.toFixed(0)} ms`);
  assert.equal(value.settings.maxTokens, 103);
  assert.ok(value.errors.some((e) => e.message.includes(`5000 presets: only the first ${PRESET_LIMITS.maxPresets} are read`)));
  assert.ok(value.warnings.length <= 4, `warnings are summarized: ${value.warnings.length}`);
  assert.equal(allPresets(many).presets.length, 7 + PRESET_LIMITS.maxPresets);
  const long = allPresets({ ['n'.repeat(MAX_KEY_CHARS + 1)]: { maxTokens: 5 } });
  assert.match(long.errors[0].message, /preset named with 101 characters/);
});

test(`security: the dashboard's per-preset work for 5,000 presets and 5,000 records ends within ${HANG_BOUND_MS} ms`, () => {
  const presets: Record<string, unknown> = {};
  for (let i = 0; i < 5000; i++) presets[`p${i}`] = { maxTokens: 100 + i };
  const records: LedgerRecord[] = Array.from({ length: 5_000 }, (_, i) => ({
    v: 1, id: `r${i}`, time: new Date(Date.UTC(2025, 5, 1) + i * 60_000).toISOString(), durationMs: 1, workspace: 'w', provider: 'openai', model: 'gpt-4.1-mini',
    preset: `p${i % 300}`, usage: { inputTokens: 10, outputTokens: i % 900 }, usageSource: 'provider', costUsd: 0.001, chainId: `c${i}`, round: 1,
    finish: { raw: 'stop', reason: 'stop', truncated: i % 3 === 0 }, maxTokens: 500,
  }));
  const { value, ms } = timed(() => {
    const configuredMaxTokens = maxTokensByPreset({}, presets);
    return buildDashboard(records, { range: 'all', scope: 'all', workspace: 'w', now: new Date(Date.UTC(2025, 8, 1)), utcOffsetMinutes: 0, configuredMaxTokens });
  });
  assert.ok(ms < HANG_BOUND_MS, `${ms.toFixed(0)} ms`);
  assert.equal(value.presets.length, 300);
  assert.equal(value.presets.find((p) => p.key === 'p7')?.recommendation.current, 107);
  assert.equal(value.presets.find((p) => p.key === 'p250')?.recommendation.current, 500, `beyond the first ${PRESET_LIMITS.maxPresets} presets: not read, the last cap sent`);
});

test('security: preset and model names like __proto__ and constructor are plain names, never Object.prototype', () => {
  const userPresets = JSON.parse('{"__proto__": {"maxTokens": 7}, "constructor": {"maxTokens": 9}}');
  assert.equal(resolveSettings({ configured: {}, userPresets, presetName: '__proto__' }).settings.maxTokens, 7);
  assert.equal(resolveSettings({ configured: {}, userPresets, presetName: 'constructor' }).settings.maxTokens, 9);
  for (const name of ['toString', 'hasOwnProperty', 'valueOf']) {
    const r = resolveSettings({ configured: {}, userPresets, presetName: name });
    assert.match(r.errors[0]?.message ?? '', /which is not a preset/, name);
  }
  const caps = maxTokensByPreset({ maxTokens: 500 }, userPresets);
  assert.equal(caps['__proto__'], 7);
  assert.equal(caps['toString'], undefined);
  assert.equal(findModel('openai-compatible', 'constructor', {}), undefined, 'no override found on Object.prototype');
  assert.equal(findModel('openai-compatible', 'constructor', JSON.parse('{"constructor": {"contextWindow": 5}}'))?.contextWindow, 5);
});

test(`security: a workspace stop list of 200,000 whitespace entries gives one message within ${HANG_BOUND_MS} ms`, () => {
  const stops = Array.from({ length: 200_000 }, () => ' ');
  const { value, ms } = timed(() => resolveSettings({ configured: { provider: 'anthropic', model: 'claude-sonnet-4-5', stopSequences: stops } }));
  assert.ok(ms < HANG_BOUND_MS, `${ms.toFixed(0)} ms`);
  assert.equal(value.errors.length, 1);
  assert.match(value.errors[0].message, /has 200000 entries: .* at most 1000/);
});
