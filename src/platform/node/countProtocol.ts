// Messages between the extension host and the counting worker (countWorker.ts ↔ countWorkerEntry.ts).
import type { TokenizerId } from '../../core/tokens/tokens';

/** A text goes over in slices ('part' messages, then 'count' with the last slice): one big postMessage of 8 MB
 * holds the sending thread 30–60 ms, 256 KB slices well under 1 ms each (measured by `npm run bench`). */
export type ToWorker =
  | { type: 'part'; job: number; text: string }
  | { type: 'count'; job: number; tokenizer: TokenizerId; text: string }
  | { type: 'cancel'; job: number };

export const SLICE_CHARS = 262_144;

export type FromWorker = { job: number; tokens: number; exact: boolean } | { job: number; error: string };
