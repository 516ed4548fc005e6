// The spend ledger: one append-only JSONL file (in the extension's global storage) that survives crashes and
// window reloads. A request writes a "begin" line when it starts, optional "checkpoint" lines while it streams and
// an "end" line with the final record; a begin without an end is recovered on the next open as an interrupted
// request with its last known (estimated) usage. Records hold numbers and ids only: never prompt text or keys.
import { costSum } from '../pricing/money';
import type { Usage } from '../protocol/request';
import { cleanBegin, cleanCheckpoint, cleanRecord, interruptedRecord, isObj, type BeginLine, type CheckpointLine } from './lines';
import type { LedgerBegin, LedgerRecord, LedgerStorage } from './record';
import { totalsOf, type LedgerFilter, type UsageTotals } from './totals';


export interface LedgerTotals extends UsageTotals {
  /**
   * Sum of the known costs. A lower bound when unknownCostRequests > 0; null only when there are requests and
   * none has a known cost (an unknown is never shown as $0). 0 when there are no requests.
   */
  usd: number | null;
}

export interface BadLine {
  /** 1-based line number in the file. */
  line: number;
  text: string;
}

export class Ledger {
  private all: LedgerRecord[] = [];
  private index = new Map<string, number>();
  /** Requests this instance began and has not finished: not "interrupted", just running. */
  private readonly running = new Set<string>();
  private queue: Promise<unknown> = Promise.resolve();
  /** The file ends in a partial line (e.g. a crash mid-write): the next append starts on a new line. */
  private needsNewline = false;

  private constructor(private readonly storage: LedgerStorage) {}

  /** Reads the ledger; keeps every intact record and reports the lines it could not read. */
  static async open(storage: LedgerStorage): Promise<{ ledger: Ledger; badLines: BadLine[] }> {
    const ledger = new Ledger(storage);
    const badLines = await ledger.refresh();
    return { ledger, badLines };
  }

  /** Re-reads the file (other windows append to the same one). Returns the unreadable lines. */
  async refresh(): Promise<BadLine[]> {
    await this.queue.catch(() => undefined);
    const text = await this.storage.readAll();
    this.needsNewline = text.length > 0 && !text.endsWith('\n');
    const badLines: BadLine[] = [];
    const ends = new Map<string, LedgerRecord>();
    const begins = new Map<string, BeginLine>();
    const checkpoints = new Map<string, CheckpointLine>();
    const lines = text.split('\n');
    lines.forEach((raw, i) => {
      const line = raw.replace(/\r$/, '');
      if (!line.trim()) return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        badLines.push({ line: i + 1, text: line.slice(0, 200) });
        return;
      }
      const kind = isObj(parsed) ? parsed.kind : undefined;
      if (isObj(parsed) && parsed.v !== 1) {
        badLines.push({ line: i + 1, text: line.slice(0, 200) });
        return;
      }
      if (kind === 'end') {
        const r = cleanRecord(parsed);
        if (r) {
          ends.delete(r.id); // keep file order of the latest end line
          ends.set(r.id, r);
          return;
        }
      } else if (kind === 'begin') {
        const b = cleanBegin(parsed);
        if (b) {
          begins.set(b.id, b);
          return;
        }
      } else if (kind === 'checkpoint') {
        const c = cleanCheckpoint(parsed);
        if (c) {
          checkpoints.set(c.id, c);
          return;
        }
      }
      badLines.push({ line: i + 1, text: line.slice(0, 200) });
    });
    const all = [...ends.values()];
    for (const [id, b] of begins) {
      if (!ends.has(id) && !this.running.has(id)) all.push(interruptedRecord(b, checkpoints.get(id)));
    }
    all.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
    this.all = all;
    this.index = new Map(all.map((r, i) => [r.id, i]));
    return badLines;
  }

  /** Writes a "started" line, so a request cut off by a crash or reload still shows up (as interrupted). */
  begin(rec: LedgerBegin): Promise<void> {
    const b = cleanBegin({ ...rec, v: 1 });
    if (!b) return Promise.reject(new Error('Ledger: begin() needs id, time, workspace, provider, model and maxTokens.'));
    this.running.add(b.id);
    return this.write(b);
  }

  /** Records the usage so far of a running request (the caller throttles, e.g. every few seconds). */
  checkpoint(id: string, usage: Usage, costUsd: number | null): Promise<void> {
    const c = cleanCheckpoint({ id, time: new Date().toISOString(), usage, costUsd });
    if (!c) return Promise.reject(new Error('Ledger: invalid checkpoint.'));
    return this.write(c);
  }

  /** Writes the final record (also for cancelled and failed requests: what was spent, estimated if need be). */
  finish(rec: LedgerRecord): Promise<void> {
    const r = cleanRecord({ ...rec, v: 1 });
    if (!r) return Promise.reject(new Error('Ledger: finish() got an incomplete record.'));
    this.running.delete(r.id);
    // In memory at once, so totals are right even if the disk write fails (the caller sees the error).
    const at = this.index.get(r.id);
    if (at !== undefined) this.all[at] = r;
    else {
      this.index.set(r.id, this.all.length);
      this.all.push(r);
    }
    const { v, ...rest } = r;
    return this.write({ kind: 'end', v, ...rest });
  }

  /** Completed requests and requests recovered as interrupted, oldest first. */
  records(): readonly LedgerRecord[] {
    return this.all;
  }

  totals(filter: LedgerFilter = {}): LedgerTotals {
    const since = filter.since?.getTime();
    const t = totalsOf(
      this.all.filter(
        (r) =>
          (filter.workspace === undefined || r.workspace === filter.workspace) &&
          (filter.chainId === undefined || r.chainId === filter.chainId) &&
          (since === undefined || Date.parse(r.time) >= since),
      ),
    );
    return { ...t, usd: costSum(t) };
  }

  /** Resolves when every write issued so far has reached storage. */
  flushed(): Promise<void> {
    return this.queue.then(
      () => undefined,
      () => undefined,
    );
  }

  // One write at a time, in call order: lines never interleave.
  private write(line: object): Promise<void> {
    const json = JSON.stringify(line);
    const run = async () => {
      const text = (this.needsNewline ? '\n' : '') + json + '\n';
      try {
        await this.storage.append(text);
        this.needsNewline = false;
      } catch (e) {
        this.needsNewline = true; // a partial write may have left half a line
        throw e;
      }
    };
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => undefined);
    return p;
  }
}
