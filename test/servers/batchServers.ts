// Small local servers shaped like Anthropic's Message Batches and Gemini's Batch Mode endpoints, as documented
// (no emulator covers them): real HTTP on 127.0.0.1, port 0. A batch ends on its second retrieve; every answer is
// "answer to <first words of the prompt>" so a test can tell which result belongs to which request.
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BatchServer {
  url: string;
  /** Request lines seen ("POST /v1/messages/batches"). */
  log: string[];
  /** The request bodies of every batch created. */
  created: unknown[];
  /** Bodies sent as streams (results files): bytes handed to the socket, and whether the whole body was sent. */
  streamed: { bytes: number; finished: boolean }[];
  stop(): Promise<void>;
}

function answerTo(prompt: string): string {
  return `answer to ${prompt.split(/\s+/).slice(0, 3).join(' ')}`;
}

/**
 * The results a hostile or broken server sends, generated while they are sent (never held in memory):
 * `hugeAnswer` makes the answer of request `index` `bytes` long; `filler` puts `lineBytes`-long results for ids that
 * were never sent before the last request's result, until they add up to `bytes`.
 */
export interface ResultsShape {
  hugeAnswer?: { index: number; bytes: number };
  filler?: { bytes: number; lineBytes: number };
}

/** Marks where a generated answer's text goes in a JSON body. */
const TEXT_SLOT = '\u0000lengthwise-text\u0000';

/** The JSON of `value` with TEXT_SLOT replaced by `bytes` letters, in pieces. */
function* jsonWithText(value: unknown, bytes: number): Generator<string> {
  const [before, after] = JSON.stringify(value).split(JSON.stringify(TEXT_SLOT).slice(1, -1));
  yield before!;
  const piece = 'x'.repeat(64 * 1024);
  for (let left = bytes; left > 0; left -= piece.length) yield left >= piece.length ? piece : piece.slice(0, left);
  yield after!;
}

/** JSONL lines: one result per request (`line(i, text)` builds it), shaped by `shape`. */
function* resultLines(n: number, line: (i: number | string, text: string) => unknown, answer: (i: number) => string, shape: ResultsShape = {}): Generator<string> {
  const one = function* (i: number) {
    if (shape.hugeAnswer?.index === i) yield* jsonWithText(line(i, TEXT_SLOT), shape.hugeAnswer.bytes);
    else yield JSON.stringify(line(i, answer(i)));
    yield '\n';
  };
  for (let i = 0; i < n - 1; i++) yield* one(i);
  if (shape.filler) {
    const { bytes, lineBytes } = shape.filler;
    for (let k = 0, sent = 0; sent < bytes; k++) {
      for (const piece of jsonWithText(line(`filler-${k}`, TEXT_SLOT), lineBytes)) {
        sent += piece.length;
        yield piece;
      }
      yield '\n';
    }
  }
  if (n > 0) yield* one(n - 1);
}

type Reply = { status: number; json?: unknown; jsonl?: unknown[]; stream?: Iterable<string>; contentType?: string };

/** Writes `chunks` as the client reads them; stops when the client closes the connection. */
async function pump(res: http.ServerResponse, chunks: Iterable<string>, stat: { bytes: number; finished: boolean }): Promise<void> {
  for (const c of chunks) {
    if (res.destroyed) return;
    stat.bytes += Buffer.byteLength(c);
    if (!res.write(c)) await new Promise<void>((r) => (res.once('drain', r), res.once('close', r)));
  }
  if (res.destroyed) return;
  res.end();
  stat.finished = true;
}

async function serve(handler: (req: http.IncomingMessage, body: string, url: string) => Reply, port = 0): Promise<BatchServer> {
  const log: string[] = [];
  const created: unknown[] = [];
  const streamed: BatchServer['streamed'] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      log.push(`${req.method} ${req.url}`);
      const origin = `http://${req.headers.host}`;
      const out = handler(req, body, origin);
      if (out.stream) {
        res.writeHead(out.status, { 'content-type': out.contentType ?? 'application/binary' });
        const stat = { bytes: 0, finished: false };
        streamed.push(stat);
        void pump(res, out.stream, stat);
      } else if (out.jsonl) {
        res.writeHead(out.status, { 'content-type': 'application/binary' });
        res.end(out.jsonl.map((l) => JSON.stringify(l)).join('\n') + '\n');
      } else {
        res.writeHead(out.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(out.json ?? {}));
      }
    });
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    log,
    created,
    streamed,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

