// Splits an input that is larger than one request can take into parts of at most `maxTokens` tokens, cutting at
// the most natural boundary available: top-level code blocks (for code), blank lines, line ends, sentence ends,
// whitespace, and only as a last resort inside a run of characters. Every part is counted with the real
// tokenizer after it is cut, so no part is ever over the limit. The parts' own content (after the overlap they
// repeat from the previous part) tiles the input exactly: joining it gives the input back.
import { yieldTurn } from '../../turn';

export interface SplitOptions {
  /** Largest part, in tokens of `count` (overlap included). */
  maxTokens: number;
  /** Tokens of the previous part's end repeated at the start of the next part (context across the cut). */
  overlapTokens?: number;
  /** The token counter (the model's tokenizer, or the o200k estimate). */
  count(text: string): number;
  /** Prefer cuts between top-level blocks (blank line, then an unindented line). */
  code?: boolean;
  /** Cuts where count(a + b) = count(a) + count(b) (tokens.ts isSafeCut): a part joined only at such cuts needs no recount. */
  isSafeCut?(text: string, i: number): boolean;
  /** Stop (TooManyParts) rather than cut more parts than this: known before the split when the count says so. */
  maxParts?: number;
  /**
   * count(text), when the caller has it already (exact: the counting worker counted the selection off the editor's
   * thread): the split then does not count the whole text again on its own thread.
   */
  wholeTokens?: number;
  /**
   * Counts a long text (BIG_TEXT characters or more) off this thread — the counting worker; undefined when it could
   * not count it exactly (then it is counted here). Without it every count is made on this thread.
   */
  countAsync?(text: string): Promise<number | undefined>;
}

/** Texts this long are counted by SplitOptions.countAsync when there is one (a part, a section without a blank line). */
const BIG_TEXT = 64 * 1024;

/** What the split asks its driver: a long text to count (its answer is the count), else nothing (a pause). */
type Ask = { count: string } | undefined;
type Steps<R = void> = Generator<Ask, R, number | undefined>;

/** The split would need more parts than SplitOptions.maxParts; `parts` is at least that many. */
export class TooManyParts extends RangeError {
  constructor(readonly parts: number) {
    super(`the input needs at least ${parts} parts`);
  }
}

export interface TextPart {
  index: number;
  /** Where the part's text starts in the input (before contentStart when it repeats an overlap). */
  start: number;
  /** Where the part's own content starts: input.slice(contentStart, end) of all parts joined = input. */
  contentStart: number;
  end: number;
  text: string;
  /** Tokens of `text`, counted exactly with `count`. */
  tokens: number;
}

/** Cut strength, strongest first; an atom's `level` is the strength of the cut at its end. */
const enum Level {
  Block = 0,
  Blank = 1,
  Line = 2,
  Sentence = 3,
  Space = 4,
  Forced = 5,
  End = -1,
}

interface Atom {
  start: number;
  end: number;
  tokens: number;
  level: Level;
}

const CUTS: Record<Exclude<Level, Level.Forced | Level.End>, RegExp> = {
  // A blank line followed by an unindented line that does not close a block: the top level of most languages.
  [Level.Block]: /\n[ \t]*\n(?=[^\s}\])])/g,
  [Level.Blank]: /\n[ \t]*\n\s*/g,
  [Level.Line]: /\n/g,
  [Level.Sentence]: /[.!?。！？…]["'’”)\]]*\s+/g,
  [Level.Space]: /\s+/g,
};

/** Cut positions (a new segment starts there) strictly inside (start, end) for one level. */
function cutsAt(text: string, start: number, end: number, level: Exclude<Level, Level.Forced | Level.End>): number[] {
  const re = new RegExp(CUTS[level].source, 'g');
  re.lastIndex = start;
  const out: number[] = [];
  for (let m = re.exec(text); m !== null && m.index < end; m = re.exec(text)) {
    const at = m.index + m[0].length;
    if (at > start && at < end) out.push(at);
    if (m[0].length === 0) re.lastIndex++;
  }
  return out;
}

function isLowSurrogateAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c >= 0xdc00 && c <= 0xdfff && i > 0;
}

