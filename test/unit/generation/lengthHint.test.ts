import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decideLengthHint, hintFigures, hintNote, roundDown, STATED_LENGTH_SCAN, statedLength, withHint } from '../../../src/core/generation/lengthHint';
import { lengthHintProblem } from '../../../src/core/settings/lengthHintSetting';
import { planRequest } from '../../../src/core/generation/plan';
import { DEFAULT_SETTINGS, resolveSettings, validateSettingValue, type LengthwiseSettings } from '../../../src/core/settings/settings';
import { BUILT_IN_PRESETS } from '../../../src/core/settings/presets';
import { lengthStats } from '../../../src/core/views/lengths';
import { tooltipMarkdown } from '../../../src/core/views/statusText';
import { Ledger } from '../../../src/core/ledger/ledger';
import { type LedgerRecord } from '../../../src/core/ledger/record';
import { memoryStorage } from '../../ledgerDouble';

describe('length hint derivation', () => {
  it('words ≈ 0.6 × the room (0.75 words a token, 80% margin), rounded down to a round number', () => {
    assert.deepEqual(hintFigures(1024), { words: 600, tokens: 800, lines: 60 });
    assert.deepEqual(hintFigures(300), { words: 180, tokens: 200, lines: 20 });
    assert.deepEqual(hintFigures(4000), { words: 2400, tokens: 3200, lines: 250 });
    assert.deepEqual(hintFigures(12), { words: 7, tokens: 9, lines: 1 }, 'tiny caps still give a positive figure');
    assert.equal(roundDown(614), 600);
    assert.equal(roundDown(47), 45);
    assert.equal(roundDown(187), 180);
    assert.equal(roundDown(0.4), 1);
  });

  it('auto: one sentence; a template fills {words} {tokens} {lines}; a thinking budget is not room for the answer', () => {
    const auto = decideLengthHint('auto', { maxTokens: 1024, system: '' });
    assert.deepEqual(auto, { sent: true, text: 'Keep the answer under about 600 words.', figures: { words: 600, tokens: 800, lines: 60 } });
    const t = decideLengthHint('At most {words} words, {tokens} tokens or {lines} lines.', { maxTokens: 1000, system: 'Be exact.' });
    assert.equal(t.sent && t.text, 'At most 600 words, 800 tokens or 60 lines.');
    const thinking = decideLengthHint('auto', { maxTokens: 3048, thinkingBudget: 2048, system: '' });
    assert.equal(thinking.sent && thinking.text, 'Keep the answer under about 600 words.');
    assert.deepEqual(decideLengthHint('off', { maxTokens: 1024, system: '' }), { sent: false, why: 'lengthwise.lengthHint is "off"', off: true });
    assert.equal(hintNote(decideLengthHint('off', { maxTokens: 1024, system: '' })), undefined, 'nothing to say when off');
    assert.equal(hintNote(auto), 'length hint: "Keep the answer under about 600 words."');
    assert.equal(hintNote(decideLengthHint('auto', { maxTokens: 1024, system: 'Be brief.' })), 'no length hint: the system prompt already states a length ("Be brief")');
    assert.match(tooltipMarkdown({ title: 't', session: { usd: 0, requests: 0 }, workspace: { usd: 0, requests: 0 }, lengthHint: hintNote(auto) }), /\n\nLength hint: "Keep the answer under about 600 words\."\n/);
  });

  it('is the last sentence of the system prompt', () => {
    assert.equal(withHint(undefined, 'H.'), 'H.');
    assert.equal(withHint('Be exact.\n', 'H.'), 'Be exact.\n\nH.');
  });
});

describe('"already states a length" detection', () => {
  const stated: [string, string][] = [
    ['Keep your response under 200 words.', '200 words'],
    ['Answer in 3 sentences.', '3 sentences'],
    ['Write a 500-word summary.', '500-word'],
    ['Reply in one paragraph.', 'one paragraph'],
    ['Use at most ten bullet points', 'ten bullet points'],
    ['No more than 1,000 characters.', '1,000 characters'],
    ['Stay within a 300 token budget', '300 token'],
    ['Mind the word limit.', 'word limit'],
    ['Keep it short.', 'Keep it short'],
    ['Keep answers brief and friendly.', 'Keep answers brief'],
    ['Give a short answer.', 'short answer'],
    ['Be brief.', 'Be brief'],
    ['Answer with a one-liner.', 'one-liner'],
    ['Start with a TL;DR.', 'TL;DR'],
  ];
  for (const [system, phrase] of stated) {
    it(`finds ${JSON.stringify(phrase)}`, () => {
      assert.equal(statedLength(system), phrase);
      const d = decideLengthHint('auto', { maxTokens: 1024, system });
      assert.deepEqual(d, { sent: false, why: `the system prompt already states a length ("${phrase}")` });
    });
  }
  const notStated = [
    '',
    'You are a helpful assistant.',
    'Answer with a numbered list: one item per line, numbered "1.", "2.", "3." and so on.',
    'Reply with exactly one Markdown code block and nothing else.',
    'Continue the dialogue with a single reply.',
    'Explain it in plain words.',
    'Use two spaces for indentation.',
    'Reply with one JSON object only: no prose and no code fence. Pretty-print it with 2-space indentation.',
  ];
  for (const system of notStated) {
    it(`does not find a length in ${JSON.stringify(system)}`, () => assert.equal(statedLength(system), undefined));
  }
  it('a long system prompt is read at its start and its end only (STATED_LENGTH_SCAN): a length said last is found', () => {
    const filler = 'Follow the style guide. '.repeat(2_000);
    assert.equal(statedLength(`${filler}Answer in under 200 words.`), '200 words');
    assert.equal(statedLength(`Answer in under 200 words. ${filler}`), '200 words');
    const middle = `${filler}Answer in under 200 words. ${filler}`;
    assert.ok(middle.length > STATED_LENGTH_SCAN.head + STATED_LENGTH_SCAN.tail);
    assert.equal(statedLength(middle), undefined, 'the middle of a 96,000-character prompt is not read');
  });
  it('none of the built-in presets states a length (so their auto hint is sent)', () => {
    for (const p of BUILT_IN_PRESETS) assert.equal(statedLength(p.values.systemPrompt ?? ''), undefined, p.name);
  });
});

