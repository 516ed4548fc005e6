// Model lookup: configured id → catalog entry (limits + capabilities), with `lengthwise.models` overrides
// and custom models. Unknown models return undefined: the caller sends as configured and says the limits are unknown.
import { ownValue } from '../protocol/guards';
import type { ProviderId } from '../protocol/request';
import { MODEL_CATALOG } from './catalog';
import type { CatalogProvider, ModelInfo, ModelOverride } from './types';

export type { ModelInfo, ModelOverride } from './types';

/** OpenAI models that take max_completion_tokens and refuse stop/temperature/top_p: o-series and GPT-5 and later. */
export function isOpenAIReasoningModel(model: string): boolean {
  const id = stripPrefixes(model.trim().toLowerCase());
  // o1, o3, o3-mini, o4-mini-2025-04-16, o1-pro …
  if (/^o\d+(-|$)/.test(id)) return true;
  // gpt-5, gpt-5.2, gpt-5-mini-2025-08-07 …; later major versions are assumed to keep the rules
  // (sending no stop/temperature with a note is safer than a 400).
  if (/^gpt-([5-9]|\d{2,})([.-]|$)/.test(id)) return true;
  return false;
}

/** Removes routing prefixes that are not part of the model id: Gemini `models/`, OpenRouter-style `vendor/`. */
function stripPrefixes(id: string): string {
  let s = id;
  if (s.startsWith('models/')) s = s.slice('models/'.length);
  const slash = s.lastIndexOf('/');
  if (slash >= 0) s = s.slice(slash + 1);
  return s;
}

/** Candidate catalog ids for a configured id: itself, then without snapshot dates / -latest / -preview dates. */
function idCandidates(model: string): string[] {
  const out: string[] = [];
  const push = (s: string) => {
    if (s && !out.includes(s)) out.push(s);
  };
  let id = stripPrefixes(model.trim().toLowerCase());
  push(id);
  // Vertex style "claude-sonnet-4-5@20250929"
  id = id.replace(/@\d{8}$/, '');
  push(id);
  // OpenRouter style "claude-sonnet-4.5" → "claude-sonnet-4-5"; "claude-3.7-sonnet" → "claude-3-7-sonnet"
  if (id.startsWith('claude')) {
    id = id.replace(/(\d)\.(\d)/g, '$1-$2');
    push(id);
  }
  for (let i = 0; i < 3; i++) {
    const before = id;
    id = id
      .replace(/-latest$/, '')
      .replace(/-\d{4}-\d{2}-\d{2}$/, '') // OpenAI snapshot gpt-4o-2024-08-06
      .replace(/-\d{8}$/, '') // Anthropic snapshot claude-sonnet-4-5-20250929
      .replace(/-preview-\d{2}-\d{2,4}$/, '') // Gemini gemini-2.5-flash-preview-09-2025, -preview-05-06
      .replace(/-\d{3}$/, ''); // Gemini gemini-2.0-flash-001
    push(id);
    if (id === before) break;
  }
  return out;
}

function catalogProviders(provider: ProviderId): CatalogProvider[] {
  // An OpenAI-compatible server (proxy, router) may serve any vendor's model under its usual id.
  return provider === 'openai-compatible' ? ['openai', 'anthropic', 'gemini'] : [provider];
}

/** The catalog entry for a configured id, without overrides. */
export function findCatalogModel(provider: ProviderId, model: string): ModelInfo | undefined {
  const providers = catalogProviders(provider);
  const entries = MODEL_CATALOG.filter((m) => providers.includes(m.provider));
  for (const cand of idCandidates(model)) {
    const hit = entries.find((m) => m.id === cand || (m.aliases ?? []).includes(cand));
    if (hit) return hit;
  }
  return undefined;
}

function customProvider(provider: ProviderId): CatalogProvider {
  return provider === 'openai-compatible' ? 'openai' : provider;
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
  const reasoning = provider === 'openai' && isOpenAIReasoningModel(model);
  const kind = customProvider(provider);
  return {
    id: model.trim(),
    provider: kind,
    displayName: model.trim(),
    contextWindow: ov.contextWindow ?? Number.POSITIVE_INFINITY,
    maxOutputTokens: ov.maxOutputTokens ?? Number.POSITIVE_INFINITY,
    reasoning,
    supportsStop: !reasoning,
    maxStopSequences: provider === 'openai' ? 4 : provider === 'gemini' ? 5 : undefined,
    supportsTemperature: !reasoning,
    supportsTopP: !reasoning,
    // Unknown servers: no prefill unless the user says so. A wrong "yes" glues a restarted answer onto the old one;
    // a wrong "no" only makes continuation use its "continue exactly where you stopped" message.
    supportsPrefill: ov.supportsPrefill ?? false,
    thinking: reasoning
      ? 'openai-reasoning'
      : provider === 'anthropic'
        ? 'anthropic-budget'
        : provider === 'gemini'
          ? 'gemini-budget'
          : 'none',
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

/** Claude generation from an id ("claude-opus-4-7" → 4.7, "claude-fable-5-1" → 5.1); undefined when not parseable. */
function claudeVersion(model: string): { line: string; major: number; minor: number } | undefined {
  const id = idCandidates(model).at(-1) ?? model;
  // claude-opus-4-7, claude-sonnet-5, claude-4-6-opus (old order), claude-3-7-sonnet
  const m = /^claude-(?:([a-z]+)-)?(\d+)(?:-(\d{1,2}))?(?:-([a-z]+))?(?:-|$)/.exec(id);
  if (!m) return undefined;
  return { line: m[1] ?? m[4] ?? '', major: Number(m[2]), minor: m[3] !== undefined ? Number(m[3]) : 0 };
}

/**
 * Unknown Claude ids (not in the catalog) judged by version: models after Opus 4.6 (4.7+, 5.x and the Fable/Mythos
 * lines) accept only default sampling and adaptive thinking. Sending neither with a note is safer than a 400.
 */
export function claudeAfterOpus46(model: string): boolean {
  const v = claudeVersion(model);
  if (!v) return /^claude-(fable|mythos)/.test(idCandidates(model).at(-1) ?? '');
  if (v.line === 'fable' || v.line === 'mythos') return true;
  return v.major > 4 || (v.major === 4 && v.minor >= 7);
}

/** "64K", "1M", "1,047,576": compact when exact, digits otherwise. */
export function formatTokens(n: number): string {
  if (!Number.isFinite(n)) return 'unknown';
  if (n >= 1_000_000 && (n % 1_000_000 === 0 || n % 1_048_576 === 0)) return `${n / (n % 1_000_000 === 0 ? 1_000_000 : 1_048_576)}M`;
  if (n >= 1000 && n % 1000 === 0) return `${n / 1000}K`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024}K`;
  return n.toLocaleString('en-US');
}
