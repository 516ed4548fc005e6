// Validation of setting values, one by one and across settings: messages name the setting (and preset), the bad
// value and the fix.
import { isPlainObject } from '../protocol/guards';
import { preview } from '../protocol/preview';
import { PROVIDERS, SERVICE_TIERS, VERBOSITIES } from '../protocol/request';
import { findModel } from '../models/models';
import { profileOf, providerLabel } from '../providers';
import { checkStopShape, validateStops, type StopValidation } from '../models/stops';
import { checkThinkingSettings } from '../models/limits';
import { lengthHintProblem } from './lengthHintSetting';
import { BUDGET_ACTIONS, CHUNKING_STRATEGIES, EXPORT_INTERVAL_BOUNDS, MAX_KEY_CHARS, MAX_TOKENS_LIMIT, OPENAI_API_CHOICES, OUTPUT_MODES, SETTING_KEYS, settingLabel, type LengthwiseSettings, type ModelLimitsOverride, type PriceOverride, type SettingKey, type SettingSource, type SettingSources, type ValidationIssue } from './schema';

/** A value as it appears in a message: `"100" (text)`, `-5`, `null`, `an object`. Bounded for any input. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  if (typeof v === 'string') return `the text ${preview(v)}`;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `the list ${preview(v)}`;
  if (typeof v === 'object') return `the object ${preview(v)}`;
  return typeof v;
}

type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

function numberFromText(v: unknown): string {
  return typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? ` — write ${Number(v)} without quotes` : '';
}

function integerIn(v: unknown, label: string, min: number, max: number, example: number, unit: string): Checked<number> {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    return {
      ok: false,
      message: `${label} is ${describeValue(v)}: use a whole number of ${unit} from ${min} to ${max}, e.g. ${example}${numberFromText(v)}.`,
    };
  }
  if (!Number.isInteger(v)) {
    const lo = Math.max(min, Math.floor(v));
    const hi = Math.min(max, Math.ceil(v));
    return { ok: false, message: `${label} is ${v}: ${unit} are whole numbers — use ${lo === hi ? lo : `${lo} or ${hi}`}.` };
  }
  if (v < min) return { ok: false, message: `${label} is ${v}: use at least ${min} (e.g. ${example}).` };
  if (v > max) return { ok: false, message: `${label} is ${v}: the largest accepted is ${max} — use e.g. ${example}.` };
  return { ok: true, value: v };
}

function nullableNumber(
  v: unknown,
  label: string,
  ok: (n: number) => boolean,
  range: string,
  example: string,
): Checked<number | null> {
  if (v === null) return { ok: true, value: null };
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    return { ok: false, message: `${label} is ${describeValue(v)}: use a number ${range} (e.g. ${example}), or null for the provider default${numberFromText(v)}.` };
  }
  if (!ok(v)) return { ok: false, message: `${label} is ${v}: use a number ${range} (e.g. ${example}), or null for the provider default.` };
  return { ok: true, value: v };
}

function oneOf<T extends string>(v: unknown, label: string, values: readonly T[]): Checked<T> {
  if (typeof v === 'string' && (values as readonly string[]).includes(v)) return { ok: true, value: v as T };
  const close = typeof v === 'string' ? values.find((x) => x.toLowerCase() === v.trim().toLowerCase()) : undefined;
  return {
    ok: false,
    message: `${label} is ${describeValue(v)}: use one of ${values.map((x) => JSON.stringify(x)).join(', ')}${close ? ` (did you mean ${JSON.stringify(close)}?)` : ''}.`,
  };
}

function bool(v: unknown, label: string): Checked<boolean> {
  if (typeof v === 'boolean') return { ok: true, value: v };
  return { ok: false, message: `${label} is ${describeValue(v)}: use true or false (without quotes).` };
}

function text(v: unknown, label: string): Checked<string> {
  if (typeof v === 'string') return { ok: true, value: v };
  return { ok: false, message: `${label} is ${describeValue(v)}: use a text in quotes.` };
}

/** Real model ids are under 100 characters; a longer one is refused before it reaches a request or the ledger. */
const MAX_MODEL_ID_CHARS = 200;

