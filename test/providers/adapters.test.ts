// The three adapters with their real SDKs over HTTP against aimock on 127.0.0.1.
import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { collect, lastBody, request, useMock, type Mock } from './mock';
import type { ProviderId } from '../../src/core/protocol/request';
import { usage } from './fixtures';
import { startShaped } from '../servers/shapedServer';

const PROVIDERS: ProviderId[] = ['openai', 'anthropic', 'gemini'];
const TRUNCATED_RAW: Record<string, string> = { openai: 'length', anthropic: 'max_tokens', gemini: 'MAX_TOKENS' };
const NATURAL_RAW: Record<string, string> = { openai: 'stop', anthropic: 'end_turn', gemini: 'STOP' };

const getMock = useMock();
let mock: Mock;
beforeEach(() => {
  mock = getMock();
});

for (const p of PROVIDERS) {
  describe(`${p} adapter`, () => {
    it('streams a natural end with provider usage', async () => {
      // Chunks 5 ms apart: deltas that reach the adapter in the same event-loop turn are handed on as one.
      mock.aimock.onMessage('natural', { content: 'The answer is 42.', usage: usage(11, 6) }, { chunkSize: 3, latency: 5 });
      const r = await collect(request(p, mock, { messages: [{ role: 'user', content: 'natural' }] }));
      assert.equal(r.text, 'The answer is 42.');
      assert.ok(r.events.filter((e) => e.type === 'text').length > 1, 'arrives in several deltas');
      assert.deepEqual(r.finish, { raw: NATURAL_RAW[p], reason: 'stop', truncated: false });
      assert.equal(r.usage.inputTokens, 11);
      assert.equal(r.usage.outputTokens, 6);
      assert.deepEqual(r.errors, []);
      assert.equal(r.events.at(-1)?.type, 'finish', 'finish is the last event');
      assert.equal(r.events.filter((e) => e.type === 'finish').length, 1);
    });

    it('reports a truncation at max tokens with usage', async () => {
      mock.aimock.onMessage('truncate', { content: 'Once upon a time there', finishReason: 'length', usage: usage(9, 5) });
      const r = await collect(request(p, mock, { messages: [{ role: 'user', content: 'truncate' }], maxTokens: 5 }));
      assert.equal(r.text, 'Once upon a time there');
      assert.deepEqual(r.finish, { raw: TRUNCATED_RAW[p], reason: 'length', truncated: true });
      assert.equal(r.usage.outputTokens, 5);
    });

    it('rejects a bad key with an auth error that says what to do, and no text', async () => {
      mock.aimock.onMessage('auth', { content: 'never' });
      mock.aimock.nextRequestError(401, { message: 'invalid x-api-key' });
      const r = await collect(request(p, mock, { messages: [{ role: 'user', content: 'auth' }] }));
      assert.equal(r.text, '');
      assert.equal(r.errors.length, 1);
      assert.equal(r.errors[0].kind, 'auth');
      assert.match(r.errors[0].message, /Set API Key/);
      assert.deepEqual(r.finish, { raw: 'error', reason: 'error', truncated: false });
    });

    it('waits and retries after a 429, reporting the wait, then succeeds', async () => {
      mock.aimock.onMessage('ratelimited', { content: 'after the wait', usage: usage(3, 3) });
      mock.aimock.nextRequestError(429, { message: 'rate limited' });
      const r = await collect(request(p, mock, { messages: [{ role: 'user', content: 'ratelimited' }], maxRetries: 2 }));
      assert.equal(r.text, 'after the wait');
      assert.equal(r.retries.length, 1);
      assert.equal(r.retries[0].status, 429);
      assert.ok(r.retries[0].waitSeconds >= 0 && r.retries[0].waitSeconds <= 30);
      assert.deepEqual(r.errors, []);
      const posts = mock.aimock.getRequests().filter((q) => q.method === 'POST');
      assert.equal(posts.length, 2, 'one refused attempt + one retry');
    });

    it('gives a rate-limit error when retries are exhausted', async () => {
      mock.aimock.onMessage('still429', { content: 'never' });
      mock.aimock.nextRequestError(429, { message: 'rate limited' });
      const r = await collect(request(p, mock, { messages: [{ role: 'user', content: 'still429' }], maxRetries: 0 }));
      assert.equal(r.errors[0]?.kind, 'rate_limit');
      assert.match(r.errors[0].message, /rate limit/i);
      assert.equal(r.text, '');
    });

    it('keeps the text received before the connection broke', async () => {
      mock.aimock.onMessage('broken', { content: 'abcdefghijklmnopqrstuvwxyz0123456789' }, { chunkSize: 4, truncateAfterChunks: 4, latency: 5 });
      const r = await collect(request(p, mock, { messages: [{ role: 'user', content: 'broken' }] }));
      assert.ok(r.text.length > 0, 'some text arrived');
      assert.ok('abcdefghijklmnopqrstuvwxyz0123456789'.startsWith(r.text), `prefix kept: ${r.text}`);
      assert.ok(r.text.length < 36);
      assert.equal(r.errors.length, 1);
      assert.equal(r.errors[0].kind, 'network');
      assert.deepEqual(r.finish, { raw: 'error', reason: 'error', truncated: true });
    });

    it('cancels mid-stream: aborts the request and keeps what arrived', async () => {
      const content = 'word '.repeat(200);
      mock.aimock.onMessage('slow', { content }, { chunkSize: 5, streamingProfile: { tps: 40 } });
      const ac = new AbortController();
      let seen = 0;
      const started = Date.now();
      const r = await collect(request(p, mock, { messages: [{ role: 'user', content: 'slow' }] }), {
        signal: ac.signal,
        onText: () => {
          if (++seen === 3) ac.abort();
        },
      });
      assert.ok(Date.now() - started < 4000, 'stopped promptly rather than reading the whole stream');
      assert.ok(r.text.length >= 10 && r.text.length < content.length);
      assert.ok(content.startsWith(r.text));
      assert.deepEqual(r.finish, { raw: 'cancelled', reason: 'cancelled', truncated: false });
      assert.deepEqual(r.errors, [], 'a cancel is not reported as an error');
    });
  });
}

