// Limits an OpenAI-compatible server reports about its own model, read from the documented JSON of each server:
// llama-server (/v1/models meta.n_ctx_train and n_ctx, /props default_generation_settings.n_ctx), vLLM (/v1/models
// max_model_len), OpenRouter (/api/v1/models context_length, top_provider.max_completion_tokens), Ollama
// (POST /api/show model_info["<arch>.context_length"], parameters num_ctx) and LM Studio (/api/v0/models
// max_context_length, loaded_context_length). Pure parsing: the HTTP is in providers/discovery.ts. A server's answer
// is untrusted input: only whole numbers in a sane range are taken, anything else is "not reported".
import { isPlainObject } from '../protocol/guards';
import { preview } from '../protocol/preview';
import type { ProviderId } from '../protocol/request';
import { profileOf } from '../providers';
import { customModel, findModel, withoutOverridden, type ModelInfo, type ModelOverride } from './models';

/** No served model has a window near this; a larger figure is a server bug or a lie. */
const MAX_DISCOVERED_TOKENS = 100_000_000;
/** Below this no request fits: a figure under it is not a limit anyone set on purpose. */
const MIN_DISCOVERED_TOKENS = 16;

/** Who reported the limits: a server kind, or VS Code for its own language models (LanguageModelChat.maxInputTokens). */
export type ServerKind = 'llama-server' | 'vllm' | 'openrouter' | 'ollama' | 'lmstudio' | 'vscode';

export interface DiscoveredLimits {
  contextWindow?: number;
  maxOutputTokens?: number;
  /** The most input one request may carry (VS Code's language models report this, not a window). */
  maxInputTokens?: number;
  server: ServerKind;
  /** Where the figures come from, for notes: "the server's /props". */
  source: string;
  /** Figures the server sent that were not used, and why ("context_length -5 ignored: not a positive whole number"). */
  ignored: string[];
}

/** Path of a probe relative to the base URL (…/v1) or to the server's origin. */
export interface Probe {
  server: ServerKind | 'openai-list';
  method: 'GET' | 'POST';
  /** Absolute URL. */
  url: string;
  body?: Record<string, unknown>;
}

/** A count of tokens as a server may state it: a whole number (or its text), within range; else why not. */
function tokenCount(v: unknown, field: string, ignored: string[]): number | undefined {
  if (v === undefined || v === null) return undefined;
  const n = typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n) || !Number.isInteger(n)) {
    ignored.push(`${field} ${preview(v, 40)} ignored: not a whole number`);
    return undefined;
  }
  if (n < MIN_DISCOVERED_TOKENS) {
    ignored.push(`${field} ${n} ignored: ${n <= 0 ? 'not positive' : `below ${MIN_DISCOVERED_TOKENS}`}`);
    return undefined;
  }
  if (n > MAX_DISCOVERED_TOKENS) {
    ignored.push(`${field} ${n} ignored: above ${MAX_DISCOVERED_TOKENS.toLocaleString('en-US')}`);
    return undefined;
  }
  return n;
}

function result(server: ServerKind, source: string, cw: number | undefined, mo: number | undefined, ignored: string[]): DiscoveredLimits | undefined {
  if (cw === undefined && mo === undefined) return ignored.length ? { server, source, ignored } : undefined;
  const out: DiscoveredLimits = { server, source, ignored };
  if (cw !== undefined) out.contextWindow = cw;
  if (mo !== undefined) {
    if (cw !== undefined && mo > cw) ignored.push(`max output ${mo} ignored: larger than the context window ${cw}`);
    else out.maxOutputTokens = mo;
  }
  return out;
}

function same(a: unknown, model: string): boolean {
  return typeof a === 'string' && a.trim().toLowerCase() === model.trim().toLowerCase();
}

/** The `data` entry of an OpenAI-style model list for a model id (also its aliases / canonical slug). */
function listEntry(json: unknown, model: string): Record<string, unknown> | undefined {
  if (!isPlainObject(json) || !Array.isArray(json.data)) return undefined;
  const entries = json.data.filter(isPlainObject);
  return (
    entries.find((e) => same(e.id, model)) ??
    entries.find((e) => same(e.canonical_slug, model) || (Array.isArray(e.aliases) && e.aliases.some((a) => same(a, model))))
  );
}

