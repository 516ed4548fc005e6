// This window's spend since it opened (the status bar tooltip and the API's totals).
import { costSum } from '../../core/pricing/money';

export class SessionTotals {
  requests = 0;
  unknownCostRequests = 0;
  knownCostUsd = 0;

  /** One call's requests (rounds) and its cost; an unknown cost is counted, never added as $0. */
  add(rounds: number, costUsd: number | null): void {
    this.requests += rounds;
    if (costUsd === null) this.unknownCostRequests += rounds;
    else this.knownCostUsd += costUsd;
  }

  get usd(): number | null {
    return costSum(this);
  }
}
