// Bundled price data: @pydantic/genai-prices' own data and model matcher (dated ids, aliases), adapted to
// Lengthwise's ModelPrice. Only its synchronous, offline API is used: never updatePrices() (it fetches from GitHub).
// The package is loaded on first use, from a separate chunk in the bundle (see lazyChunk.ts).
import type * as GenaiPrices from '@pydantic/genai-prices';
import type { ProviderId } from '../protocol/request';
import type { ModelPrice, PriceTier } from './types';
import { loadData, loadDataAsync } from '../lazyData';
import { findCatalogModel } from '../models/models';
import { PROFILES, profileOf, type ProviderProfile } from '../providers';
import { copilotPrice } from './copilotPrices';

/** The bundled data's identity. test/unit/pricing/cost.test.ts fails when the installed version differs, so the date is kept true. */
export const PRICE_DATA = {
  name: '@pydantic/genai-prices',
  version: '0.1.8',
  /** npm publish date of that version: the age of its price snapshot. */
  date: '2026-09-23',
} as const;

let lib: typeof GenaiPrices | undefined;
function genaiPrices(): typeof GenaiPrices {
  return (lib ??= loadData<typeof GenaiPrices>('vendor/genai-prices', '@pydantic/genai-prices'));
}

/**
 * Loads the price data now. A host that reads its data asynchronously (the browser's web worker) awaits this before
 * anything is priced: a lookup before it would throw (lazyData.ts), never answer "price unknown" for a known model.
 */
export async function loadPrices(): Promise<void> {
  lib ??= await loadDataAsync<typeof GenaiPrices>('vendor/genai-prices', '@pydantic/genai-prices');
}


export interface PriceLookupOptions {
  /** For openai-compatible: the server's base URL; known hosts (Groq, OpenRouter, DeepSeek, …) get their own prices. */
  baseUrl?: string;
  /** When the price applies (some models changed price on a date, or have off-peak hours). Default: now. */
  at?: Date;
}

type Tiered = { base: number; tiers: { start: number; price: number }[] };
type RawPrice = Record<string, number | Tiered | undefined>;

function isTiered(v: unknown): v is Tiered {
  return typeof v === 'object' && v !== null && typeof (v as Tiered).base === 'number' && Array.isArray((v as Tiered).tiers);
}
function baseRate(v: RawPrice[string]): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return v;
  if (isTiered(v)) return v.base;
  return undefined;
}
/** The rate when input tokens exceed `above` (genai-prices: a tier applies when input_tokens > start). */
function rateAbove(v: RawPrice[string], above: number): number | undefined {
  if (!isTiered(v)) return baseRate(v);
  let rate = v.base;
  for (const t of [...v.tiers].sort((a, b) => a.start - b.start)) if (above >= t.start) rate = t.price;
  return rate;
}

/** Converts genai-prices' per-model prices to a ModelPrice; undefined when input or output prices are missing.
 * `tierStarts`: the price data's provider's own tier boundaries (its profile's priceTierStarts). */
