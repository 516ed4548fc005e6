import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  followUpProbes,
  listProbe,
  mergeLimits,
  parseLlamaProps,
  parseLmStudioModel,
  parseModelList,
  parseOllamaShow,
  withDiscovered,
} from '../../../src/core/models/discovery';
import { findModel } from '../../../src/core/models/models';

// Shapes as the servers document / send them (llama-server b11669 as seen on this machine; the others from their docs).
const LLAMA_LIST = { object: 'list', data: [{ id: 'tiny', object: 'model', owned_by: 'llamacpp', meta: { n_vocab: 263, n_ctx: 512, n_ctx_train: 2048 } }] };
const VLLM_LIST = { object: 'list', data: [{ id: 'meta-llama/Llama-3.1-8B-Instruct', object: 'model', owned_by: 'vllm', max_model_len: 32768 }] };
const OPENROUTER_LIST = {
  data: [
    { id: 'openai/gpt-4o', canonical_slug: 'openai/gpt-4o-2024-05-13', context_length: 128000, top_provider: { context_length: 128000, max_completion_tokens: 16384, is_moderated: true }, pricing: { prompt: '0.0000025', completion: '0.00001' } },
    { id: 'meta-llama/llama-3.1-8b-instruct', context_length: 131072, top_provider: { context_length: 131072, max_completion_tokens: null } },
  ],
};
const OLLAMA_SHOW = { modelfile: '…', parameters: 'stop "<|eot_id|>"\nnum_ctx 8192', model_info: { 'general.architecture': 'llama', 'llama.context_length': 131072 } };

test('llama-server: meta.n_ctx (the server window) before meta.n_ctx_train; /props follows', () => {
  const r = parseModelList(LLAMA_LIST, 'tiny');
  assert.equal(r.kind, 'llama-server');
  assert.deepEqual(r.limits, { server: 'llama-server', source: "the server's /v1/models (meta.n_ctx)", ignored: [], contextWindow: 512 });
  const older = parseModelList({ data: [{ id: 'tiny', meta: { n_ctx_train: 2048 } }] }, 'tiny');
  assert.equal(older.limits?.contextWindow, 2048);
  assert.match(older.limits!.source, /n_ctx_train/);
  assert.deepEqual(followUpProbes('http://127.0.0.1:8080/v1', 'tiny', 'llama-server', true), [{ server: 'llama-server', method: 'GET', url: 'http://127.0.0.1:8080/props' }]);
  assert.deepEqual(parseLlamaProps({ default_generation_settings: { n_ctx: 4096 } }), { server: 'llama-server', source: "the server's /props (n_ctx)", ignored: [], contextWindow: 4096 });
});

test('vLLM: max_model_len', () => {
  const r = parseModelList(VLLM_LIST, 'meta-llama/Llama-3.1-8B-Instruct');
  assert.deepEqual([r.kind, r.limits?.contextWindow, r.limits?.maxOutputTokens], ['vllm', 32768, undefined]);
});

test('OpenRouter: top_provider context and max completion; id, canonical slug; a null max output is not reported', () => {
  const r = parseModelList(OPENROUTER_LIST, 'openai/gpt-4o');
  assert.deepEqual([r.kind, r.limits?.contextWindow, r.limits?.maxOutputTokens], ['openrouter', 128000, 16384]);
  assert.equal(parseModelList(OPENROUTER_LIST, 'openai/gpt-4o-2024-05-13').limits?.contextWindow, 128000);
  const llama = parseModelList(OPENROUTER_LIST, 'meta-llama/llama-3.1-8b-instruct').limits!;
  assert.deepEqual([llama.contextWindow, llama.maxOutputTokens, llama.ignored], [131072, undefined, []]);
});

test('Ollama: num_ctx in the parameters wins (the server applies it), else <arch>.context_length', () => {
  assert.deepEqual(parseOllamaShow(OLLAMA_SHOW), { server: 'ollama', source: "Ollama's /api/show (num_ctx)", ignored: [], contextWindow: 8192 });
  const noParams = parseOllamaShow({ model_info: { 'general.architecture': 'qwen2', 'qwen2.context_length': 32768 } })!;
  assert.deepEqual([noParams.contextWindow, noParams.source], [32768, "Ollama's /api/show (qwen2.context_length)"]);
});

test('LM Studio: the loaded context before the model maximum', () => {
  assert.equal(parseLmStudioModel({ id: 'qwen2.5-7b', max_context_length: 32768, loaded_context_length: 4096 }, 'qwen2.5-7b')?.contextWindow, 4096);
  assert.equal(parseLmStudioModel({ id: 'qwen2.5-7b', max_context_length: 32768 }, 'qwen2.5-7b')?.contextWindow, 32768);
  assert.equal(parseLmStudioModel({ id: 'other', max_context_length: 32768 }, 'qwen2.5-7b'), undefined, 'another model');
});

