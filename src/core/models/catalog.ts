// The bundled model catalog: limits and capabilities of the models Lengthwise knows.
// Every entry names where its figures come from and when they were stated, so a stale number can be traced;
// `date` is the model's release (or the source's date when the release is not known). Figures that rest on weak
// or conflicting sources carry `uncertain`, and the messages built on them say so.
// Context windows were cross-checked against @pydantic/genai-prices 0.1.8 (bundled data, last dated change
// 2026-09); that package has no output limits, so max output figures rest on the sources cited.
// Model ids of the 2026 additions come from the installed SDKs' type lists: @anthropic-ai/sdk 0.137.0 `Model`
// (2026-10-20), openai 6.30.1 `ChatModel` (2026-03-16), @google/genai 2.32.0 `Model` (2026); newer OpenAI ids
// come from genai-prices.
import type { ModelInfo } from './types';

const SEED = 'seed model table measured against the providers (2026)';
const GENAI_PRICES = '@pydantic/genai-prices 0.1.8 data (2026-09)';
/** Where a window comes from elsewhere and the price data says otherwise, the source says what the data lists. */
const dataWindow = (n: number) => `@pydantic/genai-prices 0.1.8 lists ${n.toLocaleString('en-US')} as the window`;
const OPENAI_PAGES = 'OpenAI model pages (platform.openai.com/docs/models) as known to the author (knowledge to 2025)';
const OPENAI_DOCS = `${OPENAI_PAGES}; context window matches ${GENAI_PRICES}`;
const ANTHROPIC_DOCS =
  'Anthropic models overview (docs.anthropic.com/en/docs/about-claude/models) as known to the author (knowledge to 2025); context window matches @pydantic/genai-prices 0.1.8';
// Google states Gemini's input limit as 1,048,576 tokens; the price data rounds most of them to 1,000,000.
const GEMINI_DOCS = 'Gemini API model pages (ai.google.dev/gemini-api/docs/models) as known to the author (knowledge to 2025): 1,048,576 input tokens';
const GEMINI3_DOCS =
  "Gemini API model pages (ai.google.dev/gemini-api/docs/models) for the Gemini 3 previews, author's recollection (late 2025, less certain): 1,048,576 input tokens";

const CLAUDE_PAGES =
  'Claude model pages platform.claude.com/docs/en/models/<model>/overview (stored reference copies, read 2026-10); id in the @anthropic-ai/sdk 0.137.0 Model type (2026-10-20)';
const CLAUDE_SAMPLING =
  'sampling rule: @anthropic-ai/sdk 0.137.0 docs of temperature/top_p ("Models released after Claude Opus 4.6…"); adaptive-only thinking per the Anthropic migration guides as quoted by OpenRouter (2026)';
const OPENAI_2026 = `id in openai 6.30.1 ChatModel (2026-03-16); context window from ${GENAI_PRICES}`;
const RESPONSES_ONLY =
  'Responses-only per OpenAI model pages (platform.openai.com/docs/models: "available in the Responses API only") as known to the author, and user reports of Chat Completions refusing gpt-5-codex ("only supported in v1/responses")';
const GEMINI_2026 =
  'Google Cloud / ai.google.dev Gemini model guides (stored reference copies, read 2026-10): 1,048,576 input, 65,536 output; id in the @google/genai 2.32.0 Model type';

/** OpenAI reasoning models: max_completion_tokens, no stop / temperature / top_p (the API refuses them). */
function openaiReasoning(
  id: string,
  displayName: string,
  contextWindow: number,
  maxOutputTokens: number,
  extra: Partial<ModelInfo> & { source: string; date: string },
): ModelInfo {
  return {
    id,
    provider: 'openai',
    displayName,
    contextWindow,
    maxOutputTokens,
    reasoning: true,
    supportsStop: false,
    maxStopSequences: 4,
    supportsTemperature: false,
    supportsTopP: false,
    supportsPrefill: false,
    thinking: 'openai-reasoning',
    supportsVerbosity: gpt5Verbosity(id),
    ...extra,
  };
}

