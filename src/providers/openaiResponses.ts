// OpenAI Responses API over the official SDK (client.responses.create, stream: true): the models served only there
// (codex, pro) and anyone who sets lengthwise.openaiApi to "responses". The SDK parses the event stream.
import type OpenAI from 'openai';
import type { ResponseCreateParamsStreaming, ResponseInputItem, ResponseUsage } from 'openai/resources/responses/responses';
import { mapResponsesFinish } from '../core/protocol/finish';
import type { Finish, GenerationRequest, Usage } from '../core/protocol/request';
import type { AdapterContext } from './adapter';
import { reportCosts, reportUsageCost } from './openaiCost';

/** The body sent over the wire (a batch sends it without `stream`). */
export function responsesParams(req: GenerationRequest): ResponseCreateParamsStreaming {
  // No assistant prefill exists here: a continuation is the answer so far as an assistant turn plus a user turn.
  const input: ResponseInputItem[] = req.messages.map((m) => ({ role: m.role, content: m.content }));
  const params: ResponseCreateParamsStreaming = {
    model: req.model,
    input,
    stream: true,
    // Reasoning tokens count inside max_output_tokens, like max_completion_tokens on Chat.
    max_output_tokens: req.maxTokens,
    // Nothing kept on OpenAI's side unless asked: Lengthwise never refers back to a stored response.
    store: req.store ?? false,
  };
  if (req.system) params.instructions = req.system;
  if (req.verbosity) params.text = { verbosity: req.verbosity };
  if (req.serviceTier) params.service_tier = req.serviceTier;
  if (req.reasoningEffort) params.reasoning = { effort: req.reasoningEffort };
  if (!req.reasoningModel) {
    if (req.temperature !== undefined) params.temperature = req.temperature;
    if (req.topP !== undefined) params.top_p = req.topP;
  }
  return params;
}

/** input_tokens includes cached_tokens; output_tokens includes reasoning_tokens (as on Chat). */
export function normalizeResponsesUsage(u: Partial<ResponseUsage> | null | undefined): Partial<Usage> {
  if (!u) return {};
  const out: Partial<Usage> = { inputTokens: u.input_tokens ?? 0, outputTokens: u.output_tokens ?? 0 };
  const cached = u.input_tokens_details?.cached_tokens;
  const reasoning = u.output_tokens_details?.reasoning_tokens;
  if (typeof cached === 'number') out.cacheReadTokens = cached;
  if (typeof reasoning === 'number') out.reasoningTokens = reasoning;
  return out;
}

interface FinalResponse {
  status?: string | null;
  /** The tier that served the response (may differ from the one asked for). */
  service_tier?: string | null;
  incomplete_details?: { reason?: string | null } | null;
  error?: { code?: string | null; message?: string | null } | null;
  usage?: Partial<ResponseUsage> | null;
}

export async function runResponses(ctx: AdapterContext, client: OpenAI): Promise<Finish | undefined> {
  const { request: req } = ctx;
  const { data: stream, response } = await client.responses.create(responsesParams(req), { signal: ctx.signal }).withResponse();
  reportCosts(ctx, response.headers);
  let finish: Finish | undefined;
  let hadText = false;
  let refused = false;
  const end = (r: FinalResponse | undefined) => {
    if (!r) return;
    if (typeof r.service_tier === 'string') ctx.emit({ type: 'tier', raw: r.service_tier, via: 'service_tier' });
    if (r.usage) {
      ctx.emit({ type: 'usage', usage: normalizeResponsesUsage(r.usage) });
      reportUsageCost(ctx, r.usage);
    }
    finish = mapResponsesFinish(r.status, r.incomplete_details?.reason, hadText);
    if (r.status === 'failed') {
      const e = r.error;
      ctx.emit({
        type: 'error',
        error: { kind: 'other', message: `OpenAI could not finish the response${e?.code ? ` (${e.code})` : ''}: ${(e?.message ?? 'no reason given').replace(/\.\s*$/, '')}. The text received so far is kept.` },
      });
    }
  };
  for await (const ev of stream) {
    const pause = ctx.pace();
    if (pause) await pause;
    switch (ev.type) {
      case 'response.output_text.delta':
      case 'response.refusal.delta':
        // A refusal arrives as its own text, with status "completed": show it, and say so in the finish.
        if (ev.type === 'response.refusal.delta') refused = true;
        if (ev.delta) {
          hadText = true;
          ctx.text(ev.delta);
        }
        break;
      case 'response.completed':
      case 'response.incomplete':
      case 'response.failed':
        end(ev.response as FinalResponse);
        break;
      case 'error':
        ctx.emit({ type: 'error', error: { kind: 'other', message: `OpenAI stream error${ev.code ? ` (${ev.code})` : ''}: ${String(ev.message ?? '').replace(/\.\s*$/, '')}. The text received so far is kept.` } });
        finish = mapResponsesFinish('failed', undefined, hadText);
        break;
      default:
        break;
    }
  }
  if (refused && finish?.reason === 'stop') return { raw: 'completed:refusal', reason: 'content_filter', truncated: false };
  return finish;
}
