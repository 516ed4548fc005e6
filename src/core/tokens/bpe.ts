// Token count of one pre-tokenized piece, with the same merges as js-tiktoken's bytePairMerge (and tiktoken's
// own): repeatedly merge the adjacent pair of lowest rank, the leftmost one on a tie. js-tiktoken rescans every
// pair after each merge and builds a key string for each (quadratic: one 8,000-character word took 13 s); here
// the pairs sit in a binary heap and a merge only re-ranks its two neighbours, so a piece of n bytes costs
// O(n log n). test/unit/tokens/bpe.test.ts checks the counts equal js-tiktoken's encode on fuzzed pieces.

/** Keys as js-tiktoken's rank map has them: the bytes joined by ",". */
export type RankMap = Map<string, number>;

/** js-tiktoken's tables plus what the merge needs to skip most key strings. */
export interface BpeTable {
  ranks: RankMap;
  /** The longest token's length in bytes: longer spans are never looked up. */
  maxTokenBytes: number;
  /** Rank of each two-byte token at [b0 << 8 | b1], -1 if none: the first round of pairs without key strings. */
  pairs: Int32Array;
}

export function bpeTable(ranks: RankMap, textMap: Map<number, Uint8Array>): BpeTable {
  let maxTokenBytes = 1;
  const pairs = new Int32Array(65536).fill(-1);
  for (const [rank, b] of textMap) {
    if (b.length > maxTokenBytes) maxTokenBytes = b.length;
    if (b.length === 2) pairs[(b[0] << 8) | b[1]] = rank;
  }
  return { ranks, maxTokenBytes, pairs };
}

const POS = 2 ** 24; // heap key = rank · POS + start byte: lowest rank first, then leftmost
const MAX_PIECE_BYTES = POS - 1;

/** A binary min-heap of numbers (the merge queue: rank · POS + start byte). */
class MinHeap {
  private readonly a: number[] = [];

  get size(): number {
    return this.a.length;
  }

  push(key: number): void {
    const heap = this.a;
    let i = heap.length;
    heap.push(key);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (heap[p] <= key) break;
      heap[i] = heap[p];
      i = p;
    }
    heap[i] = key;
  }

  pop(): number {
    const heap = this.a;
    const top = heap[0];
    const last = heap.pop() as number;
    const len = heap.length;
    if (len > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= len) break;
        const c = l + 1 < len && heap[l + 1] < heap[l] ? l + 1 : l;
        if (heap[c] >= last) break;
        heap[i] = heap[c];
        i = c;
      }
      heap[i] = last;
    }
    return top;
  }
}

/** Number of tokens js-tiktoken's encode gives for one piece's UTF-8 bytes. */
export function countPieceBytes(bytes: Uint8Array, table: BpeTable): number {
  const { ranks, maxTokenBytes, pairs } = table;
  const n = bytes.length;
  if (n <= 1) return n;
  if (n <= maxTokenBytes && ranks.has(bytes.join(','))) return 1;
  if (n > MAX_PIECE_BYTES) {
    // Far beyond any real piece (16 MB without a break): counted in parts rather than overflowing the heap key.
    let total = 0;
    for (let i = 0; i < n; i += MAX_PIECE_BYTES) total += countPieceBytes(bytes.subarray(i, i + MAX_PIECE_BYTES), table);
    return total;
  }
  const rankOf = (s: number, e: number): number | undefined => (e - s > maxTokenBytes ? undefined : ranks.get(bytes.subarray(s, e).join(',')));
  // Parts as a linked list keyed by their start byte; a part ends where the next one starts (or at n).
  const next = new Int32Array(n);
  const prev = new Int32Array(n);
  const alive = new Uint8Array(n).fill(1);
  for (let i = 0; i < n; i++) {
    next[i] = i + 1;
    prev[i] = i - 1;
  }
  const heap = new MinHeap();
  for (let i = 0; i + 1 < n; i++) {
    const r = pairs[(bytes[i] << 8) | bytes[i + 1]];
    if (r >= 0) heap.push(r * POS + i);
  }
  let parts = n;
  while (heap.size) {
    const key = heap.pop();
    const rank = Math.floor(key / POS);
    const left = key - rank * POS;
    if (!alive[left]) continue;
    const right = next[left];
    if (right >= n) continue;
    const end = next[right];
    // Stale entry: the pair at `left` changed since it was pushed (a rank names one byte string, so an equal rank
    // means the same pair).
    if (rankOf(left, end) !== rank) continue;
    alive[right] = 0;
    next[left] = end;
    if (end < n) prev[end] = left;
    parts--;
    const before = prev[left];
    if (before >= 0) {
      const r = rankOf(before, end);
      if (r !== undefined) heap.push(r * POS + before);
    }
    if (end < n) {
      const r = rankOf(left, next[end]);
      if (r !== undefined) heap.push(r * POS + left);
    }
  }
  return parts;
}
