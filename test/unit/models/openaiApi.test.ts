import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planRequest, type PlanInput } from '../../../src/core/generation/plan';
import { DEFAULT_SETTINGS, resolveSettings, type LengthwiseSettings } from '../../../src/core/settings/settings';
import { findModel } from '../../../src/core/models/models';

const S = (over: Partial<LengthwiseSettings>): LengthwiseSettings => ({ ...DEFAULT_SETTINGS, ...over });
const plan = (over: Partial<LengthwiseSettings>, extra: Partial<PlanInput> = {}) =>
  planRequest({ settings: S(over), prompt: 'Explain closures.', inputTokens: 10, inputTokensExact: true, ...extra });

test('catalog: codex and pro variants are Responses-only; chat models are not', () => {
  for (const id of ['gpt-5-codex', 'gpt-5.1-codex', 'gpt-5.1-codex-mini', 'gpt-5-pro', 'o3-pro', 'o1-pro']) {
    assert.equal(findModel('openai', id)?.responsesOnly, true, id);
  }
  for (const id of ['gpt-5', 'gpt-4.1-mini', 'o3']) assert.equal(findModel('openai', id)?.responsesOnly, undefined, id);
});

test('auto: a Responses-only model goes to the Responses API, with a note; a chat model stays on Chat Completions', () => {
  const p = plan({ model: 'gpt-5-codex', maxTokens: 300 });
  assert.deepEqual(p.errors, []);
  assert.equal(p.request!.api, 'responses');
  assert.ok(p.notes.some((n) => /OpenAI Responses API used for GPT-5 Codex: the catalog marks it Responses-only/.test(n)), p.notes.join('\n'));
  assert.equal(plan({ model: 'gpt-5' }).request!.api, undefined);
  const guess = plan({ model: 'gpt-5.9-codex' });
  assert.equal(guess.request!.api, 'responses');
  assert.ok(guess.notes.some((n) => /looks like a Responses-only model/.test(n)));
});

test('auto on an OpenAI-compatible server is Chat Completions; "responses" is the user\'s choice', () => {
  const base = { provider: 'openai-compatible' as const, baseUrl: 'http://127.0.0.1:9/v1', model: 'gpt-5-codex' };
  assert.equal(plan(base).request!.api, undefined);
  assert.equal(plan({ ...base, openaiApi: 'responses' }).request!.api, 'responses');
  assert.equal(plan({ model: 'gpt-4.1-mini', openaiApi: 'responses' }).request!.api, 'responses');
});

