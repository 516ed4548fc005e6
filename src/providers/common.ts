// Shared plumbing of the adapters: an event channel, a fetch wrapper that reports the SDKs' retry waits,
// and the translation of SDK errors into ProviderError kinds with messages a person can act on.
import type { ErrorKind, ProviderError, ProviderEvent, ProviderId } from '../core/protocol/request';
import { providerLabel } from '../core/providers/index';
import { serverText } from '../core/protocol/serverText';
import { OFF_ORIGIN_STATUS } from './keyFetch';

/**
 * A single-consumer async queue: producers push events, the adapter's caller iterates them. The consumer is woken
 * once per turn of the event loop (setImmediate), not per event, and text deltas that arrive in the same turn are
 * joined into one `text` event: an SDK parses a whole network read into dozens of chunks at once, and handing each
 * on as its own event (an object, a promise, a meter update, a sink call) cost the stream path a third more CPU
 * than the SDK loop itself. The text and the order of events are unchanged.
 */
export class EventChannel implements AsyncIterable<ProviderEvent> {
  private buffer: ProviderEvent[] = [];
  /** The buffered text event still open for appending (the last one in the buffer). */
  private openText: { type: 'text'; text: string } | undefined;
  private wake: (() => void) | undefined;
  private wakeScheduled = false;
  private closed = false;

  push(e: ProviderEvent): void {
    if (this.closed) return;
    this.openText = undefined;
    this.buffer.push(e);
    this.schedule();
  }

  /** Appends a text delta: to the last buffered event when it is text, else as a new event. */
  pushText(delta: string): void {
    if (this.closed || !delta) return;
    if (this.openText) this.openText.text += delta;
    else {
      this.openText = { type: 'text', text: delta };
      this.buffer.push(this.openText);
    }
    this.schedule();
  }

  close(): void {
    this.closed = true;
    this.schedule();
  }

  private schedule(): void {
    if (this.wakeScheduled || !this.wake) return;
    this.wakeScheduled = true;
    setImmediate(() => {
      this.wakeScheduled = false;
      const w = this.wake;
      this.wake = undefined;
      w?.();
    });
  }

  [Symbol.asyncIterator](): AsyncIterator<ProviderEvent> {
    let pending: ProviderEvent[] = [];
    let at = 0;
    const next = async (): Promise<IteratorResult<ProviderEvent>> => {
      for (;;) {
        if (at < pending.length) return { value: pending[at++], done: false };
        if (this.buffer.length) {
          // Take the whole buffer: what is handed out can no longer be appended to.
          pending = this.buffer;
          at = 0;
          this.buffer = [];
          this.openText = undefined;
          continue;
        }
        if (this.closed) return { value: undefined, done: true };
        await new Promise<void>((r) => (this.wake = r));
      }
    };
    return { next };
  }
}

const RETRYABLE = (status: number) => status === 408 || status === 409 || status === 429 || status >= 500;

/**
 * Wraps `base` (the key's pinned fetch, providers/keyFetch.ts) so the caller learns when the SDK is about to wait and retry (the SDKs retry silently).
 * `maxRetries` is the SDK's setting: a retryable response on attempt ≤ maxRetries will be retried.
 */
export function observingFetch(
  base: typeof fetch,
  maxRetries: number,
  onRetry: (status: number, waitSeconds: number, attempt: number) => void,
  defaultWaitSeconds: (attempt: number) => number,
): typeof fetch {
  let attempt = 0;
  return async (input, init) => {
    attempt++;
    const res = await base(input, init);
    if (!res.ok && RETRYABLE(res.status) && attempt <= maxRetries) {
      const wait = retryAfterSeconds(res.headers) ?? defaultWaitSeconds(attempt);
      onRetry(res.status, wait, attempt);
    }
    return res;
  };
}

