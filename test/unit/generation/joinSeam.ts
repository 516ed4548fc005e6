// The seam joiner (src/core/generation/seam.ts) over a whole continuation at once: what the streamed joins are
// compared with.
import { SeamJoiner, type SeamOptions } from '../../../src/core/generation/seam';

export function joinSeam(textSoFar: string, continuation: string, opts?: SeamOptions): { append: string; removed: string; restarted: boolean } {
  const joiner = new SeamJoiner(textSoFar, opts);
  const append = joiner.push(continuation) + joiner.flush();
  return { append, removed: joiner.removed, restarted: joiner.restarted };
}
