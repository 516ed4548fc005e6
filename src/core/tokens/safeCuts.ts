// Where a text can be cut without changing its token count (count(a + b) = count(a) + count(b)), the blocks of a
// document cut there, and counting a text whose long runs must be cut by force.
import type { Tokenizer } from './tokenizer';

// For the cl100k and o200k split patterns, a cut between two characters is "safe" when the
// pre-tokenizer always ends a piece there, whatever follows, and the pieces before it do not depend on what
// follows: then count(a + b) = count(a) + count(b). Measured (test/unit/tokens/tokens.test.ts checks it): letter/digit followed
// by whitespace is safe; after a newline, before or after a space in general are not. Derived from the two
// patterns and fuzz-tested in test/unit/tokens/tokens.test.ts (every rule on both encodings):
//  1. letter → anything but a letter, a combining mark or an ASCII apostrophe (o200k glues "'s" to words);
//  2. digit → anything but a digit (digits group in threes from the left of their run);
//  3. \r or \n → anything but whitespace or "/" (o200k's punctuation piece swallows following [\r\n/]);
//  4. punctuation/symbol → a space or tab-like whitespace that is not \r or \n.

const enum C {
  Letter = 1,
  Digit = 2,
  Mark = 3,
  Newline = 4, // \r \n
  Space = 5, // other whitespace
  Apostrophe = 6,
  Slash = 7,
  Other = 8, // punctuation, symbols, emoji
}

const ASCII = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  ASCII[c] = /[A-Za-z]/.test(ch)
    ? C.Letter
    : /[0-9]/.test(ch)
      ? C.Digit
      : ch === '\r' || ch === '\n'
        ? C.Newline
        : /\s/.test(ch)
          ? C.Space
          : ch === "'"
            ? C.Apostrophe
            : ch === '/'
              ? C.Slash
              : C.Other;
}
const nonAsciiClass = new Map<number, C>();
const RE_L = /\p{L}/u;
const RE_N = /\p{N}/u;
const RE_M = /\p{M}/u;
const RE_S = /\s/u;

function classOf(cp: number): C {
  if (cp < 128) return ASCII[cp] as C;
  let c = nonAsciiClass.get(cp);
  if (c === undefined) {
    const ch = String.fromCodePoint(cp);
    c = RE_L.test(ch) ? C.Letter : RE_N.test(ch) ? C.Digit : RE_M.test(ch) ? C.Mark : RE_S.test(ch) ? C.Space : C.Other;
    if (nonAsciiClass.size < 65536) nonAsciiClass.set(cp, c);
  }
  return c;
}

function isSafePair(prev: C, next: C): boolean {
  switch (prev) {
    case C.Letter:
      return next !== C.Letter && next !== C.Mark && next !== C.Apostrophe;
    case C.Digit:
      return next !== C.Digit;
    case C.Newline:
      return next !== C.Newline && next !== C.Space && next !== C.Slash;
    case C.Other:
    case C.Apostrophe:
    case C.Slash:
      return next === C.Space;
    default:
      return false;
  }
}

/** True when text can be cut before index i (0 < i < length) without changing the total token count. */
export function isSafeCut(text: string, i: number): boolean {
  if (i <= 0 || i >= text.length) return false;
  const next = text.charCodeAt(i);
  let prev = text.charCodeAt(i - 1);
  if (next >= 0xdc00 && next <= 0xdfff && prev >= 0xd800 && prev <= 0xdbff) return false; // inside a surrogate pair
  if (prev >= 0xdc00 && prev <= 0xdfff && i >= 2) {
    const hi = text.charCodeAt(i - 2);
    if (hi >= 0xd800 && hi <= 0xdbff) prev = ((hi - 0xd800) << 10) + (prev - 0xdc00) + 0x10000;
  }
  return isSafePair(classOf(prev), classOf(text.codePointAt(i) as number));
}

export function isInsideSurrogatePair(text: string, i: number): boolean {
  const next = text.charCodeAt(i);
  const prev = text.charCodeAt(i - 1);
  return next >= 0xdc00 && next <= 0xdfff && prev >= 0xd800 && prev <= 0xdbff;
}

/**
 * Longest run of text without a safe cut that the block counter keeps whole (the stream counter keeps less, see
 * STREAM_MAX_TAIL). The merge is O(n log n) in a piece's length (bpe.ts; ~2.5 µs a byte at worst here) and a block
 * is cached whole, so a longer run (a very long word, CJK without punctuation, a line of "=====") is cut by force.
 * Such a cut can move the count by about one token; the counter then reports `exact === false` and the UI shows
 * "≈". Runs up to this length are always counted exactly in a selection.
 */
