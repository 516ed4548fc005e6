// Stop sequences: shape checks (every provider), provider rules (counts, whitespace-only), model support
// (reasoning models), and lint warnings for stops that will fire too early or never.
// A list that breaks a rule is refused with an explanation; nothing is ever dropped silently.
import type { ProviderId } from '../protocol/request';
import { profileOf, providerLabel } from '../providers/index';
import type { ModelInfo } from './models';
import type { ValidationIssue } from '../protocol/issues';

/** Longest list even considered (no provider documents more than 5; Anthropic documents no limit). */
const MAX_STOP_ENTRIES = 1_000;

export interface StopContext {
  /** Label of the setting for messages: `lengthwise.stopSequences` or `preset "qa" → stopSequences`. */
  label?: string;
  /** The setting key for ValidationIssue.setting (default `lengthwise.stopSequences`). */
  setting?: string;
  preset?: string;
}

const show = (s: string) => JSON.stringify(s);

/** Shape rules for every provider: an array of non-empty strings. */
export function checkStopShape(value: unknown, ctx: StopContext = {}): ValidationIssue[] {
  const label = ctx.label ?? 'lengthwise.stopSequences';
  const base = { setting: ctx.setting ?? 'lengthwise.stopSequences', ...(ctx.preset ? { preset: ctx.preset } : {}) };
  if (!Array.isArray(value)) {
    const hint = typeof value === 'string' && value !== '' ? ` — write [${show(value)}]` : '';
    return [
      {
        ...base,
        value,
        message: `${label} is ${describe(value)}, not a list: write a JSON array of strings such as ["\\n\\n", "END"]${hint}.`,
      },
    ];
  }
  if (value.length > MAX_STOP_ENTRIES) {
    // Checked (and reported) one by one below, a list of 200,000 would cost seconds and as many messages.
    return [{ ...base, value: `${value.length} entries`, message: `${label} has ${value.length} entries: no provider takes more than a few — keep at most ${MAX_STOP_ENTRIES}.` }];
  }
  const issues: ValidationIssue[] = [];
  value.forEach((s, i) => {
    if (typeof s !== 'string') {
      issues.push({ ...base, value: s, message: `${label}[${i}] is ${describe(s)}: every stop sequence must be a string in quotes.` });
    } else if (s === '') {
      issues.push({
        ...base,
        value: s,
        message: `${label}[${i}] is an empty string: an empty stop sequence is refused by the providers — remove it.`,
      });
    }
  });
  return issues;
}

export interface StopValidation {
  /** What will be sent: the list, or [] when the model does not support stops. */
  stops: string[];
  errors: ValidationIssue[];
  notes: string[];
  warnings: string[];
}

/**
 * Provider and model rules for a stop list. `model` (when known) can refuse stops entirely (reasoning models):
 * then nothing is sent and a note says the stop will not apply.
 */
export function validateStops(value: unknown, provider: ProviderId, model?: ModelInfo, ctx: StopContext = {}): StopValidation {
  const label = ctx.label ?? 'lengthwise.stopSequences';
  const base = { setting: ctx.setting ?? 'lengthwise.stopSequences', ...(ctx.preset ? { preset: ctx.preset } : {}) };
  const errors = checkStopShape(value, ctx);
  const result: StopValidation = { stops: [], errors, notes: [], warnings: [] };
  if (errors.length > 0 || !Array.isArray(value)) return result;
  const stops = value as string[];
  if (stops.length === 0) return result;
  const who = model?.displayName ?? providerLabel(provider);

  if (model && !model.supportsStop) {
    result.notes.push(
      `stop sequences not sent: ${model.displayName} does not support them, so ${stops.map(show).join(', ')} will not apply — ` +
        `pick a preset or model that supports stops (e.g. gpt-4.1) if the answer must end there.`,
    );
    return result;
  }

  if (profileOf(provider).stops.visibleCharRequired || (model && profileOf(model.provider).stops.visibleCharRequired)) {
    stops.forEach((s, i) => {
      if (s.trim() === '') {
        errors.push({
          ...base,
          value: s,
          message: `${label}[${i}] is ${show(s)}, whitespace only: Anthropic refuses stop sequences without a visible character — use e.g. "\\n\\nUser:" or remove it.`,
        });
      }
    });
  }

  const max = model?.maxStopSequences ?? profileOf(provider).stops.max;
  if (max !== undefined && stops.length > max) {
    errors.push({
      ...base,
      value: stops,
      message:
        `${label} has ${stops.length} stop sequences but ${who} accepts at most ${max}: remove ${stops.length - max} ` +
        `(Lengthwise never drops one silently).`,
    });
  }

  const seen = new Set<string>();
  for (const s of stops) {
    if (seen.has(s)) result.warnings.push(`${label} lists ${show(s)} twice.`);
    seen.add(s);
  }
  if (errors.length === 0) result.stops = [...stops];
  return result;
}

