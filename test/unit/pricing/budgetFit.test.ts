// A "block" budget that fits the cap instead of refusing: what the rest buys, the guard's offer of the rest, and
// the plan's lowered max tokens — refused only below a useful answer.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { planRequest } from '../../../src/core/generation/plan';
import { BudgetGuard } from '../../../src/core/pricing/budget';
import { affordableOutput, MIN_USEFUL_OUTPUT } from '../../../src/core/pricing/budgetFit';
import { findPrice, worstCaseCost } from '../../../src/core/pricing/cost';
import { DEFAULT_SETTINGS, type LengthwiseSettings } from '../../../src/core/settings/settings';

const mini = findPrice('openai', 'gpt-4.1-mini')!; // $0.40 in, $1.60 out per million
const S = (over: Partial<LengthwiseSettings> = {}): LengthwiseSettings => ({ ...DEFAULT_SETTINGS, maxTokens: 4096, ...over });

describe('affordableOutput', () => {
  it('1,000 input tokens and $0.001 left: ($0.001 − $0.0004) / $1.60 per million = 375 output tokens', () => {
    assert.equal(affordableOutput(mini, 1000, 0.001), 375);
    assert.ok(worstCaseCost(1000, 375, mini)! <= 0.001);
    assert.ok(worstCaseCost(1000, 376, mini)! > 0.001);
  });
  it('the input alone costs more than the rest: 0', () => {
    assert.equal(affordableOutput(mini, 10_000, 0.001), 0);
  });
});

describe('plan: the budget fit step', () => {
  const room = worstCaseCost(10, 300, mini)!;
  it('a worst case over the rest lowers max tokens to what the rest buys, with a note', () => {
    const p = planRequest({ settings: S(), prompt: 'q', inputTokens: 10, inputTokensExact: true, budgetRoomUsd: room });
    assert.equal(p.request!.maxTokens, 300);
    assert.deepEqual(p.budgetCapped, { from: 4096, to: 300, roomUsd: room });
    assert.ok(p.notes.some((n) => /^max tokens 4096 → 300: the workspace budget has \$[\d.]+ left \(lengthwise\.budget\.action "block"\), which buys 300 output tokens after the input/.test(n)), p.notes.join('\n'));
  });
  it('a worst case within the rest changes nothing', () => {
    const p = planRequest({ settings: S({ maxTokens: 200 }), prompt: 'q', inputTokens: 10, inputTokensExact: true, budgetRoomUsd: room });
    assert.equal(p.request!.maxTokens, 200);
    assert.equal(p.budgetCapped, undefined);
  });
  it(`fewer than ${MIN_USEFUL_OUTPUT} tokens after the input: not lowered, the plan says why`, () => {
    const p = planRequest({ settings: S(), prompt: 'q', inputTokens: 10, inputTokensExact: true, budgetRoomUsd: worstCaseCost(10, 15, mini)! });
    assert.equal(p.request!.maxTokens, 4096);
    assert.match(p.budgetShort ?? '', /buys 15 output tokens after the input, fewer than the 16 of a useful answer/);
  });
  it('the length hint is counted with the input and follows the lowered cap', () => {
    const p = planRequest({ settings: S({ lengthHint: 'auto' }), prompt: 'q', inputTokens: 10, inputTokensExact: true, budgetRoomUsd: room, countText: (t) => Math.ceil(t.length / 4) });
    assert.ok(p.request!.maxTokens < 300, `the hint's tokens leave fewer for the answer: ${p.request!.maxTokens}`);
    assert.equal(p.inputTokens, 10 + Math.ceil(p.request!.lengthHint!.length / 4));
    assert.ok(worstCaseCost(p.inputTokens!, p.request!.maxTokens, mini)! <= room);
    assert.match(p.request!.lengthHint!, /under about \d+ words/);
  });
  it('the price is the tier asked for: flex buys twice the tokens', () => {
    const p = planRequest({ settings: S({ model: 'gpt-5', serviceTier: 'flex' }), prompt: 'q', inputTokens: 10, inputTokensExact: true, budgetRoomUsd: worstCaseCost(10, 1000, findPrice('openai', 'gpt-5'))! });
    assert.equal(p.request!.serviceTier, 'flex');
    assert.ok(Math.abs(p.request!.maxTokens - 2000) <= 1, String(p.request!.maxTokens));
  });
  it('a thinking budget must fit as well: below thinking + 16 it refuses', () => {
    const opus = findPrice('anthropic', 'claude-sonnet-4-5')!;
    const p = planRequest({ settings: S({ provider: 'anthropic', model: 'claude-sonnet-4-5', thinkingBudget: 2048 }), prompt: 'q', inputTokens: 10, inputTokensExact: false, budgetRoomUsd: worstCaseCost(10, 2000, opus)! });
    assert.match(p.budgetShort ?? '', /after the input and the thinking budget \(2048\)/);
  });
});

describe('BudgetGuard: the rest offered to the request', () => {
  const budget = { usd: 1, action: 'block' as const };
  it('a fit that lowers the worst case under the rest is held at its new worst case', () => {
    const g = new BudgetGuard();
    let offered = 0;
    const d = g.reserve(budget, 0.9, 0.5, 'gpt-4o', (room) => {
      offered = room;
      return { worstUsd: 0.08 };
    });
    assert.ok(Math.abs(offered - 0.1) < 1e-12, `the rest: budget − spend − holds (${offered})`);
    assert.ok(d.ok && Math.abs(d.reservation.usd - 0.08) < 1e-12, 'held at the fitted worst case');
    assert.ok(Math.abs(g.reservedUsd - 0.08) < 1e-12);
    // A second request sees the first one's hold in its rest.
    g.reserve(budget, 0.9, 0.5, 'gpt-4o', (room) => {
      offered = room;
      return { short: 'x' };
    });
    assert.ok(Math.abs(offered - 0.02) < 1e-12, String(offered));
  });
  it('a fit that says why nothing useful fits: refused with the budget message and the reason', () => {
    const d = new BudgetGuard().reserve(budget, 0.9, 0.5, 'gpt-4o', () => ({ short: 'The rest buys 3 output tokens.' }));
    assert.equal(d.ok, false);
    assert.match((d as { message: string }).message, /could exceed the workspace budget.*Nothing was sent.*The rest buys 3 output tokens\.$/s);
  });
  it('a fit whose worst case is still over the rest is refused; "warn" never asks', () => {
    assert.equal(new BudgetGuard().reserve(budget, 0.9, 0.5, 'gpt-4o', () => ({ worstUsd: 0.2 })).ok, false);
    let asked = false;
    const w = new BudgetGuard().reserve({ usd: 1, action: 'warn' }, 0.9, 0.5, 'gpt-4o', () => ((asked = true), { worstUsd: 0 }));
    assert.ok(w.ok && !asked);
  });
  it('room(): what is left after spend and holds; undefined without a "block" budget', () => {
    const g = new BudgetGuard();
    g.holdCommitted(0.25);
    assert.equal(g.room(budget, 0.5), 0.25);
    assert.equal(g.room({ usd: 1, action: 'warn' }, 0.5), undefined);
    assert.equal(g.room({ usd: null, action: 'block' }, 0.5), undefined);
  });
});
