import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyThinking, effectiveMaxTokens, safetyMargin } from '../../../src/core/models/limits';
import { findModel, type ModelInfo } from '../../../src/core/models/models';
import type { ProviderId } from '../../../src/core/protocol/request';

const sonnet = findModel('anthropic', 'claude-sonnet-4-5')!;
const gpt52 = findModel('openai', 'gpt-5.2')!;
const gpt4o = findModel('openai', 'gpt-4o')!;
const gem25pro = findModel('gemini', 'gemini-2.5-pro')!;
const custom = findModel('openai-compatible', 'mine', { mine: { maxOutputTokens: 2000 } })!;

test('safety margin: max(64, 1% of the window), plus 5% of an estimated input', () => {
  assert.equal(safetyMargin(200_000, 0, true), 2000);
  assert.equal(safetyMargin(1000, 0, true), 64);
  assert.equal(safetyMargin(200_000, 1000, false), 2050);
  assert.equal(safetyMargin(Number.POSITIVE_INFINITY, 0, true), 64);
});

type Row = [label: string, model: ModelInfo | undefined, requested: number, input: number, exact: boolean, expected: number, clamped: boolean];
const CLAMPS: Row[] = [
  ['under every limit', sonnet, 1000, 10, true, 1000, false],
  ['model max output', sonnet, 100_000, 1000, true, 64_000, true],
  ['exactly the max output', sonnet, 64_000, 1000, true, 64_000, false],
  ['context window − input − margin', sonnet, 64_000, 190_000, true, 8_000, true],
  ['estimated input keeps a larger margin', sonnet, 64_000, 180_000, false, 9_000, true],
  ['gpt-4o 16K output', gpt4o, 20_000, 100, true, 16_384, true],
  ['gemini 2.5 pro 64K output', gem25pro, 100_000, 100, true, 65_536, true],
  ['gpt-5.2 128K output', gpt52, 200_000, 1000, true, 128_000, true],
  ['unknown model: as configured', undefined, 500_000, 10_000_000, true, 500_000, false],
  ['custom model without window: only its max output', custom, 5000, 10_000_000, true, 2000, true],
];
for (const [label, model, requested, input, exact, expected, clamped] of CLAMPS) {
  test(`clamp: ${label}`, () => {
    const r = effectiveMaxTokens(requested, model, input, exact);
    assert.deepEqual(r.errors, []);
    assert.equal(r.maxTokens, expected);
    assert.equal(r.clamped, clamped);
    assert.equal(r.notes.length > 0, clamped);
  });
}

