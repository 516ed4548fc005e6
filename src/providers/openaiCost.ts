// Costs a server reports beside the answer, passed on as `cost` events (core validates them): LiteLLM's
// `x-litellm-response-cost` response header (also on streamed responses, where the proxy sends it) and a
// `cost` in the usage object (OpenRouter, and any OpenAI-compatible server that adds one).
import type { AdapterContext } from './adapter';

const LITELLM_COST_HEADER = 'x-litellm-response-cost';

export function reportCosts(ctx: AdapterContext, headers: Headers): void {
  const v = headers.get(LITELLM_COST_HEADER);
  // LiteLLM writes "None" when it could not price the call: nothing was reported then.
  if (v !== null && v.trim() !== '' && v.trim() !== 'None') ctx.emit({ type: 'cost', reported: v, via: LITELLM_COST_HEADER });
}

/** The `cost` field of a usage object, when the server sent one. */
export function reportUsageCost(ctx: AdapterContext, usage: unknown): void {
  if (usage && typeof usage === 'object' && 'cost' in usage) {
    const cost = (usage as { cost?: unknown }).cost;
    if (cost !== undefined && cost !== null) ctx.emit({ type: 'cost', reported: cost, via: 'usage.cost' });
  }
}
