// How a host counts text. Every count of user or server text (a selection, a prompt, the system prompt, an
// answer) goes through a TextCounter: block by block at safe cuts, so no run longer than MAX_UNCUT_RUN is merged
// whole and the block cache makes a re-count after an edit cheap. Core holds the interface and the in-thread
// counter; the Node host adds a worker thread for big inputs (src/platform/node/countWorker.ts), so counting
// megabytes never stalls the editor's thread.
import { loadTokenizer, type TokenizerId } from './tokens';
import { BlockCounter, type CountResult } from './blockCounter';

export type { CountResult } from './blockCounter';

export interface CountOptions {
  /** Aborts the count (rejects with the signal's reason), e.g. when the selection changes. */
  signal?: AbortSignal;
}

export interface TextCounter {
  count(id: TokenizerId, text: string, opts?: CountOptions): Promise<CountResult>;
  dispose?(): void;
}

/**
 * Texts below this many characters are counted on the calling thread, in slices; longer ones go to a worker.
 * Measured here (`npm run bench`, figures (6)): 8,192 characters of typical text take ~4 ms, the worst case (one
 * long word, cut every MAX_UNCUT_RUN) ~40 ms in slices of ≤ 30 ms; a round trip to the worker ~0.5 ms, but the
 * worker keeps its own tokenizer tables, so short texts stay here.
 */
export const OFF_THREAD_CHARS = 8192;

/** Blocks cached per encoding: ~2 KB each, so an 8 MB document stays cached whole. */
const CACHED_BLOCKS = 8192;

/** Counts on the calling thread in slices (yielding between them), with a block cache per encoding. */
export class InThreadCounter implements TextCounter {
  private readonly counters = new Map<TokenizerId, BlockCounter>();

  constructor(private readonly opts: { sliceMs?: number } = {}) {}

  async count(id: TokenizerId, text: string, opts: CountOptions = {}): Promise<CountResult> {
    opts.signal?.throwIfAborted();
    if (!text) return { tokens: 0, exact: true };
    let bc = this.counters.get(id);
    if (!bc) {
      const tok = await loadTokenizer(id);
      bc = this.counters.get(id) ?? new BlockCounter(tok, { maxEntries: CACHED_BLOCKS });
      this.counters.set(id, bc);
    }
    return bc.countSliced(text, { signal: opts.signal, sliceMs: this.opts.sliceMs });
  }
}

/** Small texts to `near` (in thread), the rest to `far` (a worker). */
export class RoutedCounter implements TextCounter {
  constructor(
    private readonly near: TextCounter,
    private readonly far: TextCounter,
    readonly thresholdChars: number = OFF_THREAD_CHARS,
  ) {}

  count(id: TokenizerId, text: string, opts?: CountOptions): Promise<CountResult> {
    return (text.length < this.thresholdChars ? this.near : this.far).count(id, text, opts);
  }

  dispose(): void {
    this.near.dispose?.();
    this.far.dispose?.();
  }
}

/** The input of a request (system prompt and messages), each counted like the rest: exact only if every part is. */
export async function countAll(counter: TextCounter, id: TokenizerId, texts: readonly string[], opts?: CountOptions): Promise<CountResult> {
  let tokens = 0;
  let exact = true;
  for (const t of texts) {
    if (!t) continue;
    const r = await counter.count(id, t, opts);
    tokens += r.tokens;
    exact &&= r.exact;
  }
  return { tokens, exact };
}
