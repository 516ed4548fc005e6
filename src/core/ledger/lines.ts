// The ledger's line format (begin, checkpoint, end) read back with every field checked: a line anyone could have
// written is kept only when it is a record Lengthwise could have written; a begin without an end is an interrupted
// request.
import { isPlainObject } from '../protocol/guards';
import { OPTIONAL_USAGE_KEYS, SERVICE_TIERS, type PaidTier, type ProviderId, type ServiceTier, type Usage } from '../protocol/request';
import { tokenCount } from '../protocol/usage';
import type { LedgerBegin, LedgerRecord } from './record';

export type BeginLine = { kind: 'begin' } & LedgerBegin;
export type CheckpointLine = { kind: 'checkpoint'; v: 1; id: string; time: string; usage: Usage; costUsd: number | null };

// The file is read back on every refresh and anything can have written it (another tool, a hand edit, a crash):
// a line is kept only when every number is one Lengthwise could have written; the rest are reported as bad lines.
export const isObj = isPlainObject;
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
  if (x.tierAsked === 'flex' || x.tierAsked === 'priority') h.tierAsked = x.tierAsked as PaidTier;
  return h;
}

export function cleanRecord(x: unknown): LedgerRecord | undefined {
  if (!isObj(x)) return undefined;
  const head = cleanHead(x);
  const usage = cleanUsage(x.usage);
  const f = x.finish;
  if (!head || !usage || !isCount(x.durationMs) || !isCost(x.costUsd)) return undefined;
  if (x.usageSource !== 'provider' && x.usageSource !== 'model' && x.usageSource !== 'estimate') return undefined;
  if (!isObj(f) || !isStr(f.raw) || !isStr(f.reason) || typeof f.truncated !== 'boolean') return undefined;
  const { v, id, chainId, round, jobId, part, batch, time, workspace, provider, model, preset, priceSource, maxTokens, lengthHint, tierAsked } = head;
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
  if ((SERVICE_TIERS as readonly unknown[]).includes(x.serviceTier)) r.serviceTier = x.serviceTier as ServiceTier;
  if (tierAsked !== undefined) r.tierAsked = tierAsked;
  if (typeof x.cacheSavedUsd === 'number' && x.cacheSavedUsd > 0 && isCost(x.cacheSavedUsd)) r.cacheSavedUsd = x.cacheSavedUsd;
  return r;
}

export function cleanBegin(x: unknown): BeginLine | undefined {
  if (!isObj(x)) return undefined;
  const head = cleanHead(x);
  if (!head) return undefined;
  const b: BeginLine = { kind: 'begin', ...head };
  const usage = cleanUsage(x.usage);
  if (usage) b.usage = usage;
  if (isCost(x.costUsd)) b.costUsd = x.costUsd;
  return b;
}

export function cleanCheckpoint(x: unknown): CheckpointLine | undefined {
  if (!isObj(x) || !isStr(x.id) || !isRecordTime(x.time) || !isCost(x.costUsd)) return undefined;
  const usage = cleanUsage(x.usage);
  return usage ? { kind: 'checkpoint', v: 1, id: x.id, time: x.time, usage, costUsd: x.costUsd } : undefined;
}

export function interruptedRecord(b: BeginLine, last: CheckpointLine | undefined): LedgerRecord {
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
