// Why nothing was cached: a prompt below the provider's minimum cacheable prefix is never cached (OpenAI and
// Anthropic from 1,024 tokens, Gemini's implicit cache from the model's own minimum). Said once, instead of leaving
// the user to wonder; each provider's minimum and its source are in its profile (`cache`).
import type { ProviderId } from '../protocol/request';
import { profileOf, providerLabel } from '../providers';

/** The note for a request whose prompt was below the minimum and read nothing from a cache; undefined otherwise. */
export function cacheMinimumNote(provider: ProviderId, model: string, usage: { inputTokens: number; cacheReadTokens?: number; cacheWriteTokens?: number }): string | undefined {
  const min = profileOf(provider).cache.minPrefixTokens(model);
  if (min === undefined || usage.inputTokens >= min || (usage.cacheReadTokens ?? 0) > 0 || (usage.cacheWriteTokens ?? 0) > 0) return undefined;
  const n = (x: number) => x.toLocaleString('en-US');
  return `Nothing was cached: ${providerLabel(provider)} caches prompts of at least ${n(min)} tokens for ${model}, and this one had ${n(usage.inputTokens)} (${profileOf(provider).cache.source}). Said once per model in a session.`;
}
