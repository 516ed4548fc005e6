// A round priced by the tier that served it, with the core's adapter interface fed the events an adapter yields (the
// real SDKs over HTTP are in test/providers/serviceTiers.test.ts): the ledger keeps the tier, the tier asked for and
// the cache's saving, also after a reload.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runRound, type RoundDeps } from '../../../src/core/generation/pipeline';
import { cacheMinimumNote } from '../../../src/core/generation/cacheMinimum';
import { Ledger } from '../../../src/core/ledger/ledger';
import { costOf } from '../../../src/core/pricing/cost';
import { tierPricer } from '../../../src/core/pricing/serviceTier';
import type { GenerationRequest, PaidTier, ProviderAdapter, ProviderEvent, Usage } from '../../../src/core/protocol/request';
import { memoryStorage } from '../../ledgerDouble';

const usage: Usage = { inputTokens: 10_000, cacheReadTokens: 2_000, outputTokens: 1_000 };
const adapter = (tier?: string): ProviderAdapter => ({
  id: 'openai',
  async *stream(): AsyncIterable<ProviderEvent> {
    if (tier !== undefined) yield { type: 'tier', raw: tier, via: 'service_tier' };
    yield { type: 'text', text: 'answer' };
    yield { type: 'usage', usage };
    yield { type: 'finish', finish: { raw: 'stop', reason: 'stop', truncated: false } };
  },
});
const req = (serviceTier?: PaidTier): GenerationRequest => ({ provider: 'openai', model: 'gpt-5', messages: [{ role: 'user', content: 'q' }], maxTokens: 2000, stop: [], ...(serviceTier ? { serviceTier } : {}) });
const priceOf = tierPricer({ provider: 'openai', model: 'gpt-5' });

async function round(tier: PaidTier | undefined, said: string | undefined, over: Partial<RoundDeps> = {}) {
  const storage = memoryStorage();
  const { ledger } = await Ledger.open(storage);
  const r = await runRound(req(tier), { inputTokens: 10_000, inputExact: true }, { adapter: adapter(said), apiKey: 'k', tokenizerExact: false, price: priceOf('standard'), priceOf, workspace: 'w', ledger, onText: () => undefined, ...over });
  const reread = (await Ledger.open(storage)).ledger.records()[0];
  return { r, reread };
}

describe('a round priced by the tier that served', () => {
  it('flex served: $0.010125, recorded with the tier, the tier asked for and the flex price source', async () => {
    const { r, reread } = await round('flex', 'flex');
    assert.equal(r.serviceTier, 'flex');
    assert.ok(Math.abs(r.costUsd! - 0.010125) < 1e-12, String(r.costUsd));
    assert.equal(r.tierNote, undefined);
    assert.deepEqual([reread.serviceTier, reread.tierAsked], ['flex', 'flex']);
    assert.match(reread.priceSource!, /flex processing/);
    assert.equal(reread.costUsd, r.costUsd);
  });
  it('priority asked, served at "default": a downgrade, priced at standard, said in a note', async () => {
    const { r, reread } = await round('priority', 'default');
    assert.equal(r.serviceTier, 'standard');
    assert.ok(Math.abs(r.costUsd! - 0.02025) < 1e-12);
    assert.equal(r.tierNote, 'Asked for the priority tier; OpenAI served it at standard ("default"), and it is priced at standard.');
    assert.deepEqual([reread.serviceTier, reread.tierAsked], ['standard', 'priority']);
  });
  it('a tier asked for and not said: unknown (null), priced at the dearer of it and standard', async () => {
    const { r, reread } = await round('flex', undefined);
    assert.equal(r.serviceTier, null);
    assert.ok(Math.abs(r.costUsd! - 0.02025) < 1e-12);
    assert.match(r.tierNote!, /did not say which tier served it, so it is priced at the dearer of flex and standard/);
    assert.deepEqual([reread.serviceTier, reread.tierAsked], [undefined, 'flex']);
  });
  it('nothing asked, nothing said: standard, as before tiers', async () => {
    const { r, reread } = await round(undefined, undefined);
    assert.equal(r.serviceTier, 'standard');
    assert.equal(reread.tierAsked, undefined);
  });
  it('the cache saving of the tier it was billed at: 2,000 reads at $0.25 instead of $2.50 per million (priority)', async () => {
    const { r, reread } = await round('priority', 'priority');
    assert.ok(Math.abs(r.cacheSavedUsd! - (2000 * (2.5 - 0.25)) / 1e6) < 1e-12, String(r.cacheSavedUsd));
    assert.equal(reread.cacheSavedUsd, r.cacheSavedUsd);
    assert.equal(r.costUsd, costOf(usage, priceOf('priority')));
  });
});

describe('the cache minimum', () => {
  it('below the provider\'s minimum and nothing read or written: said; otherwise nothing', () => {
    assert.match(cacheMinimumNote('openai', 'gpt-4.1-mini', { inputTokens: 612 })!, /^Nothing was cached: OpenAI caches prompts of at least 1,024 tokens for gpt-4\.1-mini, and this one had 612 \(OpenAI prompt caching/);
    assert.equal(cacheMinimumNote('openai', 'gpt-4.1-mini', { inputTokens: 2000 }), undefined);
    assert.equal(cacheMinimumNote('openai', 'gpt-4.1-mini', { inputTokens: 600, cacheReadTokens: 10 }), undefined);
    assert.match(cacheMinimumNote('anthropic', 'claude-opus-4-6', { inputTokens: 2000 })!, /at least 4,096 tokens/);
    assert.match(cacheMinimumNote('gemini', 'gemini-2.5-flash', { inputTokens: 2000 })!, /Gemini caches prompts of at least 2,048 tokens/);
    assert.equal(cacheMinimumNote('gemini', 'gemini-2.0-flash', { inputTokens: 10 }), undefined, 'no minimum stated for the model: nothing said');
    assert.equal(cacheMinimumNote('openai-compatible', 'llama', { inputTokens: 10 }), undefined);
  });
});
