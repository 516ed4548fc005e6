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
