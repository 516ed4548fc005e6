// Built-in presets and the user's / workspace's `lengthwise.presets`.
// A user preset with a built-in's name is merged field by field over the built-in; other names add presets.
import { exceedsShape, isPlainObject } from '../protocol/guards';
import { isSettingKey, MAX_KEY_CHARS, settingLabel, WORKSPACE_ONLY_KEYS, type LengthwiseSettings, type ValidationIssue } from './schema';
import { describeValue, suggestKey, validateSettingValue } from './validate';
import { preview } from '../protocol/preview';

export interface Preset {
  name: string;
  description: string;
  builtIn: boolean;
  /** A built-in whose fields a user/workspace preset changed. */
  overridden?: boolean;
  values: Partial<LengthwiseSettings>;
}

/**
 * Why the stops below work:
 * - code generation: the reply must *start* with the opening fence (```lang), so the opening fence has no line
 *   break before it and "\n```" can only match the closing fence. A plain "```" stop would fire at the opening
 *   fence and return nothing. includeStopSequence puts the closing fence back, so the block is well formed, and
 *   the usual commentary after the block is neither generated nor paid for. (Code that itself contains a line
 *   starting with ``` — e.g. Markdown — would end early.)
 * - JSON: stop "\n}" with 2-space indentation. JSON strings cannot contain raw line breaks, so in indented JSON
 *   only the outermost closing brace starts a line; includeStopSequence appends it back. If the model writes
 *   compact one-line JSON the stop never fires and the answer simply ends: safe either way.
 * - numbered list of 10: "11." is where an eleventh item would begin.
 * - every built-in sends the "auto" length hint (generation/lengthHint.ts), so answers tend to end before the cap.
 * - single chat turn: "\nUser:" is the start of the other speaker's next line; override stopSequences in
 *   lengthwise.presets for other names (e.g. ["\nAlice:"]).
 */
export const BUILT_IN_PRESETS: readonly Preset[] = Object.freeze([
  {
    name: 'quick answer',
    description: 'A short, direct answer of at most 300 tokens.',
    builtIn: true,
    values: { maxTokens: 300, lengthHint: 'auto' },
  },
  {
    name: 'detailed explanation',
    description: 'A thorough explanation of up to 1500 tokens.',
    builtIn: true,
    values: { maxTokens: 1500, lengthHint: 'auto' },
  },
  {
    name: 'long form',
    description: 'Long-form writing of up to 4000 tokens.',
    builtIn: true,
    values: { maxTokens: 4000, lengthHint: 'auto' },
  },
  {
    name: 'code generation',
    description: 'Code only: one fenced block, stopped at its closing fence (no commentary after it).',
    builtIn: true,
    values: {
      lengthHint: 'auto',
      maxTokens: 2000,
      systemPrompt:
        'Reply with exactly one Markdown code block and nothing else. Start your reply with ``` and the language name ' +
        '(no text before it) and end the code with ``` on its own line.',
      stopSequences: ['\n```'],
      includeStopSequence: true,
    },
  },
  {
    name: 'numbered list of 10',
    description: 'A numbered list that stops after item 10 (stop "11.").',
    builtIn: true,
    values: {
      lengthHint: 'auto',
      maxTokens: 1000,
      systemPrompt: 'Answer with a numbered list: one item per line, numbered "1.", "2.", "3." and so on.',
      stopSequences: ['11.'],
    },
  },
  {
    name: 'single chat turn',
    description: 'One reply in a dialogue: stops when the other speaker ("User:") would start; override the stop for other names.',
    builtIn: true,
    values: {
      lengthHint: 'auto',
      maxTokens: 500,
      systemPrompt: 'Continue the dialogue with a single reply. Do not write the other speaker\'s lines.',
      stopSequences: ['\nUser:'],
    },
  },
  {
    name: 'JSON',
    description: 'One pretty-printed JSON object, stopped at its closing brace (stop "\\n}").',
    builtIn: true,
    values: {
      lengthHint: 'auto',
      maxTokens: 2000,
      systemPrompt:
        'Reply with one JSON object only: no prose and no code fence. Pretty-print it with 2-space indentation, ' +
        'so the final closing brace is alone at the start of the last line.',
      stopSequences: ['\n}'],
      includeStopSequence: true,
    },
  },
] satisfies Preset[]);

