// What the catalog knows of a model, and what the user's lengthwise.models may override.

import type { CatalogVendor, ThinkingKind } from '../providers';

export interface ModelInfo {
  id: string;
  provider: CatalogVendor;
  displayName: string;
  /** Total tokens (input + output) the model handles; Infinity = unknown (custom model without a window). */
  contextWindow: number;
  /** Infinity = unknown (custom model without an output limit). */
  maxOutputTokens: number;
  /** Input limit where it is lower than contextWindow − output (GPT-5: 272K of 400K). */
  maxInputTokens?: number;
  /** OpenAI reasoning model: max_completion_tokens, no stop / temperature / top_p. */
  reasoning: boolean;
  supportsStop: boolean;
  maxStopSequences?: number;
  supportsTemperature: boolean;
  supportsTopP: boolean;
  /** Continues a trailing assistant message (continuation by prefill). */
  supportsPrefill: boolean;
  /** OpenAI: served only by the Responses API (Chat Completions refuses it); lengthwise.openaiApi "auto" follows it. */
  responsesOnly?: boolean;
  /** OpenAI: takes `verbosity` (Chat) / `text.verbosity` (Responses) — the GPT-5 family. */
  supportsVerbosity?: boolean;
  /**
   * How thinking is controlled: a token budget (Anthropic budget_tokens, Gemini thinkingBudget), OpenAI reasoning
   * tokens inside max tokens, `adaptive` (the model decides; a token budget is refused — Claude after Opus 4.6,
   * Gemini 4), or no thinking.
   */
  thinking: ThinkingKind;
  /** Thinks without being asked (Claude Opus 5, Sonnet 5, Fable…): thinking tokens count toward max tokens. */
  thinkingByDefault?: boolean;
  /** Where the figures come from, and when they were stated. */
  source: string;
  date: string;
  /** Added through lengthwise.models (not in the catalog). */
  custom?: boolean;
  /** A catalog entry whose limits lengthwise.models changed. */
  overridden?: boolean;
  /** Limits the server reported about its own model, for notes ("context 8192 from the server's /props"). */
  discovered?: string;
  /** Other ids the provider serves this model under (besides dated snapshots and -latest). */
  aliases?: string[];
  /** Anthropic 4.1/4.5: temperature and top_p cannot both be sent. */
  samplingOneOf?: boolean;
  /**
   * Claude models released after Opus 4.6: only the default sampling is accepted — temperature 1.0, top_p ≥ 0.99,
   * and not both in one request; any other value is a 400 (@anthropic-ai/sdk 0.137.0 docs of temperature/top_p).
   */
  onlyDefaultSampling?: boolean;
  /** Gemini thinkingBudget range, when documented. */
  thinkingBudgetMin?: number;
  thinkingBudgetMax?: number;
  /** Gemini: whether thinkingBudget 0 turns thinking off (2.5 Pro cannot). */
  thinkingCanDisable?: boolean;
  /** Extra context, e.g. a beta header that raises a limit. */
  contextNote?: string;
  /** Figures that rest on weak or conflicting sources; messages that depend on them say so. */
  uncertain?: { fields: UncertainField[]; why: string };
}

type UncertainField = 'contextWindow' | 'maxOutputTokens' | 'capabilities';

export interface ModelOverride {
  contextWindow?: number;
  maxOutputTokens?: number;
  supportsPrefill?: boolean;
}