describe('lengthwise.lengthHint setting', () => {
  it('accepts off, auto and templates with a known placeholder', () => {
    for (const v of ['off', 'auto', 'Under {words} words.', 'At most {lines} lines.']) assert.equal(lengthHintProblem(v), undefined, v);
  });
  it('refuses other values with a message naming the setting, the value and the fix', () => {
    const cases: [unknown, RegExp][] = [
      ['Auto', /lengthwise\.lengthHint is "Auto", which has no placeholder \(did you mean "auto"\?\): use "off", "auto", or one sentence with \{words\}/],
      ['Under {wrds} words.', /is "Under \{wrds\} words\.", which has the unknown placeholder \{wrds\}/],
      ['Keep it short.', /which has no placeholder.*a fixed instruction belongs in lengthwise\.systemPrompt/],
      ['', /is "", which is empty/],
      [true, /lengthwise\.lengthHint is true: use "off", "auto"/],
    ];
    for (const [v, re] of cases) {
      const r = validateSettingValue('lengthHint', v);
      assert.equal(r.ok, false, String(v));
      assert.match((r as { message: string }).message, re);
    }
  });
  it('defaults to off; every built-in preset sets auto', () => {
    assert.equal(DEFAULT_SETTINGS.lengthHint, 'off');
    for (const p of BUILT_IN_PRESETS) assert.equal(p.values.lengthHint, 'auto', p.name);
    const r = resolveSettings({ configured: {}, presetName: 'quick answer' });
    assert.equal(r.settings.lengthHint, 'auto');
  });
});

describe('the hint in request planning', () => {
  const settings = (over: Partial<LengthwiseSettings>): LengthwiseSettings => ({ ...DEFAULT_SETTINGS, stopSequences: [], pricing: {}, models: {}, ...over });
  const plan = (over: Partial<LengthwiseSettings>) => planRequest({ settings: settings(over), prompt: 'Explain tides', inputTokens: 5, inputTokensExact: true });

  it('auto adds the sentence to the system prompt, from the max tokens sent (after clamping)', () => {
    const p = plan({ lengthHint: 'auto', maxTokens: 300, systemPrompt: 'Be exact.' });
    assert.equal(p.request?.system, 'Be exact.\n\nKeep the answer under about 180 words.');
    assert.equal(p.request?.lengthHint, 'Keep the answer under about 180 words.');
    assert.deepEqual(p.lengthHint && p.lengthHint.sent, true);
    const clamped = plan({ lengthHint: 'auto', maxTokens: 100000 });
    assert.equal(clamped.request?.maxTokens, 32768);
    assert.equal(clamped.request?.system, 'Keep the answer under about 19600 words.');
  });
  it('off, and a system prompt that states a length, send no hint (and say why)', () => {
    const off = plan({ lengthHint: 'off' });
    assert.equal(off.request?.system, undefined);
    assert.equal(off.request?.lengthHint, undefined);
    const own = plan({ lengthHint: 'auto', systemPrompt: 'Answer in under 100 words.' });
    assert.equal(own.request?.system, 'Answer in under 100 words.');
    assert.deepEqual(own.lengthHint, { sent: false, why: 'the system prompt already states a length ("100 words")' });
  });
});

describe('the hint in the ledger and the dashboard', () => {
  const rec = (id: string, hint: boolean | undefined, truncated: boolean): LedgerRecord => ({
    v: 1,
    id,
    time: '2026-01-01T00:00:00.000Z',
    durationMs: 1,
    workspace: 'ws',
    provider: 'openai',
    model: 'gpt-4.1-mini',
    usage: { inputTokens: 1, outputTokens: 10 },
    usageSource: 'provider',
    costUsd: null,
    finish: { raw: truncated ? 'length' : 'stop', reason: truncated ? 'length' : 'stop', truncated },
    maxTokens: 10,
    ...(hint === undefined ? {} : { lengthHint: hint }),
  });

  it('the record keeps whether a hint went', async () => {
    const storage = memoryStorage();
    const { ledger } = await Ledger.open(storage);
    await ledger.finish(rec('a', true, false));
    await ledger.finish(rec('b', false, false));
    const again = (await Ledger.open(storage)).ledger.records();
    assert.deepEqual(again.map((r) => r.lengthHint), [true, false]);
  });

  it('truncated share with and without a hint (records from before hints count as without)', () => {
    const s = lengthStats([rec('1', true, false), rec('2', true, false), rec('3', true, true), rec('4', false, true), rec('5', undefined, true), rec('6', undefined, false)], 10);
    assert.deepEqual(s.byHint, { withHint: { samples: 3, truncated: 1, share: 1 / 3 }, withoutHint: { samples: 3, truncated: 2, share: 2 / 3 } });
    assert.deepEqual(lengthStats([], 10).byHint.withHint, { samples: 0, truncated: 0, share: null });
  });
});
