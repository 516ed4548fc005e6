// Shared plumbing of the adapters: an event channel, a fetch wrapper that reports the SDKs' retry waits,
// and the translation of SDK errors into ProviderError kinds with messages a person can act on.
import type { ErrorKind, ProviderError, ProviderEvent, ProviderId } from '../core/protocol/request';
import { providerLabel } from '../core/protocol/request';

/** A single-consumer async queue: producers push events, the adapter's caller iterates them. */
export class EventChannel implements AsyncIterable<ProviderEvent> {
  private readonly buffer: ProviderEvent[] = [];
  private wake: (() => void) | undefined;
  private closed = false;

  push(e: ProviderEvent): void {
    if (this.closed) return;
    this.buffer.push(e);
    this.wake?.();
  }

  close(): void {
    this.closed = true;
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<ProviderEvent> {
    for (;;) {
      while (this.buffer.length) yield this.buffer.shift()!;
      if (this.closed) return;
      await new Promise<void>((r) => (this.wake = r));
      this.wake = undefined;
    }
  }
}

const RETRYABLE = (status: number) => status === 408 || status === 409 || status === 429 || status >= 500;

/**
 * Wraps fetch so the caller learns when the SDK is about to wait and retry (the SDKs retry silently).
 * `maxRetries` is the SDK's setting: a retryable response on attempt ≤ maxRetries will be retried.
 */
export function observingFetch(
  maxRetries: number,
  onRetry: (status: number, waitSeconds: number, attempt: number) => void,
  defaultWaitSeconds: (attempt: number) => number,
): typeof fetch {
  let attempt = 0;
  return async (input, init) => {
    attempt++;
    const res = await fetch(input, init);
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

/** Turns whatever an SDK threw into a ProviderError. `aborted` = our own AbortSignal fired. */
export function toProviderError(
  provider: ProviderId,
  err: unknown,
  aborted: boolean,
  timeoutSeconds?: number,
): ProviderError {
  const who = providerLabel(provider);
  const e = (err ?? {}) as ErrorLike;
  const name = e.name ?? '';
  const raw = redact(String(e.message ?? err ?? 'unknown error'));
  if (aborted || name === 'AbortError' || /UserAbort/.test(name)) {
    return { kind: 'cancelled', message: 'Cancelled.' };
  }
  if (/Timeout/i.test(name) || /timed? ?out/i.test(raw)) {
    const limit = timeoutSeconds ? ` after ${timeoutSeconds} s (lengthwise.requestTimeoutSeconds)` : '';
    return { kind: 'timeout', message: `${who} did not answer in time${limit}. The text received so far is kept.` };
  }
  const status = typeof e.status === 'number' ? e.status : statusFromMessage(raw);
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

function causeText(e: ErrorLike): string {
  const c = e.cause as ErrorLike | undefined;
  return c ? `${c.name ?? ''} ${c.message ?? ''} ${c.code ?? ''}` : '';
}

function statusFromMessage(msg: string): number | undefined {
  // @google/genai's ApiError carries `status`, but some paths only put it in the message ("got status: 429").
  const m = /status(?: code)?:? (\d{3})/i.exec(msg);
  return m ? Number(m[1]) : undefined;
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

/** Never let anything that looks like a key reach a message or a log. */
function redact(text: string): string {
  return text
    .replace(/\b(sk-[A-Za-z0-9_-]{6})[A-Za-z0-9_-]{6,}/g, '$1…')
    .replace(/\b(sk-ant-[A-Za-z0-9_-]{4})[A-Za-z0-9_-]{6,}/g, '$1…')
    .replace(/\b(AIza[0-9A-Za-z_-]{4})[0-9A-Za-z_-]{10,}/g, '$1…')
    .replace(/([?&]key=)[^&\s]+/g, '$1…');
}