/**
 * What `lengthwise.presets` may hold. Presets are read on every selection change, and a workspace's settings are
 * anybody's: beyond these the rest is refused with a message instead of costing seconds a keystroke.
 */
export const PRESET_LIMITS = Object.freeze({ maxPresets: 200, maxKeysPerPreset: 50, maxDepth: 6, maxValues: 5_000 });

/** Keys a preset may not set (a preset cannot select presets). */
const NOT_IN_PRESETS = new Set(['preset', 'presets']);

/**
 * Validates one user preset. Invalid fields are reported and left out of `values`; the preset stays listed so
 * the picker can show its problems.
 */
export function parsePreset(name: string, raw: unknown): { values: Partial<LengthwiseSettings>; description?: string; errors: ValidationIssue[] } {
  const errors: ValidationIssue[] = [];
  const values: Record<string, unknown> = {};
  if (!isPlainObject(raw)) {
    errors.push({
      setting: 'lengthwise.presets',
      preset: name,
      value: raw,
      message: `preset "${name}" is ${describeValue(raw)}: a preset is an object of settings, e.g. {"maxTokens": 300, "stopSequences": ["\\n\\n"]}.`,
    });
    return { values, errors };
  }
  const shape = exceedsShape(raw, PRESET_LIMITS.maxDepth, PRESET_LIMITS.maxValues);
  if (shape) {
    errors.push({
      setting: 'lengthwise.presets',
      preset: name,
      value: preview(raw),
      message:
        shape === 'depth'
          ? `preset "${name}" is nested more than ${PRESET_LIMITS.maxDepth} levels deep: a preset is a flat object of settings, e.g. {"maxTokens": 300} — fix or remove it.`
          : `preset "${name}" holds more than ${PRESET_LIMITS.maxValues} values: a preset is a small object of settings, e.g. {"maxTokens": 300} — fix or remove it.`,
    });
    return { values, errors };
  }
  const keys = Object.keys(raw);
  if (keys.length > PRESET_LIMITS.maxKeysPerPreset) {
    errors.push({
      setting: 'lengthwise.presets',
      preset: name,
      value: preview(raw),
      message: `preset "${name}" has ${keys.length} keys, more than the ${PRESET_LIMITS.maxKeysPerPreset} a preset can hold (there are fewer Lengthwise settings): remove the ones that are not settings.`,
    });
    return { values, errors };
  }
  let description: string | undefined;
  for (const [rawKey, v] of Object.entries(raw)) {
    if (rawKey.length > MAX_KEY_CHARS) {
      errors.push({
        setting: 'lengthwise.presets',
        preset: name,
        value: v,
        message: `preset "${name}" has a key of ${rawKey.length} characters (${preview(rawKey, 40)}), which is not a Lengthwise setting: remove it.`,
      });
      continue;
    }
    const key = rawKey.replace(/^lengthwise\./, '');
    if (key === 'description') {
      if (typeof v === 'string') description = v;
      else errors.push({ setting: 'lengthwise.presets', preset: name, value: v, message: `preset "${name}" → description is ${describeValue(v)}: use a text in quotes.` });
      continue;
    }
    if (NOT_IN_PRESETS.has(key)) {
      errors.push({ setting: 'lengthwise.presets', preset: name, value: v, message: `preset "${name}" → ${key} cannot be set inside a preset: remove it (choose presets with Lengthwise: Select Preset).` });
      continue;
    }
    if (isSettingKey(key) && WORKSPACE_ONLY_KEYS.includes(key)) {
      errors.push({ setting: 'lengthwise.presets', preset: name, value: v, message: `preset "${name}" → ${key} applies to the whole workspace, not to a preset: remove it and set lengthwise.${key} in the settings.` });
      continue;
    }
    if (!isSettingKey(key)) {
      const hint = suggestKey(key);
      errors.push({
        setting: 'lengthwise.presets',
        preset: name,
        value: v,
        message: `preset "${name}" → ${key} is not a Lengthwise setting${hint ? `: did you mean ${hint}?` : ': remove it.'}`,
      });
      continue;
    }
    const r = validateSettingValue(key, v, settingLabel(key, { layer: 'preset', preset: name }));
    if (r.ok) values[key] = r.value;
    else errors.push({ setting: `lengthwise.${key}`, preset: name, value: v, message: r.message });
  }
  return { values: values as Partial<LengthwiseSettings>, description, errors };
}

