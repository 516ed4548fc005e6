// Output lengths of a group of answers (percentiles, a histogram, the truncated share, the finish reasons) and the
// rule of the max-tokens recommendation as the panel states it (the recommendation itself: recommend.ts).
import type { LedgerRecord } from '../ledger/record';

/** The recommendation rule; shown in the panel as it is applied. */
export const RULE = Object.freeze({
  /** Answers needed before the rule speaks: non-truncated ones to lower, any to raise. */
  minSamples: 10,
  /** Suggested cap = p95 × buffer, rounded up to two significant digits. */
  buffer: 1.2,
  /** At this share of truncated answers the rule suggests raising. */
  raiseShare: 0.2,
  /** Raise to at least the current cap × this. */
  raiseFactor: 1.5,
  /** Changes smaller than this fraction of the current cap are not worth suggesting. */
  tolerance: 0.1,
});

export interface HistogramBin {
  from: number;
  /** Exclusive upper bound. */
  to: number;
  count: number;
  truncated: number;
}

export interface LengthStats {
  /** Answers counted: first rounds that ended (not cancelled, failed or interrupted). */
  samples: number;
  truncated: number;
  truncatedShare: number;
  p50: number | null;
  p95: number | null;
  max: number | null;
  histogram: HistogramBin[];
  /** Finish reasons of every request of the preset (continuation rounds and failures included). */
  finishReasons: { reason: string; raw: string[]; count: number }[];
  /** Requests left out of the length statistics, and why. */
  excluded: { continuationRounds: number; notFinished: number };
  /** The same answers split by whether a length hint went with them: does the hint help? */
  byHint: { withHint: TruncatedShare; withoutHint: TruncatedShare };
}

export interface TruncatedShare {
  samples: number;
  truncated: number;
  /** null without samples. */
  share: number | null;
}

/** Nearest-rank percentile (p in 0..100) of unsorted values; null for none. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort(); // numeric order, without a comparator call per comparison
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** Rounds up to two significant digits: 494.4 → 500, 1536 → 1600, 9.6 → 10. */
export function niceCeil(x: number): number {
  if (!(x > 0)) return 1;
  const step = Math.pow(10, Math.max(0, Math.floor(Math.log10(x)) - 1));
  return Math.max(1, Math.ceil(Math.round((x / step) * 1e9) / 1e9) * step);
}

/** The smallest 1, 2 or 5 × 10^k that is ≥ x (a bin width people read easily). */
export function niceStep(x: number): number {
  if (!(x > 1)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(x)));
  for (const m of [1, 2, 5, 10]) if (m * p >= x) return m * p;
  return 10 * p;
}

/** A histogram of output lengths with at most about `target` bins of a round width, up to `top` (e.g. the cap). */
export function histogram(samples: readonly { output: number; truncated: boolean }[], top: number, target = 12): HistogramBin[] {
  if (samples.length === 0) return [];
  // A loop, not Math.max(...spread): 150,000 samples would overflow the call stack.
  let hi = Math.max(top, 1);
  for (const s of samples) if (s.output > hi) hi = s.output;
  // One more than the highest value, so a sample at the top (an answer cut at the cap) falls in the last bin.
  const width = niceStep((hi + 1) / target);
  const n = Math.ceil((hi + 1) / width);
  const bins: HistogramBin[] = Array.from({ length: n }, (_, i) => ({ from: i * width, to: (i + 1) * width, count: 0, truncated: 0 }));
  for (const s of samples) {
    const b = bins[Math.min(n - 1, Math.floor(s.output / width))];
    b.count++;
    if (s.truncated) b.truncated++;
  }
  return bins;
}

const NOT_FINISHED = new Set(['cancelled', 'error']);

/** First rounds that ended: the answers whose length says how long this preset's answers are. */
export function lengthSamples(records: readonly LedgerRecord[]): LedgerRecord[] {
  return records.filter((r) => (r.round === undefined || r.round <= 1) && !r.interrupted && !NOT_FINISHED.has(r.finish.reason));
}

export function lengthStats(records: readonly LedgerRecord[], cap: number | null): LengthStats {
  const samples = lengthSamples(records);
  const outputs = samples.map((r) => r.usage.outputTokens);
  const truncated = samples.filter((r) => r.finish.truncated).length;
  const reasons = new Map<string, { reason: string; raw: Set<string>; count: number }>();
  for (const r of records) {
    let e = reasons.get(r.finish.reason);
    if (!e) reasons.set(r.finish.reason, (e = { reason: r.finish.reason, raw: new Set(), count: 0 }));
    e.count++;
    if (r.finish.raw) e.raw.add(r.finish.raw);
  }
  const firstRounds = records.filter((r) => r.round === undefined || r.round <= 1).length;
  return {
    samples: samples.length,
    truncated,
    truncatedShare: samples.length ? truncated / samples.length : 0,
    p50: percentile(outputs, 50),
    p95: percentile(outputs, 95),
    max: outputs.length ? outputs.reduce((a, b) => (b > a ? b : a)) : null,
    histogram: histogram(
      samples.map((r) => ({ output: r.usage.outputTokens, truncated: r.finish.truncated })),
      cap ?? 0,
    ),
    finishReasons: [...reasons.values()].map((e) => ({ reason: e.reason, raw: [...e.raw].sort(), count: e.count })).sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
    excluded: { continuationRounds: records.length - firstRounds, notFinished: firstRounds - samples.length },
    byHint: { withHint: truncatedShare(samples.filter((r) => r.lengthHint === true)), withoutHint: truncatedShare(samples.filter((r) => r.lengthHint !== true)) },
  };
}

function truncatedShare(samples: readonly LedgerRecord[]): TruncatedShare {
  const truncated = samples.filter((r) => r.finish.truncated).length;
  return { samples: samples.length, truncated, share: samples.length ? truncated / samples.length : null };
}

const fmtPct = (x: number): string => `${Math.round(x * 100)}%`;

export function ruleText(): string {
  return (
    `Suggested max tokens = p95 of the output lengths × ${RULE.buffer}, rounded up to two significant digits. ` +
    `The rule speaks after ${RULE.minSamples} complete (not truncated) answers of a preset. ` +
    `When ${fmtPct(RULE.raiseShare)} or more of the answers were truncated (and there are at least ${RULE.minSamples}), it suggests raising ` +
    `to the larger of the current cap × ${RULE.raiseFactor} and the p95 of the full lengths of continued answers × ${RULE.buffer}. ` +
    `Changes within ${fmtPct(RULE.tolerance)} of the current cap are not suggested. ` +
    `Each model a preset sent to is judged on its own answers, and only on answers sent under the cap it is judged at ` +
    `(the preset's max tokens, else the last cap sent): an answer cut at another cap, or by another model, says nothing about this one. ` +
    `Only first rounds that ended count as answers (continuation rounds, cancelled, failed and interrupted requests do not). ` +
    `The worst-case output cost of a call is the cap × the output price, so it changes by the same percentage as the cap; ` +
    `where the model's prices are known, the whole worst case (mean input + cap) is given instead.`
  );
}
