// The live numbers of one request and the status bar words built from them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RunMeter } from '../../../src/core/generation/meter';
import { doneText, idleText, streamingText, tooltipMarkdown } from '../../../src/core/views/statusText';
import { costOf, findPrice, formatUsd } from '../../../src/core/pricing/cost';
import { loadTokenizer } from '../../../src/core/tokens/tokens';
import { normalizeAnthropicUsage } from '../../../src/providers/anthropic';
import { normalizeOpenAIUsage } from '../../../src/providers/openai';
import { reasoningHiddenFor } from '../../../src/core/generation/meter';
import type { Usage } from '../../../src/core/protocol/request';

describe('RunMeter', () => {
  it('counts streamed output exactly (batched) and switches to provider usage when it arrives', async () => {
    const tok = await loadTokenizer('o200k_base');
    let t = 1000;
    const price = findPrice('openai', 'gpt-4.1-mini')!;
    const m = new RunMeter({ inputTokens: 50, inputExact: true, maxTokens: 500, price, tokenizer: tok, tokenizerExact: true, now: () => t });
    const text = 'The quick brown fox jumps over the lazy dog. '.repeat(20);
    for (let i = 0; i < text.length; i += 7) {
      m.onEvent({ type: 'text', text: text.slice(i, i + 7) });
      t += 10;
    }
    const s = m.snapshot();
    assert.equal(s.outputTokens, tok.count(text), 'exact, equal to a full encode');
    assert.equal(s.outputExact, true);
    assert.equal(s.state, 'streaming');
    assert.equal(s.costUsd, costOf({ inputTokens: 50, outputTokens: tok.count(text) }, price));
    assert.ok(s.tokensPerSecond > 0);
    assert.deepEqual(m.usage(), { usage: { inputTokens: 50, outputTokens: tok.count(text) }, source: 'estimate' });
    m.onEvent({ type: 'usage', usage: { inputTokens: 61, outputTokens: 190, cacheReadTokens: 0 } });
    m.onEvent({ type: 'finish', finish: { raw: 'stop', reason: 'stop', truncated: false } });
    assert.deepEqual(m.usage(), { usage: { inputTokens: 61, outputTokens: 190 }, source: 'provider' });
    assert.equal(m.snapshot().state, 'done');
  });

  it('input-only provider usage (stream broke after message_start) keeps the local output count, as an estimate', async () => {
    const tok = await loadTokenizer('o200k_base');
    const m = new RunMeter({ inputTokens: 10, inputExact: false, maxTokens: 100, price: undefined, tokenizer: tok, tokenizerExact: false });
    m.onEvent({ type: 'usage', usage: { inputTokens: 12, outputTokens: 0 } });
    m.onEvent({ type: 'text', text: 'partial answer' });
    assert.deepEqual(m.usage(), { usage: { inputTokens: 12, outputTokens: tok.count('partial answer') }, source: 'estimate' });
    assert.equal(m.snapshot().costUsd, null, 'unknown price stays null');
    assert.equal(m.snapshot().outputExact, false);
  });

  it('Anthropic: message_start output_tokens 1 neither freezes the live count nor is recorded as the provider\'s', async () => {
    const tok = await loadTokenizer('o200k_base');
    const price = findPrice('anthropic', 'claude-sonnet-4-5')!;
    const m = new RunMeter({ inputTokens: 20, inputExact: false, maxTokens: 1000, price, tokenizer: tok, tokenizerExact: false });
    // The real event shapes, through the adapter's own normalization.
    let usage: Partial<Usage> = normalizeAnthropicUsage({ input_tokens: 25, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 1 }, {}, 'message_start');
    m.onEvent({ type: 'usage', usage });
    const answer = 'Here is a longer answer that streams in several pieces before the stream ends.';
    for (let i = 0; i < answer.length; i += 9) m.onEvent({ type: 'text', text: answer.slice(i, i + 9) });
    const live = m.snapshot();
    assert.equal(live.outputTokens, tok.count(answer), 'the live count follows the text, not the placeholder 1');
    assert.equal(live.outputExact, false, 'a Claude count is an estimate (≈)');
    assert.match(streamingText(live, 1), /≈\d+\/1,000 tok/);
    // The stream drops before message_delta: the local count is recorded, as an estimate; input is the provider's.
    assert.deepEqual(m.usage(), { usage: { inputTokens: 25, outputTokens: tok.count(answer) }, source: 'estimate' });
    usage = normalizeAnthropicUsage({ output_tokens: 17 }, usage, 'message_delta');
    m.onEvent({ type: 'usage', usage });
    assert.deepEqual(m.usage(), { usage: { inputTokens: 25, outputTokens: 17 }, source: 'provider' });
    assert.equal(m.snapshot().outputExact, true);
  });

  it('OpenAI reasoning: the live count is a floor until usage arrives, then shows the reasoning share', async () => {
    const tok = await loadTokenizer('o200k_base');
    const price = findPrice('openai', 'o3')!;
    const hidden = reasoningHiddenFor({ reasoningModel: true });
    const m = new RunMeter({ inputTokens: 100, inputExact: true, maxTokens: 4000, price, tokenizer: tok, tokenizerExact: true, hiddenReasoning: hidden });
    m.onEvent({ type: 'text', text: 'word '.repeat(361) });
    const live = m.snapshot();
    assert.equal(live.reasoningHidden, true);
    assert.equal(streamingText(live, 1), `$(sync~spin) ≥ ${live.outputTokens}/4,000 tok · ≥ ${formatUsd(live.costUsd)} · reasoning not visible yet`);
    m.onEvent({ type: 'usage', usage: normalizeOpenAIUsage({ prompt_tokens: 100, completion_tokens: 2861, completion_tokens_details: { reasoning_tokens: 2500 } }) });
    const end = m.snapshot();
    assert.equal(end.reasoningHidden, undefined);
    assert.equal(end.reasoningTokens, 2500);
    assert.equal(streamingText(end, 1), `$(sync~spin) 2,861/4,000 tok (2,500 reasoning) · ${formatUsd(end.costUsd)}`);
    assert.equal(doneText({ outputTokens: 2861, maxTokens: 4000, costUsd: end.costUsd, source: 'provider', truncated: false, reason: 'stop', rounds: 1, reasoningTokens: 2500 }), `$(check) 2,861 tok (2,500 reasoning) · ${formatUsd(end.costUsd)}`);
  });

  it('reasoningHiddenFor: reasoning models, thinking budgets, Gemini thinking unless off; not classic models', () => {
    assert.equal(reasoningHiddenFor({ reasoningModel: true }), true);
    assert.equal(reasoningHiddenFor({ thinkingBudget: 2048 }), true);
    assert.equal(reasoningHiddenFor({}), false);
    assert.equal(reasoningHiddenFor({}, { thinking: 'gemini-budget' }), true);
    assert.equal(reasoningHiddenFor({ thinkingBudget: 0 }, { thinking: 'gemini-budget' }), false);
    assert.equal(reasoningHiddenFor({}, { thinking: 'adaptive', thinkingByDefault: true }), true);
    assert.equal(reasoningHiddenFor({}, { thinking: 'anthropic-budget' }), false);
  });

  it('reports a retry wait and clears it when text arrives', () => {
    let t = 0;
    const m = new RunMeter({ inputTokens: 1, inputExact: true, maxTokens: 10, price: undefined, tokenizer: undefined, tokenizerExact: false, now: () => t });
    m.onEvent({ type: 'retry', status: 429, waitSeconds: 12, attempt: 1 });
    assert.equal(streamingText(m.snapshot(), 1, 0), '$(watch) rate limited — retrying in 12 s');
    t = 5000;
    assert.equal(streamingText(m.snapshot(), 1, t), '$(watch) rate limited — retrying in 7 s');
    m.onEvent({ type: 'text', text: 'abcdefgh' });
    assert.equal(m.snapshot().state, 'streaming');
    assert.equal(m.snapshot().outputTokens, 2, 'no tokenizer: ~4 characters a token');
  });
});

