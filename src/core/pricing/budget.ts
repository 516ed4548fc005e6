// The workspace budget at send time. Rules (the README's "How the numbers are made" states them for users):
// - A request holds its worst-case cost (all input at the input rate + the full max tokens at the output rate) from
//   the moment it is allowed until it ends; the check counts spend so far + what running requests hold + this
//   request's worst case. So requests started together cannot all pass against the same remaining budget.
// - A price the budget cannot see (unknown model) is never added as $0: with action "warn" the request goes out and
//   the user is told once per model that its spend is not counted; with "block" it is refused until the model has a
//   price in lengthwise.pricing.
// - Continuation rounds are allowed while spend + what other running requests hold stays under the budget.
import { budgetState, type BudgetState } from '../ledger/ledger';
import { formatUsd } from './money';

export interface BudgetSettings {
  /** null = no budget. */
  usd: number | null;
  action: 'warn' | 'block';
}

export interface Reservation {
  readonly usd: number;
  /** Gives the held amount back (the request ended: its real cost is in the ledger). Safe to call twice. */
  settle(): void;
}

export type BudgetDecision =
  | { ok: true; reservation: Reservation; state: BudgetState; /** Say this once (it is new for this model). */ warning?: string }
  | { ok: false; message: string };

export class BudgetGuard {
  private readonly held = new Map<number, number>();
  private next = 0;
  private readonly warnedUnknown = new Set<string>();

  /** What running requests hold now (USD). */
  get reservedUsd(): number {
    let sum = 0;
    for (const v of this.held.values()) sum += v;
    return sum;
  }

  get running(): number {
    return this.held.size;
  }

  /**
   * Checks a request about to be sent and, when it may go, holds its worst case. `spentUsd` is the known spend in
   * the ledger; `worstUsd` null = the model's price is unknown. Synchronous from check to hold, so two sends cannot
   * both see the same free budget.
   */
  reserve(budget: BudgetSettings, spentUsd: number, worstUsd: number | null, model: string): BudgetDecision {
    if (budget.usd === null) return { ok: true, reservation: this.hold(0), state: { level: 'ok', block: false } };
    if (worstUsd === null) {
      if (budget.action === 'block') {
        return {
          ok: false,
          message:
            `No price is known for "${model}", so the workspace budget cannot count its spend and lengthwise.budget.action is "block". ` +
            `Nothing was sent. Add its price in lengthwise.pricing (e.g. { "${model}": { "input": 1, "output": 2 } }, USD per million tokens) or set lengthwise.budget.action to "warn".`,
        };
      }
      const state = budgetState(spentUsd, budget.usd, budget.action, 0, this.reservedUsd);
      const key = model.trim().toLowerCase();
      const first = !this.warnedUnknown.has(key);
      this.warnedUnknown.add(key);
      const decision: BudgetDecision = { ok: true, reservation: this.hold(0), state };
      if (first) {
        decision.warning = `No price is known for "${model}": the workspace budget cannot see its spend (it is not counted as $0, it is not counted). Add its price in lengthwise.pricing to have it counted.`;
      }
      return decision;
    }
    const state = budgetState(spentUsd, budget.usd, budget.action, worstUsd, this.reservedUsd);
    if (state.block) return { ok: false, message: state.message ?? 'The workspace budget is spent. Nothing was sent.' };
    return { ok: true, reservation: this.hold(worstUsd), state };
  }

  /**
   * Holds what is already committed elsewhere without a check: a batch at the provider holds its worst case until
   * its results arrive (also after a reload), so new sends see it. null (price unknown) holds nothing.
   */
  holdCommitted(usd: number | null): Reservation {
    return this.hold(usd ?? 0);
  }

  /** Before an automatic continuation round: may the chain go on? (Its own hold does not count against it.) */
  mayContinue(budget: BudgetSettings, spentUsd: number, own: Reservation | undefined): { ok: true } | { ok: false; message: string } {
    if (budget.usd === null || budget.action !== 'block') return { ok: true };
    const others = this.reservedUsd - (own && this.isHeld(own) ? own.usd : 0);
    const state = budgetState(spentUsd, budget.usd, budget.action, 0, others);
    return state.block ? { ok: false, message: `the workspace budget (${formatUsd(budget.usd)}) is spent` } : { ok: true };
  }

  private readonly reservations = new WeakMap<Reservation, number>();

  private isHeld(r: Reservation): boolean {
    const id = this.reservations.get(r);
    return id !== undefined && this.held.has(id);
  }

  private hold(usd: number): Reservation {
    const id = this.next++;
    this.held.set(id, usd);
    const r: Reservation = { usd, settle: () => void this.held.delete(id) };
    this.reservations.set(r, id);
    return r;
  }
}