function adaptPrice(raw: RawPrice, model: string, source: string, date: string, tierStarts: Readonly<Record<number, number>> = {}): ModelPrice | undefined {
  const inputPerM = baseRate(raw.input_mtok);
  const outputPerM = baseRate(raw.output_mtok);
  if (inputPerM === undefined || outputPerM === undefined) return undefined;
  const price: ModelPrice = { model, inputPerM, outputPerM, source, date };
  const cacheRead = baseRate(raw.cache_read_mtok);
  const cacheWrite = baseRate(raw.cache_write_mtok);
  const cacheWrite1h = baseRate(raw.cache_write_1h_mtok);
  if (cacheRead !== undefined) price.cacheReadPerM = cacheRead;
  if (cacheWrite !== undefined) price.cacheWritePerM = cacheWrite;
  if (cacheWrite1h !== undefined) price.cacheWrite1hPerM = cacheWrite1h;

  const keys = ['input_mtok', 'output_mtok', 'cache_read_mtok', 'cache_write_mtok', 'cache_write_1h_mtok'] as const;
  const starts = new Set<number>();
  for (const k of keys) {
    const v = raw[k];
    if (isTiered(v)) for (const t of v.tiers) starts.add(t.start);
  }
  if (starts.size) {
    price.tiers = [...starts]
      .sort((a, b) => a - b)
      .map((above) => {
        const tier: PriceTier = {
          aboveInputTokens: tierStarts[above] ?? above,
          inputPerM: rateAbove(raw.input_mtok, above) as number,
          outputPerM: rateAbove(raw.output_mtok, above) as number,
        };
        const cr = rateAbove(raw.cache_read_mtok, above);
        const cw = rateAbove(raw.cache_write_mtok, above);
        const cw1h = rateAbove(raw.cache_write_1h_mtok, above);
        if (cr !== undefined) tier.cacheReadPerM = cr;
        if (cw !== undefined) tier.cacheWritePerM = cw;
        if (cw1h !== undefined) tier.cacheWrite1hPerM = cw1h;
        return tier;
      });
  }
  return price;
}

/** The profile whose price-data id is `id` (the data's provider may differ from the configured one: a proxy). */
function priceDataProfile(id: string): ProviderProfile | undefined {
  return Object.values(PROFILES).find((p) => p.priceId === id);
}

const memo = new Map<string, ModelPrice | undefined>();

/** The bundled price for a provider's model, matched the way genai-prices matches (exact, dated and aliased ids). */
export function bundledPrice(provider: ProviderId, model: string, opts: PriceLookupOptions = {}): ModelPrice | undefined {
  const id = model.trim().replace(/^models\//, ''); // Gemini sometimes names models "models/gemini-…"
  if (!id) return undefined;
  const key = `${provider}\u0000${opts.baseUrl ?? ''}\u0000${id.toLowerCase()}`;
  if (!opts.at && memo.has(key)) return memo.get(key);

  const priceId = profileOf(provider).priceId;
  // VS Code's language models: GitHub's Copilot rates, not the price data (never loaded for them).
  if (priceId === 'copilot') return copilotPrice(id);
  const g = genaiPrices();
  let where: GenaiPrices.PriceOptions;
  if (priceId === undefined) {
    // Only a server genai-prices knows by its URL (or OpenAI itself, with no base URL) has a known price;
    // a local or unknown server's model is "price unknown" until the user sets lengthwise.pricing.
    where = opts.baseUrl ? { providerApiUrl: opts.baseUrl.trim() } : { providerId: 'openai' };
  } else {
    where = { providerId: priceId };
  }
  const lookup = (modelId: string): ReturnType<typeof g.calcPrice> => {
    try {
      return g.calcPrice({ input_tokens: 0, output_tokens: 0 }, modelId, { ...where, timestamp: opts.at ?? new Date() });
    } catch {
      return null;
    }
  };
  let found = lookup(id);
  // An alias the catalog knows (claude-4-5-sonnet, gemini-3-pro…) is priced as the model it names.
  const canonical = found ? undefined : findCatalogModel(provider, id)?.id;
  if (canonical && canonical !== id) found = lookup(canonical);
  const price = found
    ? adaptPrice(
        found.model_price as RawPrice,
        found.model.id,
        `${PRICE_DATA.name} ${PRICE_DATA.version} (${found.provider.name} · ${found.model.id})`,
        PRICE_DATA.date,
        priceDataProfile(found.provider.id)?.priceTierStarts,
      )
    : undefined;
  if (price && found?.model.context_window) price.contextWindow = found.model.context_window;
  if (price && found?.provider.pricing_urls?.[0]) price.url = found.provider.pricing_urls[0];
  // Prices with date or time-of-day constraints depend on `at`: only constant prices are memoized.
  if (!opts.at && !(found && Array.isArray(found.model.prices))) memo.set(key, price);
  return price;
}
