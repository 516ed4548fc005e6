// Cost of a request from normalized usage (see Usage in request.ts) and a model's price. Unknown price → null,
// never 0. Prices come from the bundled @pydantic/genai-prices data (prices.ts) unless `lengthwise.pricing`
// overrides them.
import type { ProviderId, Usage } from '../protocol/request';
import { isLoopbackUrl } from '../protocol/loopback';
import { asksServer, profileOf } from '../providers';
import { idCandidates } from '../providers/modelIds';
import { findCatalogModel } from '../models/models';
import { bundledPrice, type PriceLookupOptions } from './prices';
import { localPrice } from './local';
import type { ModelPrice, PriceTier, PricingOverride } from './types';

export type { ModelPrice, PricingOverride } from './types';

export type { PriceLookupOptions } from './prices';

export const OVERRIDE_SOURCE = 'lengthwise.pricing (your setting)';

function validRate(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;
}

/**
 * The user's lengthwise.pricing entry for a model, matched the way the catalog and the price data match ids: the id
 * itself (any case), then its undated forms (claude-sonnet-4-5-20250929 → claude-sonnet-4-5, gpt-4o-2024-08-06 →
 * gpt-4o, "-latest", Vertex "@date"), then the catalog model it names and that model's aliases (claude-4-5-sonnet).
 * The most specific key wins: a price set for the dated id beats one set for its model.
 */
export function overrideFor(provider: ProviderId, overrides: Record<string, PricingOverride> | undefined, model: string): PricingOverride | undefined {
  if (!overrides) return undefined;
  if (Object.prototype.hasOwnProperty.call(overrides, model)) return overrides[model];
  const byKey = new Map<string, PricingOverride>();
  for (const [k, v] of Object.entries(overrides)) {
    const key = k.trim().toLowerCase();
    if (!byKey.has(key)) byKey.set(key, v);
  }
  const catalog = findCatalogModel(provider, model);
  const names = [model.trim().toLowerCase(), ...idCandidates(model), ...(catalog ? [catalog.id, ...(catalog.aliases ?? [])] : [])];
  for (const name of names) {
    const hit = byKey.get(name);
    if (hit) return hit;
  }
  return undefined;
}

/**
 * The user's setting wins field by field over the bundled price. With only cache prices set, the bundled
 * input/output rates and their tiers stay; once input or output is set, the price is flat (no tiers).
 * Without input AND output known (from either), the price is unknown.
 */
function applyOverride(model: string, ov: PricingOverride, base: ModelPrice | undefined): ModelPrice | undefined {
  const input = validRate(ov.input);
  const output = validRate(ov.output);
  const cacheRead = validRate(ov.cacheRead);
  const cacheWrite = validRate(ov.cacheWrite);
  if (input === undefined && output === undefined && cacheRead === undefined && cacheWrite === undefined) return base;
  const inputPerM = input ?? base?.inputPerM;
  const outputPerM = output ?? base?.outputPerM;
  if (inputPerM === undefined || outputPerM === undefined) return undefined;
  const merged = !!base && (input === undefined || output === undefined || cacheRead === undefined || cacheWrite === undefined);
  const price: ModelPrice = {
    model: base && merged ? base.model : model,
    inputPerM,
    outputPerM,
    source: merged ? `${OVERRIDE_SOURCE} over ${base!.source}` : OVERRIDE_SOURCE,
    date: merged ? base!.date : '',
  };
  const cr = cacheRead ?? (merged ? base!.cacheReadPerM : undefined);
  const cw = cacheWrite ?? (merged ? base!.cacheWritePerM : undefined);
  if (cr !== undefined) price.cacheReadPerM = cr;
  if (cw !== undefined) price.cacheWritePerM = cw;
  // The bundled 1-hour rate is a multiple of the bundled input rate: with the user's own input rate it no longer applies.
  if (merged && input === undefined && base!.cacheWrite1hPerM !== undefined) price.cacheWrite1hPerM = base!.cacheWrite1hPerM;
  if (merged && base!.contextWindow) price.contextWindow = base!.contextWindow;
  if (base?.tiers && input === undefined && output === undefined) {
    price.tiers = base.tiers.map((t) => ({
      ...t,
      ...(cacheRead !== undefined ? { cacheReadPerM: cacheRead } : {}),
      ...(cacheWrite !== undefined ? { cacheWritePerM: cacheWrite } : {}),
    }));
  }
  return price;
}

