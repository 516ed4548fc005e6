// A job's plan is priced at the tier its requests will carry: a tier the model is not sold at is left out (the plan
// step's rule, providers/tiers.ts) and the requests go at standard, so the plan's worst case is standard's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planJobChoices } from '../../../../src/core/generation/jobs/choices';
import { DEFAULT_SETTINGS } from '../../../../src/core/settings/settings';
import { worstCaseCost, findPrice } from '../../../../src/core/pricing/cost';
import { loadTokenizer } from '../../../../src/core/tokens/tokens';

test('a job asked at priority on a model without it is planned at the standard price (was: price unknown)', async () => {
  const tok = await loadTokenizer('o200k_base');
  const s = { ...DEFAULT_SETTINGS, provider: 'anthropic' as const, model: 'claude-sonnet-4-5', serviceTier: 'priority' as const, maxTokens: 100 };
  const prompt = Array.from({ length: 40 }, (_, i) => `Paragraph ${i}. ` + 'word '.repeat(60)).join('\n\n');
  const room = { tokens: 1_000, maxTokens: 100, limitedBy: 'a test room' };
  const c = await planJobChoices({ settings: s, prompt, count: (t) => tok.count(t), tokenizerLabel: 'o200k', room, code: false });
  const price = findPrice('anthropic', 'claude-sonnet-4-5')!;
  const parts = c.chunks.plan.requests;
  assert.ok(parts.length >= 2, `${parts.length} parts`);
  const standard = parts.reduce((a, r) => a + worstCaseCost(r.inputTokens, r.maxTokens, price)!, 0);
  assert.ok(c.chunks.plan.worstCaseUsd !== null && Math.abs(c.chunks.plan.worstCaseUsd - standard) < 1e-12, `${c.chunks.plan.worstCaseUsd} vs ${standard}`);
});