describe('status text', () => {
  it('idle: preset, exact or estimated tokens, worst case or unknown price', () => {
    assert.equal(idleText({ preset: 'qa', selectionTokens: 1204, selectionExact: true, worstCaseUsd: 0.0157 }), '$(symbol-ruler) qa · 1,204 tok · ≤ $0.0157');
    assert.equal(idleText({ selectionTokens: 5, selectionExact: false, worstCaseUsd: null }), '$(symbol-ruler) Lengthwise · ≈5 tok · price unknown');
    assert.equal(idleText({ preset: 'long form', selectionExact: true }), '$(symbol-ruler) long form');
  });
  it('streaming: tokens/max, cost, speed, concurrent count', () => {
    const s = { state: 'streaming' as const, outputTokens: 312, outputExact: true, inputTokens: 10, maxTokens: 1024, costUsd: 0.0041, tokensPerSecond: 48.4, chars: 1000 };
    assert.equal(streamingText(s, 1), '$(sync~spin) 312/1,024 tok · $0.0041 · 48 tok/s');
    assert.equal(streamingText({ ...s, outputExact: false, costUsd: null }, 3), '$(sync~spin) 3 running · ≈312/1,024 tok · price unknown · 48 tok/s');
  });
  it('done: provider numbers, estimate marks, truncation, cancel, failure', () => {
    const d = { outputTokens: 1024, maxTokens: 1024, costUsd: 0.0153, source: 'provider' as const, truncated: false, reason: 'stop', rounds: 1 };
    assert.equal(doneText(d), '$(check) 1,024 tok · $0.0153');
    assert.equal(doneText({ ...d, truncated: true, reason: 'length' }), '$(warning) truncated at 1,024/1,024 tok · $0.0153');
    assert.equal(doneText({ ...d, source: 'estimate', reason: 'cancelled' }), '$(circle-slash) cancelled · ≈1,024 tok · ≈$0.0153');
    assert.equal(doneText({ ...d, costUsd: null, rounds: 3 }), '$(check) 1,024 tok in 3 rounds · price unknown');
  });
  it('done: a chain says its total in rounds and the cut against the last round (no "48/16 tok")', () => {
    const chain = { outputTokens: 48, maxTokens: 16, costUsd: 0.001, source: 'provider' as const, truncated: true, reason: 'length', rounds: 4, roundOutputTokens: 16 };
    assert.equal(doneText(chain), '$(warning) truncated 16/16 · 4 rounds, 48 tok · $0.001');
    assert.doesNotMatch(doneText(chain), /48\/16/);
  });
  it('idle: what to do when nothing is set up; a spent budget before the send', () => {
    assert.equal(idleText({ selectionExact: true, setup: 'set an API key or a local server' }), '$(key) Lengthwise: set an API key or a local server');
    assert.equal(idleText({ preset: 'qa', selectionExact: true, budgetSpent: true }), '$(symbol-ruler) qa · $(error) budget spent');
  });
  it('tooltip: readable totals (no $0.00 beside an unknown price), plurals, preset values, cache saving', () => {
    const base = { title: 't', session: { usd: 0, requests: 0 }, workspace: { usd: null, requests: 1, unknownCost: 1 } };
    const md = tooltipMarkdown({ ...base, fromPreset: { preset: 'quick answer', values: ['max tokens 300'] } });
    assert.ok(md.includes('| this session | — | 0 |'), md);
    assert.ok(md.includes('| this workspace | price unknown | 1 |'), md);
    assert.ok(md.includes('From the preset "quick answer" (over your settings): max tokens 300.'), md);
    assert.doesNotMatch(md, /\(s\)|\$0\.00/);
    const price = findPrice('anthropic', 'claude-sonnet-4-5')!;
    const cached = tooltipMarkdown({ ...base, usage: { inputTokens: 1000, cacheReadTokens: 900, outputTokens: 10 }, source: 'provider', price, model: 'claude-sonnet-4-5', costUsd: 0.001 });
    // 900 tokens at $3/M instead of $0.30/M: $0.00243 saved.
    assert.ok(cached.includes('| ↳ saved by the cache | $0.00243 |'), cached);
  });
  it('tooltip: a table of tokens by kind, the price source and the totals', () => {
    const price = findPrice('anthropic', 'claude-sonnet-4-5')!;
    const md = tooltipMarkdown({
      title: 't',
      usage: { inputTokens: 2350, cacheReadTokens: 2000, cacheWriteTokens: 300, outputTokens: 420, reasoningTokens: 100 },
      source: 'provider',
      estimate: { inputTokens: 2290, outputTokens: 415 },
      costUsd: 0.01,
      price,
      model: 'claude-sonnet-4-5',
      session: { usd: 0.5, requests: 3 },
      workspace: { usd: null, requests: 0 },
    });
    for (const needle of ['| input | 2,350 |', '| ↳ cache read | 2,000 |', '| ↳ cache write | 300 |', '| output | 420 |', '| ↳ reasoning | 100 |', 'provider-reported', price.source, '| this session | $0.50 | 3 |', '| local count | 2,290 in / 415 out |', 'price unknown']) {
      assert.ok(md.includes(needle) || (needle === 'price unknown' && md.includes('| this workspace | — | 0 |')), `tooltip has ${needle}:\n${md}`);
    }
  });
  it('tooltip: the tier and the rates assumed, as charged; a 1-hour write row; a user price without an empty date', () => {
    const sonnet = findPrice('anthropic', 'claude-sonnet-4-5')!;
    const usage = { inputTokens: 250_000, cacheWriteTokens: 10_000, cacheWrite1hTokens: 4000, outputTokens: 1000 };
    const md = tooltipMarkdown({ title: 't', usage, source: 'provider', costUsd: costOf(usage, sonnet), price: sonnet, model: 'claude-sonnet-4-5', session: { usd: 0, requests: 0 }, workspace: { usd: 0, requests: 0 } });
    assert.ok(md.includes('Billed at the tier above 200,000 input tokens: input $6, output $22.5 per million.'), md);
    assert.ok(md.includes('| &nbsp;&nbsp;↳ 1-hour | 4,000 |'), md);
    const own = findPrice('openai-compatible', 'my-model', { 'my-model': { input: 1, output: 2 } })!;
    const u2 = { inputTokens: 1000, cacheReadTokens: 500, outputTokens: 10 };
    const md2 = tooltipMarkdown({ title: 't', usage: u2, source: 'provider', costUsd: costOf(u2, own), price: own, model: 'my-model', session: { usd: 0, requests: 0 }, workspace: { usd: 0, requests: 0 } });
    assert.ok(md2.includes('— lengthwise.pricing (your setting).'), md2);
    assert.ok(!md2.includes('(your setting), .'), md2);
    assert.ok(md2.includes('No cache-read price known: cache reads billed at the input rate.'), md2);
  });
  it('tooltip: session totals with unknown prices say so, never "$0.00"', () => {
    const md = tooltipMarkdown({ title: 't', session: { usd: null, requests: 2, unknownRequests: 2 }, workspace: { usd: 0.25, requests: 5, unknownCost: 1 } });
    assert.ok(md.includes('| this session | price unknown | 2 |'), md);
    assert.ok(md.includes('| this workspace | $0.25 + unknown\\* | 5 |'), md);
    const mixed = tooltipMarkdown({ title: 't', session: { usd: 0.1, requests: 3, unknownRequests: 1 }, workspace: { usd: 0.1, requests: 3 } });
    assert.ok(mixed.includes('| this session | $0.10 + unknown\\* | 3 |'), mixed);
    assert.ok(mixed.includes('not in that USD total'), mixed);
  });
});
