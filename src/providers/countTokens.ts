// Exact input token counts from the provider itself, on request (never automatically): Anthropic
// messages.countTokens and Gemini models.countTokens have no exact local tokenizer; OpenAI's Responses API has its
// input-token count (responses.inputTokens.count, POST /v1/responses/input_tokens), since its framing of a request is
// not the Chat rule the local count adds; OpenAI's Chat models are counted exactly on this machine.
import type { GenerationRequest } from '../core/protocol/request';
import { toProviderError } from './errors';
import { keyFetch } from './keyFetch';
import { tokenCount } from '../core/protocol/usage';
import { responsesParams } from './openaiResponses';
import { browserOptions } from './browser';

class UnbelievableCount extends Error {}

/** The server has no count endpoint (404): the caller falls back to the local count and says so. */
export class NoCountEndpoint extends Error {
  readonly notFound = true;
}

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
    if (req.api === 'responses' && (req.provider === 'openai' || req.provider === 'openai-compatible')) return await countResponsesInput(req, apiKey, signal);
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
    if (e instanceof UnbelievableCount || e instanceof NoCountEndpoint) throw e;
    throw new Error(toProviderError(req.provider, e, signal?.aborted ?? false, undefined, apiKey).message, { cause: e });
  }
  throw new Error('OpenAI models are counted exactly on this machine; there is no remote count to ask for.');
}

/** OpenAI Responses: the count of the request's input and instructions, as the Responses API frames them. */
async function countResponsesInput(req: GenerationRequest, apiKey: string, signal: AbortSignal | undefined): Promise<RemoteCount> {
  const { default: OpenAI } = await import('openai');
  const client = new OpenAI({
    apiKey: apiKey || 'none',
    ...(apiKey ? {} : { defaultHeaders: { Authorization: null } }),
    baseURL: req.baseUrl || undefined,
    maxRetries: req.maxRetries ?? 2,
    timeout: req.timeoutMs,
    fetch: keyFetch(req.provider, req.baseUrl),
  });
  const { model, input, instructions } = responsesParams(req);
  let r;
  try {
    r = await client.responses.inputTokens.count({ model, input, ...(instructions ? { instructions } : {}) }, { signal });
  } catch (e) {
    // Only this endpoint may be missing (a server with the Responses API but not its count): a 404 from Anthropic or
    // Gemini names a model they do not know, and is said as such.
    if ((e as { status?: unknown } | null)?.status === 404) throw new NoCountEndpoint(`${req.baseUrl || 'The server'} has no input-token count endpoint (404).`, { cause: e });
    throw e;
  }
  return { inputTokens: believed(r.input_tokens, 'OpenAI'), source: 'OpenAI responses.inputTokens.count (POST /v1/responses/input_tokens)' };
}
