// The session's spend: what this window has sent since it opened. One rule for the status bar tooltip and the
// exported API's totals(): requests are rounds (as in the ledger, one record a round), and a round with an unknown
// price is counted as unknown, never added as $0 (costSum).
import { costSum, type CostTally } from '../pricing/money';
import type { CostSource } from '../pricing/reported';

export interface SessionView {
  /** Sum of the known costs; null when every round sent has an unknown price (that is not "$0.00"). */
  usd: number | null;
  /** Rounds sent (a continuation chain of 3 rounds is 3). */
  requests: number;
  /** Rounds whose price is unknown: not in usd. With usd not null, usd is a partial sum and must say so. */
  unknownRequests: number;
  /** Rounds that ran on this machine at $0 ('local'): all of them local reads "session local". */
  localRequests: number;
}

export class SessionTotals {
  private readonly tally: CostTally = { requests: 0, unknownCostRequests: 0, knownCostUsd: 0 };
  private localRequests = 0;

  /**
   * Adds one call: `rounds` new rounds costing `costUsd` together (null = price unknown), from `source`. A chain's
   * rounds share one model, so its cost is known for all of its rounds or for none.
   */
  add(rounds: number, costUsd: number | null, source?: CostSource | null): void {
    const n = Number.isFinite(rounds) && rounds > 0 ? Math.floor(rounds) : 0;
    this.tally.requests += n;
    if (costUsd === null || !Number.isFinite(costUsd)) this.tally.unknownCostRequests += n;
    else this.tally.knownCostUsd += costUsd;
    if (source === 'local' && costUsd === 0) this.localRequests += n;
  }

  view(): SessionView {
    return { usd: costSum(this.tally), requests: this.tally.requests, unknownRequests: this.tally.unknownCostRequests, localRequests: this.localRequests };
  }
}
