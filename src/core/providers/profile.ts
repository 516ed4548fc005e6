// What a provider is, as one typed record: every fact the rest of core asks about a provider lives in its profile
// (core/providers/<provider>.ts), so adding a provider is its profile plus its adapter (CONTRIBUTING.md says how).
// The compiler lists every missing fact: PROFILES (index.ts) is a Record over ProviderId of this interface.
import type { FinishReason, PaidTier, ProviderId, ServiceTier } from '../protocol/request';

/** The vendors whose models the catalog lists (core/models/catalog.ts). */
export type CatalogVendor = 'openai' | 'anthropic' | 'gemini';

/**
 * How thinking is controlled: a token budget (Anthropic budget_tokens, Gemini thinkingBudget), OpenAI reasoning
 * tokens inside max tokens, `adaptive` (the model decides; a token budget is refused), or no thinking.
 */
export type ThinkingKind = 'anthropic-budget' | 'gemini-budget' | 'openai-reasoning' | 'adaptive' | 'none';

export type TokenizerId = 'o200k_base' | 'cl100k_base';

/** What the profile can tell of a model the catalog does not know, from its id alone. */
export interface UnknownModelGuess {
  /** OpenAI reasoning rules: max_completion_tokens, no stop / temperature / top_p. */
  reasoning: boolean;
  thinking: ThinkingKind;
  /** Only default sampling is accepted (Claude after Opus 4.6). */
  onlyDefaultSampling: boolean;
  /** Served only by OpenAI's Responses API (the codex / pro lines). */
  responsesOnly: boolean;
  /** Takes OpenAI's verbosity parameter (the GPT-5 family). */
  verbosity: boolean;
}

/** One processing tier a provider sells beyond standard. */
export interface TierOffer {
  /** How a request names it (for notes and docs): 'service_tier: "flex"'. */
  wire: string;
  /**
   * Whether a model offers it: false = not for this model (left out with a note, as with verbosity); undefined = not
   * known here (sent: the provider serves it, or refuses it and the user is told with a retry at standard).
   */
  offers(modelId: string): boolean | undefined;
  /**
   * Its price where lengthwise.pricing sets none: a fraction of the standard rates (every rate, tiers and cache
   * rates included) with where that is stated, or the bundled per-model rates (pricing/tierPrices.ts).
   */
  price: { fractionOfStandard: number; source: string } | 'table';
}

/** The provider's processing tiers: which it sells, how a request names them, where the response says which served. */
export interface TierFacts {
  flex: TierOffer | undefined;
  priority: TierOffer | undefined;
  /** The response's word for the tier that served (lower case) → Lengthwise's tier; any other word is not priced by guess. */
  served: Readonly<Record<string, ServiceTier>>;
  /** Where the response says it, for notes and docs. */
  servedFrom: string;
  /**
   * How the provider refuses a tier it cannot serve now (busy) or does not sell for the model: the HTTP statuses and
   * words of its error (lower case). Nothing is billed for such a refusal; the user gets a retry at standard.
   */
  refusals: readonly { tier: PaidTier; status: readonly number[]; says: readonly string[]; why: 'busy' | 'not-offered' }[];
}

/** The provider's prompt cache. */
export interface CacheFacts {
  /** The fewest prompt tokens it caches for a model (undefined: not stated for this model). */
  minPrefixTokens(modelId: string): number | undefined;
  /** Where the minimum is stated. */
  source: string;
}

