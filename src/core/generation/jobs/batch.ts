// Batches: the provider-neutral shape of a submitted batch, its status and results, and the matching of results to
// the requests that were sent. The adapters (src/providers/batch/) speak each provider's batch API through its SDK.
import type { Finish, GenerationRequest, ProviderError, ProviderId, Usage } from '../../protocol/request';

/** One request of a batch. customId: [A-Za-z0-9_-]{1,64} (Anthropic's rule, the strictest of the three). */
export interface BatchItem {
  customId: string;
  request: GenerationRequest;
}

/** What is needed to find a batch again, also after a reload (persisted; holds no key and no prompt text). */
export interface BatchHandle {
  provider: ProviderId;
  /** The provider's batch id (OpenAI "batch_…", Anthropic "msgbatch_…", Gemini "batches/…"). */
  id: string;
  model: string;
  baseUrl?: string;
  /** The custom ids in the order they were sent (Gemini inline results come back in this order). */
  customIds: string[];
  /** ISO time of submission. */
  submittedAt: string;
}

export type BatchState = 'pending' | 'running' | 'completed' | 'failed' | 'expired' | 'cancelling' | 'cancelled';

export type BatchItemResult =
  /** usage undefined: the provider reported none that can be believed (the record says the figures are unknown). */
  | { customId?: string; index?: number; ok: true; text: string; finish: Finish; usage: Usage | undefined }
  /**
   * unread: the result was not read (over BATCH_RESULT_LIMITS); the provider may have billed it, so it is recorded,
   * with its usage when that was read, else with unknown figures.
   */
  | { customId?: string; index?: number; ok: false; error: ProviderError; usage?: Usage; unread?: true };

export interface BatchStatus {
  state: BatchState;
  counts?: { total: number; completed: number; failed: number };
  /** Present once the batch has ended and its results were fetched. */
  results?: BatchItemResult[];
  /** The provider's own status word, kept as is. */
  raw: string;
  message?: string;
}

export interface BatchClientOptions {
  apiKey: string;
  baseUrl?: string;
  signal?: AbortSignal;
}

/** One provider's batch API. */
export interface BatchClient {
  submit(items: BatchItem[], o: BatchClientOptions): Promise<BatchHandle>;
  /** The batch's state; with results once it has ended. */
  poll(handle: BatchHandle, o: BatchClientOptions): Promise<BatchStatus>;
  cancel(handle: BatchHandle, o: BatchClientOptions): Promise<BatchStatus>;
}


/** The handle of a batch just created: its items' custom ids in order, the model and endpoint of the first. */
export function newHandle(provider: ProviderId, id: string, items: readonly BatchItem[]): BatchHandle {
  const first = items[0]!.request;
  const handle: BatchHandle = { provider, id, model: first.model, customIds: items.map((i) => i.customId), submittedAt: new Date().toISOString() };
  if (first.baseUrl) handle.baseUrl = first.baseUrl;
  return handle;
}

const CUSTOM_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Custom ids for the parts of a job: "<job>-<index>", within every provider's rule. */
export function customIdFor(jobId: string, index: number): string {
  const id = `${jobId.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 40)}-${index}`;
  if (!CUSTOM_ID.test(id)) throw new RangeError(`custom id ${JSON.stringify(id)} is not valid for a batch`);
  return id;
}

export interface BatchMatch {
  /** Results in the order of `customIds`; undefined where none came back. */
  byItem: (BatchItemResult | undefined)[];
  missing: string[];
  /** Results naming an id that was not sent, or a second result for the same id (the first one is kept). */
  unexpected: BatchItemResult[];
}

/**
 * Puts results back in the order they were sent. Providers return results in any order (OpenAI, Anthropic) and
 * identify them by custom id; Gemini's inline results carry only their position. A result with neither is
 * unexpected, never guessed.
 */
export function matchBatchResults(customIds: readonly string[], results: readonly BatchItemResult[]): BatchMatch {
  const pos = new Map<string, number>();
  customIds.forEach((id, i) => pos.set(id, i));
  const byItem: (BatchItemResult | undefined)[] = customIds.map(() => undefined);
  const unexpected: BatchItemResult[] = [];
  for (const r of results) {
    const i = r.customId !== undefined ? pos.get(r.customId) : r.index !== undefined && r.index >= 0 && r.index < customIds.length ? r.index : undefined;
    if (i === undefined || byItem[i] !== undefined) unexpected.push(r);
    else byItem[i] = r;
  }
  const missing = customIds.filter((_, i) => byItem[i] === undefined);
  return { byItem, missing, unexpected };
}

/**
 * Failed checks in a row after which a batch is given up (its budget hold released, the user told where its results
 * stay): with the delays below, about 1.5 hours of a provider that does not answer, or of results that cannot be read.
 */
export const MAX_FAILED_CHECKS = 12;

const MB = 1024 * 1024;

/**
 * How much of a batch's results is read, in bytes as they arrive. An answer of 128K tokens is ~0.5 MB of text (~4
 * bytes a token) and ~1 MB as a result line with its JSON escapes and usage, so a real batch stays far below these.
 * Over `answerBytes`, that request's answer is not read: a failed item, named where its answer would land. A results
 * file (or Gemini's batches.get answer) is read up to `baseBytes` + `perRequestBytes` a request, at most
 * `maxFileBytes`; past that reading stops and the requests not reached are named the same way. The ceiling keeps a
 * batch's answers within what a string and an editor document hold (a JavaScript string ends near 512 MB).
 */
export const BATCH_RESULT_LIMITS = Object.freeze({ answerBytes: 4 * MB, perRequestBytes: 4 * MB, baseBytes: 1 * MB, maxFileBytes: 256 * MB });

/** The most read of one results file for a batch of `requests` requests. */
export function resultFileBytes(requests: number): number {
  const L = BATCH_RESULT_LIMITS;
  return Math.min(L.maxFileBytes, L.baseBytes + Math.max(1, requests) * L.perRequestBytes);
}

/** "4 MB", "6.3 MB" (MiB, as the limits are set). */
export function formatMB(bytes: number): string {
  return `${Number((bytes / MB).toFixed(1))} MB`;
}

/** Why an answer was not read: it is `bytes` long, over BATCH_RESULT_LIMITS.answerBytes. */
export function answerTooLarge(bytes: number, atLeast = false): string {
  return `its result is ${atLeast ? 'at least ' : ''}${formatMB(bytes)}, over the ${formatMB(BATCH_RESULT_LIMITS.answerBytes)} Lengthwise reads for one answer`;
}

/**
 * The results with a failed, unread item added for every request in `customIds` that has none: when reading
 * stopped early, those requests are named (`why`) where their answers would land, not reported as never run.
 */
export function withUnread(customIds: readonly string[], results: readonly BatchItemResult[], why: string): BatchItemResult[] {
  const seen = new Set(results.map((r) => r.customId));
  const unread = customIds.filter((id) => !seen.has(id)).map((customId): BatchItemResult => ({ customId, ok: false, unread: true, error: { kind: 'other', message: why } }));
  return [...results, ...unread];
}

/** Poll delay after `attempt` polls: 5 s doubling to at most 10 min (batches take minutes to hours). */
export function pollDelayMs(attempt: number): number {
  return Math.min(600_000, 5_000 * 2 ** Math.max(0, attempt));
}
