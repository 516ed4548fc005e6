import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allPresets, BUILT_IN_PRESETS, parsePreset, presetSummary, type Preset } from '../../../src/core/settings/presets';
import { lintStops } from '../../../src/core/models/stops';

/** What a provider does with a stop list: cut at the first match (the stop itself is not returned). */
function applyStop(answer: string, stops: string[], includeStop: boolean): string {
  let best: { at: number; stop: string } | undefined;
  for (const s of stops) {
    const at = answer.indexOf(s);
    if (at >= 0 && (!best || at < best.at)) best = { at, stop: s };
  }
  if (!best) return answer;
  return answer.slice(0, best.at) + (includeStop ? best.stop : '');
}
const builtIn = (name: string): Preset => BUILT_IN_PRESETS.find((p) => p.name === name)!;

test('the seven built-ins exist, each with a one-line description', () => {
  assert.deepEqual(
    BUILT_IN_PRESETS.map((p) => p.name),
    ['quick answer', 'detailed explanation', 'long form', 'code generation', 'numbered list of 10', 'single chat turn', 'JSON'],
  );
  for (const p of BUILT_IN_PRESETS) {
    assert.ok(p.description.length > 10 && !p.description.includes('\n'), p.name);
    assert.equal(p.builtIn, true);
  }
});

test('built-in lengths follow the seed: 300 / 1500 / 4000', () => {
  assert.equal(builtIn('quick answer').values.maxTokens, 300);
  assert.equal(builtIn('detailed explanation').values.maxTokens, 1500);
  assert.equal(builtIn('long form').values.maxTokens, 4000);
  assert.deepEqual(builtIn('numbered list of 10').values.stopSequences, ['11.']);
});

test('every built-in passes the same validation as a user preset', () => {
  for (const p of BUILT_IN_PRESETS) {
    const parsed = parsePreset(p.name, p.values);
    assert.deepEqual(parsed.errors, [], p.name);
    assert.deepEqual(parsed.values, p.values, p.name);
  }
});

test('every built-in stop is legal for every provider (≤ 4 stops, visible characters)', () => {
  for (const p of BUILT_IN_PRESETS) {
    const stops = p.values.stopSequences ?? [];
    assert.ok(stops.length <= 4, p.name);
    for (const s of stops) assert.ok(s.trim() !== '', p.name);
    assert.deepEqual(lintStops(stops, 'Please help with this task.'), [], p.name);
  }
});

