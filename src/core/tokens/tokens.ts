// Local token counting: tokenizer choice per model, lazily loaded js-tiktoken ranks, an incremental counter for
// streams and a block cache for selections/documents. Exact for OpenAI models; an estimate ("≈") for Claude,
// Gemini and unknown models, whose real counts come only from the provider.
import { Tiktoken, type TiktokenBPE } from 'js-tiktoken/lite';
import type { ProviderId } from '../protocol/request';
import { loadData } from '../lazyData';
import { yieldTurn as yieldToEventLoop } from '../turn';
import { bpeTable, countPieceBytes, type BpeTable } from './bpe';

export type TokenizerId = 'o200k_base' | 'cl100k_base';

/** exact=false: the model's own tokenizer is not available locally; counts are an estimate ("≈"). */
export interface TokenizerChoice {
  id: TokenizerId;
  exact: boolean;
}

const O200K_MODELS = /^(gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|o1|o3|o4|chatgpt-4o)(\b|-|$)/;
const CL100K_MODELS = /^(gpt-4|gpt-3\.5|gpt-35|text-embedding-ada-002|text-embedding-3)(\b|-|$)/;

export function tokenizerFor(provider: ProviderId, model: string): TokenizerChoice {
  if (provider === 'openai' || provider === 'openai-compatible') {
    // Proxies often prefix the vendor ("openai/gpt-4o"); the tokenizer is still the model's own.
    const m = model.trim().toLowerCase().replace(/^openai\//, '');
    if (O200K_MODELS.test(m)) return { id: 'o200k_base', exact: true };
    if (CL100K_MODELS.test(m)) return { id: 'cl100k_base', exact: true };
  }
  // Claude, Gemini, local and unknown models: o200k is a reasonable modern approximation, never exact.
  return { id: 'o200k_base', exact: false };
}

export interface Tokenizer {
  readonly id: TokenizerId;
  count(text: string): number;
  encode(text: string): number[];
}

class TiktokenTokenizer implements Tokenizer {
  /** The encoding's own pre-tokenizer pattern: a text's count is the sum of its pieces' counts. */
  private readonly split: RegExp;
  /** The same pattern for pure-ASCII text, without Unicode property classes: ~5× faster in V8 (asciiPattern). */
  private readonly asciiSplit: RegExp | undefined;
  /** Token count per piece. Words repeat, so most pieces of a stream or selection hit this cache and skip the
   * byte encoding and merge (the hot path of live counting). Bounded. */
  private readonly pieceCounts = new Map<string, number>();
  private readonly utf8 = new TextEncoder();
  /** js-tiktoken's rank table, merged with countPieceBytes (O(n log n) in a piece's length, where js-tiktoken's
   * own merge is quadratic); undefined if a js-tiktoken version hides it (then its encode counts, unbounded). */
  private readonly bpe: BpeTable | undefined;

  constructor(
    readonly id: TokenizerId,
    private readonly tk: Tiktoken,
    patStr: string,
  ) {
    this.split = new RegExp(nonCapturing(patStr), 'uy');
    const ascii = asciiPattern(patStr);
    this.asciiSplit = ascii === undefined ? undefined : new RegExp(nonCapturing(ascii), 'y');
    const maps = tk as unknown as { rankMap?: unknown; textMap?: unknown };
    const ok = maps.rankMap instanceof Map && maps.textMap instanceof Map && maps.rankMap.size > 0;
    this.bpe = ok ? bpeTable(maps.rankMap as Map<string, number>, maps.textMap as Map<number, Uint8Array>) : undefined;
  }
  // Special-token strings ("<|endoftext|>") in user text are ordinary text for the APIs: never special, never an error.
  encode(text: string): number[] {
    return text ? this.tk.encode(text, [], []) : [];
  }
  /**
   * Pure-ASCII stretches (most code and English) are split with the ASCII pattern, the rest with the Unicode one.
   * A stretch ends at a safe cut (isSafeCut: counting both sides apart gives the same total), so the result is
   * the same as one pass of the Unicode pattern.
   */
  count(text: string): number {
    if (!text) return 0;
    const ascii = this.asciiSplit;
    if (!ascii) return this.countPieces(this.split, text);
    const len = text.length;
    let n = 0;
    for (let at = 0; at < len; ) {
      NON_ASCII.lastIndex = at;
      const na = NON_ASCII.exec(text);
      if (!na) return n + this.countPieces(ascii, at ? text.slice(at) : text);
      let cut = na.index;
      while (cut > at && !isSafeCut(text, cut)) cut--;
      if (cut > at) n += this.countPieces(ascii, text.slice(at, cut));
      // Back to ASCII at the first safe cut inside a later run of 32 ASCII characters.
      let resume = len;
      ASCII_RUN.lastIndex = na.index + 1;
      search: for (let run = ASCII_RUN.exec(text); run !== null; run = ASCII_RUN.exec(text)) {
        for (let c = run.index; c < run.index + 32; c++) {
          if (c > cut && isSafeCut(text, c)) {
            resume = c;
            break search;
          }
        }
      }
      n += this.countPieces(this.split, text.slice(cut, resume));
      at = resume;
    }
    return n;
  }

  private countPieces(re: RegExp, text: string): number {
    let n = 0;
    // A sticky test() and lastIndex instead of exec(): no match array per piece.
    for (let at = 0; at < text.length; ) {
      re.lastIndex = at;
      if (!re.test(text)) {
        at++; // no alternative takes this character: skipped, as exec()'s search would
        continue;
      }
      const end = re.lastIndex;
      const piece = text.slice(at, end);
      at = end;
      let c = this.pieceCounts.get(piece);
      if (c === undefined) {
        c = this.bpe ? countPieceBytes(this.utf8.encode(piece), this.bpe) : this.tk.encode(piece, [], []).length;
        if (piece.length <= MAX_CACHED_PIECE) {
          if (this.pieceCounts.size >= PIECE_CACHE_LIMIT) this.pieceCounts.clear();
          this.pieceCounts.set(piece, c);
        }
      }
      n += c;
    }
    return n;
  }
}

const NON_ASCII = /[^\x00-\x7f]/g;
const ASCII_RUN = /[\x00-\x7f]{32}/g;

/** What each Unicode class of the split patterns holds among ASCII characters. */
const ASCII_CLASSES: Record<string, string> = { L: 'A-Za-z', Lu: 'A-Z', Ll: 'a-z', N: '0-9', Lt: '', Lm: '', Lo: '', M: '' };

/**
 * The split pattern with each \p{…} replaced by its ASCII members, so it matches pure-ASCII text exactly like
 * the original; undefined for a pattern with a class this does not know (then only the Unicode pattern is used).
 * test/unit/bpe.test.ts compares the two on ASCII text for both encodings.
 */
export function asciiPattern(pat: string): string | undefined {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pat.length; i++) {
    const ch = pat[i];
    if (ch === '\\') {
      const m = /^\\([pP])\{(\w+)\}/.exec(pat.slice(i, i + 12));
      if (m) {
        const members = m[1] === 'p' ? ASCII_CLASSES[m[2]] : undefined;
        if (members === undefined) return undefined;
        out += inClass ? members : members ? `[${members}]` : '[^\\s\\S]';
        i += m[0].length - 1;
      } else {
        out += pat.slice(i, i + 2);
        i++;
      }
      continue;
    }
    if (ch === '[' && !inClass) inClass = true;
    else if (ch === ']' && inClass) inClass = false;
    out += ch;
  }
  return out;
}

