// Effective settings: defaults < VS Code settings < active preset < per-call overrides.
// Every layer is validated value by value; an invalid value is reported (and not used), and the caller sends
// nothing while there are errors. Messages name the setting (and preset), the bad value and the fix.
import { isPlainObject } from '../protocol/guards';
import { allPresets } from './presets';
import { DEFAULT_SETTINGS, SETTING_KEYS, WORKSPACE_ONLY_KEYS, isSettingKey, settingLabel, type LengthwiseSettings, type SettingSource, type SettingSources, type ValidationIssue } from './schema';
import { crossCheck, describeValue, issue, suggestKey, validateSettingValue } from './validate';


export interface ResolveInput {
  /** Values the user set in VS Code (flat keys, only explicitly set ones; may contain junk of any type). */
  configured: Record<string, unknown>;
  /** The lengthwise.presets value (junk possible). */
  userPresets?: Record<string, unknown>;
  /** Active preset ('' = none; undefined = the `preset` key of overrides / configured). */
  presetName?: string;
  /** Per-call overrides (API callers). */
  overrides?: Record<string, unknown>;
  /** allPresets(userPresets), when the caller resolves many presets of the same settings (parsed once). */
  presets?: ReturnType<typeof allPresets>;
  /**
   * The budget in the user's own settings (junk possible). It holds whatever a workspace, a preset or another
   * extension's per-call overrides say: the effective budget is the stricter of the two (stricterBudget).
   */
  userBudget?: { usd?: unknown; action?: unknown };
}

export interface Budget {
  usd: number | null;
  action: 'warn' | 'block';
}

/** The stricter of two budgets: the lower amount (null = none), and "block" when either blocks. */
export function stricterBudget(a: Budget, b: Budget): Budget {
  const usd = a.usd === null ? b.usd : b.usd === null ? a.usd : Math.min(a.usd, b.usd);
  return { usd, action: a.action === 'block' || b.action === 'block' ? 'block' : 'warn' };
}

/** Problems of presets not in use shown one by one; the rest as a count (not thousands of notifications). */
const MAX_PRESET_WARNINGS = 3;

export interface ResolvedSettings {
  settings: LengthwiseSettings;
  errors: ValidationIssue[];
  warnings: string[];
  presetName?: string;
  /** Where each effective value came from. */
  sources: SettingSources;
}

/** What resolving collects, layer by layer. */
interface Layers {
  settings: LengthwiseSettings;
  sources: SettingSources;
  errors: ValidationIssue[];
  warnings: string[];
}

/** One layer of explicitly set values (the configuration, or a caller's per-call overrides), each validated. */
function applyLayer(l: Layers, values: unknown, layer: 'configured' | 'override', what: string): void {
  if (values === undefined || values === null) return;
  if (!isPlainObject(values)) {
    l.errors.push({ setting: 'lengthwise', value: values, message: `${what} is ${describeValue(values)}: expected an object of Lengthwise settings.` });
    return;
  }
  const target = l.settings as unknown as Record<string, unknown>;
  for (const [rawKey, v] of Object.entries(values)) {
    if (v === undefined) continue;
    const key = rawKey.replace(/^lengthwise\./, '');
    if (key === 'presets') continue; // passed as userPresets
    if (!isSettingKey(key)) {
      const hint = suggestKey(key);
      const msg = `lengthwise.${key} is not a Lengthwise setting${hint ? `: did you mean lengthwise.${hint}?` : ' and is ignored.'}`;
      if (layer === 'override') l.errors.push({ setting: `lengthwise.${key}`, value: v, message: `${msg} (per-call override)` });
      else l.warnings.push(msg);
      continue;
    }
    if (layer === 'override' && WORKSPACE_ONLY_KEYS.includes(key)) {
      l.errors.push({ setting: `lengthwise.${key}`, value: v, message: `lengthwise.${key} applies to the whole workspace, not to one request: set it in the settings, not as a per-call override.` });
      continue;
    }
    const src: SettingSource = { layer };
    const r = validateSettingValue(key, v, settingLabel(key, src));
    if (r.ok) {
      target[key] = r.value;
      l.sources[key] = src;
    } else if (WORKSPACE_ONLY_KEYS.includes(key)) {
      // A broken export setting turns the export off (and says why); it never stops a send.
      l.warnings.push(`${r.message} Spend is not exported until this is fixed.`);
    } else l.errors.push(issue(key, src, v, r.message));
  }
}

/** The active preset's name: the caller's, else the overrides', else the configured one; '' = none. */
function activePreset(input: ResolveInput, overrides: Record<string, unknown> | undefined, configured: string): string {
  let active: unknown = input.presetName;
  if (active === undefined && overrides && typeof overrides.preset === 'string') active = overrides.preset;
  if (active === undefined) active = configured;
  return typeof active === 'string' ? active : '';
}

