// Settings + prompt → the GenerationRequest that goes over the wire, or the errors that stop it.
// All translation decisions live here (clamps, dropped parameters, thinking), each with a note for the user.
import type { ChatMessage, GenerationRequest } from '../protocol/request';
import { claudeAfterOpus46, findModel, isOpenAIReasoningModel, type ModelInfo } from '../models/models';
import { applyThinking, effectiveMaxTokens } from '../models/limits';
import { lintStops } from '../models/stops';
import { crossCheck, settingLabel, validateSettings, type LengthwiseSettings, type SettingSources, type ValidationIssue } from '../settings/settings';

export const DEFAULT_MAX_RETRIES = 2;

export interface PlanInput {
  settings: LengthwiseSettings;
  prompt: string;
  inputTokens: number;
  inputTokensExact: boolean;
  /** Default: [{role: 'user', content: prompt}]; continuation passes its own. */
  messages?: ChatMessage[];
  /** From resolveSettings: lets messages name the preset a value came from. */
  sources?: SettingSources;
}

export interface Plan {
  /** undefined when there are errors. */
  request?: GenerationRequest;
  /** Nothing may be sent. */
  errors: ValidationIssue[];
  /** Things adjusted, for the user ("max tokens 100000 → 64000: Claude Sonnet 4.5 outputs at most 64K"). */
  notes: string[];
  /** Stop lint and other warnings. */
  warnings: string[];
  model?: ModelInfo;
  requestedMaxTokens: number;
  clamped: boolean;
}

/** Whether the OpenAI adapter must use reasoning-model rules (max_completion_tokens, no stop/temperature/top_p). */
function usesReasoningRules(s: LengthwiseSettings, model: ModelInfo | undefined): boolean {
  if (s.provider === 'openai') return model?.reasoning ?? isOpenAIReasoningModel(s.model);
  // A compatible server (proxy/router) serving a known OpenAI reasoning model keeps its rules.
  if (s.provider === 'openai-compatible') return model?.provider === 'openai' && model.reasoning;
  return false;
}

