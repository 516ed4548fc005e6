// Step "length hint" and the build: the request exactly as it goes over the wire, with the one sentence that asks
// the answer to end before the cap when the length hint is on (generation/lengthHint.ts).
import type { GenerationRequest } from '../../protocol/request';
import { gatewayAsksCost } from '../../models/openaiApi';
import { estimateTokensFromChars } from '../../tokens/estimate';
import { decideLengthHint, hintNote, withHint } from '../lengthHint';
import type { PlanContext } from './context';

/**
 * Tokens the hint adds to the system prompt: the separator and the sentence, counted on their own (a count across
 * the seam can only be lower, by a token at most, where the prompt ends in punctuation).
 */
export function hintTokens(c: PlanContext, hint: string): number {
  const text = c.s.systemPrompt.trim() === '' ? hint : `\n\n${hint}`;
  return c.input.countText ? c.input.countText(text) : estimateTokensFromChars(text.length);
}

/** Retries the SDK makes itself (429, 5xx, network) before a request fails. */
export const DEFAULT_MAX_RETRIES = 2;

export function buildStep(c: PlanContext): GenerationRequest {
  const { s, draft, plan } = c;
  const messages = c.input.messages ?? [{ role: 'user' as const, content: c.input.prompt }];
  const request: GenerationRequest = {
    provider: s.provider,
    model: s.model,
    messages: messages.map((m) => ({ ...m })),
    maxTokens: draft.maxTokens,
    stop: draft.stop,
    timeoutMs: s.requestTimeoutSeconds * 1000,
    maxRetries: DEFAULT_MAX_RETRIES,
  };
  if (s.baseUrl !== '') request.baseUrl = s.baseUrl;
  if (s.systemPrompt !== '') request.system = s.systemPrompt;
  plan.lengthHint = decideLengthHint(s.lengthHint, { maxTokens: request.maxTokens, thinkingBudget: draft.thinkingBudget, system: s.systemPrompt });
  plan.inputTokens = c.input.inputTokens;
  if (plan.lengthHint.sent) {
    request.system = withHint(request.system, plan.lengthHint.text);
    request.lengthHint = plan.lengthHint.text;
    plan.inputTokens += hintTokens(c, plan.lengthHint.text);
  } else if (!plan.lengthHint.off) plan.notes.push(hintNote(plan.lengthHint)!);
  if (draft.temperature !== undefined) request.temperature = draft.temperature;
  if (draft.topP !== undefined) request.topP = draft.topP;
  if (draft.thinkingBudget !== undefined) request.thinkingBudget = draft.thinkingBudget;
  if (c.reasoning) request.reasoningModel = true;
  if (draft.api) request.api = draft.api;
  if (draft.verbosity) request.verbosity = draft.verbosity;
  if (draft.serviceTier) request.serviceTier = draft.serviceTier;
  if (gatewayAsksCost(s.provider, s.baseUrl)) request.askCost = true;
  return request;
}
