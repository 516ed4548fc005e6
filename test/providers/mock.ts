// A local aimock server for provider tests: real HTTP on 127.0.0.1, port 0, with the request journal.
import { LLMock } from '@copilotkit/aimock';
import { after, before, beforeEach } from 'node:test';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GenerationRequest, ProviderEvent, ProviderId } from '../../src/core/protocol/request';
import { createAdapter } from '../../src/providers';

/**
 * aimock's journal normalizes Anthropic and Gemini bodies to an OpenAI-like shape (dropping stop_sequences,
 * stopSequences, systemInstruction…). To assert the exact wire format, requests go through this small recording
 * pass-through proxy in front of aimock; `wire()` returns the raw JSON bodies as the SDKs sent them.
 */
export interface Mock {
  aimock: LLMock;
  url: string;
  wire(): { path: string; body: Record<string, unknown>; headers: http.IncomingHttpHeaders }[];
  clearWire(): void;
  stop(): Promise<void>;
}

export async function startMock(): Promise<Mock> {
  const aimock = new LLMock({ port: 0, host: '127.0.0.1' } as ConstructorParameters<typeof LLMock>[0]);
  await aimock.start();
  const target = new URL(aimock.url);
  let wire: { path: string; body: Record<string, unknown>; headers: http.IncomingHttpHeaders }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      if (req.method === 'POST' && raw.length) {
        try {
          wire.push({ path: req.url ?? '', body: JSON.parse(raw.toString('utf8')), headers: req.headers });
        } catch {
          wire.push({ path: req.url ?? '', body: { _unparsed: raw.toString('utf8') }, headers: req.headers });
        }
      }
      const up = http.request(
        { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
        (upRes) => {
          res.writeHead(upRes.statusCode ?? 502, upRes.headers);
          upRes.pipe(res);
          upRes.on('error', () => res.destroy());
        },
      );
      up.on('error', () => res.destroy());
      res.on('close', () => up.destroy());
      up.end(raw);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    aimock,
    url,
    wire: () => wire,
    clearWire: () => {
      wire = [];
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await aimock.stop();
    },
  };
}

export function baseUrlFor(mock: Mock, provider: ProviderId): string {
  return provider === 'openai' || provider === 'openai-compatible' ? `${mock.url}/v1` : mock.url;
}

export function request(provider: ProviderId, mock: Mock, over: Partial<GenerationRequest> = {}): GenerationRequest {
  return {
    provider,
    model: provider === 'anthropic' ? 'claude-sonnet-4-6' : provider === 'gemini' ? 'gemini-2.5-flash' : 'gpt-4.1-mini',
    baseUrl: baseUrlFor(mock, provider),
    messages: [{ role: 'user', content: 'hello' }],
    maxTokens: 100,
    stop: [],
    maxRetries: 0,
    ...over,
  };
}

export interface Collected {
  text: string;
  events: ProviderEvent[];
  finish?: Extract<ProviderEvent, { type: 'finish' }>['finish'];
  errors: Extract<ProviderEvent, { type: 'error' }>['error'][];
  usage: Record<string, number | undefined>;
  retries: Extract<ProviderEvent, { type: 'retry' }>[];
}

export async function collect(req: GenerationRequest, opts: { apiKey?: string; signal?: AbortSignal; onText?: (t: string) => void } = {}): Promise<Collected> {
  const out: Collected = { text: '', events: [], errors: [], usage: {}, retries: [] };
  for await (const e of createAdapter(req.provider).stream(req, { apiKey: opts.apiKey ?? 'test-key', signal: opts.signal })) {
    out.events.push(e);
    if (e.type === 'text') {
      out.text += e.text;
      opts.onText?.(e.text);
    } else if (e.type === 'usage') Object.assign(out.usage, e.usage);
    else if (e.type === 'finish') out.finish = e.finish;
    else if (e.type === 'error') out.errors.push(e.error);
    else if (e.type === 'retry') out.retries.push(e);
  }
  return out;
}

/** The last raw JSON body sent over the wire. */
export function lastBody(mock: Mock): Record<string, unknown> {
  const w = mock.wire();
  if (!w.length) throw new Error('nothing was sent');
  return w[w.length - 1].body;
}

/** One aimock (behind the recording pass-through) for a test file: started before, stopped after, reset before each test. */
export function useMock(): () => Mock {
  let mock: Mock | undefined;
  before(async () => {
    mock = await startMock();
  });
  after(async () => {
    await mock?.stop();
  });
  beforeEach(() => {
    mock!.aimock.clearFixtures();
    mock!.aimock.clearRequests();
    mock!.aimock.clearChaos();
    mock!.aimock.resetMatchCounts();
    mock!.clearWire();
  });
  return () => mock!;
}
