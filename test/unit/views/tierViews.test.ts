// What the user sees of tiers, caching and gateway costs: the tooltip rows, the cap lowered by the budget in the
// status bar, and the dashboard's columns computed from ledger records.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LedgerRecord } from '../../../src/core/ledger/record';
import { totalsOf } from '../../../src/core/ledger/totals';
import { doneText, reportedVsComputed, streamingText, tooltipMarkdown } from '../../../src/core/views/statusText';
import { groupBy, modelKey } from '../../../src/core/views/dashboardData';
import { CSV_COLUMNS, toCsv } from '../../../src/core/views/export';

const tip = (over: object) => tooltipMarkdown({ title: 't', session: { usd: 0, requests: 0 }, workspace: { usd: 0, requests: 0 }, usage: { inputTokens: 10, outputTokens: 5 }, costUsd: 0.01, costSource: 'prices', source: 'provider', ...over });

describe('tooltip', () => {
  it('the tier that served, and a downgrade', () => {
    assert.match(tip({ tier: { asked: 'flex', served: 'flex' } }), /\| tier \| flex \|/);
    assert.match(tip({ tier: { asked: 'priority', served: 'standard' } }), /\| tier \| served at standard \(asked priority\) \|/);
    assert.match(tip({ tier: { asked: 'flex', served: null } }), /\| tier \| flex asked; the response did not say which served \(priced at the dearer of flex and standard\) \|/);
  });
  it('reported vs computed: a gateway 5% over list', () => {
    assert.equal(reportedVsComputed(0.0105, 0.01), '$0.01 (reported 5.0% higher)');
    assert.equal(reportedVsComputed(0.0041, 0.0045), '$0.0045 (reported 8.9% lower)');
    assert.match(tip({ costUsd: 0.0105, costSource: 'provider', pricedUsd: 0.01 }), /\| computed from prices \| \$0\.01 \(reported 5\.0% higher\) \|/);
    assert.doesNotMatch(tip({ costUsd: 0.0105, costSource: 'prices', pricedUsd: 0.01 }), /computed from prices/, 'only beside a reported cost');
  });
});

describe('status bar: a cap lowered by the budget', () => {
  it('streaming and cut say "budget cap" after the count', () => {
    const snap = { state: 'streaming' as const, outputTokens: 120, outputExact: true, inputTokens: 10, maxTokens: 375, costUsd: 0.0004, tokensPerSecond: 0, chars: 400 };
    assert.equal(streamingText(snap, 1, 0, 'budget cap'), '$(sync~spin) 120/375 tok (budget cap) · $0.0004');
    assert.equal(doneText({ outputTokens: 375, maxTokens: 375, costUsd: 0.001, source: 'provider', truncated: true, reason: 'length', rounds: 1, cap: 'budget cap' }), '$(warning) truncated at 375/375 tok (budget cap) · $0.001');
  });
});

let n = 0;
const rec = (over: Partial<LedgerRecord>): LedgerRecord => ({
  v: 1,
  id: `r${n++}`,
  time: '2026-12-01T10:00:00.000Z',
  durationMs: 10,
  workspace: 'ws',
  provider: 'openai',
  model: 'gpt-5',
  usage: { inputTokens: 1000, outputTokens: 100 },
  usageSource: 'provider',
  costUsd: 0.01,
  finish: { raw: 'stop', reason: 'stop', truncated: false },
  maxTokens: 1000,
  ...over,
});

describe('totals and the dashboard rows', () => {
  const records = [
    rec({ serviceTier: 'standard', usage: { inputTokens: 1000, cacheReadTokens: 500, outputTokens: 100 }, cacheSavedUsd: 0.0005 }),
    rec({ serviceTier: 'flex', tierAsked: 'flex', costUsd: 0.005 }),
    rec({ tierAsked: 'priority' }),
    rec({ model: 'openai/gpt-4o', provider: 'openai-compatible', costUsd: 0.0105, costSource: 'provider', pricedUsd: 0.01 }),
    rec({}),
  ];
  it('by tier (an old record or none asked: standard; asked and not said: unknown), cache savings, reported vs computed', () => {
    const t = totalsOf(records);
    assert.deepEqual(
      Object.fromEntries(Object.entries(t.tiers).map(([k, v]) => [k, v.requests])),
      { standard: 3, flex: 1, priority: 0, unknown: 1 },
    );
    assert.equal(t.tiers.flex.knownCostUsd, 0.005);
    assert.equal(t.cacheSavedUsd, 0.0005);
    assert.deepEqual(t.reported, { requests: 1, reportedUsd: 0.0105, computedUsd: 0.01 });
  });
  it('per model: cache hit share and the reported difference', () => {
    const rows = groupBy(records, modelKey, (k) => k);
    const g5 = rows.find((r) => r.key === 'gpt-5')!;
    assert.equal(g5.cacheHitShare, 500 / 4000);
    assert.equal(g5.reportedDifference, null);
    const gw = rows.find((r) => r.key === 'openai/gpt-4o')!;
    assert.ok(Math.abs(gw.reportedDifference! - 0.05) < 1e-12);
  });
  it('CSV: the tier, the tier asked for, the cache saving and the computed figure beside a reported cost', () => {
    const lines = toCsv(records).split('\r\n');
    const col = (name: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(name);
    const cells = (i: number) => lines[i + 1].split(',');
    assert.equal(cells(1)[col('serviceTier')], 'flex');
    assert.equal(cells(2)[col('serviceTier')], 'unknown');
    assert.equal(cells(2)[col('tierAsked')], 'priority');
    assert.equal(cells(0)[col('cacheSavedUsd')], '0.0005');
    assert.equal(cells(3)[col('pricedUsd')], '0.01');
  });
});