test('code generation stops at the closing fence, not the opening one', () => {
  const p = builtIn('code generation');
  const answer = '```python\ndef add(a, b):\n    return a + b\n```\n\nThis function adds two numbers.';
  assert.equal(applyStop(answer, p.values.stopSequences!, p.values.includeStopSequence!), '```python\ndef add(a, b):\n    return a + b\n```');
  // Why not a plain "```": it would stop at the opening fence and return nothing.
  assert.equal(applyStop(answer, ['```'], false), '');
  assert.match(p.values.systemPrompt!, /Start your reply with ```/);
});

test('JSON stops after the outermost closing brace of indented JSON, nested braces and "}" in strings included', () => {
  const p = builtIn('JSON');
  const json = '{\n  "name": "x}y",\n  "nested": {\n    "a": [1, {"b": 2}]\n  }\n}';
  const answer = `${json}\n\nLet me know if you need anything else.`;
  const out = applyStop(answer, p.values.stopSequences!, p.values.includeStopSequence!);
  assert.equal(out, json);
  assert.deepEqual(JSON.parse(out), { name: 'x}y', nested: { a: [1, { b: 2 }] } });
  // Compact JSON never matches: the answer just ends (safe).
  assert.equal(applyStop('{"a": {"b": 1}}', p.values.stopSequences!, true), '{"a": {"b": 1}}');
});

test('numbered list of 10 stops before item 11', () => {
  const p = builtIn('numbered list of 10');
  const answer = Array.from({ length: 12 }, (_, i) => `${i + 1}. item ${i + 1}`).join('\n');
  const out = applyStop(answer, p.values.stopSequences!, false);
  assert.equal(out.trim().split('\n').length, 10);
  assert.match(out, /10\. item 10\n$/);
});

test('single chat turn stops when the other speaker starts', () => {
  const p = builtIn('single chat turn');
  assert.equal(applyStop('Sure, here you go.\nUser: thanks\nAssistant: ...', p.values.stopSequences!, false), 'Sure, here you go.');
});

test('a user preset with a built-in name merges over it field by field', () => {
  const { presets, errors } = allPresets({ 'single chat turn': { stopSequences: ['\nAlice:'] }, 'quick answer': { maxTokens: 200, description: 'Tiny.' } });
  assert.deepEqual(errors, []);
  const chat = presets.find((p) => p.name === 'single chat turn')!;
  assert.deepEqual(chat.values.stopSequences, ['\nAlice:']);
  assert.equal(chat.values.maxTokens, 500); // kept from the built-in
  assert.equal(chat.values.systemPrompt, builtIn('single chat turn').values.systemPrompt);
  assert.equal(chat.overridden, true);
  assert.equal(chat.builtIn, true);
  const quick = presets.find((p) => p.name === 'quick answer')!;
  assert.equal(quick.values.maxTokens, 200);
  assert.equal(quick.description, 'Tiny.');
  assert.equal(presets.length, BUILT_IN_PRESETS.length);
  // The built-in table itself is not modified.
  assert.equal(builtIn('quick answer').values.maxTokens, 300);
});

test('a user preset with a new name is added after the built-ins', () => {
  const { presets } = allPresets({ review: { model: 'gpt-4.1', maxTokens: 800, description: 'Code review.' } });
  const last = presets.at(-1)!;
  assert.deepEqual(last, { name: 'review', description: 'Code review.', builtIn: false, values: { model: 'gpt-4.1', maxTokens: 800 } });
});

test('a preset with a bad field: the error names preset, field, value and fix; the field is left out', () => {
  const { presets, errors } = allPresets({ qa: { maxTokens: -5, temperature: 0.3 } });
  assert.equal(errors.length, 1);
  assert.equal(errors[0].preset, 'qa');
  assert.equal(errors[0].setting, 'lengthwise.maxTokens');
  assert.equal(errors[0].value, -5);
  assert.match(errors[0].message, /^preset "qa" → maxTokens is -5: use at least 1/);
  const qa = presets.find((p) => p.name === 'qa')!;
  assert.deepEqual(qa.values, { temperature: 0.3 });
});

const BAD_PRESETS: [string, unknown, RegExp][] = [
  ['not an object', 'fast', /preset "p" is the text "fast": a preset is an object of settings/],
  ['a list', [1], /preset "p" is the list \[1\]/],
  ['unknown key with suggestion', { maxToken: 100 }, /preset "p" → maxToken is not a Lengthwise setting: did you mean maxTokens\?/],
  ['unknown key', { colour: 'red' }, /preset "p" → colour is not a Lengthwise setting: remove it/],
  ['a preset selecting a preset', { preset: 'other' }, /preset "p" → preset cannot be set inside a preset/],
  ['description not text', { description: 5 }, /preset "p" → description is 5: use a text/],
  ['stopSequences not a list', { stopSequences: '11.' }, /preset "p" → stopSequences is the text "11\.", not a list/],
  ['temperature out of range', { temperature: 3 }, /preset "p" → temperature is 3: use a number from 0 to 2/],
  ['output not in enum', { output: 'append' }, /preset "p" → output is the text "append": use one of "insertAfter", "replace", "newDocument"/],
];
for (const [label, raw, re] of BAD_PRESETS) {
  test(`preset validation: ${label}`, () => {
    const { errors } = allPresets({ p: raw });
    assert.equal(errors.length, 1, JSON.stringify(errors));
    assert.equal(errors[0].preset, 'p');
    assert.match(errors[0].message, re);
  });
}

test('lengthwise.presets that is not an object is one error; built-ins stay available', () => {
  const { presets, errors } = allPresets(['quick']);
  assert.equal(errors.length, 1);
  assert.match(errors[0].message, /^lengthwise\.presets is the list/);
  assert.equal(presets.length, BUILT_IN_PRESETS.length);
  assert.deepEqual(allPresets(undefined).errors, []);
});

test('keys may carry the lengthwise. prefix', () => {
  assert.deepEqual(parsePreset('x', { 'lengthwise.maxTokens': 10 }).values, { maxTokens: 10 });
});

test('presetSummary lists model, max tokens and stops for the picker', () => {
  assert.equal(presetSummary({ name: 'x', description: '', builtIn: false, values: { model: 'o3', maxTokens: 300, stopSequences: ['11.'] } }), 'o3 · max 300 · stop "11."');
});
