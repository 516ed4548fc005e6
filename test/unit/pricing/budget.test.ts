// The workspace budget at send time: worst-case holds for running requests, unknown prices never as $0.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BudgetGuard } from '../../../src/core/pricing/budget';

describe('BudgetGuard', () => {
  it('three concurrent sends against a nearly spent budget: only the first that fits passes (block)', () => {
    const g = new BudgetGuard();
    const budget = { usd: 1, action: 'block' as const };
    const spent = 0.95; // the ledger's known spend; it does not move while the three run
    const d = [g.reserve(budget, spent, 0.03, 'gpt-4o'), g.reserve(budget, spent, 0.03, 'gpt-4o'), g.reserve(budget, spent, 0.03, 'gpt-4o')];
    assert.deepEqual(d.map((x) => x.ok), [true, false, false]);
    const refused = d[1] as { ok: false; message: string };
    assert.match(refused.message, /\$0\.03 held by running requests/);
    assert.match(refused.message, /Nothing was sent/);
    assert.ok(Math.abs(g.reservedUsd - 0.03) < 1e-12);
    // The first ends and its cost lands in the ledger: the hold is given back.
    if (d[0].ok) d[0].reservation.settle();
    assert.equal(g.reservedUsd, 0);
    assert.equal(g.reserve(budget, 0.96, 0.03, 'gpt-4o').ok, true, 'after settling, the real spend decides');
  });
  it('warn: all three go out, each warned about the held spend', () => {
    const g = new BudgetGuard();
    const budget = { usd: 1, action: 'warn' as const };
    const d = [0, 1, 2].map(() => g.reserve(budget, 0.95, 0.03, 'gpt-4o'));
    assert.ok(d.every((x) => x.ok));
    const last = d[2] as Extract<(typeof d)[number], { ok: true }>;
    assert.equal(last.state.level, 'over');
    assert.match(last.state.message ?? '', /could exceed/);
  });
  it('unknown price with block: refused, with the setting that fixes it', () => {
    const g = new BudgetGuard();
    const d = g.reserve({ usd: 5, action: 'block' }, 0, null, 'llama-3-local');
    assert.equal(d.ok, false);
    assert.match((d as { message: string }).message, /No price is known for "llama-3-local".*lengthwise\.pricing.*"warn"/s);
  });
  it('unknown price with warn: sent, warned once per model, held at nothing', () => {
    const g = new BudgetGuard();
    const budget = { usd: 5, action: 'warn' as const };
    const a = g.reserve(budget, 0, null, 'llama-3-local');
    const b = g.reserve(budget, 0, null, 'llama-3-local');
    const c = g.reserve(budget, 0, null, 'other-model');
    assert.ok(a.ok && b.ok && c.ok);
    assert.match(a.ok ? a.warning ?? '' : '', /cannot see its spend/);
    assert.equal(b.ok ? b.warning : 'x', undefined, 'said once per model');
    assert.ok(c.ok && c.warning);
    assert.equal(g.reservedUsd, 0);
  });
  it('no budget: always sent, nothing held', () => {
    const g = new BudgetGuard();
    const d = g.reserve({ usd: null, action: 'block' }, 100, null, 'x');
    assert.ok(d.ok);
    assert.equal(g.reservedUsd, 0);
  });
  it('continuation: the chain\'s own hold does not stop it; other running requests\' holds do', () => {
    const g = new BudgetGuard();
    const budget = { usd: 1, action: 'block' as const };
    const own = g.reserve(budget, 0.5, 0.4, 'gpt-4o');
    assert.ok(own.ok);
    assert.deepEqual(g.mayContinue(budget, 0.9, own.reservation), { ok: true });
    const other = g.reserve({ usd: null, action: 'block' }, 0, 0, 'x'); // unrelated, holds nothing
    assert.ok(other.ok);
    const third = new BudgetGuard();
    const t1 = third.reserve(budget, 0.5, 0.3, 'gpt-4o');
    const t2 = third.reserve(budget, 0.5, 0.2, 'gpt-4o');
    assert.ok(t1.ok && t2.ok);
    assert.equal(third.mayContinue(budget, 0.8, t1.reservation).ok, false, 'spent 0.8 + 0.2 held by the other = budget reached');
    own.reservation.settle();
    own.reservation.settle();
    assert.equal(g.reservedUsd, 0, 'settling twice is harmless');
  });
});
