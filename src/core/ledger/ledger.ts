// The spend ledger: one append-only JSONL file (in the extension's global storage) that survives crashes and
// window reloads. A request writes a "begin" line when it starts, optional "checkpoint" lines while it streams and
// an "end" line with the final record; a begin without an end is recovered on the next open as an interrupted
// request with its last known (estimated) usage. Records hold numbers and ids only: never prompt text or keys.
import { costSum } from '../pricing/money';
import { isPlainObject } from '../protocol/guards';
import { OPTIONAL_USAGE_KEYS, type ProviderId, type Usage } from '../protocol/request';
import { OVERRIDE_SOURCE } from '../pricing/cost';
import { tokenCount } from '../protocol/usage';
import { budgetCost } from '../pricing/reported';

export interface LedgerRecord {
  v: 1;
  id: string;
  /** Continuation chain the request belongs to, and its round (1 = the first request). */
  chainId?: string;
  round?: number;
  /** Job (many requests planned together: chunks, summarize-first, a batch) and the part this request served. */
  jobId?: string;
  part?: number;
  /** Sent through the provider's batch API (billed at batch prices). */
  batch?: boolean;
  /** ISO time the request started. */
  time: string;
  durationMs: number;
  workspace: string;
  provider: ProviderId;
  model: string;
  preset?: string;
  usage: Usage;
  usageSource: 'provider' | 'estimate';
  costUsd: number | null;
  /** Where costUsd comes from: reported by the server, lengthwise.pricing, the bundled table (absent = unknown). */
  costSource?: 'provider' | 'prices' | 'override';
  /** With a server's reported cost where a price is known: the price's figure for the same usage (budgetCost). */
  pricedUsd?: number;
  priceSource?: string;
  finish: { raw: string; reason: string; truncated: boolean };
  maxTokens: number;
  /** Whether a length hint went with the request (absent in records written before hints existed: none went). */
  lengthHint?: boolean;
  /** Recovered after a crash / reload mid-stream: usage is the last checkpoint's estimate. */
  interrupted?: boolean;
}

/** What begin() takes: the record's known-at-start fields, plus an optional first estimate (e.g. input tokens). */
export type LedgerBegin = Omit<LedgerRecord, 'durationMs' | 'usage' | 'usageSource' | 'costUsd' | 'finish' | 'interrupted'> & {
  usage?: Usage;
  costUsd?: number | null;
};

export interface LedgerStorage {
  readAll(): Promise<string>;
  append(text: string): Promise<void>;
}

// ----- line format ----------------------------------------------------------------------------------------

type BeginLine = { kind: 'begin' } & LedgerBegin;
type CheckpointLine = { kind: 'checkpoint'; v: 1; id: string; time: string; usage: Usage; costUsd: number | null };

// The file is read back on every refresh and anything can have written it (another tool, a hand edit, a crash):
// a line is kept only when every number is one Lengthwise could have written; the rest are reported as bad lines.
const isObj = isPlainObject;
const isStr = (x: unknown): x is string => typeof x === 'string' && x.length <= MAX_FIELD_CHARS;
const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x >= 0;
const isTokens = (x: unknown): x is number => tokenCount(x) !== undefined;
const isCost = (x: unknown): x is number | null => x === null || (typeof x === 'number' && Number.isFinite(x) && x >= 0 && x <= MAX_RECORD_USD);

/** Ids, model names, workspace ids and finish values are short; a longer field is not ours. */
const MAX_FIELD_CHARS = 2_000;
/** No single request costs this much: a larger (or negative) cost is not a record Lengthwise wrote. */
const MAX_RECORD_USD = 1_000_000;
/** Records are dated within these years: an unparseable or far-away time would stretch every chart over centuries. */
const FIRST_TIME = Date.UTC(1970, 0, 1);
const LAST_TIME = Date.UTC(2100, 0, 1);
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

/** An ISO time (as toISOString writes it) from 1970 to 2099. */
function isRecordTime(x: unknown): x is string {
  if (typeof x !== 'string' || !ISO_TIME.test(x)) return false;
  const t = Date.parse(x);
  return Number.isFinite(t) && t >= FIRST_TIME && t < LAST_TIME;
}

