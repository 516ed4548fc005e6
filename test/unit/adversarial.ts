// Inputs an attacker controls (a workspace's settings, a file's content, a server's answer), shared by the
// security tests and `npm run bench`, which prints how long each takes.

export const MB = 1 << 20;

/**
 * A hang guard, not a speed target: the bound is 10–100× what these inputs take on an idle CI machine (room for a
 * loaded one), and far below the seconds-to-minutes the unbounded code took. Figures: the README's Security section.
 */
export const HANG_BOUND_MS = 2_000;

/** Runs `f` and returns its result and elapsed milliseconds. */
export function timed<T>(f: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = f();
  return { value, ms: performance.now() - t0 };
}

/** Input sizes of the linear-time check: a site that is linear takes ~10× longer on the larger one. */
export const SMALL = 10_000;
export const LARGE = 100_000;
/**
 * Largest accepted growth from SMALL to LARGE characters: linear is 10×, n log n ~12×, a backtracking pattern
 * 100×; what is in between is the machine (caches, a collection, other processes). Below FLOOR_MS per call the
 * small figure is call overhead and clock noise, so the growth is taken against FLOOR_MS.
 */
export const MAX_GROWTH = 20;
export const FLOOR_MS = 0.02;

/** Milliseconds per call of `f`, repeated until the repetitions have taken ≥ 3 ms (a fast call is timed over many). */
async function msPerCall(f: () => unknown): Promise<number> {
  let reps = 0;
  const t0 = performance.now();
  let elapsed: number;
  do {
    await f();
    reps++;
    elapsed = performance.now() - t0;
  } while (elapsed < 3);
  return elapsed / reps;
}

/**
 * Time per call of `run` on attack(SMALL) and attack(LARGE): the fastest of three to five trials each, taken in turns so a
 * busy moment of the machine falls on both sizes; measured up to three times while the growth looks too steep (a
 * backtracking site is steep every time, a pause of the machine is not). A call slower than HANG_BOUND_MS ends the
 * measurement at once: that is a hang.
 */
export async function growth(run: (s: string) => unknown, attack: (n: number) => string): Promise<{ small: number; large: number; ratio: number }> {
  const a = attack(SMALL);
  const b = attack(LARGE);
  await run(attack(1_000)); // JIT, lazy data
  let best = { small: Infinity, large: Infinity, ratio: Infinity };
  for (let attempt = 0; attempt < 3; attempt++) {
    let small = Infinity;
    let large = Infinity;
    const t0 = performance.now();
    for (let trial = 0; trial < 5; trial++) {
      small = Math.min(small, await msPerCall(() => run(a)));
      large = Math.min(large, await msPerCall(() => run(b)));
      if (large >= HANG_BOUND_MS) break;
      // Slow calls vary less with a pause of the machine: three trials are enough once they add up to 300 ms.
      if (trial >= 2 && performance.now() - t0 > 300) break;
    }
    const ratio = large / Math.max(small, FLOOR_MS);
    if (ratio < best.ratio) best = { small, large, ratio };
    if (best.ratio < MAX_GROWTH || large >= HANG_BOUND_MS) break;
  }
  return best;
}
