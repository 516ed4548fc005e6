// GitHub Copilot's published per-token rates for VS Code's language models (provider vscode-lm, vendor copilot).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copilotPrice } from '../../../src/core/pricing/copilotPrices';
import { costOf, findPrice } from '../../../src/core/pricing/cost';

test('copilot/<id> finds GitHub\'s rates by the id VS Code gives, dashed or dotted; the source says it is an estimate', () => {
  const p = copilotPrice('copilot/gpt-5.4')!;
  assert.deepEqual([p.inputPerM, p.cacheReadPerM, p.outputPerM], [2.5, 0.25, 15]);
  assert.match(p.source, /docs\.github\.com\/en\/copilot\/reference\/copilot-billing\/models-and-pricing.*GPT-5\.4.*an estimate: Copilot reports no usage/);
  assert.equal(p.date, '2026-12-07');
  for (const id of ['copilot/claude-sonnet-4.5', 'copilot/claude-sonnet-4-5', 'Copilot/Claude Sonnet 4.5']) {
    const c = copilotPrice(id)!;
    assert.deepEqual([c.model, c.inputPerM, c.outputPerM, c.cacheWritePerM], ['Claude Sonnet 4.5', 3, 15, 3.75], id);
  }
});

test('another vendor\'s model, or a model GitHub does not list, has no price (unknown, never $0)', () => {
  assert.equal(copilotPrice('ollama/gpt-5.4'), undefined);
  assert.equal(copilotPrice('gpt-5.4'), undefined);
  assert.equal(copilotPrice('copilot/gpt-9-imaginary'), undefined);
  assert.equal(findPrice('vscode-lm', 'lengthwise-test/echo'), undefined);
});

const close = (a: number | null, b: number, msg: string) => assert.ok(a !== null && Math.abs(a - b) < 1e-12, `${msg}: ${a} ≠ ${b}`);

test('golden: copilot/gpt-5.4 at its default rates up to 272,000 input tokens, the whole request at the long-context rates above', () => {
  const p = findPrice('vscode-lm', 'copilot/gpt-5.4')!;
  close(costOf({ inputTokens: 1_000_000, outputTokens: 1_000_000 }, p), 5 + 22.5, '1M in + 1M out: long context ($27.50)');
  close(costOf({ inputTokens: 100_000, outputTokens: 100_000 }, p), 0.25 + 1.5, '100K in + 100K out: default ($1.75)');
  close(costOf({ inputTokens: 272_000, outputTokens: 1_000 }, p), (272_000 * 2.5 + 1_000 * 15) / 1e6, 'at 272,000 exactly: the default rates');
  close(costOf({ inputTokens: 272_001, outputTokens: 1_000 }, p), (272_001 * 5 + 1_000 * 22.5) / 1e6, 'one token above: long context');
  close(costOf({ inputTokens: 100_000, outputTokens: 10_000, cacheReadTokens: 50_000 }, p), (50_000 * 2.5 + 50_000 * 0.25 + 10_000 * 15) / 1e6, 'cached input at its own rate');
});

test('lengthwise.pricing for the model id wins over GitHub\'s rates', () => {
  const p = findPrice('vscode-lm', 'copilot/gpt-5.4', { 'copilot/gpt-5.4': { input: 1, output: 2 } })!;
  assert.deepEqual([p.inputPerM, p.outputPerM], [1, 2]);
  assert.match(p.source, /lengthwise\.pricing/);
});