/**
 * The pattern with every capturing group made non-capturing: the same matches, but the engine records no groups
 * (the contraction group after each word cost o200k's ASCII split ~20 % of its time in V8). Only test() uses it.
 */
export function nonCapturing(pat: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pat.length; i++) {
    const ch = pat[i];
    if (ch === '\\') {
      out += pat.slice(i, i + 2);
      i++;
      continue;
    }
    if (ch === '[' && !inClass) inClass = true;
    else if (ch === ']' && inClass) inClass = false;
    out += ch === '(' && !inClass && pat[i + 1] !== '?' ? '(?:' : ch;
  }
  return out;
}

/** Long pieces rarely repeat; caching them would only keep big strings alive. */
const MAX_CACHED_PIECE = 256;
const PIECE_CACHE_LIMIT = 100_000;

const loaded = new Map<TokenizerId, Tokenizer>();
const loading = new Map<TokenizerId, Promise<Tokenizer>>();

/** The ranks module: `dist/ranks/<id>.js` beside the bundle, or js-tiktoken's own file when running from source. */
export function loadRanks(id: TokenizerId): TiktokenBPE {
  return loadData<TiktokenBPE>(`ranks/${id}`, `js-tiktoken/ranks/${id}`);
}

/** Loads (once) and returns a tokenizer. Never at import time; yields to the event loop while building the tables. */
export function loadTokenizer(id: TokenizerId): Promise<Tokenizer> {
  const done = loaded.get(id);
  if (done) return Promise.resolve(done);
  let p = loading.get(id);
  if (!p) {
    p = (async () => {
      await yieldToEventLoop();
      const ranks = loadRanks(id);
      const tk = await buildTiktoken(ranks);
      const tok = new TiktokenTokenizer(id, tk, ranks.pat_str);
      loaded.set(id, tok);
      return tok;
    })();
    p.catch(() => loading.delete(id)); // a failed load can be retried
    loading.set(id, p);
  }
  return p;
}

