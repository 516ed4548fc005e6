// What the planning steps share: the settings and input, the provider's profile, the model as found, and the
// request being drafted. Each step (steps/*.ts) reads what earlier steps decided, adds its notes, warnings and
// errors to `plan`, and sets its part of `draft`; plan.ts runs them in order and builds the request.
import type { DiscoveredLimits } from '../../models/discovery';
import type { ModelInfo } from '../../models/models';
import type { ProviderProfile, UnknownModelGuess } from '../../providers/profile';
import type { ChatMessage, GenerationRequest, OpenAIApi, PaidTier, Verbosity } from '../../protocol/request';
import type { CrossCheck, LengthwiseSettings, SettingSources, ValidationIssue } from '../../settings/settings';
import type { HintDecision } from '../lengthHint';

export interface PlanInput {
  settings: LengthwiseSettings;
  prompt: string;
  inputTokens: number;
  inputTokensExact: boolean;
  /** Default: [{role: 'user', content: prompt}]; continuation passes its own. */
  messages?: ChatMessage[];
  /** From resolveSettings: lets messages name the preset a value came from. */
  sources?: SettingSources;
  /** Limits an OpenAI-compatible server reported about the model (used unless lengthwise.models sets them). */
  discovered?: DiscoveredLimits;
  /**
   * What a "block" budget has left for this request (USD), when the door offers it: a worst case above it lowers
   * max tokens to what the rest buys (core/generation/steps/budgetFit.ts). undefined: no budget to fit.
   */
  budgetRoomUsd?: number;
  /** Counts a short text (the length hint) with the model's tokenizer; default: the ~4-characters estimate. */
  countText?: (text: string) => number;
}

export interface Plan {
  /** undefined when there are errors. */
  request?: GenerationRequest;
  /** Nothing may be sent. */
  errors: ValidationIssue[];
  /** Things adjusted, for the user ("max tokens 100000 → 64000: Claude Sonnet 4.5 outputs at most 64K"). */
  notes: string[];
  /** Warnings about the settings for this request. */
  warnings: string[];
  /**
   * Stop-sequence lint against the prompt. The shell shows lint when the setting changes and in the preset picker;
   * at send it only logs it (and lists it in the tooltip), so a send does not pop several toasts.
   */
  lint: string[];
  model?: ModelInfo;
  requestedMaxTokens: number;
  clamped: boolean;
  /** Whether a length hint went with the request, and which (or why not). Set when there is a request. */
  lengthHint?: HintDecision;
  /**
   * Input tokens of the request as built: PlanInput.inputTokens plus the length hint added to the system prompt
   * (counted on its own, which can only overstate the seam by a token). Set when there is a request.
   */
  inputTokens?: number;
  /** The budget lowered max tokens to what its rest buys ("block" budget). */
  budgetCapped?: { from: number; to: number; roomUsd: number };
  /** The budget's rest does not buy even a useful answer: why (the door refuses with it). */
  budgetShort?: string;
}

interface Draft {
  maxTokens: number;
  stop: string[];
  api?: OpenAIApi;
  verbosity?: Verbosity;
  thinkingBudget?: number;
  temperature?: number;
  topP?: number;
  serviceTier?: PaidTier;
}

export interface PlanContext {
  input: PlanInput;
  s: LengthwiseSettings;
  sources: SettingSources;
  profile: ProviderProfile;
  /** What the profile can tell of the id when the catalog does not know it. */
  guess: UnknownModelGuess;
  /** Set by the limits step: the catalog entry, lengthwise.models, or what the server reported; undefined = unknown. */
  model?: ModelInfo;
  /** The model's name for messages. */
  name: string;
  /** OpenAI reasoning rules apply (max_completion_tokens; no stop, temperature or top_p). */
  reasoning: boolean;
  /** The rules between settings (settings/validate.ts crossCheck). */
  cross: CrossCheck;
  /** The limits step refused the input (nothing else about max tokens is worth saying). */
  limitsFailed: boolean;
  /** Max tokens after the model's limits (before an API's own floor). */
  clampedMaxTokens: number;
  plan: Plan;
  draft: Draft;
}

/** `{ preset }` when a value came from one, for the issue it is reported in. */
export function presetOf(src: SettingSources[keyof SettingSources]): { preset?: string } {
  return src?.preset !== undefined ? { preset: src.preset } : {};
}
