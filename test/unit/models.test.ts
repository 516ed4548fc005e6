import { test } from 'node:test';
import assert from 'node:assert/strict';
import { calcPrice } from '@pydantic/genai-prices';
import { MODEL_CATALOG } from '../../src/core/modelCatalog';
import {
  anthropicSupportsPrefill,
  findCatalogModel,
  findModel,
  formatTokens,
  isOpenAIReasoningModel,
} from '../../src/core/models';
import type { ProviderId } from '../../src/core/request';

const LOOKUPS: [ProviderId, string, string][] = [
  ['openai', 'gpt-5.2', 'gpt-5.2'],
  ['openai', 'gpt-5.2-2025-12-11', 'gpt-5.2'],
  ['openai', 'gpt-5', 'gpt-5'],
  ['openai', 'gpt-5-mini-2025-08-07', 'gpt-5-mini'],
  ['openai', 'gpt-5-nano', 'gpt-5-nano'],
  ['openai', 'gpt-4.1-mini-2025-04-14', 'gpt-4.1-mini'],
  ['openai', 'gpt-4.1-nano', 'gpt-4.1-nano'],
  ['openai', 'gpt-4o-2024-08-06', 'gpt-4o'],
  ['openai', 'gpt-4o-mini-2024-07-18', 'gpt-4o-mini'],
  ['openai', 'chatgpt-4o-latest', 'chatgpt-4o-latest'],
  ['openai', 'o3-2025-04-16', 'o3'],
  ['openai', 'o3-mini', 'o3-mini'],
  ['openai', 'o4-mini-high', 'o4-mini'],
  ['openai', 'GPT-4o', 'gpt-4o'],
  ['anthropic', 'claude-sonnet-4-5-20250929', 'claude-sonnet-4-5'],
  ['anthropic', 'claude-sonnet-4-5', 'claude-sonnet-4-5'],
  ['anthropic', 'claude-opus-4-5-20251101', 'claude-opus-4-5'],
  ['anthropic', 'claude-haiku-4-5-20251001', 'claude-haiku-4-5'],
  ['anthropic', 'claude-opus-4-1-20250805', 'claude-opus-4-1'],
  ['anthropic', 'claude-opus-4-20250514', 'claude-opus-4-0'],
  ['anthropic', 'claude-sonnet-4-20250514', 'claude-sonnet-4-0'],
  ['anthropic', 'claude-3-7-sonnet-latest', 'claude-3-7-sonnet'],
  ['anthropic', 'claude-3-7-sonnet-20250219', 'claude-3-7-sonnet'],
  ['anthropic', 'claude-3-5-haiku-20241022', 'claude-3-5-haiku'],
  ['anthropic', 'claude-sonnet-4-5@20250929', 'claude-sonnet-4-5'],
  ['gemini', 'gemini-2.5-pro', 'gemini-2.5-pro'],
  ['gemini', 'models/gemini-2.5-pro', 'gemini-2.5-pro'],
  ['gemini', 'gemini-2.5-flash-preview-09-2025', 'gemini-2.5-flash'],
  ['gemini', 'gemini-2.5-flash-lite-preview-06-17', 'gemini-2.5-flash-lite'],
  ['gemini', 'gemini-2.0-flash-001', 'gemini-2.0-flash'],
  ['gemini', 'gemini-2.0-flash-lite', 'gemini-2.0-flash-lite'],
  ['gemini', 'gemini-3-pro-preview', 'gemini-3-pro-preview'],
  ['openai-compatible', 'anthropic/claude-sonnet-4.5', 'claude-sonnet-4-5'],
  ['openai-compatible', 'openai/gpt-4o', 'gpt-4o'],
  ['openai-compatible', 'google/gemini-2.5-flash', 'gemini-2.5-flash'],
];

for (const [provider, id, expected] of LOOKUPS) {
  test(`catalog lookup ${provider} ${id} → ${expected}`, () => {
    assert.equal(findModel(provider, id)?.id, expected);
  });
}