const B64 = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) B64['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.charCodeAt(i)] = i;

/** Decodes base64 s[from, to) straight into a Uint8Array (no intermediate Buffer: ~200,000 of these per load). */
function decodeBase64(s: string, from: number, to: number): Uint8Array {
  let pad = 0;
  if (s.charCodeAt(to - 1) === 61) pad = s.charCodeAt(to - 2) === 61 ? 2 : 1;
  const n = (((to - from) * 3) >> 2) - pad;
  const out = new Uint8Array(n);
  let o = 0;
  for (let i = from; i < to; i += 4) {
    const v =
      (Math.max(0, B64[s.charCodeAt(i)] ?? 0) << 18) |
      (Math.max(0, B64[s.charCodeAt(i + 1)] ?? 0) << 12) |
      (Math.max(0, B64[s.charCodeAt(i + 2)] ?? 0) << 6) |
      Math.max(0, B64[s.charCodeAt(i + 3)] ?? 0);
    if (o < n) out[o++] = (v >> 16) & 255;
    if (o < n) out[o++] = (v >> 8) & 255;
    if (o < n) out[o++] = v & 255;
  }
  return out;
}

/**
 * js-tiktoken's constructor decodes ~200,000 ranks in one synchronous run (0.5–1.2 s here), which would freeze
 * the extension host. This builds the same tables in slices of ~10 ms. It fills the instance's rank maps,
 * which js-tiktoken 1.x keeps as plain Maps; if a later version changes that, it falls back to the
 * (blocking but correct) constructor. test/unit/tokens.test.ts checks the tables equal the constructor's.
 */
export async function buildTiktoken(ranks: TiktokenBPE, sliceMs = 10): Promise<Tiktoken> {
  const tk = new Tiktoken({ pat_str: ranks.pat_str, special_tokens: ranks.special_tokens, bpe_ranks: '' });
  const maps = tk as unknown as { rankMap?: unknown; textMap?: unknown };
  if (!(maps.rankMap instanceof Map) || !(maps.textMap instanceof Map) || maps.rankMap.size !== 0) {
    return new Tiktoken(ranks);
  }
  const rankMap = maps.rankMap as Map<string, number>;
  const textMap = maps.textMap as Map<number, Uint8Array>;
  const s = ranks.bpe_ranks;
  let sliceStart = performance.now();
  let n = 0;
  // Format: lines of "<name> <offset> <base64 token> <base64 token> …"; ranks count up from offset.
  for (let pos = 0; pos < s.length; ) {
    let eol = s.indexOf('\n', pos);
    if (eol < 0) eol = s.length;
    const sp1 = s.indexOf(' ', pos);
    const sp2 = sp1 < 0 || sp1 >= eol ? -1 : s.indexOf(' ', sp1 + 1);
    if (sp2 > 0 && sp2 < eol) {
      let rank = Number.parseInt(s.slice(sp1 + 1, sp2), 10);
      for (let p = sp2 + 1; p < eol; ) {
        let e = s.indexOf(' ', p);
        if (e < 0 || e > eol) e = eol;
        if (e > p) {
          const bytes = decodeBase64(s, p, e);
          rankMap.set(bytes.join(','), rank); // js-tiktoken's key format: "b1,b2,…"
          textMap.set(rank, bytes);
          rank++;
        }
        p = e + 1;
        if ((++n & 255) === 0 && performance.now() - sliceStart > sliceMs) {
          await yieldToEventLoop();
          sliceStart = performance.now();
        }
      }
    }
    pos = eol + 1;
  }
  return tk;
}

// ---------------------------------------------------------------------------------------------------------
// Safe cuts. For the cl100k and o200k split patterns, a cut between two characters is "safe" when the
// pre-tokenizer always ends a piece there, whatever follows, and the pieces before it do not depend on what
// follows: then count(a + b) = count(a) + count(b). Measured (test/unit/tokens.test.ts checks it): letter/digit followed
// by whitespace is safe; after a newline, before or after a space in general are not. Derived from the two
// patterns and fuzz-tested in test/unit/tokens.test.ts (every rule on both encodings):
//  1. letter → anything but a letter, a combining mark or an ASCII apostrophe (o200k glues "'s" to words);
//  2. digit → anything but a digit (digits group in threes from the left of their run);
//  3. \r or \n → anything but whitespace or "/" (o200k's punctuation piece swallows following [\r\n/]);
//  4. punctuation/symbol → a space or tab-like whitespace that is not \r or \n.
// ---------------------------------------------------------------------------------------------------------

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

function isInsideSurrogatePair(text: string, i: number): boolean {
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

// ---------------------------------------------------------------------------------------------------------

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
function countBounded(tok: Tokenizer, text: string, maxRun: number): { tokens: number; forcedCuts: number } {
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
