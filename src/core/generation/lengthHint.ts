// The length hint: one sentence added to the system prompt so the answer ends on its own before the cap cuts it.
//
// Words from tokens: English prose runs about 0.75 words a token (≈ 4 characters a token, ≈ 5.3 characters a
// word with its space). The hint asks for 80% of that, so an answer that follows it still ends below the cap:
// models overshoot a stated length by 10–20%, and code, numbers and other languages take more tokens a word.
// Together: words ≈ tokens × 0.6, rounded down to a round number. Lines: ≈ 12 tokens a line of prose or code,
// with the same 80% margin. The room is the max tokens sent minus a thinking budget (thinking counts toward the
// cap and is not part of the answer).
//
// "Already states a length": the hint is left out when the system prompt has a count with a unit ("under 200
// words", "3 sentences", "a 500-word summary", "one paragraph", "at most 10 lines/bullets/items", characters,
// tokens, pages), a word/length limit ("word limit", "maximum length"), or asks to keep the answer short
// ("keep it short/brief", "short answer", "be brief", "one-liner"). "one item per line" and the like are not
// lengths. Detection is in English only.

export type LengthHintSetting = 'off' | 'auto' | string;

const AUTO_HINT_TEMPLATE = 'Keep the answer under about {words} words.';

const WORDS_PER_TOKEN = 0.75;
const MARGIN = 0.8;
const TOKENS_PER_LINE = 12;

/** Round down to a number a person would write: 5s below 50, 10s below 200, 50s below 1000, then 100s. */
export function roundDown(n: number): number {
  if (n < 10) return Math.max(1, Math.floor(n));
  const step = n < 50 ? 5 : n < 200 ? 10 : n < 1000 ? 50 : 100;
  return Math.floor(n / step) * step;
}

export interface HintFigures {
  words: number;
  tokens: number;
  lines: number;
}

/** The numbers a hint states for `room` output tokens (the answer's share of max tokens). */
export function hintFigures(room: number): HintFigures {
  const r = Math.max(1, Math.floor(room));
  return {
    words: roundDown(r * WORDS_PER_TOKEN * MARGIN),
    tokens: roundDown(r * MARGIN),
    lines: roundDown((r * MARGIN) / TOKENS_PER_LINE),
  };
}


// Bounded repeats: a number such as "1,1,1,…" must not be re-read from each of its digits to the end.
const NUM = String.raw`(?:\d[\d,.]{0,15}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|fifty|hundred|a few|a couple of|a single|single)`;
const UNIT = String.raw`(?:words?|sentences?|paragraphs?|lines?|bullet points?|bullets?|items?|characters?|chars?|tokens?|pages?)`;
const LENGTH_FORMS: RegExp[] = [
  // "200 words", "3 sentences", "a 500-word summary", "one paragraph" — but not "one item per line".
  new RegExp(String.raw`\b${NUM}[\s-]{1,3}${UNIT}\b(?!\s{1,3}(?:per|each|at a time|of (?:code|context)))`, 'i'),
  /\b(?:word|character|length|token) (?:limit|count|budget|cap)\b/i,
  /\bmax(?:imum)? (?:length|words|size)\b/i,
  /\bkeep (?:it|this|them|the (?:answer|reply|response)s?|your (?:answer|reply|response)s?|responses|answers|replies) (?:short|brief|concise|succinct|to a minimum|under|below|within)\b/i,
  /\b(?:short|brief) (?:answer|reply|response)s?\b/i,
  /\bbe (?:brief|short)\b/i,
  /\bone[- ]liners?\b/i,
  /\btl;?dr\b/i,
];

/**
 * How much of the system prompt is read for a stated length: its start and its end, where instructions about the
 * answer's form are given. Bounded, because the status bar plans a request (and so reads the prompt) on every
 * selection change, whatever a workspace put in lengthwise.systemPrompt.
 */
export const STATED_LENGTH_SCAN = Object.freeze({ head: 4_000, tail: 2_000 });

/** The phrase in `system` that already states a length, or undefined. */
export function statedLength(system: string): string | undefined {
  const { head, tail } = STATED_LENGTH_SCAN;
  const parts = system.length <= head + tail ? [system] : [system.slice(0, head), system.slice(-tail)];
  for (const re of LENGTH_FORMS) {
    for (const part of parts) {
      const m = re.exec(part);
      if (m) return m[0];
    }
  }
  return undefined;
}

export type HintDecision =
  | { sent: true; text: string; figures: HintFigures }
  /** `why` is for the request log ("off", "the system prompt already says \"under 200 words\""). */
  | { sent: false; why: string; off?: true };

/**
 * Whether and which hint goes with a request. `maxTokens` is the value sent (after clamping), `thinkingBudget`
 * the part of it reserved for thinking, `system` the user's own system prompt.
 */
export function decideLengthHint(setting: LengthHintSetting, x: { maxTokens: number; thinkingBudget?: number; system: string }): HintDecision {
  if (setting === 'off') return { sent: false, why: 'lengthwise.lengthHint is "off"', off: true };
  const stated = statedLength(x.system);
  if (stated !== undefined) return { sent: false, why: `the system prompt already states a length ("${stated}")` };
  const room = x.maxTokens - (x.thinkingBudget ?? 0);
  if (room < 1) return { sent: false, why: 'no room is left for the answer after the thinking budget' };
  const figures = hintFigures(room);
  const template = setting === 'auto' ? AUTO_HINT_TEMPLATE : setting;
  const text = template.replace(/\{(words|tokens|lines)\}/g, (_, k: keyof HintFigures) => String(figures[k]));
  return { sent: true, text, figures };
}

/** The system prompt with the hint as its last sentence. */
export function withHint(system: string | undefined, hint: string): string {
  const s = (system ?? '').trimEnd();
  return s === '' ? hint : `${s}\n\n${hint}`;
}

/** One line for the request log and the tooltip; undefined when hints are off (nothing to say). */
export function hintNote(d: Pick<Extract<HintDecision, { sent: true }>, 'sent' | 'text'> | Extract<HintDecision, { sent: false }> | undefined): string | undefined {
  if (!d || (!d.sent && d.off)) return undefined;
  return d.sent ? `length hint: "${d.text}"` : `no length hint: ${d.why}`;
}
