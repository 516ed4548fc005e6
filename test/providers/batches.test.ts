// Batches through the official SDKs: OpenAI Batch against aimock (/v1/files + /v1/batches), Anthropic Message
// Batches and Gemini Batch Mode against small servers shaped like their documented endpoints.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { customIdFor, matchBatchResults, type BatchHandle, type BatchItem, type BatchStatus } from '../../src/core/generation/jobs/batch';
import { batchPrice } from '../../src/core/pricing/batch';
import { costOf, findPrice } from '../../src/core/pricing/cost';
import type { GenerationRequest, ProviderId } from '../../src/core/protocol/request';
import { batchClient } from '../../src/providers/batch';
import { useMock, type Mock } from './mock';
import { startAnthropicBatchServer, startGeminiBatchServer, type BatchServer } from '../servers/batchServers';

function items(provider: ProviderId, baseUrl: string, prompts: string[], model: string): BatchItem[] {
  return prompts.map((content, i) => {
    const request: GenerationRequest = { provider, model, baseUrl, messages: [{ role: 'user', content }], maxTokens: 50, stop: [], system: 'Be brief.' };
    return { customId: customIdFor('job7', i), request };
  });
}

async function untilDone(provider: ProviderId, handle: BatchHandle): Promise<{ polls: BatchStatus[] }> {
  const polls: BatchStatus[] = [];
  for (let i = 0; i < 5; i++) {
    const s = await batchClient(provider)!.poll(handle, { apiKey: 'k' });
    polls.push(s);
    if (s.results) break;
  }
  return { polls };
}