function checkLengthHint(v: unknown, label: string): Checked<string> {
  const problem = typeof v === 'string' ? lengthHintProblem(v) : '';
  if (problem === undefined) return { ok: true, value: v as string };
  const what = typeof v === 'string' ? `is ${JSON.stringify(v)}, which ${problem}` : `is ${describeValue(v)}`;
  const close = typeof v === 'string' && ['off', 'auto'].includes(v.trim().toLowerCase()) ? ` (did you mean "${v.trim().toLowerCase()}"?)` : '';
  return {
    ok: false,
    message:
      `${label} ${what}${close}: use "off", "auto", or one sentence with {words}, {tokens} or {lines}, ` +
      `e.g. "Answer in at most {words} words." (a fixed instruction belongs in lengthwise.systemPrompt).`,
  };
}

function checkModelId(v: unknown, label: string): Checked<string> {
  if (typeof v !== 'string') return { ok: false, message: `${label} is ${describeValue(v)}: use the model id in quotes, e.g. "gpt-4.1-mini".` };
  if (v.trim() === '') return { ok: false, message: `${label} is empty: set the model id as the provider names it, e.g. "gpt-4.1-mini" or "claude-sonnet-4-5".` };
  if (v.length > MAX_MODEL_ID_CHARS) return { ok: false, message: `${label} is ${v.length} characters long (${preview(v, 40)}): model ids are short — use the id exactly as the provider names it, e.g. "gpt-4.1-mini".` };
  if (/\s/.test(v)) {
    return {
      ok: false,
      message: `${label} is ${JSON.stringify(v)}: model ids contain no spaces — use the id exactly as the provider names it, e.g. ${JSON.stringify(v.trim().replace(/\s+/g, '-').toLowerCase())}.`,
    };
  }
  return { ok: true, value: v };
}

