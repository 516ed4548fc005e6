import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SETTINGS, SETTING_KEYS, presetValues, resolveSettings, validateSettings, type ResolveInput } from '../../../src/core/settings/settings';

const pkg = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8'));
const props: Record<string, { default: unknown; minimum?: number; maximum?: number; enum?: unknown[] }> =
  Object.assign({}, ...pkg.contributes.configuration.map((section: { properties: object }) => section.properties));

test('DEFAULT_SETTINGS equals the defaults in package.json, key for key', () => {
  const fromPkg = Object.keys(props)
    .map((k) => k.replace(/^lengthwise\./, ''))
    .filter((k) => k !== 'presets')
    .sort();
  assert.deepEqual([...SETTING_KEYS].sort(), fromPkg);
  for (const key of SETTING_KEYS) assert.deepEqual(DEFAULT_SETTINGS[key], props[`lengthwise.${key}`].default, key);
});

test('the package.json bounds are the ones enforced', () => {
  const bounds: [string, unknown, boolean][] = [
    ['maxTokens', props['lengthwise.maxTokens'].maximum, true],
    ['maxTokens', props['lengthwise.maxTokens'].maximum! + 1, false],
    ['maxTokens', props['lengthwise.maxTokens'].minimum, true],
    ['continuation.maxRounds', props['lengthwise.continuation.maxRounds'].maximum, true],
    ['continuation.maxRounds', props['lengthwise.continuation.maxRounds'].maximum! + 1, false],
    ['requestTimeoutSeconds', props['lengthwise.requestTimeoutSeconds'].maximum, true],
    ['requestTimeoutSeconds', props['lengthwise.requestTimeoutSeconds'].maximum! + 1, false],
  ];
  for (const [key, value, ok] of bounds) {
    assert.equal(resolveSettings({ configured: { [key]: value } }).errors.length === 0, ok, `${key}=${value}`);
  }
  for (const p of props['lengthwise.provider'].enum!) {
    const extra = p === 'openai-compatible' ? { baseUrl: 'http://localhost:1/v1' } : {};
    assert.deepEqual(resolveSettings({ configured: { provider: p, ...extra } }).errors, [], String(p));
  }
});

test('nothing configured: defaults, no errors, no preset', () => {
  const r = resolveSettings({ configured: {} });
  assert.deepEqual(r.settings, DEFAULT_SETTINGS);
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.warnings, []);
  assert.equal(r.presetName, undefined);
  assert.deepEqual(validateSettings(DEFAULT_SETTINGS), []);
});

test('merge order: defaults < configured < active preset < overrides', () => {
  const input: ResolveInput = {
    configured: { maxTokens: 2000, temperature: 0.2, model: 'gpt-4o', systemPrompt: 'cfg' },
    userPresets: { p: { maxTokens: 700, temperature: 0.5 } },
    presetName: 'p',
    overrides: { temperature: 0.9 },
  };
  const r = resolveSettings(input);
  assert.deepEqual(r.errors, []);
  assert.equal(r.settings.maxTokens, 700); // preset over configured
  assert.equal(r.settings.temperature, 0.9); // override over preset
  assert.equal(r.settings.model, 'gpt-4o'); // configured over default
  assert.equal(r.settings.systemPrompt, 'cfg');
  assert.equal(r.settings.output, 'insertAfter'); // default
  assert.equal(r.settings.preset, 'p');
  assert.equal(r.presetName, 'p');
  assert.deepEqual(r.sources.maxTokens, { layer: 'preset', preset: 'p' });
  assert.deepEqual(r.sources.temperature, { layer: 'override' });
  assert.deepEqual(r.sources.model, { layer: 'configured' });
  assert.deepEqual(r.sources.output, { layer: 'default' });
});