describe('OpenAI Batch vs aimock', () => {
  const getMock = useMock();
  let mock: Mock;
  beforeEach(() => {
    mock = getMock();
  });

  it('uploads one JSONL line per request, creates the batch, polls until completed and matches results by custom_id', async () => {
    const base = `${mock.url}/v1`;
    const its = items('openai', base, ['first prompt here', 'second prompt here', 'third'], 'gpt-4.1-mini');
    const handle = await batchClient('openai')!.submit(its, { apiKey: 'k' });
    assert.match(handle.id, /^batch[-_]/);
    assert.deepEqual(handle.customIds, ['job7-0', 'job7-1', 'job7-2']);
    const create = mock.wire().find((w) => w.path === '/v1/batches')!.body;
    assert.equal(create.endpoint, '/v1/chat/completions');
    assert.equal(create.completion_window, '24h');
    const { polls } = await untilDone('openai', handle);
    const last = polls.at(-1)!;
    assert.equal(last.state, 'completed');
    assert.equal(last.counts?.total, 3);
    const m = matchBatchResults(handle.customIds, last.results!);
    assert.deepEqual(m.missing, []);
    assert.ok(m.byItem.every((r) => r?.ok && r.text === 'Mock batch completion'));
    const r0 = m.byItem[0]!;
    assert.ok(r0.ok);
    assert.deepEqual(r0.usage, { inputTokens: 1, outputTokens: 1 });
    // Priced at half: the same usage live vs batch.
    const live = findPrice('openai', 'gpt-4.1-mini')!;
    assert.equal(costOf(r0.usage, batchPrice(live, 'openai')), costOf(r0.usage, live)! / 2);
  });

  it('the input file holds the same body as a live request, without streaming', async () => {
    const { batchLine } = await import('../../src/providers/batch/openai');
    const [it0] = items('openai', 'http://x/v1', ['hello'], 'gpt-4.1-mini');
    const line = JSON.parse(batchLine(it0!));
    assert.deepEqual(line, {
      custom_id: 'job7-0',
      method: 'POST',
      url: '/v1/chat/completions',
      body: { model: 'gpt-4.1-mini', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hello' }], max_tokens: 50 },
    });
  });

  it('Responses-only models go to /v1/responses with the Responses body; answers, finish and usage read from Response objects', async () => {
    const its = items('openai', `${mock.url}/v1`, ['one', 'two'], 'gpt-5-pro').map((i) => ({ ...i, request: { ...i.request, api: 'responses' as const } }));
    const { batchLine } = await import('../../src/providers/batch/openai');
    const line = JSON.parse(batchLine(its[0]!)) as { url: string; body: Record<string, unknown> };
    assert.equal(line.url, '/v1/responses');
    assert.deepEqual(line.body, { model: 'gpt-5-pro', input: [{ role: 'user', content: 'one' }], max_output_tokens: 50, store: false, instructions: 'Be brief.' });
    const handle = await batchClient('openai')!.submit(its, { apiKey: 'k' });
    assert.equal(mock.wire().find((w) => w.path === '/v1/batches')!.body.endpoint, '/v1/responses');
    const last = (await untilDone('openai', handle)).polls.at(-1)!;
    const m = matchBatchResults(handle.customIds, last.results!);
    for (const r of m.byItem) {
      assert.ok(r?.ok, JSON.stringify(r));
      assert.equal(r.text, 'Mock batch completion');
      assert.deepEqual([r.finish.reason, r.finish.truncated], ['stop', false]);
      assert.ok(r.usage!.inputTokens >= 0 && r.usage!.outputTokens >= 0);
    }
    // A Response cut at max_output_tokens, with cached and reasoning tokens, as the output file carries it.
    const { parseOutputLine } = await import('../../src/providers/batch/openai');
    const cut = parseOutputLine(
      JSON.stringify({
        id: 'batch_req_1',
        custom_id: 'job7-0',
        response: {
          status_code: 200,
          body: {
            object: 'response',
            status: 'incomplete',
            incomplete_details: { reason: 'max_output_tokens' },
            output: [{ type: 'reasoning', summary: [] }, { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'partial answ', annotations: [] }] }],
            usage: { input_tokens: 120, input_tokens_details: { cached_tokens: 20 }, output_tokens: 50, output_tokens_details: { reasoning_tokens: 38 }, total_tokens: 170 },
          },
        },
        error: null,
      }),
    );
    assert.ok(cut?.ok);
    assert.equal(cut.text, 'partial answ');
    assert.deepEqual([cut.finish.reason, cut.finish.truncated], ['length', true]);
    assert.deepEqual(cut.usage, { inputTokens: 120, outputTokens: 50, cacheReadTokens: 20, reasoningTokens: 38 });
    // A Chat Completions line without usage: the figures are unknown, not a provider's 0.
    const bare = parseOutputLine(JSON.stringify({ custom_id: 'job7-1', response: { status_code: 200, body: { choices: [{ message: { content: 'hi' }, finish_reason: 'stop' }] } }, error: null }));
    assert.ok(bare?.ok);
    assert.equal(bare.usage, undefined);
    // One batch, one endpoint: mixing the two APIs is refused before anything is uploaded.
    const mixed = [its[0]!, items('openai', `${mock.url}/v1`, ['x'], 'gpt-4.1-mini')[0]!];
    await assert.rejects(batchClient('openai')!.submit(mixed, { apiKey: 'k' }), /cannot mix/);
  });

  it('cancel ends a pending batch as cancelled', async () => {
    const handle = await batchClient('openai')!.submit(items('openai', `${mock.url}/v1`, ['a', 'b'], 'gpt-4.1-mini'), { apiKey: 'k' });
    const s = await batchClient('openai')!.cancel(handle, { apiKey: 'k' });
    assert.ok(s.state === 'cancelling' || s.state === 'cancelled', s.raw);
    const after = await batchClient('openai')!.poll(handle, { apiKey: 'k' });
    assert.equal(after.state, 'cancelled');
  });
});