function cleanUsage(x: unknown): Usage | undefined {
  if (!isObj(x) || !isTokens(x.inputTokens) || !isTokens(x.outputTokens)) return undefined;
  const u: Usage = { inputTokens: x.inputTokens, outputTokens: x.outputTokens };
  for (const k of OPTIONAL_USAGE_KEYS) if (isTokens(x[k])) u[k] = x[k];
  return u;
}

/** Only the known fields are kept, whatever the caller passes: no prompt text or key can reach the file. */
function cleanHead(x: Record<string, unknown>): LedgerBegin | undefined {
  if (!isStr(x.id) || !x.id || !isRecordTime(x.time) || !isStr(x.workspace) || !isStr(x.provider) || !isStr(x.model)) return undefined;
  if (!isTokens(x.maxTokens)) return undefined;
  const h: LedgerBegin = {
    v: 1,
    id: x.id,
    time: x.time,
    workspace: x.workspace,
    provider: x.provider as ProviderId,
    model: x.model,
    maxTokens: x.maxTokens,
  };
  if (isStr(x.chainId)) h.chainId = x.chainId;
  if (isCount(x.round)) h.round = x.round;
  if (isStr(x.jobId)) h.jobId = x.jobId;
  if (isCount(x.part)) h.part = x.part;
  if (x.batch === true) h.batch = true;
  if (isStr(x.preset)) h.preset = x.preset;
  if (isStr(x.priceSource)) h.priceSource = x.priceSource;
  if (typeof x.lengthHint === 'boolean') h.lengthHint = x.lengthHint;
  return h;
}

function cleanRecord(x: unknown): LedgerRecord | undefined {
  if (!isObj(x)) return undefined;
  const head = cleanHead(x);
  const usage = cleanUsage(x.usage);
  const f = x.finish;
  if (!head || !usage || !isCount(x.durationMs) || !isCost(x.costUsd)) return undefined;
  if (x.usageSource !== 'provider' && x.usageSource !== 'estimate') return undefined;
  if (!isObj(f) || !isStr(f.raw) || !isStr(f.reason) || typeof f.truncated !== 'boolean') return undefined;
  const { v, id, chainId, round, jobId, part, batch, time, workspace, provider, model, preset, priceSource, maxTokens, lengthHint } = head;
  const r: LedgerRecord = { v, id, time, durationMs: x.durationMs, workspace, provider, model, usage, usageSource: x.usageSource, costUsd: x.costUsd, finish: { raw: f.raw, reason: f.reason, truncated: f.truncated }, maxTokens };
  if (chainId !== undefined) r.chainId = chainId;
  if (round !== undefined) r.round = round;
  if (jobId !== undefined) r.jobId = jobId;
  if (part !== undefined) r.part = part;
  if (batch) r.batch = true;
  if (preset !== undefined) r.preset = preset;
  if (priceSource !== undefined) r.priceSource = priceSource;
  if (lengthHint !== undefined) r.lengthHint = lengthHint;
  if ((x.costSource === 'provider' || x.costSource === 'prices' || x.costSource === 'override') && x.costUsd !== null) r.costSource = x.costSource;
  if (r.costSource === 'provider' && typeof x.pricedUsd === 'number' && isCost(x.pricedUsd)) r.pricedUsd = x.pricedUsd;
  if (x.interrupted === true) r.interrupted = true;
  return r;
}

function cleanBegin(x: unknown): BeginLine | undefined {
  if (!isObj(x)) return undefined;
  const head = cleanHead(x);
  if (!head) return undefined;
  const b: BeginLine = { kind: 'begin', ...head };
  const usage = cleanUsage(x.usage);
  if (usage) b.usage = usage;
  if (isCost(x.costUsd)) b.costUsd = x.costUsd;
  return b;
}

function cleanCheckpoint(x: unknown): CheckpointLine | undefined {
  if (!isObj(x) || !isStr(x.id) || !isRecordTime(x.time) || !isCost(x.costUsd)) return undefined;
  const usage = cleanUsage(x.usage);
  return usage ? { kind: 'checkpoint', v: 1, id: x.id, time: x.time, usage, costUsd: x.costUsd } : undefined;
}

function interruptedRecord(b: BeginLine, last: CheckpointLine | undefined): LedgerRecord {
  const { kind: _kind, usage, costUsd, ...head } = b;
  const started = Date.parse(b.time);
  const lastSeen = last ? Date.parse(last.time) : NaN;
  return {
    ...head,
    durationMs: Number.isFinite(lastSeen - started) ? Math.max(0, lastSeen - started) : 0,
    usage: last?.usage ?? usage ?? { inputTokens: 0, outputTokens: 0 },
    usageSource: 'estimate',
    costUsd: last ? last.costUsd : (costUsd ?? null),
    finish: { raw: 'interrupted', reason: 'other', truncated: false },
    interrupted: true,
  };
}

