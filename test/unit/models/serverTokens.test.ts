// The server's own tokenizer as core describes it: which servers have one, the requests, the answers believed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chatCalls, parseTemplate, parseTokenCount, textCall, tokenizes } from '../../../src/core/models/serverTokens';
import { listKind, servedModels } from '../../../src/core/models/discovery';

test('llama-server and vLLM document a tokenize endpoint; Ollama, LM Studio and OpenRouter do not', () => {
  assert.deepEqual((['llama-server', 'vllm', 'ollama', 'lmstudio', 'openrouter', undefined] as const).map(tokenizes), [true, true, false, false, false, false]);
});

test('the requests: at the origin, whatever the base path', () => {
  assert.deepEqual(textCall('llama-server', 'http://127.0.0.1:8080/v1', 'tiny', 'hi'), { url: 'http://127.0.0.1:8080/tokenize', body: { content: 'hi', add_special: false } });
  const c = chatCalls('llama-server', 'http://127.0.0.1:8080/v1/', 'tiny', '', [{ role: 'user', content: 'hi' }])!;
  assert.deepEqual(c.template, { url: 'http://127.0.0.1:8080/apply-template', body: { messages: [{ role: 'user', content: 'hi' }] } });
  assert.deepEqual(c.count('user: hi\nassistant:'), { url: 'http://127.0.0.1:8080/tokenize', body: { content: 'user: hi\nassistant:', add_special: true } });
  assert.equal(textCall('vllm', 'not a url', 'm', 'x'), undefined);
});

test('answers: a whole count in range, or nothing', () => {
  assert.equal(parseTokenCount({ tokens: [1, 2, 3] }), 3);
  assert.equal(parseTokenCount({ count: 7, tokens: [] }), 7);
  for (const bad of [null, 'x', { count: -1 }, { count: 1.5 }, { count: 1e12 }, { tokens: 'abc' }, {}]) assert.equal(parseTokenCount(bad), undefined, JSON.stringify(bad));
  assert.equal(parseTemplate({ prompt: 'p' }), 'p');
  assert.equal(parseTemplate({ prompt: 3 }), undefined);
});

test('a model list: its ids (bounded, no duplicates) and which server answered', () => {
  assert.deepEqual(servedModels({ data: [{ id: 'a' }, { id: 'a' }, { id: '' }, { id: 3 }, { id: 'b' }] }), ['a', 'b']);
  assert.equal(servedModels({ models: [] }), undefined);
  assert.equal(servedModels({ data: Array.from({ length: 5000 }, (_, i) => ({ id: `m${i}` })) })?.length, 200);
  assert.equal(listKind({ data: [{ id: 'tiny', owned_by: 'llamacpp', meta: { n_ctx_train: 2048 } }] }), 'llama-server');
  assert.equal(listKind({ data: [{ id: 'm', owned_by: 'vllm', max_model_len: 4096 }] }), 'vllm');
  assert.equal(listKind({ data: [{ id: 'qwen', owned_by: 'organization_owner' }] }), 'lmstudio');
  assert.equal(listKind({ data: [{ id: 'llama3.1:8b', owned_by: 'library' }] }), 'ollama');
  assert.equal(listKind({ data: [{ id: 'x', owned_by: 'someone' }] }), undefined);
});
