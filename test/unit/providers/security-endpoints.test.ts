// Where a workspace's baseUrl may send the key without a question: https: to the exact official host only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyEndpoint, endpointQuestion } from '../../../src/core/providers/endpoints';

test('security: an official host over http:// is questioned (the key would travel in clear text)', () => {
  for (const [provider, url] of [
    ['openai', 'http://api.openai.com/v1'],
    ['anthropic', 'http://api.anthropic.com'],
    ['gemini', 'http://generativelanguage.googleapis.com'],
  ] as const) {
    const v = classifyEndpoint(provider, url);
    assert.equal(v.kind, 'other', url);
    if (v.kind === 'other') assert.match(v.why, /http\b.*unencrypted/);
  }
});

test('security: any other *.googleapis.com host is not Gemini’s own endpoint', () => {
  for (const url of ['https://storage.googleapis.com', 'https://evil.googleapis.com/v1beta', 'https://googleapis.com']) {
    assert.equal(classifyEndpoint('gemini', url).kind, 'other', url);
  }
  assert.deepEqual(classifyEndpoint('gemini', 'https://generativelanguage.googleapis.com/'), { kind: 'official', host: 'generativelanguage.googleapis.com' });
});

test('security: look-alike, sibling, port, credentials and trailing-dot hosts are questioned; the exact official hosts are not', () => {
  const other = [
    ['openai', 'https://api.openai.com.evil.example/v1'],
    ['openai', 'https://evil.openai.com/v1'],
    ['openai', 'https://api.openai.com:8443/v1'],
    ['openai', 'https://api.openai.com@evil.example/v1'],
    ['openai', 'https://user:pw@api.openai.com/v1'],
    ['anthropic', 'https://api.anthropic.com./'],
    ['anthropic', 'https://api.openai.com'],
    ['openai-compatible', 'https://api.openai.com/v1'],
  ] as const;
  for (const [p, url] of other) assert.equal(classifyEndpoint(p, url).kind, 'other', `${p} ${url}`);
  assert.equal(classifyEndpoint('openai', 'https://api.openai.com/v1').kind, 'official');
  assert.equal(classifyEndpoint('openai', 'https://API.OpenAI.com:443/v1').kind, 'official');
  assert.equal(classifyEndpoint('anthropic', 'https://api.anthropic.com').kind, 'official');
  assert.equal(classifyEndpoint('openai', '').kind, 'default');
  const both = classifyEndpoint('openai', 'http://127.0.0.1:8080/v1');
  assert.equal(both.kind === 'other' && both.why, 'it is not api.openai.com and it uses http, so the key would travel unencrypted and it uses port 8080, not the provider\'s');
});

test('security: the question names the host the URL parser sees, not the text a workspace chose to show', () => {
  const url = 'https://api.openai.com@evil.example/v1';
  const v = classifyEndpoint('openai', url);
  assert.equal(v.kind, 'other');
  if (v.kind !== 'other') return;
  assert.equal(v.host, 'evil.example');
  const q = endpointQuestion('openai', url, v);
  assert.ok(q.includes('to evil.example ('), q);
});