/**
 * GET {baseUrl}/models, as llama-server, vLLM, OpenRouter and LM Studio answer it. `kind` says which server it is
 * when the answer shows it (llama-server's meta, vLLM's max_model_len, OpenRouter's context_length), so the caller
 * knows whether another probe is worth making.
 */
export function parseModelList(json: unknown, model: string): { limits?: DiscoveredLimits; kind?: ServerKind; listed: boolean } {
  const e = listEntry(json, model);
  if (!e) return { listed: false };
  const ignored: string[] = [];
  if (isPlainObject(e.meta) && (e.meta.n_ctx_train !== undefined || e.meta.n_ctx !== undefined || e.owned_by === 'llamacpp')) {
    // llama-server: n_ctx is the server's own window (-c); n_ctx_train the model's, used only when n_ctx is missing.
    const nCtx = tokenCount(e.meta.n_ctx, 'meta.n_ctx', ignored);
    const train = nCtx === undefined ? tokenCount(e.meta.n_ctx_train, 'meta.n_ctx_train', ignored) : undefined;
    const source = nCtx !== undefined ? "the server's /v1/models (meta.n_ctx)" : "the server's /v1/models (meta.n_ctx_train)";
    return { limits: result('llama-server', source, nCtx ?? train, undefined, ignored), kind: 'llama-server', listed: true };
  }
  if (e.max_model_len !== undefined) {
    const cw = tokenCount(e.max_model_len, 'max_model_len', ignored);
    return { limits: result('vllm', "the server's /v1/models (max_model_len)", cw, undefined, ignored), kind: 'vllm', listed: true };
  }
  if (e.context_length !== undefined || isPlainObject(e.top_provider)) {
    const tp = isPlainObject(e.top_provider) ? e.top_provider : {};
    const cw = tokenCount(tp.context_length ?? e.context_length, 'context_length', ignored);
    const mo = tokenCount(tp.max_completion_tokens, 'top_provider.max_completion_tokens', ignored);
    return { limits: result('openrouter', "OpenRouter's /api/v1/models", cw, mo, ignored), kind: 'openrouter', listed: true };
  }
  if (e.max_context_length !== undefined || e.loaded_context_length !== undefined) {
    return { limits: lmStudio(e, ignored), kind: 'lmstudio', listed: true };
  }
  return { listed: true };
}

function lmStudio(e: Record<string, unknown>, ignored: string[]): DiscoveredLimits | undefined {
  // The loaded instance's window is what a request gets; the model's maximum only when it is not loaded.
  const loaded = tokenCount(e.loaded_context_length, 'loaded_context_length', ignored);
  const max = loaded === undefined ? tokenCount(e.max_context_length, 'max_context_length', ignored) : undefined;
  const field = loaded !== undefined ? 'loaded_context_length' : 'max_context_length';
  return result('lmstudio', `LM Studio's /api/v0/models (${field})`, loaded ?? max, undefined, ignored);
}

/** llama-server GET /props: default_generation_settings.n_ctx (the context of one slot). */
export function parseLlamaProps(json: unknown): DiscoveredLimits | undefined {
  if (!isPlainObject(json)) return undefined;
  const ignored: string[] = [];
  const dgs = isPlainObject(json.default_generation_settings) ? json.default_generation_settings : {};
  const cw = tokenCount(dgs.n_ctx ?? json.n_ctx, 'n_ctx', ignored);
  return result('llama-server', "the server's /props (n_ctx)", cw, undefined, ignored);
}

/**
 * Ollama POST /api/show: the model's window in model_info["<architecture>.context_length"]; a num_ctx in the
 * model's parameters is what the server applies (it cuts longer prompts), so it wins when present.
 */
