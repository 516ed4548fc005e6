// The live numbers of one request and the status bar words built from them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RunMeter } from '../../src/core/generation/meter';
import { doneText, idleText, streamingText, tooltipMarkdown } from '../../src/core/views/statusText';
import { costOf, findPrice } from '../../src/core/pricing/cost';
import { loadTokenizer } from '../../src/core/tokens/tokens';

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
    assert.equal(doneText({ ...d, costUsd: null, rounds: 3 }), '$(check) 1,024 tok · price unknown · 3 rounds');
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
    for (const needle of ['| input | 2,350 |', '| ↳ cache read | 2,000 |', '| ↳ cache write | 300 |', '| output | 420 |', '| ↳ reasoning | 100 |', 'provider-reported', price.source, '| this session | $0.50 | 3 |', '| local estimate | 2,290 in / 415 out |', 'price unknown']) {
      assert.ok(md.includes(needle) || (needle === 'price unknown' && md.includes('| this workspace | price unknown')), `tooltip has ${needle}:\n${md}`);
    }
  });
});
