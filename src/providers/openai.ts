// OpenAI Chat Completions over the official SDK; also any OpenAI-compatible server through baseUrl.
import OpenAI from 'openai';
import type { ChatCompletionCreateParamsStreaming, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { mapFinish } from '../core/providers/finish';
import type { Finish, GenerationRequest, ProviderId, Usage } from '../core/protocol/request';
import { makeAdapter, type AdapterContext } from './adapter';
import { boundedReads } from './boundedReads';
import { reportCosts, reportUsageCost } from './openaiCost';
import { runResponses } from './openaiResponses';

/** The body sent over the wire (exported for tests and logs). */
export function openAIParams(req: GenerationRequest): ChatCompletionCreateParamsStreaming {
  const messages: ChatCompletionMessageParam[] = [];
  // Reasoning models take instructions as a developer message; classic models as system.
  if (req.system) messages.push({ role: req.reasoningModel ? 'developer' : 'system', content: req.system });
  for (const m of req.messages) messages.push({ role: m.role, content: m.content });
  const params: ChatCompletionCreateParamsStreaming = {
    model: req.model,
    messages,
    stream: true,
    stream_options: { include_usage: true },
  };
  if (req.verbosity) params.verbosity = req.verbosity;
  if (req.reasoningEffort) params.reasoning_effort = req.reasoningEffort;
  if (req.serviceTier) params.service_tier = req.serviceTier;
  // OpenRouter puts the billed cost in the usage only when asked.
  if (req.askCost) (params as unknown as Record<string, unknown>).usage = { include: true };
  if (req.reasoningModel) {
    // o-series / gpt-5: max_completion_tokens only (reasoning tokens count inside it); no stop, temperature, top_p.
    params.max_completion_tokens = req.maxTokens;
  } else {
    params.max_tokens = req.maxTokens;
    if (req.stop.length) params.stop = req.stop;
    if (req.temperature !== undefined) params.temperature = req.temperature;
    if (req.topP !== undefined) params.top_p = req.topP;
  }
  return params;
}

interface RawUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number | null } | null;
  completion_tokens_details?: { reasoning_tokens?: number | null } | null;
}

/** prompt_tokens already includes cached_tokens; completion_tokens already includes reasoning_tokens. */
export function normalizeOpenAIUsage(u: RawUsage): Partial<Usage> {
  return {
    inputTokens: u.prompt_tokens ?? 0,
    outputTokens: u.completion_tokens ?? 0,
    cacheReadTokens: u.prompt_tokens_details?.cached_tokens ?? 0,
    reasoningTokens: u.completion_tokens_details?.reasoning_tokens ?? 0,
  };
}

async function run(ctx: AdapterContext): Promise<Finish | undefined> {
  const { request: req } = ctx;
  const client = new OpenAI({
    // The SDK insists on a key; a server without auth gets none: null removes the SDK's Authorization header.
    apiKey: ctx.apiKey || 'none',
    ...(ctx.apiKey ? {} : { defaultHeaders: { Authorization: null } }),
    baseURL: req.baseUrl || undefined,
    maxRetries: ctx.maxRetries,
    timeout: ctx.timeoutMs,
    fetch: async (input, init) => boundedReads(await ctx.fetch(input, init)),
  });
  if (req.api === 'responses') return runResponses(ctx, client);
  const { data: stream, response } = await client.chat.completions.create(openAIParams(req), { signal: ctx.signal }).withResponse();
  reportCosts(ctx, response.headers);
  let finish: Finish | undefined;
  let tier: string | undefined;
  for await (const chunk of stream) {
    const pause = ctx.pace();
    if (pause) await pause;
    // Every chunk names the tier serving it; told once, and again only if it changes.
    if (typeof chunk.service_tier === 'string' && chunk.service_tier !== tier) {
      tier = chunk.service_tier;
      ctx.emit({ type: 'tier', raw: tier, via: 'service_tier' });
    }
    const choice = chunk.choices?.[0];
    if (choice) {
      const delta = choice.delta as { content?: string | null; refusal?: string | null } | undefined;
      if (delta?.content) ctx.text(delta.content);
      // A refusal arrives as text in `refusal`, not as a finish reason: show it, and say so in the finish.
      if (delta?.refusal) ctx.text(delta.refusal);
      if (choice.finish_reason) finish = mapFinish('openai', choice.finish_reason);
      if (delta?.refusal && !finish) finish = { raw: 'refusal', reason: 'content_filter', truncated: false };
    }
    if (chunk.usage) {
      ctx.emit({ type: 'usage', usage: normalizeOpenAIUsage(chunk.usage) });
      reportUsageCost(ctx, chunk.usage);
    }
  }
  return finish;
}

/** @public required lazily by providers/index.ts */
export function createOpenAIAdapter(id: Extract<ProviderId, 'openai' | 'openai-compatible'> = 'openai') {
  return makeAdapter(id, run);
}
