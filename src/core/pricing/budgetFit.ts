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
  // Rounding of the division must not let the worst case cross the room by a fraction of a cent.
  while (n > 0 && (costOf({ inputTokens, outputTokens: n }, price) ?? 0) > roomUsd) n--;
  return n;
}
