// What core takes from a Node host (src/core/lazyData.ts, src/core/turn.ts): big data from the lazy chunks beside
// the bundle, and setImmediate to give way between slices of long work. The extension, the counting worker and the
// tests (test/nodeHost.ts) call this before anything is counted or priced.
import { useDataLoader } from '../../core/lazyData';
import { useTurnScheduler } from '../../core/turn';
import { nodeDataLoader } from './lazyChunk';

export function useNodeHost(): void {
  useDataLoader(nodeDataLoader);
  useTurnScheduler((run) => setImmediate(run));
}
