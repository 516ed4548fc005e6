// Slicing long work on the host's thread.

/** Lets other work run between slices: setImmediate where the host has it (Node: no 1 ms timer clamp), else a timer. */
export const yieldToEventLoop = (): Promise<void> =>
  new Promise((r) => (typeof globalThis.setImmediate === 'function' ? globalThis.setImmediate(r) : setTimeout(r, 0)));