/** `v` as an http(s) URL, or undefined (not a URL, another scheme, or spaces around it). */
function httpUrl(v: string): URL | undefined {
  if (v.trim() !== v) return undefined;
  try {
    const url = new URL(v);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

function checkBaseUrl(v: unknown, label: string): Checked<string> {
  if (typeof v !== 'string') return { ok: false, message: `${label} is ${describeValue(v)}: use a URL in quotes such as "http://localhost:11434/v1", or "" for the provider's own endpoint.` };
  if (v === '') return { ok: true, value: v };
  const url = httpUrl(v);
  if (!url) {
    const guess = /^[\w.-]+(:\d+)?(\/|$)/.test(v.trim()) ? ` (e.g. "http://${v.trim()}")` : '';
    return {
      ok: false,
      message: `${label} is ${JSON.stringify(v)}, not an http(s) URL: write the full address with http:// or https://${guess}, or "" for the provider's own endpoint.`,
    };
  }
  return { ok: true, value: v };
}

function checkOtlpEndpoint(v: unknown, label: string): Checked<string> {
  const example = '"http://collector:4318/v1/metrics"';
  if (typeof v !== 'string') return { ok: false, message: `${label} is ${describeValue(v)}: use the collector's OTLP/HTTP metrics URL in quotes, e.g. ${example}, or "" for no export.` };
  if (v === '') return { ok: true, value: v };
  const url = httpUrl(v);
  if (!url) {
    return { ok: false, message: `${label} is ${JSON.stringify(v)}, not an http(s) URL: write the full metrics URL, e.g. ${example}, or "" for no export.` };
  }
  if (url.username || url.password) {
    return { ok: false, message: `${label} contains a user name or password: remove it and store the collector's credentials with Lengthwise: Set API Key → Telemetry collector (settings are not secret).` };
  }
  if (url.pathname === '/' || url.pathname === '') {
    return {
      ok: false,
      message: `${label} is ${JSON.stringify(v)} without a path: the URL is used as given, so add the metrics path, e.g. ${JSON.stringify(`${url.origin}/v1/metrics`)} (OpenTelemetry Collector, Alloy) or ${JSON.stringify(`${url.origin}/opentelemetry/v1/metrics`)} (VictoriaMetrics).`,
    };
  }
  return { ok: true, value: v };
}

const RESERVED_ATTRIBUTES = ['service.name', 'service.version', 'service.instance.id'];
const MAX_ATTRIBUTES = 20;

function checkTelemetryAttributes(v: unknown, label: string): Checked<Record<string, string>> {
  if (!isPlainObject(v)) return { ok: false, message: `${label} is ${describeValue(v)}: use an object of texts, e.g. {"team": "payments", "project": "checkout"}.` };
  const problems: string[] = [];
  const entries = Object.entries(v);
  if (entries.length > MAX_ATTRIBUTES) problems.push(`${label} has ${entries.length} attributes: use at most ${MAX_ATTRIBUTES} (each one multiplies the series a collector stores)`);
  for (const [name, value] of entries) {
    if (!/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/.test(name)) {
      problems.push(`${label}: the name ${JSON.stringify(name)} is not an attribute name — use letters, digits, "_", "." or "-", starting with a letter (e.g. "team")`);
    } else if (RESERVED_ATTRIBUTES.includes(name)) {
      problems.push(`${label}.${name} is set by Lengthwise itself: remove it (use e.g. "team" or "project")`);
    } else if (typeof value !== 'string') {
      problems.push(`${label}.${name} is ${describeValue(value)}: use a text in quotes, e.g. ${JSON.stringify(String(value ?? ''))}`);
    } else if (value.length > 256) {
      problems.push(`${label}.${name} is ${value.length} characters long: use at most 256`);
    }
  }
  if (problems.length) return { ok: false, message: problems.join('; ') + '.' };
  return { ok: true, value: { ...(v as Record<string, string>) } };
}

const PRICE_FIELDS = ['input', 'output', 'cacheRead', 'cacheWrite'] as const;
/** Tiers whose rates an entry may set (lengthwise.serviceTier), each an object of PRICE_FIELDS. */
const TIER_FIELDS = ['flex', 'priority'] as const;

/** Problems of one model's entry: its rates, and the rates of its flex / priority tiers. */
function priceEntryProblems(at: string, entry: Record<string, unknown>, nested: boolean): string[] {
  const problems: string[] = [];
  for (const [field, price] of Object.entries(entry)) {
    if (!nested && (TIER_FIELDS as readonly string[]).includes(field)) {
      if (!isPlainObject(price)) problems.push(`${at}.${field} is ${describeValue(price)}: use an object of rates such as {"input": 0.625, "output": 5}`);
      else problems.push(...priceEntryProblems(`${at}.${field}`, price, true));
    } else if (!(PRICE_FIELDS as readonly string[]).includes(field)) {
      problems.push(`${at}.${field} is not a price field: use ${PRICE_FIELDS.join(', ')}${nested ? '' : ` (and ${TIER_FIELDS.join(', ')} for those tiers)`}`);
    } else if (typeof price !== 'number' || !Number.isFinite(price) || price < 0) {
      problems.push(`${at}.${field} is ${describeValue(price)}: use a number ≥ 0 in USD per million tokens${numberFromText(price)}`);
    }
  }
  return problems;
}

function checkPricing(v: unknown, label: string): Checked<Record<string, PriceOverride>> {
  if (!isPlainObject(v)) return { ok: false, message: `${label} is ${describeValue(v)}: use an object such as {"my-model": {"input": 0.5, "output": 1.5}} (USD per million tokens).` };
  const problems: string[] = [];
  for (const [model, entry] of Object.entries(v)) {
    if (!isPlainObject(entry)) {
      problems.push(`${label}[${JSON.stringify(model)}] is ${describeValue(entry)}: use an object such as {"input": 0.5, "output": 1.5}`);
      continue;
    }
    problems.push(...priceEntryProblems(`${label}[${JSON.stringify(model)}]`, entry, false));
  }
  if (problems.length) return { ok: false, message: problems.join('; ') + '.' };
  return { ok: true, value: v as Record<string, PriceOverride> };
}

function checkModels(v: unknown, label: string): Checked<Record<string, ModelLimitsOverride>> {
  if (!isPlainObject(v)) return { ok: false, message: `${label} is ${describeValue(v)}: use an object such as {"llama3.1:8b": {"contextWindow": 131072, "maxOutputTokens": 8192}}.` };
  const problems: string[] = [];
  for (const [model, entry] of Object.entries(v)) {
    const at = `${label}[${JSON.stringify(model)}]`;
    if (!isPlainObject(entry)) {
      problems.push(`${at} is ${describeValue(entry)}: use an object such as {"contextWindow": 131072, "maxOutputTokens": 8192}`);
      continue;
    }
    for (const [field, n] of Object.entries(entry)) {
      if (field === 'contextWindow' || field === 'maxOutputTokens') {
        if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
          problems.push(`${at}.${field} is ${describeValue(n)}: use a positive whole number of tokens, e.g. ${field === 'contextWindow' ? 131072 : 8192}${numberFromText(n)}`);
        }
      } else if (field === 'supportsPrefill') {
        if (typeof n !== 'boolean') problems.push(`${at}.supportsPrefill is ${describeValue(n)}: use true or false`);
      } else {
        problems.push(`${at}.${field} is not a model limit: use contextWindow, maxOutputTokens (or supportsPrefill)`);
      }
    }
    const cw = entry.contextWindow;
    const mo = entry.maxOutputTokens;
    if (typeof cw === 'number' && typeof mo === 'number' && cw >= 1 && mo > cw) {
      problems.push(`${at}.maxOutputTokens (${mo}) is larger than its contextWindow (${cw}): the output must fit in the window`);
    }
  }
  if (problems.length) return { ok: false, message: problems.join('; ') + '.' };
  return { ok: true, value: v as Record<string, ModelLimitsOverride> };
}

/** Validates one setting value. `label` names it in the message. */
export function validateSettingValue(key: SettingKey, v: unknown, label = `lengthwise.${key}`): Checked<unknown> {
  switch (key) {
    case 'provider':
      return oneOf(v, label, PROVIDERS);
    case 'model':
      return checkModelId(v, label);
    case 'baseUrl':
      return checkBaseUrl(v, label);
    case 'maxTokens':
      return integerIn(v, label, 1, MAX_TOKENS_LIMIT, 1024, 'tokens');
    case 'stopSequences': {
      const issues = checkStopShape(v, { label });
      return issues.length ? { ok: false, message: issues.map((i) => i.message).join(' ') } : { ok: true, value: [...(v as string[])] };
    }
    case 'includeStopSequence':
    case 'continuation.auto':
      return bool(v, label);
    case 'temperature':
      return nullableNumber(v, label, (n) => n >= 0 && n <= 2, 'from 0 to 2 (Anthropic: 0 to 1)', '0.7');
    case 'topP':
      return nullableNumber(v, label, (n) => n > 0 && n <= 1, 'above 0 and at most 1', '0.9');
    case 'systemPrompt':
    case 'preset':
      return text(v, label);
    case 'lengthHint':
      return checkLengthHint(v, label);
    case 'thinkingBudget':
      return v === null ? { ok: true, value: null } : integerIn(v, label, 0, MAX_TOKENS_LIMIT, 2048, 'tokens');
    case 'output':
      return oneOf(v, label, OUTPUT_MODES);
    case 'continuation.maxRounds':
      return integerIn(v, label, 1, 20, 3, 'rounds');
    case 'budget.usd':
      return nullableNumber(v, label, (n) => n >= 0, '≥ 0 in US dollars', '20');
    case 'budget.action':
      return oneOf(v, label, BUDGET_ACTIONS);
    case 'pricing':
      return checkPricing(v, label);
    case 'models':
      return checkModels(v, label);
    case 'requestTimeoutSeconds':
      return integerIn(v, label, 1, 3600, 600, 'seconds');
    case 'chunking.strategy':
      return oneOf(v, label, CHUNKING_STRATEGIES);
    case 'chunking.maxInputTokens':
      return v === null ? { ok: true, value: null } : integerIn(v, label, 256, 10_000_000, 100_000, 'tokens');
    case 'chunking.overlapTokens':
      return integerIn(v, label, 0, 10_000, 100, 'tokens');
    case 'chunking.summaryTokens':
      return integerIn(v, label, 16, MAX_TOKENS_LIMIT, 512, 'tokens');
    case 'telemetry.otlpEndpoint':
      return checkOtlpEndpoint(v, label);
    case 'telemetry.attributes':
      return checkTelemetryAttributes(v, label);
    case 'telemetry.exportIntervalSeconds':
      return integerIn(v, label, EXPORT_INTERVAL_BOUNDS.min, EXPORT_INTERVAL_BOUNDS.max, 60, 'seconds');
    case 'openaiApi':
      return oneOf(v, label, OPENAI_API_CHOICES);
    case 'serviceTier':
      return oneOf(v, label, SERVICE_TIERS);
    case 'verbosity': {
      if (v === null) return { ok: true, value: null };
      const r = oneOf(v, label, VERBOSITIES);
      return r.ok ? r : { ok: false, message: r.message.replace(/\.$/, ', or null to leave it to the model.') };
    }
  }
}

/** Closest known key, for "did you mean" (case-insensitive, or one edit away). */
export function suggestKey(k: string, keys: readonly string[] = SETTING_KEYS): string | undefined {
  // No setting name is this long; measuring the distance to one would cost |k| × |key| per key.
  if (k.length > MAX_KEY_CHARS) return undefined;
  const low = k.toLowerCase().replace(/^lengthwise\./, '');
  const exact = keys.find((x) => x.toLowerCase() === low);
  if (exact) return exact;
  return keys.find((x) => editDistance(x.toLowerCase(), low) <= 2);
}
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return Math.abs(a.length - b.length); // at least that many edits
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)] as number[]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length][b.length];
}