function retryAfterSeconds(headers: Headers | Record<string, string> | undefined | null): number | undefined {
  if (!headers) return undefined;
  const get = (k: string) =>
    headers instanceof Headers ? headers.get(k) : (headers as Record<string, string>)[k] ?? undefined;
  const ms = get('retry-after-ms');
  if (ms && !Number.isNaN(parseFloat(ms))) return parseFloat(ms) / 1000;
  const s = get('retry-after');
  if (!s) return undefined;
  const n = parseFloat(s);
  if (!Number.isNaN(n)) return n;
  const date = Date.parse(s);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}

interface ErrorLike {
  name?: string;
  message?: string;
  status?: number;
  headers?: Headers | Record<string, string>;
  code?: string;
  cause?: unknown;
}

const CONTEXT_RE = /context[ _-]?(length|window)|maximum context|too many tokens|prompt is too long|input is too long|exceeds the (maximum|context)/i;

/**
 * Turns whatever an SDK threw into a ProviderError. `aborted` = our own AbortSignal fired. `apiKey`: the key of
 * the request, removed from the message even where the server echoes it.
 */
export function toProviderError(
  provider: ProviderId,
  err: unknown,
  aborted: boolean,
  timeoutSeconds?: number,
  apiKey?: string,
): ProviderError {
  const who = providerLabel(provider);
  const e = (err ?? {}) as ErrorLike;
  const name = String(e.name ?? '').slice(0, 100);
  const raw = serverText(String(e.message ?? err ?? 'unknown error'), apiKey);
  if (aborted || name === 'AbortError' || /UserAbort/.test(name)) {
    return { kind: 'cancelled', message: 'Cancelled.' };
  }
  if (/Timeout/i.test(name) || /timed? ?out/i.test(raw)) {
    const limit = timeoutSeconds ? ` after ${timeoutSeconds} s (lengthwise.requestTimeoutSeconds)` : '';
    return { kind: 'timeout', message: `${who} did not answer in time${limit}. The text received so far is kept.` };
  }
  const status = typeof e.status === 'number' ? e.status : statusFromMessage(raw);
  if (status === OFF_ORIGIN_STATUS && /not the approved endpoint/.test(raw)) {
    const m = /refused to send the request to (\S+): not the approved endpoint (\S+)/.exec(raw);
    return { kind: 'other', status, message: `${who}: the server pointed Lengthwise at ${m?.[1] ?? 'another address'}, which is not the approved endpoint${m ? ` ${m[2]}` : ''}; nothing was sent there, and your key was not.` };
  }
  if (status !== undefined && status >= 300 && status < 400) {
    // keyFetch does not follow redirects: the key stays with the host the settings name.
    const to = locationHost(e.headers) ?? /redirect to (\S+) not followed/.exec(raw)?.[1];
    return { kind: 'other', status, message: `${who} answered with a redirect (${status})${to ? ` to ${to}` : ''}, which Lengthwise does not follow with your key: check lengthwise.baseUrl.` };
  }
  if (status !== undefined) {
    const retryAfter = retryAfterSeconds(e.headers);
    const kind = kindForStatus(status, raw);
    const base: ProviderError = { kind, status, message: messageFor(kind, who, status, raw, retryAfter) };
    if (retryAfter !== undefined) base.retryAfterSeconds = retryAfter;
    return base;
  }
  // Before the network check: JSON.parse's "Unterminated string…" would match /terminated/ there.
  if (err instanceof SyntaxError || name === 'SyntaxError') {
    return { kind: 'other', message: `${who} sent data that could not be read (${raw}). The text received so far is kept.` };
  }
  if (/APIConnection|FetchError|ECONN|ENOTFOUND|EAI_AGAIN|socket|terminated|network|other side closed|fetch failed/i.test(`${name} ${raw} ${causeText(e)}`)) {
    return {
      kind: 'network',
      message: `The connection to ${who} broke (${raw}). The text received so far is kept.`,
    };
  }
  if (err instanceof SyntaxError || /JSON|Unexpected token|parse/i.test(raw)) {
    return { kind: 'other', message: `${who} sent data that could not be read (${raw}). The text received so far is kept.` };
  }
  return { kind: 'other', message: `${who} request failed: ${raw}` };
}