describe('Anthropic Message Batches vs a documented-shape server', () => {
  let srv: BatchServer;
  before(async () => {
    srv = await startAnthropicBatchServer();
  });
  after(async () => srv.stop());

  it('creates with custom_id + params, polls until ended, reads the JSONL results in any order', async () => {
    const its = items('anthropic', srv.url, ['alpha one two three', 'beta one two', 'gamma'], 'claude-sonnet-4-5');
    its[2]!.customId = 'job7-fail-2';
    const handle = await batchClient('anthropic')!.submit(its, { apiKey: 'k' });
    assert.match(handle.id, /^msgbatch_/);
    const sent = srv.created.at(-1) as { requests: { custom_id: string; params: Record<string, unknown> }[] };
    assert.deepEqual(sent.requests[0], { custom_id: 'job7-0', params: { model: 'claude-sonnet-4-5', max_tokens: 50, messages: [{ role: 'user', content: 'alpha one two three' }], system: 'Be brief.' } });
    const { polls } = await untilDone('anthropic', handle);
    assert.equal(polls[0]!.state, 'running');
    const last = polls.at(-1)!;
    assert.equal(last.state, 'completed');
    assert.deepEqual(last.counts, { total: 3, completed: 2, failed: 1 });
    const m = matchBatchResults(handle.customIds, last.results!);
    assert.deepEqual(m.byItem.map((r) => (r?.ok ? r.text : r?.error.kind)), ['answer to alpha one two', 'answer to beta one two', 'bad_request']);
    const r0 = m.byItem[0]!;
    assert.ok(r0.ok && r0.finish.reason === 'stop');
    assert.ok(r0.ok);
    assert.deepEqual(r0.usage, { inputTokens: 100, outputTokens: 20 });
    assert.ok(srv.log.some((l) => /GET \/v1\/messages\/batches\/msgbatch_\d+\/results/.test(l)));
  });

  it('cancel: the batch ends with every request canceled', async () => {
    const handle = await batchClient('anthropic')!.submit(items('anthropic', srv.url, ['x', 'y'], 'claude-sonnet-4-5'), { apiKey: 'k' });
    const s = await batchClient('anthropic')!.cancel(handle, { apiKey: 'k' });
    assert.equal(s.state, 'cancelling');
    const end = await batchClient('anthropic')!.poll(handle, { apiKey: 'k' });
    assert.equal(end.state, 'cancelled');
    assert.ok(end.results!.every((r) => !r.ok && r.error.kind === 'cancelled'));
  });
});

describe('Gemini Batch Mode vs a documented-shape server', () => {
  let srv: BatchServer;
  before(async () => {
    srv = await startGeminiBatchServer();
  });
  after(async () => srv.stop());

  it('creates inline requests with metadata keys, polls until succeeded, results matched by key', async () => {
    const its = items('gemini', srv.url, ['delta one two three', 'epsilon'], 'gemini-2.5-flash');
    const handle = await batchClient('gemini')!.submit(its, { apiKey: 'k' });
    assert.equal(handle.id, 'batches/b1');
    const sent = srv.created.at(-1) as { batch: { inputConfig: { requests: { requests: { request: Record<string, unknown>; metadata: unknown }[] } } } };
    const first = sent.batch.inputConfig.requests.requests[0]!;
    assert.deepEqual(first.metadata, { key: 'job7-0' });
    assert.deepEqual(first.request.contents, [{ role: 'user', parts: [{ text: 'delta one two three' }] }]);
    assert.deepEqual(first.request.generationConfig, { maxOutputTokens: 50 });
    assert.ok(first.request.systemInstruction, 'the system prompt goes with each request');
    const { polls } = await untilDone('gemini', handle);
    assert.equal(polls.at(-1)!.state, 'completed');
    const m = matchBatchResults(handle.customIds, polls.at(-1)!.results!);
    assert.deepEqual(m.byItem.map((r) => (r?.ok ? r.text : undefined)), ['answer to delta one two', 'answer to epsilon']);
    const r1 = m.byItem[1]!;
    assert.ok(r1.ok);
    assert.deepEqual(r1.usage, { inputTokens: 100, outputTokens: 20 });
    assert.ok(srv.log.some((l) => l.startsWith('POST /v1beta/models/gemini-2.5-flash:batchGenerateContent')));
  });

  it('cancel: the batch reads as cancelled', async () => {
    const handle = await batchClient('gemini')!.submit(items('gemini', srv.url, ['x'], 'gemini-2.5-flash'), { apiKey: 'k' });
    const s = await batchClient('gemini')!.cancel(handle, { apiKey: 'k' });
    assert.equal(s.state, 'cancelled');
  });
});
