// What the spend and length dashboard shows, computed from ledger records: spend per day and model, and the tables
// per model and preset with their output lengths and max-tokens recommendations (lengths.ts). The exports are in
// export.ts, the panel's messages in dashboardProtocol.ts. Pure: no vscode, no clock, no time zone (the caller
// passes "now" and the UTC offset).
import { allCostsUnknown } from '../pricing/money';
import { budgetCost } from '../pricing/reported';
import { type LedgerRecord } from '../ledger/record';
import { addRecord, emptyTotals, totalsOf, type UsageTotals } from '../ledger/totals';
import { ownValue } from '../protocol/guards';
import { RULE, lengthStats, recommend, chainOutputs, ruleText, type LengthStats, type PriceOf, type Recommendation } from './lengths';

export type RangeFilter = '7' | '30' | 'all';
export type ScopeFilter = 'workspace' | 'all';
export const RANGES: readonly RangeFilter[] = ['7', '30', 'all'];
export const SCOPES: readonly ScopeFilter[] = ['workspace', 'all'];

/** The preset key of records sent without a preset (the plain lengthwise.* settings). */
export const NO_PRESET = '';

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
  priceOf?: PriceOf;
}


export interface GroupRow extends UsageTotals {
  key: string;
  label: string;
  /** Share of the total known cost; null when this group's cost is entirely unknown or nothing is known at all. */
  costShare: number | null;
  /** Share of the input tokens read from a prompt cache; null without input. */
  cacheHitShare: number | null;
  /** Reported cost over what the prices give for the same requests, minus 1 (0.05: the gateway charged 5% over list); null without such requests. */
  reportedDifference: number | null;
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
      cacheHitShare: t.inputTokens > 0 ? Math.min(1, t.cacheReadTokens / t.inputTokens) : null,
      reportedDifference: t.reported.requests > 0 && t.reported.computedUsd > 0 ? t.reported.reportedUsd / t.reported.computedUsd - 1 : null,
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
