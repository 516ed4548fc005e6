// Trial requests in the ledger and the dashboard: the tag survives the file (an interrupted one's too), the CSV
// has its column, the view can leave them out while the budget counts them, and the page's trial messages are
// checked before use.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Ledger } from '../../../src/core/ledger/ledger';
import type { LedgerRecord } from '../../../src/core/ledger/record';
import { buildDashboard } from '../../../src/core/views/dashboardData';
import { parseFromWebview } from '../../../src/core/views/dashboardProtocol';
import { CSV_COLUMNS, toCsv } from '../../../src/core/views/export';
import { memoryStorage } from '../../ledgerDouble';

let seq = 0;
const rec = (over: Partial<LedgerRecord> = {}): LedgerRecord => ({
  v: 1,
  id: `r${++seq}`,
  time: '2026-12-01T10:00:00.000Z',
  durationMs: 500,
  workspace: 'file:///ws',
  provider: 'openai',
  model: 'gpt-4.1-mini',
  preset: 'quick answer',
  usage: { inputTokens: 100, outputTokens: 50 },
  usageSource: 'provider',
  costUsd: 0.001,
  finish: { raw: 'stop', reason: 'stop', truncated: false },
  maxTokens: 300,
  ...over,
});

describe('trial requests in the ledger and the dashboard', () => {
  it('the trial tag survives the file, also for a request cut off by a reload', async () => {
    const storage = memoryStorage();
    const { ledger } = await Ledger.open(storage);
    await ledger.finish(rec({ id: 'done', trial: true, jobId: 'tm1', part: 1 }));
    await ledger.begin({ v: 1, id: 'cut', time: '2026-12-01T10:00:01.000Z', workspace: 'file:///ws', provider: 'openai', model: 'gpt-4.1-mini', maxTokens: 300, trial: true, jobId: 'tm1', part: 2 });
    const again = (await Ledger.open(memoryStorage(storage.text))).ledger.records();
    assert.deepEqual(again.map((r) => [r.id, r.trial, r.interrupted ?? false]), [['done', true, false], ['cut', true, true]]);
    // A tag of another type is not ours: the record is kept without it.
    const odd = (await Ledger.open(memoryStorage(JSON.stringify({ kind: 'end', ...rec({ id: 'odd' }), trial: 'yes' }) + '\n'))).ledger.records();
    assert.equal(odd[0].trial, undefined);
  });

  it('the CSV says which requests were trials', () => {
    const rows = toCsv([rec({ trial: true }), rec()]).trim().split('\r\n').map((l) => l.split(','));
    const col = CSV_COLUMNS.indexOf('trial');
    assert.deepEqual([rows[0][col], rows[1][col], rows[2][col]], ['trial', 'true', 'false']);
  });

  it('the view can leave trials out; it still counts them, and the budget counts them whatever the view', () => {
    const records = [rec(), rec({ trial: true, costUsd: 0.01 }), rec({ trial: true, costUsd: 0.02 })];
    const o = { range: 'all' as const, scope: 'workspace' as const, workspace: 'file:///ws', now: new Date('2026-12-02T00:00:00.000Z'), utcOffsetMinutes: 0, budgetUsd: 1 };
    const shown = buildDashboard(records, o);
    const hidden = buildDashboard(records, { ...o, hideTrials: true });
    assert.deepEqual([shown.shownRecords, shown.trials], [3, { requests: 2, hidden: false }]);
    assert.deepEqual([hidden.shownRecords, hidden.trials], [1, { requests: 2, hidden: true }]);
    assert.equal(hidden.totals.knownCostUsd, 0.001);
    assert.equal(hidden.budget!.spentUsd, shown.budget!.spentUsd);
    assert.ok(Math.abs(hidden.budget!.spentUsd - 0.031) < 1e-12);
  });

  it("the page's trial messages are checked: a known action and an id, a boolean filter", () => {
    assert.deepEqual(parseFromWebview({ type: 'trial', action: 'apply', id: 'tm1' }), { type: 'trial', action: 'apply', id: 'tm1' });
    assert.deepEqual(parseFromWebview({ type: 'trialFilter', hide: true }), { type: 'trialFilter', hide: true });
    assert.equal(parseFromWebview({ type: 'trial', action: 'rm -rf', id: 'tm1' }), undefined);
    assert.equal(parseFromWebview({ type: 'trial', action: 'apply', id: 'x'.repeat(101) }), undefined);
    assert.equal(parseFromWebview({ type: 'trial', action: 'apply' }), undefined);
    assert.equal(parseFromWebview({ type: 'trialFilter', hide: 'yes' }), undefined);
  });
});
