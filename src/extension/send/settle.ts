// A budget hold is given back however the work it covers ends.
import type { Reservation } from '../../core/pricing/budget';

/** Runs `fn`, then gives the budget hold back, whether the run finished, failed or never started. */
export async function settleAfter<T>(hold: Reservation, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } finally {
    hold.settle();
  }
}
