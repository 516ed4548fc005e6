// GitHub Copilot's per-token prices for the models it serves through VS Code (provider "vscode-lm", vendor
// "copilot"). Since June 2026 Copilot bills in AI Credits (1 credit = $0.01) per token, per model; GitHub publishes
// the rates in USD per million tokens. Copilot reports no usage to extensions, so every cost made from these rates
// rests on the model's own token count and is an estimate of the bill.
import type { ModelPrice, PriceTier } from './types';

const SOURCE = 'GitHub Copilot models and pricing (docs.github.com/en/copilot/reference/copilot-billing/models-and-pricing; github/docs data/tables/copilot/models-and-pricing.yml at 024f6b0)';
const DATE = '2026-12-07';
const URL = 'https://docs.github.com/en/copilot/reference/copilot-billing/models-and-pricing';

type Rates = [input: number, cachedInput: number, output: number, cacheWrite?: number];
/** A model's rates, and the long-context rates above an input threshold where GitHub lists one. */
type Row = { rates: Rates; above?: { tokens: number; rates: Rates } };

/** USD per million tokens, by the model's name as GitHub lists it. */
const TABLE: Readonly<Record<string, Row>> = {
  'GPT-5 mini': { rates: [0.25, 0.025, 2.0] },
  'GPT-5.3-Codex': { rates: [1.75, 0.175, 14.0] },
  'GPT-5.4': { rates: [2.5, 0.25, 15.0], above: { tokens: 272_000, rates: [5.0, 0.5, 22.5] } },
  'GPT-5.4 mini': { rates: [0.75, 0.075, 4.5] },
  'GPT-5.4 nano': { rates: [0.2, 0.02, 1.25] },
  'GPT-5.5': { rates: [5.0, 0.5, 30.0], above: { tokens: 272_000, rates: [10.0, 1.0, 45.0] } },
  'GPT-5.6 Luna': { rates: [0.2, 0.02, 1.2, 0.25], above: { tokens: 200_000, rates: [0.4, 0.04, 1.8, 0.5] } },
  'GPT-5.6 Sol': { rates: [5.0, 0.5, 30.0, 6.25], above: { tokens: 272_000, rates: [10.0, 1.0, 45.0, 12.5] } },
  'GPT-5.6 Terra': { rates: [2.0, 0.2, 12.0, 2.5], above: { tokens: 272_000, rates: [4.0, 0.4, 18.0, 5.0] } },
  'Claude Haiku 4.5': { rates: [1.0, 0.1, 5.0, 1.25] },
  'Claude Sonnet 4': { rates: [3.0, 0.3, 15.0, 3.75] },
  'Claude Sonnet 4.5': { rates: [3.0, 0.3, 15.0, 3.75] },
  'Claude Sonnet 4.6': { rates: [3.0, 0.3, 15.0, 3.75] },
  'Claude Opus 4.5': { rates: [5.0, 0.5, 25.0, 6.25] },
  'Claude Opus 4.6': { rates: [5.0, 0.5, 25.0, 6.25] },
  'Claude Opus 4.7': { rates: [5.0, 0.5, 25.0, 6.25] },
  'Claude Opus 4.8': { rates: [5.0, 0.5, 25.0, 6.25] },
  'Claude Opus 5': { rates: [5.0, 0.5, 25.0, 6.25] },
  'Claude Sonnet 5': { rates: [2.0, 0.2, 10.0, 2.5] },
  'Claude Fable 5': { rates: [10.0, 1.0, 50.0, 12.5] },
  'Gemini 3.1 Pro': { rates: [2.0, 0.2, 12.0], above: { tokens: 200_000, rates: [4.0, 0.4, 18.0] } },
  'Gemini 3.5 Flash': { rates: [1.5, 0.15, 9.0] },
  'Gemini 3.6 Flash': { rates: [0.75, 0.075, 3.75] },
  'Gemini 3.7 Flash': { rates: [0.75, 0.075, 3.75] },
  'Grok 4.5': { rates: [2.0, 0.5, 6.0], above: { tokens: 200_000, rates: [4.0, 1.0, 12.0] } },
  'Grok 4.6': { rates: [2.0, 0.5, 6.0], above: { tokens: 200_000, rates: [4.0, 1.0, 12.0] } },
  'MAI-Code-1-Flash': { rates: [0.75, 0.075, 4.5] },
  'MAI-Code-1.1-Flash': { rates: [0.2, 0.02, 1.2] },
  'Raptor mini': { rates: [0.25, 0.025, 2.0] },
  'Kimi K2.7 Code': { rates: [0.95, 0.19, 4.0] },
  'Kimi K3': { rates: [3.0, 0.3, 15.0] },
};

/** "Claude Sonnet 4.5", "claude-sonnet-4-5" and "claude-sonnet-4.5" → one key. */
function key(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-')
    .replace(/(\d)-(?=\d)/g, '$1.');
}

const BY_KEY = new Map(Object.entries(TABLE).map(([name, row]) => [key(name), { name, row }]));

function tier(above: NonNullable<Row['above']>): PriceTier {
  const [inputPerM, cacheReadPerM, outputPerM, cacheWritePerM] = above.rates;
  const t: PriceTier = { aboveInputTokens: above.tokens, inputPerM, outputPerM, cacheReadPerM };
  if (cacheWritePerM !== undefined) t.cacheWritePerM = cacheWritePerM;
  return t;
}

/**
 * The price of a Copilot model named `vendor/id` in VS Code ("copilot/gpt-5.4", "copilot/claude-sonnet-4.5");
 * undefined for another vendor's models or a model GitHub does not list (price unknown, never $0).
 */
export function copilotPrice(model: string): ModelPrice | undefined {
  const slash = model.indexOf('/');
  if (slash < 0 || model.slice(0, slash).trim().toLowerCase() !== 'copilot') return undefined;
  const hit = BY_KEY.get(key(model.slice(slash + 1)));
  if (!hit) return undefined;
  const [inputPerM, cacheReadPerM, outputPerM, cacheWritePerM] = hit.row.rates;
  const price: ModelPrice = { model: hit.name, inputPerM, outputPerM, cacheReadPerM, source: `${SOURCE} · ${hit.name} · an estimate: Copilot reports no usage`, date: DATE, url: URL };
  if (cacheWritePerM !== undefined) price.cacheWritePerM = cacheWritePerM;
  if (hit.row.above) price.tiers = [tier(hit.row.above)];
  return price;
}
