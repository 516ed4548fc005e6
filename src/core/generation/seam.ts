// Joining a continuation onto the text so far: remove what the model repeated, fix the whitespace at the seam,
// never re-open a code fence that is already open. Works on a stream: the first characters of the continuation are
// held back only until the decision cannot change any more, so streaming and batch give the same text.
//
// Rules (see test/unit/seam.test.ts for the cases):
// - Overlap: the longest suffix of the text so far (trailing whitespace aside, at most `maxOverlap` UTF-16 units)
//   that the continuation starts with (its leading whitespace aside). It must start on a word boundary and a
//   grapheme boundary and hold at least `minOverlap` non-space graphemes — or `minLineOverlap` when it is made of
//   whole lines (the continuation restarts at a line start): short lines like `}` or `end` repeat legitimately.
// - Fence: when the text so far has an open ``` (or ~~~) fence and the continuation starts with an opening line
//   with a language tag (```python), that line is dropped. A bare ``` is kept: it most likely closes the block.
// - Whitespace: the trailing whitespace of the text so far and the leading whitespace of the continuation are merged
//   (the longest end of one that is the start of the other counts once), so "\n\n" + "\n\nNext" gives one blank line.
//   With nothing on either side, words are glued ("hel" + "lo"), except after a sentence end followed by a capital
//   ("end." + "Next"), a colon followed by a capital, or a comma/semicolon when the line already uses ", " — never
//   inside an open code fence.

export interface SeamOptions {
  /** Longest overlap looked for, in UTF-16 units. Default 200. */
  maxOverlap?: number;
  /** Most continuation characters held back before deciding with what has arrived. Default maxOverlap + 100. */
  holdChars?: number;
  /** Fewest non-space graphemes in a removable overlap. Default 4. */
  minOverlap?: number;
  /** Fewest non-space graphemes in a removable overlap made of whole lines. Default 8. */
  minLineOverlap?: number;
}

interface Plan {
  /** Characters of the continuation decided by the plan; the rest passes through unchanged. */
  consume: number;
  /** What to emit instead of those characters (the merged seam whitespace). */
  out: string;
  /** What was dropped: a re-opened fence line and/or the repeated text. */
  removed: string;
}

interface Candidate {
  /** Starts on a grapheme and a word boundary. */
  ok: boolean;
  nonSpace: number;
  /** Only spaces or tabs between the previous line break (or the start) and the candidate. */
  lineStart: boolean;
}

const isWs = (ch: string): boolean => /\s/.test(ch);
// Han, kana: no spaces between words, so every character boundary is a word boundary.
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const WORD = /[\p{L}\p{N}\p{M}_]/u;
const isWordChar = (cp: string | undefined): boolean => cp !== undefined && WORD.test(cp) && !CJK.test(cp);

function leadingWsLen(s: string, from: number): number {
  let i = from;
  while (i < s.length && isWs(s[i])) i++;
  return i - from;
}

function trailingWsLen(s: string): number {
  let i = s.length;
  while (i > 0 && isWs(s[i - 1])) i--;
  return s.length - i;
}

function codePointBefore(s: string, i: number): string | undefined {
  if (i <= 0) return undefined;
  const lo = s.charCodeAt(i - 1);
  if (lo >= 0xdc00 && lo <= 0xdfff && i >= 2) {
    const hi = s.charCodeAt(i - 2);
    if (hi >= 0xd800 && hi <= 0xdbff) return s.slice(i - 2, i);
  }
  return s[i - 1];
}

function codePointAt(s: string, i: number): string | undefined {
  const cp = s.codePointAt(i);
  return cp === undefined ? undefined : String.fromCodePoint(cp);
}

