// Limits read from the server: a real llama-server (installed by test/servers/llama.mjs, the model written by
// test/servers/gguf.mjs), and small servers shaped like the documented OpenRouter, Ollama, vLLM and LM Studio
// endpoints. Also: a down server, a server that never answers, and one that lies.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { planRequest } from '../../src/core/generation/plan';
import { DEFAULT_SETTINGS } from '../../src/core/settings/settings';
import { discoverLimits, LimitDiscovery } from '../../src/providers/discovery';
import { json, startShaped, type Shaped } from '../servers/shapedServer';
import { collect } from './mock';
import { ensureLlama, startLlama } from '../servers/llama.mjs';
// @ts-expect-error: plain ESM test helper without types
import { N_CTX_TRAIN } from '../servers/gguf.mjs';

describe('llama-server (real)', () => {
  let llama: { url: string; stop(): Promise<void> };
  before(async () => {
    await ensureLlama();
    llama = await startLlama({ ctxSize: 512 });
  });
  after(() => llama?.stop());

  it('context from /props (n_ctx of the slot), not the model\'s n_ctx_train', async () => {
    const d = await discoverLimits(`${llama.url}/v1`, 'tiny');
    assert.deepEqual(d, { server: 'llama-server', source: "the server's /props (n_ctx)", ignored: [], contextWindow: 512 });
    assert.notEqual(d?.contextWindow, N_CTX_TRAIN);
  });

  it('the discovered window clamps max tokens before sending; the server then really stops at it (finish length)', async () => {
    const settings = { ...DEFAULT_SETTINGS, provider: 'openai-compatible' as const, baseUrl: `${llama.url}/v1`, model: 'tiny', maxTokens: 4000 };
    const discovered = await new LimitDiscovery().limitsFor(settings.baseUrl, 'tiny');
    const plan = planRequest({ settings, prompt: 'hi there', inputTokens: 40, inputTokensExact: false, discovered });
    assert.deepEqual(plan.errors, []);
    assert.ok(plan.notes.includes(`limits of "tiny": context 512 from the server's /props (n_ctx).`), plan.notes.join('\n'));
    const sentMax = plan.request!.maxTokens;
    assert.ok(sentMax < 512 - 40 && sentMax > 300, `clamped to the room left: ${sentMax}`);
    // The real server applies max_tokens itself: the answer streams to its cap.
    const r = await collect({ ...plan.request!, maxTokens: 12 });
    assert.match(r.text, /^ Hello from llama\./);
    assert.deepEqual(r.finish, { raw: 'length', reason: 'length', truncated: true });
    assert.equal(r.usage.outputTokens, 12);
  });
});

