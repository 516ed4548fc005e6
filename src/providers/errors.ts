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

const CONTEXT_RE = /context[ _-]?(length|window|size)|maximum context|too many tokens|prompt is too long|input is too long|exceeds the (maximum|context)/i;

/**
 * The figures a context refusal states. llama-server: "request (4223 tokens) exceeds the available context size
 * (2048 tokens)" (its request counts the prompt and max tokens); vLLM: "maximum context length is 2048 tokens.
 * However, you requested 3023 tokens".
 */
const LLAMA_CONTEXT = /request \((\d{1,9}) tokens\) exceeds the available context size \((\d{1,9}) tokens\)/;
const VLLM_WINDOW = /maximum context length is (\d{1,9}) tokens/;
const VLLM_REQUESTED = /you requested (\d{1,9}) tokens/;

/** The system's code for a connection that never opened, and the address it names ("connect ECONNREFUSED 127.0.0.1:8080"). */
const NEVER_CONNECTED = /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH)\b(?: (\S{1,200}))?/;

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
  /** Whether any answer text arrived before the failure (false: nothing is there to keep). */
  received?: boolean,
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
    // '' is a request that went without a key (a local server with none stored); undefined: not known here.
    const base: ProviderError = { kind, status, message: messageFor(kind, who, status, raw, retryAfter, apiKey !== '') };
    if (retryAfter !== undefined) base.retryAfterSeconds = retryAfter;
    if (kind === 'context_length') {
      const context = contextFigures(raw);
      if (context) base.context = context;
    }
    return asked?.serviceTier ? withTierRefusal(provider, { serviceTier: asked.serviceTier, model: asked.model }, base, raw) : base;
  }
  // Before the network check: JSON.parse's "Unterminated string…" would match /terminated/ there.
  if (err instanceof SyntaxError || name === 'SyntaxError') {
    return { kind: 'other', message: `${who} sent data that could not be read (${raw}). The text received so far is kept.` };
  }
  const causes = causeText(e);
  const never = NEVER_CONNECTED.exec(causes);
  if (never) {
    const at = never[2] ? ` at ${serverText(never[2], apiKey, 100)}` : '';
    return { kind: 'network', message: `Could not connect to ${who}${at} (${never[1]}): nothing was sent. Is the server running, and is lengthwise.baseUrl right?` };
  }
  // A browser's fetch names no cause (a refused CORS check and an unreachable server look alike): Chromium says
  // "Failed to fetch", Firefox "NetworkError …", Safari "Load failed".
  if (/APIConnection|FetchError|ECONN|ENOTFOUND|EAI_AGAIN|socket|terminated|network|other side closed|fetch failed|failed to fetch|load failed/i.test(`${name} ${raw} ${causes}`)) {
    return {
      kind: 'network',
      message: received === false ? `The connection to ${who} broke before any answer arrived (${raw}).` : `The connection to ${who} broke (${raw}). The text received so far is kept.`,
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

/** The error's causes, a few levels down (the SDK's connection error → fetch's TypeError → the socket's error). */
function causeText(e: ErrorLike): string {
  let out = '';
  let c = e.cause as ErrorLike | undefined;
  for (let depth = 0; c && typeof c === 'object' && depth < 4; depth++) {
    out += ` ${String(c.name ?? '').slice(0, 100)} ${String(c.message ?? '').slice(0, 400)} ${String(c.code ?? '').slice(0, 40)}`;
    c = c.cause as ErrorLike | undefined;
  }
  return out.slice(0, 2000);
}

/** The request's tokens and the window a context refusal states, when it states them. */
function contextFigures(raw: string): ProviderError['context'] | undefined {
  const llama = LLAMA_CONTEXT.exec(raw);
  if (llama) return { requestTokens: Number(llama[1]), window: Number(llama[2]) };
  const window = VLLM_WINDOW.exec(raw);
  const requested = VLLM_REQUESTED.exec(raw);
  if (!window && !requested) return undefined;
  const out: NonNullable<ProviderError['context']> = {};
  if (window) out.window = Number(window[1]);
  if (requested) out.requestTokens = Number(requested[1]);
  return out;
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

function messageFor(kind: ErrorKind, who: string, status: number, raw: string, retryAfter: number | undefined, keySent: boolean): string {
  switch (kind) {
    case 'auth':
      if (!keySent) return `${who} refused the request (${status}): it needs an API key, and no API key was sent (none is stored for it) — run "Lengthwise: Set API Key" → ${who}.`;
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
