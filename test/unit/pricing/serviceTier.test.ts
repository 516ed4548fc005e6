// Processing tiers priced by the tier that served: golden figures for flex, priority and a downgrade, the user's own
// tier rates, and what is never guessed (an unknown tier price stays unknown, a tier not said is not priced cheaper).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { costOf, findPrice } from '../../../src/core/pricing/cost';
import { billedPrice, tierPrice, tierPricer } from '../../../src/core/pricing/serviceTier';
import type { Usage } from '../../../src/core/protocol/request';

const close = (a: number | null | undefined, b: number) => assert.ok(a !== null && a !== undefined && Math.abs(a - b) < 1e-12, `${a} ≠ ${b}`);
// 10,000 input tokens, 2,000 of them read from the cache, and 1,000 output tokens.
const U: Usage = { inputTokens: 10_000, cacheReadTokens: 2_000, outputTokens: 1_000 };
const gpt5 = { provider: 'openai' as const, model: 'gpt-5' };

describe('tier prices: golden cases (gpt-5: $1.25 / $0.125 cached / $10 standard)', () => {
  it('standard: 8,000 × $1.25 + 2,000 × $0.125 + 1,000 × $10 per million = $0.02025', () => {
    close(costOf(U, tierPrice(gpt5, 'standard')), 0.02025);
  });
  it('flex: half of every rate (OpenAI prices flex at Batch API rates) = $0.010125, its source says so', () => {
    const p = tierPrice(gpt5, 'flex')!;
    assert.deepEqual([p.inputPerM, p.cacheReadPerM, p.outputPerM], [0.625, 0.0625, 5]);
    close(costOf(U, p), 0.010125);
    assert.match(p.source, /^@pydantic\/genai-prices 0\.1\.8 \(OpenAI · gpt-5\) · OpenAI flex processing: priced at Batch API rates/);
  });
  it("priority: OpenAI's own rates ($2.50 / $0.25 / $20) = $0.0405, dated", () => {
    const p = tierPrice(gpt5, 'priority')!;
    assert.deepEqual([p.inputPerM, p.cacheReadPerM, p.outputPerM], [2.5, 0.25, 20]);
    close(costOf(U, p), 0.0405);
    assert.match(p.source, /openai\.com\/api-priority-processing/);
    assert.equal(p.date, '2026-12-07');
  });
  it('a snapshot id takes its family\'s priority rates (gpt-4.1-mini-2025-04-14 → gpt-4.1-mini)', () => {
    const p = tierPrice({ provider: 'openai', model: 'gpt-4.1-mini-2025-04-14' }, 'priority')!;
    assert.deepEqual([p.inputPerM, p.outputPerM], [0.7, 2.8]);
  });
  it('downgrade: asked for priority, served at standard → billed at standard ($0.02025, not $0.0405)', () => {
    const priceOf = tierPricer(gpt5);
    close(costOf(U, billedPrice(priceOf, 'priority', 'standard', U)), 0.02025);
  });
  it('a response that does not say: the dearer of the tier asked for and standard (flex asked → standard)', () => {
    const priceOf = tierPricer(gpt5);
    close(costOf(U, billedPrice(priceOf, 'flex', undefined, U)), 0.02025);
    close(costOf(U, billedPrice(priceOf, 'priority', undefined, U)), 0.0405);
  });
});

describe('tier prices: Gemini and Anthropic', () => {
  it('Gemini flex: half the standard price; priority 1.8× where the price data states it, else unknown', () => {
    const std = findPrice('gemini', 'gemini-3.8-flash')!;
    const flex = tierPrice({ provider: 'gemini', model: 'gemini-3.8-flash' }, 'flex')!;
    assert.equal(flex.inputPerM, std.inputPerM / 2);
    const pri = tierPrice({ provider: 'gemini', model: 'gemini-3.8-flash' }, 'priority')!;
    close(pri.outputPerM, std.outputPerM * 1.8);
    assert.equal(tierPrice({ provider: 'gemini', model: 'gemini-2.5-flash' }, 'priority'), undefined, 'never the standard price, never $0');
  });
  it('Anthropic fast mode: Claude Opus 5 at $10 / $50 (cache multipliers on top); Opus 5.5 has no listed rate; no flex at all', () => {
    const p = tierPrice({ provider: 'anthropic', model: 'claude-opus-5' }, 'priority')!;
    assert.deepEqual([p.inputPerM, p.outputPerM, p.cacheReadPerM, p.cacheWritePerM], [10, 50, 1, 12.5]);
    assert.equal(tierPrice({ provider: 'anthropic', model: 'claude-opus-5-5' }, 'priority'), undefined);
    assert.equal(tierPrice({ provider: 'anthropic', model: 'claude-opus-5' }, 'flex'), undefined);
  });
  it('an OpenAI-compatible server: no tier price is known', () => {
    assert.equal(tierPrice({ provider: 'openai-compatible', model: 'gpt-4o', baseUrl: 'http://127.0.0.1:1/v1' }, 'flex'), undefined);
  });
});

