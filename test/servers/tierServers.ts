// Small servers shaped like the documented endpoints for processing tiers, which no emulator covers (aimock ignores
// service_tier): each records the body and headers it got, and says which tier served as the provider does.
// - OpenAI Chat Completions: every chunk carries `service_tier` (the tier that served; "default" = standard).
// - OpenAI Responses: the terminal event's `response.service_tier`.
// - OpenAI flex without capacity: HTTP 429 with an error of type/code "resource_unavailable" ("a 429 Resource
//   Unavailable error", developers.openai.com/api/docs/guides/flex-processing; the exact body is not published).
// - Gemini streamGenerateContent: the `x-gemini-service-tier` response header (and usageMetadata.serviceTier); flex
//   without capacity: 503 UNAVAILABLE in Google's error shape.
// - Anthropic Messages: `usage.speed` ("fast" / "standard") in message_start and message_delta.
// Real HTTP on 127.0.0.1, port 0.
import { chatStream, chunk, startShaped, type Route, type Seen, type Shaped } from './shapedServer';

export type Served = (seen: Seen) => string | undefined;

/** What each tier is served as: as asked, unless `served` says otherwise (a downgrade), or refused (flex busy). */
export interface TierPlan {
  served?: Served;
  refuseFlex?: boolean;
}

const asked = (s: Seen, field: string): string | undefined => (s.body as Record<string, unknown>)[field] as string | undefined;

function openaiChat(plan: TierPlan): Route {
  return (s, res) => {
    const tier = asked(s, 'service_tier');
    if (plan.refuseFlex && tier === 'flex') {
      res.writeHead(429, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'Resource Unavailable: flex processing has no capacity for this request right now. Please retry later or use the default service tier.', type: 'resource_unavailable', param: null, code: 'resource_unavailable' } }));
      return;
    }
    const served = plan.served?.(s) ?? (tier === undefined ? 'default' : tier);
    const model = String(asked(s, 'model'));
    const withTier = (c: object) => ({ ...c, service_tier: served, system_fingerprint: 'fp_local' });
    chatStream([
      withTier(chunk(model, { role: 'assistant', content: 'Tiered ' })),
      withTier(chunk(model, { content: 'answer.' })),
      withTier(chunk(model, {}, 'stop')),
      withTier(chunk(model, {}, null, { prompt_tokens: 10_000, completion_tokens: 1_000, total_tokens: 11_000, prompt_tokens_details: { cached_tokens: 2_000 }, completion_tokens_details: { reasoning_tokens: 0 } })),
    ])(s, res);
  };
}

function openaiResponses(plan: TierPlan): Route {
  return (s, res) => {
    const tier = asked(s, 'service_tier');
    const served = plan.served?.(s) ?? (tier === undefined ? 'default' : tier);
    const response = (status: string, extra: object) => ({ id: 'resp_1', object: 'response', created_at: 1, model: asked(s, 'model'), output: [], status, service_tier: served, ...extra });
    const events = [
      // The created event echoes the tier asked for; the terminal one says which served.
      { type: 'response.created', response: response('in_progress', { service_tier: tier ?? 'auto' }) },
      { type: 'response.output_text.delta', item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'Tiered answer.', logprobs: [] },
      { type: 'response.completed', response: response('completed', { usage: { input_tokens: 10_000, input_tokens_details: { cached_tokens: 2_000 }, output_tokens: 1_000, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 11_000 } }) },
    ];
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    events.forEach((e, i) => res.write(`event: ${e.type}\ndata: ${JSON.stringify({ ...e, sequence_number: i })}\n\n`));
    res.end();
  };
}

function gemini(plan: TierPlan): Route {
  return (s, res) => {
    const tier = asked(s, 'serviceTier');
    if (plan.refuseFlex && tier === 'flex') {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 503, message: 'The model is overloaded. Please try again later.', status: 'UNAVAILABLE' } }));
      return;
    }
    const served = plan.served?.(s) ?? tier ?? 'standard';
    res.writeHead(200, { 'content-type': 'text/event-stream', 'x-gemini-service-tier': served });
    const texts = ['Tiered ', 'answer.'];
    texts.forEach((t, i) => {
      const last = i === texts.length - 1;
      const c = {
        candidates: [{ content: { parts: [{ text: t }], role: 'model' }, index: 0, ...(last ? { finishReason: 'STOP' } : {}) }],
        usageMetadata: { promptTokenCount: 10_000, cachedContentTokenCount: 2_000, candidatesTokenCount: last ? 1_000 : 500, totalTokenCount: 11_000, serviceTier: served },
        modelVersion: asked(s, 'model') ?? 'gemini',
      };
      res.write(`data: ${JSON.stringify(c)}\r\n\r\n`);
    });
    res.end();
  };
}

function anthropic(plan: TierPlan): Route {
  return (s, res) => {
    const speed = plan.served?.(s) ?? (asked(s, 'speed') === 'fast' ? 'fast' : 'standard');
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const send = (type: string, data: object) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
    const usage = (out: number) => ({ input_tokens: 8_000, cache_read_input_tokens: 2_000, cache_creation_input_tokens: 0, output_tokens: out, service_tier: 'standard', speed });
    send('message_start', { message: { id: 'msg_local', type: 'message', role: 'assistant', content: [], model: asked(s, 'model'), stop_reason: null, stop_sequence: null, usage: usage(1) } });
    send('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
    send('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Tiered answer.' } });
    send('content_block_stop', { index: 0 });
    send('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: usage(1_000) });
    send('message_stop', {});
    res.end();
  };
}

/** One server for all four endpoints; `plan()` is read on every request. */
export function startTierServer(plan: () => TierPlan): Promise<Shaped> {
  const route = (make: (p: TierPlan) => Route): Route => (s, res) => make(plan())(s, res);
  return startShaped({
    'POST /v1/chat/completions': route(openaiChat),
    'POST /v1/responses': route(openaiResponses),
    'POST /v1beta/models/gemini-3.8-flash:streamGenerateContent?alt=sse': route(gemini),
    'POST /v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse': route(gemini),
    'POST /v1/messages': route(anthropic),
  });
}
