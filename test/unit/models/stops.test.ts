import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkStopShape, lintStops, validateStops } from '../../../src/core/models/stops';
import { findModel } from '../../../src/core/models/models';
import type { ProviderId } from '../../../src/core/protocol/request';

const ALL: ProviderId[] = ['openai', 'anthropic', 'gemini', 'openai-compatible'];

const NOT_LISTS: unknown[] = ['END', 5, null, { a: 1 }, true];
for (const v of NOT_LISTS) {
  test(`shape: ${JSON.stringify(v)} is not a list → error naming the setting`, () => {
    const issues = checkStopShape(v);
    assert.equal(issues.length, 1);
    assert.equal(issues[0].setting, 'lengthwise.stopSequences');
    assert.match(issues[0].message, /^lengthwise\.stopSequences is .*not a list: write a JSON array of strings/);
  });
}

test('shape: a single string gets the exact fix', () => {
  assert.match(checkStopShape('END')[0].message, /write \["END"\]/);
});

test('shape: non-string items are errors with their index', () => {
  const issues = checkStopShape(['ok', 3, null]);
  assert.equal(issues.length, 2);
  assert.match(issues[0].message, /lengthwise\.stopSequences\[1\] is number 3: every stop sequence must be a string/);
  assert.match(issues[1].message, /\[2\] is null/);
});

for (const p of ALL) {
  test(`empty string is refused for ${p}`, () => {
    const r = validateStops(['END', ''], p);
    assert.equal(r.errors.length, 1);
    assert.match(r.errors[0].message, /lengthwise\.stopSequences\[1\] is an empty string/);
    assert.deepEqual(r.stops, []);
  });
}

for (const ws of [' ', '   ', '\n', '\t\n ']) {
  test(`Anthropic refuses whitespace-only ${JSON.stringify(ws)} with an explanation`, () => {
    const r = validateStops(['END', ws], 'anthropic');
    assert.equal(r.errors.length, 1);
    assert.match(r.errors[0].message, /whitespace only: Anthropic refuses stop sequences without a visible character/);
    assert.deepEqual(r.stops, []);
  });
}

test('OpenAI and Gemini accept whitespace-only stops (lint warns instead)', () => {
  assert.deepEqual(validateStops(['\n\n'], 'openai').errors, []);
  assert.deepEqual(validateStops([' '], 'gemini').stops, [' ']);
  assert.match(lintStops([' '], 'x').join(), /only whitespace/);
});

type CountRow = [provider: ProviderId, model: string | undefined, count: number, ok: boolean];
const COUNTS: CountRow[] = [
  ['openai', 'gpt-4.1', 4, true],
  ['openai', 'gpt-4.1', 5, false],
  ['openai', undefined, 5, false],
  ['gemini', 'gemini-2.5-flash', 5, true],
  ['gemini', 'gemini-2.5-flash', 6, false],
  ['anthropic', 'claude-sonnet-4-5', 12, true],
  ['openai-compatible', undefined, 8, true],
  ['openai-compatible', 'openai/gpt-4o', 5, false],
];
for (const [provider, modelId, count, ok] of COUNTS) {
  test(`count: ${count} stops for ${provider} ${modelId ?? '(unknown model)'} → ${ok ? 'sent' : 'error'}`, () => {
    const stops = Array.from({ length: count }, (_, i) => `STOP${i}`);
    const model = modelId ? findModel(provider, modelId) : undefined;
    const r = validateStops(stops, provider, model);
    if (ok) {
      assert.deepEqual(r.errors, []);
      assert.deepEqual(r.stops, stops);
    } else {
      assert.equal(r.errors.length, 1);
      const max = provider === 'gemini' ? 5 : 4;
      assert.match(r.errors[0].message, new RegExp(`has ${count} stop sequences but .* accepts at most ${max}: remove ${count - max}`));
      assert.match(r.errors[0].message, /never drops one silently/);
      // Never a silent cut: nothing is sent, not the first N.
      assert.deepEqual(r.stops, []);
    }
  });
}

test('reasoning models: stops are not sent and the note says they will not apply', () => {
  const o3 = findModel('openai', 'o3')!;
  const r = validateStops(['11.', 'END', 'a', 'b', 'c'], 'openai', o3);
  assert.deepEqual(r.errors, []); // the count does not matter when nothing is sent
  assert.deepEqual(r.stops, []);
  assert.equal(r.notes.length, 1);
  assert.match(r.notes[0], /stop sequences not sent: o3 does not support them, so "11\.", "END".* will not apply/);
  assert.match(r.notes[0], /pick a preset or model that supports stops/);
});