export function planRequest(input: PlanInput): Plan {
  const s = input.settings;
  const sources = input.sources ?? {};
  const plan: Plan = { errors: [], notes: [], warnings: [], requestedMaxTokens: s.maxTokens, clamped: false };

  plan.errors.push(...validateSettings(s, sources));
  if (plan.errors.length > 0) return plan;

  const cross = crossCheck(s, sources);
  plan.errors.push(...cross.errors);
  plan.warnings.push(...cross.warnings);

  const model = findModel(s.provider, s.model, s.models);
  plan.model = model;
  if (!model) {
    plan.notes.push(
      `limits of model "${s.model}" are unknown; add them in lengthwise.models, e.g. {"${s.model}": {"contextWindow": 131072, "maxOutputTokens": 8192}} — ` +
        `max tokens ${s.maxTokens} is sent unclamped.`,
    );
  } else {
    // Custom models without a figure, and catalog entries whose figure no source gives (e.g. Claude Mythos Preview).
    const where = model.custom ? 'not in lengthwise.models' : 'not in the catalog — set it in lengthwise.models';
    if (!Number.isFinite(model.contextWindow)) plan.notes.push(`context window of "${s.model}" is unknown (${where}): max tokens is not clamped to it.`);
    if (!Number.isFinite(model.maxOutputTokens)) plan.notes.push(`max output of "${s.model}" is unknown (${where}): max tokens is not clamped to it.`);
  }

  // An empty selection is refused by the caller before planning (the selection meter plans with prompt '' for
  // huge selections, only to skip the lint).
  const messages = input.messages ?? [{ role: 'user' as const, content: input.prompt }];
  const maxLabel = settingLabel('maxTokens', sources.maxTokens);
  const limits = effectiveMaxTokens(s.maxTokens, model, input.inputTokens, input.inputTokensExact);
  plan.errors.push(...limits.errors);
  plan.notes.push(...limits.notes);
  plan.clamped = limits.clamped;

  const reasoning = usesReasoningRules(s, model);
  const name = model?.displayName ?? s.model;
  // Claude after Opus 4.6 (catalog flag, or an unknown Claude id judged by its version): default sampling only.
  const unknownModernClaude = !model && s.provider === 'anthropic' && claudeAfterOpus46(s.model);
  const defaultSamplingOnly = model ? model.onlyDefaultSampling === true : unknownModernClaude;

  // Stops: crossCheck already applied provider/model rules; unknown reasoning models are caught here too.
  let stop = cross.stops.stops;
  plan.notes.push(...cross.stops.notes);
  if (reasoning && stop.length > 0) {
    plan.notes.push(
      `stop sequences not sent: ${name} is an OpenAI reasoning model and does not support them, so ${stop.map((x) => JSON.stringify(x)).join(', ')} will not apply — ` +
        `pick a preset or model that supports stops (e.g. gpt-4.1) if the answer must end there.`,
    );
    stop = [];
  }

  const tbSrc = sources.thinkingBudget;
  const thinking =
    limits.errors.length > 0 || cross.errors.some((e) => e.setting === 'lengthwise.thinkingBudget')
      ? { errors: [], notes: [], warnings: [], thinkingBudget: undefined }
      : applyThinking({
          budget: s.thinkingBudget,
          requestedMaxTokens: s.maxTokens,
          maxTokens: limits.maxTokens,
          provider: s.provider,
          model:
            model ??
            (reasoning
              ? ({ displayName: s.model, thinking: 'openai-reasoning' } as ModelInfo)
              : unknownModernClaude
                ? ({ displayName: s.model, thinking: 'adaptive' } as ModelInfo)
                : undefined),
          label: settingLabel('thinkingBudget', tbSrc),
          maxTokensLabel: maxLabel,
          ...(tbSrc?.preset !== undefined ? { preset: tbSrc.preset } : {}),
        });
  plan.errors.push(...thinking.errors);
  plan.notes.push(...thinking.notes);
  plan.warnings.push(...thinking.warnings);
  const anthropicThinking = thinking.thinkingBudget !== undefined && (model?.provider ?? s.provider) === 'anthropic';
  if (model?.thinkingByDefault && limits.errors.length === 0) {
    plan.notes.push(
      `${name} thinks by default and its thinking counts toward max tokens (${limits.maxTokens}): a small limit can end the answer early or leave it empty.`,
    );
  }

  let temperature: number | undefined;
  if (s.temperature !== null) {
    if (reasoning || (model && !model.supportsTemperature)) {
      plan.notes.push(`temperature not sent: ${name} accepts only its default temperature (OpenAI reasoning model).`);
    } else if (defaultSamplingOnly && s.temperature !== 1) {
      plan.notes.push(
        `temperature not sent: ${name} accepts only the default temperature 1.0 (Claude models released after Opus 4.6 refuse other values with a 400), so ${s.temperature} does not apply.`,
      );
    } else if (anthropicThinking) {
      plan.notes.push('temperature not sent: Anthropic extended thinking works only with the default temperature (thinking budget is set).');
    } else temperature = s.temperature;
  }
  let topP: number | undefined;
  if (s.topP !== null) {
    if (reasoning || (model && !model.supportsTopP)) {
      plan.notes.push(`top_p not sent: ${name} does not accept it (OpenAI reasoning model).`);
    } else if (defaultSamplingOnly && s.topP < 0.99) {
      plan.notes.push(
        `top_p not sent: ${name} accepts only top_p ≥ 0.99 (Claude models released after Opus 4.6 refuse lower values with a 400), so ${s.topP} does not apply.`,
      );
    } else if (defaultSamplingOnly && temperature !== undefined) {
      plan.notes.push(`top_p not sent: ${name} refuses temperature and top_p in one request — temperature ${temperature} is sent.`);
    } else if (anthropicThinking && s.topP < 0.95) {
      plan.notes.push(`top_p not sent: with extended thinking Anthropic accepts only 0.95–1 (it is ${s.topP}).`);
    } else if (model?.samplingOneOf && temperature !== undefined) {
      plan.notes.push(`top_p not sent: ${name} accepts temperature or top_p, not both — temperature ${temperature} is used.`);
    } else topP = s.topP;
  }

  plan.warnings.push(...lintStops(stop, input.prompt));

  if (plan.errors.length > 0) return plan;

  const request: GenerationRequest = {
    provider: s.provider,
    model: s.model,
    messages: messages.map((m) => ({ ...m })),
    maxTokens: limits.maxTokens,
    stop,
    timeoutMs: s.requestTimeoutSeconds * 1000,
    maxRetries: DEFAULT_MAX_RETRIES,
  };
  if (s.baseUrl !== '') request.baseUrl = s.baseUrl;
  if (s.systemPrompt !== '') request.system = s.systemPrompt;
  if (temperature !== undefined) request.temperature = temperature;
  if (topP !== undefined) request.topP = topP;
  if (thinking.thinkingBudget !== undefined) request.thinkingBudget = thinking.thinkingBudget;
  if (reasoning) request.reasoningModel = true;
  plan.request = request;
  return plan;
}
