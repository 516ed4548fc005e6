import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkReportedCost, combineCostSources, describeCostSource, reportedCostCap, resolveCost } from '../../../src/core/pricing/reported';
import { findPrice, costOf } from '../../../src/core/pricing/cost';
import { buildSummary } from '../../../src/core/generation/summary';

const usage = { inputTokens: 1000, outputTokens: 500 };
const table = findPrice('openai', 'gpt-4.1-mini')!;
const override = findPrice('openai', 'my-model', { 'my-model': { input: 1, output: 2 } })!;
const computed = costOf(usage, table)!;

test('precedence: a believable reported cost wins over the table and over lengthwise.pricing', () => {
  const r = resolveCost(usage, computed, table, { value: 0.0123, via: 'usage.cost' });
  assert.equal(r.usd, 0.0123);
  assert.equal(r.source, 'provider');
  const o = resolveCost(usage, costOf(usage, override), override, { value: '0.002', via: 'x-litellm-response-cost' });
  assert.deepEqual([o.usd, o.source], [0.002, 'provider']);
});

test('precedence: without a report, lengthwise.pricing is "override", the bundled data "prices", no price null', () => {
  assert.equal(resolveCost(usage, costOf(usage, override), override, undefined).source, 'override');
  const t = resolveCost(usage, computed, table, undefined);
  assert.deepEqual([t.usd, t.source, t.notes], [computed, 'prices', []]);
  const merged = findPrice('openai', 'gpt-4.1-mini', { 'gpt-4.1-mini': { cacheRead: 0.01 } })!;
  assert.equal(resolveCost(usage, costOf(usage, merged), merged, undefined).source, 'override', 'a partial override is still the user setting');
  assert.deepEqual(resolveCost(usage, null, undefined, undefined), { usd: null, source: null, notes: [] });
});

test('a report on a model without any price is still used (OpenRouter model not in the table)', () => {
  assert.deepEqual(resolveCost(usage, null, undefined, { value: 0.5, via: 'usage.cost' }), { usd: 0.5, source: 'provider', notes: [] });
});

test('a reported zero is a real zero (free models), not unknown', () => {
  const r = resolveCost(usage, computed, table, { value: 0, via: 'usage.cost' });
  assert.deepEqual([r.usd, r.source], [0, 'provider']);
});

test('a lying server plants no number: negative, NaN, text, Infinity and absurd figures fall back to the price', () => {
  for (const bad of [-0.01, Number.NaN, 'free', '1e999', Number.POSITIVE_INFINITY, { usd: 1 }, true, 1e6, '-3', '0x10']) {
    const r = resolveCost(usage, computed, table, { value: bad, via: 'usage.cost' });
    assert.equal(r.usd, computed, String(bad));
    assert.equal(r.source, 'prices', String(bad));
    assert.equal(r.notes.length, 1, String(bad));
    assert.match(r.notes[0], /The server reported a cost of .* \(usage\.cost\); not used: (not a number|negative|more than)/);
  }
});

test('checkReportedCost: header text and numbers; the cap grows with the tokens', () => {
  assert.deepEqual(checkReportedCost(' 0.00042 ', usage), { ok: true, usd: 0.00042 });
  assert.deepEqual(checkReportedCost('1.5e-3', usage), { ok: true, usd: 0.0015 });
  assert.equal(reportedCostCap({ inputTokens: 0, outputTokens: 0 }), 0.05);
  assert.equal(reportedCostCap({ inputTokens: 1_000_000, outputTokens: 0 }), 2000);
  assert.equal(checkReportedCost(3, usage).ok, true, '$3 for 1,500 tokens is under $2000 per million');
  assert.equal(checkReportedCost(3.01, usage).ok, false);
});

test('a reported cost more than 1% away from the table is logged with both figures; within 1% it is not', () => {
  const far = resolveCost(usage, computed, table, { value: computed * 1.5, via: 'usage.cost' });
  assert.equal(far.notes.length, 1);
  assert.match(far.notes[0], /The server reported \$[\d.]+ \(usage\.cost\); @pydantic\/genai-prices .* gives \$[\d.]+ for the same tokens/);
  assert.deepEqual(resolveCost(usage, computed, table, { value: computed * 1.009, via: 'usage.cost' }).notes, []);
});

test('chain of rounds: the least trusted source; unknown when any round is unknown', () => {
  assert.equal(combineCostSources('provider', 'provider'), 'provider');
  assert.equal(combineCostSources('provider', 'prices'), 'prices');
  assert.equal(combineCostSources('override', 'provider'), 'override');
  assert.equal(combineCostSources('provider', null), null);
});

test('the summary says where its cost comes from, and never a source for an unknown cost', () => {
  const request = { provider: 'openai' as const, model: 'x', messages: [], maxTokens: 5, stop: [] };
  const base = { request, text: '', finish: { raw: 'stop', reason: 'stop' as const, truncated: false }, usage, usageSource: 'provider' as const, rounds: 1 };
  assert.equal(buildSummary({ ...base, costUsd: 0.1, costSource: 'provider' }).costSource, 'provider');
  assert.equal(buildSummary({ ...base, costUsd: null, costSource: 'provider' }).costSource, null);
  assert.equal(describeCostSource('provider'), 'reported by the server');
  assert.equal(describeCostSource('prices', 'genai-prices 0.1.8'), 'from the price table (genai-prices 0.1.8)');
  assert.equal(describeCostSource(null), 'price unknown');
});

test('chain totals (addRound) carry the least trusted cost source of their rounds', async () => {
  const { addRound } = await import('../../../src/core/generation/continuation');
  const r = (costSource: 'provider' | 'prices' | null, costUsd: number | null) => ({ usage, costUsd, usageSource: 'provider' as const, costSource });
  const one = addRound(undefined, r('provider', 0.01));
  assert.equal(one.costSource, 'provider');
  assert.equal(addRound(one, r('provider', 0.02)).costSource, 'provider');
  assert.equal(addRound(one, r('prices', 0.02)).costSource, 'prices');
  const unknown = addRound(one, r(null, null));
  assert.deepEqual([unknown.costUsd, unknown.costSource], [null, null]);
});