describe('wire format', () => {
  it('openai classic: max_tokens, stop, temperature, top_p, system, include_usage', async () => {
    mock.aimock.onMessage('w1', { content: 'ok' });
    await collect(request('openai', mock, {
      messages: [{ role: 'user', content: 'w1' }],
      system: 'Be brief.',
      maxTokens: 321,
      stop: ['END', '\n\n'],
      temperature: 0.3,
      topP: 0.9,
    }));
    const b = lastBody(mock);
    assert.equal(b.max_tokens, 321);
    assert.equal(b.max_completion_tokens, undefined);
    assert.deepEqual(b.stop, ['END', '\n\n']);
    assert.equal(b.temperature, 0.3);
    assert.equal(b.top_p, 0.9);
    assert.deepEqual(b.stream_options, { include_usage: true });
    assert.deepEqual((b.messages as unknown[])[0], { role: 'system', content: 'Be brief.' });
  });

  it('openai reasoning model: max_completion_tokens, developer message, no stop/temperature/top_p', async () => {
    mock.aimock.onMessage('w2', { content: 'ok' });
    await collect(request('openai', mock, {
      model: 'gpt-5.2',
      reasoningModel: true,
      messages: [{ role: 'user', content: 'w2' }],
      system: 'Be brief.',
      maxTokens: 4000,
      stop: [],
    }));
    const b = lastBody(mock);
    assert.equal(b.max_completion_tokens, 4000);
    assert.equal(b.max_tokens, undefined);
    assert.equal(b.stop, undefined);
    assert.equal(b.temperature, undefined);
    assert.equal(b.top_p, undefined);
    assert.deepEqual((b.messages as unknown[])[0], { role: 'developer', content: 'Be brief.' });
  });

  it('openai-compatible without a key sends no Authorization header (a local server without auth)', async () => {
    mock.aimock.onMessage('no key', { content: 'keyless' });
    const r = await collect(request('openai-compatible', mock, { model: 'llama3.1:8b', messages: [{ role: 'user', content: 'no key' }] }), { apiKey: '' });
    assert.equal(r.text, 'keyless');
    assert.equal(mock.wire().at(-1)?.headers.authorization, undefined);
    await collect(request('openai-compatible', mock, { model: 'llama3.1:8b', messages: [{ role: 'user', content: 'no key' }] }), { apiKey: 'sk-local' });
    assert.equal(mock.wire().at(-1)?.headers.authorization, 'Bearer sk-local');
  });

  it('openai-compatible goes to the configured base URL with the same body', async () => {
    mock.aimock.onMessage('w3', { content: 'compatible' });
    const r = await collect(request('openai-compatible', mock, { model: 'llama3.1:8b', messages: [{ role: 'user', content: 'w3' }], maxTokens: 77 }));
    assert.equal(r.text, 'compatible');
    assert.equal(mock.wire().at(-1)?.path, '/v1/chat/completions');
    assert.equal(lastBody(mock).max_tokens, 77);
    assert.equal(lastBody(mock).model, 'llama3.1:8b');
  });

  it('anthropic: max_tokens, stop_sequences, system, thinking', async () => {
    mock.aimock.onMessage('w4', { content: 'ok' });
    await collect(request('anthropic', mock, {
      messages: [{ role: 'user', content: 'w4' }],
      system: 'Be brief.',
      maxTokens: 2048,
      stop: ['\nHuman:'],
      temperature: 0.5,
      thinkingBudget: 1024,
    }));
    const b = lastBody(mock);
    assert.equal(b.max_tokens, 2048);
    assert.deepEqual(b.stop_sequences, ['\nHuman:']);
    assert.equal(b.system, 'Be brief.');
    assert.equal(b.temperature, 0.5);
    assert.deepEqual(b.thinking, { type: 'enabled', budget_tokens: 1024 });
  });

  it('anthropic: a stop_sequence finish names the matched sequence kind', async () => {
    mock.aimock.onMessage('w5', { content: 'Alice: hi', finishReason: 'stop_sequence' });
    const r = await collect(request('anthropic', mock, { messages: [{ role: 'user', content: 'w5' }], stop: ['\nBob:'] }));
    assert.equal(r.finish?.raw, 'stop_sequence');
    assert.equal(r.finish?.reason, 'stop');
  });

  it('gemini: maxOutputTokens, stopSequences, systemInstruction, thinkingBudget', async () => {
    mock.aimock.onMessage('w6', { content: 'ok' });
    await collect(request('gemini', mock, {
      messages: [{ role: 'user', content: 'w6' }],
      system: 'Be brief.',
      maxTokens: 512,
      stop: ['11.'],
      topP: 0.8,
      thinkingBudget: 128,
    }));
    const b = lastBody(mock) as { generationConfig: Record<string, unknown>; systemInstruction: unknown };
    assert.equal(b.generationConfig.maxOutputTokens, 512);
    assert.deepEqual(b.generationConfig.stopSequences, ['11.']);
    assert.equal(b.generationConfig.topP, 0.8);
    assert.deepEqual(b.generationConfig.thinkingConfig, { thinkingBudget: 128 });
    assert.match(JSON.stringify(b.systemInstruction), /Be brief\./);
  });

  it('gemini: content-filter finish values are not reported as a normal stop', async () => {
    mock.aimock.onMessage('w7', { content: 'partial', finishReason: 'content_filter' });
    const r = await collect(request('gemini', mock, { messages: [{ role: 'user', content: 'w7' }] }));
    assert.deepEqual(r.finish, { raw: 'SAFETY', reason: 'content_filter', truncated: false });
  });

  it('gemini: the usage it repeats on every chunk (as the API streams it) is reported once, with the final figures', async () => {
    // Gemini's stream carries a cumulative usageMetadata on every chunk; aimock sends it only at the end, so this
    // stream comes from a server shaped like the documented one.
    const texts = ['one two ', 'three four ', 'five six'];
    const srv = await startShaped({
      'POST /v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse': (_q, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        texts.forEach((t, i) => {
          const last = i === texts.length - 1;
          const chunk = {
            candidates: [{ content: { parts: [{ text: t }], role: 'model' }, index: 0, ...(last ? { finishReason: 'STOP' } : {}) }],
            usageMetadata: { promptTokenCount: 11, candidatesTokenCount: 2 * (i + 1), totalTokenCount: 11 + 2 * (i + 1) },
            modelVersion: 'gemini-2.5-flash',
          };
          res.write(`data: ${JSON.stringify(chunk)}\r\n\r\n`);
        });
        res.end();
      },
    });
    try {
      const r = await collect({ ...request('gemini', mock, { messages: [{ role: 'user', content: 'w9' }] }), baseUrl: srv.origin });
      const usages = r.events.filter((e) => e.type === 'usage');
      assert.equal(usages.length, 1, `${usages.length} usage events`);
      assert.deepEqual([r.usage.inputTokens, r.usage.outputTokens], [11, 6]);
      assert.equal(r.text, 'one two three four five six');
    } finally {
      await srv.stop();
    }
  });

  it('multi-turn messages keep their roles (continuation rounds)', async () => {
    mock.aimock.onMessage('w8', { content: 'more' });
    const messages = [
      { role: 'user' as const, content: 'w8' },
      { role: 'assistant' as const, content: 'first part' },
    ];
    await collect(request('gemini', mock, { messages }));
    const g = lastBody(mock) as { contents: { role: string }[] };
    assert.deepEqual(g.contents.map((c) => c.role), ['user', 'model']);
    await collect(request('anthropic', mock, { messages }));
    const a = lastBody(mock) as { messages: { role: string; content: string }[] };
    assert.deepEqual(a.messages, messages);
  });
});

