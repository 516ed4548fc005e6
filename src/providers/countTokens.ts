// Exact input token counts from the provider itself, on request (never automatically): Anthropic
// messages.countTokens and Gemini models.countTokens have no exact local tokenizer; OpenAI models are counted
// exactly on this machine already.
import type { GenerationRequest } from '../core/protocol/request';
import { toProviderError } from './errors';
import { keyFetch } from './keyFetch';
import { tokenCount } from '../core/protocol/usage';
import { browserOptions } from './browser';

class UnbelievableCount extends Error {}

/** A server's count only when it is a plain token count (never "100", 1e300 or -1 shown as exact). */
function believed(n: unknown, who: string): number {
  const c = tokenCount(n);
  if (c === undefined) throw new UnbelievableCount(`${who} answered the count with ${JSON.stringify(n)?.slice(0, 40) ?? String(n)}, which is not a token count; use the local estimate.`);
  return c;
}

export interface RemoteCount {
  inputTokens: number;
  /** Where the number comes from, for the message to the user. */
  source: string;
}

export async function countTokensRemote(req: GenerationRequest, apiKey: string, signal?: AbortSignal): Promise<RemoteCount> {
  try {
    if (req.provider === 'anthropic') {
      const { default: Anthropic } = await import('@anthropic-ai/sdk');
      const client = new Anthropic({ apiKey, baseURL: req.baseUrl || undefined, maxRetries: req.maxRetries ?? 2, timeout: req.timeoutMs, fetch: keyFetch(req.provider, req.baseUrl), ...browserOptions('anthropic') });
      const r = await client.messages.countTokens(
        { model: req.model, messages: req.messages.map((m) => ({ role: m.role, content: m.content })), ...(req.system ? { system: req.system } : {}) },
        { signal },
      );
      return { inputTokens: believed(r.input_tokens, 'Anthropic'), source: 'Anthropic messages.countTokens' };
    }
    if (req.provider === 'gemini') {
      const { GoogleGenAI } = await import('@google/genai');
      const ai = new GoogleGenAI({ apiKey, httpOptions: { baseUrl: req.baseUrl || undefined, timeout: req.timeoutMs, fetch: keyFetch(req.provider, req.baseUrl) } });
      // The Developer API's countTokens takes no systemInstruction: the system prompt is counted as a first turn.
      const contents = req.messages.map((m) => ({ role: m.role === 'assistant' ? 'model' : 'user', parts: [{ text: m.content }] }));
      if (req.system) contents.unshift({ role: 'user', parts: [{ text: req.system }] });
      const r = await ai.models.countTokens({ model: req.model, contents, config: { abortSignal: signal } });
      return { inputTokens: believed(r.totalTokens, 'Gemini'), source: `Gemini models.countTokens${req.system ? ' (system prompt counted as a message)' : ''}` };
    }
  } catch (e) {
    if (e instanceof UnbelievableCount) throw e;
    throw new Error(toProviderError(req.provider, e, signal?.aborted ?? false, undefined, apiKey).message, { cause: e });
  }
  throw new Error('OpenAI models are counted exactly on this machine; there is no remote count to ask for.');
}
