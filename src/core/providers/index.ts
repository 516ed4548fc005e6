// Every provider's profile, by id. A provider added to PROVIDERS (core/protocol/request.ts) fails to compile here
// until its profile is registered, and the profile fails to compile until every fact is given.
import type { ProviderId } from '../protocol/request';
import { anthropic } from './anthropic';
import { gemini } from './gemini';
import { openai } from './openai';
import { openaiCompatible } from './openaiCompatible';
import type { ProviderProfile } from './profile';
import { vscodeLm } from './vscodeLm';

export type { CatalogVendor, ProviderProfile, ThinkingKind, TokenizerId } from './profile';

export const PROFILES: Readonly<Record<ProviderId, ProviderProfile>> = {
  openai,
  anthropic,
  gemini,
  'openai-compatible': openaiCompatible,
  'vscode-lm': vscodeLm,
};

export function profileOf(provider: ProviderId): ProviderProfile {
  return PROFILES[provider];
}

/** For messages: "OpenAI", "Anthropic", "OpenAI-compatible server". */
export function providerLabel(provider: ProviderId): string {
  return PROFILES[provider].label;
}