test('"chat" for a Responses-only model is an error naming the setting and the fix, before any request', () => {
  const p = plan({ model: 'gpt-5-codex', openaiApi: 'chat' });
  assert.equal(p.request, undefined);
  assert.equal(p.errors[0].setting, 'lengthwise.openaiApi');
  assert.match(p.errors[0].message, /lengthwise\.openaiApi is "chat" but GPT-5 Codex is served only by OpenAI's Responses API .* set lengthwise\.openaiApi to "auto" or "responses"/);
});

test('Responses: stops are left out with a note (no stop parameter); max tokens below 16 is raised with a note', () => {
  const p = plan({ model: 'gpt-4.1-mini', openaiApi: 'responses', stopSequences: ['END'], maxTokens: 5 });
  assert.deepEqual(p.request!.stop, []);
  assert.ok(p.notes.some((n) => /stop sequences not sent: OpenAI's Responses API has no stop parameter, so "END" will not apply/.test(n)));
  assert.equal(p.request!.maxTokens, 16);
  assert.ok(p.notes.some((n) => /max tokens 5 → 16: the Responses API refuses max_output_tokens below 16/.test(n)));
});

test('verbosity: sent to the GPT-5 family; left out with a note for others', () => {
  assert.equal(plan({ model: 'gpt-5', verbosity: 'low' }).request!.verbosity, 'low');
  assert.equal(plan({ model: 'gpt-5.9', verbosity: 'high' }).request!.verbosity, 'high', 'unknown GPT-5-family id');
  for (const [over, why] of [
    [{ model: 'gpt-4.1-mini' }, /GPT-4\.1 mini is not known to take it/],
    [{ model: 'gpt-5-codex' }, /GPT-5 Codex accepts only its default verbosity/],
    [{ provider: 'anthropic', model: 'claude-sonnet-4-5' }, /verbosity is an OpenAI parameter \(GPT-5 family\); Claude Sonnet 4\.5 has none/],
    [{ provider: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1', model: 'llama3' }, /llama3 is not known to take it/],
  ] as const) {
    const p = plan({ ...over, verbosity: 'low' } as Partial<LengthwiseSettings>);
    assert.equal(p.request!.verbosity, undefined, over.model);
    assert.ok(p.notes.some((n) => /^lengthwise\.verbosity "low" not sent: /.test(n) && why.test(n)), p.notes.join('\n'));
  }
  assert.equal(plan({ model: 'gpt-5' }).request!.verbosity, undefined, 'null = not sent, no note');
});

test('verbosity and openaiApi settings: validated with the fix in the message; a preset may set verbosity', () => {
  const bad = resolveSettings({ configured: { verbosity: 'LOW', openaiApi: 'response' } });
  const msgs = bad.errors.map((e) => e.message).join('\n');
  assert.match(msgs, /lengthwise\.verbosity is the text "LOW": use one of "low", "medium", "high" \(did you mean "low"\?\), or null to leave it to the model\./);
  assert.match(msgs, /lengthwise\.openaiApi is the text "response": use one of "auto", "chat", "responses"/);
  const r = resolveSettings({ configured: {}, userPresets: { terse: { verbosity: 'low', maxTokens: 200 } }, presetName: 'terse' });
  assert.deepEqual(r.errors, []);
  assert.equal(r.settings.verbosity, 'low');
  assert.equal(r.sources.verbosity?.preset, 'terse');
});

test('OpenRouter is asked for the billed cost; other servers are not sent the unknown field', () => {
  assert.equal(plan({ provider: 'openai-compatible', baseUrl: 'https://openrouter.ai/api/v1', model: 'openai/gpt-4o' }).request!.askCost, true);
  assert.equal(plan({ provider: 'openai-compatible', baseUrl: 'http://127.0.0.1:4000/v1', model: 'gpt-4o' }).request!.askCost, undefined);
  assert.equal(plan({ model: 'gpt-4o' }).request!.askCost, undefined);
});

test('discovered limits clamp an unknown model, with the source in the note; lengthwise.models still wins', () => {
  const compat = { provider: 'openai-compatible' as const, baseUrl: 'http://127.0.0.1:9/v1', model: 'tiny', maxTokens: 4000 };
  const discovered = { server: 'llama-server' as const, source: "the server's /props (n_ctx)", ignored: [], contextWindow: 512 };
  const p = plan(compat, { discovered });
  assert.deepEqual(p.errors, []);
  assert.ok(p.request!.maxTokens < 512, String(p.request!.maxTokens));
  assert.ok(p.notes.some((n) => n === `limits of "tiny": context 512 from the server's /props (n_ctx).`), p.notes.join('\n'));
  assert.ok(!p.notes.some((n) => /are unknown/.test(n)));
  const mine = plan({ ...compat, models: { tiny: { contextWindow: 100000, maxOutputTokens: 3000 } } }, { discovered });
  assert.equal(mine.request!.maxTokens, 3000);
  assert.ok(mine.notes.some((n) => /from lengthwise\.models; the server reports context 512 .* \(not used: your setting wins\)/.test(n)));
  const lied = plan(compat, { discovered: { server: 'vllm', source: 'x', ignored: ['max_model_len -5 ignored: not positive'] } });
  assert.equal(lied.request!.maxTokens, 4000, 'nothing usable: sent as before');
  assert.ok(lied.notes.some((n) => /limits of model "tiny" are unknown/.test(n)));
  assert.ok(lied.notes.some((n) => /not used where they made no sense: max_model_len -5 ignored: not positive/.test(n)));
  assert.equal(plan({ model: 'gpt-4o' }, { discovered }).request!.maxTokens, 1024, 'only for openai-compatible');
});