interface AnthropicBatch {
  id: string;
  requests: { custom_id: string; params: { model: string; messages: { content: string }[]; max_tokens: number } }[];
  retrieves: number;
  canceled: boolean;
}

export interface AnthropicBatchOptions {
  /** Listen here (a server started again after a window reload, at the address the batch was sent to). */
  port?: number;
  /** Keep the batches in this file, so a server started again knows the batches of the one before. */
  stateFile?: string;
  /** Whether a batch has ended, given its retrieves so far (default: on its second retrieve). */
  ended?: (retrieves: number) => boolean;
  /** The origin its results_url names (default: its own); a hostile server names another host. */
  resultsOrigin?: string;
  /** A status to answer retrieves with instead (a provider that cannot be checked), asked at each retrieve. */
  retrieveStatus?: () => number | undefined;
  /** Results in request order, shaped (a huge answer, a huge file); default: the normal results, reversed. */
  results?: ResultsShape;
}

/** Anthropic: POST /v1/messages/batches, GET /v1/messages/batches/{id}, POST …/cancel, GET …/results (JSONL). */
export async function startAnthropicBatchServer(opts: AnthropicBatchOptions = {}): Promise<BatchServer> {
  const saved = opts.stateFile && fs.existsSync(opts.stateFile) ? (JSON.parse(fs.readFileSync(opts.stateFile, 'utf8')) as { seq: number; batches: AnthropicBatch[] }) : undefined;
  const batches = new Map<string, AnthropicBatch>((saved?.batches ?? []).map((b) => [b.id, b]));
  let seq = saved?.seq ?? 0;
  const save = () => opts.stateFile && fs.writeFileSync(opts.stateFile, JSON.stringify({ seq, batches: [...batches.values()] }));
  const isEnded = opts.ended ?? ((n: number) => n >= 2);
  const view = (b: AnthropicBatch, origin: string) => {
    const n = b.requests.length;
    const ended = isEnded(b.retrieves) || (b.canceled && b.retrieves >= 1);
    const failed = b.requests.filter((r) => r.custom_id.includes('fail')).length;
    return {
      id: b.id,
      type: 'message_batch',
      processing_status: ended ? 'ended' : b.canceled ? 'canceling' : 'in_progress',
      request_counts: ended
        ? { processing: 0, succeeded: b.canceled ? 0 : n - failed, errored: b.canceled ? 0 : failed, canceled: b.canceled ? n : 0, expired: 0 }
        : { processing: n, succeeded: 0, errored: 0, canceled: 0, expired: 0 },
      ended_at: ended ? new Date().toISOString() : null,
      created_at: new Date().toISOString(),
      expires_at: new Date(Date.now() + 86_400_000).toISOString(),
      cancel_initiated_at: b.canceled ? new Date().toISOString() : null,
      archived_at: null,
      results_url: ended ? `${opts.resultsOrigin ?? origin}/v1/messages/batches/${b.id}/results` : null,
    };
  };
  const handle = (req: http.IncomingMessage, body: string, origin: string) => {
    const url = req.url ?? '';
    if (req.method === 'POST' && url === '/v1/messages/batches') {
      const parsed = JSON.parse(body) as { requests: AnthropicBatch['requests'] };
      srv.created.push(parsed);
      const b: AnthropicBatch = { id: `msgbatch_${String(++seq).padStart(6, '0')}`, requests: parsed.requests, retrieves: 0, canceled: false };
      batches.set(b.id, b);
      return { status: 200, json: view(b, origin) };
    }
    const m = /^\/v1\/messages\/batches\/([\w-]+)(\/cancel|\/results)?$/.exec(url);
    const b = m ? batches.get(m[1]!) : undefined;
    if (!m || !b) return { status: 404, json: { type: 'error', error: { type: 'not_found_error', message: 'Not found' } } };
    if (m[2] === '/cancel' && req.method === 'POST') {
      b.canceled = true;
      return { status: 200, json: view(b, origin) };
    }
    if (m[2] === '/results' && opts.results) {
      const succeeded = (id: string, text: string, model: string) => ({
        custom_id: id,
        result: { type: 'succeeded', message: { id: `msg_${id}`, type: 'message', role: 'assistant', model, content: [{ type: 'text', text }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 100, output_tokens: 20, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 } } },
      });
      const id = (i: number | string) => (typeof i === 'number' ? b.requests[i]!.custom_id : i);
      return {
        status: 200,
        stream: resultLines(b.requests.length, (i, text) => succeeded(id(i), text, b.requests[0]!.params.model), (i) => answerTo(b.requests[i]!.params.messages[0]!.content), opts.results),
      };
    }
    if (m[2] === '/results') {
      // Results come in any order: reversed here.
      return {
        status: 200,
        jsonl: [...b.requests].reverse().map((r) => {
          if (b.canceled) return { custom_id: r.custom_id, result: { type: 'canceled' } };
          if (r.custom_id.includes('fail')) return { custom_id: r.custom_id, result: { type: 'errored', error: { type: 'error', error: { type: 'invalid_request_error', message: 'max_tokens: too large' } } } };
          const text = answerTo(r.params.messages[0]!.content);
          return {
            custom_id: r.custom_id,
            result: {
              type: 'succeeded',
              message: {
                id: `msg_${r.custom_id}`,
                type: 'message',
                role: 'assistant',
                model: r.params.model,
                content: [{ type: 'text', text }],
                stop_reason: 'end_turn',
                stop_sequence: null,
                usage: { input_tokens: 100, output_tokens: 20, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
              },
            },
          };
        }),
      };
    }
    b.retrieves++;
    const failing = opts.retrieveStatus?.();
    if (failing) return { status: failing, json: { type: 'error', error: { type: 'invalid_request_error', message: 'this batch cannot be read now' } } };
    return { status: 200, json: view(b, origin) };
  };
  const srv: BatchServer = await serve((req, body, origin) => {
    const out = handle(req, body, origin);
    save();
    return out;
  }, opts.port);
  return srv;
}

interface GeminiBatch {
  name: string;
  model: string;
  requests: { request: { contents: { parts: { text: string }[] }[] }; metadata?: unknown }[];
  gets: number;
  cancelled: boolean;
}

/** Gemini: POST /v1beta/models/{model}:batchGenerateContent, GET /v1beta/batches/{id}, POST /v1beta/batches/{id}:cancel. */
export async function startGeminiBatchServer(opts: { results?: Pick<ResultsShape, 'hugeAnswer'> } = {}): Promise<BatchServer> {
  const batches = new Map<string, GeminiBatch>();
  let seq = 0;
  const operation = (b: GeminiBatch) => {
    const done = b.cancelled || b.gets >= 2;
    const state = b.cancelled ? 'BATCH_STATE_CANCELLED' : done ? 'BATCH_STATE_SUCCEEDED' : b.gets === 1 ? 'BATCH_STATE_RUNNING' : 'BATCH_STATE_PENDING';
    const metadata: Record<string, unknown> = {
      '@type': 'type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatch',
      model: `models/${b.model}`,
      displayName: 'lengthwise',
      name: b.name,
      state,
      createTime: new Date().toISOString(),
      batchStats: { requestCount: String(b.requests.length) },
    };
    if (done && !b.cancelled) {
      metadata.output = {
        inlinedResponses: {
          inlinedResponses: b.requests.map((r, i) => ({
            response: {
              candidates: [{ content: { parts: [{ text: opts.results?.hugeAnswer?.index === i ? TEXT_SLOT : answerTo(r.request.contents[0]!.parts[0]!.text) }], role: 'model' }, finishReason: 'STOP', index: 0 }],
              usageMetadata: { promptTokenCount: 100, candidatesTokenCount: 20, totalTokenCount: 120 },
              modelVersion: b.model,
            },
            metadata: r.metadata,
          })),
        },
      };
    }
    return { name: b.name, metadata, ...(done ? { done: true, response: { '@type': 'type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatchOutput' } } : {}) };
  };
  const srv: BatchServer = await serve((req, body) => {
    const url = (req.url ?? '').replace(/\?.*$/, '');
    const create = /^\/v1beta\/models\/([^/:]+):batchGenerateContent$/.exec(url);
    if (req.method === 'POST' && create) {
      const parsed = JSON.parse(body) as { batch: { inputConfig: { requests: { requests: GeminiBatch['requests'] } } } };
      srv.created.push(parsed);
      const b: GeminiBatch = { name: `batches/b${++seq}`, model: create[1]!, requests: parsed.batch.inputConfig.requests.requests, gets: 0, cancelled: false };
      batches.set(b.name, b);
      return { status: 200, json: operation(b) };
    }
    const m = /^\/v1beta\/(batches\/[\w-]+)(:cancel)?$/.exec(url);
    const b = m ? batches.get(m[1]!) : undefined;
    if (!m || !b) return { status: 404, json: { error: { code: 404, message: `not found: ${url}`, status: 'NOT_FOUND' } } };
    if (m[2] === ':cancel' && req.method === 'POST') {
      b.cancelled = true;
      return { status: 200, json: {} };
    }
    b.gets++;
    const op = operation(b);
    const huge = opts.results?.hugeAnswer;
    if (huge && JSON.stringify(op).includes(JSON.stringify(TEXT_SLOT).slice(1, -1))) return { status: 200, contentType: 'application/json', stream: jsonWithText(op, huge.bytes) };
    return { status: 200, json: op };
  });
  return srv;
}

interface OpenAIBatch {
  id: string;
  lines: { custom_id: string; body: { model: string; messages: { role: string; content: string }[] } }[];
  retrieves: number;
}

/**
 * OpenAI Batch (for results aimock cannot shape): POST /v1/files, POST /v1/batches, GET /v1/batches/{id} (completed
 * on the second retrieve), GET /v1/files/{id}/content (the output file, JSONL).
 */
export async function startOpenAIBatchServer(opts: { results?: ResultsShape } = {}): Promise<BatchServer> {
  const files = new Map<string, OpenAIBatch['lines']>();
  const batches = new Map<string, OpenAIBatch>();
  let seq = 0;
  const view = (b: OpenAIBatch) => {
    const done = b.retrieves >= 2;
    const n = b.lines.length;
    return {
      id: b.id,
      object: 'batch',
      endpoint: '/v1/chat/completions',
      input_file_id: `file-in-${b.id}`,
      completion_window: '24h',
      status: done ? 'completed' : 'in_progress',
      output_file_id: done ? `file-out-${b.id}` : null,
      error_file_id: null,
      created_at: 1,
      request_counts: { total: n, completed: done ? n : 0, failed: 0 },
    };
  };
  const completion = (id: string, text: string) => ({
    id: `batch_req_${id}`,
    custom_id: id,
    response: { status_code: 200, request_id: 'r', body: { id: 'chatcmpl', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }], usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 } } },
    error: null,
  });
  const srv: BatchServer = await serve((req, body) => {
    const url = req.url ?? '';
    if (req.method === 'POST' && url === '/v1/files') {
      // The multipart body holds the JSONL file: its lines are the ones that parse as requests.
      const lines = body.split('\n').flatMap((l) => {
        try {
          const x = JSON.parse(l.trim()) as OpenAIBatch['lines'][number];
          return x && typeof x.custom_id === 'string' ? [x] : [];
        } catch {
          return [];
        }
      });
      const id = `file-in-${++seq}`;
      files.set(id, lines);
      return { status: 200, json: { id, object: 'file', bytes: body.length, created_at: 1, filename: 'lengthwise-batch.jsonl', purpose: 'batch', status: 'processed' } };
    }
    if (req.method === 'POST' && url === '/v1/batches') {
      const parsed = JSON.parse(body) as { input_file_id: string };
      srv.created.push(parsed);
      const b: OpenAIBatch = { id: `batch_${++seq}`, lines: files.get(parsed.input_file_id) ?? [], retrieves: 0 };
      batches.set(b.id, b);
      return { status: 200, json: view(b) };
    }
    const get = /^\/v1\/batches\/([\w-]+)$/.exec(url);
    if (get && batches.has(get[1]!)) {
      const b = batches.get(get[1]!)!;
      b.retrieves++;
      return { status: 200, json: view(b) };
    }
    const content = /^\/v1\/files\/file-out-([\w-]+)\/content$/.exec(url);
    const b = content ? batches.get(content[1]!) : undefined;
    if (b) {
      const id = (i: number | string) => (typeof i === 'number' ? b.lines[i]!.custom_id : i);
      return { status: 200, stream: resultLines(b.lines.length, (i, text) => completion(id(i), text), (i) => answerTo(b.lines[i]!.body.messages.at(-1)!.content), opts.results) };
    }
    return { status: 404, json: { error: { message: `not found: ${url}`, type: 'invalid_request_error' } } };
  });
  return srv;
}