/** GPT-5 family ids take `verbosity`; o-series and the ChatGPT snapshots do not (not documented for them). */
function gpt5Verbosity(id: string): boolean {
  return /^gpt-([5-9]|\d{2,})/.test(id) && !id.includes('chat-latest');
}

/** OpenAI models served only by the Responses API (codex and pro variants, o1-pro, o3-pro). */
function openaiResponsesOnly(
  id: string,
  displayName: string,
  contextWindow: number,
  maxOutputTokens: number,
  extra: Partial<ModelInfo> & { date: string },
): ModelInfo {
  return openaiReasoning(id, displayName, contextWindow, maxOutputTokens, {
    responsesOnly: true,
    source: `${RESPONSES_ONLY}; context window matches ${GENAI_PRICES}`,
    ...extra,
  });
}

function openaiClassic(id: string, displayName: string, contextWindow: number, maxOutputTokens: number, date: string): ModelInfo {
  return {
    id,
    provider: 'openai',
    displayName,
    contextWindow,
    maxOutputTokens,
    reasoning: false,
    supportsStop: true,
    maxStopSequences: 4,
    supportsTemperature: true,
    supportsTopP: true,
    // Chat Completions answers a trailing assistant message with a fresh reply; it does not continue it.
    supportsPrefill: false,
    thinking: 'none',
    source: OPENAI_DOCS,
    date,
  };
}

function claude(
  id: string,
  displayName: string,
  maxOutputTokens: number,
  extra: Partial<ModelInfo> & { date: string },
): ModelInfo {
  return {
    id,
    provider: 'anthropic',
    displayName,
    contextWindow: 200_000,
    maxOutputTokens,
    reasoning: false,
    supportsStop: true,
    supportsTemperature: true,
    supportsTopP: true,
    // Claude before 4.6 continues a trailing assistant message (prefill); 4.6+ refuses it.
    supportsPrefill: true,
    thinking: 'anthropic-budget',
    source: ANTHROPIC_DOCS,
    ...extra,
  };
}

/**
 * Claude released after Opus 4.6: 1M window, 128K output, no prefill, only default sampling, adaptive thinking
 * only (budget_tokens is a 400).
 */
function claudeModern(id: string, displayName: string, extra: Partial<ModelInfo> & { date: string }): ModelInfo {
  return claude(id, displayName, 128_000, {
    contextWindow: 1_000_000,
    supportsPrefill: false,
    onlyDefaultSampling: true,
    thinking: 'adaptive',
    source: `${CLAUDE_PAGES}; ${CLAUDE_SAMPLING}`,
    ...extra,
  });
}

function gemini(
  id: string,
  displayName: string,
  maxOutputTokens: number,
  extra: Partial<ModelInfo> & { date: string },
): ModelInfo {
  return {
    id,
    provider: 'gemini',
    displayName,
    // Google lists a 1,048,576-token input limit and a separate output limit; using it as the whole window
    // clamps slightly early for prompts near 1M but never lets a request exceed the real limits.
    contextWindow: 1_048_576,
    maxInputTokens: 1_048_576,
    maxOutputTokens,
    reasoning: false,
    supportsStop: true,
    maxStopSequences: 5,
    supportsTemperature: true,
    supportsTopP: true,
    // Not verified that Gemini continues a trailing model turn; continuation uses its user-message fallback.
    supportsPrefill: false,
    thinking: 'gemini-budget',
    source: GEMINI_DOCS,
    ...extra,
  };
}

