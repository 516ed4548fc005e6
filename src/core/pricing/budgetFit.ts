// What the rest of a "block" budget buys: the output tokens that fit after the input at a price. A budget that
// cannot take the worst case lowers max tokens to this, down to a useful answer; below it, it refuses.
import { costOf, type ModelPrice } from './cost';

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
