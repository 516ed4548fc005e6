// Joining a continuation onto the text so far: remove what the model repeated, fix the whitespace at the seam,
// never re-open a code fence that is already open. Works on a stream: the first characters of the continuation are
// held back only until the decision cannot change any more, so streaming and batch give the same text.
//
// Rules (see test/unit/generation/seam.test.ts for the cases):
// - Overlap: the longest suffix of the text so far (trailing whitespace aside, at most `maxOverlap` UTF-16 units)
//   that the continuation starts with (its leading whitespace aside). It must start on a word boundary and a
//   grapheme boundary and hold at least `minOverlap` non-space graphemes — or `minLineOverlap` when it is made of
//   whole lines (the continuation restarts at a line start): short lines like `}` or `end` repeat legitimately.
//   When the text so far ends in whitespace its last word is whole, so the overlap must end on a word boundary.
// - Fence: when the text so far has an open ``` (or ~~~) fence and the continuation starts with an opening line
//   with a language tag (```python), that line is dropped. A bare ``` is kept: it most likely closes the block.
// - Whitespace: the trailing whitespace of the text so far and the leading whitespace of the continuation are merged
//   (the longest end of one that is the start of the other counts once), so "\n\n" + "\n\nNext" gives one blank line.
//   With nothing on either side, words are glued ("hel" + "lo"), except after a sentence end followed by a capital
//   ("end." + "Next"), a colon followed by a capital, or a comma/semicolon when the line already uses ", " — never
//   inside an open code fence. A lowercase letter followed by a capitalised word ("the" + "The") gets a space: a
//   word cut in the middle goes on in lowercase (outside code fences and `inline code`).
// - Restart: the model started the answer over instead of continuing it (common after a "continue" user turn).
//   Recognised when the text so far has at least `restartWords` words and a run of 4 words of the continuation,
//   starting at one of its first 4 words, equals a run among the first 10 words of the text so far (case and
//   punctuation aside), so a reworded opening still counts. Then everything up to where the continuation reaches
//   the end of the text so far (its last 5 words, exactly) is dropped; when it never gets there, all of it is.

export interface SeamOptions {
  /** Longest overlap looked for, in UTF-16 units. Default 200. */
  maxOverlap?: number;
  /** Most continuation characters held back before deciding with what has arrived. Default maxOverlap + 100. */
  holdChars?: number;
  /** Fewest non-space graphemes in a removable overlap. Default 4. */
  minOverlap?: number;
  /** Fewest non-space graphemes in a removable overlap made of whole lines. Default 8. */
  minLineOverlap?: number;
  /** Fewest words in the text so far before a restart of the answer is looked for. Default 12. */
  restartWords?: number;
}

interface Plan {
  /** Characters of the continuation decided by the plan; the rest passes through unchanged. */
  consume: number;
  /** What to emit instead of those characters (the merged seam whitespace). */
  out: string;
  /** What was dropped: a re-opened fence line and/or the repeated text. */
  removed: string;
}
/** The continuation starts the answer over: hold it until it reaches the end of the text so far. */
type Decision = Plan | { restart: true };

// Restart detection (see the header): how far into each text a matching run may start, and its length.
const RESTART_LEAD = 4;
const RESTART_FROM = 6;
const RESTART_RUN = 4;
const ANCHOR_WORDS = 5;

const ALNUM = /[\p{L}\p{N}]/u;

/**
 * A word for comparing openings: lowercase, without the punctuation around it ('' for pure punctuation). Scanned
 * from both ends: a pattern for the trailing punctuation (/[^\p{L}\p{N}]+$/) re-reads a run of punctuation from each
 * of its characters, 8 s for a 100,000-character "a!!!…!a" in a server's answer.
 */
