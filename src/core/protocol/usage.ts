// Token counts a server reports are believed only when they are plain counts. A broken or hostile server can send
// "100" (which `+` turns into "10000"), 1e309 (Infinity), 1e300 or -5: such a field is dropped, the local count
// stands in for it, and the usage is labelled an estimate.
import { OPTIONAL_USAGE_KEYS, type Usage } from './request';

/**
 * No single request reads or writes this many tokens (the largest context windows hold about two million), so a
 * larger count is a broken number, not usage.
 */
export const MAX_REPORTED_TOKENS = 10_000_000;

/** A count a server may report: a whole number from 0 to MAX_REPORTED_TOKENS, of type number. */
export function tokenCount(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_REPORTED_TOKENS ? v : undefined;
}

const FIELDS = ['inputTokens', 'outputTokens', ...OPTIONAL_USAGE_KEYS] as const;

/** A reported field that was not believed, and how the user is shown it (`inputTokens "100" (text)`). */
export interface RejectedField {
  field: keyof Usage;
  shown: string;
}

/** The believable fields of a reported usage, and each field that was not. */
export function checkUsage(u: Partial<Record<keyof Usage, unknown>>): { usage: Partial<Usage>; rejected: RejectedField[] } {
  const usage: Partial<Usage> = {};
  const rejected: RejectedField[] = [];
  for (const k of FIELDS) {
    const v = u[k];
    if (v === undefined || v === null) continue;
    const n = tokenCount(v);
    if (n !== undefined) usage[k] = n;
    else rejected.push({ field: k, shown: `${k} ${typeof v === 'string' ? JSON.stringify(v.slice(0, 20)) + ' (text)' : String(v).slice(0, 24)}` });
  }
  return { usage, rejected };
}

/**
 * A whole Usage from a report that has no local count to stand in for it (a batch result): every believable field
 * is kept, the optional ones when above 0. undefined when the input or output count is missing or not believable:
 * the caller then says the figure is unknown rather than record a provider's 0.
 */
export function completeUsage(u: Partial<Record<keyof Usage, unknown>>): Usage | undefined {
  const { usage } = checkUsage(u);
  if (usage.inputTokens === undefined || usage.outputTokens === undefined) return undefined;
  const out: Usage = { inputTokens: usage.inputTokens, outputTokens: usage.outputTokens };
  for (const k of OPTIONAL_USAGE_KEYS) if (usage[k]) out[k] = usage[k];
  return out;
}

/** What the user is told when a server's usage was not believed. */
export function rejectedUsageNote(who: string, rejected: readonly string[]): string {
  return `${who} reported usage that is not a plain token count (${rejected.join(', ')}): the local count is used instead, labelled an estimate.`;
}
