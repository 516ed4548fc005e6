import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planRequest, type PlanInput } from '../../../src/core/generation/plan';
import { DEFAULT_SETTINGS, resolveSettings, type LengthwiseSettings } from '../../../src/core/settings/settings';

const S = (over: Partial<LengthwiseSettings>): LengthwiseSettings => ({ ...DEFAULT_SETTINGS, ...over });
const plan = (over: Partial<LengthwiseSettings>, extra: Partial<PlanInput> = {}) =>
  planRequest({ settings: S(over), prompt: 'Explain closures.', inputTokens: 10, inputTokensExact: true, ...extra });

test('defaults: a plain request with timeout, retries and nothing optional', () => {
  const p = plan({});
  assert.deepEqual(p.errors, []);
  assert.deepEqual(p.request, {
    provider: 'openai',
    model: 'gpt-4.1-mini',
    messages: [{ role: 'user', content: 'Explain closures.' }],
    maxTokens: 1024,
    stop: [],
    timeoutMs: 600_000,
    maxRetries: 2,
  });
  assert.equal(p.model?.id, 'gpt-4.1-mini');
  assert.equal(p.requestedMaxTokens, 1024);
  assert.equal(p.clamped, false);
});

test('translation: stop, temperature 0, topP 1, system prompt, baseUrl, timeout', () => {
  const p = plan({ stopSequences: ['END'], temperature: 0, topP: 1, systemPrompt: 'Be brief.', baseUrl: 'http://127.0.0.1:9/v1', requestTimeoutSeconds: 30 });
  const r = p.request!;
  assert.deepEqual(r.stop, ['END']);
  assert.equal(r.temperature, 0); // 0 is a value, not "unset"
  assert.equal(r.topP, 1);
  assert.equal(r.system, 'Be brief.');
  assert.equal(r.baseUrl, 'http://127.0.0.1:9/v1');
  assert.equal(r.timeoutMs, 30_000);
  assert.equal(r.reasoningModel, undefined);
  assert.deepEqual(p.notes, []);
});

test('null temperature/topP and empty strings are not sent', () => {
  const r = plan({ temperature: null, topP: null, systemPrompt: '', baseUrl: '' }).request!;
  for (const k of ['temperature', 'topP', 'system', 'baseUrl', 'thinkingBudget', 'reasoningModel']) assert.ok(!(k in r), k);
});

test('clamp to the model max output is applied and explained', () => {
  const p = plan({ provider: 'anthropic', model: 'claude-sonnet-4-5', maxTokens: 100_000 });
  assert.equal(p.request!.maxTokens, 64_000);
  assert.equal(p.requestedMaxTokens, 100_000);
  assert.equal(p.clamped, true);
  assert.deepEqual(p.notes, ['max tokens 100000 → 64000: Claude Sonnet 4.5 outputs at most 64K']);
  assert.equal(p.model?.displayName, 'Claude Sonnet 4.5');
});

test('clamp to the context window left after the prompt', () => {
  const p = plan({ model: 'gpt-4o', maxTokens: 16_000 }, { inputTokens: 120_000 });
  assert.equal(p.request!.maxTokens, 128_000 - 120_000 - 1280);
  assert.equal(p.clamped, true);
});

test('prompt over the context window: error with numbers, no request', () => {
  const p = plan({ model: 'gpt-4o' }, { inputTokens: 130_000, inputTokensExact: false });
  assert.equal(p.request, undefined);
  assert.equal(p.errors.length, 1);
  assert.match(p.errors[0].message, /~130,000 tokens \(estimate\).*128,000/);
});

test('OpenAI reasoning model: reasoningModel, no stop/temperature/topP, each with a note', () => {
  const p = plan({ model: 'o3', stopSequences: ['11.'], temperature: 0.2, topP: 0.5, maxTokens: 5000 });
  const r = p.request!;
  assert.equal(r.reasoningModel, true);
  assert.deepEqual(r.stop, []);
  assert.equal(r.temperature, undefined);
  assert.equal(r.topP, undefined);
  assert.equal(r.maxTokens, 5000);
  assert.equal(p.notes.length, 3);
  assert.match(p.notes[0], /^stop sequences not sent: o3 does not support them, so "11\." will not apply/);
  assert.match(p.notes[1], /^temperature not sent: o3/);
  assert.match(p.notes[2], /^top_p not sent: o3/);
});

