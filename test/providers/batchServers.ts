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
  stop(): Promise<void>;
}

function answerTo(prompt: string): string {
  return `answer to ${prompt.split(/\s+/).slice(0, 3).join(' ')}`;
}

async function serve(handler: (req: http.IncomingMessage, body: string, url: string) => { status: number; json?: unknown; jsonl?: unknown[] }, port = 0): Promise<BatchServer> {
  const log: string[] = [];
  const created: unknown[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      log.push(`${req.method} ${req.url}`);
      const origin = `http://${req.headers.host}`;
      const out = handler(req, body, origin);
      if (out.jsonl) {
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
export async function startGeminiBatchServer(): Promise<BatchServer> {
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
          inlinedResponses: b.requests.map((r) => ({
            response: {
              candidates: [{ content: { parts: [{ text: answerTo(r.request.contents[0]!.parts[0]!.text) }], role: 'model' }, finishReason: 'STOP', index: 0 }],
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
    return { status: 200, json: operation(b) };
  });
  return srv;
}
