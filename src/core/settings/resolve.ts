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

/** defaults < configured < active preset < overrides; every layer validated. */
export function resolveSettings(input: ResolveInput): ResolvedSettings {
  const settings = { ...DEFAULT_SETTINGS, stopSequences: [], pricing: {}, models: {}, 'telemetry.attributes': {} } as LengthwiseSettings;
  const sources: SettingSources = {};
  for (const k of SETTING_KEYS) sources[k] = { layer: 'default' };
  const errors: ValidationIssue[] = [];
  const warnings: string[] = [];
  const target = settings as unknown as Record<string, unknown>;

  const apply = (values: unknown, layer: 'configured' | 'override', what: string) => {
    if (values === undefined || values === null) return;
    if (!isPlainObject(values)) {
      errors.push({ setting: 'lengthwise', value: values, message: `${what} is ${describeValue(values)}: expected an object of Lengthwise settings.` });
      return;
    }
    for (const [rawKey, v] of Object.entries(values)) {
      if (v === undefined) continue;
      const key = rawKey.replace(/^lengthwise\./, '');
      if (key === 'presets') continue; // passed as userPresets
      if (!isSettingKey(key)) {
        const hint = suggestKey(key);
        const msg = `lengthwise.${key} is not a Lengthwise setting${hint ? `: did you mean lengthwise.${hint}?` : ' and is ignored.'}`;
        if (layer === 'override') errors.push({ setting: `lengthwise.${key}`, value: v, message: `${msg} (per-call override)` });
        else warnings.push(msg);
        continue;
      }
      if (layer === 'override' && WORKSPACE_ONLY_KEYS.includes(key)) {
        errors.push({ setting: `lengthwise.${key}`, value: v, message: `lengthwise.${key} applies to the whole workspace, not to one request: set it in the settings, not as a per-call override.` });
        continue;
      }
      const src: SettingSource = { layer };
      const r = validateSettingValue(key, v, settingLabel(key, src));
      if (r.ok) {
        target[key] = r.value;
        sources[key] = src;
      } else if (WORKSPACE_ONLY_KEYS.includes(key)) {
        // A broken export setting turns the export off (and says why); it never stops a send.
        warnings.push(`${r.message} Spend is not exported until this is fixed.`);
      } else errors.push(issue(key, src, v, r.message));
    }
  };

  apply(input.configured, 'configured', 'the Lengthwise configuration');

  const overrides = isPlainObject(input.overrides) ? input.overrides : undefined;
  let active = input.presetName;
  if (active === undefined && overrides && typeof overrides.preset === 'string') active = overrides.preset;
  if (active === undefined) active = settings.preset;
  if (typeof active !== 'string') active = '';

  const { presets, errors: presetErrors } = input.presets ?? allPresets(input.userPresets ?? {});
  const unused: string[] = [];
  for (const e of presetErrors) {
    // Problems in presets that are not in use do not block sending; they are still shown.
    if (active !== '' && (e.preset === active || e.preset === undefined)) errors.push(e);
    else unused.push(e.message);
  }
  warnings.push(...unused.slice(0, MAX_PRESET_WARNINGS));
  if (unused.length > MAX_PRESET_WARNINGS) warnings.push(`lengthwise.presets has ${unused.length - MAX_PRESET_WARNINGS} more problems in presets not in use (Lengthwise: Select Preset shows them).`);

  let presetName: string | undefined;
  if (active !== '') {
    const preset = presets.find((p) => p.name === active);
    if (!preset) {
      const names = presets.map((p) => JSON.stringify(p.name));
      const close = presets.find((p) => p.name.toLowerCase() === active!.trim().toLowerCase());
      errors.push({
        setting: 'lengthwise.preset',
        value: active,
        message:
          `lengthwise.preset is ${JSON.stringify(active)}, which is not a preset${close ? ` (did you mean ${JSON.stringify(close.name)}?)` : ''}: ` +
          `use one of ${names.join(', ')}, or "" for none (Lengthwise: Select Preset lists them).`,
      });
    } else {
      presetName = preset.name;
      for (const [key, v] of Object.entries(preset.values)) {
        if (!isSettingKey(key) || v === undefined) continue;
        // Values were validated by allPresets; invalid ones are not in `values`.
        target[key] = Array.isArray(v) ? [...v] : v;
        sources[key] = { layer: 'preset', preset: preset.name };
      }
    }
  }
  settings.preset = presetName ?? '';
  sources.preset = presetName !== undefined ? { layer: input.presetName !== undefined ? 'override' : 'configured' } : sources.preset;

  if (overrides) {
    const { preset: _ignored, ...rest } = overrides;
    apply(rest, 'override', 'the per-call overrides');
  }

  if (input.userBudget) {
    const usd = validateSettingValue('budget.usd', input.userBudget.usd ?? null);
    const action = validateSettingValue('budget.action', input.userBudget.action ?? 'warn');
    const user: Budget = { usd: usd.ok ? (usd.value as number | null) : null, action: action.ok ? (action.value as Budget['action']) : 'warn' };
    const merged = stricterBudget(user, { usd: settings['budget.usd'], action: settings['budget.action'] });
    if (merged.usd !== settings['budget.usd']) sources['budget.usd'] = { layer: 'configured' };
    if (merged.action !== settings['budget.action']) sources['budget.action'] = { layer: 'configured' };
    settings['budget.usd'] = merged.usd;
    settings['budget.action'] = merged.action;
  }

  const cross = crossCheck(settings, sources);
  errors.push(...cross.errors);
  warnings.push(...cross.warnings);
  return { settings, errors, warnings, ...(presetName !== undefined ? { presetName } : {}), sources };
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