test('a built-in preset applies over configured values; a workspace preset overrides the built-in', () => {
  const builtin = resolveSettings({ configured: { maxTokens: 2000 }, presetName: 'quick answer' });
  assert.equal(builtin.settings.maxTokens, 300);
  const ws = resolveSettings({ configured: { maxTokens: 2000 }, userPresets: { 'quick answer': { maxTokens: 120 } }, presetName: 'quick answer' });
  assert.equal(ws.settings.maxTokens, 120);
});

test('active preset: presetName wins; undefined falls back to overrides.preset, then configured preset; "" = none', () => {
  const cfg = { preset: 'quick answer', maxTokens: 2000 };
  assert.equal(resolveSettings({ configured: cfg }).settings.maxTokens, 300);
  assert.equal(resolveSettings({ configured: cfg }).presetName, 'quick answer');
  assert.equal(resolveSettings({ configured: cfg, presetName: '' }).settings.maxTokens, 2000);
  assert.equal(resolveSettings({ configured: cfg, presetName: '' }).settings.preset, '');
  assert.equal(resolveSettings({ configured: cfg, presetName: 'long form' }).settings.maxTokens, 4000);
  assert.equal(resolveSettings({ configured: cfg, overrides: { preset: 'long form' } }).settings.maxTokens, 4000);
});

test('an invalid value is reported and not used: the lower layer value stays', () => {
  const r = resolveSettings({ configured: { maxTokens: 2000 }, overrides: { maxTokens: -5 } });
  assert.equal(r.errors.length, 1);
  assert.equal(r.settings.maxTokens, 2000);
});

test('unknown configured keys are warnings (ignored); unknown override keys are errors', () => {
  const c = resolveSettings({ configured: { maxToken: 5, presets: { a: {} } } });
  assert.deepEqual(c.errors, []);
  assert.deepEqual(c.warnings, ['lengthwise.maxToken is not a Lengthwise setting: did you mean lengthwise.maxTokens?']);
  const o = resolveSettings({ configured: {}, overrides: { maxToken: 5 } });
  assert.equal(o.errors.length, 1);
  assert.match(o.errors[0].message, /did you mean lengthwise\.maxTokens\?/);
});

test('keys with the lengthwise. prefix are accepted', () => {
  assert.equal(resolveSettings({ configured: { 'lengthwise.maxTokens': 77 } }).settings.maxTokens, 77);
});

test('problems in presets that are not active are warnings, not errors', () => {
  const r = resolveSettings({ configured: {}, userPresets: { broken: { maxTokens: 0 } } });
  assert.deepEqual(r.errors, []);
  assert.equal(r.warnings.length, 1);
  assert.match(r.warnings[0], /preset "broken" → maxTokens is 0/);
});

test('junk instead of the configuration object is an error', () => {
  const r = resolveSettings({ configured: 'oops' as unknown as Record<string, unknown> });
  assert.equal(r.errors.length, 1);
  assert.match(r.errors[0].message, /expected an object of Lengthwise settings/);
});