/** The fence left open at the end of the text (``` or ~~~, any indentation), or null. */
export function openFence(text: string): { char: '`' | '~'; length: number } | null {
  let open: { char: '`' | '~'; length: number } | null = null;
  for (const raw of text.split('\n')) {
    const m = /^[ \t]*(`{3,}|~{3,})(.*)$/.exec(raw.replace(/\r$/, ''));
    if (!m) continue;
    const char = m[1][0] as '`' | '~';
    if (!open) {
      if (char === '`' && m[2].includes('`')) continue; // inline code such as ```x```, not a fence
      open = { char, length: m[1].length };
    } else if (char === open.char && m[1].length >= open.length && m[2].trim() === '') {
      open = null;
    }
  }
  return open;
}

/**
 * What to append between two runs of whitespace: the longest end of `tail` that starts `lead` counts once.
 * "\n" + "\n\n" → "\n"; "\n\n" + "\n" → ""; "\n    " + "    " → ""; "\n" + "    " → "    ".
 */
export function mergeWhitespace(tail: string, lead: string): string {
  for (let k = Math.min(tail.length, lead.length); k > 0; k--) {
    if (tail.endsWith(lead.slice(0, k))) return lead.slice(k);
  }
  return lead;
}

/** Everything about the text so far that the decision needs, computed once. */
class SeamContext {
  private readonly core: string;
  private readonly tail: string;
  private readonly fence: { char: '`' | '~'; length: number } | null;
  private readonly maxL: number;
  private readonly candidates: Candidate[] = [];
  private readonly minOverlap: number;
  private readonly minLineOverlap: number;
  private readonly commaStyle: boolean;

  constructor(textSoFar: string, opts: SeamOptions) {
    const t = trailingWsLen(textSoFar);
    this.core = textSoFar.slice(0, textSoFar.length - t);
    this.tail = textSoFar.slice(textSoFar.length - t);
    this.fence = openFence(textSoFar);
    this.maxL = Math.max(0, Math.min(opts.maxOverlap ?? 200, this.core.length));
    this.minOverlap = opts.minOverlap ?? 4;
    this.minLineOverlap = opts.minLineOverlap ?? 8;
    const lastLine = this.core.slice(this.core.lastIndexOf('\n') + 1);
    this.commaStyle = /[,;] /.test(lastLine);
    this.indexCandidates();
  }

  private indexCandidates(): void {
    const core = this.core;
    // Segment a little more than the window so the first grapheme of the window is not cut.
    const from = Math.max(0, core.length - this.maxL - 32);
    const starts = new Set<number>();
    const nonSpaceFrom = new Map<number, number>();
    const segs = [...new Intl.Segmenter('und', { granularity: 'grapheme' }).segment(core.slice(from))];
    let count = 0;
    for (let k = segs.length - 1; k >= 0; k--) {
      if (!/^\s+$/.test(segs[k].segment)) count++;
      const at = from + segs[k].index;
      starts.add(at);
      nonSpaceFrom.set(at, count);
    }
    for (let L = 1; L <= this.maxL; L++) {
      const p = core.length - L;
      const prev = codePointBefore(core, p);
      const ok = starts.has(p) && !(isWordChar(prev) && isWordChar(codePointAt(core, p)));
      let i = p;
      while (i > 0 && (core[i - 1] === ' ' || core[i - 1] === '\t')) i--;
      this.candidates[L] = { ok, nonSpace: nonSpaceFrom.get(p) ?? 0, lineStart: i === 0 || core[i - 1] === '\n' };
    }
  }

  private valid(L: number, seamWs: string, fresh: boolean): boolean {
    const c = this.candidates[L];
    if (!c.ok) return false;
    // Whole lines after a line break: legitimately repeated short lines (`}`, `end`) must survive.
    // After a dropped fence line the model has restarted, so a restated line is the likely reading.
    const wholeLines = !fresh && (seamWs.includes('\n') || (this.tail.includes('\n') && c.lineStart));
    return c.nonSpace >= (wholeLines ? this.minLineOverlap : this.minOverlap);
  }

  /** Length of the overlap removed at `pos`, 0 for none, undefined while more text could change the answer. */
  private overlapAt(buf: string, pos: number, seamWs: string, fresh: boolean, final: boolean): number | undefined {
    const rest = buf.length - pos;
    for (let L = this.maxL; L >= 1; L--) {
      if (!this.valid(L, seamWs, fresh)) continue;
      const suffix = this.core.slice(this.core.length - L);
      if (L > rest) {
        if (!final && suffix.startsWith(buf.slice(pos))) return undefined;
        continue;
      }
      if (buf.startsWith(suffix, pos)) return L;
    }
    return 0;
  }

  /** Length (with its line break) of a fence-opening line at `pos`, 0 for none, undefined while undecided. */
  private fenceLineAt(buf: string, pos: number, final: boolean): { length: number; eol: string } | 0 | undefined {
    const fence = this.fence;
    if (!fence) return 0;
    const tick = fence.char === '`' ? '`' : '~';
    const rest = buf.slice(pos);
    const line = new RegExp(`^${tick}{3,}[^\\s\`~]{1,30}[ \\t]*(\\r?\\n|$)`).exec(rest);
    if (line && (line[1] !== '' || final)) return { length: line[0].length, eol: line[1] };
    if (!final && new RegExp(`^(${tick}{1,2}|${tick}{3,}[^\\s\`~]{0,30}[ \\t]*\\r?)$`).test(rest)) return undefined;
    return 0;
  }

  /** Whether a space belongs between the text so far and `buf[at…]` when neither side has whitespace. */
  private needsSpace(buf: string, at: number, final: boolean): boolean | undefined {
    if (this.fence) return false;
    const core = this.core;
    const last = core[core.length - 1];
    let test: RegExp | undefined;
    if (last === ',' || last === ';') {
      if (this.commaStyle) test = /^\p{L}/u;
    } else if (last === ':') {
      if (core[core.length - 2] !== ':') test = /^\p{Lu}/u;
    } else {
      let j = core.length;
      while (j > 0 && core.length - j < 2 && `)]"'”’»`.includes(core[j - 1])) j--;
      if (/[.!?…]/.test(core[j - 1] ?? '')) test = /^[“‘"'([«]?\p{Lu}/u;
    }
    if (!test) return false;
    if (!final && buf.length - at < 4) return undefined; // an opening quote and a surrogate pair may follow
    return test.test(buf.slice(at, at + 4));
  }

  /**
   * The decision for a continuation that starts with `buf`. `final`: nothing more will be looked at.
   * Returns undefined only when !final and more text could change the decision; once a plan is returned for
   * some prefix, every longer prefix gets the same plan (what makes streaming equal to batch).
   */
  decide(buf: string, final: boolean): Plan | undefined {
    const w0 = leadingWsLen(buf, 0);
    if (w0 === buf.length && !final) return undefined;
    let pos = w0;
    let seamWs = buf.slice(0, w0);
    let fresh = false;
    let removed = '';
    let L = this.overlapAt(buf, pos, seamWs, fresh, final);
    if (L === undefined) return undefined;
    if (L === 0) {
      const fl = this.fenceLineAt(buf, pos, final);
      if (fl === undefined) return undefined;
      if (fl !== 0) {
        const after = pos + fl.length;
        const w1 = leadingWsLen(buf, after);
        if (after + w1 === buf.length && !final) return undefined;
        removed = buf.slice(pos, after);
        seamWs = fl.eol + buf.slice(after, after + w1);
        pos = after + w1;
        fresh = true;
        L = this.overlapAt(buf, pos, seamWs, fresh, final);
        if (L === undefined) return undefined;
      }
    }
    let consume = pos;
    let ws = seamWs;
    if (L > 0) {
      removed += buf.slice(pos, pos + L);
      const wr = leadingWsLen(buf, pos + L);
      if (pos + L + wr === buf.length && !final) return undefined;
      ws = buf.slice(pos + L, pos + L + wr);
      consume = pos + L + wr;
      // The text so far already broke the line where the model's restatement had a space.
      if (this.tail.includes('\n') && !ws.includes('\n')) ws = '';
    }
    let out = mergeWhitespace(this.tail, ws);
    if (this.tail === '' && ws === '' && consume < buf.length && this.core !== '') {
      const space = this.needsSpace(buf, consume, final);
      if (space === undefined) return undefined;
      if (space) out = ' ';
    }
    return { consume, out, removed };
  }
}

/**
 * Streaming seam joiner for one continuation round. Give it the whole text so far (untrimmed: its trailing
 * whitespace is part of the seam), push the deltas as they arrive and append what `push` returns; call `flush`
 * at the end of the stream and append that too.
 */
export class SeamJoiner {
  private readonly ctx: SeamContext;
  private readonly hold: number;
  private buf = '';
  private decided = false;
  private removedText = '';

  constructor(textSoFar: string, opts: SeamOptions = {}) {
    this.ctx = new SeamContext(textSoFar, opts);
    this.hold = Math.max(1, opts.holdChars ?? (opts.maxOverlap ?? 200) + 100);
  }

  /** What was removed as overlap or as a re-opened fence line (for logs and tests). */
  get removed(): string {
    return this.removedText;
  }

  /** Text that is safe to append now. */
  push(delta: string): string {
    if (this.decided) return delta;
    this.buf += delta;
    // The decision only ever looks at the first `hold` characters, so a long hold ends the same way in batch.
    if (this.buf.length >= this.hold) return this.settle(this.decideFinal(this.buf.slice(0, this.hold)));
    const plan = this.ctx.decide(this.buf, false);
    return plan ? this.settle(plan) : '';
  }

  /** End of stream: decide with what was received and return the rest. */
  flush(): string {
    if (this.decided) return '';
    return this.settle(this.decideFinal(this.buf));
  }

  private decideFinal(buf: string): Plan {
    const plan = this.ctx.decide(buf, true);
    if (!plan) throw new Error('seam: a final decision is always made');
    return plan;
  }

  private settle(plan: Plan): string {
    this.decided = true;
    this.removedText = plan.removed;
    const out = plan.out + this.buf.slice(plan.consume);
    this.buf = '';
    return out;
  }
}

/** Batch version: the same joiner over a single delta. */
export function joinSeam(
  textSoFar: string,
  continuation: string,
  opts?: SeamOptions,
): { append: string; removed: string } {
  const joiner = new SeamJoiner(textSoFar, opts);
  const append = joiner.push(continuation) + joiner.flush();
  return { append, removed: joiner.removed };
}
