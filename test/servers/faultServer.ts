// A small OpenAI Chat Completions server for the faults aimock cannot produce on cue: malformed data in the middle
// of a stream, a stream that stalls forever, a precise moment to drop the socket, and the server's own view of when
// the client closed the connection (to prove a cancel aborts the HTTP request). Real HTTP on 127.0.0.1:0.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the server does with one request. Plans are used in order; the last one repeats. */
export interface FaultPlan {
  /** Non-2xx answer with a JSON error body (no stream). */
  status?: number;
  headers?: Record<string, string>;
  errorMessage?: string;
  /** Text deltas streamed as chat.completion.chunk events. */
  chunks?: string[];
  /** Delay before each chunk (ms). */
  paceMs?: number;
  /** After the chunks: a normal end, a dropped socket, a stall that never ends, or a line that is not JSON. */
  then?: 'finish' | 'drop' | 'stall' | 'malformed';
  finishReason?: string;
  usage?: { prompt_tokens: number; completion_tokens: number; completion_tokens_details?: { reasoning_tokens: number } };
}

export interface SeenRequest {
  at: number;
  body: Record<string, unknown>;
  headers: http.IncomingHttpHeaders;
  /** When the client's socket closed (or the server ended the response). */
  closedAt?: number;
  /** True when the client went away before the server ended the response. */
  clientClosed: boolean;
  /** Chunks written before the end / the close. */
  chunksSent: number;
}

export class FaultServer {
  plans: FaultPlan[] = [];
  readonly requests: SeenRequest[] = [];
  /** Paths of the GET requests (limit discovery), not counted in requests. */
  readonly lookups: string[] = [];
  private server: http.Server | undefined;
  private readonly sockets = new Set<import('node:net').Socket>();
  private readonly waiters: (() => void)[] = [];

  private host = '127.0.0.1';

  get url(): string {
    const a = this.server!.address() as AddressInfo;
    return `http://${this.host}:${a.port}`;
  }

  /** `host`: 127.0.0.1, or a non-loopback name of this machine that resolves to 127.x (see remoteHostAlias in util.ts). */
  async start(host = '127.0.0.1'): Promise<this> {
    this.host = host;
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, host, resolve));
    return this;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** Resolves when `pred` holds (checked after every request event), or rejects after `ms`. */
  until(pred: () => boolean, what: string, ms = 10_000): Promise<void> {
    if (pred()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`fault server: timed out waiting for ${what}`)), ms);
      const check = () => {
        if (pred()) {
          clearTimeout(timer);
          resolve();
        } else this.waiters.push(check);
      };
      this.waiters.push(check);
    });
  }

  private notify(): void {
    const w = this.waiters.splice(0);
    for (const f of w) f();
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    // Only completions (POST) are requests here; a limit lookup (GET /v1/models, /props, Ollama's POST /api/show) is
    // told "no such page",
    // as a server without those endpoints would, and kept apart.
    if (req.method !== 'POST' || (req.url ?? '').startsWith('/api/')) {
      this.lookups.push(req.url ?? '');
      req.resume();
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      return;
    }
    let raw = '';
    for await (const c of req) raw += c;
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      body = { unparsed: raw };
    }
    const seen: SeenRequest = { at: Date.now(), body, headers: req.headers, clientClosed: false, chunksSent: 0 };
    this.requests.push(seen);
    let ended = false;
    res.on('close', () => {
      seen.closedAt = Date.now();
      seen.clientClosed = !ended;
      this.notify();
    });
    this.notify();
    const plan = this.plans[Math.min(this.requests.length - 1, this.plans.length - 1)] ?? { chunks: ['ok'] };

    if (plan.status && plan.status >= 300) {
      ended = true;
      res.writeHead(plan.status, { 'content-type': 'application/json', ...plan.headers });
      res.end(JSON.stringify({ error: { message: plan.errorMessage ?? `status ${plan.status}`, type: 'fault', code: String(plan.status) } }));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', ...plan.headers });
    const chunk = (delta: Record<string, unknown>, finish: string | null) =>
      `data: ${JSON.stringify({ id: 'chatcmpl-fault', object: 'chat.completion.chunk', created: 0, model: String(body.model ?? 'm'), choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    const gone = () => res.destroyed || res.writableEnded;
    res.write(chunk({ role: 'assistant', content: '' }, null));
    for (const text of plan.chunks ?? []) {
      if (plan.paceMs) await new Promise((r) => setTimeout(r, plan.paceMs));
      if (gone()) return;
      res.write(chunk({ content: text }, null));
      seen.chunksSent++;
      this.notify();
    }
    if (gone()) return;
    switch (plan.then ?? 'finish') {
      case 'drop':
        res.socket?.destroy();
        return;
      case 'stall':
        return; // never writes again; the client's timeout or cancel closes the socket
      case 'malformed':
        res.write('data: {"id":"chatcmpl-fault","choices":[{"delta":{"content":"never sh\n\n');
        return; // and then nothing: a client that ignored the bad line would wait here
      case 'finish':
        res.write(chunk({}, plan.finishReason ?? 'stop'));
        if (plan.usage) res.write(`data: ${JSON.stringify({ id: 'chatcmpl-fault', object: 'chat.completion.chunk', created: 0, model: String(body.model ?? 'm'), choices: [], usage: { ...plan.usage, total_tokens: plan.usage.prompt_tokens + plan.usage.completion_tokens } })}\n\n`);
        res.write('data: [DONE]\n\n');
        ended = true;
        res.end();
        return;
    }
  }
}
