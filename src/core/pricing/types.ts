// Price shapes shared by the bundled table (prices.ts), cost arithmetic (cost.ts) and the settings.

/** Rates (USD per million tokens) that apply to the WHOLE request when its input tokens exceed aboveInputTokens. */
export interface PriceTier {
  aboveInputTokens: number;
  inputPerM: number;
  outputPerM: number;
  cacheReadPerM?: number;
  cacheWritePerM?: number;
  cacheWrite1hPerM?: number;
}

/** USD per million tokens. Missing cache prices: those tokens are billed at the input rate (and the breakdown says so). */
export interface ModelPrice {
  /** The price entry's model id (a dated id resolves to its family, e.g. claude-sonnet-4-5). */
  model: string;
  inputPerM: number;
  outputPerM: number;
  cacheReadPerM?: number;
  /** 5-minute cache writes (Anthropic's default). */
  cacheWritePerM?: number;
  /** 1-hour cache writes (Usage.cacheWrite1hTokens); when unknown, 2× the input rate (Anthropic's 1-hour multiplier). */
  cacheWrite1hPerM?: number;
  /** Ascending by aboveInputTokens. */
  tiers?: PriceTier[];
  /**
   * The rates hold up to this many input tokens and nothing published prices more (OpenAI's priority rates exclude
   * prompts over 128K): a request above costs "price unknown", never these rates.
   */
  knownUpToInputTokens?: number;
  /** Fraction off for batch requests (e.g. 0.5); not in the bundled data yet. */
  batchDiscount?: number;
  /** Where the numbers come from, e.g. "@pydantic/genai-prices 0.1.8 (Anthropic · claude-sonnet-4-5)". */
  source: string;
  /** How old the numbers are (YYYY-MM-DD); empty for prices from the user's own settings. */
  date: string;
  contextWindow?: number;
  /** The provider's pricing page. */
  url?: string;
  /** A model nobody prices, served on this machine (a loopback endpoint): $0, shown as "local" (localPrice). */
  local?: true;
}

/** Rates of one kind, USD per million tokens, as `lengthwise.pricing` writes them. */
export interface PricingRates {
  input?: number;
  output?: number;
  cacheRead?: number;
  cacheWrite?: number;
}

/**
 * An entry of the `lengthwise.pricing` setting, USD per million tokens: the standard rates, and the rates of the
 * flex and priority tiers (lengthwise.serviceTier) where you know better than the bundled ones.
 */
export interface PricingOverride extends PricingRates {
  flex?: PricingRates;
  priority?: PricingRates;
}
