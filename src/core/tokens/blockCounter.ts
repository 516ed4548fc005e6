// Counting selections and documents in blocks cut at safe cuts (~2 KB), each block's count cached: a re-count after
// an edit re-encodes only the blocks it changed.
import { splitBlocks, type BlockOptions } from './safeCuts';
import type { TokenizerId } from '../providers';
import type { Tokenizer } from './tokenizer';
import { yieldTurn as yieldToEventLoop } from '../turn';

/** Copies a string so a cached key does not keep its (possibly huge) parent document alive. */
function detach(s: string): string {
  // A JSON round trip makes a flat copy and keeps lone surrogates (they are escaped, then restored).
  return JSON.parse(JSON.stringify(s)) as string;
}

/** A local count: exact unless a run longer than MAX_UNCUT_RUN was cut by force (then within ~1 token a cut). */
export interface CountResult {
  tokens: number;
  exact: boolean;
}

export interface BlockCounterOptions extends BlockOptions {
  /** Cached blocks kept (least recently used are dropped). */
  maxEntries?: number;
}

/**
 * Counts selections and documents block by block with a cache keyed by block content, so a re-count after a
 * small edit only encodes the changed blocks.
 */
export class BlockCounter {
  private readonly cache = new Map<string, number>();
  private readonly maxEntries: number;
  private lastExact = true;
  /** Cache statistics (cumulative), for tests and the benchmark. */
  readonly stats = { hits: 0, misses: 0 };

  constructor(
    private readonly tok: Tokenizer,
    private readonly opts: BlockCounterOptions = {},
  ) {
    this.maxEntries = opts.maxEntries ?? 4096;
  }

  get tokenizerId(): TokenizerId {
    return this.tok.id;
  }
  /** Whether the last completed count was exact (false after a forced cut in a very long run, see MAX_UNCUT_RUN). */
  get exact(): boolean {
    return this.lastExact;
  }

  count(text: string): number {
    const r = this.countSync(text);
    this.lastExact = r.exact;
    return r.tokens;
  }

  /** The count and whether it is exact (no forced cut), without touching the shared `exact` flag. */
  countSync(text: string): CountResult {
    let total = 0;
    let exact = true;
    for (const b of splitBlocks(text, this.opts)) {
      total += this.countBlock(text.slice(b.start, b.end));
      if (b.forced) exact = false;
    }
    return { tokens: total, exact };
  }

  /** Same result as count(), yielding to the event loop so no slice runs longer than ~sliceMs (default 30). */
  async countAsync(text: string, opts: { sliceMs?: number; signal?: AbortSignal } = {}): Promise<number> {
    const r = await this.countSliced(text, opts);
    this.lastExact = r.exact;
    return r.tokens;
  }

  /** countAsync's result with its exactness; concurrent calls do not disturb each other. */
  async countSliced(text: string, opts: { sliceMs?: number; signal?: AbortSignal } = {}): Promise<CountResult> {
    const sliceMs = opts.sliceMs ?? 30;
    const signal = opts.signal;
    signal?.throwIfAborted();
    let total = 0;
    let exact = true;
    let sliceStart = performance.now();
    for (const b of splitBlocks(text, this.opts)) {
      total += this.countBlock(text.slice(b.start, b.end));
      if (b.forced) exact = false;
      if (performance.now() - sliceStart >= sliceMs) {
        await yieldToEventLoop();
        signal?.throwIfAborted();
        sliceStart = performance.now();
      }
    }
    return { tokens: total, exact };
  }

  clear(): void {
    this.cache.clear();
  }

  get cachedBlocks(): number {
    return this.cache.size;
  }

  private countBlock(block: string): number {
    const hit = this.cache.get(block);
    if (hit !== undefined) {
      // Refresh its LRU position.
      this.cache.delete(block);
      this.cache.set(block, hit);
      this.stats.hits++;
      return hit;
    }
    this.stats.misses++;
    const n = this.tok.count(block);
    this.cache.set(detach(block), n);
    if (this.cache.size > this.maxEntries) {
      const oldest = this.cache.keys().next().value as string;
      this.cache.delete(oldest);
    }
    return n;
  }
}