test('an unknown dated GPT-5 variant still gets reasoning rules, plus the unknown-limits note', () => {
  const p = plan({ model: 'gpt-5.9', stopSequences: ['END'], temperature: 0.2 });
  assert.equal(p.request!.reasoningModel, true);
  assert.deepEqual(p.request!.stop, []);
  assert.equal(p.request!.temperature, undefined);
  assert.equal(p.model, undefined);
  assert.match(p.notes[0], /^limits of model "gpt-5\.9" are unknown; add them in lengthwise\.models/);
  assert.ok(p.notes.some((n) => /stop sequences not sent: gpt-5\.9 is an OpenAI reasoning model/.test(n)));
});

test('five stops on a reasoning model are not an error (nothing is sent anyway)', () => {
  const p = plan({ model: 'gpt-5', stopSequences: ['a1', 'b2', 'c3', 'd4', 'e5'] });
  assert.deepEqual(p.errors, []);
  assert.deepEqual(p.request!.stop, []);
});

test('unknown model: sent as configured with a note', () => {
  const p = plan({ provider: 'openai-compatible', baseUrl: 'http://localhost:11434/v1', model: 'llama3.1:8b', maxTokens: 900_000 }, { inputTokens: 5_000_000 });
  assert.deepEqual(p.errors, []);
  assert.equal(p.request!.maxTokens, 900_000);
  assert.equal(p.request!.reasoningModel, undefined);
  assert.equal(p.notes.length, 1);
  assert.match(p.notes[0], /limits of model "llama3\.1:8b" are unknown; add them in lengthwise\.models/);
});

test('custom model from lengthwise.models: clamped to its limits, no unknown note', () => {
  const p = plan({
    provider: 'openai-compatible',
    baseUrl: 'http://localhost:11434/v1',
    model: 'llama3.1:8b',
    maxTokens: 20_000,
    models: { 'llama3.1:8b': { contextWindow: 131_072, maxOutputTokens: 8192 } },
  });
  assert.equal(p.request!.maxTokens, 8192);
  assert.deepEqual(p.notes, ['max tokens 20000 → 8192: llama3.1:8b outputs at most 8K']);
});

test('OpenAI-compatible server serving a known OpenAI reasoning model keeps the reasoning rules', () => {
  const p = plan({ provider: 'openai-compatible', baseUrl: 'https://openrouter.ai/api/v1', model: 'openai/gpt-5', stopSequences: ['X1'] });
  assert.equal(p.request!.reasoningModel, true);
  assert.deepEqual(p.request!.stop, []);
});

test('Anthropic thinking: budget sent, temperature dropped with a note, top_p below 0.95 dropped', () => {
  const p = plan({ provider: 'anthropic', model: 'claude-sonnet-4-0', maxTokens: 8000, thinkingBudget: 2048, temperature: 0.3, topP: 0.9 });
  const r = p.request!;
  assert.equal(r.thinkingBudget, 2048);
  assert.equal(r.temperature, undefined);
  assert.equal(r.topP, undefined);
  assert.match(p.notes.join('\n'), /temperature not sent: Anthropic extended thinking/);
  assert.match(p.notes.join('\n'), /top_p not sent: with extended thinking Anthropic accepts only 0\.95–1/);
  assert.equal(plan({ provider: 'anthropic', model: 'claude-sonnet-4-0', maxTokens: 8000, thinkingBudget: 2048, topP: 0.97 }).request!.topP, 0.97);
});

test('Anthropic thinking lowered after a clamp is sent lowered', () => {
  const p = plan({ provider: 'anthropic', model: 'claude-opus-4-1', maxTokens: 40_000, thinkingBudget: 35_000 });
  assert.equal(p.request!.maxTokens, 32_000);
  assert.equal(p.request!.thinkingBudget, 27_000);
  assert.deepEqual(p.notes, [
    'max tokens 40000 → 32000: Claude Opus 4.1 outputs at most 32K',
    'thinking budget 35000 → 27000: max tokens was lowered to 32000, keeping 5000 tokens for the answer',
  ]);
});

