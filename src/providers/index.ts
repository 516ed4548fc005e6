// Adapters are required on first use, not at activation: each SDK (and Gemini's auth stack) is evaluated only
// when a request for that provider is made. esbuild keeps these as lazily initialised modules in the bundle.
import type { ProviderAdapter, ProviderId } from '../core/protocol/request';

/* eslint-disable @typescript-eslint/no-require-imports -- a synchronous require keeps each SDK out of activation */

/** Adapters the host provides: VS Code's language models need the editor API (src/extension/lm/adapter.ts). */
const hosted = new Map<ProviderId, () => ProviderAdapter>();

export function registerAdapter(provider: ProviderId, make: () => ProviderAdapter): void {
  hosted.set(provider, make);
}

export function createAdapter(provider: ProviderId): ProviderAdapter {
  switch (provider) {
    case 'vscode-lm': {
      const make = hosted.get(provider);
      if (!make) throw new Error('VS Code language models are reached only from inside VS Code.');
      return make();
    }
    case 'openai':
    case 'openai-compatible':
      return (require('./openai') as typeof import('./openai')).createOpenAIAdapter(provider);
    case 'anthropic':
      return (require('./anthropic') as typeof import('./anthropic')).createAnthropicAdapter();
    case 'gemini':
      return (require('./gemini') as typeof import('./gemini')).createGeminiAdapter();
  }
}
