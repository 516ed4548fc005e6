// Anthropic Messages API over the official SDK. Usage: input from message_start, output from message_delta.
import Anthropic from '@anthropic-ai/sdk';
import type { MessageCreateParamsStreaming } from '@anthropic-ai/sdk/resources/messages';
import { fastModeNeedsBeta, FAST_MODE_BETA } from '../core/providers/anthropic';
import { mapFinish } from '../core/providers/finish';
import type { Finish, GenerationRequest, Usage } from '../core/protocol/request';
import { makeAdapter, type AdapterContext } from './adapter';
import { browserOptions } from './browser';

export function anthropicParams(req: GenerationRequest): MessageCreateParamsStreaming {
  const params: MessageCreateParamsStreaming = {
    model: req.model,
    max_tokens: req.maxTokens, // required on every call
    messages: req.messages.map((m, i) =>
      // A cache breakpoint after the user's prompt: system prompt + prompt, identical in every continuation round.
      req.cachePrefix && i === 0 ? { role: m.role, content: [{ type: 'text' as const, text: m.content, cache_control: { type: 'ephemeral' as const } }] } : { role: m.role, content: m.content },
    ),
    stream: true,
  };
  if (req.system) params.system = req.system;
  if (req.stop.length) params.stop_sequences = req.stop;
  if (req.temperature !== undefined) params.temperature = req.temperature;
  if (req.topP !== undefined) params.top_p = req.topP;
  if (req.thinkingBudget !== undefined) params.thinking = { type: 'enabled', budget_tokens: req.thinkingBudget };
  // lengthwise.serviceTier "priority" is fast mode, sent only to models that offer it (the plan's tier step).
  if (req.serviceTier === 'priority') params.speed = 'fast';
  return params;
}

/** Headers a request needs besides the SDK's: fast mode's beta header for the models still in its research preview. */
function anthropicHeaders(req: GenerationRequest): Record<string, string> {
  return req.serviceTier === 'priority' && fastModeNeedsBeta(req.model) ? { 'anthropic-beta': FAST_MODE_BETA } : {};
}

interface RawUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  /** Writes split by lifetime; cache_creation_input_tokens is their sum. */
  cache_creation?: { ephemeral_5m_input_tokens?: number | null; ephemeral_1h_input_tokens?: number | null } | null;
  output_tokens_details?: { thinking_tokens?: number | null } | null;
  /** Which speed served the request (fast mode or standard). */
  speed?: string | null;
}

/**
 * Anthropic's input_tokens excludes cache reads and writes; normalized inputTokens includes them.
 * `message_start` carries a placeholder output_tokens (the real API sends 1 before any text): only `message_delta`'s
 * output count is the provider's number, so a stream that ends before it keeps the local count, marked ≈.
 */
export function normalizeAnthropicUsage(u: RawUsage, prev: Partial<Usage>, event: 'message_start' | 'message_delta' = 'message_delta'): Partial<Usage> {
  const cacheRead = u.cache_read_input_tokens ?? prev.cacheReadTokens ?? 0;
  const split = u.cache_creation;
  const splitSum = split ? (split.ephemeral_5m_input_tokens ?? 0) + (split.ephemeral_1h_input_tokens ?? 0) : undefined;
  const cacheWrite = u.cache_creation_input_tokens ?? splitSum ?? prev.cacheWriteTokens ?? 0;
  const out: Partial<Usage> = { ...prev, cacheReadTokens: cacheRead, cacheWriteTokens: cacheWrite };
  if (split?.ephemeral_1h_input_tokens != null) out.cacheWrite1hTokens = split.ephemeral_1h_input_tokens;
  if (u.input_tokens != null) out.inputTokens = u.input_tokens + cacheRead + cacheWrite;
  else if (prev.inputTokens !== undefined) out.inputTokens = prev.inputTokens;
  if (u.output_tokens != null && event === 'message_delta') out.outputTokens = u.output_tokens;
  // thinking tokens are part of output_tokens (billed as output)
  if (u.output_tokens_details?.thinking_tokens != null) out.reasoningTokens = u.output_tokens_details.thinking_tokens;
  return out;
}

async function run(ctx: AdapterContext): Promise<Finish | undefined> {
  const { request: req } = ctx;
  const client = new Anthropic({
    apiKey: ctx.apiKey,
    baseURL: req.baseUrl || undefined,
    maxRetries: ctx.maxRetries,
    timeout: ctx.timeoutMs,
    fetch: ctx.fetch,
    ...browserOptions('anthropic'),
  });
  const stream = await client.messages.create(anthropicParams(req), { signal: ctx.signal, headers: anthropicHeaders(req) });
  let usage: Partial<Usage> = {};
  let finish: Finish | undefined;
  let speed: string | undefined;
  const tier = (u: RawUsage) => {
    if (typeof u.speed !== 'string' || u.speed === speed) return;
    speed = u.speed;
    ctx.emit({ type: 'tier', raw: speed, via: 'usage.speed' });
  };
  for await (const ev of stream) {
    const pause = ctx.pace();
    if (pause) await pause;
    switch (ev.type) {
      case 'message_start':
        ctx.model(ev.message.model);
        usage = normalizeAnthropicUsage(ev.message.usage as RawUsage, usage, 'message_start');
        ctx.emit({ type: 'usage', usage });
        tier(ev.message.usage as RawUsage);
        break;
      case 'content_block_delta':
        if (ev.delta.type === 'text_delta') ctx.text(ev.delta.text);
        break;
      case 'message_delta':
        usage = normalizeAnthropicUsage(ev.usage as RawUsage, usage, 'message_delta');
        ctx.emit({ type: 'usage', usage });
        tier(ev.usage as RawUsage);
        // The matched stop is inserted into the document (includeStopSequence): only one this request sent counts.
        if (ev.delta.stop_reason) finish = mapFinish('anthropic', ev.delta.stop_reason, req.stop.find((s) => s === ev.delta.stop_sequence));
        break;
      default:
        break;
    }
  }
  return finish;
}

/** @public required lazily by providers/index.ts */
export function createAnthropicAdapter() {
  return makeAdapter('anthropic', run);
}
