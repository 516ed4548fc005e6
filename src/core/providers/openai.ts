// OpenAI (api.openai.com): Chat Completions and the Responses API.
import { stripPrefixes } from './modelIds';
import type { CacheFacts, ProviderProfile, TierFacts, TokenizerId } from './profile';

/** OpenAI models that take max_completion_tokens and refuse stop/temperature/top_p: o-series and GPT-5 and later. */
export function isOpenAIReasoningModel(model: string): boolean {
  const id = stripPrefixes(model.trim().toLowerCase());
  // o1, o3, o3-mini, o4-mini-2025-04-16, o1-pro …
  if (/^o\d+(-|$)/.test(id)) return true;
  // gpt-5, gpt-5.2, gpt-5-mini-2025-08-07 …; later major versions are assumed to keep the rules
  // (sending no stop/temperature with a note is safer than a 400).
  if (/^gpt-([5-9]|\d{2,})([.-]|$)/.test(id)) return true;
  return false;
}

/** Unknown OpenAI ids that look like the Responses-only lines (codex, pro). */
function looksResponsesOnly(model: string): boolean {
  const id = model.trim().toLowerCase();
  return /(^|[-.])codex($|-)/.test(id) || /^(o\d+|gpt-\d+(\.\d+)?)-pro($|-)/.test(id);
}

const O200K_MODELS = /^(gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|o1|o3|o4|chatgpt-4o)(\b|-|$)/;
const CL100K_MODELS = /^(gpt-4|gpt-3\.5|gpt-35|text-embedding-ada-002|text-embedding-3)(\b|-|$)/;

/** The tokenizer of an OpenAI model id (also behind a proxy that prefixes the vendor: "openai/gpt-4o"). */
export function openAITokenizer(model: string): TokenizerId | undefined {
  const m = model.trim().toLowerCase().replace(/^openai\//, '');
  if (O200K_MODELS.test(m)) return 'o200k_base';
  if (CL100K_MODELS.test(m)) return 'cl100k_base';
  return undefined;
}

/** Finish values of Chat Completions (the Responses API's status is mapped in core/protocol/finish.ts). */
export const OPENAI_FINISH = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'tool',
  function_call: 'tool',
  content_filter: 'content_filter',
} as const;

/**
 * OpenAI's published counting rule for its chat models (the "How to count tokens with tiktoken" guide): every
 * message costs 3 tokens beyond its content (role and separators) and every reply is primed with 3 more.
 */
export const OPENAI_FRAMING = { perMessage: 3, replyPriming: 3 };

/**
 * OpenAI's tiers: service_tier "flex" (priced at Batch API rates: developers.openai.com/api/docs/guides/flex-processing)
 * and "priority" (its own per-model rates: openai.com/api-priority-processing). Which models offer flex is listed only
 * on the pricing page, so the tier is sent and a refusal is told: a 429 "Resource Unavailable" when flex has no
 * capacity (not billed), a 400 "Unsupported service_tier" for a model without it. The response's service_tier says
 * which tier served ("default" = standard); it may differ from the one asked for.
 */
export const OPENAI_TIERS: TierFacts = {
  flex: { wire: 'service_tier: "flex"', offers: () => undefined, price: { fractionOfStandard: 0.5, source: 'OpenAI flex processing: priced at Batch API rates, 50% off (developers.openai.com/api/docs/guides/flex-processing)' } },
  priority: { wire: 'service_tier: "priority"', offers: () => undefined, price: 'table' },
  served: { default: 'standard', flex: 'flex', priority: 'priority' },
  servedFrom: "the response's service_tier",
  refusals: [
    { tier: 'flex', status: [429], says: ['resource unavailable', 'resource_unavailable'], why: 'busy' },
    { tier: 'flex', status: [400], says: ['service_tier', 'service tier'], why: 'not-offered' },
    { tier: 'priority', status: [400], says: ['service_tier', 'service tier'], why: 'not-offered' },
  ],
};

/** OpenAI caches prompts of 1,024 tokens or more, in steps of 128 (platform.openai.com/docs/guides/prompt-caching). */
export const OPENAI_CACHE: CacheFacts = { minPrefixTokens: () => 1024, source: 'OpenAI prompt caching: prompts of 1,024 tokens or more (platform.openai.com/docs/guides/prompt-caching)' };

export const openai: ProviderProfile = {
  id: 'openai',
  label: 'OpenAI',
  keyEnv: 'OPENAI_API_KEY',
  keyRequired: true,
  keyHeader: 'authorization',
  transport: 'http',
  officialHost: 'api.openai.com',
  defaultHost: 'api.openai.com',
  needsBaseUrl: false,
  serves: ['openai'],
  customVendor: 'openai',
  finish: OPENAI_FINISH,
  stops: { max: 4, visibleCharRequired: false },
  temperatureMax: 2,
  thinking: 'none',
  guess(modelId) {
    const reasoning = isOpenAIReasoningModel(modelId);
    const id = modelId.trim().toLowerCase();
    return {
      reasoning,
      thinking: reasoning ? 'openai-reasoning' : 'none',
      onlyDefaultSampling: false,
      responsesOnly: looksResponsesOnly(modelId),
      verbosity: /^gpt-([5-9]|\d{2,})/.test(id) && !/chat-latest|codex/.test(id),
    };
  },
  openaiApis: 'by-model',
  serverLimits: false,
  asksGatewayCost: false,
  framing: OPENAI_FRAMING,
  tokenizer: openAITokenizer,
  exactCount: 'local',
  responsesInputCount: true,
  batch: { fraction: 0.5, source: 'OpenAI Batch API: 50% off (openai.com/api/pricing)' },
  priceId: 'openai',
  // OpenAI's pricing page bills GPT-5.4 and later at the long-context rates for prompts "above 272K" input tokens;
  // @pydantic/genai-prices 0.1.8 starts those tiers at 271,999, which would bill a 272,000-token prompt at them.
  priceTierStarts: { 271_999: 272_000 },
  telemetryName: 'openai',
  // The openai SDK supports browsers (its dangerouslyAllowBrowser option; a web worker is not refused at all).
  web: { cors: 'open', fix: 'api.openai.com answers browsers; a proxy in lengthwise.baseUrl must allow this origin itself.' },
  tiers: OPENAI_TIERS,
  cache: OPENAI_CACHE,
};
