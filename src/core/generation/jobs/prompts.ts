// What the requests of a summarize-first job say. The user's own system prompt (the task) stays first in every
// request, so each summary keeps what the final answer will need. Word budgets follow the length hint's rule.
import { hintFigures } from '../lengthHint';

function task(system: string | undefined): string {
  return system ? `${system}\n\n` : '';
}

/** Map: summarize one part of a longer input. */
export function mapSystem(system: string | undefined, index: number, total: number, budgetTokens: number): string {
  return (
    `${task(system)}The input is too long for one request, so it comes in ${total} parts; this is part ${index + 1} of ${total}. ` +
    `Do not answer yet: summarize this part in at most about ${hintFigures(budgetTokens).words} words, keeping every fact, name, ` +
    `number and piece of code the task above will need.`
  );
}

/** Reduce: merge the summaries of consecutive parts into one. */
export function reduceSystem(system: string | undefined, budgetTokens: number): string {
  return (
    `${task(system)}Below are summaries of consecutive parts of a long input, in order. Do not answer yet: merge them into one summary ` +
    `of at most about ${hintFigures(budgetTokens).words} words, keeping what the task above will need.`
  );
}

/** Final: answer over the summaries. */
export function finalSystem(system: string | undefined, total: number): string {
  return `${task(system)}The input was too long for one request; below are summaries of its ${total} parts, in order. Answer over them as if over the whole input.`;
}

/** Summaries as the user message of a reduce or final request. */
export function joinSummaries(summaries: readonly string[]): string {
  return summaries.map((s, i) => `[Summary ${i + 1}/${summaries.length}]\n${s.trim()}`).join('\n\n');
}
