// The status bar tooltip's line about the input: what the count shown is made of (the same rule as Send's and
// Count Selection Tokens Exactly's: core/generation/countedPlan.ts), and what happens to other selections.
import { inputPartsText, type InputParts } from '../generation/countedPlan';

export interface InputLineInfo {
  parts: InputParts;
  exact: boolean;
  /** With several selections: how many, and the tokens of all their text (Send sends the primary one). */
  selections?: { count: number; tokens: number };
}

/** "Input as Send sends it: 13 tokens — the selection 7 + chat framing 6 (Count Selection Tokens Exactly counts the same way)." */
export function inputLine(i: InputLineInfo): string {
  const mark = i.exact ? '' : '≈';
  const what = i.selections ? 'the primary selection' : 'the selection';
  const line = `Input as Send sends it: ${mark}${i.parts.total.toLocaleString('en-US')} tokens — ${inputPartsText(i.parts, what)} (Count Selection Tokens Exactly counts the same way).`;
  if (!i.selections) return line;
  const n = i.selections.count;
  return `${line} Send sends the primary selection of the ${n}; all ${n} hold ${mark}${i.selections.tokens.toLocaleString('en-US')} tokens of text, and Send as Batch sends each as its own request.`;
}
