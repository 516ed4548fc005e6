import { test } from 'node:test';
import assert from 'node:assert/strict';
import { batchRecords, batchSummary, landingGroups } from '../../../../src/core/generation/jobs/batchResults';
import { fingerprint, parsePending, type PendingBatch } from '../../../../src/core/generation/jobs/pending';
import { answerTooLarge, matchBatchResults, withUnread, type BatchItemResult } from '../../../../src/core/generation/jobs/batch';
import { batchPrice } from '../../../../src/core/pricing/batch';
import { costOf, findPrice } from '../../../../src/core/pricing/cost';
import { totalsOf } from '../../../../src/core/ledger/totals';

const anchor = (start: number, end: number, text: string) => ({ uri: 'file:///w/a.md', start, end, fingerprint: fingerprint(text) });

// Items 0 and 1 are two chunks of one selection; item 2 is a second selection.
const pending: PendingBatch = {
  v: 1,
  jobId: 'bjob1',
  handle: { provider: 'openai', id: 'batch_1', model: 'gpt-4o', customIds: ['bjob1-0', 'bjob1-1', 'bjob1-2'], submittedAt: '2026-11-30T08:00:00.000Z' },
  anchors: [anchor(0, 10, 'first sel.'), anchor(0, 10, 'first sel.'), anchor(20, 26, 'second')],
  worstCaseUsd: 0.01,
  maxTokens: 300,
  workspace: 'w',
  polls: 3,
  nextPollAt: 0,
};
const ok = (customId: string, text: string, truncated = false): BatchItemResult => ({
  customId,
  ok: true,
  text,
  finish: { raw: truncated ? 'length' : 'stop', reason: truncated ? 'length' : 'stop', truncated },
  usage: { inputTokens: 1000, outputTokens: 300 },
});

test('batch results: chunks of one selection join in order under separators; a cut part gets a note, not a marker', () => {
  const m = matchBatchResults(pending.handle.customIds, [ok('bjob1-2', 'B'), ok('bjob1-1', 'A2', true), ok('bjob1-0', 'A1')]);
  const groups = landingGroups(pending, m.byItem, 'completed');
  assert.equal(groups.length, 2);
  assert.deepEqual(groups[0].items, [0, 1]);
  assert.equal(groups[0].text, '───── part 1/2 ─────\n\nA1\n\n───── part 2/2 ─────\n\nA2\n[part 2: cut at max tokens (300): send it again with a higher lengthwise.maxTokens]');
  assert.equal(groups[1].text, 'B');
});

test('batch results: a request that never ran or failed is named in its place', () => {
  const failed: BatchItemResult = { customId: 'bjob1-2', ok: false, error: { kind: 'bad_request', message: 'OpenAI batch request failed: bad model' } };
  const m = matchBatchResults(pending.handle.customIds, [ok('bjob1-0', 'A1'), failed]);
  const groups = landingGroups(pending, m.byItem, 'cancelled');
  assert.match(groups[0].text, /part 2: no answer: the batch ended cancelled before this request ran/);
  assert.equal(groups[1].text, '[no answer: OpenAI batch request failed: bad model]');
});

test('batch records: one per billed request at half the live price, stable ids, linked by the job', () => {
  const live = findPrice('openai', 'gpt-4o')!;
  const price = batchPrice(live, 'openai');
  const m = matchBatchResults(pending.handle.customIds, [ok('bjob1-0', 'A1'), ok('bjob1-1', 'A2'), { customId: 'bjob1-2', ok: false, error: { kind: 'other', message: 'x' } }]);
  const end = Date.parse(pending.handle.submittedAt) + 60_000;
  const recs = batchRecords(pending, m.byItem, price, end);
  assert.equal(recs.length, 2, 'the failed request reported no usage: nothing billed, no record');
  assert.deepEqual(recs.map((r) => [r.id, r.jobId, r.part, r.batch]), [['bjob1-1', 'bjob1', 1, true], ['bjob1-2', 'bjob1', 2, true]]);
  assert.equal(recs[0].durationMs, 60_000);
  assert.equal(recs[0].costUsd, costOf({ inputTokens: 1000, outputTokens: 300 }, live)! / 2);
  assert.equal(recs[0].costSource, 'prices');
  assert.match(recs[0].priceSource!, /Batch API: 50% off/);
  // Unknown price: null, never $0.
  const unknown = batchRecords(pending, m.byItem, undefined, end);
  assert.equal(unknown[0].costUsd, null);
  assert.equal(unknown[0].costSource, undefined);
  const s = batchSummary(pending, landingGroups(pending, m.byItem, 'completed'), recs, m.byItem, 'completed');
  assert.deepEqual(s.job, { id: 'bjob1', parts: 3, strategy: 'batch' });
  assert.deepEqual([s.usage.inputTokens, s.usage.outputTokens], [2000, 600]);
  assert.equal(s.costUsd, recs[0].costUsd! + recs[1].costUsd!);
  assert.equal(s.costSource, 'prices');
  assert.equal(batchSummary(pending, [], unknown, m.byItem, 'completed').costUsd, null);
});