function normWord(w: string): string {
  const t = w.toLowerCase();
  const start = t.search(ALNUM);
  if (start < 0) return '';
  let end = t.length;
  for (let cp = codePointBefore(t, end); cp !== undefined && !ALNUM.test(cp); cp = codePointBefore(t, end)) end -= cp.length;
  return t.slice(start, end);
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
    const line = raw.replace(/\r$/, '');
    // The fence, then the rest of the line sliced off: a (.*)$ after it backtracks through the run of backticks when
    // the line holds a stray \r (23 s for 100,000 backticks in a server's answer).
    const m = /^[ \t]*(`{3,}|~{3,})/.exec(line);
    if (!m) continue;
    const rest = line.slice(m[0].length);
    const char = m[1][0] as '`' | '~';
    if (!open) {
      if (char === '`' && rest.includes('`')) continue; // inline code such as ```x```, not a fence
      open = { char, length: m[1].length };
    } else if (char === open.char && m[1].length >= open.length && rest.trim() === '') {
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
  private readonly inlineCode: boolean;
  /** First words of the text so far (normalized), when it is long enough for a restart to be told apart. */
  private readonly opening: string[] | undefined;
  /** Its last words: where a restarted continuation reaches them, it reaches the end of the text so far. */
  private readonly anchor: string[] = [];
  /** The last word is whole (whitespace followed it), so the match must not go on into a longer word. */
  private readonly anchorWhole: boolean = false;

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
    this.inlineCode = (lastLine.match(/`/g)?.length ?? 0) % 2 === 1;
    this.indexCandidates();
    const words = this.core.split(/\s+/).filter(Boolean);
    const normed = words.map(normWord).filter(Boolean);
    if (normed.length >= (opts.restartWords ?? 12) && words.length >= ANCHOR_WORDS) {
      this.opening = normed.slice(0, RESTART_FROM + RESTART_RUN);
      this.anchor = words.slice(-ANCHOR_WORDS);
      this.anchorWhole = this.tail !== '';
    }
  }

  /** Whether the continuation at `pos` starts the answer over: true, false, or undefined while undecided. */
  private restartAt(buf: string, pos: number, final: boolean): boolean | undefined {
    const opening = this.opening;
    if (!opening) return false;
    const parts = buf.slice(pos).split(/\s+/);
    // The last part may still grow, unless the stream has ended.
    const complete = (final ? parts : parts.slice(0, -1)).map(normWord).filter(Boolean);
    let open = false;
    for (let j = 0; j < RESTART_LEAD; j++) {
      const k = Math.min(RESTART_RUN, complete.length - j);
      if (k <= 0) {
        open ||= !final;
        continue;
      }
      for (let i = 0; i <= RESTART_FROM && i + k <= opening.length; i++) {
        let same = true;
        for (let n = 0; n < k && same; n++) same = opening[i + n] === complete[j + n];
        if (!same) continue;
        if (k === RESTART_RUN) return true;
        open ||= !final;
      }
    }
    return open ? undefined : false;
  }

  /**
   * The anchor (the last words, whitespace runs between them) at `at`: its end, 'fail', or 'partial' when the
   * buffer ends before that is known.
   */
  private anchorAt(buf: string, at: number, final: boolean): number | 'fail' | 'partial' {
    const n = buf.length;
    let i = at;
    for (let k = 0; k < this.anchor.length; k++) {
      if (k > 0) {
        const w = i + leadingWsLen(buf, i);
        if (w === n) return final ? 'fail' : 'partial';
        if (w === i) return 'fail';
        i = w;
      }
      const word = this.anchor[k];
      if (n - i < word.length) return !final && word.startsWith(buf.slice(i)) ? 'partial' : 'fail';
      if (!buf.startsWith(word, i)) return 'fail';
      i += word.length;
    }
    if (this.anchorWhole) {
      if (i === n) return final ? i : 'partial';
      if (isWordChar(codePointAt(buf, i))) return 'fail';
    }
    return i;
  }

  /**
   * For a restarted continuation: the plan once it has reached the end of the text so far (all of it dropped up
   * to there), a plan dropping everything at the end of a stream that never got there, undefined while waiting.
   * `scan.from`: starts before it are known not to match (kept by the caller, so a long restart is scanned once).
   */
  afterRestart(buf: string, final: boolean, scan: { from: number }): Plan | undefined {
    const first = this.anchor[0];
    let end = -1;
    for (let p = scan.from; ; ) {
      const q = buf.indexOf(first, p);
      if (q < 0) {
        scan.from = Math.max(p, buf.length - first.length + 1);
        break;
      }
      const r = this.anchorAt(buf, q, final);
      if (r === 'partial') {
        scan.from = q;
        break;
      }
      if (r !== 'fail') {
        end = r;
        break;
      }
      p = q + 1;
    }
    if (end < 0 || (end === buf.length && !final)) return final ? { consume: buf.length, out: '', removed: buf } : undefined;
    const wr = leadingWsLen(buf, end);
    if (end + wr === buf.length && !final) return undefined;
    let ws = buf.slice(end, end + wr);
    if (this.tail.includes('\n') && !ws.includes('\n')) ws = '';
    return this.joinPlan(buf, end + wr, ws, buf.slice(0, end), final);
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
      if (buf.startsWith(suffix, pos)) {
        // Text so far ending in whitespace ends with a whole word: "the" is not the start of "theatre".
        if (this.tail !== '' && isWordChar(codePointBefore(suffix, L))) {
          if (pos + L === buf.length) {
            if (!final) return undefined;
          } else if (isWordChar(codePointAt(buf, pos + L))) continue;
        }
        return L;
      }
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
    } else if (/\p{Ll}/u.test(last) && !this.inlineCode) {
      // "the" + "The river": a new word. A word cut in the middle goes on in lowercase.
      test = /^\p{Lu}\p{Ll}/u;
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
  decide(buf: string, final: boolean): Decision | undefined {
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
    if (L === 0) {
      const restart = this.restartAt(buf, pos, final);
      if (restart === undefined) return undefined;
      if (restart) return { restart: true };
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
    return this.joinPlan(buf, consume, ws, removed, final);
  }

  /** The whitespace at the seam, once the continuation's own text starts at `consume` after `ws`. */
  private joinPlan(buf: string, consume: number, ws: string, removed: string, final: boolean): Plan | undefined {
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
  private restarting = false;
  private restartSeen = false;
  private removedText = '';

  constructor(textSoFar: string, opts: SeamOptions = {}) {
    this.ctx = new SeamContext(textSoFar, opts);
    this.hold = Math.max(1, opts.holdChars ?? (opts.maxOverlap ?? 200) + 100);
  }

  /** What was removed as overlap or as a re-opened fence line (for logs and tests). */
  get removed(): string {
    return this.removedText;
  }

  /** The continuation started the answer over (see the header); what it repeated is in `removed`. */
  get restarted(): boolean {
    return this.restartSeen;
  }

  /** Text that is safe to append now. */
  push(delta: string): string {
    if (this.decided) return delta;
    this.buf += delta;
    // A restart is held until it reaches the end of the text so far, however long that takes.
    if (this.restarting) return this.resume(false);
    // The decision only ever looks at the first `hold` characters, so a long hold ends the same way in batch.
    if (this.buf.length >= this.hold) return this.apply(this.decideFinal(this.buf.slice(0, this.hold)), false);
    const d = this.ctx.decide(this.buf, false);
    return d ? this.apply(d, false) : '';
  }

  /** End of stream: decide with what was received and return the rest. */
  flush(): string {
    if (this.decided) return '';
    if (this.restarting) return this.resume(true);
    return this.apply(this.decideFinal(this.buf), true);
  }

  private decideFinal(buf: string): Decision {
    const d = this.ctx.decide(buf, true);
    if (!d) throw new Error('seam: a final decision is always made');
    return d;
  }

  private apply(d: Decision, final: boolean): string {
    if ('restart' in d) {
      this.restarting = this.restartSeen = true;
      return this.resume(final);
    }
    return this.settle(d);
  }

  /** Restart: the part of the buffer where no match of the end can start any more (kept apart, never rescanned). */
  private readonly head: string[] = [];

  private resume(final: boolean): string {
    const scan = { from: 0 };
    const plan = this.ctx.afterRestart(this.buf, final, scan);
    if (plan) {
      const head = this.head.join('');
      this.head.length = 0;
      return this.settle({ ...plan, removed: head + plan.removed });
    }
    // Searching a string that only grows would copy it on every delta; keep the searched part small.
    if (scan.from > 0) {
      this.head.push(this.buf.slice(0, scan.from));
      this.buf = this.buf.slice(scan.from);
    }
    return '';
  }

  private settle(plan: Plan): string {
    this.decided = true;
    this.removedText = plan.removed;
    const out = plan.out + this.buf.slice(plan.consume);
    this.buf = '';
    return out;
  }
}
