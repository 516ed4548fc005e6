// The server's own tokenizer and its keyed discovery: a real llama-server started with --api-key (its /tokenize and
// /apply-template), and a small server shaped like vLLM's documented /tokenize.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ServerTokenizer } from '../../src/providers/serverTokens';
import { discoverServer } from '../../src/providers/discovery';
import { createAdapter } from '../../src/providers';
import { loadTokenizer } from '../../src/core/tokens/tokens';
import { json, startShaped, type Shaped } from '../servers/shapedServer';
import { ensureLlama, startLlama } from '../servers/llama.mjs';

const KEY = 'sk-local-test-0000';

describe('llama-server with --api-key (real)', () => {
  let llama: { url: string; stop(): Promise<void> };
  before(async () => {
    await ensureLlama();
    llama = await startLlama({ ctxSize: 2048, apiKey: KEY });
  });
  after(() => llama?.stop());

  it('discovery carries the key: the list and /props answer, the window is the server\'s 2,048', async () => {
    const o = await discoverServer(`${llama.url}/v1`, 'tiny', { key: KEY });
    assert.equal(o.refused, undefined);
    assert.deepEqual([o.kind, o.models, o.limits?.contextWindow, o.limits?.source], ['llama-server', ['tiny'], 2048, "the server's /props (n_ctx)"]);
  });

  it('discovery without the key: refused (401), and it says no key went', async () => {
    const o = await discoverServer(`${llama.url}/v1`, 'tiny');
    assert.deepEqual([o.reachable, o.refused, o.limits], [true, { status: 401, keySent: false }, undefined]);
    const wrong = await discoverServer(`${llama.url}/v1`, 'tiny', { key: 'sk-wrong-1111' });
    assert.deepEqual(wrong.refused, { status: 401, keySent: true });
  });

  it("a chat request's count equals the prompt_tokens the server reports for it; the text count is the server's", async () => {
    const t = new ServerTokenizer('llama-server', `${llama.url}/v1`, 'tiny', KEY);
    const system = 'Answer briefly.';
    const content = 'A paragraph of text that the tiny model tokenizes nearly byte by byte.\n\nAnd a second one.';
    const counted = await t.countChat(system, [{ role: 'user', content }]);
    let reported = -1;
    for await (const e of createAdapter('openai-compatible').stream({ provider: 'openai-compatible', model: 'tiny', baseUrl: `${llama.url}/v1`, system, messages: [{ role: 'user', content }], maxTokens: 2, stop: [] }, { apiKey: KEY })) {
      if (e.type === 'usage' && e.usage.inputTokens) reported = e.usage.inputTokens;
    }
    assert.equal(counted, reported);
    const text = await t.countText(content);
    const local = (await loadTokenizer('o200k_base')).count(content);
    assert.ok(text! > local * 3, `the server's tokenizer (${text}) is not o200k's (${local})`);
    assert.equal(t.label, "llama-server's own tokenizer");
  });

  it('without the key the count is not had (undefined), never a guess', async () => {
    const t = new ServerTokenizer('llama-server', `${llama.url}/v1`, 'tiny', '');
    assert.equal(await t.countText('hello'), undefined);
    assert.equal(await t.countChat('', [{ role: 'user', content: 'hello' }]), undefined);
  });
});

describe("vLLM's /tokenize (a server shaped like the documented endpoint)", () => {
  let srv: Shaped;
  before(async () => {
    srv = await startShaped({
      'POST /tokenize': (req, res) => {
        const b = req.body as { prompt?: string; messages?: { content: string }[] };
        const n = b.messages ? b.messages.reduce((a, m) => a + m.content.length, 0) + 5 : (b.prompt ?? '').length;
        json({ count: n, max_model_len: 4096, tokens: Array.from({ length: n }, (_, i) => i) })(req, res);
      },
    });
  });
  after(() => srv.stop());

  it('text: {model, prompt, add_special_tokens: false}; chat: {model, messages, add_generation_prompt: true}; the key goes along', async () => {
    const t = new ServerTokenizer('vllm', `${srv.origin}/v1`, 'meta-llama/Llama-3.1-8B-Instruct', 'sk-vllm-1234');
    assert.equal(await t.countText('abcd'), 4);
    assert.equal(await t.countChat('sys', [{ role: 'user', content: 'hi' }]), 10);
    assert.deepEqual(srv.seen.map((s) => s.body), [
      { model: 'meta-llama/Llama-3.1-8B-Instruct', prompt: 'abcd', add_special_tokens: false },
      { model: 'meta-llama/Llama-3.1-8B-Instruct', messages: [{ role: 'system', content: 'sys' }, { role: 'user', content: 'hi' }], add_generation_prompt: true },
    ]);
    assert.equal(srv.seen[0].headers.authorization, 'Bearer sk-vllm-1234');
  });
});
