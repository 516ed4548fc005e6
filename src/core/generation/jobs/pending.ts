// Pending batches, persisted so they survive a window reload and a restart: what was sent (ids, no text), where
// each result should land (anchors: a document range and a fingerprint of the text that was there), what it may
// cost at most, and when to poll next.
import { isPlainObject } from '../../protocol/guards';
import { PROVIDERS, type ProviderId } from '../../protocol/request';
import { addUsd, formatUsd } from '../../pricing/money';
import type { BatchHandle } from './batch';

export interface BatchAnchor {
  uri: string;
  /** The selection the request was made from: [start, end) offsets and a fingerprint of its text. */
  start: number;
  end: number;
  fingerprint: string;
}

export interface PendingBatch {
  v: 1;
  jobId: string;
  handle: BatchHandle;
  /** One per item, in the order of handle.customIds. */
  anchors: BatchAnchor[];
  worstCaseUsd: number | null;
  priceSource?: string;
  maxTokens: number;
  workspace: string;
  preset?: string;
  /** lengthwise.output was "newDocument": every answer goes to a new document. */
  toNewDocument?: true;
  /**
   * A batch of Try Preset: its trial, the example each item is and the cap each was sent with (its answers complete
   * the trial's report; nothing lands in a document).
   */
  trial?: { id: string; examples: number[]; maxTokens: number[] };
  polls: number;
  /** Checks in a row that failed (reset by any answer); at MAX_FAILED_CHECKS the batch is given up. */
  failures?: number;
  /** Epoch ms. */
  nextPollAt: number;
}

/** FNV-1a over UTF-16 code units with the length: enough to tell "unchanged there" from "edited" (not security). */
export function fingerprint(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `${text.length}:${h.toString(16)}`;
}

/** Where a result lands: at its anchor when the text there is unchanged, else in a new document with the reason. */
export function landing(anchor: BatchAnchor, textNow: string | undefined): { at: 'anchor' } | { at: 'newDocument'; why: string } {
  if (textNow === undefined) return { at: 'newDocument', why: 'the document it was sent from is not open' };
  if (fingerprint(textNow) !== anchor.fingerprint) return { at: 'newDocument', why: 'the text it was sent from has changed since' };
  return { at: 'anchor' };
}

const isStr = (x: unknown): x is string => typeof x === 'string';
const isInt = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0;

/** Only well-formed records come back from storage (a bad one is dropped, not guessed). */
export function parsePending(x: unknown): PendingBatch | undefined {
  if (!isPlainObject(x) || x.v !== 1 || !isStr(x.jobId) || !isPlainObject(x.handle) || !Array.isArray(x.anchors)) return undefined;
  const h = x.handle;
  if (!isStr(h.id) || !isStr(h.model) || !isStr(h.submittedAt) || !(PROVIDERS as readonly string[]).includes(h.provider as string)) return undefined;
  if (!Array.isArray(h.customIds) || !h.customIds.every(isStr)) return undefined;
  const anchors: BatchAnchor[] = [];
  for (const a of x.anchors) {
    if (!isPlainObject(a) || !isStr(a.uri) || !isInt(a.start) || !isInt(a.end) || !isStr(a.fingerprint)) return undefined;
    anchors.push({ uri: a.uri, start: a.start, end: a.end, fingerprint: a.fingerprint });
  }
  if (anchors.length !== h.customIds.length) return undefined;
  if (!(x.worstCaseUsd === null || (typeof x.worstCaseUsd === 'number' && Number.isFinite(x.worstCaseUsd)))) return undefined;
  if (!isInt(x.maxTokens) || !isInt(x.polls) || !isInt(x.nextPollAt) || !isStr(x.workspace)) return undefined;
  const handle: BatchHandle = { provider: h.provider as ProviderId, id: h.id, model: h.model, customIds: [...(h.customIds as string[])], submittedAt: h.submittedAt };
  if (isStr(h.baseUrl)) handle.baseUrl = h.baseUrl;
  const p: PendingBatch = { v: 1, jobId: x.jobId, handle, anchors, worstCaseUsd: x.worstCaseUsd as number | null, maxTokens: x.maxTokens, workspace: x.workspace, polls: x.polls, nextPollAt: x.nextPollAt };
  if (isStr(x.priceSource)) p.priceSource = x.priceSource;
  if (isStr(x.preset)) p.preset = x.preset;
  if (x.toNewDocument === true) p.toNewDocument = true;
  const t = x.trial;
  const sameLength = (a: unknown): a is number[] => Array.isArray(a) && a.length === anchors.length && a.every(isInt);
  if (isPlainObject(t) && isStr(t.id) && sameLength(t.examples) && sameLength(t.maxTokens)) p.trial = { id: t.id, examples: [...t.examples], maxTokens: [...t.maxTokens] };
  if (isInt(x.failures) && x.failures > 0) p.failures = x.failures;
  return p;
}

export function parsePendingList(x: unknown): PendingBatch[] {
  return Array.isArray(x) ? x.map(parsePending).filter((p): p is PendingBatch => p !== undefined) : [];
}

/** "2 batches pending · ≤ $0.41" (worst case; "price unknown" when any is unknown); "" when none. */
export function pendingText(list: readonly PendingBatch[]): string {
  if (list.length === 0) return '';
  let worst: number | null = 0;
  for (const p of list) worst = addUsd(worst, p.worstCaseUsd);
  const n = `${list.length} batch${list.length === 1 ? '' : 'es'} pending`;
  return worst === null ? `${n} · price unknown` : `${n} · ≤ ${formatUsd(worst)}`;
}
