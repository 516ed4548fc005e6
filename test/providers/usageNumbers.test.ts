// Provider usage shapes over real HTTP, through the adapter, the meter and the ledger (runRound): what gets recorded
// is the provider's number only where the provider gave one.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request, useMock, type Mock } from './mock';
import { startAnthropicSse, type AnthropicStreamPlan } from '../servers/anthropicSse';
import { createAdapter } from '../../src/providers';
import { runRound } from '../../src/core/generation/pipeline';
import { Ledger } from '../../src/core/ledger/ledger';
import { memoryStorage } from '../ledgerDouble';
import { findPrice } from '../../src/core/pricing/cost';
import { loadTokenizer } from '../../src/core/tokens/tokens';
import type { GenerationRequest, ProviderEvent } from '../../src/core/protocol/request';

async function round(req: GenerationRequest) {
  const { ledger } = await Ledger.open(memoryStorage());
  const tok = await loadTokenizer('o200k_base');
  const events: ProviderEvent[] = [];
  const r = await runRound(req, { inputTokens: 20, inputExact: false }, {
    adapter: createAdapter(req.provider),
    apiKey: 'test-key',
    tokenizer: tok,
    tokenizerExact: false,
    price: findPrice(req.provider, req.model),
    ledger,
    workspace: 'w',
    onText: () => undefined,
    onEvent: (e) => events.push(e),
  });
  return { r, record: ledger.records()[0], events, tok };
}

describe('Anthropic usage over HTTP (aimock)', () => {
  const getMock = useMock();
  let mock: Mock;
  beforeEach(() => {
    mock = getMock();
  });
  it('message_start output_tokens 1, stream drops before message_delta: the local count is recorded, as an estimate', async () => {
    const text = 'A reply long enough to be many tokens, cut off by a dropped connection somewhere in the middle.';
    // aimock puts the fixture's output_tokens into message_start, as the real API's placeholder 1.
    mock.aimock.onMessage('drop', { content: text, usage: { input_tokens: 25, output_tokens: 1 } }, { chunkSize: 6, truncateAfterChunks: 8, latency: 2 });
    const { r, record, events, tok } = await round(request('anthropic', mock, { model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'drop' }] }));
    assert.ok(r.text.length > 0 && r.text.length < text.length, `part of the text arrived: ${JSON.stringify(r.text)}`);
    const usageEvents = events.filter((e): e is Extract<ProviderEvent, { type: 'usage' }> => e.type === 'usage');
    assert.ok(usageEvents.length >= 1);
    assert.ok(usageEvents.every((e) => e.usage.outputTokens === undefined), 'message_start\'s output_tokens is not passed on as a count');
    assert.equal(record.usageSource, 'estimate');
    assert.equal(record.usage.inputTokens, 25, 'input is the provider\'s');
    assert.equal(record.usage.outputTokens, tok.count(r.text));
    assert.ok(record.usage.outputTokens > 1);
  });
});

describe('Anthropic usage over HTTP (documented stream shape)', () => {
  let plan: AnthropicStreamPlan;
  let server: Awaited<ReturnType<typeof startAnthropicSse>>;
  before(async () => {
    server = await startAnthropicSse(() => plan);
  });
  after(async () => {
    await server.stop();
  });
  const req = (): GenerationRequest => ({
    provider: 'anthropic',
    model: 'claude-sonnet-4-5',
    baseUrl: server.url,
    messages: [{ role: 'user', content: 'hi' }],
    maxTokens: 1000,
    stop: [],
    maxRetries: 0,
  });

  it('1-hour cache writes are kept apart and priced at the 1-hour rate: $0.02925', async () => {
    plan = {
      startUsage: {
        input_tokens: 1000,
        cache_creation_input_tokens: 4000,
        cache_read_input_tokens: 5000,
        cache_creation: { ephemeral_5m_input_tokens: 1000, ephemeral_1h_input_tokens: 3000 },
        output_tokens: 1,
      },
      chunks: ['Hello', ' there', '.'],
      deltaUsage: { output_tokens: 200 },
    };
    const { r, record } = await round(req());
    assert.equal(r.text, 'Hello there.');
    assert.deepEqual(record.usage, { inputTokens: 10_000, outputTokens: 200, cacheReadTokens: 5000, cacheWriteTokens: 4000, cacheWrite1hTokens: 3000 });
    assert.equal(record.usageSource, 'provider');
    assert.ok(Math.abs((record.costUsd ?? NaN) - 0.02925) < 1e-9, `cost ${record.costUsd}`);
  });

  it('the placeholder 1 is not the live count while text streams', async () => {
    plan = { startUsage: { input_tokens: 12, output_tokens: 1 }, chunks: ['one two three four five six seven'], deltaUsage: { output_tokens: 9 } };
    const { r, events } = await round(req());
    assert.equal(r.usageSource, 'provider');
    assert.equal(r.usage.outputTokens, 9, 'message_delta\'s count is the provider\'s');
    const beforeDelta = events.findIndex((e) => e.type === 'usage' && e.usage.outputTokens !== undefined);
    const firstText = events.findIndex((e) => e.type === 'text');
    assert.ok(beforeDelta > firstText, 'no output count is reported before the text');
  });
});