/**
 * The price for a provider's model: `lengthwise.pricing` first, then the bundled data (exact id, then dated and
 * aliased variants, as genai-prices matches them). undefined = unknown (e.g. a local OpenAI-compatible model).
 */
export function findPrice(
  provider: ProviderId,
  model: string,
  overrides?: Record<string, PricingOverride>,
  opts?: PriceLookupOptions,
  fallback?: ModelPrice,
): ModelPrice | undefined {
  const base = bundledPrice(provider, model, opts) ?? fallback;
  const ov = overrideFor(provider, overrides, model);
  return ov ? applyOverride(model, ov, base) : base;
}

/** The tier in effect for a request with this many input tokens (undefined = base rates). */
function tierFor(price: ModelPrice, inputTokens: number): PriceTier | undefined {
  let tier: PriceTier | undefined;
  for (const t of price.tiers ?? []) if (inputTokens > t.aboveInputTokens) tier = t;
  return tier;
}

type CostPartKind = 'input' | 'cacheRead' | 'cacheWrite' | 'cacheWrite1h' | 'output';
interface CostPart {
  kind: CostPartKind;
  tokens: number;
  perM: number;
  usd: number;
  /** No own price for this kind: billed at the input rate (1-hour cache writes: at 2× the input rate). */
  atInputRate?: boolean;
}

/** Anthropic bills 1-hour cache writes at 2× the base input rate; used when the price data has no 1-hour rate. */
const CACHE_WRITE_1H_INPUT_MULTIPLE = 2;
export interface CostBreakdown {
  usd: number;
  parts: CostPart[];
  tier?: PriceTier;
  /** Assumptions a person should see next to the number. */
  notes: string[];
}

function count(n: number | undefined): number {
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0;
}

/**
 * Itemized cost. Usage is normalized: inputTokens includes cache reads and writes, outputTokens includes
 * reasoning/thinking tokens (billed as output). Above a tier's threshold the tier's rates apply to the whole
 * request. Cache tokens without their own price are billed at the input rate, as genai-prices does.
 */
export function costBreakdown(usage: Usage, price: ModelPrice | undefined): CostBreakdown | null {
  if (!price) return null;
  const input = count(usage.inputTokens);
  if (price.knownUpToInputTokens !== undefined && input > price.knownUpToInputTokens) return null;
  const cacheRead = count(usage.cacheReadTokens);
  const cacheWrite = count(usage.cacheWriteTokens);
  // 1-hour writes are a part of all writes; a provider reporting more 1-hour writes than writes is capped.
  const cacheWrite1h = Math.min(count(usage.cacheWrite1hTokens), cacheWrite);
  const output = count(usage.outputTokens);
  const tier = tierFor(price, input);
  const inRate = tier?.inputPerM ?? price.inputPerM;
  const outRate = tier?.outputPerM ?? price.outputPerM;
  const crRate = tier ? tier.cacheReadPerM : price.cacheReadPerM;
  const cwRate = tier ? tier.cacheWritePerM : price.cacheWritePerM;
  const cw1hRate = tier ? tier.cacheWrite1hPerM : price.cacheWrite1hPerM;
  const notes: string[] = [];
  if (cacheRead + cacheWrite > input) notes.push('The provider reported more cached tokens than input tokens; uncached input counted as 0.');
  const parts: CostPart[] = [];
  const add = (kind: CostPartKind, tokens: number, perM: number, atInputRate = false) => {
    const part: CostPart = { kind, tokens, perM, usd: (tokens * perM) / 1e6 };
    if (atInputRate) part.atInputRate = true;
    parts.push(part);
  };
  add('input', Math.max(0, input - cacheRead - cacheWrite), inRate);
  if (cacheRead > 0) {
    add('cacheRead', cacheRead, crRate ?? inRate, crRate === undefined);
    if (crRate === undefined) notes.push('No cache-read price known: cache reads billed at the input rate.');
  }
  const cacheWrite5m = cacheWrite - cacheWrite1h;
  if (cacheWrite5m > 0) {
    add('cacheWrite', cacheWrite5m, cwRate ?? inRate, cwRate === undefined);
    if (cwRate === undefined) notes.push('No cache-write price known: cache writes billed at the input rate.');
  }
  if (cacheWrite1h > 0) {
    add('cacheWrite1h', cacheWrite1h, cw1hRate ?? CACHE_WRITE_1H_INPUT_MULTIPLE * inRate, cw1hRate === undefined);
    if (cw1hRate === undefined) notes.push('No 1-hour cache-write price known: 1-hour cache writes billed at 2× the input rate.');
  }
  add('output', output, outRate);
  if (tier) notes.push(`Input above ${tier.aboveInputTokens.toLocaleString('en-US')} tokens: the whole request is billed at the higher tier.`);
  const usd = parts.reduce((s, p) => s + p.usd, 0);
  return tier ? { usd, parts, tier, notes } : { usd, parts, notes };
}

