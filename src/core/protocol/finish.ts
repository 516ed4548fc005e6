// Raw finish values of the three APIs → one normalized {raw, reason, truncated}.
// Every documented value is listed; anything else maps to `other` with the raw value kept (never silently `stop`).
import type { Finish, FinishReason } from './request';

type Api = 'openai' | 'anthropic' | 'gemini';

const OPENAI: Record<string, FinishReason> = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'tool',
  function_call: 'tool',
  content_filter: 'content_filter',
};

const ANTHROPIC: Record<string, FinishReason> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool',
  pause_turn: 'pause',
  refusal: 'content_filter',
};

const GEMINI: Record<string, FinishReason> = {
  FINISH_REASON_UNSPECIFIED: 'other',
  STOP: 'stop',
  MAX_TOKENS: 'length',
  SAFETY: 'content_filter',
  RECITATION: 'content_filter',
  LANGUAGE: 'content_filter',
  OTHER: 'other',
  BLOCKLIST: 'content_filter',
  PROHIBITED_CONTENT: 'content_filter',
  SPII: 'content_filter',
  MALFORMED_FUNCTION_CALL: 'tool',
  IMAGE_SAFETY: 'content_filter',
  IMAGE_PROHIBITED_CONTENT: 'content_filter',
  IMAGE_RECITATION: 'content_filter',
  IMAGE_OTHER: 'other',
  NO_IMAGE: 'other',
  UNEXPECTED_TOOL_CALL: 'tool',
  TOO_MANY_TOOL_CALLS: 'tool',
  // Hit the per-request token limit with generation not yet complete: a truncation.
  CONTINUATION: 'length',
};

export const KNOWN_FINISH_VALUES: Record<Api, readonly string[]> = {
  openai: Object.keys(OPENAI),
  anthropic: Object.keys(ANTHROPIC),
  gemini: Object.keys(GEMINI),
};

/** Longest raw finish value kept (real ones are a word or two). */
export const MAX_RAW_CHARS = 100;

/** A server's finish value, kept verbatim but bounded: one of megabytes would not fit a ledger line. */
export function boundRaw(raw: unknown): string {
  if (typeof raw !== 'string') return raw === null || raw === undefined ? '' : boundRaw(String(raw));
  return raw.length > MAX_RAW_CHARS ? `${raw.slice(0, MAX_RAW_CHARS)}…` : raw;
}

export function mapFinish(api: Api, raw: string | null | undefined, stopSequence?: string | null): Finish {
  const value = boundRaw(raw);
  const table = api === 'openai' ? OPENAI : api === 'anthropic' ? ANTHROPIC : GEMINI;
  const reason: FinishReason = Object.prototype.hasOwnProperty.call(table, value) ? table[value] : 'other';
  const finish: Finish = { raw: value === '' ? 'unknown' : value, reason, truncated: reason === 'length' };
  if (stopSequence) finish.stopSequence = stopSequence;
  return finish;
}

/** The stream ended without any finish value (connection closed, server bug). */
export function brokenOff(hadText: boolean): Finish {
  return { raw: 'error', reason: 'error', truncated: hadText };
}

export function cancelled(): Finish {
  return { raw: 'cancelled', reason: 'cancelled', truncated: false };
}

/** A sentence for the user: why the answer ended. */
export function describeFinish(f: Finish): string {
  switch (f.reason) {
    case 'stop':
      return f.stopSequence ? `stopped at stop sequence ${JSON.stringify(f.stopSequence)}` : 'complete';
    case 'length':
      return f.raw === 'model_context_window_exceeded'
        ? 'truncated: the model context window is full'
        : `truncated at max tokens (${f.raw})`;
    case 'tool':
      return `ended with a tool call (${f.raw})`;
    case 'content_filter':
      return `blocked by the provider's content filter (${f.raw})`;
    case 'pause':
      return 'paused by the provider (pause_turn)';
    case 'cancelled':
      return 'cancelled';
    case 'error':
      return f.truncated ? 'broken off by an error' : 'failed';
    case 'other':
      return `ended for another reason (${f.raw})`;
  }
}
