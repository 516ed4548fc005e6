// Bundled rates of the priority tiers (lengthwise.serviceTier "priority"), USD per million tokens, from each
// provider's own page with the date it was read. The flex tiers need no table: their profiles state them as a
// fraction of the standard rates. A model not listed here has no known priority price: its cost is "price unknown"
// until lengthwise.pricing gives it `priority` rates (never the standard price, never $0).
import type { ProviderId } from '../protocol/request';
import { entryForModel } from '../providers/modelIds';

export interface TierRates {
  inputPerM: number;
  outputPerM: number;
  cacheReadPerM?: number;
  cacheWritePerM?: number;
  cacheWrite1hPerM?: number;
}

export interface TierTable {
  source: string;
  /** When the page was read (YYYY-MM-DD). */
  date: string;
  rates: Readonly<Record<string, TierRates>>;
  /** The rates hold up to this many input tokens; above, the page gives none (ModelPrice.knownUpToInputTokens). */
  knownUpToInputTokens?: number;
}

/**
 * OpenAI priority processing (openai.com/api-priority-processing, stored copies read 2026-12-07): input, cached input
 * and output per million tokens. The page says the rates exclude long context (prompts estimated over 128K tokens).
 */
const OPENAI_PRIORITY: TierTable = {
  source: 'OpenAI priority processing (openai.com/api-priority-processing)',
  date: '2026-12-07',
  knownUpToInputTokens: 128_000,
  rates: {
    'gpt-5.5': { inputPerM: 12.5, cacheReadPerM: 1.25, outputPerM: 75 },
    'gpt-5.4-mini': { inputPerM: 1.5, cacheReadPerM: 0.15, outputPerM: 9 },
    'gpt-5.4': { inputPerM: 5, cacheReadPerM: 0.5, outputPerM: 30 },
    'gpt-5.2': { inputPerM: 3.5, cacheReadPerM: 0.35, outputPerM: 28 },
    'gpt-5.1': { inputPerM: 2.5, cacheReadPerM: 0.25, outputPerM: 20 },
    'gpt-5': { inputPerM: 2.5, cacheReadPerM: 0.25, outputPerM: 20 },
    'gpt-5-mini': { inputPerM: 0.45, cacheReadPerM: 0.045, outputPerM: 3.6 },
    'gpt-5.1-codex': { inputPerM: 2.5, cacheReadPerM: 0.25, outputPerM: 20 },
    'gpt-5-codex': { inputPerM: 2.5, cacheReadPerM: 0.25, outputPerM: 20 },
    'gpt-4.1': { inputPerM: 3.5, cacheReadPerM: 0.875, outputPerM: 14 },
    'gpt-4.1-mini': { inputPerM: 0.7, cacheReadPerM: 0.175, outputPerM: 2.8 },
    'gpt-4.1-nano': { inputPerM: 0.2, cacheReadPerM: 0.05, outputPerM: 0.8 },
    'gpt-4o': { inputPerM: 4.25, cacheReadPerM: 2.125, outputPerM: 17 },
    'gpt-4o-2024-05-13': { inputPerM: 8.75, outputPerM: 26.25 },
    'gpt-4o-mini': { inputPerM: 0.25, cacheReadPerM: 0.125, outputPerM: 1 },
    o3: { inputPerM: 3.5, cacheReadPerM: 0.875, outputPerM: 14 },
    'o4-mini': { inputPerM: 2, cacheReadPerM: 0.5, outputPerM: 8 },
  },
};

/**
 * Anthropic fast mode (platform.claude.com/docs/en/build-with-claude/fast-mode, stored copy read 2026-12-07): Claude
 * Opus 5 at $10 / $50 per million tokens across the whole context window; prompt-caching multipliers apply on top
 * (reads 0.1×, 5-minute writes 1.25×, 1-hour writes 2× the input rate). The page lists no rates for the other models
 * that offer fast mode.
 */
const ANTHROPIC_FAST: TierTable = {
  source: 'Anthropic fast mode pricing (platform.claude.com/docs/en/build-with-claude/fast-mode)',
  date: '2026-12-07',
  rates: {
    'claude-opus-5': { inputPerM: 10, outputPerM: 50, cacheReadPerM: 1, cacheWritePerM: 12.5, cacheWrite1hPerM: 20 },
  },
};

/**
 * Gemini Priority: "75% to 100% more than standard" (ai.google.dev/gemini-api/docs/optimization); the bundled price
 * data states 1.8× for these two models (price comments of @pydantic/genai-prices 0.1.8, citing
 * ai.google.dev/gemini-api/docs/pricing). Multiples of the standard price, so they are not rates here.
 */
export const GEMINI_PRIORITY_MULTIPLE: { source: string; date: string; multiples: Readonly<Record<string, number>> } = {
  source: 'Gemini Priority: 1.8× standard (ai.google.dev/gemini-api/docs/pricing, via @pydantic/genai-prices 0.1.8)',
  date: '2026-09-23',
  multiples: { 'gemini-3.7-flash': 1.8, 'gemini-3.8-flash': 1.8 },
};

const PRIORITY_TABLES: Partial<Record<ProviderId, TierTable>> = { openai: OPENAI_PRIORITY, anthropic: ANTHROPIC_FAST };

/** The bundled priority rates of a model (exact id first, then without its snapshot date), with their table. */
export function bundledPriorityRates(provider: ProviderId, model: string): { rates: TierRates; table: TierTable; id: string } | undefined {
  const table = PRIORITY_TABLES[provider];
  if (!table) return undefined;
  const found = entryForModel(table.rates, model);
  return found && { rates: found.value, table, id: found.id };
}

/** Gemini's priority multiple of a model, when the bundled data states one. */
export function geminiPriorityMultiple(model: string): number | undefined {
  return entryForModel(GEMINI_PRIORITY_MULTIPLE.multiples, model)?.value;
}