test('Anthropic thinkingBudget ≥ maxTokens: error, no request', () => {
  const p = plan({ provider: 'anthropic', model: 'claude-sonnet-4-5', maxTokens: 2000, thinkingBudget: 3000 });
  assert.equal(p.request, undefined);
  assert.equal(p.errors.length, 1);
  assert.equal(p.errors[0].setting, 'lengthwise.thinkingBudget');
});

test('Claude 4.5: temperature and top_p together → top_p dropped with a note', () => {
  const p = plan({ provider: 'anthropic', model: 'claude-haiku-4-5', temperature: 0.4, topP: 0.9 });
  assert.equal(p.request!.temperature, 0.4);
  assert.equal(p.request!.topP, undefined);
  assert.match(p.notes[0], /top_p not sent: Claude Haiku 4\.5 accepts temperature or top_p, not both/);
  // Older Claude takes both.
  assert.equal(plan({ provider: 'anthropic', model: 'claude-sonnet-4-0', temperature: 0.4, topP: 0.9 }).request!.topP, 0.9);
});

test('Gemini thinking budget ≥ max tokens: sent, with a warning', () => {
  const p = plan({ provider: 'gemini', model: 'gemini-2.5-flash', maxTokens: 1000, thinkingBudget: 2000 });
  assert.equal(p.request!.thinkingBudget, 2000);
  assert.equal(p.request!.maxTokens, 1000);
  assert.ok(p.warnings.some((w) => /answer may be empty/.test(w)));
});

test('thinking budget on OpenAI: not sent, with a note', () => {
  const p = plan({ model: 'gpt-4.1', thinkingBudget: 2048 });
  assert.equal(p.request!.thinkingBudget, undefined);
  assert.match(p.notes[0], /thinking budget not sent/);
});

test('stop lint reaches plan.lint (not plan.warnings: the shell shows lint when the setting changes)', () => {
  const p = plan({ stopSequences: ['end'] }, { prompt: 'Plans for the weekend' });
  assert.deepEqual(p.request!.stop, ['end']);
  assert.deepEqual(p.warnings, []);
  assert.equal(p.lint.length, 1);
  assert.match(p.lint[0], /occurs inside "weekend"/);
});

test('invalid settings given directly: errors, no request', () => {
  const cases: Partial<LengthwiseSettings>[] = [
    { maxTokens: -5 },
    { temperature: 3 },
    { stopSequences: ['a1', 'b2', 'c3', 'd4', 'e5'] },
    { provider: 'anthropic', model: 'claude-sonnet-4-5', stopSequences: [' '] },
    { model: 'gpt 4o' },
    { provider: 'nope' as never },
  ];
  for (const c of cases) {
    const p = plan(c);
    assert.equal(p.request, undefined, JSON.stringify(c));
    assert.ok(p.errors.length >= 1, JSON.stringify(c));
  }
});

test('an empty prompt only skips the lint (the caller refuses empty selections)', () => {
  const p = plan({ stopSequences: ['end'] }, { prompt: '' });
  assert.deepEqual(p.errors, []);
  assert.deepEqual(p.warnings, []);
  assert.equal(p.request!.maxTokens, 1024);
});

test('continuation passes its own messages; they are sent as given (copied)', () => {
  const messages = [
    { role: 'user' as const, content: 'Write a story.' },
    { role: 'assistant' as const, content: 'Once upon a time' },
  ];
  const p = plan({ provider: 'anthropic', model: 'claude-3-7-sonnet' }, { prompt: 'Write a story.', messages });
  assert.deepEqual(p.request!.messages, messages);
  assert.notEqual(p.request!.messages, messages);
});

test('with sources from resolveSettings, errors name the preset the value came from', () => {
  const r = resolveSettings({
    configured: { provider: 'anthropic', model: 'claude-sonnet-4-5', maxTokens: 1500 },
    userPresets: { deep: { thinkingBudget: 4000 } },
    presetName: 'deep',
  });
  const p = planRequest({ settings: r.settings, sources: r.sources, prompt: 'x', inputTokens: 1, inputTokensExact: true });
  assert.equal(p.errors.length, 1);
  assert.equal(p.errors[0].preset, 'deep');
  assert.match(p.errors[0].message, /^preset "deep" → thinkingBudget is 4000/);
});