const MISSES: [ProviderId, string][] = [
  ['openai', 'claude-sonnet-4-5'], // another provider's model
  ['anthropic', 'gpt-4o'],
  ['openai', 'gpt-4'], // not gpt-4o
  ['openai', 'gpt-4o-mini-realtime-preview'],
  ['openai', 'gpt-5.3-codex'],
  ['gemini', 'gemini-2.5-pro-tts'],
  ['openai-compatible', 'llama3.1:8b'],
  ['anthropic', 'claude-opus-4-6'],
];
for (const [provider, id] of MISSES) {
  test(`catalog lookup ${provider} ${id} → unknown`, () => {
    assert.equal(findModel(provider, id), undefined);
  });
}

test("seed figures: GPT-5.2 400K/128K, Claude Sonnet 4.5 200K/64K, Gemini 2.5 Pro 1M/64K", () => {
  const g = findModel('openai', 'gpt-5.2')!;
  assert.deepEqual([g.contextWindow, g.maxOutputTokens, g.date], [400_000, 128_000, '2026']);
  const c = findModel('anthropic', 'claude-sonnet-4-5')!;
  assert.deepEqual([c.contextWindow, c.maxOutputTokens, c.date], [200_000, 64_000, '2026']);
  assert.match(c.contextNote ?? '', /1M/);
  const p = findModel('gemini', 'gemini-2.5-pro')!;
  assert.deepEqual([p.contextWindow, p.maxOutputTokens, p.date], [1_048_576, 65_536, '2026']);
  assert.match(g.source, /seed/);
});

test('every catalog entry has a source, a date, consistent limits and a unique id', () => {
  const ids = new Set<string>();
  for (const m of MODEL_CATALOG) {
    assert.ok(m.source.length > 10, m.id);
    assert.match(m.date, /^20\d\d(-\d\d)?$/, m.id);
    assert.ok(m.maxOutputTokens > 0 && m.maxOutputTokens < m.contextWindow, m.id);
    if (m.maxInputTokens !== undefined) assert.ok(m.maxInputTokens <= m.contextWindow, m.id);
    for (const id of [m.id, ...(m.aliases ?? [])]) {
      assert.ok(!ids.has(`${m.provider}:${id}`), `duplicate ${id}`);
      ids.add(`${m.provider}:${id}`);
    }
    // Every entry is found under its own id.
    assert.equal(findCatalogModel(m.provider, m.id), m);
  }
});

test('capabilities: OpenAI reasoning models refuse stop/temperature/top_p; stop counts per provider', () => {
  for (const m of MODEL_CATALOG) {
    if (m.provider === 'openai') {
      assert.equal(m.reasoning, isOpenAIReasoningModel(m.id), m.id);
      assert.equal(m.supportsStop, !m.reasoning, m.id);
      assert.equal(m.supportsTemperature, !m.reasoning, m.id);
      assert.equal(m.maxStopSequences, 4, m.id);
      assert.equal(m.supportsPrefill, false, m.id);
    }
    if (m.provider === 'gemini') assert.equal(m.maxStopSequences, 5, m.id);
    if (m.provider === 'anthropic') {
      assert.equal(m.maxStopSequences, undefined, m.id);
      assert.equal(m.supportsPrefill, true, m.id); // all catalog Claude models are before 4.6
    }
  }
  assert.equal(findModel('anthropic', 'claude-3-5-haiku')!.thinking, 'none');
  assert.equal(findModel('anthropic', 'claude-3-7-sonnet')!.thinking, 'anthropic-budget');
  assert.equal(findModel('gemini', 'gemini-2.0-flash')!.thinking, 'none');
  assert.equal(findModel('gemini', 'gemini-2.5-pro')!.thinkingCanDisable, false);
});

test('catalog context windows agree with @pydantic/genai-prices bundled data (within 5%)', () => {
  let compared = 0;
  for (const m of MODEL_CATALOG) {
    const providerId = m.provider === 'gemini' ? 'google' : m.provider;
    const r = calcPrice({ input_tokens: 1, output_tokens: 1 }, m.id, { providerId });
    const cw = r?.model.context_window;
    if (cw === undefined) continue;
    compared++;
    assert.ok(Math.abs(cw - m.contextWindow) / cw <= 0.05, `${m.id}: catalog ${m.contextWindow}, genai-prices ${cw}`);
  }
  assert.ok(compared >= 20, `compared ${compared}`);
});

