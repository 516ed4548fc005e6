// Whatever an SDK threw → a ProviderError kind with a message a person can act on (never the key, never a link).
import type { ErrorKind, GenerationRequest, PaidTier, ProviderError, ProviderId } from '../core/protocol/request';
import { providerLabel } from '../core/providers/index';
import { tierRefusal } from '../core/providers/tiers';
import { serverText } from '../core/protocol/serverText';
import { OFF_ORIGIN_STATUS } from './keyFetch';
import { retryAfterSeconds } from './retries';

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
  asked?: Pick<GenerationRequest, 'serviceTier' | 'model'>,
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
    return asked?.serviceTier ? withTierRefusal(provider, { serviceTier: asked.serviceTier, model: asked.model }, base, raw) : base;
  }
  // Before the network check: JSON.parse's "Unterminated string…" would match /terminated/ there.
  if (err instanceof SyntaxError || name === 'SyntaxError') {
    return { kind: 'other', message: `${who} sent data that could not be read (${raw}). The text received so far is kept.` };
  }
  // A browser's fetch names no cause (a refused CORS check and an unreachable server look alike): Chromium says
  // "Failed to fetch", Firefox "NetworkError …", Safari "Load failed".
  if (/APIConnection|FetchError|ECONN|ENOTFOUND|EAI_AGAIN|socket|terminated|network|other side closed|fetch failed|failed to fetch|load failed/i.test(`${name} ${raw} ${causeText(e)}`)) {
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


/**
 * A request that asked for a tier, refused for that tier (flex without capacity, or a tier the model is not served
 * at): said as such, marked `tierRefused` for the one-click retry at standard. Nothing is billed for a refusal, and
 * Lengthwise never sends it again at a higher price by itself. `raw`: the server's own words.
 */
function withTierRefusal(provider: ProviderId, req: { serviceTier: PaidTier; model: string }, e: ProviderError, raw: string): ProviderError {
  const tier = req.serviceTier;
  const why = tierRefusal(provider, tier, e.status, raw);
  if (!why) return e;
  const who = providerLabel(provider);
  const message =
    why === 'busy'
      ? `${who} has no ${tier} capacity for this request right now (${e.status}); a refused ${tier} request is not billed. Retry at the standard tier, or later at ${tier}.`
      : `${who} does not serve ${req.model} at the ${tier} tier (${e.status}: ${raw}); nothing was billed. Retry at the standard tier, or set lengthwise.serviceTier to "standard".`;
  return { ...e, message, tierRefused: tier };
}
