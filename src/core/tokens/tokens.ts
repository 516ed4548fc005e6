// Local token counting: tokenizer choice per model, lazily loaded js-tiktoken ranks, an incremental counter for
// streams and a block cache for selections/documents. Exact for OpenAI models; an estimate ("≈") for Claude,
// Gemini and unknown models, whose real counts come only from the provider.
import { Tiktoken, type TiktokenBPE } from 'js-tiktoken/lite';
import type { ProviderId } from '../protocol/request';
import { profileOf, type TokenizerId } from '../providers';
import { loadDataAsync } from '../lazyData';
import { yieldTurn as yieldToEventLoop } from '../turn';
import { bpeTable, countPieceBytes, type BpeTable } from './bpe';
import { isSafeCut } from './safeCuts';
import type { Tokenizer } from './tokenizer';

export type { Tokenizer } from './tokenizer';

export type { TokenizerId } from '../providers';

/** exact=false: the model's own tokenizer is not available locally; counts are an estimate ("≈"). */
export interface TokenizerChoice {
  id: TokenizerId;
  exact: boolean;
}

/** The model's own tokenizer where its profile knows it (exact), else o200k as an estimate. */
export function tokenizerFor(provider: ProviderId, model: string): TokenizerChoice {
  const own = profileOf(provider).tokenizer(model);
  // Claude, Gemini, local and unknown models: o200k is a reasonable modern approximation, never exact.
  return own ? { id: own, exact: true } : { id: 'o200k_base', exact: false };
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
 * test/unit/tokens/bpe.test.ts compares the two on ASCII text for both encodings.
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
export function loadRanks(id: TokenizerId): Promise<TiktokenBPE> {
  // Asynchronous: a browser's host reads its data that way (Node's answers at once).
  return loadDataAsync<TiktokenBPE>(`ranks/${id}`, `js-tiktoken/ranks/${id}`);
}

/** Loads (once) and returns a tokenizer. Never at import time; yields to the event loop while building the tables. */
export function loadTokenizer(id: TokenizerId): Promise<Tokenizer> {
  const done = loaded.get(id);
  if (done) return Promise.resolve(done);
  let p = loading.get(id);
  if (!p) {
    p = (async () => {
      await yieldToEventLoop();
      const ranks = await loadRanks(id);
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
 * (blocking but correct) constructor. test/unit/tokens/tokens.test.ts checks the tables equal the constructor's.
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
