// The user's budget holds: a workspace's settings, a workspace preset or another extension's per-call overrides
// can make the budget stricter, never looser; a gateway's reported cost cannot make a priced request free.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveSettings, stricterBudget } from '../../../src/core/settings/settings';
import { BudgetGuard } from '../../../src/core/pricing/budget';
import { budgetCost } from '../../../src/core/pricing/reported';
import { costOf, findPrice } from '../../../src/core/pricing/cost';
import { Ledger } from '../../../src/core/ledger/ledger';
import { memoryStorage } from '../../ledgerDouble';
import { runRound } from '../../../src/core/generation/pipeline';
import type { GenerationRequest, ProviderAdapter } from '../../../src/core/protocol/request';

const user = { usd: 10, action: 'block' };

test('security: a workspace budget of $1e9 with action "warn" does not lift the user\'s $10 "block" budget', () => {
  const r = resolveSettings({ configured: { 'budget.usd': 1e9, 'budget.action': 'warn' }, userBudget: user });
  assert.equal(r.settings['budget.usd'], 10);
  assert.equal(r.settings['budget.action'], 'block');
});

test('security: neither a workspace preset nor per-call overrides lift the user\'s budget', () => {
  const r = resolveSettings({
    configured: {},
    userPresets: { cheap: { 'budget.usd': 1e9, 'budget.action': 'warn' } },
    presetName: 'cheap',
    overrides: { 'budget.usd': 5e9, 'budget.action': 'warn' },
    userBudget: user,
  });
  assert.deepEqual([r.settings['budget.usd'], r.settings['budget.action']], [10, 'block']);
  assert.deepEqual(r.errors, []);
});

test('security: a workspace may make the budget stricter; without a user budget its own applies', () => {
  const tighter = resolveSettings({ configured: { 'budget.usd': 2, 'budget.action': 'warn' }, userBudget: user });
  assert.deepEqual([tighter.settings['budget.usd'], tighter.settings['budget.action']], [2, 'block']);
  const none = resolveSettings({ configured: { 'budget.usd': 3 }, userBudget: { usd: null, action: 'warn' } });
  assert.equal(none.settings['budget.usd'], 3);
  const junk = resolveSettings({ configured: { 'budget.usd': 3 }, userBudget: { usd: 'lots', action: 42 } });
  assert.deepEqual([junk.settings['budget.usd'], junk.settings['budget.action']], [3, 'warn'], 'invalid user values count as unset');
  assert.deepEqual(stricterBudget({ usd: null, action: 'warn' }, { usd: null, action: 'block' }), { usd: null, action: 'block' });
});

for (const reported of [0, 1e-300]) {
  test(`security: a gateway reporting $${reported} for requests whose price is known cannot keep a "block" budget from filling`, async () => {
    const price = findPrice('openai', 'gpt-4.1-mini')!;
    const usage = { inputTokens: 100_000, outputTokens: 10_000 };
    const computed = costOf(usage, price)!; // $0.056 at $0.40 / $1.60 per million
    const gateway: ProviderAdapter = {
      id: 'openai-compatible',
      async *stream() {
        yield { type: 'text', text: 'answer' };
        yield { type: 'usage', usage };
        yield { type: 'cost', reported, via: 'usage.cost' };
        yield { type: 'finish', finish: { raw: 'stop', reason: 'stop', truncated: false } };
      },
    };
    const storage = memoryStorage();
    const { ledger } = await Ledger.open(storage);
    const guard = new BudgetGuard();
    const budget = { usd: 0.1, action: 'block' as const };
    const req: GenerationRequest = { provider: 'openai-compatible', model: 'gpt-4.1-mini', baseUrl: 'https://gateway.example/v1', messages: [{ role: 'user', content: 'q' }], maxTokens: 10_000, stop: [] };
    const sent: number[] = [];
    for (let i = 0; i < 5; i++) {
      // As Send checks it: the workspace's spend so far, then this request's worst case held.
      const d = guard.reserve(budget, ledger.totals({ workspace: 'w' }).budgetUsd, computed, req.model);
      if (!d.ok) break;
      const r = await runRound(req, { inputTokens: usage.inputTokens, inputExact: true }, { adapter: gateway, apiKey: '', tokenizerExact: false, price, workspace: 'w', ledger, onText: () => undefined });
      d.reservation.settle();
      sent.push(r.costUsd!);
      assert.equal(r.costSource, 'provider', 'the reported figure is still the cost shown');
    }
    assert.deepEqual(sent, [reported], 'the second request would take the counted spend over the budget: refused');
    const t = ledger.totals({ workspace: 'w' });
    assert.equal(t.usd, reported, 'the ledger shows what the gateway reported');
    assert.equal(t.budgetUsd, computed, 'the budget counts what the price gives');
    const reopened = (await Ledger.open(storage)).ledger.totals({ workspace: 'w' });
    assert.deepEqual([reopened.usd, reopened.budgetUsd], [reported, computed], 'also after a reload');
  });
}

test('budgetCost: the larger of the cost and the price\'s figure; a surcharge counts in full; unknown stays unknown', () => {
  assert.equal(budgetCost({ costUsd: 0, pricedUsd: 0.1 }), 0.1);
  assert.equal(budgetCost({ costUsd: 0.12, pricedUsd: 0.1 }), 0.12);
  assert.equal(budgetCost({ costUsd: 0.05 }), 0.05, 'no price known: the report is all there is');
  assert.equal(budgetCost({ costUsd: null }), null);
});
