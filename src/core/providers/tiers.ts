// Reading a provider's tier facts (its profile's `tiers`): whether a tier is sent for a model, which tier a response
// says served it, and whether an error is the provider refusing the tier (busy, or not sold for the model).
import type { PaidTier, ProviderId, ServiceTier } from '../protocol/request';
import { profileOf } from './index';

/** The longest tier word a response is read for: anything longer is not a tier name. */
const MAX_TIER_WORD = 40;

/** Lengthwise's tier for the word a response used (case and spaces aside); undefined when it is not one the profile knows. */
export function servedTier(provider: ProviderId, raw: string): ServiceTier | undefined {
  if (raw.length > MAX_TIER_WORD) return undefined;
  const word = raw.trim().toLowerCase();
  const served = profileOf(provider).tiers.served;
  return Object.hasOwn(served, word) ? served[word] : undefined;
}

/** Whether an error answering a request that asked for `tier` is the provider refusing the tier, and why. */
export function tierRefusal(provider: ProviderId, tier: PaidTier, status: number | undefined, message: string): 'busy' | 'not-offered' | undefined {
  if (status === undefined) return undefined;
  // Error bodies are bounded before they get here (serverText); only the start is read.
  const text = message.slice(0, 2000).toLowerCase();
  for (const r of profileOf(provider).tiers.refusals) {
    if (r.tier !== tier || !r.status.includes(status)) continue;
    if (r.says.length === 0 || r.says.some((w) => text.includes(w))) return r.why;
  }
  return undefined;
}

export type TierDecision = { send: PaidTier } | { send?: undefined; why?: string };

/** Whether `asked` is sent for this model, or why not (for the plan's note); standard sends nothing. */
export function tierDecision(provider: ProviderId, model: string, asked: ServiceTier): TierDecision {
  if (asked === 'standard') return {};
  const p = profileOf(provider);
  const offer = p.tiers[asked];
  if (!offer) {
    // Someone else's server (no official host): what it sells and at what price is not known here.
    const who = p.officialHost ? `${p.label} sells no ${asked} tier` : `the ${asked} tier of an ${p.label} and its price are not known here`;
    return { why: who };
  }
  if (offer.offers(model) === false) return { why: `${model} does not offer the ${asked} tier (${offer.wire})` };
  return { send: asked };
}

/** The tier a request for `model` goes at when `asked` is set: the one asked for where it is sold, else standard. */
export function sentTier(provider: ProviderId, model: string, asked: ServiceTier): ServiceTier {
  return tierDecision(provider, model, asked).send ?? 'standard';
}
