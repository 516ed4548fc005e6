// Normalized finishes: a raw value bounded and kept, the Responses API's status, a stream broken off, a cancel, and
// the sentence for the user. Each provider's table of raw values is in its profile (core/providers/finish.ts maps).
import type { Finish, FinishReason } from './request';

/** Longest raw finish value kept (real ones are a word or two). */
export const MAX_RAW_CHARS = 100;

/** A server's finish value, kept verbatim but bounded: one of megabytes would not fit a ledger line. */
export function boundRaw(raw: unknown): string {
  if (typeof raw !== 'string') return raw === null || raw === undefined ? '' : boundRaw(String(raw));
  return raw.length > MAX_RAW_CHARS ? `${raw.slice(0, MAX_RAW_CHARS)}…` : raw;
}


/**
 * OpenAI Responses API: `status` of the final response, and `incomplete_details.reason` when incomplete. The raw
 * value keeps both (`incomplete:max_output_tokens`). An incomplete answer without a known reason is still
 * incomplete, so it stays continuable (`other`, truncated); a content-filter stop is not continued.
 */
/** @public the documented statuses, for the test that checks the mapping covers each */
export const RESPONSES_STATUSES = ['completed', 'incomplete', 'failed', 'cancelled', 'queued', 'in_progress'] as const;
const RESPONSES_INCOMPLETE: Record<string, FinishReason> = {
  max_output_tokens: 'length',
  content_filter: 'content_filter',
};
/** @public the documented incomplete reasons, for the test that checks the mapping covers each */
export const KNOWN_RESPONSES_INCOMPLETE_REASONS = Object.keys(RESPONSES_INCOMPLETE);

export function mapResponsesFinish(status: string | null | undefined, incompleteReason?: string | null, hadText = false): Finish {
  const st = status ?? '';
  switch (st) {
    case 'completed':
      return { raw: 'completed', reason: 'stop', truncated: false };
    case 'incomplete': {
      const why = incompleteReason ?? '';
      const raw = why ? `incomplete:${why}` : 'incomplete';
      const known = Object.prototype.hasOwnProperty.call(RESPONSES_INCOMPLETE, why) ? RESPONSES_INCOMPLETE[why] : undefined;
      if (known) return { raw, reason: known, truncated: known === 'length' };
      return { raw, reason: 'other', truncated: true };
    }
    case 'failed':
      return { raw: 'failed', reason: 'error', truncated: hadText };
    case 'cancelled':
      return { raw: 'cancelled', reason: 'cancelled', truncated: false };
    default:
      // queued / in_progress as the last word: the stream stopped before the response ended.
      return { raw: st === '' ? 'unknown' : st, reason: 'other', truncated: hadText };
  }
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
      return f.truncated ? `incomplete for another reason (${f.raw}); it can be continued` : `ended for another reason (${f.raw})`;
  }
}
