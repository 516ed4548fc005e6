// The status bar item's text fits the item (issue 28: "⚠ truncated: last round 16/16 tok · 32 tok in 3 rounds ·
// price unknown · session price unknown" was clipped at 1,440 px): at most ~60 characters, the rest in the tooltip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { doneText, idleText, jobText, streamingText } from '../../../src/core/views/statusText';
import { MAX_STATUS_CHARS, visibleLength } from '../../../src/core/views/statusFit';
import type { MeterSnapshot } from '../../../src/core/generation/meter';

const fits = (t: string) => assert.ok(visibleLength(t) <= MAX_STATUS_CHARS, `${visibleLength(t)} characters: ${t}`);

test("the issue's truncated chain fits, and still says where it was cut and what the chain holds", () => {
  const t = doneText({ outputTokens: 32, roundOutputTokens: 16, maxTokens: 16, costUsd: null, source: 'provider', truncated: true, reason: 'length', rounds: 3, session: { usd: null, requests: 3 } });
  fits(t);
  assert.equal(t, '$(warning) truncated 16/16 · 3 rounds, 32 tok · price unknown');
});

test('the session total is in the text when it fits, else only in the tooltip', () => {
  assert.equal(doneText({ outputTokens: 160, maxTokens: 300, costUsd: 0.0015, source: 'provider', truncated: false, reason: 'stop', rounds: 1, session: { usd: 0.041, requests: 4 } }), '$(check) 160 tok · $0.0015 · session $0.041');
  const long = doneText({ outputTokens: 123_456, roundOutputTokens: 32_768, maxTokens: 32_768, costUsd: 1234.56, source: 'estimate', truncated: true, reason: 'length', rounds: 12, session: { usd: 12345.67, requests: 40, unknownRequests: 2 } });
  fits(long);
  assert.doesNotMatch(long, /session/);
});

test('every state fits at its longest', () => {
  const snap: MeterSnapshot = { state: 'streaming', outputTokens: 123_456, outputExact: false, reasoningHidden: true, reasoningTokens: 100_000, inputTokens: 1, maxTokens: 128_000, costUsd: 1234.5, tokensPerSecond: 1234, chars: 1 };
  const texts = [
    idleText({ preset: 'a very long preset name that goes on', budgetSpent: true, selections: 12, selectionTokens: 1_234_567, selectionExact: false, worstCaseUsd: 1234.56, session: { usd: 12345.67, requests: 9, unknownRequests: 1 } }),
    idleText({ preset: 'code generation', selectionTokens: 1204, selectionExact: true, worstCaseUsd: 0.0157, session: { usd: 0.041, requests: 2 } }),
    streamingText(snap, 3),
    streamingText({ ...snap, state: 'retrying', retryAt: Date.now() + 30_000, retryStatus: 529 }, 3),
    doneText({ outputTokens: 123_456, reasoningTokens: 100_000, maxTokens: 128_000, costUsd: 1234.56, source: 'estimate', truncated: false, reason: 'cancelled', rounds: 12, session: { usd: 1, requests: 1 } }),
    doneText({ outputTokens: 128_000, maxTokens: 128_000, costUsd: 1234.56, source: 'provider', truncated: true, reason: 'length', rounds: 1, session: { usd: 1, requests: 1 } }),
    jobText('chunk 17/120 · $12.34 so far', 2),
  ];
  for (const t of texts) fits(t);
  assert.match(texts[0], /^\$\(symbol-ruler\) · \$\(error\) budget spent · sel 1\/12 · ≈1,234,567 tok · ≤ \$1,234\.56$/);
  assert.equal(texts[1], '$(symbol-ruler) code generation · 1,204 tok · ≤ $0.0157 · session $0.041');
});
