// A broken or hostile server against the real SDKs: usage that is not a count, redirects that would carry the
// key elsewhere, and error bodies built to be shown (links, megabytes, the key echoed back).
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { collect, request, useMock, type Mock } from './mock';
import type { ProviderId } from '../../src/core/protocol/request';
import { runRound } from '../../src/core/generation/pipeline';
import { createAdapter } from '../../src/providers';
import { batchClient } from '../../src/providers/batch';
import { countTokensRemote } from '../../src/providers/countTokens';
import { MAX_SERVER_TEXT } from '../../src/core/protocol/serverText';
import { customIdFor, matchBatchResults } from '../../src/core/generation/jobs/batch';
import { startAnthropicBatchServer, startGeminiBatchServer, startOpenAIBatchServer, type BatchServer, type ResultsShape } from '../servers/batchServers';
import { keyFetch, OFF_ORIGIN_STATUS } from '../../src/providers/keyFetch';

const PROVIDERS: ProviderId[] = ['openai', 'anthropic', 'gemini'];
const KEY = 'sk-lengthwise-test-key-0123456789abcdef';

/** A local HTTP server for one test file; `handler` is set per test. */
type Handler = (q: http.IncomingMessage, s: http.ServerResponse, body: Buffer) => void;
function useServer(): { url: () => string; seen: () => string[]; handle: (h: Handler) => void } {
  let server: http.Server;
  let handler: Handler = (_q, s) => s.end();
  let seen: string[] = [];
  before(async () => {
    server = http.createServer((q, s) => {
      seen.push(q.url ?? '');
      const chunks: Buffer[] = [];
      q.on('data', (c: Buffer) => chunks.push(c));
      q.on('end', () => handler(q, s, Buffer.concat(chunks)));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  });
  after(() => {
    server.closeAllConnections();
    return new Promise<void>((r) => server.close(() => r()));
  });
  beforeEach(() => {
    seen = [];
  });
  return {
    url: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen: () => seen,
    handle: (h) => (handler = h),
  };
}

const getMock = useMock();
let mock: Mock;
beforeEach(() => {
  mock = getMock();
});

/**
 * In front of aimock: rewrites a sentinel number in the stream into what JSON.stringify cannot write (1e309), so
 * the SDK parses exactly what a hostile server would send.
 */
const SENTINEL = 987654321;
const tamper = useServer();

describe('security: usage a server plants', () => {
  for (const p of PROVIDERS) {
    it(`security: ${p} usage as text ("100"), 1e300 and 1e309 is not taken as exact: the local count is used, labelled an estimate, with a note`, async () => {
      tamper.handle((q, s, sent) => {
        const up = http.request(new URL(q.url ?? '/', mock.url), { method: q.method, headers: q.headers }, (r) => {
          let body = '';
          r.setEncoding('utf8');
          r.on('data', (c: string) => (body += c));
          r.on('end', () => {
            s.writeHead(r.statusCode ?? 502, { 'content-type': r.headers['content-type'] ?? 'text/event-stream' });
            s.end(body.replaceAll(String(SENTINEL), '1e309'));
          });
        });
        up.end(sent);
      });
      const planted = { input_tokens: '100', output_tokens: 1e300, prompt_tokens: '100', completion_tokens: SENTINEL, promptTokenCount: '100', candidatesTokenCount: SENTINEL };
      mock.aimock.onMessage('plant', { content: 'A short answer.', usage: planted as never });
      const req = request(p, mock, { messages: [{ role: 'user', content: 'plant' }], baseUrl: p === 'openai' ? `${tamper.url()}/v1` : tamper.url() });
      const r = await runRound(req, { inputTokens: 7, inputExact: false }, { adapter: createAdapter(p), apiKey: KEY, tokenizerExact: false, workspace: 'w', onText: () => undefined });
      assert.equal(r.text, 'A short answer.');
      assert.equal(r.usageSource, 'estimate');
      assert.equal(r.usage.inputTokens, 7, 'the local input count');
      assert.equal(r.usage.outputTokens, Math.ceil('A short answer.'.length / 4), 'the local output count');
      assert.ok(Number.isSafeInteger(r.usage.inputTokens) && Number.isSafeInteger(r.usage.outputTokens));
      assert.match(r.usageNote ?? '', /not a plain token count .*inputTokens .*outputTokens/);
    });
  }
});

const redirector = useServer();
const elsewhere = useServer();

describe('security: redirects', () => {
  for (const p of PROVIDERS) {
    it(`security: ${p} does not follow a redirect to another origin with the key; the message names the target`, async () => {
      redirector.handle((q, s) => {
        s.writeHead(307, { location: `${elsewhere.url()}${q.url}` });
        s.end();
      });
      elsewhere.handle((_q, s) => s.end('{}'));
      const r = await collect(request(p, mock, { baseUrl: p === 'openai' ? `${redirector.url()}/v1` : redirector.url() }), { apiKey: KEY });
      assert.deepEqual(elsewhere.seen(), [], 'nothing reached the other origin');
      assert.equal(redirector.seen().length, 1, 'one request, not retried');
      assert.match(r.errors[0]?.message ?? '', new RegExp(`redirect \\(307\\) to ${elsewhere.url().replace('http://', '').replace(/\./g, '\\.')}.*does not follow`));
    });
  }
  for (const p of ['anthropic', 'gemini'] as const) {
    it(`security: ${p} exact count does not follow a redirect with the key`, async () => {
      redirector.handle((q, s) => {
        s.writeHead(302, { location: `${elsewhere.url()}${q.url}` });
        s.end();
      });
      await assert.rejects(countTokensRemote({ ...request(p, mock), baseUrl: redirector.url() }, KEY), /redirect|302/);
      assert.deepEqual(elsewhere.seen(), []);
    });
  }  for (const p of ['openai', 'anthropic', 'gemini'] as const) {
    it(`security: a ${p} batch does not follow a redirect with the key, and the key never reaches the message`, async () => {
      redirector.handle((q, s) => {
        s.writeHead(307, { location: `${elsewhere.url()}${q.url}?echo=${KEY}` });
        s.end();
      });
      const req = { ...request(p, mock), baseUrl: p === 'openai' ? `${redirector.url()}/v1` : redirector.url() };
      const err = await batchClient(p)!.submit([{ customId: 'j-0', request: req }], { apiKey: KEY }).then(
        () => assert.fail('submitted through a redirect'),
        (e: Error) => e,
      );
      assert.deepEqual(elsewhere.seen(), [], 'nothing reached the other origin');
      assert.match(err.message, /redirect|307/);
      assert.ok(!err.message.includes(KEY), err.message);
    });
  }
});

const thief = useServer();

describe('security: a batch server names another host', () => {
  it('security: an Anthropic results_url on another host gets no request (no key); the results come from the endpoint itself', async () => {
    thief.handle((q, s) => {
      s.writeHead(200, { 'content-type': 'application/binary' });
      s.end('');
    });
    const server = await startAnthropicBatchServer({ resultsOrigin: thief.url() });
    try {
      const items = ['first prompt here', 'second prompt'].map((content, i) => ({ customId: customIdFor('job9', i), request: { ...request('anthropic', mock), baseUrl: server.url, messages: [{ role: 'user' as const, content }] } }));
      const client = batchClient('anthropic')!;
      const handle = await client.submit(items, { apiKey: KEY });
      let status = await client.poll(handle, { apiKey: KEY });
      for (let i = 0; i < 3 && !status.results; i++) status = await client.poll(handle, { apiKey: KEY });
      assert.deepEqual(thief.seen(), [], 'nothing reached the host the server named');
      const m = matchBatchResults(handle.customIds, status.results ?? []);
      assert.deepEqual(m.byItem.map((r) => (r?.ok ? r.text : r?.error.message)), ['answer to first prompt here', 'answer to second prompt']);
      assert.ok(server.log.includes(`GET /v1/messages/batches/${handle.id}/results`), server.log.join('\n'));
    } finally {
      await server.stop();
    }
  });

  it('security: the key\'s fetch reaches only the approved origin: another port, scheme or host is refused before a request leaves', async () => {
    thief.handle((_q, s) => s.end('{}'));
    const approved = elsewhere.url();
    elsewhere.handle((_q, s) => s.end('{}'));
    const f = keyFetch('openai-compatible', `${approved}/v1`);
    const port = new URL(thief.url()).port;
    for (const url of [`${thief.url()}/v1/files/x/content`, `https://127.0.0.1:${port}/`, `http://localhost:${port}/`, 'not a url']) {
      const res = await f(url, { headers: { authorization: `Bearer ${KEY}` } });
      assert.equal(res.status, OFF_ORIGIN_STATUS, url);
    }
    assert.deepEqual(thief.seen(), []);
    assert.equal((await f(`${approved}/v1/models`)).status, 200);
    assert.deepEqual(elsewhere.seen(), ['/v1/models']);
    // Without a base URL only the SDK's own host is approved.
    assert.equal((await keyFetch('anthropic', undefined)(`${thief.url()}/v1/messages`)).status, OFF_ORIGIN_STATUS);
    assert.deepEqual(thief.seen(), []);
  });
});

const errorServer = useServer();

describe('security: error bodies', () => {
  for (const p of PROVIDERS) {
    it(`security: ${p} 2 MB error body with links and the echoed key reaches the message bounded, link-free and redacted`, async () => {
      const filler = 'x'.repeat(2 * 1024 * 1024);
      const message = `Bad key ${KEY} — [fix it](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22rm%22%7D) ![t](https://evil.example/p.png) <https://evil.example> ${filler}`;
      errorServer.handle((_q, s) => {
        s.writeHead(400, { 'content-type': 'application/json' });
        s.end(JSON.stringify({ error: { type: 'invalid_request_error', message, code: 400, status: 'INVALID_ARGUMENT' } }));
      });
      const r = await collect(request(p, mock, { baseUrl: p === 'openai' ? `${errorServer.url()}/v1` : errorServer.url() }), { apiKey: KEY });
      const m = r.errors[0]?.message ?? '';
      assert.ok(m.length > 0 && m.length < MAX_SERVER_TEXT + 200, `${m.length} characters`);
      assert.ok(!m.includes(KEY) && !m.includes(KEY.slice(0, 20)), m);
      assert.ok(!/[[\]<>]/.test(m), `no link syntax: ${m.slice(0, 300)}`);
    });
  }
});

describe('security: batch results a server makes huge', () => {
  const MiB = 1024 * 1024;
  const servers: Record<'openai' | 'anthropic' | 'gemini', (results: ResultsShape) => Promise<BatchServer>> = {
    openai: (results) => startOpenAIBatchServer({ results }),
    anthropic: (results) => startAnthropicBatchServer({ results }),
    gemini: (results) => startGeminiBatchServer({ results }),
  };
  /** A batch of two requests at `srv`, polled until it has ended; its results in request order. */
  async function run(p: 'openai' | 'anthropic' | 'gemini', results: ResultsShape) {
    const srv = await servers[p](results);
    try {
      const base = p === 'openai' ? `${srv.url}/v1` : srv.url;
      const items = ['first prompt', 'second prompt'].map((content, i) => ({ customId: customIdFor('jobh', i), request: { provider: p, model: p === 'openai' ? 'gpt-4.1-mini' : p === 'anthropic' ? 'claude-sonnet-4-5' : 'gemini-2.5-flash', baseUrl: base, messages: [{ role: 'user' as const, content }], maxTokens: 50, stop: [] } }));
      const client = batchClient(p)!;
      const handle = await client.submit(items, { apiKey: KEY });
      let status = await client.poll(handle, { apiKey: KEY });
      for (let i = 0; i < 3 && !status.results; i++) status = await client.poll(handle, { apiKey: KEY });
      return { status, byItem: matchBatchResults(handle.customIds, status.results ?? []).byItem, streamed: srv.streamed.at(-1) };
    } finally {
      await srv.stop();
    }
  }

  for (const p of ['openai', 'anthropic', 'gemini'] as const) {
    it(`security: a ${p} batch answer of 6 MB (over the 4 MB read for one answer) is a failed item saying so; the other answer lands`, async () => {
      const { byItem } = await run(p, { hugeAnswer: { index: 0, bytes: 6 * MiB } });
      const [big, other] = byItem;
      assert.ok(big && !big.ok, `the huge answer is not read: ${big?.ok ? `${big.text.length} characters` : 'missing'}`);
      assert.match(big.error.message, /6 MB, over the 4 MB Lengthwise reads for one answer/);
      assert.ok(other?.ok && other.text === 'answer to second prompt', JSON.stringify(other).slice(0, 200));
    });
  }

  for (const p of ['openai', 'anthropic'] as const) {
    it(`security: a ${p} results file of 300 MB is read up to 9 MB (the bound for 2 requests) and closed; the request it did not reach is named, the status says how much was read`, async (t) => {
      const { status, byItem, streamed } = await run(p, { filler: { bytes: 300 * MiB, lineBytes: MiB } });
      t.diagnostic(`the server sent ${((streamed?.bytes ?? 0) / MiB).toFixed(1)} MB of 300 MB`);
      assert.ok(byItem[0]?.ok, 'the answer before the filler lands');
      const unread = byItem[1];
      assert.ok(unread && !unread.ok && unread.unread, JSON.stringify(unread).slice(0, 200));
      assert.match(unread.error.message, /not read: the results file passed the 9 MB Lengthwise reads for a batch of 2 requests/);
      assert.match(status.message ?? '', /Lengthwise read 9 MB of the results file and stopped/);
      assert.ok(streamed && !streamed.finished && streamed.bytes < 64 * MiB, `the server sent ${((streamed?.bytes ?? 0) / MiB).toFixed(0)} MB`);
    });

    it(`security: a ${p} results file that is one 300 MB answer: that request is named as over the answer bound, the other as not read`, async (t) => {
      const { byItem, streamed } = await run(p, { hugeAnswer: { index: 0, bytes: 300 * MiB } });
      t.diagnostic(`the server sent ${((streamed?.bytes ?? 0) / MiB).toFixed(1)} MB of 300 MB`);
      assert.ok(byItem[0] && !byItem[0].ok && /over the 4 MB Lengthwise reads for one answer/.test(byItem[0].error.message), JSON.stringify(byItem[0]).slice(0, 200));
      assert.ok(byItem[1] && !byItem[1].ok && byItem[1].unread);
      assert.ok(streamed && !streamed.finished && streamed.bytes < 64 * MiB, `the server sent ${((streamed?.bytes ?? 0) / MiB).toFixed(0)} MB`);
    });
  }

  it('security: a gemini batches.get body of 300 MB is read up to 9 MB and closed; every request is named as not read', async (t) => {
    const { status, byItem, streamed } = await run('gemini', { hugeAnswer: { index: 0, bytes: 300 * MiB } });
    t.diagnostic(`the server sent ${((streamed?.bytes ?? 0) / MiB).toFixed(1)} MB of 300 MB`);
    assert.ok(byItem.every((r) => r && !r.ok && r.unread && /not read: Gemini's answer passed the 9 MB Lengthwise reads for a batch of 2 requests/.test(r.error.message)), JSON.stringify(byItem).slice(0, 300));
    assert.match(status.message ?? '', /Lengthwise read 9 MB of Gemini's answer and stopped/);
    assert.ok(streamed && !streamed.finished && streamed.bytes < 64 * MiB, `the server sent ${((streamed?.bytes ?? 0) / MiB).toFixed(0)} MB`);
  });
});
