// Usage a server reports becomes "exact" provider usage, costs and budget decisions: only plain token counts
// are believed. Everything else falls back to the local count, labelled an estimate, and the user is told.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RunMeter } from '../../../src/core/generation/meter';
import { checkUsage, MAX_REPORTED_TOKENS, tokenCount } from '../../../src/core/protocol/usage';
import { normalizeAnthropicUsage } from '../../../src/providers/anthropic';
import { normalizeGeminiUsage } from '../../../src/providers/gemini';
import { normalizeOpenAIUsage } from '../../../src/providers/openai';
import { findPrice } from '../../../src/core/pricing/cost';

const meter = () =>
  new RunMeter({ inputTokens: 40, inputExact: false, maxTokens: 100, price: findPrice('openai', 'gpt-4.1-mini'), tokenizer: undefined, tokenizerExact: false });

test('security: usage given as text, 1e309, 1e300, negative or fractional is never exact usage', () => {
  for (const bad of ['100', Infinity, 1e300, -5, 1.5, NaN, MAX_REPORTED_TOKENS + 1, { n: 1 }]) {
    assert.equal(tokenCount(bad), undefined, String(bad));
    const m = meter();
    m.onEvent({ type: 'text', text: 'x'.repeat(40) });
    m.onEvent({ type: 'usage', usage: { inputTokens: bad as number, outputTokens: 7 } });
    m.onEvent({ type: 'usage', usage: { outputTokens: bad as number } });
    const { usage, source } = m.usage();
    assert.equal(source, 'estimate', String(bad));
    assert.deepEqual(usage, { inputTokens: 40, outputTokens: 10 }, 'the local counts');
    assert.ok(Number.isFinite(m.snapshot().costUsd!), 'a finite cost');
    assert.ok(m.rejected.length >= 1 && m.rejected[0].startsWith('inputTokens'), m.rejected.join());
  }
});

test('security: "input_tokens": "100" from Anthropic (string concatenation made it 10,000) is rejected, not summed', () => {
  const u = normalizeAnthropicUsage({ input_tokens: '100' as unknown as number, cache_read_input_tokens: 0, cache_creation_input_tokens: 0, output_tokens: 5 }, {});
  const checked = checkUsage(u);
  assert.equal(checked.usage.inputTokens, undefined);
  assert.equal(checked.usage.outputTokens, 5);
  assert.deepEqual(checked.rejected[0]?.field, 'inputTokens');
  assert.match(checked.rejected[0]!.shown, /^inputTokens "10+" \(text\)$/);
  for (const n of [normalizeOpenAIUsage({ prompt_tokens: '100' as unknown as number, completion_tokens: 1e300 }), normalizeGeminiUsage({ promptTokenCount: '100' as unknown as number, candidatesTokenCount: 1e300 })]) {
    const c = checkUsage(n);
    assert.equal(c.usage.inputTokens, undefined);
    assert.equal(c.usage.outputTokens, undefined);
    assert.equal(c.rejected.length, 2);
  }
});

test('security: a field once rejected is not believed again later in the same run', () => {
  const m = meter();
  m.onEvent({ type: 'usage', usage: { inputTokens: '5' as unknown as number, outputTokens: 3 } });
  m.onEvent({ type: 'usage', usage: { inputTokens: 12, outputTokens: 4 } });
  assert.equal(m.usage().source, 'estimate');
  assert.equal(m.usage().usage.inputTokens, 40);
});
