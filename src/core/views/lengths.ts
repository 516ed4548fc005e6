// Output lengths of a group of answers (percentiles, a histogram, the truncated share, the finish reasons) and the
// max-tokens recommendation made from them, with the rule as the panel states it.
import type { LedgerRecord } from '../ledger/record';

/** A model's input and output price per million tokens, when known. */
export type PriceOf = (provider: string, model: string) => { input: number; output: number } | undefined;

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

type RecommendationKind = 'lower' | 'raise' | 'keep' | 'insufficient';

export interface Recommendation {
  kind: RecommendationKind;
  /** The cap the rule compares against: the configured value, else the last one sent. */
  current: number | null;
  suggested: number | null;
  /** Change of the worst-case output cost per call in percent (suggested / current − 1), when suggesting. */
  outputWorstCaseChangePct: number | null;
  /** Change of the whole worst-case cost per call (mean input + cap as output) when prices are known. */
  worstCaseChangePct: number | null;
  text: string;
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

const fmtInt = (n: number): string => Math.round(n).toLocaleString('en-US');
const fmtPct = (x: number): string => `${Math.round(x * 100)}%`;

/**
 * The max-tokens rule for one preset's records (see RULE): with at least minSamples answers that were not truncated,
 * suggest p95 × buffer rounded up; with ≥ raiseShare of answers truncated (and at least minSamples answers), suggest
 * raising to max(current × raiseFactor, p95 of the full lengths × buffer), where a continued answer's full length is
 * the output of its whole chain. Changes within tolerance of the current cap are "keep".
 */
export function recommend(
  name: string,
  records: readonly LedgerRecord[],
  configured: number | undefined,
  allRecords: readonly LedgerRecord[] | ChainOutputs = records,
  priceOf?: PriceOf,
): Recommendation {
  const samples = lengthSamples(records);
  // The newest record (ISO times compare as strings; localeCompare would cost ICU collation per comparison).
  let latest: LedgerRecord | undefined;
  for (const r of records) if (!latest || r.time >= latest.time) latest = r;
  const current = configured ?? latest?.maxTokens ?? null;
  const truncated = samples.filter((r) => r.finish.truncated);
  const complete = samples.length - truncated.length;
  const share = samples.length ? truncated.length / samples.length : 0;
  const base = { current, suggested: null, outputWorstCaseChangePct: null, worstCaseChangePct: null };
  const at = current !== null ? ` at ${fmtInt(current)}` : '';

  if (current === null || samples.length < RULE.minSamples || (share < RULE.raiseShare && complete < RULE.minSamples)) {
    const have = share >= RULE.raiseShare ? samples.length : complete;
    return {
      ...base,
      kind: 'insufficient',
      text: `${name}: not enough data yet — ${have} of the ${RULE.minSamples} ${share >= RULE.raiseShare ? 'answers' : 'complete answers'} the rule needs.`,
    };
  }

  const change = (suggested: number) => {
    const outputPct = (suggested / current - 1) * 100;
    let wholePct: number | null = null;
    if (priceOf) {
      // Worst case of a typical call: this preset's mean input at the input price plus the cap at the output price,
      // for the model used most often.
      const byModel = new Map<string, { provider: string; model: string; n: number }>();
      for (const r of samples) {
        const k = `${r.provider}\u0000${r.model}`;
        const e = byModel.get(k) ?? { provider: r.provider, model: r.model, n: 0 };
        e.n++;
        byModel.set(k, e);
      }
      const top = [...byModel.values()].sort((a, b) => b.n - a.n)[0];
      const price = top && priceOf(top.provider, top.model);
      if (price && price.output > 0) {
        const meanIn = samples.reduce((s, r) => s + r.usage.inputTokens, 0) / samples.length;
        const wc = (cap: number) => meanIn * price.input + cap * price.output;
        wholePct = (wc(suggested) / wc(current) - 1) * 100;
      }
    }
    return { outputWorstCaseChangePct: outputPct, worstCaseChangePct: wholePct };
  };
  const costText = (c: ReturnType<typeof change>) => {
    const pct = c.worstCaseChangePct ?? c.outputWorstCaseChangePct;
    const what = c.worstCaseChangePct !== null ? 'worst-case cost per call' : 'worst-case output cost per call';
    return `${what} ${pct < 0 ? 'falls' : 'rises'} ${Math.abs(Math.round(pct))}%`;
  };

  if (share >= RULE.raiseShare) {
    // A continued answer's real length is its chain's output; an answer cut and never continued is at least the cap.
    const chainOutput = allRecords instanceof Map ? allRecords : chainOutputs(allRecords as readonly LedgerRecord[]);
    const full = samples.map((r) => (r.finish.truncated && r.chainId ? Math.max(r.usage.outputTokens, chainOutput.get(r.chainId) ?? 0) : r.usage.outputTokens));
    const p95Full = percentile(full, 95) ?? current;
    const suggested = niceCeil(Math.max(current * RULE.raiseFactor, p95Full * RULE.buffer));
    const c = change(suggested);
    const continued = p95Full > current ? `; continued answers reach ${fmtInt(p95Full)} tokens (p95)` : '';
    return {
      ...base,
      kind: 'raise',
      suggested,
      ...c,
      text: `${name}: ${fmtPct(share)} of ${samples.length} answers were truncated${at}${continued} — raise max tokens to ${fmtInt(suggested)}: ${costText(c)}.`,
    };
  }

  const p95 = percentile(
    samples.map((r) => r.usage.outputTokens),
    95,
  )!;
  const suggested = niceCeil(p95 * RULE.buffer);
  const truncText = truncated.length === 0 ? `nothing was truncated${at}` : `${truncated.length} of ${samples.length} answers were truncated${at}`;
  if (Math.abs(suggested - current) <= current * RULE.tolerance) {
    return {
      ...base,
      kind: 'keep',
      suggested: null,
      text: `${name}: p95 is ${fmtInt(p95)} tokens and ${truncText} — the current ${fmtInt(current)} fits (p95 × ${RULE.buffer} ≈ ${fmtInt(suggested)}).`,
    };
  }
  const c = change(suggested);
  return {
    ...base,
    kind: suggested < current ? 'lower' : 'raise',
    suggested,
    ...c,
    text: `${name}: p95 is ${fmtInt(p95)} tokens and ${truncText} — set max tokens to ${fmtInt(suggested)}: ${costText(c)}.`,
  };
}

/** Output tokens of each continuation chain, summed over its rounds. */
export type ChainOutputs = ReadonlyMap<string, number>;
export function chainOutputs(records: readonly LedgerRecord[]): ChainOutputs {
  const m = new Map<string, number>();
  for (const r of records) if (r.chainId) m.set(r.chainId, (m.get(r.chainId) ?? 0) + r.usage.outputTokens);
  return m;
}

export function ruleText(): string {
  return (
    `Suggested max tokens = p95 of the output lengths × ${RULE.buffer}, rounded up to two significant digits. ` +
    `The rule speaks after ${RULE.minSamples} complete (not truncated) answers of a preset. ` +
    `When ${fmtPct(RULE.raiseShare)} or more of the answers were truncated (and there are at least ${RULE.minSamples}), it suggests raising ` +
    `to the larger of the current cap × ${RULE.raiseFactor} and the p95 of the full lengths of continued answers × ${RULE.buffer}. ` +
    `Changes within ${fmtPct(RULE.tolerance)} of the current cap are not suggested. ` +
    `Only first rounds that ended count as answers (continuation rounds, cancelled, failed and interrupted requests do not). ` +
    `The worst-case output cost of a call is the cap × the output price, so it changes by the same percentage as the cap; ` +
    `where the model's prices are known, the whole worst case (mean input + cap) is given instead.`
  );
}
