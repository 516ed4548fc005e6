// The ledger in a browser (src/platform/web/ledgerSegments.ts): files written whole, one window per segment, two
// slots with a trailer. A crash at any byte of a write loses at most the line being written (the ledger reports it,
// as it reports a torn line on the desktop); merging other windows' files never loses or doubles a record.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Ledger } from '../../../src/core/ledger/ledger';
import type { LedgerRecord } from '../../../src/core/ledger/record';
import { MERGE_AT_FILES, PART_CHARS, newSessionId, parseSlot, segmentStorage, type SegmentStore } from '../../../src/platform/web/ledgerSegments';
import { newRecordId } from '../../ledgerDouble';

class Crash extends Error {}

/** A folder in memory; `crashAfter` chars makes the next write leave only that much of its text and throw. */
function memoryFolder() {
  const files = new Map<string, string>();
  const f = {
    files,
    crashAfter: undefined as number | undefined,
    /** Files removed by the next remove() calls are kept instead when set (a crash part-way through a merge). */
    removesLeft: Infinity,
    store: {
      list: async () => [...files.keys()],
      read: async (name: string) => files.get(name),
      write: async (name: string, text: string) => {
        if (f.crashAfter !== undefined) {
          files.set(name, text.slice(0, f.crashAfter));
          f.crashAfter = undefined;
          throw new Crash('crashed mid-write');
        }
        files.set(name, text);
      },
      remove: async (name: string) => {
        if (f.removesLeft-- <= 0) throw new Crash('crashed mid-merge');
        files.delete(name);
      },
    } satisfies SegmentStore,
  };
  return f;
}

function record(over: Partial<LedgerRecord> = {}): LedgerRecord {
  return {
    v: 1,
    id: newRecordId(),
    time: '2026-12-08T10:00:00.000Z',
    durationMs: 10,
    workspace: 'vscode-remote://h/w',
    provider: 'openai-compatible',
    model: 'tiny',
    usage: { inputTokens: 5, outputTokens: 7 },
    usageSource: 'provider',
    costUsd: 0.001,
    finish: { raw: 'stop', reason: 'stop', truncated: false },
    maxTokens: 64,
    ...over,
  };
}

async function ids(store: SegmentStore): Promise<{ ids: string[]; bad: number }> {
  const { ledger, badLines } = await Ledger.open(segmentStorage(store));
  return { ids: ledger.records().map((r) => r.id).sort(), bad: badLines.length };
}

test('one window: every record read back by a new window; one segment file a part, two slots', async () => {
  const f = memoryFolder();
  const { ledger } = await Ledger.open(segmentStorage(f.store));
  const written = [];
  for (let i = 0; i < 5; i++) {
    const r = record();
    written.push(r.id);
    await ledger.begin({ v: 1, id: r.id, time: r.time, workspace: r.workspace, provider: r.provider, model: r.model, maxTokens: r.maxTokens });
    await ledger.finish(r);
  }
  assert.deepEqual(await ids(f.store), { ids: written.sort(), bad: 0 });
  const names = [...f.files.keys()].sort();
  assert.equal(names.length, 2, names.join(' '));
  assert.match(names[0]!, /^seg-[0-9a-z]{9}-[0-9a-f]{8}-0000-a\.jsonl$/);
  assert.match(names[1]!, /-0000-b\.jsonl$/);
  const newest = names.map((n) => parseSlot(n, f.files.get(n)!)).sort((a, b) => b.gen - a.gen)[0]!;
  assert.equal(newest.gen, 10, 'one generation per line written');
});

test('a crash at any character of a write loses only the line being written, and says so', async () => {
  const line = (id: string) => `${JSON.stringify({ kind: 'end', ...record({ id }) })}\n`;
  const before = ['r1', 'r2', 'r3'].map(line).join('');
  // The write of r4: the whole segment again, r4's line and the trailer (~60 characters).
  const writeLength = before.length + line('r4').length + 60;
  for (let cut = 0; cut <= writeLength; cut += 3) {
    const f = memoryFolder();
    const s = segmentStorage(f.store, newSessionId(0));
    for (const id of ['r1', 'r2', 'r3']) await s.append(line(id));
    f.crashAfter = cut;
    await assert.rejects(s.append(line('r4')), Crash);
    // A new window opens the ledger: everything before the crash is there.
    const { ledger, badLines } = await Ledger.open(segmentStorage(f.store));
    const got = ledger.records().map((r) => r.id);
    for (const id of ['r1', 'r2', 'r3']) assert.ok(got.includes(id), `cut at ${cut}: ${id} kept (${got.join(',')})`);
    // r4 is not begun, or reported as a damaged line (as a torn line on the desktop), or whole (its trailer torn).
    const r4 = cut - before.length;
    if (r4 <= 0) assert.deepEqual([got.length, badLines.length], [3, 0], `cut at ${cut}`);
    else if (r4 < line('r4').length) assert.deepEqual([got.length, badLines.length], [3, 1], `cut at ${cut}: the torn line is reported`);
    else assert.deepEqual([got.length, badLines.length], [4, 0], `cut at ${cut}: only the trailer was torn`);
  }
});

test('after a failed write the same window writes on: the line that failed is written with the next one', async () => {
  const f = memoryFolder();
  const s = segmentStorage(f.store);
  const { ledger } = await Ledger.open(s);
  const a = record();
  await ledger.finish(a);
  const b = record();
  const longModel = record({ id: b.id, model: 'm'.repeat(1_500) });
  f.crashAfter = (await s.readAll()).length + 30;
  await assert.rejects(ledger.finish(longModel));
  const c = record();
  await ledger.finish(c);
  const again = await ids(f.store);
  assert.deepEqual(again.ids, [a.id, b.id, c.id].sort(), 'b is in memory and rewritten whole with c');
  assert.equal(again.bad, 0, 'the torn slot was overwritten by the next generation');
});

