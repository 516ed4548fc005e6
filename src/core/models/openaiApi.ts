// Which OpenAI API a request goes to (Chat Completions or Responses), and the OpenAI-only knobs that depend on it:
// verbosity, and asking a gateway for the billed cost. Each decision comes with a note a person can read.
import type { OpenAIApi, ProviderId, Verbosity } from '../protocol/request';
import type { OpenAIApiChoice } from '../protocol/issues';
import { profileOf } from '../providers';
import type { ModelInfo } from './models';

/** The Responses API refuses max_output_tokens below 16 ("integer below minimum value"). */
export const RESPONSES_MIN_OUTPUT_TOKENS = 16;

export interface ApiChoice {
  /** undefined: not an OpenAI request (Anthropic, Gemini). */
  api?: OpenAIApi;
  notes: string[];
  /** A combination that cannot work (a Responses-only model forced onto Chat Completions). */
  error?: string;
}

/**
 * lengthwise.openaiApi: `chat` / `responses` as set; `auto` = Responses for models the catalog marks Responses-only
 * (and unknown OpenAI ids shaped like them), Chat Completions otherwise. An OpenAI-compatible server gets Chat
 * Completions under `auto`: most of them serve only that.
 */
export function chooseOpenAIApi(provider: ProviderId, modelId: string, model: ModelInfo | undefined, choice: OpenAIApiChoice): ApiChoice {
  const apis = profileOf(provider).openaiApis;
  if (apis === undefined) return { notes: [] };
  const name = model?.displayName ?? modelId;
  const responsesOnly = model ? model.responsesOnly === true : profileOf(provider).guess(modelId).responsesOnly;
  if (choice === 'chat') {
    if (responsesOnly && apis === 'by-model') {
      return {
        api: 'chat',
        notes: [],
        error: `lengthwise.openaiApi is "chat" but ${name} is served only by OpenAI's Responses API (Chat Completions refuses it): set lengthwise.openaiApi to "auto" or "responses", or pick a chat model.`,
      };
    }
    return { api: 'chat', notes: [] };
  }
  if (choice === 'responses') return { api: 'responses', notes: [] };
  if (apis === 'chat') return { api: 'chat', notes: [] };
  if (responsesOnly) {
    const why = model ? 'the catalog marks it Responses-only' : 'its id looks like a Responses-only model (codex / pro) — set lengthwise.openaiApi to "chat" if it is not';
    return { api: 'responses', notes: [`OpenAI Responses API used for ${name}: ${why}.`] };
  }
  return { api: 'chat', notes: [] };
}

/** Whether a model takes OpenAI's verbosity parameter; unknown models only when the id is a GPT-5-family one. */
function acceptsVerbosity(provider: ProviderId, modelId: string, model: ModelInfo | undefined): boolean {
  if (profileOf(provider).openaiApis === undefined) return false;
  if (model) return model.provider === 'openai' && model.supportsVerbosity === true;
  // By the id; an unknown server's model never (sending an unknown parameter can be a 400 there).
  return profileOf(provider).guess(modelId).verbosity;
}

export function verbosityFor(
  provider: ProviderId,
  modelId: string,
  model: ModelInfo | undefined,
  verbosity: Verbosity | null,
  label: string,
): { verbosity?: Verbosity; notes: string[] } {
  if (verbosity === null) return { notes: [] };
  const name = model?.displayName ?? modelId;
  if (acceptsVerbosity(provider, modelId, model)) return { verbosity, notes: [] };
  const why =
    profileOf(provider).openaiApis === undefined
      ? `verbosity is an OpenAI parameter (GPT-5 family); ${name} has none`
      : model?.supportsVerbosity === false && model.responsesOnly
        ? `${name} accepts only its default verbosity`
        : `${name} is not known to take it (the GPT-5 family does)`;
  return { notes: [`${label} "${verbosity}" not sent: ${why}. Limit the length with maxTokens or a length hint instead.`] };
}

/**
 * Gateways that put the billed cost in the usage only when asked: OpenRouter (`usage: {include: true}`). Other
 * servers would refuse the unknown field, so it is sent only to OpenRouter's host.
 */
export function gatewayAsksCost(provider: ProviderId, baseUrl: string): boolean {
  if (!profileOf(provider).asksGatewayCost || !baseUrl) return false;
  try {
    const host = new URL(baseUrl).hostname.toLowerCase();
    return host === 'openrouter.ai' || host.endsWith('.openrouter.ai');
  } catch {
    return false;
  }
}
