// The dashboard's summary sentence (issue 28: "$0.00 known cost" and "cost $0.00 at batch prices" were printed when
// every cost was unknown, and a partial batch sum had no "+ unknown").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LedgerRecord } from '../../../src/core/ledger/record';
import { buildDashboard } from '../../../src/core/views/dashboardData';

let seq = 0;
function rec(over: Partial<LedgerRecord> = {}): LedgerRecord {
  return {
    v: 1,
    id: `s${++seq}`,
    time: '2025-06-10T12:00:00.000Z',
    durationMs: 1000,
    workspace: 'file:///ws',
    provider: 'openai-compatible',
    model: 'local-model',
    usage: { inputTokens: 100, outputTokens: 50 },
    usageSource: 'provider',
    costUsd: null,
    finish: { raw: 'stop', reason: 'stop', truncated: false },
    maxTokens: 1024,
    ...over,
  };
}
const opts = { range: 'all' as const, scope: 'workspace' as const, workspace: 'file:///ws', now: new Date('2025-06-10T18:00:00Z'), utcOffsetMinutes: 0 };
// What the page shows: "N requests in <range>, <where>: " + the costs sentence core made.
const text = (rs: LedgerRecord[]) => {
  const d = buildDashboard(rs, opts);
  return `${d.totals.requests} requests in all time, this workspace: ${d.text.costs}`.replace(/^1 requests/, '1 request');
};
const spendSummary = (d: ReturnType<typeof buildDashboard>) => d.text.spend;

test('every cost unknown: no "$0.00 known cost", no "$0.00 at batch prices"', () => {
  const t = text([rec(), rec(), rec({ batch: true, jobId: 'b1' }), rec({ batch: true, jobId: 'b1' })]);
  assert.doesNotMatch(t, /\$0\.00/, t);
  assert.match(t, /^4 requests in all time, this workspace: cost unknown — no price is known for any of them \(never counted as \$0\)/, t);
  assert.match(t, /2 batch requests at batch prices: cost unknown/, t);
});

test('some costs unknown: the known sum + the unknown requests, for the batch sum too', () => {
  const t = text([rec({ costUsd: 0.5, model: 'gpt-4.1-mini', provider: 'openai' }), rec(), rec({ batch: true, costUsd: 0.25 }), rec({ batch: true })]);
  assert.match(t, /: \$0\.75 known cost \+ 2 requests with unknown price \(not counted as \$0\)/, t);
  assert.match(t, /; 2 batch requests cost \$0\.25 \+ 1 with unknown price at batch prices/, t);
});

test('every cost known: the sums as before', () => {
  const t = text([rec({ costUsd: 0.5 }), rec({ batch: true, costUsd: 0.25 })]);
  assert.match(t, /^2 requests in all time, this workspace: \$0\.75 known cost; /, t);
  assert.match(t, /; 1 batch request cost \$0\.25 at batch prices/, t);
});

test('the spend chart text: no "$0.00 in total" when nothing is known', () => {
  const none = buildDashboard([rec()], opts);
  assert.doesNotMatch(spendSummary(none), /\$0\.00/);
  assert.match(spendSummary(none), /no known spend/);
  const some = buildDashboard([rec({ costUsd: 0.5 }), rec()], opts);
  assert.match(spendSummary(some), /\$0\.50 in total/);
});
