// Totals over ledger records: tokens, known costs (and how many were unknown), what counts toward a budget, and
// where each cost came from.
import { OVERRIDE_SOURCE } from '../pricing/cost';
import { budgetCost } from '../pricing/reported';
import type { LedgerRecord } from './record';

export interface LedgerFilter {
  workspace?: string;
  /** Records that started at or after this time. */
  since?: Date;
  chainId?: string;
}

/** Sums over a set of records. Unknown costs are counted, never added as 0. */
export interface UsageTotals {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  /** Sum of the known costs. */
  knownCostUsd: number;
  /** What the known costs count toward a budget: each at least what its price gives (budgetCost). */
  budgetUsd: number;
  /** Requests whose price is unknown (costUsd null): their cost is not in knownCostUsd. */
  unknownCostRequests: number;
  /** Requests whose usage is a local estimate (no provider usage, or interrupted). */
  estimatedRequests: number;
  /** Known cost of those estimated requests. */
  estimatedCostUsd: number;
  interruptedRequests: number;
  /** Requests with a known cost by where it came from: the server's report, the bundled table, lengthwise.pricing. */
  costSources: { provider: number; prices: number; override: number };
  /** Jobs among these requests (each counted once) and the requests that belong to them. */
  jobs: number;
  jobRequests: number;
  /** Requests sent through a provider's batch API, and their known cost (at batch prices). */
  batchRequests: number;
  batchCostUsd: number;
  /** What the prompt cache saved (sum of the records' cacheSavedUsd). */
  cacheSavedUsd: number;
  /** Requests and known cost by the processing tier that served them ("unknown": a tier was asked for and not said). */
  tiers: Record<TierKey, { requests: number; knownCostUsd: number }>;
  /**
   * Costs a server reported where a price is known too: the reported sum, what the prices give for the same tokens,
   * and how many requests (a gateway that charges over list shows as reported > computed).
   */
  reported: { requests: number; reportedUsd: number; computedUsd: number };
}

export type TierKey = 'standard' | 'flex' | 'priority' | 'unknown';

/** The tier a record was served at: as the response said; standard when none was asked for (and old records). */
export function tierOf(r: Pick<LedgerRecord, 'serviceTier' | 'tierAsked'>): TierKey {
  return r.serviceTier ?? (r.tierAsked ? 'unknown' : 'standard');
}

/**
 * Where a record's cost came from. Records written before costSource existed: from their price source (a cost
 * then was always computed from a price).
 */
export function costSourceOf(r: Pick<LedgerRecord, 'costUsd' | 'costSource' | 'priceSource'>): 'provider' | 'prices' | 'override' | null {
  if (r.costUsd === null || !Number.isFinite(r.costUsd)) return null;
  if (r.costSource) return r.costSource;
  return r.priceSource?.startsWith(OVERRIDE_SOURCE) ? 'override' : 'prices';
}

/** Job ids already counted per totals object (a job's many records count as one job). */
const seenJobs = new WeakMap<UsageTotals, Set<string>>();

export function emptyTotals(): UsageTotals {
  return {
    requests: 0,
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    knownCostUsd: 0,
    budgetUsd: 0,
    unknownCostRequests: 0,
    estimatedRequests: 0,
    estimatedCostUsd: 0,
    costSources: { provider: 0, prices: 0, override: 0 },
    interruptedRequests: 0,
    jobs: 0,
    jobRequests: 0,
    batchRequests: 0,
    batchCostUsd: 0,
    cacheSavedUsd: 0,
    tiers: { standard: { requests: 0, knownCostUsd: 0 }, flex: { requests: 0, knownCostUsd: 0 }, priority: { requests: 0, knownCostUsd: 0 }, unknown: { requests: 0, knownCostUsd: 0 } },
    reported: { requests: 0, reportedUsd: 0, computedUsd: 0 },
  };
}

export function addRecord(t: UsageTotals, r: LedgerRecord): void {
  t.requests++;
  t.inputTokens += r.usage.inputTokens;
  t.outputTokens += r.usage.outputTokens;
  t.cacheReadTokens += r.usage.cacheReadTokens ?? 0;
  t.cacheWriteTokens += r.usage.cacheWriteTokens ?? 0;
  t.reasoningTokens += r.usage.reasoningTokens ?? 0;
  const known = r.costUsd !== null && Number.isFinite(r.costUsd);
  if (known) {
    t.knownCostUsd += r.costUsd as number;
    t.budgetUsd += budgetCost(r) ?? 0;
  } else t.unknownCostRequests++;
  if (r.usageSource !== 'provider') {
    t.estimatedRequests++;
    if (known) t.estimatedCostUsd += r.costUsd as number;
  }
  if (r.interrupted) t.interruptedRequests++;
  if (r.batch) {
    t.batchRequests++;
    if (known) t.batchCostUsd += r.costUsd as number;
  }
  const src = costSourceOf(r);
  if (src) t.costSources[src]++;
  t.cacheSavedUsd += r.cacheSavedUsd ?? 0;
  const tier = t.tiers[tierOf(r)];
  tier.requests++;
  if (known) tier.knownCostUsd += r.costUsd as number;
  if (known && src === 'provider' && r.pricedUsd !== undefined) {
    t.reported.requests++;
    t.reported.reportedUsd += r.costUsd as number;
    t.reported.computedUsd += r.pricedUsd;
  }
  if (r.jobId !== undefined) {
    t.jobRequests++;
    let seen = seenJobs.get(t);
    if (!seen) seenJobs.set(t, (seen = new Set()));
    if (!seen.has(r.jobId)) {
      seen.add(r.jobId);
      t.jobs++;
    }
  }
}

export function totalsOf(records: Iterable<LedgerRecord>): UsageTotals {
  const t = emptyTotals();
  for (const r of records) addRecord(t, r);
  return t;
}
