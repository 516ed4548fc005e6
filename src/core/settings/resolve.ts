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
}

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

  const { presets, errors: presetErrors } = allPresets(input.userPresets ?? {});
  for (const e of presetErrors) {
    // Problems in presets that are not in use do not block sending; they are still shown.
    if (active !== '' && (e.preset === active || e.preset === undefined)) errors.push(e);
    else warnings.push(e.message);
  }

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

  const cross = crossCheck(settings, sources);
  errors.push(...cross.errors);
  warnings.push(...cross.warnings);
  return { settings, errors, warnings, ...(presetName !== undefined ? { presetName } : {}), sources };
}
