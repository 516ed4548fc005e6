// Counts with the server's own tokenizer (the endpoints are core/models/serverTokens.ts): a keyed call to the
// approved endpoint, so it carries the key the door handed out and goes through keyFetch, pinned to that origin.
// Plain fetch, not an LLM SDK call: these are the servers' own utility endpoints. Nothing here throws: a count
// that cannot be had is undefined, and the caller falls back to the estimate with its stated margin.
import { keyFetch } from './keyFetch';
import { chatCalls, parseTemplate, parseTokenCount, textCall, tokenizerLabel, type TokenizeCall, type TokenizingServer } from '../core/models/serverTokens';
import type { ChatMessage } from '../core/protocol/request';

/** One count of a big input on a real server takes well under a second; a slow one is not waited for. */
const TOKENIZE_TIMEOUT_MS = 15_000;
/** Token ids as JSON take at most ~8 bytes each: a 2M-token input's answer stays under this. */
const MAX_ANSWER_BYTES = 24_000_000;

export class ServerTokenizer {
  readonly label: string;
  private readonly fetch: typeof fetch;

  constructor(
    readonly kind: TokenizingServer,
    private readonly baseUrl: string,
    private readonly model: string,
    private readonly key: string,
    fetchImpl?: typeof fetch,
  ) {
    this.label = tokenizerLabel(kind);
    this.fetch = key ? keyFetch('openai-compatible', baseUrl, fetchImpl) : (fetchImpl ?? fetch);
  }

  /** Tokens of a plain text (no template, no special tokens). */
  async countText(text: string, signal?: AbortSignal): Promise<number | undefined> {
    const call = textCall(this.kind, this.baseUrl, this.model, text);
    return call ? parseTokenCount(await this.post(call, signal)) : undefined;
  }

  /** Tokens of a whole chat request as the server will see it: its chat template and special tokens included. */
  async countChat(system: string, messages: readonly ChatMessage[], signal?: AbortSignal): Promise<number | undefined> {
    const calls = chatCalls(this.kind, this.baseUrl, this.model, system, messages);
    if (!calls) return undefined;
    let prompt: string | undefined;
    if (calls.template) {
      prompt = parseTemplate(await this.post(calls.template, signal));
      if (prompt === undefined) return undefined;
    }
    return parseTokenCount(await this.post(calls.count(prompt), signal));
  }

  private async post(call: TokenizeCall, signal?: AbortSignal): Promise<unknown> {
    const timeout = AbortSignal.timeout(TOKENIZE_TIMEOUT_MS);
    try {
      const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
      if (this.key) headers.authorization = `Bearer ${this.key}`;
      const res = await this.fetch(call.url, { method: 'POST', headers, body: JSON.stringify(call.body), signal: signal ? AbortSignal.any([signal, timeout]) : timeout, redirect: 'error' });
      const len = Number(res.headers.get('content-length') ?? '0');
      if (!res.ok || len > MAX_ANSWER_BYTES) {
        await res.body?.cancel().catch(() => undefined);
        return undefined;
      }
      const text = await res.text();
      return text.length > MAX_ANSWER_BYTES ? undefined : JSON.parse(text);
    } catch {
      return undefined;
    }
  }
}

/**
 * The session's figures per server and model: how the server's count compared with the local estimate at the last
 * Send (the meter scales its estimate by it, and says so), never asked from the meter itself.
 */
export class ServerCounts {
  private readonly ratios = new Map<string, { ratio: number; label: string }>();

  note(baseUrl: string, model: string, ratio: number, label: string): void {
    if (Number.isFinite(ratio) && ratio > 0) this.ratios.set(`${baseUrl}\u0000${model}`, { ratio, label });
  }

  ratio(baseUrl: string, model: string): { ratio: number; label: string } | undefined {
    return this.ratios.get(`${baseUrl}\u0000${model}`);
  }
}