test('end to end: preset → resolve → plan for each provider', () => {
  const table: [Record<string, unknown>, string, number, string[]][] = [
    [{ provider: 'openai', model: 'gpt-4.1' }, 'numbered list of 10', 1000, ['11.']],
    [{ provider: 'anthropic', model: 'claude-sonnet-4-5' }, 'code generation', 2000, ['\n```']],
    [{ provider: 'gemini', model: 'gemini-2.5-pro' }, 'JSON', 2000, ['\n}']],
    [{ provider: 'openai', model: 'o4-mini' }, 'single chat turn', 500, []],
  ];
  for (const [configured, preset, max, stop] of table) {
    const r = resolveSettings({ configured, presetName: preset });
    assert.deepEqual(r.errors, [], preset);
    const p = planRequest({ settings: r.settings, sources: r.sources, prompt: 'Go.', inputTokens: 3, inputTokensExact: true });
    assert.deepEqual(p.errors, [], preset);
    assert.equal(p.request!.maxTokens, max, preset);
    assert.deepEqual(p.request!.stop, stop, preset);
  }
});

// Claude models released after Opus 4.6 refuse non-default sampling with a 400 (@anthropic-ai/sdk 0.137.0 docs):
// temperature only 1.0, top_p only ≥ 0.99, and not both. [settings, temperature sent, top_p sent, note pattern]
const DEFAULT_SAMPLING: [Partial<LengthwiseSettings>, number | undefined, number | undefined, RegExp | undefined][] = [
  [{ temperature: 0.7 }, undefined, undefined, /^temperature not sent: Claude Opus 4\.7 accepts only the default temperature 1\.0 .*0\.7 does not apply/],
  [{ temperature: 0 }, undefined, undefined, /^temperature not sent/],
  [{ temperature: 1 }, 1, undefined, undefined],
  [{ topP: 0.9 }, undefined, undefined, /^top_p not sent: Claude Opus 4\.7 accepts only top_p ≥ 0\.99/],
  [{ topP: 0.99 }, undefined, 0.99, undefined],
  [{ topP: 1 }, undefined, 1, undefined],
  [{ temperature: 1, topP: 1 }, 1, undefined, /^top_p not sent: Claude Opus 4\.7 refuses temperature and top_p in one request/],
  [{ temperature: 0.2, topP: 0.995 }, undefined, 0.995, /^temperature not sent/],
];
for (const [over, t, p, note] of DEFAULT_SAMPLING) {
  test(`Claude after Opus 4.6, ${JSON.stringify(over)}: temperature ${t}, top_p ${p}`, () => {
    const r = plan({ provider: 'anthropic', model: 'claude-opus-4-7', ...over });
    assert.deepEqual(r.errors, []);
    assert.equal(r.request!.temperature, t);
    assert.equal(r.request!.topP, p);
    if (note) assert.ok(r.notes.some((n) => note.test(n)), r.notes.join('\n'));
    else assert.deepEqual(r.notes, []);
  });
}

test('the sampling rule follows the model: Opus 4.6 still takes temperature; a router serving Opus 4.7 does not', () => {
  assert.equal(plan({ provider: 'anthropic', model: 'claude-opus-4-6', temperature: 0.7 }).request!.temperature, 0.7);
  const routed = plan({ provider: 'openai-compatible', baseUrl: 'https://openrouter.ai/api/v1', model: 'anthropic/claude-opus-4.7', temperature: 0.7 });
  assert.equal(routed.request!.temperature, undefined);
  assert.match(routed.notes.join('\n'), /temperature not sent: Claude Opus 4\.7/);
});