// [what, input, setting, preset, message pattern (names setting + value + fix)]
type Bad = [string, ResolveInput, string, string | undefined, RegExp];
const c = (configured: Record<string, unknown>): ResolveInput => ({ configured });
const five = ['a1', 'b2', 'c3', 'd4', 'e5'];
const BAD: Bad[] = [
  ['maxTokens 0', c({ maxTokens: 0 }), 'lengthwise.maxTokens', undefined, /^lengthwise\.maxTokens is 0: use at least 1 \(e\.g\. 1024\)/],
  ['maxTokens -5', c({ maxTokens: -5 }), 'lengthwise.maxTokens', undefined, /^lengthwise\.maxTokens is -5: use at least 1/],
  ['maxTokens 1.5', c({ maxTokens: 1.5 }), 'lengthwise.maxTokens', undefined, /^lengthwise\.maxTokens is 1\.5: tokens are whole numbers — use 1 or 2/],
  ['maxTokens "100"', c({ maxTokens: '100' }), 'lengthwise.maxTokens', undefined, /^lengthwise\.maxTokens is the text "100": .* write 100 without quotes/],
  ['maxTokens 10^12', c({ maxTokens: 1e12 }), 'lengthwise.maxTokens', undefined, /^lengthwise\.maxTokens is 1000000000000: the largest accepted is 1000000/],
  ['maxTokens null', c({ maxTokens: null }), 'lengthwise.maxTokens', undefined, /^lengthwise\.maxTokens is null: use a whole number of tokens from 1 to 1000000/],
  ['maxTokens NaN (API caller)', { configured: {}, overrides: { maxTokens: Number.NaN } }, 'lengthwise.maxTokens', undefined, /^lengthwise\.maxTokens \(per-call override\) is NaN/],
  ['temperature -1', c({ temperature: -1 }), 'lengthwise.temperature', undefined, /^lengthwise\.temperature is -1: use a number from 0 to 2/],
  ['temperature 3', c({ temperature: 3 }), 'lengthwise.temperature', undefined, /^lengthwise\.temperature is 3: use a number from 0 to 2 .* or null/],
  ['temperature "0.5"', c({ temperature: '0.5' }), 'lengthwise.temperature', undefined, /is the text "0\.5".*write 0\.5 without quotes/],
  ['temperature 1.5 on Anthropic', c({ provider: 'anthropic', model: 'claude-sonnet-4-5', temperature: 1.5 }), 'lengthwise.temperature', undefined, /^lengthwise\.temperature is 1\.5: Anthropic accepts 0 to 1 — use 1 or less/],
  ['topP 0', c({ topP: 0 }), 'lengthwise.topP', undefined, /^lengthwise\.topP is 0: use a number above 0 and at most 1/],
  ['topP 1.5', c({ topP: 1.5 }), 'lengthwise.topP', undefined, /^lengthwise\.topP is 1\.5: use a number above 0 and at most 1/],
  ['stopSequences not an array', c({ stopSequences: 'END' }), 'lengthwise.stopSequences', undefined, /^lengthwise\.stopSequences is the text "END", not a list: .*write \["END"\]/],
  ['stopSequences too many (OpenAI)', c({ stopSequences: five }), 'lengthwise.stopSequences', undefined, /^lengthwise\.stopSequences has 5 stop sequences but GPT-4\.1 mini accepts at most 4: remove 1/],
  ['stopSequences too many (Gemini)', c({ provider: 'gemini', model: 'gemini-2.5-flash', stopSequences: [...five, 'f6'] }), 'lengthwise.stopSequences', undefined, /has 6 stop sequences but Gemini 2\.5 Flash accepts at most 5: remove 1/],
  ['stopSequences [""]', c({ stopSequences: [''] }), 'lengthwise.stopSequences', undefined, /^lengthwise\.stopSequences\[0\] is an empty string: .*remove it/],
  ['stopSequences ["   "] on Anthropic', c({ provider: 'anthropic', model: 'claude-haiku-4-5', stopSequences: ['   '] }), 'lengthwise.stopSequences', undefined, /^lengthwise\.stopSequences\[0\] is " {3}", whitespace only: Anthropic refuses/],
  ['stopSequences [42]', c({ stopSequences: [42] }), 'lengthwise.stopSequences', undefined, /\[0\] is number 42: every stop sequence must be a string/],
  ['unknown provider', c({ provider: 'azure' }), 'lengthwise.provider', undefined, /^lengthwise\.provider is the text "azure": use one of "openai", "anthropic", "gemini", "openai-compatible"/],
  ['provider with wrong case', c({ provider: 'OpenAI' }), 'lengthwise.provider', undefined, /did you mean "openai"\?/],
  ['baseUrl without scheme', c({ baseUrl: 'localhost:11434/v1' }), 'lengthwise.baseUrl', undefined, /^lengthwise\.baseUrl is "localhost:11434\/v1", not an http\(s\) URL: .*e\.g\. "http:\/\/localhost:11434\/v1"/],
  ['baseUrl ftp', c({ baseUrl: 'ftp://example.com' }), 'lengthwise.baseUrl', undefined, /not an http\(s\) URL: write the full address with http:\/\/ or https:\/\//],
  ['baseUrl garbage', c({ baseUrl: 'not a url' }), 'lengthwise.baseUrl', undefined, /is "not a url", not an http\(s\) URL/],
  ['baseUrl with spaces around', c({ baseUrl: ' http://x.y ' }), 'lengthwise.baseUrl', undefined, /not an http\(s\) URL/],
  ['openai-compatible without baseUrl', c({ provider: 'openai-compatible', model: 'llama3' }), 'lengthwise.baseUrl', undefined, /is empty but lengthwise\.provider is "openai-compatible": set the server's URL/],
  ['unknown preset name', { configured: {}, presetName: 'qiuck answer' }, 'lengthwise.preset', undefined, /^lengthwise\.preset is "qiuck answer", which is not a preset: use one of "quick answer",.* or "" for none/],
  ['preset name with wrong case', { configured: {}, presetName: 'Quick Answer' }, 'lengthwise.preset', undefined, /did you mean "quick answer"\?/],
  ['a preset with a bad field', { configured: {}, userPresets: { qa: { maxTokens: 0 } }, presetName: 'qa' }, 'lengthwise.maxTokens', 'qa', /^preset "qa" → maxTokens is 0: use at least 1/],
  ['a preset with an unknown field', { configured: {}, userPresets: { qa: { maxToken: 10 } }, presetName: 'qa' }, 'lengthwise.presets', 'qa', /preset "qa" → maxToken is not a Lengthwise setting: did you mean maxTokens\?/],
  ['a preset whose stops break the provider rule', { configured: {}, userPresets: { qa: { stopSequences: five } }, presetName: 'qa' }, 'lengthwise.stopSequences', 'qa', /^preset "qa" → stopSequences has 5 stop sequences/],
  ['a preset whose temperature breaks the Anthropic range', { configured: { provider: 'anthropic', model: 'claude-sonnet-4-5' }, userPresets: { hot: { temperature: 1.8 } }, presetName: 'hot' }, 'lengthwise.temperature', 'hot', /^preset "hot" → temperature is 1\.8: Anthropic accepts 0 to 1/],
  ['thinkingBudget ≥ maxTokens (Anthropic)', c({ provider: 'anthropic', model: 'claude-sonnet-4-5', maxTokens: 2000, thinkingBudget: 2000 }), 'lengthwise.thinkingBudget', undefined, /^lengthwise\.thinkingBudget is 2000, not below lengthwise\.maxTokens \(2000\): .*raise maxTokens above 2000 or lower thinkingBudget/],
  ['thinkingBudget from a preset ≥ maxTokens', { configured: { provider: 'anthropic', model: 'claude-sonnet-4-5', maxTokens: 1500 }, userPresets: { deep: { thinkingBudget: 4000 } }, presetName: 'deep' }, 'lengthwise.thinkingBudget', 'deep', /^preset "deep" → thinkingBudget is 4000, not below lengthwise\.maxTokens \(1500\)/],
  ['thinkingBudget below 1024 (Anthropic)', c({ provider: 'anthropic', model: 'claude-opus-4-1', maxTokens: 8000, thinkingBudget: 500 }), 'lengthwise.thinkingBudget', undefined, /is 500: Anthropic requires at least 1024 — set 1024 or more, or null/],
  ['thinkingBudget -1', c({ thinkingBudget: -1 }), 'lengthwise.thinkingBudget', undefined, /^lengthwise\.thinkingBudget is -1: use at least 0/],
  ['thinkingBudget "auto"', c({ thinkingBudget: 'auto' }), 'lengthwise.thinkingBudget', undefined, /is the text "auto": use a whole number of tokens/],
  ['models override with a negative window', c({ models: { llama3: { contextWindow: -5 } } }), 'lengthwise.models', undefined, /^lengthwise\.models\["llama3"\]\.contextWindow is -5: use a positive whole number of tokens, e\.g\. 131072/],
  ['models override with a text limit', c({ models: { llama3: { maxOutputTokens: '8192' } } }), 'lengthwise.models', undefined, /maxOutputTokens is the text "8192": .*write 8192 without quotes/],
  ['models override with output > window', c({ models: { llama3: { contextWindow: 1000, maxOutputTokens: 2000 } } }), 'lengthwise.models', undefined, /maxOutputTokens \(2000\) is larger than its contextWindow \(1000\)/],
  ['models not an object', c({ models: 'big' }), 'lengthwise.models', undefined, /^lengthwise\.models is the text "big": use an object such as/],
  ['models with an unknown field', c({ models: { m: { context: 5 } } }), 'lengthwise.models', undefined, /\.context is not a model limit: use contextWindow, maxOutputTokens/],
  ['output not in the enum', c({ output: 'append' }), 'lengthwise.output', undefined, /^lengthwise\.output is the text "append": use one of "insertAfter", "replace", "newDocument"/],
  ['continuation.maxRounds 0', c({ 'continuation.maxRounds': 0 }), 'lengthwise.continuation.maxRounds', undefined, /^lengthwise\.continuation\.maxRounds is 0: use at least 1/],
  ['continuation.maxRounds 2.5', c({ 'continuation.maxRounds': 2.5 }), 'lengthwise.continuation.maxRounds', undefined, /rounds are whole numbers — use 2 or 3/],
  ['continuation.auto "yes"', c({ 'continuation.auto': 'yes' }), 'lengthwise.continuation.auto', undefined, /is the text "yes": use true or false/],
  ['budget.usd negative', c({ 'budget.usd': -1 }), 'lengthwise.budget.usd', undefined, /^lengthwise\.budget\.usd is -1: use a number ≥ 0 in US dollars .* or null/],
  ['budget.action unknown', c({ 'budget.action': 'stop' }), 'lengthwise.budget.action', undefined, /use one of "warn", "block"/],
  ['model id with spaces', c({ model: 'gpt 4o' }), 'lengthwise.model', undefined, /^lengthwise\.model is "gpt 4o": model ids contain no spaces — .* e\.g\. "gpt-4o"/],
  ['model id empty', c({ model: '' }), 'lengthwise.model', undefined, /^lengthwise\.model is empty: set the model id/],
  ['model id blank', c({ model: '   ' }), 'lengthwise.model', undefined, /^lengthwise\.model is empty/],
  ['model id not text', c({ model: 4 }), 'lengthwise.model', undefined, /^lengthwise\.model is 4: use the model id in quotes/],
  ['includeStopSequence "true"', c({ includeStopSequence: 'true' }), 'lengthwise.includeStopSequence', undefined, /use true or false \(without quotes\)/],
  ['requestTimeoutSeconds 0', c({ requestTimeoutSeconds: 0 }), 'lengthwise.requestTimeoutSeconds', undefined, /is 0: use at least 1/],
  ['pricing negative', c({ pricing: { m: { output: -1 } } }), 'lengthwise.pricing', undefined, /^lengthwise\.pricing\["m"\]\.output is -1: use a number ≥ 0 in USD per million tokens/],
  ['pricing unknown field', c({ pricing: { m: { out: 1 } } }), 'lengthwise.pricing', undefined, /\.out is not a price field: use input, output, cacheRead, cacheWrite/],
  ['serviceTier unknown', c({ serviceTier: 'fast' }), 'lengthwise.serviceTier', undefined, /^lengthwise\.serviceTier is the text "fast": use one of "standard", "flex", "priority"\.$/],
  ['serviceTier with wrong case', c({ serviceTier: 'Flex' }), 'lengthwise.serviceTier', undefined, /did you mean "flex"\?/],
  ['a preset with a bad serviceTier', { configured: {}, userPresets: { cheap: { serviceTier: 'batch' } }, presetName: 'cheap' }, 'lengthwise.serviceTier', 'cheap', /^preset "cheap" → serviceTier is the text "batch": use one of "standard", "flex", "priority"/],
  ['pricing flex not an object', c({ pricing: { m: { flex: 0.5 } } }), 'lengthwise.pricing', undefined, /^lengthwise\.pricing\["m"\]\.flex is 0\.5: use an object of rates such as \{"input": 0\.625, "output": 5\}/],
  ['pricing priority negative rate', c({ pricing: { m: { priority: { input: -2 } } } }), 'lengthwise.pricing', undefined, /^lengthwise\.pricing\["m"\]\.priority\.input is -2: use a number ≥ 0 in USD per million tokens/],
  ['pricing a tier inside a tier', c({ pricing: { m: { flex: { priority: { input: 1 } } } } }), 'lengthwise.pricing', undefined, /\.flex\.priority is not a price field: use input, output, cacheRead, cacheWrite\./],
  ['systemPrompt not text', c({ systemPrompt: ['a'] }), 'lengthwise.systemPrompt', undefined, /^lengthwise\.systemPrompt is the list \["a"\]: use a text in quotes/],
  ['preset setting not text', c({ preset: 3 }), 'lengthwise.preset', undefined, /^lengthwise\.preset is 3: use a text/],
  ['an override with a bad value', { configured: {}, overrides: { topP: 2 } }, 'lengthwise.topP', undefined, /^lengthwise\.topP \(per-call override\) is 2/],
];

for (const [what, input, setting, preset, re] of BAD) {
  test(`validation: ${what}`, () => {
    const r = resolveSettings(input);
    assert.equal(r.errors.length, 1, JSON.stringify(r.errors, null, 1));
    const e = r.errors[0];
    assert.equal(e.setting, setting);
    assert.equal(e.preset, preset);
    assert.match(e.message, re);
  });
}

test('at least 30 bad values are covered', () => assert.ok(BAD.length >= 30));

test('good values of the same settings pass', () => {
  const good: Record<string, unknown> = {
    serviceTier: 'priority',
    maxTokens: 1,
    temperature: 0,
    topP: 1,
    stopSequences: ['\n\n', 'END'],
    baseUrl: 'https://proxy.example.com/v1',
    thinkingBudget: null,
    models: { llama3: { contextWindow: 8192, maxOutputTokens: 2048, supportsPrefill: true } },
    pricing: { llama3: { input: 0, output: 0.5, cacheRead: 0, cacheWrite: 0, flex: { input: 0, output: 0.25 }, priority: { output: 1 } } },
    'budget.usd': 0,
    'continuation.maxRounds': 20,
    model: 'gpt-4o-2024-08-06',
  };
  const r = resolveSettings({ configured: good });
  assert.deepEqual(r.errors, []);
  for (const [k, v] of Object.entries(good)) assert.deepEqual((r.settings as unknown as Record<string, unknown>)[k], v, k);
});

test('several bad values are all reported at once', () => {
  const r = resolveSettings({ configured: { maxTokens: 0, temperature: 3, output: 'x' } });
  assert.deepEqual(r.errors.map((e) => e.setting).sort(), ['lengthwise.maxTokens', 'lengthwise.output', 'lengthwise.temperature']);
});

test('resolved settings do not share arrays with the defaults or presets', () => {
  const r = resolveSettings({ configured: {}, presetName: 'code generation' });
  r.settings.stopSequences.push('X');
  assert.deepEqual(resolveSettings({ configured: {}, presetName: 'code generation' }).settings.stopSequences, ['\n```']);
  assert.deepEqual(DEFAULT_SETTINGS.stopSequences, []);
});

test('presetValues lists what the active preset set over the settings', () => {
  const r = resolveSettings({ configured: { maxTokens: 8 }, presetName: 'quick answer' });
  const p = presetValues(r);
  assert.equal(p?.preset, 'quick answer');
  assert.ok(p?.values.some((v) => /^maxTokens \d+$/.test(v)), JSON.stringify(p));
  assert.equal(presetValues(resolveSettings({ configured: {} })), undefined);
});
