// Provider usage → normalized Usage (inputTokens ⊇ cache, outputTokens ⊇ reasoning).
import { describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeOpenAIUsage } from '../../../src/providers/openai';
import { normalizeAnthropicUsage } from '../../../src/providers/anthropic';
import { normalizeGeminiUsage } from '../../../src/providers/gemini';
import { completeUsage } from '../../../src/core/protocol/usage';

describe('usage normalization', () => {
  it('openai: cached tokens are already part of prompt_tokens, reasoning part of completion_tokens', () => {
    assert.deepEqual(
      normalizeOpenAIUsage({ prompt_tokens: 1000, completion_tokens: 300, prompt_tokens_details: { cached_tokens: 800 }, completion_tokens_details: { reasoning_tokens: 250 } }),
      { inputTokens: 1000, outputTokens: 300, cacheReadTokens: 800, reasoningTokens: 250 },
    );
  });
  it('anthropic: input_tokens excludes cache reads and writes, so they are added', () => {
    // The real message_start: output_tokens is 1 before any text; it is a placeholder, not the provider's count.
    const start = normalizeAnthropicUsage({ input_tokens: 50, cache_read_input_tokens: 2000, cache_creation_input_tokens: 300, output_tokens: 1 }, {}, 'message_start');
    assert.deepEqual(start, { inputTokens: 2350, cacheReadTokens: 2000, cacheWriteTokens: 300 });
    // message_delta carries the final output count; input stays from message_start
    const end = normalizeAnthropicUsage({ output_tokens: 420, output_tokens_details: { thinking_tokens: 100 } }, start, 'message_delta');
    assert.deepEqual(end, { inputTokens: 2350, cacheReadTokens: 2000, cacheWriteTokens: 300, outputTokens: 420, reasoningTokens: 100 });
  });
  it('anthropic: cache_creation splits writes into 5-minute and 1-hour; the 1-hour part is kept apart', () => {
    const start = normalizeAnthropicUsage(
      {
        input_tokens: 1000,
        cache_read_input_tokens: 5000,
        cache_creation_input_tokens: 4000,
        cache_creation: { ephemeral_5m_input_tokens: 1000, ephemeral_1h_input_tokens: 3000 },
        output_tokens: 1,
      },
      {},
      'message_start',
    );
    assert.deepEqual(start, { inputTokens: 10_000, cacheReadTokens: 5000, cacheWriteTokens: 4000, cacheWrite1hTokens: 3000 });
    const end = normalizeAnthropicUsage({ output_tokens: 200 }, start, 'message_delta');
    assert.deepEqual(end, { inputTokens: 10_000, cacheReadTokens: 5000, cacheWriteTokens: 4000, cacheWrite1hTokens: 3000, outputTokens: 200 });
  });
  it('gemini: thoughts are billed as output and added to candidates', () => {
    assert.deepEqual(normalizeGeminiUsage({ promptTokenCount: 900, cachedContentTokenCount: 600, candidatesTokenCount: 40, thoughtsTokenCount: 200 }), {
      inputTokens: 900,
      cacheReadTokens: 600,
      outputTokens: 240,
      reasoningTokens: 200,
    });
  });
});

test('completeUsage: a batch result keeps every believable field (1-hour cache writes, reasoning) and drops unbelievable ones', () => {
  assert.deepEqual(completeUsage({ inputTokens: 120, outputTokens: 50, cacheReadTokens: 20, cacheWriteTokens: 0, cacheWrite1hTokens: 7, reasoningTokens: 38 }), {
    inputTokens: 120,
    outputTokens: 50,
    cacheReadTokens: 20,
    cacheWrite1hTokens: 7,
    reasoningTokens: 38,
  });
  // A string "100" or 1e300 from a hostile server never reaches the ledger as a number.
  assert.equal(completeUsage({ inputTokens: '100', outputTokens: 1e300, cacheReadTokens: -5 }), undefined);
  // No usage at all is not a provider's 0.
  assert.equal(completeUsage({}), undefined);
});