test('an unknown Claude id after Opus 4.6 gets the same rules by its version (no budget, no temperature), plus the unknown-limits note', () => {
  const p = plan({ provider: 'anthropic', model: 'claude-opus-6', temperature: 0.5, thinkingBudget: 2048, maxTokens: 8000 });
  assert.deepEqual(p.errors, []);
  assert.equal(p.model, undefined);
  assert.equal(p.request!.temperature, undefined);
  assert.equal(p.request!.thinkingBudget, undefined);
  assert.match(p.notes.join('\n'), /limits of model "claude-opus-6" are unknown/);
  assert.match(p.notes.join('\n'), /thinking budget not sent: claude-opus-6 decides how much to think/);
  assert.match(p.notes.join('\n'), /temperature not sent: claude-opus-6 accepts only the default temperature/);
  // An older unknown Claude keeps its temperature.
  assert.equal(plan({ provider: 'anthropic', model: 'claude-sonnet-4-2', temperature: 0.5 }).request!.temperature, 0.5);
});

test('adaptive-only Claude: a thinking budget is not sent (it would be a 400), even one ≥ max tokens', () => {
  const p = plan({ provider: 'anthropic', model: 'claude-sonnet-5', maxTokens: 2000, thinkingBudget: 4000 });
  assert.deepEqual(p.errors, []);
  assert.equal(p.request!.thinkingBudget, undefined);
  assert.ok(p.notes.some((n) => /^thinking budget not sent: Claude Sonnet 5 decides how much to think \(adaptive thinking\) and refuses a token budget/.test(n)));
  // Mythos Preview still takes a budget (deprecated) and keeps the usual Anthropic rule.
  assert.equal(plan({ provider: 'anthropic', model: 'claude-mythos-preview', maxTokens: 8000, thinkingBudget: 2048 }).request!.thinkingBudget, 2048);
});

test('models that think by default: the note says thinking counts toward max tokens', () => {
  const p = plan({ provider: 'anthropic', model: 'claude-opus-5', maxTokens: 300 });
  assert.ok(p.notes.some((n) => /^Claude Opus 5 thinks by default and its thinking counts toward max tokens \(300\)/.test(n)), p.notes.join('\n'));
  assert.ok(!plan({ provider: 'anthropic', model: 'claude-opus-4-8', maxTokens: 300 }).notes.some((n) => /thinks by default/.test(n)));
});

test('a clamp on an uncertain catalog figure says so; an override in lengthwise.models removes the doubt', () => {
  const p = plan({ model: 'gpt-5.6-sol', maxTokens: 200_000 });
  assert.equal(p.request!.maxTokens, 128_000);
  assert.match(p.notes[0], /^max tokens 200000 → 128000: GPT-5\.6 Sol outputs at most 128K \(uncertain catalog figure: gateway pages say 128K output, one says 272K; if your account allows more, set it in lengthwise\.models\)$/);
  const o = plan({ model: 'gpt-5.6-sol', maxTokens: 300_000, models: { 'gpt-5.6-sol': { maxOutputTokens: 272_000 } } });
  assert.equal(o.request!.maxTokens, 272_000);
  assert.equal(o.notes[0], 'max tokens 300000 → 272000: GPT-5.6 Sol outputs at most 272K');
  // A settled figure gets the plain note.
  assert.equal(plan({ model: 'gpt-6-sol', maxTokens: 200_000 }).notes[0], 'max tokens 200000 → 128000: GPT-6 Sol outputs at most 128K');
});

test('a catalog model without known limits (Claude Mythos Preview) is sent unclamped with notes', () => {
  const p = plan({ provider: 'anthropic', model: 'claude-mythos-preview', maxTokens: 500_000 });
  assert.equal(p.request!.maxTokens, 500_000);
  assert.equal(p.clamped, false);
  assert.match(p.notes.join('\n'), /context window of "claude-mythos-preview" is unknown \(not in the catalog — set it in lengthwise\.models\)/);
  assert.match(p.notes.join('\n'), /max output of "claude-mythos-preview" is unknown/);
});

test('GPT-5.x ChatGPT snapshots clamp to 16K output under the GPT-5 parameter rules', () => {
  const p = plan({ model: 'gpt-5.2-chat-latest', maxTokens: 50_000, stopSequences: ['END'] });
  assert.equal(p.request!.maxTokens, 16_384);
  assert.equal(p.request!.reasoningModel, true);
  assert.deepEqual(p.request!.stop, []);
});
