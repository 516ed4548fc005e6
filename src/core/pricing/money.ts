// Dollar amounts as shown to a person, and the one rule for summing costs. No imports: the dashboard page
// (browser bundle) uses it too.

/**
 * "$12.34" from $1 up (with thousands separators), three significant digits below $1 ("$0.0157", "$0.50",
 * "$0.000123"), "$0.00" for a known zero, "price unknown" for null.
 */
export function formatUsd(usd: number | null): string {
  if (usd === null || !Number.isFinite(usd)) return 'price unknown';
  const sign = usd < 0 ? '-' : '';
  const a = Math.abs(usd);
  if (a === 0) return '$0.00';
  if (a >= 1) return `${sign}$${a.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  const decimals = Math.min(20, Math.max(2, Math.ceil(-Math.log10(a)) + 2));
  let s = a.toFixed(decimals);
  if (Number(s) >= 1) return `${sign}$1.00`;
  // Trim zeros beyond the third significant digit, keeping at least two decimals.
  s = s.replace(/0+$/, '');
  const [, frac = ''] = s.split('.');
  if (frac.length < 2) s = a.toFixed(2);
  return `${sign}$${s}`;
}

/**
 * An exact sum or a worst case of two costs: null (unknown) as soon as either is, since leaving one out would make
 * the figure too small. (Totals of recorded spend use costSum below: a lower bound.)
 */
export function addUsd(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : a + b;
}

// A sum of costs: known costs add up; requests without a known price are counted, never added as $0; when every
// request's cost is unknown, the sum is unknown (null), not $0.
export interface CostTally {
  requests: number;
  unknownCostRequests: number;
  knownCostUsd: number;
}

/** The known sum (a lower bound when some are unknown), or null when there are requests and none has a known cost. */
export function costSum(t: CostTally): number | null {
  return allCostsUnknown(t) ? null : t.knownCostUsd;
}

export function allCostsUnknown(t: CostTally): boolean {
  return t.requests > 0 && t.unknownCostRequests === t.requests;
}
