// Batch prices: the providers' batch APIs bill every token class at half the standard rate. The bundled price data
// has no batch prices, so the discount is applied here to whatever price is in effect (bundled or the user's
// lengthwise.pricing), and the price's source says so.
import type { ProviderId } from '../protocol/request';
import { profileOf } from '../providers';
import type { ModelPrice } from './cost';

/**
 * The price of a batch request: every rate (tiers and cache rates included) times (1 − discount). The price's own
 * `batchDiscount` wins over the provider's. undefined when the standard price is unknown or the provider has no
 * batch discount (never a guessed $0).
 */
export function batchPrice(price: ModelPrice | undefined, provider: ProviderId): ModelPrice | undefined {
  if (!price) return undefined;
  // Fraction off for batch requests, as each provider's pricing page states it (its profile).
  const known = profileOf(provider).batch;
  const fraction = price.batchDiscount ?? known?.fraction;
  if (fraction === undefined || !(fraction >= 0 && fraction < 1)) return undefined;
  const why = price.batchDiscount !== undefined ? `batch −${Math.round(fraction * 100)}%` : known!.source;
  return scaledPrice(price, 1 - fraction, why);
}

/** Every rate of `price` (tiers and cache rates included) times `k`, its source naming why. */
export function scaledPrice(price: ModelPrice, k: number, why: string): ModelPrice {
  const scale = <T extends object>(o: T, keys: (keyof T)[]): T => {
    const c = { ...o };
    for (const key of keys) if (typeof c[key] === 'number') (c[key] as unknown as number) = (c[key] as unknown as number) * k;
    return c;
  };
  const rates = ['inputPerM', 'outputPerM', 'cacheReadPerM', 'cacheWritePerM', 'cacheWrite1hPerM'] as const;
  const out = scale(price, [...rates]);
  if (price.tiers) out.tiers = price.tiers.map((t) => scale(t, [...rates]));
  out.source = `${price.source} · ${why}`;
  delete out.batchDiscount;
  return out;
}
