// The next round after a truncated (or paused) answer: which conversation shape to send, how to recognise a
// provider refusing assistant prefill, and the totals of a chain of rounds. The seam joiner lives in seam.ts.
import { OPTIONAL_USAGE_KEYS, weakerSource, type ChatMessage, type ProviderId, type Usage, type UsageSource } from '../protocol/request';
import { combineCostSources, type CostSource } from '../pricing/reported';
import { addUsd } from '../pricing/money';

export { SeamJoiner } from './seam';

/**
 * - prefill: the conversation ends with the text so far as the assistant's turn; the model continues that turn.
 * - user-continue: the text so far as the assistant's turn, then a user turn asking to continue exactly.
 * - pause-resume: Anthropic pause_turn; the paused response goes back as is and the model resumes.
 */
export type ContinuationStrategy = 'prefill' | 'user-continue' | 'pause-resume';

export interface StrategyInput {
  provider: ProviderId;
  model: string;
  /** From the catalog; undefined = unknown model. */
  modelSupportsPrefill: boolean | undefined;
  /** prefillKey(provider, model) of models that refused a prefill before (remembered after the 400). */
  prefillRefused: ReadonlySet<string>;
  /** Finish.raw of the round being continued. */
  finishRaw: string;
}

/** The key remembered in StrategyInput.prefillRefused. */
export function prefillKey(provider: ProviderId, model: string): string {
  return `${provider}:${model}`;
}

export function chooseStrategy(i: StrategyInput): ContinuationStrategy {
  const refused = i.prefillRefused.has(prefillKey(i.provider, i.model));
  // pause_turn is Anthropic's own value. Sending the turn back ends the conversation with an assistant message,
  // which a model that refused prefill would refuse again.
  if (i.finishRaw === 'pause_turn') return refused ? 'user-continue' : 'pause-resume';
  // Unknown models get the shape every provider accepts: guessing prefill costs a refused request on newer Claude
  // models, and OpenAI answers a final assistant message with a new turn instead of continuing it.
  if (i.modelSupportsPrefill === true && !refused) return 'prefill';
  return 'user-continue';
}

export const CONTINUE_INSTRUCTION =
  'Your previous message was cut off by the output length limit. Continue exactly where it stopped: reply with ' +
  'only the missing rest, starting with the very next character (a leading space or line break included if one ' +
  'belongs there; the rest of the word if it stopped mid-word). Do not repeat anything already written, do not ' +
  'comment or explain, and do not open a new code block if one is still open.';

export interface ContinuationPlan {
  messages: ChatMessage[];
  /**
   * Whitespace cut from the end of the assistant turn (prefill, pause-resume): Anthropic rejects a final assistant
   * message with trailing whitespace. Nothing to do with it: the document still holds it, and the SeamJoiner built
   * over the untrimmed text so far merges it with whatever whitespace the model starts with.
   */
  trimmedSuffix: string;
}

/**
 * `original`: the first round's messages (ending with the user's turn); `textSoFar`: the whole answer so far,
 * all rounds joined. The system prompt, stops and sampling settings are the caller's to keep unchanged.
 */
export function continuationPlan(
  original: ChatMessage[],
  textSoFar: string,
  strategy: ContinuationStrategy,
): ContinuationPlan {
  const messages = original.map((m) => ({ ...m }));
  const trimmed = textSoFar.trimEnd(); // same characters as /\s+$/u, without its quadratic backtracking on long runs of spaces
  const trimmedSuffix = textSoFar.slice(trimmed.length);
  // Nothing written yet (e.g. Gemini spent the whole budget thinking): ask again. An empty assistant turn is
  // rejected by some APIs and would continue nothing.
  if (trimmed === '') return { messages, trimmedSuffix };
  if (strategy === 'user-continue') {
    messages.push({ role: 'assistant', content: textSoFar }, { role: 'user', content: CONTINUE_INSTRUCTION });
    return { messages, trimmedSuffix: '' };
  }
  messages.push({ role: 'assistant', content: trimmed });
  return { messages, trimmedSuffix };
}

export function continuationMessages(
  original: ChatMessage[],
  textSoFar: string,
  strategy: ContinuationStrategy,
): ChatMessage[] {
  return continuationPlan(original, textSoFar, strategy).messages;
}

// Wordings of "a conversation may not end with an assistant turn" (Anthropic direct and via Vertex/OpenRouter,
// Anthropic with tools, Mistral, and generic servers).
const PREFILL_REFUSALS: RegExp[] = [
  /does not support (?:the )?(?:assistant )?(?:message )?prefill/i,
  /prefill(?:ing|ed)?\b[^.]{0,80}?\b(?:not supported|unsupported|not allowed|no longer supported|disabled)/i,
  /assistant`? message in the final position/i,
  /(?:conversation|messages?|chat|prompt) (?:must|should) end with (?:a |an |the )?user/i,
  /last (?:message|turn|role)\b[^.]{0,40}?\b(?:must|should) (?:be|have)\b[^.]{0,20}?\buser/i,
  /expected (?:the )?last role (?:to be )?user/i,
  /final (?:message|turn) (?:must|should) be (?:from )?(?:a |an |the )?user/i,
];

/** Whether an error response says the model refuses an assistant-prefill conversation (fall back, remember). */
export function isPrefillRefusal(status: number | undefined, message: string): boolean {
  if (status !== undefined) {
    // Refusals are request errors; auth, missing model, rate limits and server errors are something else.
    if (status < 400 || status >= 500 || [401, 403, 404, 408, 409, 413, 429].includes(status)) return false;
  }
  // Bodies relayed by proxies arrive JSON-escaped and wrapped: read "\n" escapes and line breaks as spaces.
  const text = message.replace(/\\[nrt]/g, ' ').replace(/\s+/g, ' ');
  return PREFILL_REFUSALS.some((re) => re.test(text));
}

export interface ChainTotals {
  rounds: number;
  usage: Usage;
  /** null when any round's price is unknown: an unknown is never counted as 0. */
  costUsd: number | null;
  /** 'estimate' as soon as one round's usage was estimated. */
  usageSource: UsageSource;
  /** Where the summed cost comes from: the least trusted source among the rounds; null when any is unknown. */
  costSource?: CostSource | null;
}

export function addRound(
  t: ChainTotals | undefined,
  round: { usage: Usage; costUsd: number | null; usageSource: UsageSource; costSource?: CostSource | null },
): ChainTotals {
  const usage: Usage = {
    inputTokens: (t?.usage.inputTokens ?? 0) + round.usage.inputTokens,
    outputTokens: (t?.usage.outputTokens ?? 0) + round.usage.outputTokens,
  };
  for (const k of OPTIONAL_USAGE_KEYS) {
    const a = t?.usage[k];
    const b = round.usage[k];
    if (a !== undefined || b !== undefined) usage[k] = (a ?? 0) + (b ?? 0);
  }
  const costUsd = t === undefined ? round.costUsd : addUsd(t.costUsd, round.costUsd);
  const totals: ChainTotals = {
    rounds: (t?.rounds ?? 0) + 1,
    usage,
    costUsd,
    usageSource: weakerSource(t?.usageSource, round.usageSource),
  };
  // Callers that track no cost source get none back.
  if (round.costSource !== undefined) {
    totals.costSource = t === undefined || t.costSource === undefined ? round.costSource : combineCostSources(t.costSource, round.costSource);
  }
  return totals;
}
