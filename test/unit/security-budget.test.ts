// The user's budget holds: a workspace's settings, a workspace preset or another extension's per-call overrides
// can make the budget stricter, never looser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveSettings, stricterBudget } from '../../src/core/settings/settings';

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
