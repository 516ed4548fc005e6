// A tampered ledger file (any process can write it): unreadable or far-away times, negative or absurd costs and
// counts, and more samples than a spread argument list holds must not crash the dashboard or lower the spend.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Ledger } from '../../../src/core/ledger/ledger';
import { type LedgerRecord } from '../../../src/core/ledger/record';
import { memoryStorage } from '../../ledgerDouble';
import { buildDashboard, MAX_DAY_BARS } from '../../../src/core/views/dashboardData';
import { histogram, lengthStats } from '../../../src/core/views/lengths';

const good = (id: string, over: Record<string, unknown> = {}) =>
  JSON.stringify({
    kind: 'end', v: 1, id, time: '2025-06-10T12:00:00.000Z', durationMs: 10, workspace: 'w', provider: 'openai', model: 'gpt-4.1-mini',
    usage: { inputTokens: 10, outputTokens: 20 }, usageSource: 'provider', costUsd: 0.5, finish: { raw: 'stop', reason: 'stop', truncated: false }, maxTokens: 100,
    ...over,
  });

test('security: a tampered ledger (bad times, negative or absurd costs, planted counts) keeps only sound records, and the dashboard draws', async () => {
  const lines = [
    good('ok'),
    good('t1', { time: 'not a time' }),
    good('t2', { time: '+275760-09-13T00:00:00.000Z' }),
    good('t3', { time: '1000-01-01T00:00:00.000Z' }),
    good('t4', { time: '2025-13-45T00:00:00.000Z' }),
    good('c1', { costUsd: -1000 }),
    good('c2', { costUsd: 1e300 }),
    good('u1', { usage: { inputTokens: '100', outputTokens: 20 } }),
    good('u2', { usage: { inputTokens: 1e300, outputTokens: 20 } }),
    good('u3', { usage: { inputTokens: 1.5, outputTokens: 20 } }),
    good('m1', { model: 'x'.repeat(100_000) }),
  ];
  const { ledger, badLines } = await Ledger.open(memoryStorage(lines.join('\n') + '\n'));
  assert.deepEqual(ledger.records().map((r) => r.id), ['ok']);
  assert.equal(badLines.length, lines.length - 1);
  assert.ok(badLines.every((b) => b.text.length <= 200), 'bad lines are reported shortened');
  assert.equal(ledger.totals().usd, 0.5, 'a negative cost cannot lower the spend against the budget');
  const d = buildDashboard(ledger.records(), { range: 'all', scope: 'all', workspace: 'w', now: new Date('2025-06-12T00:00:00Z'), utcOffsetMinutes: 0 });
  assert.equal(d.days.length, 3);
});

test(`security: a ledger spanning 1970 to today draws at most ${MAX_DAY_BARS} day bars; totals and the budget line keep the older spend`, () => {
  const rec = (id: string, time: string): LedgerRecord => ({
    v: 1, id, time, durationMs: 1, workspace: 'w', provider: 'openai', model: 'm', usage: { inputTokens: 1, outputTokens: 1 }, usageSource: 'provider',
    costUsd: 1, finish: { raw: 'stop', reason: 'stop', truncated: false }, maxTokens: 10,
  });
  const d = buildDashboard([rec('old', '1970-01-02T00:00:00.000Z'), rec('new', '2025-06-10T00:00:00.000Z')], {
    range: 'all', scope: 'all', workspace: 'w', now: new Date('2025-06-10T12:00:00Z'), utcOffsetMinutes: 0, budgetUsd: 10,
  });
  assert.equal(d.days.length, MAX_DAY_BARS);
  assert.equal(d.totals.knownCostUsd, 2);
  assert.equal(d.budget?.cumulative.at(-1)?.knownCostUsd, 2);
  assert.equal(d.budget?.cumulative[0].knownCostUsd, 1, 'the older spend starts the cumulative line');
});

test('security: 150,000 length samples (more than a spread argument list holds) give statistics, not a stack overflow', () => {
  const rs: LedgerRecord[] = Array.from({ length: 150_000 }, (_, i) => ({
    v: 1, id: `r${i}`, time: '2025-06-10T12:00:00.000Z', durationMs: 1, workspace: 'w', provider: 'openai', model: 'm', usage: { inputTokens: 1, outputTokens: i },
    usageSource: 'provider', costUsd: 0, finish: { raw: 'stop', reason: 'stop', truncated: false }, maxTokens: 10,
  }));
  const value = lengthStats(rs, 1000);
  assert.equal(value.max, 149_999);
  assert.equal(histogram([{ output: 5, truncated: false }], 0).length, 6);
});
