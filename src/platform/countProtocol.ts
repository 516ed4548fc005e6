// Messages between the extension host and the counting worker (portCounter.ts ↔ countService.ts), the same on Node
// (a worker thread) and in a browser (a Web Worker).
import type { TokenizerId } from '../core/tokens/tokens';

/** A text goes over in slices ('part' messages, then 'count' with the last slice): one big postMessage of 8 MB
 * holds the sending thread 30–60 ms, 256 KB slices well under 1 ms each (measured by `npm run bench`). */
export type ToWorker =
  | { type: 'part'; job: number; text: string }
  | { type: 'count'; job: number; tokenizer: TokenizerId; text: string }
  | { type: 'cancel'; job: number }
  /** The answer to a data request (a browser's worker cannot read the extension's files itself): the file's bytes,
   * transferred, so the host neither decodes nor copies 2 MB of ranks' JSON. */
  | { type: 'data'; chunk: string; bytes?: Uint8Array; error?: string };

export const SLICE_CHARS = 262_144;

export type FromWorker =
  | { job: number; tokens: number; exact: boolean }
  | { job: number; error: string }
  /** A browser's worker asks the host for a data chunk's source (its tokenizer ranks). */
  | { dataRequest: string };