export function parseOllamaShow(json: unknown): DiscoveredLimits | undefined {
  if (!isPlainObject(json)) return undefined;
  const ignored: string[] = [];
  let numCtx: number | undefined;
  if (typeof json.parameters === 'string') {
    // Line by line: with the m flag, \s* crosses line breaks and re-reads the rest from every line (8 s for 100,000
    // empty lines); anchored on one line, each line is read once.
    for (const line of json.parameters.split('\n')) {
      const m = /^\s*num_ctx\s+(\S+)\s*$/.exec(line);
      if (!m) continue;
      numCtx = tokenCount(m[1], 'parameters num_ctx', ignored);
      break;
    }
  }
  const info = isPlainObject(json.model_info) ? json.model_info : {};
  const arch = typeof info['general.architecture'] === 'string' ? info['general.architecture'] : undefined;
  const key = arch ? `${arch}.context_length` : Object.keys(info).find((k) => k.endsWith('.context_length'));
  const trained = numCtx === undefined && key ? tokenCount(info[key], `model_info["${key}"]`, ignored) : undefined;
  const source = numCtx !== undefined ? "Ollama's /api/show (num_ctx)" : `Ollama's /api/show (${key ?? 'context_length'})`;
  return result('ollama', source, numCtx ?? trained, undefined, ignored);
}

/** LM Studio GET /api/v0/models/{model}: one model object. */
export function parseLmStudioModel(json: unknown, model: string): DiscoveredLimits | undefined {
  if (!isPlainObject(json)) return undefined;
  if (json.id !== undefined && !same(json.id, model)) return undefined;
  return lmStudio(json, []);
}

export function origin(baseUrl: string): string | undefined {
  try {
    return new URL(baseUrl).origin;
  } catch {
    return undefined;
  }
}

/** `u` without its trailing slashes. A loop: /\/+$/ re-reads a run of slashes from each of them (9 s for 100,000). */
export function trimSlash(u: string): string {
  let end = u.length;
  while (end > 0 && u.charCodeAt(end - 1) === 0x2f) end--;
  return u.slice(0, end);
}

/** The first request: the OpenAI-style model list every compatible server serves. */
export function listProbe(baseUrl: string): Probe | undefined {
  if (!origin(baseUrl)) return undefined;
  return { server: 'openai-list', method: 'GET', url: `${trimSlash(baseUrl)}/models` };
}

/**
 * What to ask after the list answered: llama-server's /props when it is llama-server; Ollama's /api/show and
 * LM Studio's /api/v0/models/{id} when the list gave no limits (both are plain list servers on /v1/models).
 */
export function followUpProbes(baseUrl: string, model: string, kind: ServerKind | undefined, haveLimits: boolean): Probe[] {
  const o = origin(baseUrl);
  if (!o) return [];
  if (kind === 'llama-server') return [{ server: 'llama-server', method: 'GET', url: `${o}/props` }];
  if (haveLimits || kind) return [];
  return [
    { server: 'ollama', method: 'POST', url: `${o}/api/show`, body: { model } },
    { server: 'lmstudio', method: 'GET', url: `${o}/api/v0/models/${encodeURIComponent(model)}` },
  ];
}

/** Parses the answer of one probe. */
export function parseProbe(probe: Probe, json: unknown, model: string): DiscoveredLimits | undefined {
  switch (probe.server) {
    case 'llama-server':
      return parseLlamaProps(json);
    case 'ollama':
      return parseOllamaShow(json);
    case 'lmstudio':
      return parseLmStudioModel(json, model);
    default:
      return parseModelList(json, model).limits;
  }
}

/** A later, more specific answer fills in or replaces the figures of an earlier one (per figure). */
export function mergeLimits(a: DiscoveredLimits | undefined, b: DiscoveredLimits | undefined): DiscoveredLimits | undefined {
  if (!a) return b;
  if (!b) return a;
  const out: DiscoveredLimits = { server: b.server, source: b.contextWindow !== undefined ? b.source : a.source, ignored: [...a.ignored, ...b.ignored] };
  const cw = b.contextWindow ?? a.contextWindow;
  const mo = b.maxOutputTokens ?? a.maxOutputTokens;
  if (cw !== undefined) out.contextWindow = cw;
  if (mo !== undefined && (cw === undefined || mo <= cw)) out.maxOutputTokens = mo;
  return out;
}

/**
 * The model as planned with what the server reported: its figures replace the catalog's (the server knows what it
 * serves), lengthwise.models still wins (the caller does not pass discovered limits for a model the user set).
 * A model the catalog does not know becomes a custom one with permissive capabilities, as in findModel.
 */
