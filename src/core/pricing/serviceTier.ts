// The price of a processing tier (lengthwise.serviceTier): standard is the model's price; flex a fraction of it as
// the provider's profile states; priority the provider's own rates (tierPrices.ts). `flex` / `priority` rates in
// lengthwise.pricing win field by field. A request is priced by the tier that served it, which the response says;
// when it says nothing Lengthwise knows, the dearer of the tier asked for and standard is used (never the cheaper
// guess).
import type { ProviderId, ServiceTier, Usage } from '../protocol/request';
import { profileOf } from '../providers';
import { scaledPrice } from './batch';
import { costOf, OVERRIDE_SOURCE, overrideFor, priceFor, type ModelPrice, type PricingOverride } from './cost';
import { bundledPriorityRates, geminiPriorityMultiple, GEMINI_PRIORITY_MULTIPLE } from './tierPrices';
import type { PricingRates } from './types';

type PriceSettings = { provider: ProviderId; model: string; pricing?: Record<string, PricingOverride>; baseUrl?: string };

const validRate = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined);

/** The bundled price of a tier above standard, before the user's own rates. */
function bundledTierPrice(s: PriceSettings, tier: Exclude<ServiceTier, 'standard'>, standard: ModelPrice | undefined): ModelPrice | undefined {
  const offer = profileOf(s.provider).tiers[tier];
  if (!offer) return undefined;
  if (offer.price !== 'table') return standard && scaledPrice(standard, offer.price.fractionOfStandard, offer.price.source);
  if (s.provider === 'gemini') {
    const m = geminiPriorityMultiple(s.model);
    return standard && m !== undefined ? { ...scaledPrice(standard, m, GEMINI_PRIORITY_MULTIPLE.source), date: GEMINI_PRIORITY_MULTIPLE.date } : undefined;
  }
  const found = bundledPriorityRates(s.provider, s.model);
  if (!found) return undefined;
  const price: ModelPrice = { model: found.id, ...found.rates, source: `${found.table.source} · ${tier}`, date: found.table.date };
  if (found.table.knownUpToInputTokens !== undefined) price.knownUpToInputTokens = found.table.knownUpToInputTokens;
  return price;
}

/** The user's `flex` / `priority` rates, field by field over the bundled tier price; undefined when input or output stay unknown. */
function withUserRates(model: string, tier: string, rates: PricingRates, base: ModelPrice | undefined): ModelPrice | undefined {
  const input = validRate(rates.input) ?? base?.inputPerM;
  const output = validRate(rates.output) ?? base?.outputPerM;
  if (input === undefined || output === undefined) return undefined;
  const own = validRate(rates.input) !== undefined && validRate(rates.output) !== undefined;
  const price: ModelPrice = {
    model: base?.model ?? model,
    inputPerM: input,
    outputPerM: output,
    source: own || !base ? `${OVERRIDE_SOURCE} · ${tier}` : `${OVERRIDE_SOURCE} · ${tier} over ${base.source}`,
    date: own || !base ? '' : base.date,
  };
  // The user's own rates price any length; rates taken from the bundled table keep its limit.
  if (!own && base?.knownUpToInputTokens !== undefined) price.knownUpToInputTokens = base.knownUpToInputTokens;
  const cr = validRate(rates.cacheRead) ?? (own ? undefined : base?.cacheReadPerM);
  const cw = validRate(rates.cacheWrite) ?? (own ? undefined : base?.cacheWritePerM);
  if (cr !== undefined) price.cacheReadPerM = cr;
  if (cw !== undefined) price.cacheWritePerM = cw;
  return price;
}

/** The price of `tier` for the settings' model; undefined = unknown (its cost is "price unknown", never $0). */
export function tierPrice(s: PriceSettings, tier: ServiceTier, standard: ModelPrice | undefined = priceFor(s)): ModelPrice | undefined {
  if (tier === 'standard') return standard;
  const bundled = bundledTierPrice(s, tier, standard);
  const own = overrideFor(s.provider, s.pricing, s.model)?.[tier];
  return own && typeof own === 'object' ? withUserRates(s.model, tier, own, bundled) : bundled;
}

/** Prices by tier for one request's settings, computed once each. */
export function tierPricer(s: PriceSettings): (tier: ServiceTier) => ModelPrice | undefined {
  const standard = priceFor(s);
  const memo = new Map<ServiceTier, ModelPrice | undefined>();
  return (tier) => {
    if (!memo.has(tier)) memo.set(tier, tierPrice(s, tier, standard));
    return memo.get(tier);
  };
}

/**
 * The price a finished request is billed at: the served tier's, when the response named one; else the dearer of the
 * tier asked for and standard for this usage (undefined when either is unknown: never the cheaper guess).
 */
export function billedPrice(priceOf: (t: ServiceTier) => ModelPrice | undefined, asked: ServiceTier, served: ServiceTier | undefined, usage: Usage): ModelPrice | undefined {
  if (served) return priceOf(served);
  if (asked === 'standard') return priceOf('standard');
  const a = priceOf(asked);
  const std = priceOf('standard');
  if (!a || !std) return undefined;
  return (costOf(usage, a) ?? 0) >= (costOf(usage, std) ?? 0) ? a : std;
}