test('plain list servers (Ollama and LM Studio on /v1/models) get the follow-up probes; a down server none', () => {
  const r = parseModelList({ object: 'list', data: [{ id: 'llama3.1:8b', object: 'model', owned_by: 'library' }] }, 'llama3.1:8b');
  assert.deepEqual(r, { listed: true });
  assert.deepEqual(
    followUpProbes('http://localhost:11434/v1', 'llama3.1:8b', undefined, false).map((p) => `${p.method} ${p.url}`),
    ['POST http://localhost:11434/api/show', 'GET http://localhost:11434/api/v0/models/llama3.1%3A8b'],
  );
  assert.deepEqual(listProbe('http://localhost:11434/v1/'), { server: 'openai-list', method: 'GET', url: 'http://localhost:11434/v1/models' });
  assert.equal(listProbe('not a url'), undefined);
});

test('malformed and missing fields: no crash, nothing reported', () => {
  for (const junk of [null, undefined, 42, 'text', [], {}, { data: 'x' }, { data: [null, 1, 'a'] }, { data: [{ id: 'tiny' }] }, { data: [{ id: 'other', max_model_len: 1000 }] }]) {
    assert.equal(parseModelList(junk, 'tiny').limits, undefined, JSON.stringify(junk));
  }
  for (const junk of [null, 7, [], {}, { default_generation_settings: null }, { default_generation_settings: { n_ctx: null } }]) {
    assert.equal(parseLlamaProps(junk), undefined, JSON.stringify(junk));
  }
  for (const junk of [null, {}, { model_info: null }, { parameters: 42 }, { model_info: { 'general.architecture': 7 } }]) {
    assert.equal(parseOllamaShow(junk), undefined, JSON.stringify(junk));
  }
});

test('a lying server: negative, zero, fractional, huge and text figures are ignored, with the reason kept', () => {
  const neg = parseModelList({ data: [{ id: 'm', max_model_len: -4096 }] }, 'm').limits!;
  assert.equal(neg.contextWindow, undefined);
  assert.deepEqual(neg.ignored, ['max_model_len -4096 ignored: not positive']);
  const cases: [unknown, RegExp][] = [
    [0, /not positive/],
    [8, /below 16/],
    [4096.5, /not a whole number/],
    [1e12, /above 100,000,000/],
    ['lots', /not a whole number/],
    [Number.NaN, /not a whole number/],
  ];
  for (const [v, why] of cases) {
    const r = parseLlamaProps({ default_generation_settings: { n_ctx: v } })!;
    assert.equal(r.contextWindow, undefined, String(v));
    assert.match(r.ignored[0], why, String(v));
  }
  assert.equal(parseLlamaProps({ default_generation_settings: { n_ctx: '8192' } })?.contextWindow, 8192, 'a number sent as text is still a number');
  const bigOut = parseModelList({ data: [{ id: 'm', context_length: 4096, top_provider: { max_completion_tokens: 9000 } }] }, 'm').limits!;
  assert.deepEqual([bigOut.contextWindow, bigOut.maxOutputTokens], [4096, undefined]);
  assert.match(bigOut.ignored[0], /max output 9000 ignored: larger than the context window 4096/);
});

test('merge: /props (n_ctx) replaces the list figure, keeps a max output', () => {
  const a = { server: 'openrouter' as const, source: 'list', ignored: [], contextWindow: 8192, maxOutputTokens: 1000 };
  const b = { server: 'llama-server' as const, source: "the server's /props (n_ctx)", ignored: [], contextWindow: 512 };
  assert.deepEqual(mergeLimits(a, b), { server: 'llama-server', source: "the server's /props (n_ctx)", ignored: [], contextWindow: 512 });
  assert.equal(mergeLimits(undefined, b), b);
});

test('withDiscovered: an unknown model becomes custom with the server figures; a catalog model takes them over its own', () => {
  const d = { server: 'llama-server' as const, source: "the server's /props (n_ctx)", ignored: [], contextWindow: 8192 };
  const m = withDiscovered(undefined, 'tiny', d)!;
  assert.deepEqual([m.contextWindow, m.maxOutputTokens, m.custom, m.discovered], [8192, 8192, true, "context 8192 from the server's /props (n_ctx)"]);
  const cat = withDiscovered(findModel('openai-compatible', 'gpt-4o'), 'gpt-4o', d)!;
  assert.deepEqual([cat.id, cat.contextWindow, cat.maxOutputTokens], ['gpt-4o', 8192, 8192]);
  assert.equal(withDiscovered(undefined, 'x', { server: 'vllm', source: 's', ignored: ['x'] }), undefined, 'nothing usable: unknown as before');
});