export const MODEL_CATALOG: readonly ModelInfo[] = [
  // --- OpenAI: GPT-5 family (reasoning). 400K window = 272K input + 128K output.
  openaiReasoning('gpt-5.2', 'GPT-5.2', 400_000, 128_000, { maxInputTokens: 272_000, source: SEED, date: '2026' }),
  openaiReasoning('gpt-5.1', 'GPT-5.1', 400_000, 128_000, { maxInputTokens: 272_000, source: OPENAI_DOCS, date: '2025-11' }),
  openaiReasoning('gpt-5', 'GPT-5', 400_000, 128_000, { maxInputTokens: 272_000, source: OPENAI_DOCS, date: '2025-08' }),
  openaiReasoning('gpt-5-mini', 'GPT-5 mini', 400_000, 128_000, { maxInputTokens: 272_000, source: OPENAI_DOCS, date: '2025-08' }),
  openaiReasoning('gpt-5-nano', 'GPT-5 nano', 400_000, 128_000, { maxInputTokens: 272_000, source: OPENAI_DOCS, date: '2025-08' }),
  // --- OpenAI: 2026 GPT-5.x / GPT-6 (reasoning rules assumed for the whole family: max_completion_tokens, no stop).
  openaiReasoning('gpt-5.4', 'GPT-5.4', 1_050_000, 128_000, {
    source: `${OPENAI_2026}; 128K output per gateway model pages (Vercel, OpenRouter: 922K input + 128K output)`,
    date: '2026-03',
    uncertain: {
      fields: ['maxOutputTokens', 'capabilities'],
      why: 'output limit from gateway pages, not OpenAI; GPT-5.4 defaults to reasoning effort none, where OpenAI may accept stop/temperature',
    },
  }),
  openaiReasoning('gpt-5.4-mini', 'GPT-5.4 mini', 400_000, 128_000, {
    maxInputTokens: 272_000,
    source: GENAI_PRICES,
    date: '2026',
    uncertain: { fields: ['maxOutputTokens'], why: '128K output and 272K input assumed as for GPT-5 mini (no source found)' },
  }),
  openaiReasoning('gpt-5.4-nano', 'GPT-5.4 nano', 400_000, 128_000, {
    maxInputTokens: 272_000,
    source: GENAI_PRICES,
    date: '2026',
    uncertain: { fields: ['maxOutputTokens'], why: '128K output and 272K input assumed as for GPT-5 nano (no source found)' },
  }),
  openaiReasoning('gpt-5.5', 'GPT-5.5', 1_000_000, 128_000, {
    source: `${GENAI_PRICES}; 128K output and snapshot gpt-5.5-2026-04-23 per the oxen.ai model page`,
    date: '2026-04',
    uncertain: { fields: ['contextWindow', 'maxOutputTokens'], why: 'genai-prices says 1,000,000, a gateway page 1,050,000; output limit from a gateway page' },
  }),
  openaiReasoning('gpt-5.6-sol', 'GPT-5.6 Sol', 1_050_000, 128_000, {
    source: `${GENAI_PRICES}; 128K output per Vercel AI Gateway model pages (2026-07)`,
    date: '2026-07',
    uncertain: { fields: ['maxOutputTokens'], why: 'gateway pages say 128K output, one says 272K' },
  }),
  openaiReasoning('gpt-5.6-terra', 'GPT-5.6 Terra', 1_050_000, 128_000, {
    source: `${GENAI_PRICES}; 128K output per Vercel AI Gateway and Box model cards (2026-07)`,
    date: '2026-07',
    uncertain: { fields: ['maxOutputTokens'], why: 'gateway pages say 128K output, one says 272K' },
  }),
  openaiReasoning('gpt-5.6-luna', 'GPT-5.6 Luna', 1_050_000, 128_000, {
    source: `${GENAI_PRICES}; 128K output per Vercel AI Gateway and Box model cards (2026-07)`,
    date: '2026-07',
    uncertain: { fields: ['maxOutputTokens'], why: 'gateway pages say 128K output, one says 272K' },
  }),
  openaiReasoning('gpt-6-sol', 'GPT-6 Sol', 1_050_000, 128_000, {
    source: `${GENAI_PRICES}; OpenAI model page developers.openai.com/api/docs/models/gpt-6-sol (1,050,000 context, 128,000 output)`,
    date: '2026-09',
  }),
  openaiReasoning('gpt-6-luna', 'GPT-6 Luna', 1_050_000, 128_000, {
    source: GENAI_PRICES,
    date: '2026',
    uncertain: { fields: ['maxOutputTokens'], why: '128K output assumed as for GPT-6 Sol (no source found)' },
  }),
  openaiReasoning('gpt-6-astra', 'GPT-6 Astra', 1_050_000, 128_000, {
    source: GENAI_PRICES,
    date: '2026',
    uncertain: { fields: ['maxOutputTokens'], why: '128K output assumed as for GPT-6 Sol (no source found)' },
  }),
  // ChatGPT snapshots: 128K window, 16K output. gpt-5-chat-latest is not a reasoning model, but OpenAI's rules for
  // stop/temperature on these ids are not documented here: the GPT-5 rules are kept (a dropped stop gets a note).
  openaiReasoning('gpt-5.3-chat-latest', 'GPT-5.3 Chat', 128_000, 16_384, {
    source: `${OPENAI_2026} (listed as gpt-5.3)`,
    date: '2026-03',
    uncertain: { fields: ['maxOutputTokens', 'capabilities'], why: '16,384 output assumed as for gpt-5-chat-latest' },
  }),
  openaiReasoning('gpt-5.2-chat-latest', 'GPT-5.2 Chat', 128_000, 16_384, {
    source: 'id in openai 6.30.1 ChatModel; limits as for gpt-5-chat-latest',
    date: '2025-12',
    uncertain: { fields: ['maxOutputTokens', 'capabilities'], why: 'limits assumed as for gpt-5-chat-latest' },
  }),
  openaiReasoning('gpt-5.1-chat-latest', 'GPT-5.1 Chat', 128_000, 16_384, {
    source: 'id in openai 6.30.1 ChatModel; limits as for gpt-5-chat-latest (a FastGPT config says 128K/16K)',
    date: '2025-11',
    uncertain: { fields: ['maxOutputTokens', 'capabilities'], why: 'limits assumed as for gpt-5-chat-latest' },
  }),
  openaiReasoning('gpt-5-chat-latest', 'GPT-5 Chat', 128_000, 16_384, {
    // The price data matches this id to its gpt-5 entry (400K); the ChatGPT snapshot's own window is 128K.
    source: `${OPENAI_PAGES}; ${dataWindow(400_000)} (its gpt-5 entry)`,
    date: '2025-08',
    uncertain: { fields: ['capabilities'], why: 'not a reasoning model; whether OpenAI accepts stop/temperature on it is not verified' },
  }),
  // --- OpenAI: Responses-only models (codex and pro variants). The codex models answered verbosity other than
  // "medium" with a 400 in users' reports, so verbosity is left out for them (with a note).
  openaiResponsesOnly('gpt-5-codex', 'GPT-5 Codex', 400_000, 128_000, { maxInputTokens: 272_000, date: '2025-09', supportsVerbosity: false }),
  openaiResponsesOnly('gpt-5.1-codex', 'GPT-5.1 Codex', 400_000, 128_000, { maxInputTokens: 272_000, date: '2025-11', supportsVerbosity: false }),
  openaiResponsesOnly('gpt-5.1-codex-mini', 'GPT-5.1 Codex mini', 400_000, 128_000, { maxInputTokens: 272_000, date: '2025-11', supportsVerbosity: false }),
  openaiResponsesOnly('gpt-5.3-codex', 'GPT-5.3 Codex', 400_000, 128_000, {
    maxInputTokens: 272_000,
    date: '2026',
    supportsVerbosity: false,
    uncertain: { fields: ['maxOutputTokens'], why: '128K output and 272K input assumed as for GPT-5 Codex' },
  }),
  openaiResponsesOnly('gpt-5.1-codex-max', 'GPT-5.1 Codex Max', 400_000, 128_000, {
    maxInputTokens: 272_000,
    date: '2025-11',
    supportsVerbosity: false,
    source: `${RESPONSES_ONLY}; 400,000 context and 128,000 output per the Verdent GPT-5.1 Codex guide (model id gpt-5.1-codex-max); context window matches ${GENAI_PRICES} (priced there as gpt-5.1)`,
  }),
  openaiResponsesOnly('gpt-5.2-codex', 'GPT-5.2 Codex', 400_000, 128_000, {
    maxInputTokens: 272_000,
    date: '2026',
    supportsVerbosity: false,
    source: `${RESPONSES_ONLY}; 400,000 context and 128,000 output per the koog.ai OpenAI model reference (GPT5_2Codex); context window matches ${GENAI_PRICES} (priced there as gpt-5.2)`,
  }),
  openaiResponsesOnly('gpt-5.3-codex-spark', 'GPT-5.3 Codex Spark', 128_000, 32_000, {
    date: '2026-02',
    supportsVerbosity: false,
    source: '128K context, text only, research preview for API design partners: OpenAI/Cerebras release as reported by argbe.tech, cometapi.com and c-sharpcorner (2026-02); @pydantic/genai-prices 0.1.8 has no window or price for it (price unknown)',
    uncertain: { fields: ['maxOutputTokens', 'capabilities'], why: 'no output limit published: 32,000 assumed; Responses-only assumed as for the other codex models' },
  }),
  openaiResponsesOnly('gpt-5-pro', 'GPT-5 pro', 400_000, 272_000, { date: '2025-10' }),
  // 400K window with 128K output, as the GPT-5.2 family: at most 272K of input (the API refuses more).
  openaiResponsesOnly('gpt-5.2-pro', 'GPT-5.2 pro', 400_000, 128_000, {
    maxInputTokens: 272_000,
    date: '2025-12',
    uncertain: { fields: ['maxOutputTokens'], why: '128K output assumed as for GPT-5.2' },
  }),
  openaiResponsesOnly('gpt-5.4-pro', 'GPT-5.4 pro', 1_050_000, 128_000, {
    date: '2026-03',
    source: `${RESPONSES_ONLY}; 1,050,000 context and 128,000 output per the Vercel AI Gateway and Bifrost model pages (endpoints /v1/responses and /v1/batch); context window matches ${GENAI_PRICES}`,
  }),
  openaiResponsesOnly('gpt-5.5-pro', 'GPT-5.5 pro', 1_000_000, 128_000, {
    date: '2026-04',
    source: `${RESPONSES_ONLY}; 128,000 output per the Venice and Vercel AI Gateway model pages (1M context); context window matches ${GENAI_PRICES}`,
    uncertain: { fields: ['capabilities'], why: 'Responses-only assumed as for the other pro models (a gateway page also offers Chat Completions)' },
  }),
  openaiResponsesOnly('o3-pro', 'o3-pro', 200_000, 100_000, { date: '2025-06' }),
  openaiResponsesOnly('o1-pro', 'o1-pro', 200_000, 100_000, { date: '2025-03' }),
  // --- OpenAI: o-series (reasoning)
  openaiReasoning('o3', 'o3', 200_000, 100_000, { source: OPENAI_DOCS, date: '2025-04' }),
  openaiReasoning('o3-mini', 'o3-mini', 200_000, 100_000, { source: OPENAI_DOCS, date: '2025-01', aliases: ['o3-mini-high'] }),
  openaiReasoning('o4-mini', 'o4-mini', 200_000, 100_000, { source: OPENAI_DOCS, date: '2025-04', aliases: ['o4-mini-high'] }),
  openaiReasoning('o1', 'o1', 200_000, 100_000, { source: OPENAI_DOCS, date: '2024-12' }),
  // --- OpenAI: classic chat models
  // OpenAI's pages give the GPT-4.1 window as 1,047,576 tokens; the price data rounds it to 1,000,000.
  { ...openaiClassic('gpt-4.1', 'GPT-4.1', 1_047_576, 32_768, '2025-04'), source: `${OPENAI_PAGES}; ${dataWindow(1_000_000)}` },
  { ...openaiClassic('gpt-4.1-mini', 'GPT-4.1 mini', 1_047_576, 32_768, '2025-04'), source: `${OPENAI_PAGES}; ${dataWindow(1_000_000)}` },
  { ...openaiClassic('gpt-4.1-nano', 'GPT-4.1 nano', 1_047_576, 32_768, '2025-04'), source: `${OPENAI_PAGES}; ${dataWindow(1_000_000)}` },
  openaiClassic('gpt-4o', 'GPT-4o', 128_000, 16_384, '2024-11'),
  openaiClassic('gpt-4o-mini', 'GPT-4o mini', 128_000, 16_384, '2024-07'),
  openaiClassic('chatgpt-4o-latest', 'ChatGPT-4o', 128_000, 16_384, '2024-11'),

  // --- Anthropic: after Opus 4.6 — only default sampling, adaptive thinking only, 1M window, 128K output.
  claudeModern('claude-haiku-5-5', 'Claude Haiku 5.5', {
    date: '2026-10',
    uncertain: { fields: ['capabilities'], why: 'whether it thinks when not asked is not stated (default effort medium)' },
  }),
  claudeModern('claude-sonnet-5-5', 'Claude Sonnet 5.5', { date: '2026-09', thinkingByDefault: true }),
  claudeModern('claude-opus-5-5', 'Claude Opus 5.5', { date: '2026', thinkingByDefault: true }),
  claudeModern('claude-fable-5-1', 'Claude Fable 5.1', { date: '2026', thinkingByDefault: true }),
  claudeModern('claude-mythos-5-1', 'Claude Mythos 5.1', {
    date: '2026',
    thinkingByDefault: true,
    contextNote: 'invitation only; same specifications as Claude Fable 5.1',
  }),
  claudeModern('claude-opus-5', 'Claude Opus 5', { date: '2026-07', thinkingByDefault: true }),
  claudeModern('claude-sonnet-5', 'Claude Sonnet 5', { date: '2026-06', thinkingByDefault: true }),
  claudeModern('claude-fable-5', 'Claude Fable 5', { date: '2026-06', thinkingByDefault: true }),
  claudeModern('claude-mythos-5', 'Claude Mythos 5', {
    date: '2026-06',
    thinkingByDefault: true,
    contextNote: 'invitation only (Project Glasswing); same specifications as Claude Fable 5',
  }),
  claudeModern('claude-opus-4-8', 'Claude Opus 4.8', { date: '2026-05' }),
  claudeModern('claude-opus-4-7', 'Claude Opus 4.7', { date: '2026-04' }),
  // The SDK only warns that thinking.type=enabled is deprecated on Mythos Preview, so a budget is still sent.
  claudeModern('claude-mythos-preview', 'Claude Mythos Preview', {
    contextWindow: Number.POSITIVE_INFINITY,
    maxOutputTokens: Number.POSITIVE_INFINITY,
    thinking: 'anthropic-budget',
    date: '2026-04',
    uncertain: {
      fields: ['contextWindow', 'maxOutputTokens'],
      why: 'invitation-only preview: no limits found in the stored docs — set them in lengthwise.models',
    },
  }),
  // --- Anthropic: Claude 4.6 — 1M window, 128K output, no prefill; temperature still accepted.
  claude('claude-opus-4-6', 'Claude Opus 4.6', 128_000, {
    contextWindow: 1_000_000,
    supportsPrefill: false,
    samplingOneOf: true,
    source: `${CLAUDE_PAGES}; context window matches ${GENAI_PRICES}`,
    date: '2026-02',
    uncertain: { fields: ['capabilities'], why: 'temperature-or-top_p-but-not-both assumed as for the 4.5 models' },
  }),
  claude('claude-sonnet-4-6', 'Claude Sonnet 4.6', 128_000, {
    contextWindow: 1_000_000,
    supportsPrefill: false,
    samplingOneOf: true,
    source: `${CLAUDE_PAGES}; context window matches ${GENAI_PRICES}`,
    date: '2026-02',
    uncertain: {
      fields: ['maxOutputTokens', 'capabilities'],
      why: 'the model page says 128K output, tables from its release say 64K; temperature-or-top_p assumed as for 4.5',
    },
  }),
  // --- Anthropic: Claude 4.x. Opus 4.1 and the 4.5 models accept temperature or top_p, not both.
  claude('claude-opus-4-5', 'Claude Opus 4.5', 64_000, { date: '2025-11', samplingOneOf: true, aliases: ['claude-4-5-opus'] }),
  claude('claude-sonnet-4-5', 'Claude Sonnet 4.5', 64_000, {
    source: SEED,
    date: '2026',
    samplingOneOf: true,
    // The seed's "1M with a beta header" is history: genai-prices (2026-09) says the beta was retired 2026-04-30.
    contextNote: `1M context beta retired 2026-04-30 (requests over 200K now fail, per ${GENAI_PRICES}); deprecated, retires 2026-11-30 (@anthropic-ai/sdk 0.137.0)`,
    aliases: ['claude-4-5-sonnet'],
  }),
  claude('claude-haiku-4-5', 'Claude Haiku 4.5', 64_000, { date: '2025-10', samplingOneOf: true, aliases: ['claude-4-5-haiku'] }),
  claude('claude-opus-4-1', 'Claude Opus 4.1', 32_000, {
    date: '2025-08',
    samplingOneOf: true,
    contextNote: 'retired: the @anthropic-ai/sdk changelog removes "retired Claude Opus 4.1 models"',
  }),
  claude('claude-opus-4-0', 'Claude Opus 4', 32_000, { date: '2025-05', aliases: ['claude-opus-4', 'claude-4-opus'] }),
  claude('claude-sonnet-4-0', 'Claude Sonnet 4', 64_000, {
    date: '2025-05',
    contextNote: '1M with the context-1m beta header in 2025 (retired for Sonnet 4.5 on 2026-04-30; status for Sonnet 4 unknown)',
    aliases: ['claude-sonnet-4', 'claude-4-sonnet'],
  }),
  // --- Anthropic: Claude 3.x still served
  claude('claude-3-7-sonnet', 'Claude Sonnet 3.7', 64_000, {
    date: '2025-02',
    contextNote: '128K output with the output-128k beta header',
    aliases: ['claude-sonnet-3-7'],
  }),
  claude('claude-3-5-haiku', 'Claude Haiku 3.5', 8_192, { date: '2024-10', thinking: 'none', aliases: ['claude-haiku-3-5'] }),

  // --- Gemini
  gemini('gemini-2.5-pro', 'Gemini 2.5 Pro', 65_536, {
    source: SEED,
    date: '2026',
    thinkingBudgetMin: 128,
    thinkingBudgetMax: 32_768,
    thinkingCanDisable: false,
  }),
  gemini('gemini-2.5-flash', 'Gemini 2.5 Flash', 65_536, {
    date: '2025-06',
    thinkingBudgetMin: 0,
    thinkingBudgetMax: 24_576,
    thinkingCanDisable: true,
  }),
  gemini('gemini-2.5-flash-lite', 'Gemini 2.5 Flash-Lite', 65_536, {
    date: '2025-07',
    thinkingBudgetMin: 512,
    thinkingBudgetMax: 24_576,
    thinkingCanDisable: true,
  }),
  gemini('gemini-2.0-flash', 'Gemini 2.0 Flash', 8_192, { date: '2025-02', thinking: 'none' }),
  gemini('gemini-2.0-flash-lite', 'Gemini 2.0 Flash-Lite', 8_192, { date: '2025-02', thinking: 'none' }),
  // --- Gemini 3.x / 4 (2026). Gemini 3 prefers thinkingLevel; thinkingBudget stays accepted for backward
  // compatibility (Gemini 3 docs as recalled by the author, late 2025 — not re-verified for 3.5+).
  gemini('gemini-3.1-pro-preview', 'Gemini 3.1 Pro (preview)', 65_536, {
    source: GEMINI_2026,
    date: '2026',
    thinkingCanDisable: false,
  }),
  gemini('gemini-3.1-flash-lite', 'Gemini 3.1 Flash-Lite', 65_536, { source: `${GEMINI_2026}; ${dataWindow(1_000_000)}`, date: '2026' }),
  gemini('gemini-3.5-flash', 'Gemini 3.5 Flash', 65_536, { source: `${GEMINI_2026}; ${dataWindow(1_000_000)}`, date: '2026' }),
  gemini('gemini-3.5-flash-lite', 'Gemini 3.5 Flash-Lite', 65_536, {
    source: `id in @google/genai 2.32.0 and ${GENAI_PRICES}; 1,048,576 input as Google gives for Gemini 3.x Flash (${dataWindow(1_000_000)})`,
    date: '2026',
    uncertain: { fields: ['maxOutputTokens'], why: '65,536 output assumed as for the other Gemini 3.x Flash models' },
  }),
  gemini('gemini-3.6-flash', 'Gemini 3.6 Flash', 65_536, {
    source: `id in @google/genai 2.32.0 and ${GENAI_PRICES}; 1,048,576 input as Google gives for Gemini 3.x Flash (${dataWindow(1_000_000)})`,
    date: '2026',
    uncertain: { fields: ['maxOutputTokens'], why: '65,536 output assumed as for Gemini 3.5 and 3.8 Flash' },
  }),
  gemini('gemini-3.7-flash', 'Gemini 3.7 Flash', 65_536, {
    source: `id in @google/genai 2.32.0 and ${GENAI_PRICES}; 1,048,576 input as Google gives for Gemini 3.x Flash (${dataWindow(1_000_000)})`,
    date: '2026',
    uncertain: { fields: ['maxOutputTokens'], why: '65,536 output assumed as for Gemini 3.5 and 3.8 Flash' },
  }),
  gemini('gemini-3.8-flash', 'Gemini 3.8 Flash', 65_536, {
    source: `id in @google/genai 2.32.0 and ${GENAI_PRICES}; 65,536 output per Vercel AI Gateway model page; 1,048,576 input as Google gives for Gemini 3.x Flash (${dataWindow(1_000_000)})`,
    date: '2026',
  }),
  // One 1,048,576-token window shared by input and output; 65,536 output tokens per streamed request. Thinking is
  // set by levels (low/medium/high); no token budget is documented, so none is sent.
  gemini('gemini-4-argon', 'Gemini 4 Argon', 65_536, {
    maxInputTokens: undefined,
    source: 'Google Cloud "Get started with Gemini 4" and ai.google.dev latest-model guide (stored reference copies, read 2026-10); id in @google/genai 2.32.0',
    date: '2026',
    thinking: 'adaptive',
    thinkingByDefault: true,
    uncertain: { fields: ['capabilities'], why: 'whether thinkingBudget is accepted is not documented; it is not sent' },
  }),
  gemini('gemini-3-pro-preview', 'Gemini 3 Pro (preview)', 65_536, {
    source: GEMINI3_DOCS,
    date: '2025-11',
    thinkingCanDisable: false,
    aliases: ['gemini-3-pro'],
  }),
  gemini('gemini-3-flash-preview', 'Gemini 3 Flash (preview)', 65_536, {
    source: GEMINI3_DOCS,
    date: '2025-12',
    aliases: ['gemini-3-flash'],
  }),
];
