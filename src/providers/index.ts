import type { ProviderAdapter, ProviderId } from '../core/request';
import { createAnthropicAdapter } from './anthropic';
import { createGeminiAdapter } from './gemini';
import { createOpenAIAdapter } from './openai';

export function createAdapter(provider: ProviderId): ProviderAdapter {
  switch (provider) {
    case 'openai':
    case 'openai-compatible':
      return createOpenAIAdapter(provider);
    case 'anthropic':
      return createAnthropicAdapter();
    case 'gemini':
      return createGeminiAdapter();
  }
}