// ----- ledger ---------------------------------------------------------------------------------------------

export interface LedgerFilter {
  workspace?: string;
  /** Records that started at or after this time. */
  since?: Date;
  chainId?: string;
}

/** Sums over a set of records. Unknown costs are counted, never added as 0. */
export interface UsageTotals {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  /** Sum of the known costs. */
  knownCostUsd: number;
  /** What the known costs count toward a budget: each at least what its price gives (budgetCost). */
  budgetUsd: number;
  /** Requests whose price is unknown (costUsd null): their cost is not in knownCostUsd. */
  unknownCostRequests: number;
  /** Requests whose usage is a local estimate (no provider usage, or interrupted). */
  estimatedRequests: number;
  /** Known cost of those estimated requests. */
  estimatedCostUsd: number;
  interruptedRequests: number;
  /** Requests with a known cost by where it came from: the server's report, the bundled table, lengthwise.pricing. */
  costSources: { provider: number; prices: number; override: number };
  /** Jobs among these requests (each counted once) and the requests that belong to them. */
  jobs: number;
  jobRequests: number;
  /** Requests sent through a provider's batch API, and their known cost (at batch prices). */
  batchRequests: number;
  batchCostUsd: number;
}

/**
 * Where a record's cost came from. Records written before costSource existed: from their price source (a cost
 * then was always computed from a price).
 */
export function costSourceOf(r: Pick<LedgerRecord, 'costUsd' | 'costSource' | 'priceSource'>): 'provider' | 'prices' | 'override' | null {
  if (r.costUsd === null || !Number.isFinite(r.costUsd)) return null;
  if (r.costSource) return r.costSource;
  return r.priceSource?.startsWith(OVERRIDE_SOURCE) ? 'override' : 'prices';
}

/** Job ids already counted per totals object (a job's many records count as one job). */
const seenJobs = new WeakMap<UsageTotals, Set<string>>();

export function emptyTotals(): UsageTotals {
  return {
    requests: 0,
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    knownCostUsd: 0,
    budgetUsd: 0,
    unknownCostRequests: 0,
    estimatedRequests: 0,
    estimatedCostUsd: 0,
    costSources: { provider: 0, prices: 0, override: 0 },
    interruptedRequests: 0,
    jobs: 0,
    jobRequests: 0,
    batchRequests: 0,
    batchCostUsd: 0,
  };
}

export function addRecord(t: UsageTotals, r: LedgerRecord): void {
  t.requests++;
  t.inputTokens += r.usage.inputTokens;
  t.outputTokens += r.usage.outputTokens;
  t.cacheReadTokens += r.usage.cacheReadTokens ?? 0;
  t.cacheWriteTokens += r.usage.cacheWriteTokens ?? 0;
  t.reasoningTokens += r.usage.reasoningTokens ?? 0;
  const known = r.costUsd !== null && Number.isFinite(r.costUsd);
  if (known) {
    t.knownCostUsd += r.costUsd as number;
    t.budgetUsd += budgetCost(r) ?? 0;
  } else t.unknownCostRequests++;
  if (r.usageSource === 'estimate') {
    t.estimatedRequests++;
    if (known) t.estimatedCostUsd += r.costUsd as number;
  }
  if (r.interrupted) t.interruptedRequests++;
  if (r.batch) {
    t.batchRequests++;
    if (known) t.batchCostUsd += r.costUsd as number;
  }
  const src = costSourceOf(r);
  if (src) t.costSources[src]++;
  if (r.jobId !== undefined) {
    t.jobRequests++;
    let seen = seenJobs.get(t);
    if (!seen) seenJobs.set(t, (seen = new Set()));
    if (!seen.has(r.jobId)) {
      seen.add(r.jobId);
      t.jobs++;
    }
  }
}

export function totalsOf(records: Iterable<LedgerRecord>): UsageTotals {
  const t = emptyTotals();
  for (const r of records) addRecord(t, r);
  return t;
}

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

// ----- budgets --------------------------------------------------------------------------------------------

