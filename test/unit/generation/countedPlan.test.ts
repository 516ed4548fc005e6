// The one rule for a request's input count (issue 28: the length hint's sentence was added after counting, so the
// OpenAI input count labelled exact was 9-12 tokens short, and the worst case, the budget hold and the window check
// used it).
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { countedPlanSync, inputPartsText } from '../../../src/core/generation/countedPlan';
import { planRequest } from '../../../src/core/generation/plan';
import { DEFAULT_SETTINGS, type LengthwiseSettings } from '../../../src/core/settings/settings';
import { countChatInput } from '../../../src/core/tokens/chatInput';
import { worstCaseCost, findPrice } from '../../../src/core/pricing/cost';
import { loadTokenizer, type Tokenizer } from '../../../src/core/tokens/tokens';

let tok: Tokenizer;
before(async () => {
  tok = await loadTokenizer('o200k_base');
});
const count = (t: string) => tok.count(t);
const settings = (over: Partial<LengthwiseSettings> = {}): LengthwiseSettings => ({ ...DEFAULT_SETTINGS, provider: 'openai', model: 'gpt-4.1-mini', lengthHint: 'auto', ...over });
const messages = (prompt: string) => [{ role: 'user' as const, content: prompt }];

/** What the request sends, counted by OpenAI's published rule: the ground truth for "exact". */
const sentTokens = (r: NonNullable<ReturnType<typeof planRequest>['request']>) => countChatInput(r.provider, r.system, r.messages, count);

describe('a request’s input count includes the length hint and the chat framing', () => {
  it('no system prompt: the hint becomes one; its tokens and its message framing are counted', () => {
    const prompt = 'Explain the difference between a mutex and a semaphore.';
    const s = settings();
    const c = countedPlanSync({ settings: s, prompt, inputTokensExact: true }, count(prompt), count);
    assert.ok(c.plan.request?.lengthHint, 'a hint went');
    assert.equal(c.inputTokens, sentTokens(c.plan.request!), 'the count is the request’s own');
    // The count made before the plan (the selection and framing, no hint) is what was labelled exact before.
    const before = countChatInput('openai', undefined, messages(prompt), count);
    const short = c.inputTokens - before;
    assert.ok(short >= 9 && short <= 14, `the hint and its message added ${short} tokens`);
    assert.deepEqual({ ...c.parts, total: undefined }, { messages: count(prompt), system: count(c.plan.request!.system!), hint: true, framing: 9, total: undefined });
  });

  it('with a system prompt: the system prompt as sent (user text + hint) is counted as one text', () => {
    const prompt = 'Summarise this.';
    const s = settings({ systemPrompt: 'You are terse and precise.' });
    const c = countedPlanSync({ settings: s, prompt, inputTokensExact: true }, count(prompt), count);
    assert.match(c.plan.request!.system!, /You are terse and precise\.\n\nKeep the answer under about 600 words\./);
    assert.equal(c.inputTokens, sentTokens(c.plan.request!));
    assert.equal(c.parts.system, count(c.plan.request!.system!));
  });

  it('hint off: the count is the messages, the system prompt and the framing, as before', () => {
    const prompt = 'hello there';
    const c = countedPlanSync({ settings: settings({ lengthHint: 'off', systemPrompt: 'Be kind.' }), prompt, inputTokensExact: true }, count(prompt), count);
    assert.equal(c.plan.request?.lengthHint, undefined);
    assert.equal(c.inputTokens, countChatInput('openai', 'Be kind.', messages(prompt), count));
  });

  it('the window check uses it: a prompt that fits only without the hint is refused with the hint counted', () => {
    const prompt = 'lorem ipsum dolor sit amet, '.repeat(20);
    const n = count(prompt);
    const framing = 3 + 3;
    // A window that leaves 2 tokens of room after the prompt, its framing and the 64-token margin.
    const window = n + framing + 64 + 2;
    const s = settings({ model: 'gpt-4o', maxTokens: 16, models: { 'gpt-4o': { contextWindow: window } } });
    const without = planRequest({ settings: s, prompt, inputTokens: n + framing, inputTokensExact: true });
    assert.ok(without.request, 'planned on the count without the hint: it fits');
    const c = countedPlanSync({ settings: s, prompt, inputTokensExact: true }, n, count);
    assert.equal(c.plan.request, undefined, 'with the hint and its message counted it does not');
    assert.match(c.plan.errors[0].message, /leaving no room for an answer/);
  });

  it('the worst case and the budget hold use it', () => {
    const prompt = 'What is 2 + 2?';
    const c = countedPlanSync({ settings: settings(), prompt, inputTokensExact: true }, count(prompt), count);
    const price = findPrice('openai', 'gpt-4.1-mini')!;
    const worst = worstCaseCost(c.inputTokens, c.plan.request!.maxTokens, price)!;
    assert.equal(worst, worstCaseCost(sentTokens(c.plan.request!), 1024, price));
  });

  it('says what the count is made of', () => {
    assert.equal(inputPartsText({ messages: 7, system: 0, hint: false, framing: 6, total: 13 }), 'the selection 7 + chat framing 6');
    assert.equal(inputPartsText({ messages: 7, system: 12, hint: true, framing: 9, total: 28 }), 'the selection 7 + the system prompt 12 (with the length hint) + chat framing 9');
    assert.equal(inputPartsText({ messages: 7, system: 0, hint: false, framing: 0, total: 7 }), 'the selection 7');
  });
});