test('pending batches keep the new-document choice across a reload', () => {
  const p = parsePending(JSON.parse(JSON.stringify({ ...pending, toNewDocument: true })));
  assert.equal(p?.toNewDocument, true);
  assert.equal(parsePending(JSON.parse(JSON.stringify(pending)))?.toNewDocument, undefined);
});

test('ledger totals: batch requests counted with their cost at batch prices; the batch is one job', () => {
  const price = batchPrice(findPrice('openai', 'gpt-4o')!, 'openai');
  const m = matchBatchResults(pending.handle.customIds, [ok('bjob1-0', 'A1'), ok('bjob1-1', 'A2'), ok('bjob1-2', 'B')]);
  const recs = batchRecords(pending, m.byItem, price, Date.now());
  const t = totalsOf(recs);
  assert.deepEqual([t.requests, t.batchRequests, t.jobs, t.jobRequests], [3, 3, 1, 3]);
  assert.equal(t.batchCostUsd, t.knownCostUsd);
  assert.equal(t.batchCostUsd, recs.reduce((a, r) => a + r.costUsd!, 0));
});

test('batch records: an answer without believable usage is billed, so it is recorded, with unknown figures (estimate, no cost), never a provider\'s $0', () => {
  const price = batchPrice(findPrice('openai', 'gpt-4o')!, 'openai');
  const bare: BatchItemResult = { customId: 'bjob1-2', ok: true, text: 'B', finish: { raw: 'stop', reason: 'stop', truncated: false }, usage: undefined };
  const m = matchBatchResults(pending.handle.customIds, [ok('bjob1-0', 'A1'), ok('bjob1-1', 'A2'), bare]);
  const recs = batchRecords(pending, m.byItem, price, Date.now());
  assert.equal(recs.length, 3);
  assert.deepEqual([recs[2].usageSource, recs[2].costUsd, recs[2].costSource], ['estimate', null, undefined]);
  const s = batchSummary(pending, landingGroups(pending, m.byItem, 'completed'), recs, m.byItem, 'completed');
  assert.equal(s.costUsd, null, 'the batch\'s cost is unknown, not the sum of the known parts');
  assert.equal(s.usage.source, 'estimate');
});

test('security: an answer over the size bound, and a request a capped read did not reach, are named in place and recorded with unknown figures', () => {
  const big: BatchItemResult = { customId: 'bjob1-1', ok: false, unread: true, error: { kind: 'other', message: answerTooLarge(6 * 1024 * 1024) } };
  const results = withUnread(pending.handle.customIds, [ok('bjob1-0', 'A1'), big], 'not read: the results file passed the 13 MB Lengthwise reads for a batch of 3 requests');
  const m = matchBatchResults(pending.handle.customIds, results);
  const groups = landingGroups(pending, m.byItem, 'completed');
  assert.equal(groups[0].text, '───── part 1/2 ─────\n\nA1\n\n───── part 2/2 ─────\n\n[part 2: no answer: its result is 6 MB, over the 4 MB Lengthwise reads for one answer]');
  assert.equal(groups[1].text, '[no answer: not read: the results file passed the 13 MB Lengthwise reads for a batch of 3 requests]');
  const recs = batchRecords(pending, m.byItem, batchPrice(findPrice('openai', 'gpt-4o')!, 'openai'), Date.parse(pending.handle.submittedAt));
  assert.deepEqual(recs.map((r) => [r.part, r.costUsd === null, r.usageSource, r.finish.raw]), [[1, false, 'provider', 'stop'], [2, true, 'estimate', 'unread'], [3, true, 'estimate', 'unread']], 'possibly billed: kept with unknown figures');
  const s = batchSummary(pending, groups, recs, m.byItem, 'completed');
  assert.equal(s.costUsd, null, 'the batch cost is unknown, not the sum of what was read');
});
