// What a local server's refusals become: a real llama-server started with --api-key (test/servers/llama.mjs) that
// refuses a request without its key (401) or one over its window (400 exceed_context_size_error), and a port where
// nothing listens.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { createAdapter } from '../../src/providers';
import type { GenerationRequest, ProviderEvent } from '../../src/core/protocol/request';
import { ensureLlama, startLlama } from '../servers/llama.mjs';

const KEY = 'sk-local-test-0000';

async function run(req: GenerationRequest, apiKey: string): Promise<{ text: string; events: ProviderEvent[] }> {
  const events: ProviderEvent[] = [];
  let text = '';
  for await (const e of createAdapter('openai-compatible').stream(req, { apiKey })) {
    events.push(e);
    if (e.type === 'text') text += e.text;
  }
  return { text, events };
}

const errorOf = (events: ProviderEvent[]) => events.find((e): e is Extract<ProviderEvent, { type: 'error' }> => e.type === 'error')?.error;

describe('a local server refuses: the message says what happened', () => {
  let llama: { url: string; stop(): Promise<void> };
  before(async () => {
    await ensureLlama();
    llama = await startLlama({ ctxSize: 512, apiKey: KEY });
  });
  after(() => llama?.stop());

  const req = (content: string, maxTokens = 8): GenerationRequest => ({ provider: 'openai-compatible', model: 'tiny', baseUrl: `${llama.url}/v1`, messages: [{ role: 'user', content }], maxTokens, stop: [], maxRetries: 0 });

  it('401 with no key stored: "needs an API key", not "rejected the API key"', async () => {
    const r = await run(req('hello'), '');
    const e = errorOf(r.events);
    assert.equal(e?.kind, 'auth');
    assert.doesNotMatch(e!.message, /rejected the API key/);
    assert.match(e!.message, /no API key was sent/i);
    assert.match(e!.message, /Set API Key/);
  });

  it('401 with a wrong key: the stored key was rejected', async () => {
    const e = errorOf((await run(req('hello'), 'sk-wrong-key-1111')).events);
    assert.equal(e?.kind, 'auth');
    assert.match(e!.message, /rejected the API key/);
  });

  it("a request over the server's window is a context_length error with the server's own figures", async () => {
    const e = errorOf((await run(req('word '.repeat(200)), KEY)).events);
    assert.equal(e?.kind, 'context_length', e?.message);
    assert.equal(e?.context?.window, 512);
    assert.ok((e?.context?.requestTokens ?? 0) > 512, JSON.stringify(e));
  });
});

describe('a server that is not running', () => {
  let port = 0;
  before(async () => {
    // A port that was free a moment ago: nothing listens there.
    const srv = net.createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    port = (srv.address() as AddressInfo).port;
    await new Promise<void>((r) => srv.close(() => r()));
  });

  it('says it could not connect and that nothing was received, not that a connection broke', async () => {
    const r = await run({ provider: 'openai-compatible', model: 'tiny', baseUrl: `http://127.0.0.1:${port}/v1`, messages: [{ role: 'user', content: 'hi' }], maxTokens: 8, stop: [], maxRetries: 0 }, '');
    const e = errorOf(r.events);
    assert.equal(e?.kind, 'network');
    assert.doesNotMatch(e!.message, /broke|received so far is kept/);
    assert.match(e!.message, new RegExp(`could not connect.*127\\.0\\.0\\.1:${port}`, 'i'));
    assert.match(e!.message, /running/);
  });
});
