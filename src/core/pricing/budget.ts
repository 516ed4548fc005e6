// The workspace budget at send time. Rules (the README's "How the numbers are made" states them for users):
// - A request holds its worst-case cost (all input at the input rate + the full max tokens at the output rate) from
//   the moment it is allowed until it ends; the check counts spend so far + what running requests hold + this
//   request's worst case. So requests started together cannot all pass against the same remaining budget.
// - A price the budget cannot see (unknown model) is never added as $0: with action "warn" the request goes out and
//   the user is told once per model that its spend is not counted; with "block" it is refused until the model has a
//   price in lengthwise.pricing.
// - Continuation rounds are allowed while spend + what other running requests hold stays under the budget.
// - A "block" budget that cannot take a request's worst case offers it the rest (`fit`): the request may come back
//   with a lower max tokens whose worst case fits (generation/steps/budgetFit.ts); below a useful answer it is refused.
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

/** A request fitted to the rest of a "block" budget: its new worst case, or why not even a useful answer fits. */
export type BudgetFit = { worstUsd: number } | { short: string };

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
  reserve(budget: BudgetSettings, spentUsd: number, worstUsd: number | null, model: string, fit?: (roomUsd: number) => BudgetFit): BudgetDecision {
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
    if (!state.block) return { ok: true, reservation: this.hold(worstUsd), state };
    const message = state.message ?? 'The workspace budget is spent. Nothing was sent.';
    const room = this.room(budget, spentUsd);
    if (!fit || room === undefined || room <= 0) return { ok: false, message };
    const f = fit(room);
    if ('short' in f) return { ok: false, message: `${message} ${f.short}` };
    if (!(f.worstUsd <= room)) return { ok: false, message };
    return { ok: true, reservation: this.hold(f.worstUsd), state: budgetState(spentUsd, budget.usd, budget.action, f.worstUsd, this.reservedUsd) };
  }

  /** What a "block" budget has left for one more request: budget − spend − what running requests hold; undefined without one. */
  room(budget: BudgetSettings, spentUsd: number): number | undefined {
    if (budget.usd === null || budget.action !== 'block' || !Number.isFinite(budget.usd)) return undefined;
    return budget.usd - (Number.isFinite(spentUsd) && spentUsd > 0 ? spentUsd : 0) - this.reservedUsd;
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

export interface BudgetState {
  level: 'ok' | 'warn80' | 'over';
  /** True: do not send (budget.action is "block" and the budget is reached or this request could exceed it). */
  block: boolean;
  message?: string;
}

/**
 * The workspace budget against spend so far (+ addUsd, e.g. the next request's worst-case cost).
 * warn80: at least 80% used; over: the budget is reached (spent ≥ budget) or spent + addUsd would exceed it.
 * With action "block", "over" blocks sending. No budget (null) → always ok.
 */
export function budgetState(spentUsd: number, budgetUsd: number | null, action: 'warn' | 'block', addUsd?: number, reservedUsd?: number): BudgetState {
  if (budgetUsd === null || budgetUsd === undefined || !Number.isFinite(budgetUsd) || budgetUsd < 0) {
    return { level: 'ok', block: false };
  }
  const add = typeof addUsd === 'number' && Number.isFinite(addUsd) && addUsd > 0 ? addUsd : 0;
  // Requests already running hold their worst case (BudgetGuard): counted like spend, named apart.
  const reserved = typeof reservedUsd === 'number' && Number.isFinite(reservedUsd) && reservedUsd > 0 ? reservedUsd : 0;
  const spent = (Number.isFinite(spentUsd) && spentUsd > 0 ? spentUsd : 0) + reserved;
  const numbers = `${formatUsd(spent - reserved)} of ${formatUsd(budgetUsd)} spent${reserved > 0 ? ` and ${formatUsd(reserved)} held by running requests` : ''}`;
  const withNext = add > 0 ? `; this request could cost up to ${formatUsd(add)}` : '';
  if (spent >= budgetUsd || spent + add > budgetUsd) {
    const block = action === 'block';
    // Held amounts are not spent yet: "reached" only when the ledger's spend alone reaches the budget.
    const reached = spent - reserved >= budgetUsd ? 'Workspace budget reached' : 'This request could exceed the workspace budget';
    const how = block
      ? ' Nothing was sent. Raise lengthwise.budget.usd (or set lengthwise.budget.action to "warn") to continue.'
      : ' Raise lengthwise.budget.usd to silence this warning.';
    return { level: 'over', block, message: `${reached}: ${numbers}${withNext}.${how}` };
  }
  if (spent + add >= 0.8 * budgetUsd) {
    const pct = budgetUsd > 0 ? Math.floor(((spent + add) / budgetUsd) * 100) : 100;
    return { level: 'warn80', block: false, message: `Workspace budget ${pct}% used: ${numbers}${withNext}.` };
  }
  return { level: 'ok', block: false };
}