/** Re-validates a whole settings object (e.g. one built by hand); labels from `sources`. */
export function validateSettings(settings: LengthwiseSettings, sources: SettingSources = {}): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const key of SETTING_KEYS) {
    const src = sources[key];
    const r = validateSettingValue(key, (settings as unknown as Record<string, unknown>)[key], settingLabel(key, src));
    if (!r.ok) issues.push(issue(key, src, (settings as unknown as Record<string, unknown>)[key], r.message));
  }
  return issues;
}

export function issue(key: string, src: SettingSource | undefined, value: unknown, message: string): ValidationIssue {
  return { setting: `lengthwise.${key}`, ...(src?.preset !== undefined ? { preset: src.preset } : {}), value, message };
}

export interface CrossCheck {
  errors: ValidationIssue[];
  warnings: string[];
  stops: StopValidation;
}

/**
 * Rules between settings: temperature range of the provider, stop list vs provider/model rules, Anthropic thinking
 * budget vs max tokens, a compatible provider without a URL. Used by resolveSettings and again by planRequest.
 */
export function crossCheck(s: LengthwiseSettings, sources: SettingSources = {}): CrossCheck {
  const errors: ValidationIssue[] = [];
  const warnings: string[] = [];
  const model = findModel(s.provider, s.model, s.models);
  const vendor = model?.provider ?? s.provider;

  const tMax = profileOf(vendor).temperatureMax;
  if (s.temperature !== null && s.temperature > tMax) {
    const src = sources.temperature;
    errors.push(
      issue('temperature', src, s.temperature, `${settingLabel('temperature', src)} is ${s.temperature}: ${providerLabel(vendor)} accepts 0 to ${tMax} — use ${tMax} or less, or null for the default.`),
    );
  }

  const stopSrc = sources.stopSequences;
  const stops = validateStops(s.stopSequences, s.provider, model, {
    label: settingLabel('stopSequences', stopSrc),
    ...(stopSrc?.preset !== undefined ? { preset: stopSrc.preset } : {}),
  });
  errors.push(...stops.errors);
  warnings.push(...stops.warnings);

  const tbSrc = sources.thinkingBudget;
  errors.push(
    ...checkThinkingSettings({
      budget: s.thinkingBudget,
      requestedMaxTokens: s.maxTokens,
      provider: s.provider,
      model,
      label: settingLabel('thinkingBudget', tbSrc),
      maxTokensLabel: settingLabel('maxTokens', sources.maxTokens),
      ...(tbSrc?.preset !== undefined ? { preset: tbSrc.preset } : {}),
    }),
  );

  if (profileOf(s.provider).needsBaseUrl && s.baseUrl === '') {
    errors.push(
      issue(
        'baseUrl',
        sources.baseUrl,
        '',
        `${settingLabel('baseUrl', sources.baseUrl)} is empty but lengthwise.provider is "openai-compatible": set the server's URL, e.g. "http://localhost:11434/v1" (Ollama) — or use provider "openai" for api.openai.com.`,
      ),
    );
  }
  return { errors, warnings, stops };
}