/** USD for a request; null when the price is unknown (never 0 for unknown). */
export function costOf(usage: Usage, price: ModelPrice | undefined): number | null {
  return costBreakdown(usage, price)?.usd ?? null;
}

/**
 * What the cache saved: the cache-read tokens at the input rate minus what they cost at the cache-read rate.
 * null when unknown (no price, or no cache-read price); 0 when nothing was read from a cache.
 */
export function cacheSavingUsd(usage: Usage, price: ModelPrice | undefined): number | null {
  const b = costBreakdown(usage, price);
  if (!b) return null;
  const read = b.parts.find((p) => p.kind === 'cacheRead');
  if (!read) return 0;
  if (read.atInputRate) return null;
  const inRate = b.tier?.inputPerM ?? price!.inputPerM;
  return Math.max(0, (read.tokens * inRate) / 1e6 - read.usd);
}

/** Before sending: every input token at the input rate plus the full output cap at the output rate. */
export function worstCaseCost(inputTokens: number, maxTokens: number, price: ModelPrice | undefined): number | null {
  if (!price) return null;
  return costOf({ inputTokens, outputTokens: maxTokens }, price);
}

export { formatUsd } from './money';

/**
 * The price for the effective settings: a provider without a price-data id (an OpenAI-compatible server) is priced
 * by its base URL, the official providers by model; lengthwise.pricing wins field by field. A server Lengthwise asks
 * about (an OpenAI-compatible one) on a loopback endpoint runs on this machine: a catalog model there keeps its
 * vendor's price (a local proxy in front of a paid API) and a model nobody prices costs $0, marked local. On any
 * other host, and for an official provider's own models through a proxy, an unknown model stays "price unknown".
 */
export function priceFor(s: { provider: ProviderId; model: string; pricing?: Record<string, PricingOverride>; baseUrl?: string }): ModelPrice | undefined {
  const profile = profileOf(s.provider);
  const opts = profile.priceId === undefined && s.baseUrl ? { baseUrl: s.baseUrl } : undefined;
  const local = asksServer(s.provider) && s.baseUrl && isLoopbackUrl(s.baseUrl) ? onThisMachine(s.provider, s.model, s.baseUrl) : undefined;
  return findPrice(s.provider, s.model, s.pricing, opts, local);
}

/** What a model served on this machine costs when no price list has its id: its vendor's price, else $0. */
function onThisMachine(provider: ProviderId, model: string, baseUrl: string): ModelPrice {
  const known = findCatalogModel(provider, model);
  return (known && bundledPrice(known.provider, known.id)) || localPrice(model, baseUrl);
}