export function checkSplitOptions(o: SplitOptions): string | undefined {
  if (!Number.isInteger(o.maxTokens) || o.maxTokens < 1) return `the part size must be a whole number of tokens ≥ 1 (it is ${o.maxTokens})`;
  const ov = o.overlapTokens ?? 0;
  if (!Number.isInteger(ov) || ov < 0) return `the overlap must be a whole number of tokens ≥ 0 (it is ${ov})`;
  if (ov * 2 > o.maxTokens) return `the overlap (${ov} tokens) must be at most half of the part size (${o.maxTokens} tokens)`;
  return undefined;
}

/** The input as atoms of at most `limit` tokens each, at the strongest boundaries that get them that small. */
function* atomize(text: string, whole: number, limit: number, count: (t: string) => number, tokensOf: (t: string) => Steps<number>, code: boolean, atoms: Atom[]): Steps {
  const first = code ? Level.Block : Level.Blank;
  const visit = function* (start: number, end: number, level: Level, endLevel: Level, known?: number): Steps {
    const tokens = known ?? (yield* tokensOf(text.slice(start, end)));
    if (tokens <= limit) {
      atoms.push({ start, end, tokens, level: endLevel });
      if ((atoms.length & 63) === 0) yield;
      return;
    }
    if (level === Level.Forced) {
      forced(start, end, endLevel);
      yield;
      return;
    }
    const cuts = cutsAt(text, start, end, level as Exclude<Level, Level.Forced | Level.End>);
    if (cuts.length === 0) {
      yield* visit(start, end, level + 1, endLevel, tokens);
      return;
    }
    const bounds = [start, ...cuts, end];
    for (let i = 0; i + 1 < bounds.length; i++) {
      const last = i + 2 === bounds.length;
      yield* visit(bounds[i]!, bounds[i + 1]!, level + 1, last ? endLevel : level);
    }
  };
  // No boundary at all in a run: the longest prefix that fits, found by bisection (never inside a surrogate pair).
  const forced = (start: number, end: number, endLevel: Level): void => {
    let s = start;
    while (s < end) {
      let lo = s + 1;
      let hi = end;
      if (count(text.slice(s, hi)) > limit) {
        while (lo < hi) {
          const mid = Math.ceil((lo + hi) / 2);
          if (count(text.slice(s, mid)) <= limit) lo = mid;
          else hi = mid - 1;
        }
        hi = lo;
        if (hi < end && isLowSurrogateAt(text, hi) && hi - 1 > s) hi--;
      }
      atoms.push({ start: s, end: hi, tokens: count(text.slice(s, hi)), level: hi === end ? endLevel : Level.Forced });
      s = hi;
    }
  };
  yield* visit(0, text.length, first, Level.End, whole);
}

/**
 * Splits `text` into parts of at most maxTokens tokens (overlap included), in slices of about `sliceMs` that let
 * other work run between them (the extension host's thread). A part is closed at the strongest boundary in its
 * second half, so paragraphs and blocks stay whole where they can. Text that fits is one part.
 */
export async function splitTextAsync(text: string, options: SplitOptions, sliceMs = 10): Promise<TextPart[]> {
  const parts: TextPart[] = [];
  let t = performance.now();
  const run = splitSteps(text, options, parts);
  let answer: number | undefined;
  for (let step = run.next(); !step.done; step = run.next(answer)) {
    answer = undefined;
    if (step.value && options.countAsync) {
      // A long text is counted off this thread; the split goes on when its count is back.
      answer = await options.countAsync(step.value.count);
      t = performance.now();
    } else if (performance.now() - t > sliceMs) {
      await yieldTurn();
      t = performance.now();
    }
  }
  return parts;
}

