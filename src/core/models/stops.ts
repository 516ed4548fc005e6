// Stop sequences: shape checks (every provider), provider rules (counts, whitespace-only), model support
// (reasoning models), and lint warnings for stops that will fire too early or never.
// A list that breaks a rule is refused with an explanation; nothing is ever dropped silently.
import type { ProviderId } from '../protocol/request';
import { providerLabel } from '../protocol/request';
import type { ModelInfo } from './models';
import type { ValidationIssue } from '../settings/schema';

/** Provider limits on the number of stop sequences (undefined = no documented limit). */
const MAX_STOP_SEQUENCES: Record<ProviderId, number | undefined> = {
  openai: 4,
  gemini: 5,
  anthropic: undefined,
  // Compatible servers differ (vLLM, Ollama accept more); a catalog model's own limit still applies.
  'openai-compatible': undefined,
};

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

  if (provider === 'anthropic' || model?.provider === 'anthropic') {
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

  const max = model?.maxStopSequences ?? MAX_STOP_SEQUENCES[provider];
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

const isWordChar = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}_]/u.test(c);

/** Every index where `needle` occurs in `hay`. */
function occurrences(hay: string, needle: string): number[] {
  const out: number[] = [];
  if (!needle) return out;
  for (let i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + 1)) out.push(i);
  return out;
}

/** The whole word around [start, end) in text, for messages ("weekend"). */
function wordAround(text: string, start: number, end: number): string {
  let a = start;
  let b = end;
  while (a > 0 && isWordChar(text[a - 1])) a--;
  while (b < text.length && isWordChar(text[b])) b++;
  return text.slice(a, b);
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
export function lintStops(stops: string[], prompt: string, countTokens?: (text: string) => number): string[] {
  const warnings: string[] = [];
  const lowerPrompt = prompt.toLowerCase();
  for (const stop of stops) {
    if (typeof stop !== 'string' || stop === '') continue;
    const core = stop.trim();
    // A stop anchored on a line break ("\nUser:", "\n}") is specific even when its visible part is short.
    if (core === '') {
      warnings.push(`stop ${show(stop)} is only whitespace: it fires at the first ${stop.includes('\n') ? 'line break' : 'space'} of the answer.`);
      continue;
    }
    if (COMMON_WORDS.has(core.toLowerCase())) {
      warnings.push(`stop ${show(stop)} is a common word: the answer will likely end at its first occurrence, mid-sentence.`);
    } else if (core.length <= 2 && !stop.includes('\n')) {
      warnings.push(`stop ${show(stop)} is very short: it is likely to occur early and cut the answer.`);
    }

    const hits = occurrences(prompt, stop);
    const inWords = hits.filter((at) => insideWord(prompt, at, stop));
    if (inWords.length > 0) {
      const examples = [...new Set(inWords.map((at) => wordAround(prompt, at, at + stop.length)))].slice(0, 3);
      warnings.push(
        `stop ${show(stop)} occurs inside ${examples.map(show).join(', ')} in the prompt: the answer will stop at such words too ` +
          `(stops match anywhere, not only whole words).`,
      );
    }
    const standalone = hits.length - inWords.length;
    if (standalone > 0) {
      warnings.push(
        `stop ${show(stop)} already occurs in the prompt (${standalone}×): if the answer quotes or continues that text it ends there.`,
      );
    }
    if (hits.length === 0) {
      const lowerStop = stop.toLowerCase();
      const near = occurrences(lowerPrompt, lowerStop).map((at) => prompt.slice(at, at + stop.length));
      const variants = [...new Set(near)].filter((v) => v !== stop);
      if (variants.length > 0) {
        warnings.push(
          `stop ${show(stop)} does not occur in the prompt, but ${variants.slice(0, 3).map(show).join(', ')} does: stops are case-sensitive, ` +
            `so an answer writing ${show(variants[0])} will not stop — check the case you meant.`,
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
