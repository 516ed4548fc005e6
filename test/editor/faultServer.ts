// A small OpenAI Chat Completions server for the faults aimock cannot produce on cue: malformed data in the middle
// of a stream, a stream that stalls forever, a precise moment to drop the socket, and the server's own view of when
// the client closed the connection (to prove a cancel aborts the HTTP request). Real HTTP on 127.0.0.1:0.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import * as vscode from 'vscode';
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

// ----- helpers of the fault suites (reliability, security, restricted) --------------------------------------------

/** Calls the test harness (run.mjs): GET /ui, POST /keys, /reload, /window, /screenshot. */
export async function harness<T = unknown>(method: 'GET' | 'POST', pathAndQuery: string): Promise<T> {
  const base = process.env.LENGTHWISE_HARNESS_URL;
  if (!base) throw new Error('LENGTHWISE_HARNESS_URL is not set: run the suite with test/host/run.mjs');
  const res = await fetch(`${base}${pathAndQuery}`, { method, signal: AbortSignal.timeout(90_000) });
  const body = (await res.json()) as T & { error?: string };
  if (!res.ok) throw new Error(`harness ${method} ${pathAndQuery}: ${body.error ?? res.status}`);
  return body;
}

export interface UiState {
  notifications: { message: string; buttons: string[] }[];
  dialog: { message: string; detail: string; buttons: string[] } | null;
  statusbar: string[];
}

/**
 * Polls what the page shows until `pred` holds; bounded. In the test window the notification center is opened
 * after the first miss (a toast may already have hidden itself; the center keeps every notification) and closed after.
 */
export async function waitForUi(pred: (ui: UiState) => boolean, what: string, opts: { window?: 2; ms?: number } = {}): Promise<UiState> {
  const end = Date.now() + (opts.ms ?? 10_000);
  let last: UiState | undefined;
  let center = false;
  try {
    for (;;) {
      last = await harness<UiState>('GET', `/ui${opts.window ? `?window=${opts.window}` : ''}`);
      if (pred(last)) return last;
      if (Date.now() > end) throw new Error(`the page never showed ${what}; it shows ${JSON.stringify(last)}`);
      if (!center && !opts.window) {
        center = true;
        await vscode.commands.executeCommand('notifications.showList');
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    if (center) await vscode.commands.executeCommand('notifications.hideList');
  }
}

/** Polls a condition; for states only visible by looking (status bar text, files written by another process). */
export async function poll<T>(read: () => T | Promise<T>, pred: (v: T) => boolean, what: string, ms = 10_000, every = 20): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (pred(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(v)?.slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, every));
  }
}

/** Ledger lines (parsed) of the extension's ledger file; `from` = number of lines to skip. */
export function ledgerLines(file: string, from = 0): Record<string, unknown>[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((l) => l.trim())
    .slice(from)
    .map((l) => {
      try {
        return JSON.parse(l) as Record<string, unknown>;
      } catch {
        return { unreadable: l };
      }
    });
}

export function ledgerLineCount(file: string): number {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).length;
  } catch {
    return 0;
  }
}

/** The files the extension's LogOutputChannel wrote ("Lengthwise.log" under the host's logs dir), newest host last. */
export function extensionLogFiles(): string[] {
  const root = path.dirname(process.env.LENGTHWISE_TEST_WORKSPACE ?? '.');
  const out: string[] = [];
  const walk = (d: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const f = path.join(d, e.name);
      if (e.isDirectory()) walk(f);
      else if (e.name === 'Lengthwise.log') out.push(f);
    }
  };
  walk(path.join(root, 'user', 'logs'));
  return out.sort((a, b) => fs.statSync(a).mtimeMs - fs.statSync(b).mtimeMs);
}