function locationHost(headers: ErrorLike['headers']): string | undefined {
  const loc = headers instanceof Headers ? headers.get('location') : headers?.location;
  if (!loc) return undefined;
  try {
    return serverText(new URL(loc).host, undefined, 100);
  } catch {
    return undefined;
  }
}

function causeText(e: ErrorLike): string {
  const c = e.cause as ErrorLike | undefined;
  return c ? `${c.name ?? ''} ${c.message ?? ''} ${c.code ?? ''}`.slice(0, 1000) : '';
}

function statusFromMessage(msg: string): number | undefined {
  // @google/genai's ApiError carries `status`, but some paths only put it in the message ("got status: 429").
  // A non-JSON answer outside 4xx/5xx (e.g. a 3xx redirect) is thrown as a plain Error with the body {"error":{"code":307…}}.
  const m = /status(?: code)?:? (\d{3})|"code":\s*(\d{3})\b/i.exec(msg);
  return m ? Number(m[1] ?? m[2]) : undefined;
}

function kindForStatus(status: number, msg: string): ErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 429) return 'rate_limit';
  if (status === 529 || status === 503 || /overloaded/i.test(msg)) return 'overloaded';
  if ((status === 400 || status === 413 || status === 422) && CONTEXT_RE.test(msg)) return 'context_length';
  if (status === 408) return 'timeout';
  if (status >= 400 && status < 500) return 'bad_request';
  return 'other';
}

function messageFor(kind: ErrorKind, who: string, status: number, raw: string, retryAfter?: number): string {
  switch (kind) {
    case 'auth':
      return `${who} rejected the API key (${status}) — run "Lengthwise: Set API Key".`;
    case 'rate_limit':
      return `${who} rate limit reached (429)${retryAfter !== undefined ? `; retry after ${Math.ceil(retryAfter)} s` : ''}. Retries are exhausted — try again later.`;
    case 'overloaded':
      return `${who} is overloaded (${status}); retries are exhausted — try again in a moment.`;
    case 'context_length':
      return `${who}: the input plus max tokens does not fit the model's context window (${status}): ${raw}`;
    case 'timeout':
      return `${who} timed out (${status}).`;
    case 'bad_request':
      return `${who} refused the request (${status}): ${raw}`;
    default:
      // 5xx are retried by the SDK before they get here: say so, so the user knows retrying now is unlikely to help.
      if (status >= 500) return `${who} server error (${status}): ${raw}. Retries are exhausted — try again later.`;
      return `${who} failed (${status}): ${raw}`;
  }
}

/** Largest piece of an event-stream body handed to the openai SDK at once (bytes). */
const MAX_PIECE = 2048;

/**
 * An event-stream response whose body is handed on in pieces of at most `max` bytes (views of the same memory, no
 * copy): the openai SDK 6.x (7.x fixed it but needs Node 22) copies the rest of a network read once for every event
 * it splits off it, so one read costs O(n²) in its size. A fast local server delivers 16–64 KB reads; with 2 KB
 * pieces the SDK's CPU for a 100,000-token stream drops by 7–25 % (`npm run bench`, figures (1); 1 and 4 KB were
 * slower). The bytes and their order are unchanged.
 */
export function boundedReads(res: Response, max = MAX_PIECE): Response {
  const body = res.body;
  if (!res.ok || !body || !/^text\/event-stream/i.test(res.headers.get('content-type') ?? '')) return res;
  const reader = body.getReader();
  let rest: Uint8Array | undefined;
  const pieces = new ReadableStream<Uint8Array>(
    {
      async pull(ctrl) {
        if (!rest) {
          const r = await reader.read();
          if (r.done) return ctrl.close();
          rest = r.value;
        }
        if (rest.length <= max) {
          ctrl.enqueue(rest);
          rest = undefined;
        } else {
          ctrl.enqueue(rest.subarray(0, max));
          rest = rest.subarray(max);
        }
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
  return new Response(pieces, { status: res.status, statusText: res.statusText, headers: res.headers });
}
