// Gemini over @google/genai. Thinking tokens are billed as output: outputTokens = candidates + thoughts.
import { GoogleGenAI, type GenerateContentConfig, type GenerateContentParameters, type ServiceTier as GeminiServiceTier } from '@google/genai';
import { boundRaw } from '../core/protocol/finish';
import { mapFinish } from '../core/providers/finish';
import type { Finish, GenerationRequest, Usage } from '../core/protocol/request';
import { makeAdapter, type AdapterContext } from './adapter';

export function geminiParams(req: GenerationRequest): GenerateContentParameters {
  const config: GenerateContentConfig = { maxOutputTokens: req.maxTokens };
  if (req.stop.length) config.stopSequences = req.stop;
  if (req.system) config.systemInstruction = req.system;
  if (req.temperature !== undefined) config.temperature = req.temperature;
  if (req.topP !== undefined) config.topP = req.topP;
  if (req.thinkingBudget !== undefined) config.thinkingConfig = { thinkingBudget: req.thinkingBudget };
  // The SDK puts it in the request body as serviceTier ("flex" / "priority").
  if (req.serviceTier) config.serviceTier = req.serviceTier as GeminiServiceTier;
  return {
    model: req.model,
    contents: req.messages.map((m) => ({ role: m.role === 'assistant' ? 'model' : 'user', parts: [{ text: m.content }] })),
    config,
  };
}

interface RawUsage {
  serviceTier?: string;
  promptTokenCount?: number;
  candidatesTokenCount?: number;
  thoughtsTokenCount?: number;
  cachedContentTokenCount?: number;
}

export function normalizeGeminiUsage(u: RawUsage): Partial<Usage> {
  const thoughts = u.thoughtsTokenCount ?? 0;
  return {
    inputTokens: u.promptTokenCount ?? 0, // includes cachedContentTokenCount
    cacheReadTokens: u.cachedContentTokenCount ?? 0,
    outputTokens: (u.candidatesTokenCount ?? 0) + thoughts,
    reasoningTokens: thoughts,
  };
}

/** The response header that names the tier that served (Priority past its limit is served at Standard). */
const SERVED_TIER_HEADER = 'x-gemini-service-tier';

async function run(ctx: AdapterContext): Promise<Finish | undefined> {
  const { request: req } = ctx;
  let servedHeader: string | undefined;
  const ai = new GoogleGenAI({
    apiKey: ctx.apiKey,
    httpOptions: {
      baseUrl: req.baseUrl || undefined,
      timeout: ctx.timeoutMs,
      fetch: async (input, init) => {
        const res = await ctx.fetch(input, init);
        servedHeader = res.headers.get(SERVED_TIER_HEADER) ?? servedHeader;
        return res;
      },
      // @google/genai does not retry unless asked; same retry count as the other SDKs.
      retryOptions: { attempts: ctx.maxRetries + 1, initialDelay: 1, maxDelay: 30 },
    },
  });
  const params = geminiParams(req);
  params.config = { ...params.config, abortSignal: ctx.signal };
  const stream = await ai.models.generateContentStream(params);
  let finish: Finish | undefined;
  // Gemini repeats a cumulative usageMetadata on every chunk: kept and reported once at the end, so text chunks
  // stay joined per event-loop turn and a stream cut off midway is counted locally (labelled an estimate).
  let usage: Partial<Usage> | undefined;
  let servedInUsage: string | undefined;
  for await (const chunk of stream) {
    const pause = ctx.pace();
    if (pause) await pause;
    const cand = chunk.candidates?.[0];
    for (const part of cand?.content?.parts ?? []) {
      if (part.text && !part.thought) ctx.text(part.text);
    }
    if (chunk.usageMetadata) {
      usage = normalizeGeminiUsage(chunk.usageMetadata);
      const t = (chunk.usageMetadata as RawUsage).serviceTier;
      if (typeof t === 'string') servedInUsage = t;
    }
    if (cand?.finishReason) finish = mapFinish('gemini', cand.finishReason);
    const blocked = chunk.promptFeedback?.blockReason;
    if (blocked && !finish) finish = { raw: boundRaw(blocked), reason: 'content_filter', truncated: false };
  }
  if (usage) ctx.emit({ type: 'usage', usage });
  if (servedHeader !== undefined) ctx.emit({ type: 'tier', raw: servedHeader, via: SERVED_TIER_HEADER });
  else if (servedInUsage !== undefined) ctx.emit({ type: 'tier', raw: servedInUsage, via: 'usageMetadata.serviceTier' });
  return finish;
}

/** @public required lazily by providers/index.ts */
export function createGeminiAdapter() {
  // p-retry's exponential schedule (1 s, 2 s, …) when the server gives no Retry-After.
  return makeAdapter('gemini', run, (attempt) => Math.min(30, 2 ** (attempt - 1)));
}