export interface ProviderProfile {
  id: ProviderId;
  /** For messages: "OpenAI", "OpenAI-compatible server". */
  label: string;
  /** The environment variable read for its key when none is stored; undefined: only a stored key is used. */
  keyEnv: string | undefined;
  /** Refused without a key; false: a request without one goes without the key header (a local server). */
  keyRequired: boolean;
  /** The header the SDK puts the key in (Authorization carries it as "Bearer <key>"); undefined: no key at all. */
  keyHeader: 'authorization' | 'x-api-key' | 'x-goog-api-key' | undefined;
  /**
   * How requests travel: over HTTP with the provider's SDK, or inside the editor (VS Code's language models: no
   * endpoint, no key; the shell's adapter asks the model through vscode.lm).
   */
  transport: 'http' | 'editor';
  /** The host its official SDK talks to with no base URL; undefined: it has none (someone else's server). */
  officialHost: string | undefined;
  /** Where requests go with no base URL (the SDK's default host); undefined for the editor's own models. */
  defaultHost: string | undefined;
  /** A base URL must be set (validation refuses an empty one). */
  needsBaseUrl: boolean;
  /** Catalog vendors whose models it may serve under their own ids (a proxy serves any). */
  serves: readonly CatalogVendor[];
  /** The vendor a model the catalog does not know is treated as (its capabilities' defaults). */
  customVendor: CatalogVendor;
  /** Raw finish value → normalized reason; every documented value (anything else is `other`, never `stop`). */
  finish: Readonly<Record<string, FinishReason>>;
  /** Stop sequences: the documented count limit (undefined: none) and whether whitespace-only stops are refused. */
  stops: { max: number | undefined; visibleCharRequired: boolean };
  /** Highest temperature accepted. */
  temperatureMax: number;
  /** Its thinking parameter (a model's own catalog entry, or the guess for an unknown id, may say otherwise). */
  thinking: ThinkingKind;
  /** Capabilities of a model the catalog does not know, judged by its id. */
  guess(modelId: string): UnknownModelGuess;
  /** Under lengthwise.openaiApi "auto": the API picked by the model (OpenAI), always Chat Completions (most
   * compatible servers serve only that), or none (not an OpenAI-protocol provider). */
  openaiApis: 'by-model' | 'chat' | undefined;
  /** The server is asked for its model's limits (OpenAI-compatible servers report them: core/models/discovery.ts). */
  serverLimits: boolean;
  /** Ask a gateway for the billed cost where it reports it only when asked (OpenRouter). */
  asksGatewayCost: boolean;
  /** The chat framing its published counting rule adds (tokens per message, reply priming); undefined: none published. */
  framing: { perMessage: number; replyPriming: number } | undefined;
  /** The local tokenizer of a model id when it is the model's own (exact); undefined: only an estimate. */
  tokenizer(modelId: string): TokenizerId | undefined;
  /** Count Selection Tokens Exactly: the local tokenizer, or the provider's count endpoint. */
  exactCount: 'local' | 'remote';
  /**
   * The Responses API's input-token count (POST /v1/responses/input_tokens) exists here: a request that goes over
   * the Responses API is counted there, since its framing is not the Chat rule the local count adds.
   */
  responsesInputCount: boolean;
  /** Its batch API's discount and where it is stated; undefined: no batch API. */
  batch: { fraction: number; source: string } | undefined;
  /** Its provider id in the bundled price data (@pydantic/genai-prices); undefined: looked up by the server's URL. */
  priceId: string | undefined;
  /**
   * Long-context tiers as the provider states them, where the price data puts the start elsewhere: the data's tier
   * start → the provider's "above N input tokens" (a tier applies to a request with more than N). {} when none.
   */
  priceTierStarts: Readonly<Record<number, number>>;
  /** gen_ai.provider.name of the OpenTelemetry GenAI conventions. */
  telemetryName: string;
  /**
   * In VS Code for the Web every request is the browser's own, and a browser reads an answer only when the server
   * allows the editor's origin (CORS). `open`: the official API allows browsers (as its SDK documents); `opt-in`:
   * only when the request says it comes from a browser (the SDK's dangerouslyAllowBrowser, which the web host
   * sets); `server`: up to whoever runs the server; `none`: no HTTP request (the editor's own models). `fix`: what
   * to change when the request is refused.
   */
  web: { cors: 'open' | 'opt-in' | 'server' | 'none'; fix: string };
  /** Processing tiers (lengthwise.serviceTier). */
  tiers: TierFacts;
  /** Its prompt cache: the minimum it caches (said once when a prompt is below it). */
  cache: CacheFacts;
}