/** The active preset's values over the configuration; problems of presets not in use are warnings only. */
function applyPreset(l: Layers, input: ResolveInput, active: string): string | undefined {
  const { presets, errors: presetErrors } = input.presets ?? allPresets(input.userPresets ?? {});
  const unused: string[] = [];
  for (const e of presetErrors) {
    // Problems in presets that are not in use do not block sending; they are still shown.
    if (active !== '' && (e.preset === active || e.preset === undefined)) l.errors.push(e);
    else unused.push(e.message);
  }
  l.warnings.push(...unused.slice(0, MAX_PRESET_WARNINGS));
  if (unused.length > MAX_PRESET_WARNINGS) l.warnings.push(`lengthwise.presets has ${unused.length - MAX_PRESET_WARNINGS} more problems in presets not in use (Lengthwise: Select Preset shows them).`);
  if (active === '') return undefined;
  const preset = presets.find((p) => p.name === active);
  if (!preset) {
    const names = presets.map((p) => JSON.stringify(p.name));
    const close = presets.find((p) => p.name.toLowerCase() === active.trim().toLowerCase());
    l.errors.push({
      setting: 'lengthwise.preset',
      value: active,
      message:
        `lengthwise.preset is ${JSON.stringify(active)}, which is not a preset${close ? ` (did you mean ${JSON.stringify(close.name)}?)` : ''}: ` +
        `use one of ${names.join(', ')}, or "" for none (Lengthwise: Select Preset lists them).`,
    });
    return undefined;
  }
  const target = l.settings as unknown as Record<string, unknown>;
  for (const [key, v] of Object.entries(preset.values)) {
    if (!isSettingKey(key) || v === undefined) continue;
    // Values were validated by allPresets; invalid ones are not in `values`.
    target[key] = Array.isArray(v) ? [...v] : v;
    l.sources[key] = { layer: 'preset', preset: preset.name };
  }
  return preset.name;
}

/** The user's own budget holds whatever a workspace, preset or caller set: the stricter of the two. */
function applyUserBudget(l: Layers, userBudget: ResolveInput['userBudget']): void {
  if (!userBudget) return;
  const { settings, sources } = l;
  const usd = validateSettingValue('budget.usd', userBudget.usd ?? null);
  const action = validateSettingValue('budget.action', userBudget.action ?? 'warn');
  const user: Budget = { usd: usd.ok ? (usd.value as number | null) : null, action: action.ok ? (action.value as Budget['action']) : 'warn' };
  const merged = stricterBudget(user, { usd: settings['budget.usd'], action: settings['budget.action'] });
  if (merged.usd !== settings['budget.usd']) sources['budget.usd'] = { layer: 'configured' };
  if (merged.action !== settings['budget.action']) sources['budget.action'] = { layer: 'configured' };
  settings['budget.usd'] = merged.usd;
  settings['budget.action'] = merged.action;
}

/** defaults < configured < active preset < overrides; every layer validated. */
export function resolveSettings(input: ResolveInput): ResolvedSettings {
  const l: Layers = {
    settings: { ...DEFAULT_SETTINGS, stopSequences: [], pricing: {}, models: {}, 'telemetry.attributes': {} } as LengthwiseSettings,
    sources: {},
    errors: [],
    warnings: [],
  };
  for (const k of SETTING_KEYS) l.sources[k] = { layer: 'default' };
  applyLayer(l, input.configured, 'configured', 'the Lengthwise configuration');
  const overrides = isPlainObject(input.overrides) ? input.overrides : undefined;
  const presetName = applyPreset(l, input, activePreset(input, overrides, l.settings.preset));
  l.settings.preset = presetName ?? '';
  if (presetName !== undefined) l.sources.preset = { layer: input.presetName !== undefined ? 'override' : 'configured' };
  if (overrides) {
    const { preset: _ignored, ...rest } = overrides;
    applyLayer(l, rest, 'override', 'the per-call overrides');
  }
  applyUserBudget(l, input.userBudget);
  const cross = crossCheck(l.settings, l.sources);
  l.errors.push(...cross.errors);
  l.warnings.push(...cross.warnings);
  return { settings: l.settings, errors: l.errors, warnings: l.warnings, ...(presetName !== undefined ? { presetName } : {}), sources: l.sources };
}

/**
 * The max tokens each preset resolves to, keyed by preset name ('' = no preset), with the presets parsed once:
 * a preset's own maxTokens over the configured one (the layering of resolveSettings). A record without a
 * prototype, so preset names such as "__proto__" are plain keys.
 */
export function maxTokensByPreset(configured: Record<string, unknown>, userPresets: unknown): Record<string, number> {
  const parsed = allPresets(userPresets ?? {});
  const base = resolveSettings({ configured, presetName: '', presets: parsed }).settings.maxTokens;
  const out = Object.create(null) as Record<string, number>;
  out[''] = base;
  for (const p of parsed.presets) out[p.name] = p.values.maxTokens ?? base;
  return out;
}

/** The values the active preset set, as "key value" texts (for the tooltip); undefined without a preset. */
export function presetValues(r: Pick<ResolvedSettings, 'settings' | 'sources' | 'presetName'>): { preset: string; values: string[] } | undefined {
  if (r.presetName === undefined) return undefined;
  const values: string[] = [];
  for (const [key, src] of Object.entries(r.sources)) {
    if (src?.layer !== 'preset') continue;
    values.push(`${key} ${JSON.stringify((r.settings as unknown as Record<string, unknown>)[key])}`);
  }
  return { preset: r.presetName, values };
}
