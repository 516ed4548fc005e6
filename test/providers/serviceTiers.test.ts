// Processing tiers with the real SDKs over HTTP, against servers shaped like the documented endpoints
// (test/servers/tierServers.ts): the tier on the wire, the tier that served read back, the price of each tier (flex,
// priority, a downgrade) and a flex request refused for capacity — told as such, with nothing retried at a higher
// price.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { planRequest } from '../../src/core/generation/plan';
import { runRound, type RoundResult } from '../../src/core/generation/pipeline';
import type { LedgerRecord } from '../../src/core/ledger/record';
import { costOf } from '../../src/core/pricing/cost';
import { tierPricer } from '../../src/core/pricing/serviceTier';
import type { ServiceTier, Usage } from '../../src/core/protocol/request';
import { DEFAULT_SETTINGS, type LengthwiseSettings } from '../../src/core/settings/settings';
import { createAdapter } from '../../src/providers';
import type { Seen, Shaped } from '../servers/shapedServer';
import { startTierServer, type TierPlan } from '../servers/tierServers';

let srv: Shaped;
let plan: TierPlan = {};
before(async () => {
  srv = await startTierServer(() => plan);
});
after(() => srv.stop());
beforeEach(() => {
  plan = {};
});

const close = (a: number | null, b: number) => assert.ok(a !== null && Math.abs(a - b) < 1e-12, `${a} ≠ ${b}`);

/** Plans the request from settings as Send does, runs one round with the real adapter, returns it with what went over the wire. */
async function send(over: Partial<LengthwiseSettings>): Promise<{ r: RoundResult; sent: Seen; record: LedgerRecord }> {
  const s: LengthwiseSettings = { ...DEFAULT_SETTINGS, maxTokens: 2000, baseUrl: over.provider === 'gemini' || over.provider === 'anthropic' ? srv.origin : `${srv.origin}/v1`, ...over };
  const p = planRequest({ settings: s, prompt: 'q', inputTokens: 10_000, inputTokensExact: true });
  assert.deepEqual(p.errors, []);
  const priceOf = tierPricer(s);
  const records: LedgerRecord[] = [];
  const ledger = { begin: async () => undefined, checkpoint: async () => undefined, finish: async (x: LedgerRecord) => void records.push(x) };
  const before = srv.seen.length;
  const r = await runRound({ ...p.request!, maxRetries: 0 }, { inputTokens: 10_000, inputExact: true }, { adapter: createAdapter(s.provider), apiKey: 'k', tokenizerExact: false, price: priceOf('standard'), priceOf, workspace: 'w', ledger, onText: () => undefined });
  assert.equal(srv.seen.length, before + 1, 'one request, never a second at another tier');
  return { r, sent: srv.seen.at(-1)!, record: records[0] };
}
const body = (s: Seen) => s.body as Record<string, unknown>;
const U: Usage = { inputTokens: 10_000, cacheReadTokens: 2_000, outputTokens: 1_000 };
const priced = (s: Partial<LengthwiseSettings>, tier: ServiceTier) => costOf(U, tierPricer({ ...DEFAULT_SETTINGS, ...s })(tier));

describe('OpenAI Chat Completions: service_tier', () => {
  it('standard sends no service_tier; "default" comes back as standard at the standard price', async () => {
    const { r, sent } = await send({ model: 'gpt-5' });
    assert.equal('service_tier' in body(sent), false);
    assert.equal(r.serviceTier, 'standard');
    close(r.costUsd, 0.02025);
  });
  it('flex on the wire, served at flex: half price ($0.010125), recorded with the tier', async () => {
    const { r, sent, record } = await send({ model: 'gpt-5', serviceTier: 'flex' });
    assert.equal(body(sent).service_tier, 'flex');
    assert.equal(r.serviceTier, 'flex');
    close(r.costUsd, 0.010125);
    assert.deepEqual([record.serviceTier, record.tierAsked], ['flex', 'flex']);
  });
  it('priority on the wire, served at priority: its own rates ($0.0405)', async () => {
    const { r, sent } = await send({ model: 'gpt-5', serviceTier: 'priority' });
    assert.equal(body(sent).service_tier, 'priority');
    assert.equal(r.serviceTier, 'priority');
    close(r.costUsd, 0.0405);
  });
  it('a downgrade: priority asked, "default" served → priced at standard, and said', async () => {
    plan = { served: () => 'default' };
    const { r } = await send({ model: 'gpt-5', serviceTier: 'priority' });
    assert.equal(r.serviceTier, 'standard');
    close(r.costUsd, 0.02025);
    assert.match(r.tierNote!, /^Asked for the priority tier; OpenAI served it at standard \("default"\)/);
  });
  it('flex refused for capacity (429 Resource Unavailable): one request, told as such, marked for a retry at standard, nothing billed', async () => {
    plan = { refuseFlex: true };
    const { r, record } = await send({ model: 'gpt-5', serviceTier: 'flex' });
    assert.equal(r.error?.kind, 'rate_limit');
    assert.equal(r.error?.tierRefused, 'flex');
    assert.match(r.error!.message, /^OpenAI has no flex capacity for this request right now \(429\); a refused flex request is not billed\. Retry at the standard tier, or later at flex\.$/);
    assert.equal(r.text, '');
    assert.equal(record.usage.outputTokens, 0);
  });
});

