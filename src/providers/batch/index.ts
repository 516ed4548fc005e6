// Batch clients are required on first use, like the adapters (each SDK is evaluated only when needed).
import type { BatchClient } from '../../core/generation/jobs/batch';
import type { ProviderId } from '../../core/protocol/request';

/* eslint-disable @typescript-eslint/no-require-imports -- a synchronous require keeps each SDK out of activation */

export function batchClient(provider: ProviderId): BatchClient | undefined {
  switch (provider) {
    case 'openai':
      return (require('./openai') as typeof import('./openai')).openAIBatch;
    case 'anthropic':
      return (require('./anthropic') as typeof import('./anthropic')).anthropicBatch;
    case 'gemini':
      return (require('./gemini') as typeof import('./gemini')).geminiBatch;
    default:
      return undefined;
  }
}
