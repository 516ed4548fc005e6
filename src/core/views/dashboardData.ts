// What the spend and length dashboard shows, computed from ledger records: spend per day and model, tables per
// model and preset, output-length distributions and a max-tokens recommendation per preset, and the exports.
// Pure: no vscode, no clock, no time zone (the caller passes "now" and the UTC offset).
import { allCostsUnknown } from '../pricing/money';
import { budgetCost } from '../pricing/reported';
import { addRecord, costSourceOf, emptyTotals, totalsOf, type LedgerRecord, type UsageTotals } from '../ledger/ledger';
import { ownValue } from '../protocol/guards';


export type RangeFilter = '7' | '30' | 'all';
export type ScopeFilter = 'workspace' | 'all';
export const RANGES: readonly RangeFilter[] = ['7', '30', 'all'];
export const SCOPES: readonly ScopeFilter[] = ['workspace', 'all'];

/** The preset key of records sent without a preset (the plain lengthwise.* settings). */
export const NO_PRESET = '';

/** The recommendation rule; shown in the panel as it is applied. */
const RULE = Object.freeze({
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

export interface DashboardOptions {
  range: RangeFilter;
  scope: ScopeFilter;
  workspace: string;
  now: Date;
  /** Minutes east of UTC for the day boundaries (e.g. -new Date().getTimezoneOffset()). */
  utcOffsetMinutes: number;
  /** lengthwise.budget.usd, if set. */
  budgetUsd?: number | null;
  /** The max tokens each preset is configured with now (key NO_PRESET for the plain settings). */
  configuredMaxTokens?: Record<string, number | undefined>;
  /** Prices per million tokens, to state the worst-case change per call including input; optional. */
  priceOf?: (provider: string, model: string) => { input: number; output: number } | undefined;
}


export interface GroupRow extends UsageTotals {
  key: string;
  label: string;
  /** Share of the total known cost; null when this group's cost is entirely unknown or nothing is known at all. */
  costShare: number | null;
}

export interface DayBar {
  /** YYYY-MM-DD in the caller's time zone. */
  day: string;
  requests: number;
  knownCostUsd: number;
  unknownCostRequests: number;
  /** Known cost per model key (only models with spend that day). */
  byModel: Record<string, number>;
}

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

export interface PresetSection extends GroupRow {
  length: LengthStats;
  recommendation: Recommendation;
}

export interface DashboardData {
  range: RangeFilter;
  scope: ScopeFilter;
  generatedAt: string;
  /** Number of records in the ledger and in this view. */
  ledgerRecords: number;
  shownRecords: number;
  firstDay: string | null;
  lastDay: string;
  totals: UsageTotals;
  days: DayBar[];
  /** Model keys in stacking order (largest spend first) with labels. */
  models: GroupRow[];
  presets: PresetSection[];
  /** The workspace budget against the workspace's spend of all time; cumulative spend per shown day. */
  budget: { usd: number; spentUsd: number; unknownCostRequests: number; share: number; cumulative: { day: string; knownCostUsd: number }[] } | null;
  rule: typeof RULE & { text: string };
}

const DAY_MS = 86_400_000;
/** About ten years of daily bars. */
export const MAX_DAY_BARS = 3_660;

/** YYYY-MM-DD of a time in the zone utcOffsetMinutes east of UTC. */
export function dayKey(t: Date | string, utcOffsetMinutes: number): string {
  const ms = (typeof t === 'string' ? Date.parse(t) : t.getTime()) + utcOffsetMinutes * 60_000;
  return new Date(ms).toISOString().slice(0, 10);
}

/** Days since 1970-01-01 of a time in the zone utcOffsetMinutes east of UTC (NaN for an unreadable time). */
function dayNumber(t: string, utcOffsetMinutes: number): number {
  return Math.floor((Date.parse(t) + utcOffsetMinutes * 60_000) / DAY_MS);
}

function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** The records the view shows: workspace or all, and the last 7 / 30 calendar days (today included) or all. */
export function filterRecords(records: readonly LedgerRecord[], o: Pick<DashboardOptions, 'range' | 'scope' | 'workspace' | 'now' | 'utcOffsetMinutes'>): LedgerRecord[] {
  const today = dayKey(o.now, o.utcOffsetMinutes);
  const firstDay = o.range === 'all' ? undefined : addDays(today, -(Number(o.range) - 1));
  return records.filter((r) => {
    if (o.scope === 'workspace' && r.workspace !== o.workspace) return false;
    if (firstDay && dayKey(r.time, o.utcOffsetMinutes) < firstDay) return false;
    return true;
  });
}

/** Groups records by a key; rows sorted by known cost, then requests, then label. */
export function groupBy(records: readonly LedgerRecord[], keyOf: (r: LedgerRecord) => string, labelOf: (key: string) => string): GroupRow[] {
  const groups = new Map<string, UsageTotals>();
  for (const r of records) {
    const k = keyOf(r);
    let t = groups.get(k);
    if (!t) groups.set(k, (t = emptyTotals()));
    addRecord(t, r);
  }
  const total = [...groups.values()].reduce((s, t) => s + t.knownCostUsd, 0);
  return [...groups.entries()]
    .map(([key, t]) => ({
      key,
      label: labelOf(key),
      ...t,
      costShare: total > 0 && !allCostsUnknown(t) ? t.knownCostUsd / total : null,
    }))
    .sort((a, b) => b.knownCostUsd - a.knownCostUsd || b.requests - a.requests || a.label.localeCompare(b.label));
}

export const modelKey = (r: Pick<LedgerRecord, 'model'>): string => r.model;
export const presetKey = (r: Pick<LedgerRecord, 'preset'>): string => r.preset ?? NO_PRESET;
export const presetLabel = (key: string): string => (key === NO_PRESET ? '(no preset)' : key);

/** Spend per calendar day, every day of the range present (empty days included). */
export function spendByDay(records: readonly LedgerRecord[], firstDay: string, lastDay: string, utcOffsetMinutes: number): DayBar[] {
  const days: DayBar[] = [];
  for (let d = firstDay; d <= lastDay; d = addDays(d, 1)) {
    // Model ids come from settings and servers ("__proto__"): a map without a prototype.
    const bar: DayBar = { day: d, requests: 0, knownCostUsd: 0, unknownCostRequests: 0, byModel: Object.create(null) as Record<string, number> };
    days.push(bar);
  }
  // By day number (a division), not by day text (a Date and an ISO string per record).
  const first = dayNumber(`${firstDay}T00:00:00Z`, 0);
  for (const r of records) {
    const bar = days[dayNumber(r.time, utcOffsetMinutes) - first];
    if (!bar) continue;
    bar.requests++;
    if (r.costUsd === null || !Number.isFinite(r.costUsd)) bar.unknownCostRequests++;
    else {
      bar.knownCostUsd += r.costUsd;
      const k = modelKey(r);
      bar.byModel[k] = (bar.byModel[k] ?? 0) + r.costUsd;
    }
  }
  return days;
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
function lengthSamples(records: readonly LedgerRecord[]): LedgerRecord[] {
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
  priceOf?: DashboardOptions['priceOf'],
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
type ChainOutputs = ReadonlyMap<string, number>;
function chainOutputs(records: readonly LedgerRecord[]): ChainOutputs {
  const m = new Map<string, number>();
  for (const r of records) if (r.chainId) m.set(r.chainId, (m.get(r.chainId) ?? 0) + r.usage.outputTokens);
  return m;
}

function ruleText(): string {
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

/** Everything the panel shows for one choice of range and scope. */
export function buildDashboard(all: readonly LedgerRecord[], o: DashboardOptions): DashboardData {
  const records = filterRecords(all, o);
  const lastDay = dayKey(o.now, o.utcOffsetMinutes);
  let firstDay: string | null;
  if (o.range !== 'all') firstDay = addDays(lastDay, -(Number(o.range) - 1));
  else {
    let earliest: string | undefined;
    for (const r of records) if (earliest === undefined || r.time < earliest) earliest = r.time;
    firstDay = earliest !== undefined ? dayKey(earliest, o.utcOffsetMinutes) : null;
  }
  if (firstDay && firstDay > lastDay) firstDay = lastDay;
  // One bar a day: "all" draws at most MAX_DAY_BARS days (older spend stays in the totals and the budget line).
  if (firstDay && firstDay < addDays(lastDay, -(MAX_DAY_BARS - 1))) firstDay = addDays(lastDay, -(MAX_DAY_BARS - 1));

  const models = groupBy(records, modelKey, (k) => k);
  const presetRows = groupBy(records, presetKey, presetLabel);
  // Each preset's records and the chains' lengths once, not once per preset (linear in records × presets otherwise).
  const byPreset = new Map<string, LedgerRecord[]>();
  for (const r of records) {
    const k = presetKey(r);
    const list = byPreset.get(k);
    if (list) list.push(r);
    else byPreset.set(k, [r]);
  }
  const chains = chainOutputs(records);
  const presets: PresetSection[] = presetRows.map((row) => {
    const own = byPreset.get(row.key) ?? [];
    const configured = ownValue(o.configuredMaxTokens, row.key);
    const rec = recommend(row.label, own, configured, chains, o.priceOf);
    return { ...row, length: lengthStats(own, rec.current), recommendation: rec };
  });

  let budget: DashboardData['budget'] = null;
  if (typeof o.budgetUsd === 'number' && Number.isFinite(o.budgetUsd) && o.budgetUsd > 0) {
    // The budget is the workspace's, against its spend of all time (as the budget check counts it), whatever the view.
    const ws = all.filter((r) => r.workspace === o.workspace);
    const t = totalsOf(ws);
    const cumulative: { day: string; knownCostUsd: number }[] = [];
    if (firstDay) {
      const perDay = new Map<string, number>();
      let before = 0;
      for (const r of ws) {
        const usd = budgetCost(r);
        if (usd === null) continue;
        const d = dayKey(r.time, o.utcOffsetMinutes);
        if (d < firstDay) before += usd;
        else perDay.set(d, (perDay.get(d) ?? 0) + usd);
      }
      let run = before;
      for (let d = firstDay; d <= lastDay; d = addDays(d, 1)) {
        run += perDay.get(d) ?? 0;
        cumulative.push({ day: d, knownCostUsd: run });
      }
    }
    budget = { usd: o.budgetUsd, spentUsd: t.budgetUsd, unknownCostRequests: t.unknownCostRequests, share: t.budgetUsd / o.budgetUsd, cumulative };
  }

  return {
    range: o.range,
    scope: o.scope,
    generatedAt: o.now.toISOString(),
    ledgerRecords: all.length,
    shownRecords: records.length,
    firstDay,
    lastDay,
    totals: totalsOf(records),
    days: firstDay ? spendByDay(records, firstDay, lastDay, o.utcOffsetMinutes) : [],
    models,
    presets,
    budget,
    rule: { ...RULE, text: ruleText() },
  };
}

// ---- export ----

export const CSV_COLUMNS = [
  'id',
  'chainId',
  'round',
  'time',
  'durationMs',
  'workspace',
  'provider',
  'model',
  'preset',
  'inputTokens',
  'cacheReadTokens',
  'cacheWriteTokens',
  'cacheWrite1hTokens',
  'outputTokens',
  'reasoningTokens',
  'usageSource',
  'costUsd',
  'costSource',
  'priceSource',
  'finishRaw',
  'finishReason',
  'truncated',
  'maxTokens',
  'lengthHint',
  'interrupted',
  'jobId',
  'part',
  'batch',
] as const;

/**
 * Text a spreadsheet would run as a formula: starting with = + - @, their full-width forms ＝ ＋ － ＠ (read as the
 * same by spreadsheets), tab or CR, also after leading spaces (which spreadsheets skip).
 */
const FORMULA_START = /^(?:[\t\r]|[\s\p{Zs}]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20])/u;

/**
 * RFC 4180 field: quoted when it holds a comma, a quote, CR or LF (quotes doubled) or leading/trailing spaces.
 * A formula (FORMULA_START) gets a leading apostrophe (OWASP's CSV injection rule). Numbers are written as numbers.
 */
export function csvField(v: unknown): string {
  if (v === undefined || v === null) return '';
  const s = typeof v === 'string' ? (FORMULA_START.test(v) ? `'${v}` : v) : String(v);
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csvRow(r: LedgerRecord): string[] {
  const u = r.usage;
  const values: Record<(typeof CSV_COLUMNS)[number], unknown> = {
    id: r.id,
    chainId: r.chainId,
    round: r.round,
    time: r.time,
    durationMs: r.durationMs,
    workspace: r.workspace,
    provider: r.provider,
    model: r.model,
    preset: r.preset,
    inputTokens: u.inputTokens,
    cacheReadTokens: u.cacheReadTokens,
    cacheWriteTokens: u.cacheWriteTokens,
    cacheWrite1hTokens: u.cacheWrite1hTokens,
    outputTokens: u.outputTokens,
    reasoningTokens: u.reasoningTokens,
    usageSource: r.usageSource,
    // Unknown price stays empty, never 0.
    costUsd: r.costUsd,
    costSource: costSourceOf(r),
    priceSource: r.priceSource,
    finishRaw: r.finish.raw,
    finishReason: r.finish.reason,
    truncated: r.finish.truncated,
    maxTokens: r.maxTokens,
    lengthHint: r.lengthHint ?? false,
    interrupted: r.interrupted ?? false,
    jobId: r.jobId,
    part: r.part,
    batch: r.batch ?? false,
  };
  return CSV_COLUMNS.map((c) => csvField(values[c]));
}

/** CSV with a header row, CRLF line ends (RFC 4180). */
export function toCsv(records: readonly LedgerRecord[]): string {
  return [CSV_COLUMNS.join(','), ...records.map((r) => csvRow(r).join(','))].join('\r\n') + '\r\n';
}

/** One JSON record a line, as stored in the ledger. */
export function toJsonl(records: readonly LedgerRecord[]): string {
  return records.map((r) => JSON.stringify(r)).join('\n') + (records.length ? '\n' : '');
}

// ---- the panel's message protocol (extension host ⇄ webview) ----

/** What the extension posts to the webview. */
export type ToWebview =
  | { type: 'data'; data: DashboardData; applicable: string[]; workspaceLabel: string }
  | { type: 'notice'; text: string; kind: 'info' | 'error' }
  /** Tests: press a control in the page as a user would. */
  | { type: 'click'; control: ClickTarget };

export type ClickTarget = { apply: string } | { range: RangeFilter } | { scope: ScopeFilter } | { refresh: true } | { scrollTo: 'top' | 'tables' | 'lengths' };

/** What the page reports after drawing: the texts a reader sees, so tests can compare them with the data. */
export interface RenderedSummary {
  range: RangeFilter;
  scope: ScopeFilter;
  shownRecords: number;
  summaryText: string;
  dayRows: string[][];
  modelRows: string[][];
  presetRows: string[][];
  recommendations: { preset: string; text: string; canApply: boolean }[];
  charts: { spendBars: number; histograms: number; budgetLine: boolean; labelled: number; total: number };
  /** The page's theme classes (vscode-light / vscode-dark / vscode-high-contrast…), reported again when they change. */
  theme: string;
}

/** What the webview posts to the extension; validated there (see parseFromWebview). */
export type FromWebview =
  | { type: 'ready' }
  | { type: 'query'; range: RangeFilter; scope: ScopeFilter }
  | { type: 'refresh' }
  | { type: 'apply'; preset: string }
  | { type: 'export'; format: 'csv' | 'jsonl' }
  | { type: 'rendered'; summary: RenderedSummary };

const isStrArr2 = (x: unknown): x is string[][] => Array.isArray(x) && x.every((r) => Array.isArray(r) && r.every((c) => typeof c === 'string'));

/** A message from the page, or undefined when it is not one of ours (the page is not trusted to be well formed). */
export function parseFromWebview(m: unknown): FromWebview | undefined {
  if (typeof m !== 'object' || m === null) return undefined;
  const x = m as Record<string, unknown>;
  switch (x.type) {
    case 'ready':
    case 'refresh':
      return { type: x.type };
    case 'query':
      return RANGES.includes(x.range as RangeFilter) && SCOPES.includes(x.scope as ScopeFilter) ? { type: 'query', range: x.range as RangeFilter, scope: x.scope as ScopeFilter } : undefined;
    case 'apply':
      return typeof x.preset === 'string' && x.preset.length <= 200 ? { type: 'apply', preset: x.preset } : undefined;
    case 'export':
      return x.format === 'csv' || x.format === 'jsonl' ? { type: 'export', format: x.format } : undefined;
    case 'rendered': {
      const s = x.summary as Record<string, unknown> | undefined;
      if (typeof s !== 'object' || s === null) return undefined;
      if (!RANGES.includes(s.range as RangeFilter) || !SCOPES.includes(s.scope as ScopeFilter) || typeof s.shownRecords !== 'number' || typeof s.summaryText !== 'string') return undefined;
      if (!isStrArr2(s.dayRows) || !isStrArr2(s.modelRows) || !isStrArr2(s.presetRows) || !Array.isArray(s.recommendations)) return undefined;
      if (typeof s.charts !== 'object' || s.charts === null || typeof s.theme !== 'string') return undefined;
      return { type: 'rendered', summary: s as unknown as RenderedSummary };
    }
    default:
      return undefined;
  }
}
