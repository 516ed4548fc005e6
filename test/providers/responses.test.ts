// OpenAI Responses API with the real SDK over HTTP: aimock serves /v1/responses (its request journal shows what it
// understood: instructions as the system message, max_output_tokens as max_tokens); the recording pass-through shows
// the raw body (text.verbosity, store, max_output_tokens). aimock ends a truncated answer with status "incomplete"
// but without incomplete_details and without usage details, so the documented event shapes (response.incomplete
// with its reason, cached and reasoning tokens, response.failed) are checked against a small server below.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CONTINUE_INSTRUCTION } from '../../src/core/generation/continuation';
import { continueChain, planContinuationRequest, runRound, type ChainState } from '../../src/core/generation/pipeline';
import { planRequest } from '../../src/core/generation/plan';
import { findModel } from '../../src/core/models/models';
import { findPrice } from '../../src/core/pricing/cost';
import { DEFAULT_SETTINGS, type LengthwiseSettings } from '../../src/core/settings/settings';
import { createAdapter } from '../../src/providers';
import { collect, lastBody, request, useMock, type Mock } from './mock';
import { usage } from './fixtures';

const getMock = useMock();
let mock: Mock;
beforeEach(() => {
  mock = getMock();
});

type Journal = { path: string; body: { model?: string; max_tokens?: number; messages?: { role: string; content: unknown }[] } | null };
const journal = (m: Mock) => m.aimock.getRequests() as unknown as Journal[];