test('two windows at once: each writes its own files, neither loses the other\'s records', async () => {
  const f = memoryFolder();
  const w1 = (await Ledger.open(segmentStorage(f.store))).ledger;
  const w2 = (await Ledger.open(segmentStorage(f.store))).ledger;
  const all: string[] = [];
  await Promise.all(
    Array.from({ length: 20 }, (_, i) => {
      const r = record();
      all.push(r.id);
      return (i % 2 ? w1 : w2).finish(r);
    }),
  );
  assert.deepEqual(await ids(f.store), { ids: all.sort(), bad: 0 });
  await w1.refresh();
  assert.equal(w1.records().length, 20, 'a refresh sees the other window');
});

test(`a segment past ${PART_CHARS / 1024} KB goes on in the next part`, async () => {
  const f = memoryFolder();
  const s = segmentStorage(f.store);
  const line = `${'x'.repeat(1000)}\n`;
  for (let i = 0; i < (PART_CHARS / 1000) * 2.5; i++) await s.append(line);
  const parts = new Set([...f.files.keys()].map((n) => n.slice(0, -'-a.jsonl'.length)));
  assert.equal(parts.size, 3);
  assert.ok([...f.files.values()].every((t) => t.length <= PART_CHARS + 1100));
  assert.equal((await s.readAll()).length, line.length * Math.ceil((PART_CHARS / 1000) * 2.5));
});

test(`other windows' files are merged into one archive at ${MERGE_AT_FILES}; a crash at any step of the merge loses and doubles nothing`, async () => {
  for (const crash of ['none', 'archive write', 'after 1 remove', 'after all but 1 remove'] as const) {
    const f = memoryFolder();
    const all: string[] = [];
    for (let w = 0; w < 9; w++) {
      // Windows that only write (a window that opens the ledger merges what is there).
      const s = segmentStorage(f.store, newSessionId(1_000 + w));
      for (let i = 0; i < 2; i++) {
        const r = record();
        all.push(r.id);
        await s.append(`${JSON.stringify({ kind: 'end', ...r })}\n`);
      }
    }
    const before = f.files.size;
    assert.ok(before >= MERGE_AT_FILES);
    if (crash === 'archive write') f.crashAfter = 500;
    if (crash === 'after 1 remove') f.removesLeft = 1;
    if (crash === 'after all but 1 remove') f.removesLeft = before - 1;
    const warnings: string[] = [];
    const reader = segmentStorage(f.store, undefined, (m) => warnings.push(m));
    const read = await reader.readAll();
    assert.equal(read.split('\n').filter(Boolean).length, all.length, `${crash}: the read itself is whole`);
    assert.equal(warnings.length, crash === 'none' ? 0 : 1, warnings.join(' '));
    f.removesLeft = Infinity; // the crashed window is gone; the next ones work
    const after = await ids(f.store);
    assert.deepEqual(after, { ids: [...all].sort(), bad: 0 }, `${crash}: every record once`);
    if (crash === 'none') {
      assert.deepEqual([...f.files.keys()].map((n) => n.slice(0, 4)), ['arc-'], 'one archive left');
      // A window whose segment was merged writes again: its whole segment comes back beside the archive.
      const { ledger } = await Ledger.open(segmentStorage(f.store));
      const r = record();
      await ledger.finish(r);
      assert.deepEqual(await ids(f.store), { ids: [...all, r.id].sort(), bad: 0 });
    }
  }
  // Lines that a crash left twice are dropped by the next merge.
  const f = memoryFolder();
  const line = `${JSON.stringify({ kind: 'end', ...record() })}\n`;
  for (let w = 0; w < MERGE_AT_FILES; w++) await segmentStorage(f.store, newSessionId(2_000 + w)).append(line);
  await segmentStorage(f.store).readAll();
  assert.equal(f.files.size, 1);
  assert.equal(await segmentStorage(f.store).readAll(), line, 'the same line from 16 windows, once in the archive');
});

test('a file removed while it is being read (another window merged it): read again from the new listing', async () => {
  const f = memoryFolder();
  const w = segmentStorage(f.store);
  await w.append('{"a":1}\n');
  let first = true;
  const racing: SegmentStore = {
    ...f.store,
    read: async (name) => {
      if (first) {
        first = false;
        const text = f.files.get(name)!;
        f.files.delete(name);
        f.files.set(`arc-${newSessionId()}.jsonl`, text); // merged meanwhile (the same text with its trailer)
        return undefined;
      }
      return f.files.get(name);
    },
  };
  assert.equal(await segmentStorage(racing).readAll(), '{"a":1}\n');
});

test('names that are not the ledger\'s are left alone; trailers are checked, not trusted', async () => {
  const f = memoryFolder();
  f.files.set('notes.txt', 'hello');
  f.files.set('seg-x.jsonl', '{"kind":"end"}\n');
  const s = segmentStorage(f.store);
  await s.append('{"a":1}\n');
  assert.equal(await s.readAll(), '{"a":1}\n');
  assert.equal(parseSlot('n', '{"a":1}\n#lengthwise-segment {"gen":1,"chars":99}\n').content, undefined, 'a wrong length is a torn write');
  assert.equal(parseSlot('n', '{"a":1}\n#lengthwise-segment {"gen":1,"chars":8}').content, undefined, 'a trailer without its newline is torn');
  assert.equal(parseSlot('n', '{"a":1}\n#lengthwise-segment {"gen":1,"chars":8}\n').content, '{"a":1}\n');
});
