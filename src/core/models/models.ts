// Model lookup: configured id → catalog entry (limits + capabilities), with `lengthwise.models` overrides
// and custom models. Unknown models return undefined: the caller sends as configured and says the limits are unknown.
import { ownValue } from '../protocol/guards';
import type { ProviderId } from '../protocol/request';
import { MODEL_CATALOG } from './catalog';
import { idCandidates } from '../providers/modelIds';
import { profileOf } from '../providers';
import type { ModelInfo, ModelOverride } from './types';

export type { ModelInfo, ModelOverride } from './types';

/** The catalog entry for a configured id, without overrides. */
export function findCatalogModel(provider: ProviderId, model: string): ModelInfo | undefined {
  // An OpenAI-compatible server (proxy, router) may serve any vendor's model under its usual id (its profile says).
  const providers = profileOf(provider).serves;
  const entries = MODEL_CATALOG.filter((m) => providers.includes(m.provider));
  for (const cand of idCandidates(model)) {
    const hit = entries.find((m) => m.id === cand || (m.aliases ?? []).includes(cand));
    if (hit) return hit;
  }
  return undefined;
}

/**
 * Limits and capabilities of the configured model. `overrides` is lengthwise.models: its entry (keyed by the
 * configured id or the catalog id) replaces catalog limits, or describes a custom model (capabilities permissive).
 */
export function findModel(
  provider: ProviderId,
  model: string,
  overrides?: Record<string, ModelOverride | undefined>,
): ModelInfo | undefined {
  const base = findCatalogModel(provider, model);
  const ov = ownValue(overrides, model.trim()) ?? (base ? ownValue(overrides, base.id) : undefined);
  if (base && !ov) return base;
  if (base && ov) {
    const { uncertain: _uncertain, ...known } = base;
    return {
      ...known,
      contextWindow: ov.contextWindow ?? base.contextWindow,
      maxOutputTokens: ov.maxOutputTokens ?? base.maxOutputTokens,
      // A larger window set by the user replaces the documented input cap too.
      maxInputTokens: ov.contextWindow !== undefined ? undefined : base.maxInputTokens,
      supportsPrefill: ov.supportsPrefill ?? base.supportsPrefill,
      overridden: true,
      source: `lengthwise.models (over ${base.source})`,
      ...withoutOverridden(base.uncertain, ov),
    };
  }
  if (!ov) return undefined;
  return customModel(provider, model, ov, 'lengthwise.models (custom model)');
}

/**
 * A model the catalog does not know, with the limits given (unknown ones unbounded) and the capabilities a server
 * of that provider's kind usually has: for lengthwise.models entries and for models only a server reported.
 */
export function customModel(provider: ProviderId, model: string, ov: ModelOverride, source: string): ModelInfo {
  const profile = profileOf(provider);
  const reasoning = profile.guess(model).reasoning;
  const kind = profile.customVendor;
  return {
    id: model.trim(),
    provider: kind,
    displayName: model.trim(),
    contextWindow: ov.contextWindow ?? Number.POSITIVE_INFINITY,
    maxOutputTokens: ov.maxOutputTokens ?? Number.POSITIVE_INFINITY,
    reasoning,
    supportsStop: !reasoning,
    maxStopSequences: profile.stops.max,
    supportsTemperature: !reasoning,
    supportsTopP: !reasoning,
    // Unknown servers: no prefill unless the user says so. A wrong "yes" glues a restarted answer onto the old one;
    // a wrong "no" only makes continuation use its "continue exactly where you stopped" message.
    supportsPrefill: ov.supportsPrefill ?? false,
    thinking: reasoning ? 'openai-reasoning' : profile.thinking,
    source,
    date: '',
    custom: true,
  };
}

/** A catalog entry's uncertainty minus the figures set over it (by lengthwise.models or by the server). */
export function withoutOverridden(u: ModelInfo['uncertain'], ov: ModelOverride): Pick<ModelInfo, 'uncertain'> {
  if (!u) return {};
  const fields = u.fields.filter((f) => !(f === 'contextWindow' && ov.contextWindow !== undefined) && !(f === 'maxOutputTokens' && ov.maxOutputTokens !== undefined));
  return fields.length ? { uncertain: { fields, why: u.why } } : {};
}

/** "64K", "1M", "1,047,576": compact when exact, digits otherwise. */
export function formatTokens(n: number): string {
  if (!Number.isFinite(n)) return 'unknown';
  if (n >= 1_000_000 && (n % 1_000_000 === 0 || n % 1_048_576 === 0)) return `${n / (n % 1_000_000 === 0 ? 1_000_000 : 1_048_576)}M`;
  if (n >= 1000 && n % 1000 === 0) return `${n / 1000}K`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024}K`;
  return n.toLocaleString('en-US');
}
