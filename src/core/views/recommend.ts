// The max-tokens recommendation (the rule: RULE and ruleText() in lengths.ts). It speaks for one preset and one
// model at a time, from the answers sent under the cap it judges: an answer cut at another cap, or by another
// model, says nothing about this one ("1 of 11 answers were truncated at 1,024" once counted an 8-token cap of
// another model).
import type { LedgerRecord } from '../ledger/record';
import { RULE, lengthSamples, niceCeil, percentile } from './lengths';

/** A model's input and output price per million tokens, when known. */
export type PriceOf = (provider: string, model: string) => { input: number; output: number } | undefined;

type RecommendationKind = 'lower' | 'raise' | 'keep' | 'insufficient';

export interface Recommendation {
  kind: RecommendationKind;
  /** The model it speaks for (null: no records). */
  model: string | null;
  /** The cap the rule judges: the configured value, else the last one sent; only answers sent under it count. */
  current: number | null;
  suggested: number | null;
  /** Change of the worst-case output cost per call in percent (suggested / current − 1), when suggesting. */
  outputWorstCaseChangePct: number | null;
  /** Change of the whole worst-case cost per call (mean input + cap as output) when prices are known. */
  worstCaseChangePct: number | null;
  text: string;
}

/** Output tokens of each continuation chain, summed over its rounds. */
export type ChainOutputs = ReadonlyMap<string, number>;
export function chainOutputs(records: readonly LedgerRecord[]): ChainOutputs {
  const m = new Map<string, number>();
  for (const r of records) if (r.chainId) m.set(r.chainId, (m.get(r.chainId) ?? 0) + r.usage.outputTokens);
  return m;
}

const fmtInt = (n: number): string => Math.round(n).toLocaleString('en-US');
const fmtPct = (x: number): string => `${Math.round(x * 100)}%`;

/** The newest record (ISO times compare as strings; localeCompare would cost ICU collation per comparison). */
function newest(records: readonly LedgerRecord[]): LedgerRecord | undefined {
  let latest: LedgerRecord | undefined;
  for (const r of records) if (!latest || r.time >= latest.time) latest = r;
  return latest;
}

/** The answers of a group split by cap: those under `cap`, and a note on the ones left out. */
function underCap(records: readonly LedgerRecord[], cap: number | null): { samples: LedgerRecord[]; leftOut: string } {
  const all = lengthSamples(records);
  const samples = cap === null ? [] : all.filter((r) => r.maxTokens === cap);
  const others = all.length - samples.length;
  if (!others) return { samples, leftOut: '' };
  const caps = [...new Set(all.filter((r) => r.maxTokens !== cap).map((r) => r.maxTokens))].sort((a, b) => b - a);
  const list = caps.slice(0, 3).map(fmtInt).join(', ') + (caps.length > 3 ? ', …' : '');
  return { samples, leftOut: others === 1 ? `; 1 answer under another cap (${list}) is not counted` : `; ${others} answers under other caps (${list}) are not counted` };
}

interface CostChange {
  outputWorstCaseChangePct: number;
  worstCaseChangePct: number | null;
}

/** What a new cap does to the worst case of a typical call of the group: its mean input and the cap as output. */
function costChange(samples: readonly LedgerRecord[], current: number, suggested: number, priceOf: PriceOf | undefined): CostChange {
  const outputPct = (suggested / current - 1) * 100;
  const first = samples[0];
  const price = first && priceOf?.(first.provider, first.model);
  if (!price || !(price.output > 0)) return { outputWorstCaseChangePct: outputPct, worstCaseChangePct: null };
  const meanIn = samples.reduce((s, r) => s + r.usage.inputTokens, 0) / samples.length;
  const wc = (cap: number) => meanIn * price.input + cap * price.output;
  return { outputWorstCaseChangePct: outputPct, worstCaseChangePct: (wc(suggested) / wc(current) - 1) * 100 };
}

function costText(c: CostChange): string {
  const pct = c.worstCaseChangePct ?? c.outputWorstCaseChangePct;
  const what = c.worstCaseChangePct !== null ? 'worst-case cost per call' : 'worst-case output cost per call';
  return `${what} ${pct < 0 ? 'falls' : 'rises'} ${Math.abs(Math.round(pct))}%`;
}