/** Built-ins, overridden or extended by the user's and the workspace's presets (already merged by VS Code). */
export function allPresets(userPresets: unknown): { presets: Preset[]; errors: ValidationIssue[] } {
  const presets: Preset[] = BUILT_IN_PRESETS.map((p) => ({ ...p, values: { ...p.values } }));
  const errors: ValidationIssue[] = [];
  if (userPresets === undefined || userPresets === null) return { presets, errors };
  if (!isPlainObject(userPresets)) {
    errors.push({
      setting: 'lengthwise.presets',
      value: userPresets,
      message: `lengthwise.presets is ${describeValue(userPresets)}: use an object of named presets, e.g. {"short": {"maxTokens": 200}}.`,
    });
    return { presets, errors };
  }
  // Looked up by name once per preset: a Map, so many presets cost linear time (a find() per preset was quadratic).
  const byName = new Map(presets.map((p) => [p.name, p]));
  const names = Object.keys(userPresets);
  if (names.length > PRESET_LIMITS.maxPresets) {
    errors.push({
      setting: 'lengthwise.presets',
      value: `${names.length} presets`,
      message: `lengthwise.presets has ${names.length} presets: only the first ${PRESET_LIMITS.maxPresets} are read — remove the ones you do not use.`,
    });
  }
  for (const name of names.slice(0, PRESET_LIMITS.maxPresets)) {
    const raw = userPresets[name];
    if (name.trim() === '') {
      errors.push({ setting: 'lengthwise.presets', preset: name, value: raw, message: 'lengthwise.presets has a preset with an empty name: give it a name.' });
      continue;
    }
    if (name.length > MAX_KEY_CHARS) {
      errors.push({
        setting: 'lengthwise.presets',
        value: preview(name, 40),
        message: `lengthwise.presets has a preset named with ${name.length} characters (${preview(name, 40)}): use a name of at most ${MAX_KEY_CHARS} characters.`,
      });
      continue;
    }
    const parsed = parsePreset(name, raw);
    errors.push(...parsed.errors);
    const existing = byName.get(name);
    if (existing) {
      existing.values = { ...existing.values, ...parsed.values };
      if (parsed.description !== undefined) existing.description = parsed.description;
      existing.overridden = true;
    } else {
      const preset: Preset = {
        name,
        description: parsed.description ?? 'Workspace or user preset.',
        builtIn: false,
        values: parsed.values,
      };
      presets.push(preset);
      byName.set(name, preset);
    }
  }
  return { presets, errors };
}

/** One line for the picker: model, max tokens and stops a preset sets. */
export function presetSummary(p: Preset): string {
  const parts: string[] = [];
  if (p.values.provider) parts.push(p.values.provider);
  if (p.values.model) parts.push(p.values.model);
  if (p.values.maxTokens !== undefined) parts.push(`max ${p.values.maxTokens}`);
  if (p.values.stopSequences?.length) parts.push(`stop ${p.values.stopSequences.map((s) => JSON.stringify(s)).join(' ')}`);
  if (p.values.temperature !== undefined && p.values.temperature !== null) parts.push(`temp ${p.values.temperature}`);
  return parts.join(' · ');
}
