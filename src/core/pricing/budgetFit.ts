// What the rest of a "block" budget buys: the output tokens that fit after the input at a price. A budget that
// cannot take the worst case lowers max tokens to this, down to a useful answer; below it, it refuses.
import { costOf, worstCaseCost, type ModelPrice } from './cost';
import { formatUsd } from './money';

/** The smallest answer worth sending: fewer output tokens than this after the input, and the budget refuses. */
export const MIN_USEFUL_OUTPUT = 16;

/** Output tokens `roomUsd` buys after `inputTokens` at `price` (the tier of the input's size applies); 0 when the input alone is more. */
export function affordableOutput(price: ModelPrice, inputTokens: number, roomUsd: number): number {
  const inputUsd = costOf({ inputTokens, outputTokens: 0 }, price) ?? 0;
  const perToken = ((costOf({ inputTokens, outputTokens: 1_000_000 }, price) ?? 0) - inputUsd) / 1_000_000;
  if (!(roomUsd > inputUsd)) return 0;
  if (!(perToken > 0)) return Number.MAX_SAFE_INTEGER;
  let n = Math.floor((roomUsd - inputUsd) / perToken);
  // The division's rounding can land a token either side: the answer is the largest n whose worst case fits.
  const fits = (k: number) => (costOf({ inputTokens, outputTokens: k }, price) ?? 0) <= roomUsd;
  if (fits(n + 1)) n++;
  while (n > 0 && !fits(n)) n--;
  return n;
}

/** What a "block" budget's rest does to a request's cap: nothing (it fits), a lower cap with its note, or too little. */
export type CapFit = { fits: true } | { fits: false; maxTokens: number; note: string } | { fits: false; short: string };

/**
 * The one rule for a request under a "block" budget whose rest (`roomUsd`) may not take its worst case: max tokens
 * lowered to what the rest buys after the input, as long as a useful answer (MIN_USEFUL_OUTPUT tokens after any
 * thinking budget) fits; below that, why not. Send's plan step (generation/steps/budgetFit.ts) and Continue use it.
 */
export function fitCapToBudget(price: ModelPrice, inputTokens: number, maxTokens: number, roomUsd: number, thinking = 0): CapFit {
  if ((worstCaseCost(inputTokens, maxTokens, price) ?? 0) <= roomUsd) return { fits: true };
  const buys = Math.min(maxTokens, affordableOutput(price, inputTokens, roomUsd));
  if (buys < thinking + MIN_USEFUL_OUTPUT) {
    const after = thinking ? ` after the input and the thinking budget (${thinking})` : ' after the input';
    return { fits: false, short: `The rest of the workspace budget (${formatUsd(roomUsd)}) buys ${buys} output tokens${after}, fewer than the ${MIN_USEFUL_OUTPUT} of a useful answer.` };
  }
  const note = `max tokens ${maxTokens} → ${buys}: the workspace budget has ${formatUsd(roomUsd)} left (lengthwise.budget.action "block"), which buys ${buys} output tokens after the input — the answer may be cut there.`;
  return { fits: false, maxTokens: buys, note };
}