test('clamp note names both numbers, the model and its limit', () => {
  const r = effectiveMaxTokens(100_000, sonnet, 1000, true);
  assert.deepEqual(r.notes, ['max tokens 100000 → 64000: Claude Sonnet 4.5 outputs at most 64K']);
  const ctx = effectiveMaxTokens(64_000, sonnet, 180_000, false);
  assert.match(ctx.notes[0], /^max tokens 64000 → \d+: the prompt uses ~180,000 \(estimate\) of Claude Sonnet 4\.5's 200K context window/);
});

test('both clamps in one request produce two notes and the smaller value', () => {
  const r = effectiveMaxTokens(100_000, sonnet, 150_000, true);
  assert.equal(r.maxTokens, 200_000 - 150_000 - 2000);
  assert.equal(r.notes.length, 2);
});

test('input alone over the context window is an error with the numbers', () => {
  const r = effectiveMaxTokens(1000, sonnet, 199_000, true);
  assert.equal(r.errors.length, 1);
  assert.match(r.errors[0].message, /199,000 tokens/);
  assert.match(r.errors[0].message, /200,000/);
  assert.match(r.errors[0].message, /shorten the selection or pick a model/);
  const est = effectiveMaxTokens(1000, sonnet, 191_000, false); // exact would fit; the estimate margin does not
  assert.equal(est.errors.length, 1);
  assert.match(est.errors[0].message, /~191,000 tokens \(estimate\)/);
});

test('input over a model input cap (GPT-5.2: 272K of 400K) is an error', () => {
  const r = effectiveMaxTokens(1000, gpt52, 300_000, true);
  assert.equal(r.errors.length, 1);
  assert.match(r.errors[0].message, /300,000 tokens/);
  assert.match(r.errors[0].message, /272,000 input tokens/);
  assert.equal(effectiveMaxTokens(1000, gpt52, 270_000, true).errors.length, 0);
});

function thinking(provider: ProviderId, modelId: string, budget: number | null, requested: number, max = requested) {
  return applyThinking({ budget, requestedMaxTokens: requested, maxTokens: max, provider, model: findModel(provider, modelId) });
}

test('thinking off (null) sends nothing and says nothing', () => {
  assert.deepEqual(thinking('anthropic', 'claude-sonnet-4-5', null, 4096), { errors: [], notes: [], warnings: [] });
});

test('Anthropic: a budget ≥ 1024 and below max tokens is sent as is', () => {
  const r = thinking('anthropic', 'claude-sonnet-4-5', 2048, 4096);
  assert.equal(r.thinkingBudget, 2048);
  assert.deepEqual([r.errors, r.notes, r.warnings], [[], [], []]);
});

test('Anthropic: a budget below 1024 is an error (not raised silently)', () => {
  const r = thinking('anthropic', 'claude-sonnet-4-5', 500, 4096);
  assert.equal(r.thinkingBudget, undefined);
  assert.equal(r.errors.length, 1);
  assert.match(r.errors[0].message, /lengthwise\.thinkingBudget is 500: Anthropic requires at least 1024/);
});

test('Anthropic: a budget ≥ max tokens is an error naming both settings', () => {
  for (const budget of [4096, 5000]) {
    const r = thinking('anthropic', 'claude-sonnet-4-5', budget, 4096);
    assert.equal(r.errors.length, 1);
    assert.match(r.errors[0].message, new RegExp(`lengthwise\\.thinkingBudget is ${budget}, not below lengthwise\\.maxTokens \\(4096\\)`));
    assert.match(r.errors[0].message, /raise maxTokens/);
  }
});

test('Anthropic: budget 0 turns thinking off, with a note', () => {
  const r = thinking('anthropic', 'claude-sonnet-4-5', 0, 4096);
  assert.equal(r.thinkingBudget, undefined);
  assert.equal(r.errors.length, 0);
  assert.match(r.notes[0], /thinking off/);
});

test('Anthropic: when the clamp lowers max tokens under the budget, the budget is lowered keeping the answer room', () => {
  const r = thinking('anthropic', 'claude-sonnet-4-5', 80_000, 100_000, 64_000);
  assert.equal(r.thinkingBudget, 44_000);
  assert.deepEqual(r.notes, ['thinking budget 80000 → 44000: max tokens was lowered to 64000, keeping 20000 tokens for the answer']);
  // Room for the answer shrinks, but the budget never goes below 1024.
  const small = thinking('anthropic', 'claude-sonnet-4-5', 9000, 10_000, 1500);
  assert.equal(small.thinkingBudget, 1024);
  // A budget that still fits under the clamped max is kept.
  assert.equal(thinking('anthropic', 'claude-sonnet-4-5', 10_000, 100_000, 64_000).thinkingBudget, 10_000);
});

test('Anthropic: a clamp leaving no room for 1024 thinking tokens plus an answer is an error', () => {
  const r = thinking('anthropic', 'claude-sonnet-4-5', 9000, 10_000, 1024);
  assert.equal(r.thinkingBudget, undefined);
  assert.equal(r.errors.length, 1);
  assert.match(r.errors[0].message, /max tokens had to be lowered to 1024/);
});

test('models without a thinking budget: not sent, with a note', () => {
  for (const [p, id] of [
    ['anthropic', 'claude-3-5-haiku'],
    ['gemini', 'gemini-2.0-flash'],
    ['openai', 'gpt-4.1'],
    ['openai', 'o3'],
  ] as [ProviderId, string][]) {
    const r = thinking(p, id, 2048, 8000);
    assert.equal(r.thinkingBudget, undefined, id);
    assert.equal(r.errors.length, 0, id);
    assert.match(r.notes[0], /thinking budget not sent/, id);
  }
  assert.match(thinking('openai', 'o3', 2048, 8000).notes[0], /reasoning tokens count inside max tokens/);
});

test('Gemini: a budget ≥ max tokens is sent with a warning that the answer may be empty', () => {
  const r = thinking('gemini', 'gemini-2.5-flash', 2000, 1024);
  assert.equal(r.thinkingBudget, 2000);
  assert.equal(r.errors.length, 0);
  assert.equal(r.warnings.length, 1);
  assert.match(r.warnings[0], /thinking budget 2000 ≥ max tokens 1024/);
  assert.match(r.warnings[0], /answer may be empty/);
  assert.equal(thinking('gemini', 'gemini-2.5-flash', 1000, 1024).warnings.length, 0);
});

test('Gemini: the budget is moved into the model range, with a note', () => {
  const hi = thinking('gemini', 'gemini-2.5-pro', 50_000, 65_536);
  assert.equal(hi.thinkingBudget, 32_768);
  assert.match(hi.notes[0], /thinking budget 50000 → 32768: Gemini 2\.5 Pro accepts at most 32768/);
  const lo = thinking('gemini', 'gemini-2.5-flash-lite', 100, 8000);
  assert.equal(lo.thinkingBudget, 512);
  assert.match(lo.notes[0], /100 → 512/);
});

test('Gemini: 0 turns thinking off where possible; on 2.5 Pro it is an error', () => {
  const off = thinking('gemini', 'gemini-2.5-flash', 0, 1024);
  assert.equal(off.thinkingBudget, 0);
  assert.deepEqual([off.errors, off.warnings], [[], []]);
  const pro = thinking('gemini', 'gemini-2.5-pro', 0, 1024);
  assert.equal(pro.errors.length, 1);
  assert.match(pro.errors[0].message, /cannot turn thinking off/);
});

test('unknown Gemini/Anthropic models still get the provider rules', () => {
  assert.equal(applyThinking({ budget: 500, requestedMaxTokens: 4000, maxTokens: 4000, provider: 'anthropic' }).errors.length, 1);
  const g = applyThinking({ budget: 5000, requestedMaxTokens: 4000, maxTokens: 4000, provider: 'gemini' });
  assert.equal(g.thinkingBudget, 5000);
  assert.equal(g.warnings.length, 1);
  assert.match(applyThinking({ budget: 5000, requestedMaxTokens: 8000, maxTokens: 8000, provider: 'openai-compatible' }).notes[0], /not sent/);
});

test('adaptive-only models (Claude after Opus 4.6, Gemini 4): a budget is never sent and never an error', () => {
  for (const [p, id] of [['anthropic', 'claude-opus-4-7'], ['anthropic', 'claude-haiku-5-5'], ['gemini', 'gemini-4-argon']] as [ProviderId, string][]) {
    for (const budget of [2048, 9000, 0]) {
      const r = thinking(p, id, budget, 8000);
      assert.equal(r.thinkingBudget, undefined, `${id} ${budget}`);
      assert.deepEqual(r.errors, [], `${id} ${budget}`);
      assert.equal(r.notes.length, 1, `${id} ${budget}`);
      assert.match(r.notes[0], /adaptive thinking.*counts toward max tokens/, `${id} ${budget}`);
    }
  }
});
