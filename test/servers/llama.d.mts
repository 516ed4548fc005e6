// Types for llama.mjs (used by the TypeScript tests).
export interface Llama {
  url: string;
  stop(): Promise<void>;
}
export function llamaDir(): string;
export function ensureLlama(): Promise<unknown>;
export function startLlama(opts?: { ctxSize?: number; apiKey?: string; alias?: string }): Promise<Llama>;