describe('servers shaped like the documented endpoints', () => {
  let srv: Shaped;
  before(async () => {
    srv = await startShaped({
      // OpenRouter GET /api/v1/models (public, no key).
      'GET /openrouter/api/v1/models': json({
        data: [
          { id: 'openai/gpt-4o', name: 'OpenAI: GPT-4o', context_length: 128000, pricing: { prompt: '0.0000025', completion: '0.00001' }, top_provider: { context_length: 128000, max_completion_tokens: 16384, is_moderated: true } },
        ],
      }),
      // Ollama: the OpenAI-style list carries no limits; POST /api/show does.
      'GET /v1/models': json({ object: 'list', data: [{ id: 'llama3.1:8b', object: 'model', created: 1, owned_by: 'library' }, { id: 'qwen2.5-7b', object: 'model', owned_by: 'organization_owner' }] }),
      'POST /api/show': (req, res) => {
        const model = (req.body as { model?: string })?.model;
        if (model !== 'llama3.1:8b') return json({ error: `model '${model}' not found` }, 404)(req, res);
        json({ modelfile: '# Modelfile', parameters: 'num_ctx 8192\nstop "<|eot_id|>"', template: '…', details: { family: 'llama' }, model_info: { 'general.architecture': 'llama', 'llama.context_length': 131072 } })(req, res);
      },
      // LM Studio: /api/v0/models/{id}.
      'GET /api/v0/models/qwen2.5-7b': json({ id: 'qwen2.5-7b', object: 'model', type: 'llm', state: 'loaded', max_context_length: 32768, loaded_context_length: 4096 }),
      // vLLM.
      'GET /vllm/v1/models': json({ object: 'list', data: [{ id: 'meta-llama/Llama-3.1-8B-Instruct', object: 'model', owned_by: 'vllm', max_model_len: 16384 }] }),
      // A server that lies: a negative window.
      'GET /liar/v1/models': json({ object: 'list', data: [{ id: 'm', object: 'model', max_model_len: -4096 }] }),
      // A server that answers with an HTML error page.
      'GET /html/v1/models': (_q, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html>oops</html>');
      },
    });
  });
  after(() => srv.stop());

  const paths = () => srv.seen.map((s) => `${s.method} ${s.path}`);

  it('OpenRouter: one GET of the model list; context and max output, no key sent', async () => {
    srv.seen.length = 0;
    const d = await discoverLimits(`${srv.origin}/openrouter/api/v1`, 'openai/gpt-4o');
    assert.deepEqual([d?.server, d?.contextWindow, d?.maxOutputTokens], ['openrouter', 128000, 16384]);
    assert.deepEqual(paths(), ['GET /openrouter/api/v1/models']);
    assert.equal(srv.seen[0].headers.authorization, undefined);
  });

  it('Ollama: the list, then POST /api/show with the model; num_ctx is the window', async () => {
    srv.seen.length = 0;
    const d = await discoverLimits(`${srv.origin}/v1`, 'llama3.1:8b');
    assert.deepEqual(d, { server: 'ollama', source: "Ollama's /api/show (num_ctx)", ignored: [], contextWindow: 8192 });
    assert.deepEqual(paths(), ['GET /v1/models', 'POST /api/show']);
    assert.deepEqual(srv.seen[1].body, { model: 'llama3.1:8b' });
  });

  it('LM Studio: the list, /api/show refused, then /api/v0/models/{id}: the loaded context', async () => {
    srv.seen.length = 0;
    const d = await discoverLimits(`${srv.origin}/v1`, 'qwen2.5-7b');
    assert.deepEqual([d?.server, d?.contextWindow], ['lmstudio', 4096]);
    assert.deepEqual(paths(), ['GET /v1/models', 'POST /api/show', 'GET /api/v0/models/qwen2.5-7b']);
  });

  it('vLLM: max_model_len from the list, nothing more asked', async () => {
    srv.seen.length = 0;
    const d = await discoverLimits(`${srv.origin}/vllm/v1`, 'meta-llama/Llama-3.1-8B-Instruct');
    assert.deepEqual([d?.server, d?.contextWindow], ['vllm', 16384]);
    assert.deepEqual(paths(), ['GET /vllm/v1/models']);
  });

  it('a lying server: a negative context length is ignored (limits unknown as before), the reason kept for the note', async () => {
    const d = await discoverLimits(`${srv.origin}/liar/v1`, 'm');
    assert.deepEqual(d, { server: 'vllm', source: "the server's /v1/models (max_model_len)", ignored: ['max_model_len -4096 ignored: not positive'] });
    const settings = { ...DEFAULT_SETTINGS, provider: 'openai-compatible' as const, baseUrl: `${srv.origin}/liar/v1`, model: 'm', maxTokens: 2000 };
    const plan = planRequest({ settings, prompt: 'x', inputTokens: 1, inputTokensExact: false, discovered: d });
    assert.equal(plan.request?.maxTokens, 2000);
    assert.ok(plan.notes.some((n) => /limits of model "m" are unknown/.test(n)));
  });

  it('an HTML answer or an unknown model: no crash, nothing reported', async () => {
    assert.equal(await discoverLimits(`${srv.origin}/html/v1`, 'm'), undefined);
    assert.equal(await discoverLimits(`${srv.origin}/vllm/v1`, 'not-served'), undefined);
  });

  it('the session cache asks once per base URL + model', async () => {
    srv.seen.length = 0;
    const cache = new LimitDiscovery();
    const [a, b] = await Promise.all([cache.limitsFor(`${srv.origin}/vllm/v1`, 'meta-llama/Llama-3.1-8B-Instruct'), cache.limitsFor(`${srv.origin}/vllm/v1/`, 'meta-llama/Llama-3.1-8B-Instruct')]);
    await cache.limitsFor(`${srv.origin}/vllm/v1`, 'meta-llama/Llama-3.1-8B-Instruct');
    assert.equal(a?.contextWindow, 16384);
    assert.equal(b, a);
    assert.deepEqual(paths(), ['GET /vllm/v1/models']);
  });
});

describe('servers that do not answer', () => {
  it('a down server (connection refused): one request, undefined, no throw', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer();
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    let calls = 0;
    const counting: typeof fetch = (input, init) => {
      calls++;
      return fetch(input, init);
    };
    assert.equal(await discoverLimits(`http://127.0.0.1:${port}/v1`, 'm', { fetch: counting }), undefined);
    assert.equal(calls, 1);
  });

  it('a server that accepts but never answers: the send waits at most the wait limit; one request; the late run is cached', async () => {
    const sockets: net.Socket[] = [];
    let requests = 0;
    const silent = net.createServer((sock) => {
      sockets.push(sock);
      sock.once('data', () => requests++);
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/v1`;
    try {
      const cache = new LimitDiscovery({ waitMs: 300, timeoutMs: 600 });
      const t0 = Date.now();
      assert.equal(await cache.limitsFor(base, 'm'), undefined);
      const waited = Date.now() - t0;
      assert.ok(waited < 1000, `waited ${waited} ms`);
      // The probe times out on its own; after that the absence of an answer is cached: no second request.
      assert.equal(await cache.settled(base, 'm'), undefined);
      assert.equal(await cache.limitsFor(base, 'm'), undefined);
      assert.equal(requests, 1);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });
});