describe('Responses API against aimock', () => {
  it('a natural end: text, status completed → stop, usage; the wire has max_output_tokens, instructions, text.verbosity, store:false', async () => {
    // Chunks 5 ms apart: deltas that reach the adapter in the same event-loop turn are handed on as one.
    mock.aimock.onMessage('natural', { content: 'Closures capture variables.', usage: usage(12, 5) }, { chunkSize: 4, latency: 5 });
    const r = await collect(request('openai', mock, { model: 'gpt-5-codex', api: 'responses', reasoningModel: true, system: 'Be brief.', verbosity: 'low', reasoningEffort: 'low', maxTokens: 300, messages: [{ role: 'user', content: 'natural' }] }));
    assert.equal(r.text, 'Closures capture variables.');
    assert.ok(r.events.filter((e) => e.type === 'text').length > 1, 'streamed in several deltas');
    assert.deepEqual(r.finish, { raw: 'completed', reason: 'stop', truncated: false });
    assert.deepEqual([r.usage.inputTokens, r.usage.outputTokens], [12, 5]);
    assert.deepEqual(r.errors, []);
    const w = mock.wire().at(-1)!;
    assert.equal(w.path, '/v1/responses');
    assert.deepEqual(w.body, {
      model: 'gpt-5-codex',
      input: [{ role: 'user', content: 'natural' }],
      stream: true,
      max_output_tokens: 300,
      store: false,
      instructions: 'Be brief.',
      text: { verbosity: 'low' },
      reasoning: { effort: 'low' },
    });
    const j = journal(mock).at(-1)!;
    assert.equal(j.path, '/v1/responses');
    assert.equal(j.body?.max_tokens, 300, 'journal: max_output_tokens as aimock read it');
    assert.deepEqual(j.body?.messages, [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'natural' }], 'journal: instructions became the system message');
  });

  it('an incomplete truncation keeps its text and usage and is continuable', async () => {
    mock.aimock.onMessage('truncate', { content: 'Once upon a time there', finishReason: 'length', usage: usage(9, 16) });
    const r = await collect(request('openai', mock, { model: 'gpt-5-codex', api: 'responses', reasoningModel: true, maxTokens: 16, messages: [{ role: 'user', content: 'truncate' }] }));
    assert.equal(r.text, 'Once upon a time there');
    assert.deepEqual(r.finish, { raw: 'incomplete', reason: 'other', truncated: true }, 'aimock sends no incomplete_details');
    assert.deepEqual([r.usage.inputTokens, r.usage.outputTokens], [9, 16]);
    assert.equal(lastBody(mock).max_output_tokens, 16);
  });

  it('no stop parameter and no temperature for a reasoning model; temperature for a classic one', async () => {
    mock.aimock.onMessage('classic', { content: 'ok', usage: usage(1, 1) });
    await collect(request('openai', mock, { model: 'gpt-4.1-mini', api: 'responses', temperature: 0.3, messages: [{ role: 'user', content: 'classic' }] }));
    const b = lastBody(mock);
    assert.equal(b.temperature, 0.3);
    assert.equal('stop' in b, false);
    assert.equal('text' in b, false, 'no verbosity set: no text object');
  });

  it('continuation on Responses: round 2 sends the answer so far as an assistant turn plus a user "continue" turn (no prefill), each round with its cost', async () => {
    let n = 0;
    const served = [
      { content: 'The first half of the answer', finishReason: 'length', usage: usage(20, 16) },
      { content: ' and the second half.', usage: usage(50, 6) },
    ];
    mock.aimock.on({ predicate: (req) => JSON.stringify(req.messages).includes('tell a story') }, () => served[Math.min(n++, 1)], { chunkSize: 5 });
    const s: LengthwiseSettings = { ...DEFAULT_SETTINGS, provider: 'openai', model: 'gpt-5-codex', baseUrl: `${mock.url}/v1`, maxTokens: 16, systemPrompt: 'Be brief.', verbosity: null };
    const estimate = (t: string) => Math.ceil(t.length / 4);
    const plan = planRequest({ settings: s, prompt: 'tell a story', inputTokens: 3, inputTokensExact: false });
    assert.equal(plan.request?.api, 'responses');
    const price = findPrice('openai', 'gpt-5-codex');
    assert.ok(price, 'gpt-5-codex has a bundled price');
    let text = '';
    const deps = { adapter: createAdapter('openai'), apiKey: 'k', tokenizerExact: false, price, workspace: 'ws', onText: (d: string) => (text += d) };
    const r1 = await runRound(plan.request!, { inputTokens: 3, inputExact: false, chainId: 'c', round: 1 }, deps);
    assert.equal(r1.finish.truncated, true);
    const state: ChainState = { chainId: 'c', messages: [{ role: 'user', content: 'tell a story' }], textSoFar: r1.text, rounds: 1, usage: r1.usage, usageSource: r1.usageSource, costUsd: r1.costUsd, costSource: r1.costSource, finish: r1.finish, lastRequest: plan.request!, strategies: [] };
    const rounds: { costUsd: number | null; costSource: string | null }[] = [{ costUsd: r1.costUsd, costSource: r1.costSource }];
    const res = await continueChain(state, { auto: false, maxRounds: 3, explicit: true }, {
      ...deps,
      planContinuation: (messages) => planContinuationRequest({ settings: s }, state.lastRequest, messages, 1, estimate, false),
      modelSupportsPrefill: findModel('openai', 'gpt-5-codex')?.supportsPrefill,
      prefillRefused: new Set(),
      onRound: (_s, r) => rounds.push({ costUsd: r.costUsd, costSource: r.costSource }),
    });
    assert.equal(text, 'The first half of the answer and the second half.');
    assert.deepEqual(res.state.finish, { raw: 'completed', reason: 'stop', truncated: false });
    assert.deepEqual(res.state.strategies, ['user-continue']);
    const round2 = mock.wire().at(-1)!.body;
    assert.deepEqual(round2.input, [
      { role: 'user', content: 'tell a story' },
      { role: 'assistant', content: 'The first half of the answer' },
      { role: 'user', content: CONTINUE_INSTRUCTION },
    ]);
    assert.equal(round2.instructions, 'Be brief.', 'the system prompt stays in force');
    assert.equal(round2.store, false);
    assert.equal(round2.max_output_tokens, 16);
    const j = journal(mock).at(-1)!;
    assert.deepEqual(j.body?.messages?.map((m) => m.role), ['system', 'user', 'assistant', 'user'], 'journal: round 2 as aimock read it');
    assert.equal(rounds.length, 2);
    for (const r of rounds) assert.ok(r.costUsd !== null && r.costUsd > 0 && r.costSource === 'prices', JSON.stringify(r));
    assert.equal(res.state.costSource, 'prices');
    assert.ok(Math.abs(res.state.costUsd! - (rounds[0].costUsd! + rounds[1].costUsd!)) < 1e-12);
  });
});

