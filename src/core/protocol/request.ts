// The one request shape and the one event stream shared by every provider adapter.
// Pure data: no vscode, no SDK imports.

export const PROVIDERS = ['openai', 'anthropic', 'gemini', 'openai-compatible', 'vscode-lm'] as const;
export type ProviderId = (typeof PROVIDERS)[number];

export interface ChatMessage {
  role: 'user' | 'assistant';
  content: string;
}

/** A request after validation, clamping and translation decisions: what the adapter sends, nothing more. */
export interface GenerationRequest {
  provider: ProviderId;
  model: string;
  /** Endpoint override; undefined = the SDK's default host. */
  baseUrl?: string;
  messages: ChatMessage[];
  system?: string;
  /** The length hint sentence that `system` ends with, when one was added (for the log and the ledger). */
  lengthHint?: string;
  /** Effective output cap (already clamped to the model's limits). */
  maxTokens: number;
  /** Stop sequences that will actually be sent (empty when the model refuses `stop`). */
  stop: string[];
  /** undefined = not sent (provider default). */
  temperature?: number;
  topP?: number;
  /** Anthropic budget_tokens / Gemini thinkingBudget; undefined = not sent. */
  thinkingBudget?: number;
  /** OpenAI: send max_completion_tokens and no stop/temperature/top_p. */
  reasoningModel?: boolean;
  /** OpenAI: which API carries the request (undefined = Chat Completions). */
  api?: OpenAIApi;
  /** OpenAI verbosity (`verbosity` on Chat, `text.verbosity` on Responses); undefined = not sent. */
  verbosity?: Verbosity;
  /** OpenAI reasoning effort (`reasoning_effort` / `reasoning.effort`); undefined = not sent. */
  reasoningEffort?: 'minimal' | 'low' | 'medium' | 'high';
  /** Responses API: let OpenAI keep the response (default false: nothing stored server-side). */
  store?: boolean;
  /** Ask the gateway to put the billed cost in the usage (OpenRouter `usage: {include: true}`). */
  askCost?: boolean;
  /** Per-attempt timeout for the SDK (ms). */
  timeoutMs?: number;
  /** Retries the SDK may make itself (429/5xx/network). */
  maxRetries?: number;
  /**
   * Continuation rounds resend the same conversation start (system prompt and the user's prompt): mark it for the
   * provider's prompt cache where it needs marking (Anthropic cache_control; OpenAI caches long prefixes by itself).
   */
  cachePrefix?: boolean;
  /** The processing tier asked for (lengthwise.serviceTier); undefined = standard: nothing is sent. */
  serviceTier?: PaidTier;
}

/** Processing tiers (lengthwise.serviceTier): the same answer at different speeds and prices. */
export const SERVICE_TIERS = ['standard', 'flex', 'priority'] as const;
export type ServiceTier = (typeof SERVICE_TIERS)[number];
/** The tiers that are asked for by name (standard is what a request without a tier gets). */
export type PaidTier = Exclude<ServiceTier, 'standard'>;

export type OpenAIApi = 'chat' | 'responses';
export const VERBOSITIES = ['low', 'medium', 'high'] as const;
export type Verbosity = (typeof VERBOSITIES)[number];

/** @public the normalized finish reasons, for consumers that list them */
export const FINISH_REASONS = ['stop', 'length', 'tool', 'content_filter', 'pause', 'cancelled', 'error', 'other'] as const;
export type FinishReason = (typeof FINISH_REASONS)[number];

export interface Finish {
  /** The provider's own value, kept verbatim. */
  raw: string;
  reason: FinishReason;
  /** True when the answer is incomplete and can be continued. */
  truncated: boolean;
  /** The stop sequence that matched, when the provider says (Anthropic). */
  stopSequence?: string;
}

/**
 * Normalized usage. Subsets, so cost can be computed the same way for every provider:
 * - inputTokens: every input token of the request, cached or not;
 * - cacheReadTokens, cacheWriteTokens: parts of inputTokens (cacheWriteTokens = every cache write);
 * - cacheWrite1hTokens: the part of cacheWriteTokens written for 1 hour (Anthropic `ttl: "1h"`, priced higher);
 * - outputTokens: every output token, reasoning/thinking included;
 * - reasoningTokens: part of outputTokens.
 */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  cacheWrite1hTokens?: number;
  reasoningTokens?: number;
}

/**
 * Where usage figures come from: the provider's billed usage, the model's own tokenizer through its host (VS Code's
 * language models report no usage: their countTokens is exact for the model, not a bill), or a local estimate.
 */
export type UsageSource = 'provider' | 'model' | 'estimate';

/** The less trusted of two sources (a chain or job is as sure as its least sure part). */
export function weakerSource(a: UsageSource | undefined, b: UsageSource): UsageSource {
  const rank: Record<UsageSource, number> = { estimate: 0, model: 1, provider: 2 };
  return a === undefined || rank[b] < rank[a] ? b : a;
}

/** The optional counts of a Usage, for code that copies or adds them. */
export const OPTIONAL_USAGE_KEYS = ['cacheReadTokens', 'cacheWriteTokens', 'cacheWrite1hTokens', 'reasoningTokens'] as const;

/** @public the normalized error kinds, for consumers that list them */
export const ERROR_KINDS = [
  'auth',
  'rate_limit',
  'overloaded',
  'bad_request',
  'context_length',
  'network',
  'timeout',
  'cancelled',
  'other',
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

export interface ProviderError {
  kind: ErrorKind;
  /** For a person: what happened and what to do. Never contains a key. */
  message: string;
  status?: number;
  retryAfterSeconds?: number;
  /** The provider refused an assistant-prefill conversation (continuation falls back). */
  prefillRefused?: boolean;
  /** The provider refused the tier asked for (flex without capacity, or not sold for the model): nothing was billed. */
  tierRefused?: PaidTier;
}

export type ProviderEvent =
  | { type: 'text'; text: string }
  /**
   * Provider-reported usage so far; later events replace earlier ones field by field. `source` 'model': counted by
   * the model's own tokenizer, not billed usage (VS Code's language models).
   */
  | { type: 'usage'; usage: Partial<Usage>; source?: 'model' }
  /** The SDK is waiting before a retry (429 / 5xx), e.g. "rate limited — retrying in 12 s". */
  | { type: 'retry'; status: number; waitSeconds: number; attempt: number }
  | { type: 'error'; error: ProviderError }
  /**
   * A cost the server reported for this request, as it came (validated in core before use): OpenRouter and other
   * gateways put it in `usage.cost`, a LiteLLM proxy in the `x-litellm-response-cost` header.
   */
  | { type: 'cost'; reported: unknown; via: 'usage.cost' | 'x-litellm-response-cost' }
  /**
   * The tier the provider says served the request, as it said it (OpenAI `service_tier`, Gemini's
   * x-gemini-service-tier header, Anthropic `usage.speed`); read through the provider's profile in core.
   */
  | { type: 'tier'; raw: string; via: string }
  /** Always the last event, exactly once. */
  | { type: 'finish'; finish: Finish };

export interface StreamOptions {
  apiKey: string;
  signal?: AbortSignal;
}

export interface ProviderAdapter {
  readonly id: ProviderId;
  stream(request: GenerationRequest, options: StreamOptions): AsyncIterable<ProviderEvent>;
}