/** Words so common that a stop on them ends most answers within a sentence. */
const COMMON_WORDS = new Set(
  (
    'the a an and or but of to in on at by for with from as is are was were be been it its this that these those ' +
    'i you he she we they me my your his her our their not no yes if then so do does did have has had will would ' +
    'can could should may might there here what which who when where why how all any some one two'
  ).split(' '),
);

const WORD_CHAR = /[\p{L}\p{N}_]/u;
const isWordChar = (c: string | undefined) => c !== undefined && WORD_CHAR.test(c);

/**
 * The lint runs on every selection change, on text nobody chose: its work is bounded by the prompt's length, not by
 * the number of hits (a one-letter stop in a long run of that letter hits at every character).
 */
export const LINT_LIMITS = Object.freeze({ maxHits: 10_000, maxStops: 16, maxStopChars: 1_000, maxExamples: 3 });

/** Indexes where `needle` occurs in `hay`, at most `max` of them (`more`: there are further hits). */
function occurrences(hay: string, needle: string, max: number = LINT_LIMITS.maxHits): { at: number[]; more: boolean } {
  const at: number[] = [];
  if (!needle) return { at, more: false };
  for (let i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + 1)) {
    if (at.length === max) return { at, more: true };
    at.push(i);
  }
  return { at, more: false };
}

/** The word around [start, end) in text, for messages ("weekend"): at most `reach` characters either side. */
function wordAround(text: string, start: number, end: number, reach = 40): { word: string; end: number } {
  let a = start;
  let b = end;
  while (a > 0 && start - a < reach && isWordChar(text[a - 1])) a--;
  while (b < text.length && b - end < reach && isWordChar(text[b])) b++;
  const cutA = a > 0 && isWordChar(text[a - 1]);
  const cutB = b < text.length && isWordChar(text[b]);
  return { word: `${cutA ? '…' : ''}${text.slice(a, b)}${cutB ? '…' : ''}`, end: b };
}

/** An occurrence glued to letters/digits on a side where the stop itself starts/ends with a word character. */
function insideWord(text: string, at: number, stop: string): boolean {
  const first = stop[0];
  const last = stop[stop.length - 1];
  return (isWordChar(first) && isWordChar(text[at - 1])) || (isWordChar(last) && isWordChar(text[at + stop.length]));
}

/**
 * Lint warnings for stop sequences against the prompt (the selection). Matching is case-sensitive like the APIs;
 * a case-insensitive near miss is reported separately. `countTokens` (the model's tokenizer, when loaded) adds the
 * token count to the whitespace warning.
 */
/** What a whitespace-only stop matches, in words: "\n\n" fires at a blank line, not at any line break. */
function whitespaceRun(stop: string): string {
  const breaks = (stop.match(/\n/g) ?? []).length;
  if (breaks === 0) return 'space';
  if (breaks === 1) return 'line break';
  return breaks === 2 ? 'blank line' : `${breaks - 1} blank lines in a row`;
}