function* splitSteps(text: string, options: SplitOptions, parts: TextPart[]): Steps {
  const problem = checkSplitOptions(options);
  if (problem) throw new RangeError(problem);
  const { maxTokens, count } = options;
  const overlap = options.overlapTokens ?? 0;
  if (text === '') return;
  // A long text's count is asked of the driver (countAsync, off this thread); counted here when it gives none.
  const tokensOf = function* (t: string): Steps<number> {
    if (t.length < BIG_TEXT || !options.countAsync) return count(t);
    return (yield { count: t }) ?? count(t);
  };
  const whole = options.wholeTokens ?? (yield* tokensOf(text));
  if (whole <= maxTokens) {
    parts.push({ index: 0, start: 0, contentStart: 0, end: text.length, text, tokens: whole });
    return;
  }
  // Each part after the first carries at most maxTokens - overlap new tokens: the fewest parts there can be.
  const fewest = 1 + Math.ceil((whole - maxTokens) / (maxTokens - overlap));
  if (options.maxParts !== undefined && fewest > options.maxParts) throw new TooManyParts(fewest);
  const atoms: Atom[] = [];
  yield* atomize(text, whole, maxTokens - overlap, count, tokensOf, options.code === true, atoms);
  const safe = options.isSafeCut;
  let i = 0; // next atom
  while (i < atoms.length) {
    yield;
    const contentStart = atoms[i]!.start;
    const start = parts.length > 0 && overlap > 0 ? overlapStart(text, atoms, i, overlap, count, parts[parts.length - 1]!.contentStart) : contentStart;
    const overlapTokens = start < contentStart ? count(text.slice(start, contentStart)) : 0;
    const budget = maxTokens - overlapTokens;
    // Take atoms while the running sum fits the budget.
    let j = i;
    let sum = 0;
    while (j < atoms.length && (j === i || sum + atoms[j]!.tokens <= budget)) sum += atoms[j++]!.tokens;
    // j = one past the last atom taken. Closing early at a stronger boundary in the second half of the part.
    if (j < atoms.length) {
      let best = j - 1;
      let acc = sum;
      for (let k = j - 1; k > i; k--) {
        acc -= atoms[k]!.tokens;
        if (acc < budget / 2) break;
        if (atoms[k - 1]!.level < atoms[best]!.level) best = k - 1;
      }
      j = best + 1;
    }
    // Exact count of what will be sent: the sum of atom counts is exact only where every join is a safe cut.
    let partStart = start;
    let additive = !!safe && (start === contentStart || safe(text, contentStart));
    for (let k = i + 1; additive && k < j; k++) additive = safe!(text, atoms[k]!.start);
    let tokens = additive ? overlapTokens + atoms.slice(i, j).reduce((a, x) => a + x.tokens, 0) : yield* tokensOf(text.slice(partStart, atoms[j - 1]!.end));
    while (tokens > maxTokens) {
      if (j - 1 > i) {
        // Drop at least the excess (one recount in the usual case, not one per atom).
        let excess = tokens - maxTokens;
        while (j - 1 > i && excess > 0) excess -= atoms[--j]!.tokens;
      } else partStart = contentStart; // one atom fits alone (atomize guarantees it): drop the overlap instead
      tokens = yield* tokensOf(text.slice(partStart, atoms[j - 1]!.end));
    }
    const end = atoms[j - 1]!.end;
    if (options.maxParts !== undefined && parts.length >= options.maxParts) throw new TooManyParts(parts.length + 1);
    parts.push({ index: parts.length, start: partStart, contentStart, end, text: text.slice(partStart, end), tokens });
    i = j;
  }
}

/**
 * Where the overlap before atom i starts: whole atoms while they fit in `overlap` tokens, then the earliest line,
 * sentence or word start inside the next atom back that still fits (never before `floor`, the previous part's content).
 */
function overlapStart(text: string, atoms: Atom[], i: number, overlap: number, count: (t: string) => number, floor: number): number {
  const end = atoms[i]!.start;
  let best = end;
  let k = i - 1;
  for (; k >= 0 && atoms[k]!.start >= floor; k--) {
    if (count(text.slice(atoms[k]!.start, end)) > overlap) break;
    best = atoms[k]!.start;
  }
  if (k < 0 || atoms[k]!.start < floor) return best;
  for (const level of [Level.Line, Level.Sentence, Level.Space] as const) {
    const cuts = cutsAt(text, atoms[k]!.start, best, level);
    let found = best;
    for (let c = cuts.length - 1; c >= 0; c--) {
      if (count(text.slice(cuts[c]!, end)) > overlap) break;
      found = cuts[c]!;
    }
    if (found < best) return found;
  }
  return best;
}

/** Whether the language is code whose top-level blocks are separated by blank lines and unindented lines. */
export function isBlockStructuredCode(languageId: string | undefined): boolean {
  return (
    !!languageId &&
    /^(typescript|typescriptreact|javascript|javascriptreact|python|go|rust|java|kotlin|scala|c|cpp|csharp|swift|php|ruby|lua|dart|r|julia|elixir|haskell|ocaml|fsharp|shellscript|powershell|sql)$/.test(
      languageId,
    )
  );
}
