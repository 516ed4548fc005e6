import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addRound,
  chooseStrategy,
  CONTINUE_INSTRUCTION,
  continuationMessages,
  continuationPlan,
  isPrefillRefusal,
  prefillKey,
  type StrategyInput,
} from '../../../src/core/generation/continuation';
import { joinSeam } from './joinSeam';
import type { ChatMessage } from '../../../src/core/protocol/request';

const none = new Set<string>();
const input = (over: Partial<StrategyInput>): StrategyInput => ({
  provider: 'anthropic',
  model: 'claude-3-7-sonnet-20250219',
  modelSupportsPrefill: true,
  prefillRefused: none,
  finishRaw: 'max_tokens',
  ...over,
});

test('strategy: prefill where the catalog says the model supports it', () => {
  assert.equal(chooseStrategy(input({})), 'prefill');
  assert.equal(chooseStrategy(input({ provider: 'openai-compatible', model: 'local-llama', finishRaw: 'length' })), 'prefill');
});

test('strategy: user-continue where the model refuses prefill (Claude 4.6) or does not continue it (OpenAI)', () => {
  assert.equal(chooseStrategy(input({ model: 'claude-sonnet-4-6', modelSupportsPrefill: false })), 'user-continue');
  assert.equal(chooseStrategy(input({ provider: 'openai', model: 'gpt-5.2', modelSupportsPrefill: false, finishRaw: 'length' })), 'user-continue');
  assert.equal(chooseStrategy(input({ provider: 'gemini', model: 'gemini-2.5-pro', modelSupportsPrefill: false, finishRaw: 'MAX_TOKENS' })), 'user-continue');
});

test('strategy: unknown models get user-continue (accepted everywhere)', () => {
  for (const provider of ['openai', 'anthropic', 'gemini', 'openai-compatible'] as const) {
    assert.equal(chooseStrategy(input({ provider, model: 'brand-new', modelSupportsPrefill: undefined })), 'user-continue', provider);
  }
});

test('strategy: a refusal remembered for the model wins over the catalog, and only for that model', () => {
  const refused = new Set([prefillKey('anthropic', 'claude-3-7-sonnet-20250219')]);
  assert.equal(prefillKey('anthropic', 'm'), 'anthropic:m');
  assert.equal(chooseStrategy(input({ prefillRefused: refused })), 'user-continue');
  assert.equal(chooseStrategy(input({ prefillRefused: refused, model: 'claude-3-5-haiku-20241022' })), 'prefill');
  assert.equal(
    chooseStrategy(input({ prefillRefused: refused, provider: 'openai-compatible' })),
    'prefill',
    'the same model id behind another provider is another key',
  );
});

test('strategy: Anthropic pause_turn resumes the turn as is, unless the model refused a final assistant turn', () => {
  assert.equal(chooseStrategy(input({ finishRaw: 'pause_turn' })), 'pause-resume');
  assert.equal(chooseStrategy(input({ finishRaw: 'pause_turn', model: 'claude-sonnet-4-6', modelSupportsPrefill: false })), 'pause-resume');
  const refused = new Set([prefillKey('anthropic', 'claude-sonnet-4-6')]);
  assert.equal(
    chooseStrategy(input({ finishRaw: 'pause_turn', model: 'claude-sonnet-4-6', modelSupportsPrefill: false, prefillRefused: refused })),
    'user-continue',
  );
});

const original: ChatMessage[] = [{ role: 'user', content: 'Write a long story.' }];

test('messages: prefill ends with the text so far as the assistant turn', () => {
  const m = continuationMessages(original, 'Once upon a time', 'prefill');
  assert.deepEqual(m, [
    { role: 'user', content: 'Write a long story.' },
    { role: 'assistant', content: 'Once upon a time' },
  ]);
});

test('messages: prefill and pause-resume trim trailing whitespace (Anthropic rejects it) and report it', () => {
  for (const strategy of ['prefill', 'pause-resume'] as const) {
    const plan = continuationPlan(original, 'Chapter 1\n\nIt was a dark ', strategy);
    assert.equal(plan.messages.at(-1)?.content, 'Chapter 1\n\nIt was a dark', strategy);
    assert.equal(plan.trimmedSuffix, ' ');
  }
  // The joiner, given the untrimmed text, puts the trimmed whitespace back exactly once.
  const soFar = 'Intro:\n\n';
  assert.equal(continuationPlan(original, soFar, 'prefill').trimmedSuffix, '\n\n');
  assert.equal(soFar + joinSeam(soFar, '\n\n- first').append, 'Intro:\n\n- first');
  assert.equal(soFar + joinSeam(soFar, '- first').append, 'Intro:\n\n- first');
  assert.equal('a dark ' + joinSeam('a dark ', ' night').append, 'a dark night');
});

test('messages: user-continue adds the untrimmed assistant turn and the instruction', () => {
  const m = continuationMessages(original, 'Once upon a time ', 'user-continue');
  assert.deepEqual(m, [
    { role: 'user', content: 'Write a long story.' },
    { role: 'assistant', content: 'Once upon a time ' },
    { role: 'user', content: CONTINUE_INSTRUCTION },
  ]);
});

test('messages: the original conversation is not mutated and is copied', () => {
  const orig: ChatMessage[] = [{ role: 'user', content: 'q' }];
  const m = continuationMessages(orig, 'answer', 'user-continue');
  assert.equal(orig.length, 1);
  m[0].content = 'changed';
  assert.equal(orig[0].content, 'q');
});

