// Where a cost comes from, as the ledger keeps it and the tooltip, dashboard and CSV show it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Ledger } from '../../../src/core/ledger/ledger';
import { type LedgerRecord } from '../../../src/core/ledger/record';
import { costSourceOf, totalsOf } from '../../../src/core/ledger/totals';
import { memoryStorage, newRecordId } from '../../ledgerDouble';
import { groupBy, modelKey } from '../../../src/core/views/dashboardData';
import { CSV_COLUMNS, toCsv } from '../../../src/core/views/export';
import { tooltipMarkdown } from '../../../src/core/views/statusText';
import { findPrice } from '../../../src/core/pricing/cost';

const rec = (over: Partial<LedgerRecord>): LedgerRecord => ({
  v: 1,
  id: newRecordId(),
  time: '2026-11-20T10:00:00.000Z',
  durationMs: 10,
  workspace: 'w',
  provider: 'openai-compatible',
  model: 'openai/gpt-4o',
  usage: { inputTokens: 1000, outputTokens: 200 },
  usageSource: 'provider',
  costUsd: 0.0045,
  finish: { raw: 'stop', reason: 'stop', truncated: false },
  maxTokens: 300,
  ...over,
});

test('the ledger keeps costSource through a re-open; junk and a source without a cost are dropped', async () => {
  const storage = memoryStorage();
  const { ledger } = await Ledger.open(storage);
  const a = rec({ costSource: 'provider' });
  await ledger.finish(a);
  storage.text += JSON.stringify({ kind: 'end', ...rec({ id: 'junk' }), costSource: 'made-up' }) + '\n';
  storage.text += JSON.stringify({ kind: 'end', ...rec({ id: 'nocost', costUsd: null }), costSource: 'provider' }) + '\n';
  const again = (await Ledger.open(storage)).ledger.records();
  assert.equal(again[0].costSource, 'provider');
  assert.deepEqual(again[0], a);
  assert.equal(again.find((r) => r.id === 'junk')?.costSource, undefined);
  assert.equal(again.find((r) => r.id === 'nocost')?.costSource, undefined);
});

test('records from before costSource: derived from the price source; unknown cost has none', () => {
  assert.equal(costSourceOf(rec({ priceSource: '@pydantic/genai-prices 0.1.8 (OpenAI · gpt-4o)' })), 'prices');
  assert.equal(costSourceOf(rec({ priceSource: 'lengthwise.pricing (your setting)' })), 'override');
  assert.equal(costSourceOf(rec({ costUsd: null, costSource: 'provider' })), null);
  assert.equal(costSourceOf(rec({ costSource: 'provider', priceSource: 'lengthwise.pricing (your setting)' })), 'provider');
});

test('totals and dashboard rows count requests per cost source; the CSV has a costSource column', () => {
  const records = [rec({ costSource: 'provider' }), rec({ costSource: 'provider' }), rec({ costSource: 'prices' }), rec({ costSource: 'override', model: 'm2' }), rec({ costUsd: null, model: 'm2' })];
  assert.deepEqual(totalsOf(records).costSources, { provider: 2, prices: 1, override: 1, local: 0 });
  const rows = groupBy(records, modelKey, (k) => k);
  assert.deepEqual(rows.find((r) => r.key === 'm2')?.costSources, { provider: 0, prices: 0, override: 1, local: 0 });
  const csv = toCsv(records).split('\r\n');
  const col = CSV_COLUMNS.indexOf('costSource');
  assert.ok(col > 0);
  assert.deepEqual(csv.slice(1, 6).map((l) => l.split(',')[col]), ['provider', 'provider', 'prices', 'override', '']);
});

test('the tooltip names the cost source next to the cost; an unknown cost has no source row', () => {
  const base = { title: 'Last request', usage: { inputTokens: 1000, outputTokens: 200 }, source: 'provider' as const, session: { usd: 0.0045, requests: 1 }, workspace: { usd: 0.0045, requests: 1 } };
  assert.match(tooltipMarkdown({ ...base, costUsd: 0.0045, costSource: 'provider' }), /\| cost \| \$0\.0045 \|\n\| cost source \| reported by the server \|/);
  const price = findPrice('openai', 'gpt-4o')!;
  assert.match(tooltipMarkdown({ ...base, costUsd: 0.0045, costSource: 'prices', price }), /\| cost source \| from the price table \(@pydantic\/genai-prices 0\.1\.8 \(OpenAI · gpt-4o\)\) \|/);
  assert.match(tooltipMarkdown({ ...base, costUsd: 0.1, costSource: 'override' }), /\| cost source \| from lengthwise\.pricing \|/);
  assert.doesNotMatch(tooltipMarkdown({ ...base, costUsd: null, costSource: null }), /cost source/);
});