const REASONING: [string, boolean][] = [
  ['o1', true],
  ['o3', true],
  ['o3-mini', true],
  ['o4-mini-2025-04-16', true],
  ['o3-pro', true],
  ['gpt-5', true],
  ['gpt-5.2', true],
  ['gpt-5-mini-2025-08-07', true],
  ['gpt-5.3-codex', true],
  ['gpt-5.2-2025-12-11', true],
  ['openai/gpt-5', true],
  ['gpt-4o', false],
  ['gpt-4.1', false],
  ['gpt-4o-mini-2024-07-18', false],
  ['chatgpt-4o-latest', false],
  ['gpt-3.5-turbo', false],
  ['ollama', false],
  ['omni-moderation-latest', false],
  ['llama3.1:8b', false],
];
for (const [id, expected] of REASONING) {
  test(`isOpenAIReasoningModel(${id}) = ${expected}`, () => assert.equal(isOpenAIReasoningModel(id), expected));
}

test('lengthwise.models overrides a catalog entry (by configured or catalog id)', () => {
  const m = findModel('anthropic', 'claude-sonnet-4-5-20250929', { 'claude-sonnet-4-5': { contextWindow: 1_000_000 } })!;
  assert.equal(m.contextWindow, 1_000_000);
  assert.equal(m.maxOutputTokens, 64_000);
  assert.equal(m.overridden, true);
  assert.match(m.source, /lengthwise\.models/);
  const g = findModel('openai', 'gpt-4o', { 'gpt-4o': { maxOutputTokens: 4096 } })!;
  assert.equal(g.maxOutputTokens, 4096);
  assert.equal(g.contextWindow, 128_000);
  // An override for another model does not apply.
  assert.equal(findModel('openai', 'gpt-4o', { 'gpt-4.1': { maxOutputTokens: 5 } })!.maxOutputTokens, 16_384);
});

test('lengthwise.models adds a custom model: provider from settings, permissive capabilities', () => {
  const m = findModel('openai-compatible', 'llama3.1:8b', { 'llama3.1:8b': { contextWindow: 131072, maxOutputTokens: 8192 } })!;
  assert.equal(m.custom, true);
  assert.equal(m.contextWindow, 131072);
  assert.equal(m.maxOutputTokens, 8192);
  assert.equal(m.supportsStop, true);
  assert.equal(m.supportsTemperature, true);
  assert.equal(m.reasoning, false);
  assert.equal(m.supportsPrefill, false);
  assert.equal(m.maxStopSequences, undefined);
  assert.equal(findModel('openai-compatible', 'x', { x: { contextWindow: 1000, supportsPrefill: true } })!.supportsPrefill, true);
  const half = findModel('anthropic', 'claude-custom', { 'claude-custom': { contextWindow: 50_000 } })!;
  assert.equal(half.maxOutputTokens, Number.POSITIVE_INFINITY);
  assert.equal(half.thinking, 'anthropic-budget');
  const r = findModel('openai', 'o9-preview', { 'o9-preview': { contextWindow: 50_000 } })!;
  assert.equal(r.reasoning, true);
  assert.equal(r.supportsStop, false);
  const gem = findModel('gemini', 'gemini-x', { 'gemini-x': { maxOutputTokens: 100 } })!;
  assert.equal(gem.maxStopSequences, 5);
});

const PREFILL: [string, boolean][] = [
  ['claude-sonnet-4-5-20250929', true],
  ['claude-3-5-haiku-latest', true],
  ['claude-3-7-sonnet', true],
  ['claude-opus-4-1', true],
  ['claude-opus-4-6', false],
  ['claude-sonnet-4-6-20260217', false],
  ['claude-4-6-opus', false],
  ['claude-opus-5', false],
  ['claude-sonnet-4-20250514', true],
];
for (const [id, expected] of PREFILL) {
  test(`anthropicSupportsPrefill(${id}) = ${expected}`, () => assert.equal(anthropicSupportsPrefill(id), expected));
}

const FORMATS: [number, string][] = [
  [64_000, '64K'],
  [65_536, '64K'],
  [128_000, '128K'],
  [200_000, '200K'],
  [1_048_576, '1M'],
  [1_000_000, '1M'],
  [1_047_576, '1,047,576'],
  [500, '500'],
  [Number.POSITIVE_INFINITY, 'unknown'],
];
for (const [n, s] of FORMATS) test(`formatTokens(${n}) = ${s}`, () => assert.equal(formatTokens(n), s));
