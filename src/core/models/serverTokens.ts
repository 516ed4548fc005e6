// The server's own tokenizer, where the server has a documented endpoint for it: llama-server (POST /tokenize
// {content, add_special} → {tokens: [...]}; POST /apply-template {messages} → {prompt}, the text its chat template
// makes of a conversation) and vLLM (POST /tokenize {model, prompt | messages} → {count, tokens}). Ollama and LM
// Studio document none: their counts stay estimates. Pure: the requests to make and the answers read; the HTTP is
// in providers/serverTokens.ts. A server's answer is untrusted input: only a whole count in range is taken.
import { isPlainObject } from '../protocol/guards';
import type { ChatMessage } from '../protocol/request';
import { origin, type ServerKind } from './discovery';

export type TokenizingServer = Extract<ServerKind, 'llama-server' | 'vllm'>;

/** Whether `kind` documents a tokenize endpoint Lengthwise can ask. */
export function tokenizes(kind: ServerKind | undefined): kind is TokenizingServer {
  return kind === 'llama-server' || kind === 'vllm';
}

/** For labels: "llama-server's own tokenizer". */
export function tokenizerLabel(kind: TokenizingServer): string {
  return `${kind === 'vllm' ? 'vLLM' : 'llama-server'}'s own tokenizer`;
}

export interface TokenizeCall {
  url: string;
  body: Record<string, unknown>;
}

/** The request that counts a plain text (no chat template, no special tokens). */
export function textCall(kind: TokenizingServer, baseUrl: string, model: string, text: string): TokenizeCall | undefined {
  const o = origin(baseUrl);
  if (!o) return undefined;
  return kind === 'vllm' ? { url: `${o}/tokenize`, body: { model, prompt: text, add_special_tokens: false } } : { url: `${o}/tokenize`, body: { content: text, add_special: false } };
}

/** The conversation as the server receives it: the system prompt first when there is one. */
function wireMessages(system: string, messages: readonly ChatMessage[]): { role: string; content: string }[] {
  return [...(system ? [{ role: 'system', content: system }] : []), ...messages.map((m) => ({ role: m.role, content: m.content }))];
}

/**
 * The requests that count a whole chat request exactly as the server will: vLLM tokenizes the messages through its
 * chat template in one call; llama-server renders the template (/apply-template), then tokenizes that prompt with
 * its special tokens (equal to the prompt_tokens it reports for the same request).
 */
export function chatCalls(kind: TokenizingServer, baseUrl: string, model: string, system: string, messages: readonly ChatMessage[]): { template?: TokenizeCall; count: (prompt?: string) => TokenizeCall } | undefined {
  const o = origin(baseUrl);
  if (!o) return undefined;
  const msgs = wireMessages(system, messages);
  if (kind === 'vllm') return { count: () => ({ url: `${o}/tokenize`, body: { model, messages: msgs, add_generation_prompt: true } }) };
  return { template: { url: `${o}/apply-template`, body: { messages: msgs } }, count: (prompt = '') => ({ url: `${o}/tokenize`, body: { content: prompt, add_special: true } }) };
}

/** No request anyone sends has more tokens than this; a larger count is not believed. */
const MAX_COUNT = 100_000_000;

/** The token count in a tokenize answer: vLLM's `count`, else the length of `tokens`. */
export function parseTokenCount(json: unknown): number | undefined {
  if (!isPlainObject(json)) return undefined;
  const n = typeof json.count === 'number' ? json.count : Array.isArray(json.tokens) ? json.tokens.length : undefined;
  return n !== undefined && Number.isInteger(n) && n >= 0 && n <= MAX_COUNT ? n : undefined;
}

/** llama-server's /apply-template answer: the rendered prompt. */
export function parseTemplate(json: unknown): string | undefined {
  return isPlainObject(json) && typeof json.prompt === 'string' ? json.prompt : undefined;
}