test('messages name the preset the stops came from', () => {
  const r = validateStops(['a', 'b', 'c', 'd', 'e'], 'openai', undefined, { label: 'preset "qa" → stopSequences', preset: 'qa' });
  assert.equal(r.errors[0].preset, 'qa');
  assert.match(r.errors[0].message, /^preset "qa" → stopSequences has 5 stop sequences/);
});

test('duplicates are a warning', () => {
  const r = validateStops(['END', 'END'], 'openai');
  assert.deepEqual(r.errors, []);
  assert.match(r.warnings[0], /lists "END" twice/);
});

test('an empty list is valid and sends nothing', () => {
  const r = validateStops([], 'openai', findModel('openai', 'o3'));
  assert.deepEqual(r, { stops: [], errors: [], notes: [], warnings: [] });
});

type LintRow = [stops: string[], prompt: string, expected: RegExp[]];
const LINT: LintRow[] = [
  [['the'], 'write a poem', [/"the" is a common word/]],
  [['a'], 'xyz', [/"a" is a common word/]],
  [['.'], 'xyz', [/"\." is very short/]],
  [['ok'], 'xyz', [/"ok" is very short/]],
  [[' '], 'xyz', [/" " is only whitespace/]],
  [['end'], 'Plans for the weekend', [/"end" occurs inside "weekend" in the prompt/]],
  [['end'], 'an endless list', [/occurs inside "endless"/]],
  [['END'], 'Plans for the weekend', [/"END" does not occur in the prompt, but "end" does: stops are case-sensitive/]],
  [['End'], 'THE END', [/but "END" does/]],
  [['###'], '### Title\nbody', [/"###" already occurs in the prompt \(1×\)/]],
  [['END'], 'END of file; END', [/already occurs in the prompt \(2×\)/]],
  [[' END'], 'xyz', [/" END" starts with whitespace/]],
  [['END '], 'xyz', [/"END " ends with whitespace/]],
  [['END\n'], 'xyz', [/ends with whitespace/]],
  [[' END '], 'xyz', [/starts and ends with whitespace/]],
];
for (const [stops, prompt, expected] of LINT) {
  test(`lint ${JSON.stringify(stops)} in ${JSON.stringify(prompt)}`, () => {
    const w = lintStops(stops, prompt);
    assert.equal(w.length, expected.length, w.join(' | '));
    expected.forEach((re, i) => assert.match(w[i], re));
  });
}

const CLEAN: LintRow[] = [
  [['\nUser:'], 'User: hello\nAssistant:', []], // anchored at a line start; "User:" at offset 0 has no \n before it
  [['11.'], 'List ten fruits', []],
  [['\n}'], 'Describe a cat as JSON', []],
  [['\n```'], 'Write a sort function', []],
  [['STOP_HERE'], 'Write a poem', []],
];
for (const [stops, prompt] of CLEAN) {
  test(`lint: no warning for ${JSON.stringify(stops)} in ${JSON.stringify(prompt)}`, () => {
    assert.deepEqual(lintStops(stops, prompt), []);
  });
}

test('lint: case-insensitive near miss is reported even inside a word', () => {
  // "END" does not match "Weekend" (case-sensitive), but the user probably meant to catch "end".
  assert.match(lintStops(['END'], 'Weekend plans').join(), /but "end" does/);
});

test('lint: built-in preset stops produce no warning on a neutral prompt', () => {
  for (const s of [['\n```'], ['\n}'], ['11.'], ['\nUser:']]) assert.deepEqual(lintStops(s, 'Tell me about cats.'), []);
});

test('lint: the whitespace warning gives the token count when a tokenizer is passed', () => {
  assert.match(lintStops([' END'], 'x', (t) => t.length)[0], /^stop " END" \(4 tokens with this model's tokenizer\) starts with whitespace/);
  assert.match(lintStops(['END '], 'x', () => 1)[0], /\(1 token with/);
});

test('lint: a 2 MB prompt is linted quickly (runs on every selection change)', () => {
  const prompt = 'lorem ipsum dolor sit amet weekend '.repeat(60_000);
  const t0 = performance.now();
  const w = lintStops(['end', 'END', '\n```', 'the'], prompt);
  assert.ok(performance.now() - t0 < 1000);
  assert.equal(w.length, 3);
});

test('a whitespace-only stop says where it fires: "\\n" at a line break, "\\n\\n" at the first blank line', () => {
  assert.match(lintStops(['\n'], 'x').join(), /fires at the first line break/);
  assert.match(lintStops(['\n\n'], 'x').join(), /fires at the first blank line/);
  assert.match(lintStops(['\n\n\n'], 'x').join(), /fires at the first 2 blank lines in a row/);
});
