// Google Gemini (generativelanguage.googleapis.com): the Gemini API through @google/genai.
import { entryForModel } from './modelIds';
import type { CacheFacts, ProviderProfile, TierFacts } from './profile';

/**
 * Gemini's Flex and Priority inference (ai.google.dev/gemini-api/docs/flex-inference, priority-inference,
 * optimization; stored copies read 2026-12-07): `serviceTier` in the request; Flex at a 50% discount and
 * best-effort (a 503 UNAVAILABLE when there is no capacity), Priority at 75–100% more than Standard and downgraded
 * to Standard past its limit, which the x-gemini-service-tier response header says (the SDK's
 * usageMetadata.serviceTier carries the same).
 */
const GEMINI_TIERS: TierFacts = {
  flex: { wire: 'serviceTier: "flex"', offers: () => undefined, price: { fractionOfStandard: 0.5, source: 'Gemini Flex inference: 50% discount (ai.google.dev/gemini-api/docs/optimization)' } },
  priority: { wire: 'serviceTier: "priority"', offers: () => undefined, price: 'table' },
  served: { standard: 'standard', flex: 'flex', priority: 'priority', service_tier_standard: 'standard', service_tier_flex: 'flex', service_tier_priority: 'priority' },
  servedFrom: 'the x-gemini-service-tier response header (usageMetadata.serviceTier)',
  refusals: [
    { tier: 'flex', status: [503], says: ['unavailable', 'high demand', 'overloaded'], why: 'busy' },
    { tier: 'flex', status: [400], says: ['service_tier', 'servicetier', 'service tier'], why: 'not-offered' },
    { tier: 'priority', status: [400], says: ['service_tier', 'servicetier', 'service tier'], why: 'not-offered' },
  ],
};

/** Implicit caching's minimum per model (ai.google.dev/gemini-api/docs/caching, stored copy updated 2026-10-13). */
const GEMINI_CACHE_MIN: Readonly<Record<string, number>> = {
  'gemini-4-argon': 4096,
  'gemini-3.8-flash': 4096,
  'gemini-3.7-flash': 4096,
  'gemini-3.6-flash': 4096,
  'gemini-3.5-flash': 4096,
  'gemini-3.1-pro-preview': 4096,
  'gemini-2.5-flash': 2048,
  'gemini-2.5-pro': 2048,
};
const GEMINI_CACHE: CacheFacts = {
  minPrefixTokens(model) {
    return entryForModel(GEMINI_CACHE_MIN, model)?.value;
  },
  source: "Gemini implicit caching: the model's minimum (ai.google.dev/gemini-api/docs/caching, 2026-10-13)",
};

export const gemini: ProviderProfile = {
  id: 'gemini',
  label: 'Gemini',
  keyEnv: 'GEMINI_API_KEY',
  keyRequired: true,
  keyHeader: 'x-goog-api-key',
  transport: 'http',
  officialHost: 'generativelanguage.googleapis.com',
  defaultHost: 'generativelanguage.googleapis.com',
  needsBaseUrl: false,
  serves: ['gemini'],
  customVendor: 'gemini',
  finish: {
    FINISH_REASON_UNSPECIFIED: 'other',
    STOP: 'stop',
    MAX_TOKENS: 'length',
    SAFETY: 'content_filter',
    RECITATION: 'content_filter',
    LANGUAGE: 'content_filter',
    OTHER: 'other',
    BLOCKLIST: 'content_filter',
    PROHIBITED_CONTENT: 'content_filter',
    SPII: 'content_filter',
    MALFORMED_FUNCTION_CALL: 'tool',
    IMAGE_SAFETY: 'content_filter',
    IMAGE_PROHIBITED_CONTENT: 'content_filter',
    IMAGE_RECITATION: 'content_filter',
    IMAGE_OTHER: 'other',
    NO_IMAGE: 'other',
    UNEXPECTED_TOOL_CALL: 'tool',
    TOO_MANY_TOOL_CALLS: 'tool',
    // Hit the per-request token limit with generation not yet complete: a truncation.
    CONTINUATION: 'length',
  },
  stops: { max: 5, visibleCharRequired: false },
  temperatureMax: 2,
  thinking: 'gemini-budget',
  // Gemini 4 and later set thinking by levels, not a token budget (the catalog's Gemini 4 entries say so).
  guess: (modelId) => ({ reasoning: false, thinking: /^(models\/)?gemini-([4-9]|\d{2,})[.-]/.test(modelId.trim().toLowerCase()) ? 'adaptive' : 'gemini-budget', onlyDefaultSampling: false, responsesOnly: false, verbosity: false }),
  openaiApis: undefined,
  serverLimits: false,
  asksGatewayCost: false,
  framing: undefined,
  // No local Gemini tokenizer: models.countTokens or the response's usage.
  tokenizer: () => undefined,
  exactCount: 'remote',
  responsesInputCount: false,
  batch: { fraction: 0.5, source: 'Gemini Batch Mode: 50% of the interactive price (ai.google.dev/gemini-api/docs/batch-mode)' },
  priceId: 'google',
  priceTierStarts: {},
  telemetryName: 'gcp.gemini',
  // @google/genai ships a browser build and documents the same set-up in a browser (its README, "Browser").
  web: { cors: 'open', fix: 'the Gemini API answers browsers; a proxy in lengthwise.baseUrl must allow this origin itself.' },
  tiers: GEMINI_TIERS,
  cache: GEMINI_CACHE,
};
