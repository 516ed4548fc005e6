// The bundled model catalog: limits and capabilities of the models Lengthwise knows.
// Every entry names where its figures come from and when they were stated, so a stale number can be traced.
// Context windows were cross-checked against @pydantic/genai-prices 0.1.8 (bundled data, no network);
// that package has no output limits, so max output figures rest on the provider docs as cited.
import type { ModelInfo } from './models';

const SEED = 'seed model table in shared/notes/providers.md (2026)';
const OPENAI_DOCS =
  "OpenAI model pages (platform.openai.com/docs/models) as known to the author (knowledge to 2025); context window matches @pydantic/genai-prices 0.1.8";
const ANTHROPIC_DOCS =
  'Anthropic models overview (docs.anthropic.com/en/docs/about-claude/models) as known to the author (knowledge to 2025); context window matches @pydantic/genai-prices 0.1.8';
const GEMINI_DOCS =
  'Gemini API model pages (ai.google.dev/gemini-api/docs/models) as known to the author (knowledge to 2025); context window matches @pydantic/genai-prices 0.1.8';
const GEMINI3_DOCS =
  'Gemini API model pages (ai.google.dev/gemini-api/docs/models) for the Gemini 3 previews, author\'s recollection (late 2025, less certain); context window matches @pydantic/genai-prices 0.1.8';

/** OpenAI reasoning models: max_completion_tokens, no stop / temperature / top_p (see notes/providers.md). */
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
    ...extra,
  };
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
    // Claude before 4.6 continues a trailing assistant message (prefill); 4.6+ refuses it (notes/providers.md).
    supportsPrefill: true,
    thinking: 'anthropic-budget',
    source: ANTHROPIC_DOCS,
    ...extra,
  };
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
  // --- OpenAI: o-series (reasoning)
  openaiReasoning('o3', 'o3', 200_000, 100_000, { source: OPENAI_DOCS, date: '2025-04' }),
  openaiReasoning('o3-mini', 'o3-mini', 200_000, 100_000, { source: OPENAI_DOCS, date: '2025-01', aliases: ['o3-mini-high'] }),
  openaiReasoning('o4-mini', 'o4-mini', 200_000, 100_000, { source: OPENAI_DOCS, date: '2025-04', aliases: ['o4-mini-high'] }),
  openaiReasoning('o1', 'o1', 200_000, 100_000, { source: OPENAI_DOCS, date: '2024-12' }),
  // --- OpenAI: classic chat models
  openaiClassic('gpt-4.1', 'GPT-4.1', 1_047_576, 32_768, '2025-04'),
  openaiClassic('gpt-4.1-mini', 'GPT-4.1 mini', 1_047_576, 32_768, '2025-04'),
  openaiClassic('gpt-4.1-nano', 'GPT-4.1 nano', 1_047_576, 32_768, '2025-04'),
  openaiClassic('gpt-4o', 'GPT-4o', 128_000, 16_384, '2024-11'),
  openaiClassic('gpt-4o-mini', 'GPT-4o mini', 128_000, 16_384, '2024-07'),
  openaiClassic('chatgpt-4o-latest', 'ChatGPT-4o', 128_000, 16_384, '2024-11'),

  // --- Anthropic: Claude 4.x. Opus 4.1 and the 4.5 models accept temperature or top_p, not both.
  claude('claude-opus-4-5', 'Claude Opus 4.5', 64_000, { date: '2025-11', samplingOneOf: true, aliases: ['claude-4-5-opus'] }),
  claude('claude-sonnet-4-5', 'Claude Sonnet 4.5', 64_000, {
    source: SEED,
    date: '2026',
    samplingOneOf: true,
    contextNote: '1M with the context-1m beta header (set lengthwise.models to use it)',
    aliases: ['claude-4-5-sonnet'],
  }),
  claude('claude-haiku-4-5', 'Claude Haiku 4.5', 64_000, { date: '2025-10', samplingOneOf: true, aliases: ['claude-4-5-haiku'] }),
  claude('claude-opus-4-1', 'Claude Opus 4.1', 32_000, { date: '2025-08', samplingOneOf: true }),
  claude('claude-opus-4-0', 'Claude Opus 4', 32_000, { date: '2025-05', aliases: ['claude-opus-4', 'claude-4-opus'] }),
  claude('claude-sonnet-4-0', 'Claude Sonnet 4', 64_000, {
    date: '2025-05',
    contextNote: '1M with the context-1m beta header (set lengthwise.models to use it)',
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
