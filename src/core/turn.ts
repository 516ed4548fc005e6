// Long work in core (building a tokenizer's tables, counting or splitting a big text) runs in slices and lets other
// work run between them; the provider adapters give way the same way. How a slice gives way is the host's choice, as
// with lazyData.ts: Node registers setImmediate (src/platform/node/host.ts: no 1 ms timer clamp), the browser's
// web-worker host a message channel (src/platform/web/host.ts: no 4 ms clamp on nested timers); anything else keeps
// the 0 ms timer every JavaScript host has.
export type TurnScheduler = (run: () => void) => void;

let scheduler: TurnScheduler = (run) => setTimeout(run, 0);

/** Registers how a slice gives way; called once by the host, like useDataLoader. */
export function useTurnScheduler(s: TurnScheduler): void {
  scheduler = s;
}

/** Resolves after other queued work has had its turn. */
export function yieldTurn(): Promise<void> {
  return new Promise((r) => scheduler(r));
}

/** Runs `run` after other queued work has had its turn (the adapters' event channel and pacing). */
export function nextTurn(run: () => void): void {
  scheduler(run);
}
