// Costs reported by gateways, with the real openai SDK over HTTP against small servers shaped like the documented
// endpoints (no emulator reports a cost): OpenRouter's usage.cost when asked with usage: {include: true}, LiteLLM's
// x-litellm-response-cost header on a streamed response, and servers whose figures must not be believed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runRound } from '../../src/core/generation/pipeline';
import type { LedgerRecord } from '../../src/core/ledger/record';
import { findPrice, type ModelPrice } from '../../src/core/pricing/cost';
import type { GenerationRequest } from '../../src/core/protocol/request';
import { createAdapter } from '../../src/providers';
import { chatStream, chunk, startShaped, type Shaped } from '../servers/shapedServer';

const MODEL = 'openai/gpt-4o';
const orUsage = (cost: unknown) => ({
  prompt_tokens: 1000,
  completion_tokens: 200,
  total_tokens: 1200,
  cost,
  is_byok: false,
  prompt_tokens_details: { cached_tokens: 0 },
  cost_details: { upstream_inference_cost: null },
  completion_tokens_details: { reasoning_tokens: 0 },
});
const body = (usageObj: object) => [chunk(MODEL, { role: 'assistant', content: 'Hello' }), chunk(MODEL, { content: ' there.' }), chunk(MODEL, {}, 'stop'), chunk(MODEL, {}, null, usageObj)];

let srv: Shaped;
before(async () => {
  srv = await startShaped({
    // OpenRouter: streamed answer, keep-alive comments, the billed cost in the last chunk's usage.
    'POST /openrouter/api/v1/chat/completions': chatStream(body(orUsage(0.0045)), {}, ['OPENROUTER PROCESSING']),
    // LiteLLM proxy: the cost in the response header of the streamed response; usage without a cost.
    'POST /litellm/v1/chat/completions': chatStream(body({ prompt_tokens: 1000, completion_tokens: 200, total_tokens: 1200 }), { 'x-litellm-response-cost': '0.0041' }),
    // A LiteLLM that could not price the call.
    'POST /litellm-none/v1/chat/completions': chatStream(body({ prompt_tokens: 1000, completion_tokens: 200, total_tokens: 1200 }), { 'x-litellm-response-cost': 'None' }),
    // Servers that lie: a negative cost, an absurd one, text.
    'POST /negative/v1/chat/completions': chatStream(body(orUsage(-5))),
    'POST /absurd/v1/chat/completions': chatStream(body(orUsage(99999))),
    'POST /text/v1/chat/completions': chatStream(body(orUsage('cheap'))),
    // Both: the header first, then the body's figure (the later one is used).
    'POST /both/v1/chat/completions': chatStream(body(orUsage(0.0047)), { 'x-litellm-response-cost': '0.0040' }),
  });
});
after(() => srv.stop());

async function round(path: string, price?: ModelPrice, extra: Partial<GenerationRequest> = {}) {
  const request: GenerationRequest = { provider: 'openai-compatible', model: MODEL, baseUrl: `${srv.origin}${path}`, messages: [{ role: 'user', content: 'hi' }], maxTokens: 300, stop: [], maxRetries: 0, ...extra };
  const records: LedgerRecord[] = [];
  const ledger = { begin: async () => undefined, checkpoint: async () => undefined, finish: async (r: LedgerRecord) => void records.push(r) };
  const r = await runRound(request, { inputTokens: 900, inputExact: false }, { adapter: createAdapter('openai-compatible'), apiKey: 'k', tokenizerExact: false, price, priceSource: price?.source, workspace: 'ws', ledger, onText: () => undefined });
  return { r, record: records[0], sent: srv.seen.at(-1)! };
}

describe('reported cost', () => {
  it('OpenRouter: asked with usage {include: true}; usage.cost is the cost, source "provider", in the ledger too', async () => {
    const { r, record, sent } = await round('/openrouter/api/v1', undefined, { askCost: true });
    assert.deepEqual((sent.body as { usage?: unknown }).usage, { include: true });
    assert.equal(r.text, 'Hello there.');
    assert.equal(r.costUsd, 0.0045);
    assert.equal(r.costSource, 'provider');
    assert.deepEqual(r.costNotes, []);
    assert.equal(record.costUsd, 0.0045);
    assert.equal(record.costSource, 'provider');
  });

  it('a request not asking for the cost sends no usage field', async () => {
    const { sent } = await round('/litellm/v1');
    assert.equal('usage' in (sent.body as object), false);
  });

  it('LiteLLM: the x-litellm-response-cost header of a streamed response; >1% away from the table → a note with both figures', async () => {
    const price = findPrice('openai', 'gpt-4o')!;
    const { r, record } = await round('/litellm/v1', price);
    assert.equal(r.costUsd, 0.0041);
    assert.equal(r.costSource, 'provider');
    assert.equal(record.costSource, 'provider');
    // gpt-4o at $2.50 / $10 per million: 1000 in + 200 out = $0.0045 — the proxy said $0.0041.
    assert.equal(r.costNotes.length, 1);
    assert.match(r.costNotes[0], /^The server reported \$0\.0041 \(x-litellm-response-cost\); @pydantic\/genai-prices .* gives \$0\.0045 for the same tokens\. The reported cost is shown; the budget counts the larger figure\.$/);
    // Shown as reported; the budget counts the table's $0.0045 (budgetCost).
    assert.ok(Math.abs(record.pricedUsd! - 0.0045) < 1e-12, String(record.pricedUsd));
  });

  it('LiteLLM "None": nothing reported, the table price is used', async () => {
    const price = findPrice('openai', 'gpt-4o')!;
    const { r } = await round('/litellm-none/v1', price);
    assert.equal(r.costSource, 'prices');
    assert.ok(Math.abs(r.costUsd! - 0.0045) < 1e-12);
  });

  it('header then body: the body figure (later) is used', async () => {
    const { r } = await round('/both/v1');
    assert.deepEqual([r.costUsd, r.costSource], [0.0047, 'provider']);
  });

  for (const [path, why] of [['/negative/v1', /-5 \(usage\.cost\); not used: negative/], ['/absurd/v1', /99999 \(usage\.cost\); not used: more than \$2\.40/], ['/text/v1', /"cheap" \(usage\.cost\); not used: not a number/]] as const) {
    it(`a lying server (${path}) plants no number: the table price (or unknown) stays, the refusal is noted`, async () => {
      const price = findPrice('openai', 'gpt-4o')!;
      const withPrice = await round(path, price);
      assert.equal(withPrice.r.costSource, 'prices');
      assert.ok(Math.abs(withPrice.r.costUsd! - 0.0045) < 1e-12);
      assert.match(withPrice.r.costNotes[0], why);
      assert.equal(withPrice.record.costSource, 'prices');
      const without = await round(path);
      assert.deepEqual([without.r.costUsd, without.r.costSource], [null, null], 'unknown stays unknown, never 0');
      assert.equal(without.record.costSource, undefined);
    });
  }
});