/** A server that streams the Responses events exactly as OpenAI documents them (event + data lines). */
function responsesServer(events: (body: Record<string, unknown>) => object[]): { url: () => string; bodies: Record<string, unknown>[]; start(): Promise<void>; stop(): Promise<void> } {
  const bodies: Record<string, unknown>[] = [];
  let server: http.Server;
  return {
    bodies,
    url: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    async start() {
      server = http.createServer((req, res) => {
        let raw = '';
        req.on('data', (c) => (raw += c));
        req.on('end', () => {
          const body = JSON.parse(raw) as Record<string, unknown>;
          bodies.push(body);
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          let seq = 0;
          for (const e of events(body)) res.write(`event: ${(e as { type: string }).type}\ndata: ${JSON.stringify({ ...e, sequence_number: seq++ })}\n\n`);
          res.end();
        });
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

const resp = (status: string, extra: object) => ({ id: 'resp_1', object: 'response', created_at: 1, model: 'gpt-5-codex', output: [], ...extra, status });
const delta = (t: string) => ({ type: 'response.output_text.delta', item_id: 'msg_1', output_index: 0, content_index: 0, delta: t, logprobs: [] });

describe('Responses API: the documented terminal events', () => {
  let mode: 'incomplete' | 'filter' | 'failed' | 'refusal' = 'incomplete';
  const srv = responsesServer(() => {
    const head = [{ type: 'response.created', response: resp('in_progress', {}) }];
    if (mode === 'incomplete') {
      return [...head, delta('Once upon'), delta(' a time'), {
        type: 'response.incomplete',
        response: resp('incomplete', {
          incomplete_details: { reason: 'max_output_tokens' },
          usage: { input_tokens: 1200, input_tokens_details: { cached_tokens: 1024 }, output_tokens: 64, output_tokens_details: { reasoning_tokens: 60 }, total_tokens: 1264 },
        }),
      }];
    }
    if (mode === 'filter') return [...head, delta('Part'), { type: 'response.incomplete', response: resp('incomplete', { incomplete_details: { reason: 'content_filter' }, usage: { input_tokens: 5, output_tokens: 1, total_tokens: 6 } }) }];
    if (mode === 'refusal') return [...head, { type: 'response.refusal.delta', item_id: 'msg_1', output_index: 0, content_index: 0, delta: "I can't help with that." }, { type: 'response.completed', response: resp('completed', { usage: { input_tokens: 5, output_tokens: 7, total_tokens: 12 } }) }];
    return [...head, delta('Half'), { type: 'response.failed', response: resp('failed', { error: { code: 'server_error', message: 'The model crashed.' }, usage: { input_tokens: 5, output_tokens: 1, total_tokens: 6 } }) }];
  });
  before(() => srv.start());
  after(() => srv.stop());

  it('response.incomplete with reason max_output_tokens → incomplete:max_output_tokens (length), with cached and reasoning tokens', async () => {
    mode = 'incomplete';
    const r = await collect({ provider: 'openai', model: 'gpt-5-codex', api: 'responses', baseUrl: srv.url(), messages: [{ role: 'user', content: 'x' }], maxTokens: 64, stop: [], maxRetries: 0 });
    assert.equal(r.text, 'Once upon a time');
    assert.deepEqual(r.finish, { raw: 'incomplete:max_output_tokens', reason: 'length', truncated: true });
    assert.deepEqual(r.usage, { inputTokens: 1200, outputTokens: 64, cacheReadTokens: 1024, reasoningTokens: 60 });
  });

  it('response.incomplete with reason content_filter → not continuable', async () => {
    mode = 'filter';
    const r = await collect({ provider: 'openai', model: 'gpt-5-codex', api: 'responses', baseUrl: srv.url(), messages: [{ role: 'user', content: 'x' }], maxTokens: 64, stop: [], maxRetries: 0 });
    assert.deepEqual(r.finish, { raw: 'incomplete:content_filter', reason: 'content_filter', truncated: false });
  });

  it('a refusal shows as text and ends as content_filter', async () => {
    mode = 'refusal';
    const r = await collect({ provider: 'openai', model: 'gpt-5-codex', api: 'responses', baseUrl: srv.url(), messages: [{ role: 'user', content: 'x' }], maxTokens: 64, stop: [], maxRetries: 0 });
    assert.equal(r.text, "I can't help with that.");
    assert.deepEqual(r.finish, { raw: 'completed:refusal', reason: 'content_filter', truncated: false });
  });

  it('response.failed keeps the text, reports the error with its code, and the usage', async () => {
    mode = 'failed';
    const r = await collect({ provider: 'openai', model: 'gpt-5-codex', api: 'responses', baseUrl: srv.url(), messages: [{ role: 'user', content: 'x' }], maxTokens: 64, stop: [], maxRetries: 0 });
    assert.equal(r.text, 'Half');
    assert.deepEqual(r.finish, { raw: 'failed', reason: 'error', truncated: true });
    assert.equal(r.errors.length, 1);
    assert.match(r.errors[0].message, /OpenAI could not finish the response \(server_error\): The model crashed\. The text received so far is kept\./);
    assert.equal(r.usage.outputTokens, 1);
  });
});