describe('tier prices: lengthwise.pricing', () => {
  it('flex / priority rates of your own win, flat, from your setting', () => {
    const pricing = { 'gpt-5': { priority: { input: 3, output: 24 } } };
    const p = tierPrice({ ...gpt5, pricing }, 'priority')!;
    assert.deepEqual([p.inputPerM, p.outputPerM, p.cacheReadPerM], [3, 24, undefined]);
    assert.equal(p.source, 'lengthwise.pricing (your setting) · priority');
    assert.equal(p.date, '');
  });
  it('one field of your own over the bundled tier price', () => {
    const p = tierPrice({ ...gpt5, pricing: { 'gpt-5': { flex: { output: 4 } } } }, 'flex')!;
    assert.deepEqual([p.inputPerM, p.outputPerM], [0.625, 4]);
    assert.match(p.source, /^lengthwise\.pricing \(your setting\) · flex over /);
  });
  it('a model without a bundled priority price gets one from your setting; input alone is not enough', () => {
    assert.equal(tierPrice({ provider: 'gemini', model: 'gemini-2.5-flash', pricing: { 'gemini-2.5-flash': { priority: { input: 0.6 } } } }, 'priority'), undefined);
    const p = tierPrice({ provider: 'gemini', model: 'gemini-2.5-flash', pricing: { 'gemini-2.5-flash': { priority: { input: 0.6, output: 5 } } } }, 'priority')!;
    assert.deepEqual([p.inputPerM, p.outputPerM], [0.6, 5]);
  });
  it('your standard rates: flex is half of them', () => {
    const p = tierPrice({ ...gpt5, pricing: { 'gpt-5': { input: 2, output: 8 } } }, 'flex')!;
    assert.deepEqual([p.inputPerM, p.outputPerM], [1, 4]);
  });
});

// Issue 28's price rules meet the tiers: an entry matches dated ids as the catalog does, and flex halves the
// long-context rates too, above 272,000 input tokens as OpenAI states it.
describe('tier prices: golden cases for dated ids and the 272K boundary', () => {
  it('a priority entry for gpt-5 applies to gpt-5-2025-08-07: 10,000 × $3 + 1,000 × $24 per million = $0.054', () => {
    // Failed before (the entry was matched by exact key only): $0.0405, the bundled priority rates.
    const p = tierPrice({ provider: 'openai', model: 'gpt-5-2025-08-07', pricing: { 'gpt-5': { priority: { input: 3, output: 24 } } } }, 'priority')!;
    assert.equal(p.source, 'lengthwise.pricing (your setting) · priority');
    close(costOf(U, p), 0.054);
  });
  it('gpt-5.4 flex at 272,000 input tokens: 272,000 × $1.25 + 1,000 × $7.50 per million = $0.3475', () => {
    close(costOf({ inputTokens: 272_000, outputTokens: 1_000 }, tierPrice({ provider: 'openai', model: 'gpt-5.4' }, 'flex')), 0.3475);
  });
  it('gpt-5.4 flex at 272,001: the whole request at half the long-context rates, 272,001 × $2.50 + 1,000 × $11.25 = $0.6912525', () => {
    close(costOf({ inputTokens: 272_001, outputTokens: 1_000 }, tierPrice({ provider: 'openai', model: 'gpt-5.4' }, 'flex')), 0.6912525);
  });
  // OpenAI's priority rates exclude prompts over 128K and no rate is published above: the cost there is unknown (it
  // was the flat priority rate, $1.390005 for 272,001 tokens), never the rates below it.
  it('gpt-5.4 priority at 128,000 input tokens: 128,000 × $5 + 1,000 × $30 per million = $0.67; at 128,001: price unknown', () => {
    const p = tierPrice({ provider: 'openai', model: 'gpt-5.4' }, 'priority');
    close(costOf({ inputTokens: 128_000, outputTokens: 1_000 }, p), 0.67);
    assert.equal(costOf({ inputTokens: 128_001, outputTokens: 1_000 }, p), null);
    assert.equal(costOf({ inputTokens: 272_001, outputTokens: 1_000 }, p), null);
  });
  it('priority rates of your own (lengthwise.pricing) price any length', () => {
    const p = tierPrice({ provider: 'openai', model: 'gpt-5.4', pricing: { 'gpt-5.4': { priority: { input: 5, output: 30 } } } }, 'priority');
    close(costOf({ inputTokens: 200_000, outputTokens: 1_000 }, p), 1.03);
  });
});
