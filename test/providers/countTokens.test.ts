// The provider's own token count, over the real SDKs, against a small server of the test's own (aimock has no
// count_tokens endpoints): asserts the path and body the SDK sent and the number read back.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { countTokensRemote } from '../../src/providers/countTokens';

let server: http.Server;
let url = '';
const seen: { path: string; body: Record<string, unknown>; headers: http.IncomingHttpHeaders }[] = [];

before(async () => {
  server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const body = raw ? JSON.parse(raw) : {};
      seen.push({ path: req.url ?? '', body, headers: req.headers });
      res.setHeader('content-type', 'application/json');
      if (req.url?.startsWith('/v1/messages/count_tokens')) {
        if (req.headers['x-api-key'] === 'bad') {
          res.statusCode = 401;
          return res.end(JSON.stringify({ type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } }));
        }
        return res.end(JSON.stringify({ input_tokens: 1234 }));
      }
      if (req.url?.includes(':countTokens')) return res.end(JSON.stringify({ totalTokens: 567 }));
      // OpenAI's Responses input-token count (POST /v1/responses/input_tokens), as documented: the count of the
      // request's input and instructions.
      if (req.url === '/v1/responses/input_tokens') return res.end(JSON.stringify({ object: 'response.input_tokens', input_tokens: 89 }));
      res.statusCode = 404;
      res.end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((r) => server.close(() => r())));

const req = (provider: 'anthropic' | 'gemini' | 'openai') => ({
  provider,
  model: provider === 'anthropic' ? 'claude-sonnet-4-6' : 'gemini-2.5-flash',
  baseUrl: url,
  messages: [{ role: 'user' as const, content: 'Count me exactly.' }],
  system: 'Be brief.',
  maxTokens: 100,
  stop: [],
  maxRetries: 0,
});

describe('countTokensRemote', () => {
  it('anthropic: POST /v1/messages/count_tokens with model, messages and system', async () => {
    const r = await countTokensRemote(req('anthropic'), 'k');
    assert.deepEqual(r, { inputTokens: 1234, source: 'Anthropic messages.countTokens' });
    const s = seen.at(-1)!;
    assert.equal(s.path, '/v1/messages/count_tokens');
    assert.deepEqual(s.body, { model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'Count me exactly.' }], system: 'Be brief.' });
  });
  it('gemini: POST …:countTokens with the contents', async () => {
    const r = await countTokensRemote(req('gemini'), 'k');
    assert.deepEqual(r, { inputTokens: 567, source: 'Gemini models.countTokens (system prompt counted as a message)' });
    const s = seen.at(-1)!;
    assert.match(s.path, /gemini-2\.5-flash:countTokens/);
    assert.match(JSON.stringify(s.body), /Be brief\..*Count me exactly\./);
  });
  it('a refused key becomes a message that says what to do', async () => {
    await assert.rejects(countTokensRemote(req('anthropic'), 'bad'), /rejected the API key.*Set API Key/);
  });
  it('openai, Responses API: POST /v1/responses/input_tokens with model, input and instructions', async () => {
    const r = await countTokensRemote({ ...req('openai'), model: 'gpt-5.1-codex', baseUrl: `${url}/v1`, api: 'responses' }, 'k');
    assert.deepEqual(r, { inputTokens: 89, source: 'OpenAI responses.inputTokens.count (POST /v1/responses/input_tokens)' });
    const s = seen.at(-1)!;
    assert.equal(s.path, '/v1/responses/input_tokens');
    assert.deepEqual(s.body, { model: 'gpt-5.1-codex', input: [{ role: 'user', content: 'Count me exactly.' }], instructions: 'Be brief.' });
    assert.equal(s.headers.authorization, 'Bearer k');
  });
  it('openai, Responses API: a server without the endpoint (404) says so', async () => {
    await assert.rejects(countTokensRemote({ ...req('openai'), model: 'gpt-5.1-codex', baseUrl: `${url}/nothing/v1`, api: 'responses' }, 'k'), (e: Error & { notFound?: boolean }) => e.notFound === true);
  });
  it('anthropic: a 404 (a model it does not know) is an error, not "no count endpoint"', async () => {
    await assert.rejects(countTokensRemote({ ...req('anthropic'), baseUrl: `${url}/nothing` }, 'k'), (e: Error & { notFound?: boolean }) => e.notFound !== true && !/no input-token count endpoint/.test(e.message));
  });
  it('openai: counted locally, no request', async () => {
    const n = seen.length;
    await assert.rejects(countTokensRemote(req('openai'), 'k'), /counted exactly on this machine/);
    assert.equal(seen.length, n);
  });
});