export const MAX_UNCUT_RUN = 2048;

export interface Block {
  start: number;
  end: number;
  /** The cut at `end` was forced (no safe cut in MAX_UNCUT_RUN characters): the total becomes an estimate. */
  forced: boolean;
}

export interface BlockOptions {
  /** Smallest block before a content-defined cut is taken (chars). */
  minBlock?: number;
  /** A cut is taken at the next safe cut once a block is this long, even without a content hash hit. */
  maxBlock?: number;
  maxUncutRun?: number;
}

// Content-defined block boundaries (a "gear" rolling hash over the last 32 characters): a boundary is the first
// safe cut after a hash hit, so an edit only changes the blocks around it and the ones after it resynchronize
// within a block or two. Hits occur on average every 2,048 characters.
const GEAR = (() => {
  const t = new Int32Array(256);
  let x = 0x9e3779b9;
  for (let i = 0; i < 256; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    t[i] = x;
  }
  return t;
})();
const HIT_SHIFT = 21; // 11 high bits zero → 1 in 2,048

/** Splits text into blocks at safe cuts (~2 KB on average). The sum of the blocks' counts equals the full count. */
export function* splitBlocks(text: string, opts: BlockOptions = {}): Generator<Block> {
  const minBlock = opts.minBlock ?? 256;
  const maxBlock = opts.maxBlock ?? 8192;
  const maxUncut = opts.maxUncutRun ?? MAX_UNCUT_RUN;
  const n = text.length;
  let start = 0;
  let lastCut = 0;
  let h = 0;
  let hit = false;
  // Same decision as isSafeCut(text, i), with each character classified once (this loop runs over whole documents).
  let prev = n > 0 ? classOf(text.codePointAt(0) as number) : C.Other;
  for (let i = 1; i < n; i++) {
    h = ((h << 1) + GEAR[text.charCodeAt(i - 1) & 0xff]) | 0;
    if (!hit && i - start >= minBlock && h >>> HIT_SHIFT === 0) hit = true;
    const cu = text.charCodeAt(i);
    if (cu >= 0xdc00 && cu <= 0xdfff) {
      const hi = text.charCodeAt(i - 1);
      if (hi >= 0xd800 && hi <= 0xdbff) continue; // second half of a pair: prev already holds the pair's class
    }
    const next = cu < 128 ? (ASCII[cu] as C) : classOf(text.codePointAt(i) as number);
    if (isSafePair(prev, next)) {
      lastCut = i;
      if (hit || i - start >= maxBlock) {
        yield { start, end: i, forced: false };
        start = i;
        hit = false;
      }
    } else if (i - lastCut >= maxUncut) {
      yield { start, end: i, forced: true };
      start = lastCut = i;
      hit = false;
    }
    prev = next;
  }
  if (n > 0) yield { start, end: n, forced: false };
}

/** Counts text whose only cuts are forced ones (runs longer than maxRun); exact when forcedCuts is 0. */
export function countBounded(tok: Tokenizer, text: string, maxRun: number): { tokens: number; forcedCuts: number } {
  if (text.length <= maxRun || hasSafeCutEvery(text, maxRun >> 1)) return { tokens: tok.count(text), forcedCuts: 0 };
  let tokens = 0;
  let forcedCuts = 0;
  for (const b of splitBlocks(text, { minBlock: Infinity, maxBlock: Infinity, maxUncutRun: maxRun })) {
    tokens += tok.count(text.slice(b.start, b.end));
    if (b.forced) forcedCuts++;
  }
  return { tokens, forcedCuts };
}

/**
 * True when every stretch of `step` characters holds a safe cut: then no run without one is longer than 2·step,
 * and text with no run over 2·step needs no forced cut. Looks at a few characters a stretch (the first safe cut
 * is usually a word's end), where splitBlocks classifies every character.
 */
function hasSafeCutEvery(text: string, step: number): boolean {
  const n = text.length;
  // The last stretch needs none: a run from a cut in the one before it to the end is shorter than 2·step.
  for (let k = 0; k + step < n; k += step) {
    const end = k + step;
    let j = Math.max(k, 1);
    while (j < end && !isSafeCut(text, j)) j++;
    if (j >= end) return false;
  }
  return true;
}