export function lintStops(stops: string[], prompt: string, countTokens?: (text: string) => number): string[] {
  const warnings: string[] = [];
  let lowerPrompt: string | undefined; // only when a stop is not found as written
  if (stops.length > LINT_LIMITS.maxStops) warnings.push(`only the first ${LINT_LIMITS.maxStops} of ${stops.length} stop sequences were checked against the prompt.`);
  for (const stop of stops.slice(0, LINT_LIMITS.maxStops)) {
    if (typeof stop !== 'string' || stop === '') continue;
    const core = stop.trim();
    // A stop anchored on a line break ("\nUser:", "\n}") is specific even when its visible part is short.
    if (core === '') {
      warnings.push(`stop ${show(stop)} is only whitespace: it fires at the first ${whitespaceRun(stop)} of the answer.`);
      continue;
    }
    if (COMMON_WORDS.has(core.toLowerCase())) {
      warnings.push(`stop ${show(stop)} is a common word: the answer will likely end at its first occurrence, mid-sentence.`);
    } else if (core.length <= 2 && !stop.includes('\n')) {
      warnings.push(`stop ${show(stop)} is very short: it is likely to occur early and cut the answer.`);
    }

    // A stop longer than any real one is not searched for (its search alone could cost seconds).
    const searched = stop.length <= LINT_LIMITS.maxStopChars;
    const hits = searched ? occurrences(prompt, stop) : { at: [], more: false };
    const examples = new Set<string>();
    let inWords = 0;
    let shownUpTo = -1; // further hits in the part of a word already shown add no example
    for (const at of hits.at) {
      if (!insideWord(prompt, at, stop)) continue;
      inWords++;
      if (examples.size >= LINT_LIMITS.maxExamples || at < shownUpTo) continue;
      const w = wordAround(prompt, at, at + stop.length);
      shownUpTo = w.end;
      examples.add(w.word);
    }
    if (inWords > 0) {
      warnings.push(
        `stop ${show(stop)} occurs inside ${[...examples].map(show).join(', ')} in the prompt: the answer will stop at such words too ` +
          `(stops match anywhere, not only whole words).`,
      );
    }
    const standalone = hits.at.length - inWords;
    if (standalone > 0) {
      warnings.push(
        `stop ${show(stop)} already occurs in the prompt (${standalone}×${hits.more ? ' or more' : ''}): if the answer quotes or continues that text it ends there.`,
      );
    }
    if (searched && hits.at.length === 0) {
      const lowerStop = stop.toLowerCase();
      const variants = new Set<string>();
      lowerPrompt ??= prompt.toLowerCase();
      for (const at of occurrences(lowerPrompt, lowerStop).at) {
        const v = prompt.slice(at, at + stop.length);
        if (v !== stop) variants.add(v);
        if (variants.size >= LINT_LIMITS.maxExamples) break;
      }
      if (variants.size > 0) {
        const list = [...variants];
        warnings.push(
          `stop ${show(stop)} does not occur in the prompt, but ${list.map(show).join(', ')} does: stops are case-sensitive, ` +
            `so an answer writing ${show(list[0])} will not stop — check the case you meant.`,
        );
      }
    }

    const lead = /^[ \t]/.test(stop);
    const trail = /[ \t\n]$/.test(stop);
    if (lead || trail) {
      const where = lead && trail ? 'starts and ends' : lead ? 'starts' : 'ends';
      const n = countTokens?.(stop);
      const tokens = n !== undefined ? ` (${n} token${n === 1 ? '' : 's'} with this model's tokenizer)` : '';
      warnings.push(
        `stop ${show(stop)}${tokens} ${where} with whitespace: tokenizers merge spaces and line breaks with neighbouring text, ` +
          `so the answer may write the visible part without exactly that whitespace and never stop.`,
      );
    }
  }
  return warnings;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return `the text ${show(v)}`;
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}
