// A small HTTP server on 127.0.0.1 that answers exactly like a documented endpoint (OpenRouter, LiteLLM, Ollama,
// LM Studio, vLLM) for the parts no emulator covers, and records every request it gets.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Seen {
  method: string;
  path: string;
  body: unknown;
  headers: http.IncomingHttpHeaders;
}

export type Route = (req: Seen, res: http.ServerResponse) => void;

export interface Shaped {
  origin: string;
  seen: Seen[];
  stop(): Promise<void>;
}

/** `routes` by "METHOD /path"; anything else is a 404 with a JSON error, as these servers send. */
export async function startShaped(routes: Record<string, Route>): Promise<Shaped> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      let body: unknown;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = raw;
      }
      const s: Seen = { method: req.method ?? '', path: req.url ?? '', body, headers: req.headers };
      seen.push(s);
      const route = routes[`${s.method} ${s.path}`];
      if (route) route(s, res);
      else {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `no route ${s.method} ${s.path}` } }));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

export function json(value: unknown, status = 200, headers: Record<string, string> = {}): Route {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(value));
  };
}

/** A Chat Completions stream: `data:` chunks then [DONE]; `comments` like OpenRouter's ": OPENROUTER PROCESSING". */
export function chatStream(chunks: object[], headers: Record<string, string> = {}, comments: string[] = []): Route {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', ...headers });
    for (const c of comments) res.write(`: ${c}\n\n`);
    for (const c of chunks) res.write(`data: ${JSON.stringify(c)}\n\n`);
    res.end('data: [DONE]\n\n');
  };
}

export const chunk = (model: string, delta: object, finish: string | null = null, usage?: object) => ({
  id: 'gen-1',
  object: 'chat.completion.chunk',
  created: 1,
  model,
  choices: usage && !finish && Object.keys(delta).length === 0 ? [] : [{ index: 0, delta, finish_reason: finish }],
  ...(usage ? { usage } : {}),
});
