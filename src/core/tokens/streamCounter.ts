// The live count of a streamed answer: exact at safe cuts, only the uncut tail re-counted at each read.
import { countBounded, isInsideSurrogatePair, isSafeCut } from './safeCuts';
import type { Tokenizer } from './tokenizer';

/**
 * The stream counter's uncut tail is re-counted at every read, so it is kept shorter: 20,000 CJK characters without
 * punctuation streamed 4 at a time cost 5.7 s of CPU with a 2048-character tail and 0.55 s with this one, for the
 * same total (a longer run shows "≈" while it streams; the provider's usage settles the figure at the end).
 */
const STREAM_MAX_TAIL = 256;

// ---------------------------------------------------------------------------------------------------------

/**
 * Live count of a streamed answer. Keeps only the text after the last safe cut; everything before it is a
 * committed count. committed + count(tail) equals a full encode of everything pushed (unless a forced cut
 * happened, see MAX_UNCUT_RUN; then `exact` is false).
 */
export class StreamCounter {
  private committed = 0;
  private tail = '';
  private tailCount = 0;
  private length = 0;
  private forcedCuts = 0;

  constructor(
    private readonly tok: Tokenizer,
    private readonly maxTail: number = STREAM_MAX_TAIL,
  ) {}

  /** Adds a delta; returns the total token count so far. */
  push(delta: string): number {
    if (!delta) return this.total;
    const scanFrom = Math.max(1, this.tail.length); // earlier positions were checked on earlier pushes
    let tail = this.tail + delta;
    this.length += delta.length;
    let cut = -1;
    for (let i = tail.length - 1; i >= scanFrom; i--) {
      if (isSafeCut(tail, i)) {
        cut = i;
        break;
      }
    }
    if (cut > 0) {
      // A big delta can hold long runs without a safe cut: count them in bounded pieces too.
      const seg = countBounded(this.tok, tail.slice(0, cut), this.maxTail);
      this.committed += seg.tokens;
      this.forcedCuts += seg.forcedCuts;
      tail = tail.slice(cut);
    }
    // No safe cut in the last maxTail characters: commit by force (an estimate from here on).
    while (tail.length > this.maxTail) {
      let at = this.maxTail;
      if (isInsideSurrogatePair(tail, at)) at--;
      this.committed += this.tok.count(tail.slice(0, at));
      tail = tail.slice(at);
      this.forcedCuts++;
    }
    this.tail = tail;
    this.tailCount = this.tok.count(tail);
    return this.committed + this.tailCount;
  }

  get total(): number {
    return this.committed + this.tailCount;
  }
  /** Characters (UTF-16 code units) pushed so far. */
  get textLength(): number {
    return this.length;
  }
  /** False once a forced cut happened: the total is then an estimate (within about one token per cut). */
  get exact(): boolean {
    return this.forcedCuts === 0;
  }
  /** Length of the uncommitted tail (bounded by maxTail); exposed for tests and diagnostics. */
  get tailLength(): number {
    return this.tail.length;
  }
}