test('messages: nothing written yet (thinking used the budget) asks again without an empty assistant turn', () => {
  for (const strategy of ['prefill', 'user-continue', 'pause-resume'] as const) {
    assert.deepEqual(continuationMessages(original, '  \n', strategy), original, strategy);
  }
});

test('CONTINUE_INSTRUCTION asks to continue exactly, without repeating or commenting', () => {
  assert.match(CONTINUE_INSTRUCTION, /continue exactly where it stopped/i);
  assert.match(CONTINUE_INSTRUCTION, /do not repeat/i);
  assert.match(CONTINUE_INSTRUCTION, /do not comment/i);
  assert.match(CONTINUE_INSTRUCTION, /code block/i);
});

test('isPrefillRefusal: the wordings of real refusals', () => {
  const anthropic = 'This model does not support assistant message prefill. The conversation must end with a user message.';
  assert.equal(isPrefillRefusal(400, anthropic), true);
  assert.equal(isPrefillRefusal(400, `400 {"type":"error","error":{"type":"invalid_request_error","message":"${anthropic}"}}`), true);
  assert.equal(isPrefillRefusal(undefined, anthropic), true, 'status unknown: the message decides');
  // Vertex wraps the Anthropic body in its own error.
  assert.equal(isPrefillRefusal(400, '{"error":{"code":400,"message":"{\\"type\\":\\"error\\",\\"error\\":{\\"message\\":\\"This model does not support assistant message\\n  prefill.\\"}}","status":"INVALID_ARGUMENT"}}'), true);
  assert.equal(isPrefillRefusal(400, 'Your API request included an `assistant` message in the final position, which would pre-fill the `assistant` response. When using tools, pre-filling the `assistant` response is not supported.'), true);
  assert.equal(isPrefillRefusal(400, 'Expected last role User or Tool (or Assistant with prefix True) for serving but got assistant'), true);
  assert.equal(isPrefillRefusal(422, 'The last message must be a user message'), true);
  assert.equal(isPrefillRefusal(400, 'Assistant response prefill is not supported when thinking is enabled'), true);
});

test('isPrefillRefusal: other errors are not refusals', () => {
  assert.equal(isPrefillRefusal(400, 'messages: final assistant content cannot end with trailing whitespace'), false);
  assert.equal(isPrefillRefusal(400, 'max_tokens: 200000 > 64000, which is the maximum allowed'), false);
  assert.equal(isPrefillRefusal(429, 'This model does not support assistant message prefill.'), false, 'rate limit');
  assert.equal(isPrefillRefusal(401, 'This model does not support assistant message prefill.'), false, 'auth');
  assert.equal(isPrefillRefusal(500, 'This model does not support assistant message prefill.'), false, 'server error');
  assert.equal(isPrefillRefusal(undefined, 'socket hang up'), false);
});

const usage = (inputTokens: number, outputTokens: number, extra = {}) => ({ inputTokens, outputTokens, ...extra });

test('chain totals: rounds, summed usage and cost', () => {
  let t = addRound(undefined, { usage: usage(100, 1024), costUsd: 0.0154, usageSource: 'provider' });
  assert.deepEqual(t, { rounds: 1, usage: usage(100, 1024), costUsd: 0.0154, usageSource: 'provider' });
  t = addRound(t, { usage: usage(1200, 300, { cacheReadTokens: 100 }), costUsd: 0.008, usageSource: 'provider' });
  assert.equal(t.rounds, 2);
  assert.deepEqual(t.usage, { inputTokens: 1300, outputTokens: 1324, cacheReadTokens: 100 });
  assert.ok(Math.abs((t.costUsd ?? NaN) - 0.0234) < 1e-12);
  assert.equal(t.usageSource, 'provider');
});

test('chain totals: an unknown cost stays unknown (never counted as 0)', () => {
  let t = addRound(undefined, { usage: usage(1, 1), costUsd: null, usageSource: 'provider' });
  assert.equal(t.costUsd, null);
  t = addRound(t, { usage: usage(1, 1), costUsd: 0.5, usageSource: 'provider' });
  assert.equal(t.costUsd, null, 'known + unknown is unknown');
  const known = addRound(undefined, { usage: usage(1, 1), costUsd: 0.5, usageSource: 'provider' });
  assert.equal(addRound(known, { usage: usage(1, 1), costUsd: null, usageSource: 'provider' }).costUsd, null);
  assert.equal(addRound(known, { usage: usage(0, 0), costUsd: 0, usageSource: 'provider' }).costUsd, 0.5, 'a real 0 is a number');
});

test('chain totals: one estimated round makes the chain an estimate', () => {
  let t = addRound(undefined, { usage: usage(10, 10), costUsd: 0.1, usageSource: 'provider' });
  t = addRound(t, { usage: usage(10, 10), costUsd: 0.1, usageSource: 'estimate' });
  assert.equal(t.usageSource, 'estimate');
  t = addRound(t, { usage: usage(10, 10), costUsd: 0.1, usageSource: 'provider' });
  assert.equal(t.usageSource, 'estimate', 'stays an estimate');
  assert.equal(t.rounds, 3);
});

test('chain totals: optional usage fields are summed when any round has them, inputs untouched', () => {
  const first = addRound(undefined, { usage: usage(10, 50, { reasoningTokens: 20 }), costUsd: 1, usageSource: 'provider' });
  const snapshot = structuredClone(first);
  const second = addRound(first, { usage: usage(10, 50), costUsd: 1, usageSource: 'provider' });
  assert.deepEqual(second.usage, { inputTokens: 20, outputTokens: 100, reasoningTokens: 20 });
  assert.equal('cacheWriteTokens' in second.usage, false);
  assert.deepEqual(first, snapshot);
});