export function withDiscovered(model: ModelInfo | undefined, modelId: string, d: DiscoveredLimits | undefined): ModelInfo | undefined {
  if (!d || (d.contextWindow === undefined && d.maxOutputTokens === undefined && d.maxInputTokens === undefined)) return model;
  const base: ModelInfo = model ?? customModel('openai-compatible', modelId, {}, '');
  const { uncertain, ...rest } = base;
  const out: ModelInfo = {
    ...rest,
    contextWindow: d.contextWindow ?? base.contextWindow,
    maxOutputTokens: Math.min(d.maxOutputTokens ?? base.maxOutputTokens, d.contextWindow ?? Number.POSITIVE_INFINITY),
    maxInputTokens: d.maxInputTokens ?? (d.contextWindow !== undefined ? undefined : base.maxInputTokens),
    source: model ? `${d.source} (over ${model.source})` : d.source,
    discovered: describeDiscovered(d),
  };
  if (out.maxInputTokens === undefined) delete out.maxInputTokens;
  return { ...out, ...withoutOverridden(uncertain, d) };
}

/**
 * The model a request is planned and a job is sized for: the catalog entry or lengthwise.models, with what the
 * server reported where its provider asks servers (lengthwise.models wins: `ignored` then says so). One rule for
 * the planner's limits step and for the job decision (generation/jobs/jobPlan.ts jobRoom).
 */
export function modelWithServerLimits(
  provider: ProviderId,
  modelId: string,
  models: Record<string, ModelOverride | undefined> | undefined,
  discovered: DiscoveredLimits | undefined,
): { model: ModelInfo | undefined; used?: DiscoveredLimits; ignored?: DiscoveredLimits } {
  const model = findModel(provider, modelId, models);
  const d = profileOf(provider).serverLimits ? discovered : undefined;
  if (!d || (d.contextWindow === undefined && d.maxOutputTokens === undefined && d.maxInputTokens === undefined)) return { model };
  if (model?.overridden || model?.custom) return { model, ignored: d };
  return { model: withDiscovered(model, modelId, d), used: d };
}

/** "context 8192 from the server's /props" (and the max output when reported). */
export function describeDiscovered(d: DiscoveredLimits): string {
  const parts: string[] = [];
  if (d.contextWindow !== undefined) parts.push(`context ${d.contextWindow}`);
  if (d.maxOutputTokens !== undefined) parts.push(`max output ${d.maxOutputTokens}`);
  if (d.maxInputTokens !== undefined) parts.push(`max input ${d.maxInputTokens}`);
  return `${parts.join(', ')} from ${d.source}`;
}

/** A model list longer than this is a gateway's catalog, not a local server's: the rest is not read. */
const MAX_LISTED_MODELS = 200;
const MAX_MODEL_ID = 200;

/** The model ids an OpenAI-style list names (`data[].id`), in its order, bounded; undefined when it is not such a list. */
export function servedModels(json: unknown): string[] | undefined {
  if (!isPlainObject(json) || !Array.isArray(json.data)) return undefined;
  const ids: string[] = [];
  for (const e of json.data.slice(0, MAX_LISTED_MODELS)) {
    if (isPlainObject(e) && typeof e.id === 'string' && e.id.trim() !== '' && e.id.length <= MAX_MODEL_ID && !ids.includes(e.id)) ids.push(e.id);
  }
  return ids;
}

/**
 * Which server answered a model list, from the shape of its entries (whatever the model): llama-server's meta or
 * owned_by "llamacpp", vLLM's max_model_len or owned_by "vllm", LM Studio's and Ollama's owners, OpenRouter's
 * context_length. Undefined when the list does not tell.
 */
export function listKind(json: unknown): ServerKind | undefined {
  if (!isPlainObject(json) || !Array.isArray(json.data)) return undefined;
  for (const e of json.data.slice(0, MAX_LISTED_MODELS)) {
    if (!isPlainObject(e)) continue;
    if (isPlainObject(e.meta) || e.owned_by === 'llamacpp') return 'llama-server';
    if (e.max_model_len !== undefined || e.owned_by === 'vllm') return 'vllm';
    if (e.max_context_length !== undefined || e.loaded_context_length !== undefined || e.owned_by === 'organization_owner') return 'lmstudio';
    if (e.context_length !== undefined || isPlainObject(e.top_provider)) return 'openrouter';
    if (e.owned_by === 'library') return 'ollama';
  }
  return undefined;
}