describe('OpenAI Responses API: service_tier', () => {
  it('on the wire, and read back from the terminal event (not the created one)', async () => {
    const { r, sent } = await send({ model: 'gpt-5', openaiApi: 'responses', serviceTier: 'flex' });
    assert.equal(body(sent).service_tier, 'flex');
    assert.equal(r.serviceTier, 'flex');
    close(r.costUsd, 0.010125);
    plan = { served: () => 'default' };
    const down = await send({ model: 'gpt-5', openaiApi: 'responses', serviceTier: 'priority' });
    assert.equal(down.r.serviceTier, 'standard');
    close(down.r.costUsd, 0.02025);
  });
});

describe('Gemini: serviceTier and x-gemini-service-tier', () => {
  const g = { provider: 'gemini' as const, model: 'gemini-3.8-flash' };
  it('flex on the wire (request body serviceTier), served at flex: half the standard price', async () => {
    const { r, sent } = await send({ ...g, serviceTier: 'flex' });
    assert.equal(body(sent).serviceTier, 'flex');
    assert.equal(r.serviceTier, 'flex');
    close(r.costUsd, priced(g, 'flex')!);
    close(r.costUsd, priced(g, 'standard')! / 2);
  });
  it('priority past its limit is served at standard (the header says so): priced at standard, not 1.8×', async () => {
    plan = { served: () => 'standard' };
    const { r, sent } = await send({ ...g, serviceTier: 'priority' });
    assert.equal(body(sent).serviceTier, 'priority');
    assert.equal(r.serviceTier, 'standard');
    close(r.costUsd, priced(g, 'standard')!);
    plan = {};
    const pri = await send({ ...g, serviceTier: 'priority' });
    assert.equal(pri.r.serviceTier, 'priority');
    close(pri.r.costUsd, priced(g, 'priority')!);
  });
  it('flex refused (503 UNAVAILABLE): a tier refusal, retried at standard only when asked', async () => {
    plan = { refuseFlex: true };
    const { r } = await send({ ...g, serviceTier: 'flex' });
    assert.equal(r.error?.tierRefused, 'flex');
    assert.match(r.error!.message, /^Gemini has no flex capacity for this request right now \(503\)/);
  });
});

describe('Anthropic: fast mode (speed) and usage.speed', () => {
  it('priority is speed "fast" with the beta header on Claude Opus 5; usage.speed "fast" → $10 / $50', async () => {
    const { r, sent } = await send({ provider: 'anthropic', model: 'claude-opus-5', serviceTier: 'priority' });
    assert.equal(body(sent).speed, 'fast');
    assert.match(String(sent.headers['anthropic-beta']), /fast-mode-2026-02-01/);
    assert.equal(r.serviceTier, 'priority');
    // 8,000 input + 2,000 cache reads ($1) + 1,000 output at $10 / $50 per million.
    close(r.costUsd, (8000 * 10 + 2000 * 1 + 1000 * 50) / 1e6);
  });
  it('served at standard speed (Opus 4.6 style): priced at standard', async () => {
    plan = { served: () => 'standard' };
    const { r } = await send({ provider: 'anthropic', model: 'claude-opus-5', serviceTier: 'priority' });
    assert.equal(r.serviceTier, 'standard');
    close(r.costUsd, (8000 * 5 + 2000 * 0.5 + 1000 * 25) / 1e6);
  });
  it('a GA fast-mode model gets no beta header; a model without fast mode gets no speed (left out with a note)', async () => {
    const ga = await send({ provider: 'anthropic', model: 'claude-opus-5-5', serviceTier: 'priority' });
    assert.equal(body(ga.sent).speed, 'fast');
    assert.equal(ga.sent.headers['anthropic-beta'], undefined);
    assert.equal(ga.r.costUsd, null, 'no fast-mode price is listed for Opus 5.5: price unknown, never the standard price');
    const none = await send({ provider: 'anthropic', model: 'claude-sonnet-5', serviceTier: 'priority' });
    assert.equal('speed' in body(none.sent), false);
    assert.equal(none.r.serviceTier, 'standard');
  });
});
