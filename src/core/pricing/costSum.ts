// The one rule for a sum of costs: known costs add up; requests without a known price are counted, never added
// as $0; when every request's cost is unknown, the sum is unknown (null), not $0.

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