/**
 * The rule for one group's records (one preset and one model; see RULE): with at least minSamples answers under the
 * cap that were not truncated, suggest p95 × buffer rounded up; with ≥ raiseShare of them truncated (and at least
 * minSamples answers), suggest max(cap × raiseFactor, p95 of the full lengths × buffer), where a continued answer's
 * full length is the output of its whole chain. Changes within tolerance of the cap are "keep".
 */
export function recommend(name: string, records: readonly LedgerRecord[], configured: number | undefined, chains: ChainOutputs = chainOutputs(records), priceOf?: PriceOf): Recommendation {
  const latest = newest(records);
  const current = configured ?? latest?.maxTokens ?? null;
  const { samples, leftOut } = underCap(records, current);
  const truncated = samples.filter((r) => r.finish.truncated).length;
  const share = samples.length ? truncated / samples.length : 0;
  const base = { model: latest?.model ?? null, current, suggested: null, outputWorstCaseChangePct: null, worstCaseChangePct: null };
  const at = current !== null ? ` at ${fmtInt(current)}` : '';
  if (current === null || samples.length < RULE.minSamples || (share < RULE.raiseShare && samples.length - truncated < RULE.minSamples)) {
    const raising = share >= RULE.raiseShare;
    const have = raising ? samples.length : samples.length - truncated;
    const cap = current !== null ? ` at max tokens ${fmtInt(current)}` : '';
    return { ...base, kind: 'insufficient', text: `${name}: not enough data yet${cap} — ${have} of the ${RULE.minSamples} ${raising ? 'answers' : 'complete answers'} the rule needs${leftOut}.` };
  }
  if (share >= RULE.raiseShare) {
    // A continued answer's real length is its chain's output; an answer cut and never continued is at least the cap.
    const full = samples.map((r) => (r.finish.truncated && r.chainId ? Math.max(r.usage.outputTokens, chains.get(r.chainId) ?? 0) : r.usage.outputTokens));
    const p95Full = percentile(full, 95) ?? current;
    const suggested = niceCeil(Math.max(current * RULE.raiseFactor, p95Full * RULE.buffer));
    const c = costChange(samples, current, suggested, priceOf);
    const continued = p95Full > current ? `; continued answers reach ${fmtInt(p95Full)} tokens (p95)` : '';
    return { ...base, kind: 'raise', suggested, ...c, text: `${name}: ${fmtPct(share)} of ${samples.length} answers were truncated${at}${continued} — raise max tokens to ${fmtInt(suggested)}: ${costText(c)}${leftOut}.` };
  }
  const p95 = percentile(samples.map((r) => r.usage.outputTokens), 95)!;
  const suggested = niceCeil(p95 * RULE.buffer);
  const truncText = truncated === 0 ? `nothing was truncated${at}` : `${truncated} of ${samples.length} answers were truncated${at}`;
  if (Math.abs(suggested - current) <= current * RULE.tolerance) {
    return { ...base, kind: 'keep', text: `${name}: p95 is ${fmtInt(p95)} tokens and ${truncText} — the current ${fmtInt(current)} fits (p95 × ${RULE.buffer} ≈ ${fmtInt(suggested)})${leftOut}.` };
  }
  const c = costChange(samples, current, suggested, priceOf);
  return { ...base, kind: suggested < current ? 'lower' : 'raise', suggested, ...c, text: `${name}: p95 is ${fmtInt(p95)} tokens and ${truncText} — set max tokens to ${fmtInt(suggested)}: ${costText(c)}${leftOut}.` };
}

/**
 * A preset's recommendations, one per model it sent to: the model it sent to last first (its value is what "Apply"
 * writes), then the others. Named "preset · model".
 */
export function recommendByModel(label: string, records: readonly LedgerRecord[], configured: number | undefined, chains: ChainOutputs, priceOf?: PriceOf): { primary: Recommendation; others: Recommendation[] } {
  const byModel = new Map<string, LedgerRecord[]>();
  for (const r of records) {
    const list = byModel.get(r.model);
    if (list) list.push(r);
    else byModel.set(r.model, [r]);
  }
  const last = newest(records)?.model;
  const of = (model: string) => recommend(`${label} · ${model}`, byModel.get(model)!, configured, chains, priceOf);
  const primary = last !== undefined ? of(last) : recommend(label, [], configured, chains, priceOf);
  const others = [...byModel.keys()].filter((m) => m !== last).sort().map(of);
  return { primary, others };
}
