// A cost the server reported (OpenRouter / OpenAI-compatible `usage.cost`, LiteLLM's `x-litellm-response-cost`)
// against the one computed from a price: which one a request's cost is, and where it came from. The reported figure
// is what the gateway bills, so it is the cost shown when it is believable; a server's number is untrusted input, so
// it must be finite, not negative and not absurd for the tokens used before it can reach a total, and where a price
// is known the budget counts the larger of the two (budgetCost): a report of $0 cannot make a priced request free.
import type { Usage } from '../protocol/request';
import { OVERRIDE_SOURCE, type ModelPrice } from './cost';
import { formatUsd } from './money';

export type CostSource = 'provider' | 'prices' | 'override' | 'local';

/**
 * The most a token may plausibly cost, USD per million tokens (the dearest listed model, o1-pro, bills $600 per
 * million output tokens), and a floor for requests whose tokens are unknown or few.
 */
const MAX_REPORTED_USD_PER_MTOK = 2000;
const MIN_REPORTED_CAP_USD = 0.05;
/** Reported and computed cost differing by more than this fraction are logged with both figures. */
const COST_DIFFERENCE_TO_LOG = 0.01;

export type ReportedCheck = { ok: true; usd: number } | { ok: false; why: string };

/** The ceiling a reported cost must stay under for these tokens. */
export function reportedCostCap(usage: Usage): number {
  const tokens = Math.max(0, usage.inputTokens || 0) + Math.max(0, usage.outputTokens || 0);
  return Math.max(MIN_REPORTED_CAP_USD, (tokens * MAX_REPORTED_USD_PER_MTOK) / 1e6);
}

/** Validates a reported cost (a number, or the text of a header). */
export function checkReportedCost(value: unknown, usage: Usage): ReportedCheck {
  let n: unknown = value;
  if (typeof value === 'string') {
    const t = value.trim();
    n = /^[+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(t) ? Number(t) : Number.NaN;
  }
  if (typeof n !== 'number' || !Number.isFinite(n)) return { ok: false, why: 'not a number' };
  if (n < 0) return { ok: false, why: 'negative' };
  const cap = reportedCostCap(usage);
  if (n > cap) return { ok: false, why: `more than ${formatUsd(cap)}, the most ${usage.inputTokens + usage.outputTokens} tokens could cost` };
  return { ok: true, usd: n };
}

/** 'override' when the price comes (even partly) from lengthwise.pricing, 'local' for a model on this machine nobody prices, else the bundled table. */
export function priceOrigin(price: ModelPrice): Exclude<CostSource, 'provider'> {
  if (price.source.startsWith(OVERRIDE_SOURCE)) return 'override';
  return price.local ? 'local' : 'prices';
}

export interface ResolvedCost {
  usd: number | null;
  source: CostSource | null;
  /** With a server's report where a price is known: what the price gives for the same tokens (see budgetCost). */
  pricedUsd?: number;
  /** For the log: a rejected report, or a report that differs from the price's figure by more than 1%. */
  notes: string[];
}

/**
 * Precedence: a believable reported cost ('provider') > lengthwise.pricing ('override') > the bundled table
 * ('prices') > unknown (null, never 0). `reported` is the last cost event of the request, if any.
 */
export function resolveCost(
  usage: Usage,
  computed: number | null,
  price: ModelPrice | undefined,
  reported: { value: unknown; via: string } | undefined,
): ResolvedCost {
  const notes: string[] = [];
  const fromPrice: ResolvedCost = { usd: computed, source: computed !== null && price ? priceOrigin(price) : null, notes };
  if (!reported) return fromPrice;
  const check = checkReportedCost(reported.value, usage);
  if (!check.ok) {
    notes.push(`The server reported a cost of ${shortValue(reported.value)} (${reported.via}); not used: ${check.why}.`);
    return fromPrice;
  }
  if (computed !== null && price) {
    const base = Math.max(Math.abs(computed), Math.abs(check.usd));
    if (base > 0 && Math.abs(check.usd - computed) / base > COST_DIFFERENCE_TO_LOG) {
      notes.push(
        `The server reported ${formatUsd(check.usd)} (${reported.via}); ${price.source} gives ${formatUsd(computed)} for the same tokens. ` +
          `The reported cost is shown; the budget counts the larger figure.`,
      );
    }
    return { usd: check.usd, source: 'provider', pricedUsd: computed, notes };
  }
  return { usd: check.usd, source: 'provider', notes };
}

/**
 * What a request counts toward a budget: its cost, but never less than what its price gives for the same tokens
 * where a price is known (`pricedUsd`, kept beside a server's report). A gateway reporting $0 or 1e-300 for a
 * request the price table puts at $0.10 is shown as reported and counted at $0.10, so a "block" budget still fills;
 * a gateway's surcharge above the price counts in full. null: the cost is unknown.
 */
export function budgetCost(r: { costUsd: number | null; pricedUsd?: number }): number | null {
  if (r.costUsd === null || !Number.isFinite(r.costUsd)) return null;
  return r.pricedUsd !== undefined && Number.isFinite(r.pricedUsd) && r.pricedUsd > r.costUsd ? r.pricedUsd : r.costUsd;
}

function shortValue(v: unknown): string {
  const s = typeof v === 'string' ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v));
  return s.length > 40 ? `${s.slice(0, 37)}…` : s;
}

const TRUST: Record<CostSource, number> = { local: 0, prices: 1, override: 2, provider: 3 };

/** The source of a sum of rounds: unknown when any cost is unknown, else the least trusted one among them. */
export function combineCostSources(a: CostSource | null | undefined, b: CostSource | null | undefined): CostSource | null {
  if (!a || !b) return null;
  return TRUST[a] <= TRUST[b] ? a : b;
}

/** How a cost source is named to a person (tooltip, dashboard). */
export function describeCostSource(source: CostSource | null | undefined, priceSource?: string): string {
  switch (source) {
    case 'provider':
      return 'reported by the server';
    case 'override':
      return 'from lengthwise.pricing';
    case 'prices':
      return priceSource ? `from the price table (${priceSource})` : 'from the price table';
    case 'local':
      return 'local: a model on this machine, nothing billed ($0)';
    default:
      return 'price unknown';
  }
}
