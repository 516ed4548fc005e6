import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileStorage } from '../../../src/platform/node/ledgerFile';
import { budgetState } from '../../../src/core/pricing/budget';
import { Ledger } from '../../../src/core/ledger/ledger';
import { type LedgerRecord, type LedgerStorage } from '../../../src/core/ledger/record';
import { memoryStorage, newRecordId } from '../../ledgerDouble';

function record(over: Partial<LedgerRecord> = {}): LedgerRecord {
  return {
    v: 1,
    id: newRecordId(),
    time: '2026-11-20T10:00:00.000Z',
    durationMs: 1234,
    workspace: 'file:///work/a',
    provider: 'openai',
    model: 'gpt-4o',
    preset: 'qa',
    usage: { inputTokens: 1000, outputTokens: 500, cacheReadTokens: 200, reasoningTokens: 0 },
    usageSource: 'provider',
    costUsd: 0.0075,
    priceSource: '@pydantic/genai-prices 0.1.8 (OpenAI · gpt-4o)',
    finish: { raw: 'stop', reason: 'stop', truncated: false },
    maxTokens: 1024,
    ...over,
  };
}

function tmpFile(): { file: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lw-ledger-'));
  return { file: path.join(dir, 'nested', 'dir', 'ledger.jsonl'), cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

test('round trip through a file: records survive a re-open (new directories are created)', async () => {
  const { file, cleanup } = tmpFile();
  try {
    const { ledger, badLines } = await Ledger.open(fileStorage(file));
    assert.deepEqual(badLines, []);
    assert.deepEqual(ledger.records(), []);
    const a = record({ chainId: 'c1', round: 1 });
    const b = record({ time: '2026-11-20T10:05:00.000Z', costUsd: null, usageSource: 'estimate', chainId: 'c1', round: 2 });
    await ledger.begin({ v: 1, id: a.id, time: a.time, workspace: a.workspace, provider: a.provider, model: a.model, maxTokens: 1024 });
    await ledger.finish(a);
    await ledger.finish(b);
    const again = await Ledger.open(fileStorage(file));
    assert.deepEqual(again.badLines, []);
    assert.deepEqual(again.ledger.records(), [a, b]);
    assert.ok(fs.readFileSync(file, 'utf8').endsWith('\n'));
  } finally {
    cleanup();
  }
});

test('a truncated last line is reported, every intact record is kept, and the next append starts a new line', async () => {
  const { file, cleanup } = tmpFile();
  try {
    const { ledger } = await Ledger.open(fileStorage(file));
    const a = record();
    const b = record({ workspace: 'file:///work/b' });
    await ledger.finish(a);
    await ledger.finish(b);
    // Simulate a crash in the middle of writing a third line.
    fs.appendFileSync(file, '{"kind":"end","v":1,"id":"half","time":"2026-11-');
    const reopened = await Ledger.open(fileStorage(file));
    assert.deepEqual(reopened.ledger.records(), [a, b]);
    assert.equal(reopened.badLines.length, 1);
    assert.equal(reopened.badLines[0].line, 3);
    assert.match(reopened.badLines[0].text, /^\{"kind":"end"/);
    const c = record({ time: '2026-11-21T00:00:00.000Z' });
    await reopened.ledger.finish(c);
    const third = await Ledger.open(fileStorage(file));
    assert.deepEqual(third.ledger.records(), [a, b, c], 'the new record was not glued to the broken line');
    assert.equal(third.badLines.length, 1);
  } finally {
    cleanup();
  }
});

test('a request cut off by a reload is recovered as interrupted, with its last checkpoint (estimate)', async () => {
  const storage = memoryStorage();
  const { ledger } = await Ledger.open(storage);
  const start = { v: 1 as const, time: new Date(Date.now() - 5000).toISOString(), workspace: 'w', provider: 'anthropic' as const, model: 'claude-sonnet-4-5', maxTokens: 4096, chainId: 'ch', round: 2, priceSource: 'x' };
  await ledger.begin({ ...start, id: 'with-checkpoints', usage: { inputTokens: 900, outputTokens: 0 }, costUsd: 0.0027 });
  await ledger.checkpoint('with-checkpoints', { inputTokens: 900, outputTokens: 100 }, 0.0042);
  await ledger.checkpoint('with-checkpoints', { inputTokens: 900, outputTokens: 300 }, 0.0072);
  await ledger.begin({ ...start, id: 'begin-only' });
  await ledger.begin({ ...start, id: 'begin-estimate', usage: { inputTokens: 50, outputTokens: 0 }, costUsd: 0.00015 });
  // This instance knows its own requests are running, not interrupted.
  assert.deepEqual(ledger.records(), []);
  await ledger.refresh();
  assert.deepEqual(ledger.records(), []);

  // "Reload": a new instance over the same storage.
  const { ledger: after, badLines } = await Ledger.open(storage);
  assert.deepEqual(badLines, []);
  const recs = after.records();
  assert.equal(recs.length, 3);
  const byId = new Map(recs.map((r) => [r.id, r]));
  const w = byId.get('with-checkpoints')!;
  assert.equal(w.interrupted, true);
  assert.equal(w.usageSource, 'estimate');
  assert.deepEqual(w.usage, { inputTokens: 900, outputTokens: 300 });
  assert.equal(w.costUsd, 0.0072);
  assert.equal(w.chainId, 'ch');
  assert.equal(w.round, 2);
  assert.deepEqual(w.finish, { raw: 'interrupted', reason: 'other', truncated: false });
  assert.ok(w.durationMs >= 4000 && w.durationMs < 60_000, String(w.durationMs));
  assert.deepEqual(byId.get('begin-only')!.usage, { inputTokens: 0, outputTokens: 0 });
  assert.equal(byId.get('begin-only')!.costUsd, null, 'nothing known: unknown, not $0');
  assert.equal(byId.get('begin-estimate')!.costUsd, 0.00015);
  const t = after.totals();
  assert.equal(t.interruptedRequests, 3);
  assert.equal(t.unknownCostRequests, 1);
  close(t.usd, 0.0072 + 0.00015);

  // A finished request is no longer interrupted.
  await ledger.finish({ ...record(), id: 'begin-only', time: start.time, workspace: 'w' });
  const final = await Ledger.open(storage);
  assert.equal(final.ledger.records().find((r) => r.id === 'begin-only')?.interrupted, undefined);
  assert.equal(final.ledger.totals().interruptedRequests, 2);
});

function close(a: number | null, b: number) {
  assert.notEqual(a, null);
  assert.ok(Math.abs((a as number) - b) < 1e-9, `${a} != ${b}`);
}

test('totals per workspace, since a time, per chain; unknown costs are counted, never summed as $0', async () => {
  const { ledger } = await Ledger.open(memoryStorage());
  await ledger.finish(record({ workspace: 'A', costUsd: 0.5, time: '2026-11-01T00:00:00.000Z', chainId: 'c' }));
  await ledger.finish(record({ workspace: 'A', costUsd: 0.25, time: '2026-11-10T00:00:00.000Z', chainId: 'c', usage: { inputTokens: 10, outputTokens: 20, cacheWriteTokens: 5, reasoningTokens: 7 } }));
  await ledger.finish(record({ workspace: 'A', costUsd: null, usageSource: 'estimate', time: '2026-11-11T00:00:00.000Z' }));
  await ledger.finish(record({ workspace: 'B', costUsd: null, time: '2026-11-12T00:00:00.000Z' }));
  const a = ledger.totals({ workspace: 'A' });
  assert.equal(a.requests, 3);
  close(a.usd, 0.75);
  assert.equal(a.unknownCostRequests, 1);
  assert.equal(a.estimatedRequests, 1);
  assert.equal(a.inputTokens, 2010);
  assert.equal(a.outputTokens, 1020);
  assert.equal(a.cacheReadTokens, 400);
  assert.equal(a.cacheWriteTokens, 5);
  assert.equal(a.reasoningTokens, 7);
  const b = ledger.totals({ workspace: 'B' });
  assert.equal(b.requests, 1);
  assert.equal(b.usd, null, 'only unknown costs: null, not $0');
  assert.equal(ledger.totals({ workspace: 'none' }).usd, 0, 'no requests: $0');
  const since = ledger.totals({ workspace: 'A', since: new Date('2026-11-05T00:00:00.000Z') });
  assert.equal(since.requests, 2);
  close(since.usd, 0.25);
  close(ledger.totals({ chainId: 'c' }).usd, 0.75);
  assert.equal(ledger.totals().requests, 4);
});

test('concurrent appends never interleave lines', async () => {
  // A storage whose append writes in two awaited halves: unserialized writes would interleave.
  let text = '';
  const slow: LedgerStorage = {
    readAll: async () => text,
    append: async (t) => {
      const mid = Math.floor(t.length / 2);
      text += t.slice(0, mid);
      await new Promise((r) => setTimeout(r, Math.random() * 3));
      text += t.slice(mid);
    },
  };
  const { ledger } = await Ledger.open(slow);
  const recs = Array.from({ length: 60 }, (_, i) => record({ time: `2026-11-20T10:00:${String(i).padStart(2, '0')}.000Z` }));
  await Promise.all(recs.flatMap((r) => [ledger.begin({ ...r }), ledger.checkpoint(r.id, r.usage, 0.001), ledger.finish(r)]));
  const { ledger: back, badLines } = await Ledger.open(slow);
  assert.deepEqual(badLines, []);
  assert.equal(back.records().length, 60);
  assert.equal(text.split('\n').filter(Boolean).length, 180);
});

test('only known fields reach the file: no prompt text, no keys', async () => {
  const storage = memoryStorage();
  const { ledger } = await Ledger.open(storage);
  const leaky = { ...record(), prompt: 'SECRET PROMPT TEXT', apiKey: 'sk-live-123', usage: { inputTokens: 1, outputTokens: 2, text: 'x' } } as unknown as LedgerRecord;
  await ledger.finish(leaky);
  await ledger.begin({ ...(leaky as object), id: 'b2', messages: [{ content: 'SECRET' }] } as never);
  assert.doesNotMatch(storage.text, /SECRET|sk-live|"text"|"prompt"|"messages"/);
  await assert.rejects(ledger.finish({ ...record(), usage: undefined } as unknown as LedgerRecord), /incomplete/);
});

test('a failed write is reported to the caller and the ledger keeps working', async () => {
  let fail = true;
  let text = '';
  const flaky: LedgerStorage = {
    readAll: async () => text,
    append: async (t) => {
      if (fail) {
        text += t.slice(0, 10); // half a line reached the disk
        throw new Error('disk full');
      }
      text += t;
    },
  };
  const { ledger } = await Ledger.open(flaky);
  const a = record();
  await assert.rejects(ledger.finish(a), /disk full/);
  assert.equal(ledger.totals().requests, 1, 'still counted in memory');
  fail = false;
  const b = record();
  await ledger.finish(b);
  const back = await Ledger.open(flaky);
  assert.deepEqual(back.ledger.records(), [b]);
  assert.equal(back.badLines.length, 1);
});

test('budget states: ok, 80% warning, over (warn vs block), worst case of the next request, no budget', () => {
  assert.deepEqual(budgetState(5, null, 'block'), { level: 'ok', block: false });
  assert.deepEqual(budgetState(5, 10, 'warn'), { level: 'ok', block: false });
  const w = budgetState(8, 10, 'warn');
  assert.equal(w.level, 'warn80');
  assert.equal(w.block, false);
  assert.match(w.message!, /80% used: \$8\.00 of \$10\.00 spent/);
  const overWarn = budgetState(10, 10, 'warn');
  assert.deepEqual([overWarn.level, overWarn.block], ['over', false]);
  const overBlock = budgetState(10.5, 10, 'block');
  assert.deepEqual([overBlock.level, overBlock.block], ['over', true]);
  assert.match(overBlock.message!, /Workspace budget reached: \$10\.50 of \$10\.00 spent\. Nothing was sent\. Raise lengthwise\.budget\.usd /);
  // The next request's worst case would cross the budget.
  const next = budgetState(9.9, 10, 'block', 0.25);
  assert.deepEqual([next.level, next.block], ['over', true]);
  assert.match(next.message!, /could cost up to \$0\.25/);
  assert.equal(budgetState(9.5, 10, 'block', 0.5).block, false, 'exactly reaching the budget is allowed');
  assert.equal(budgetState(7, 10, 'warn', 1).level, 'warn80');
  assert.equal(budgetState(0, 0, 'block').block, true, 'a $0 budget blocks');
  assert.equal(budgetState(1, 10, 'block', Number.NaN).level, 'ok');
});

test('fileStorage: a line left half-written by another writer is closed before the next record', async () => {
  const { Ledger } = await import('../../../src/core/ledger/ledger');
  const fsm = await import('node:fs');
  const osm = await import('node:os');
  const pathm = await import('node:path');
  const dir = fsm.mkdtempSync(pathm.join(osm.tmpdir(), 'lw-ledger-'));
  const file = pathm.join(dir, 'ledger.jsonl');
  try {
    const storage = fileStorage(file);
    const { ledger } = await Ledger.open(storage);
    // Another window tears its last line after this one opened the ledger.
    fsm.appendFileSync(file, '{"kind":"begin","id":"other","torn');
    const rec = {
      v: 1 as const, id: 'mine', time: new Date(0).toISOString(), workspace: 'w', provider: 'openai' as const, model: 'gpt-4.1-mini',
      maxTokens: 10, durationMs: 5, usage: { inputTokens: 1, outputTokens: 2 }, usageSource: 'provider' as const, costUsd: null,
      finish: { raw: 'stop', reason: 'stop', truncated: false },
    };
    await ledger.begin(rec);
    await ledger.finish(rec);
    const reopened = await Ledger.open(fileStorage(file));
    assert.equal(reopened.badLines.length, 1, 'only the torn line is bad');
    assert.equal(reopened.badLines[0].text, '{"kind":"begin","id":"other","torn', 'our begin line was not glued to it');
    assert.deepEqual(reopened.ledger.records().map((r) => r.id), ['mine']);
  } finally {
    fsm.rmSync(dir, { recursive: true, force: true });
  }
});
