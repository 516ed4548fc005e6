// What core takes from a browser's web worker (src/core/lazyData.ts, src/core/turn.ts): data chunks read
// asynchronously, and a message channel to give way between slices (a 0 ms timer is clamped to 4 ms once nested,
// which would make every slice of a long count and every wake of an adapter's event channel wait). The extension's
// web entry and the counting Web Worker call this before anything is counted or priced.
import { useDataLoader, type DataLoader } from '../../core/lazyData';
import { useTurnScheduler, type TurnScheduler } from '../../core/turn';

/** Runs each callback in its own task, in order, without a timer's clamp. */
export function messageTurns(): TurnScheduler {
  const channel = new MessageChannel();
  const queue: (() => void)[] = [];
  channel.port1.onmessage = () => queue.shift()?.();
  return (run) => {
    queue.push(run);
    channel.port2.postMessage(null);
  };
}

export function useWebHost(loader: DataLoader): void {
  useDataLoader(loader);
  useTurnScheduler(messageTurns());
}
