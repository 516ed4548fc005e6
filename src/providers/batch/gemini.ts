// Gemini Batch Mode over @google/genai: batches.create with inline requests (each with metadata.key = custom id),
// batches.get / cancel; inline responses come back in request order.
import { GoogleGenAI, type BatchJob, type InlinedRequest } from '@google/genai';
import { mapFinish } from '../../core/providers/finish';
import { answerTooLarge, BATCH_RESULT_LIMITS, formatMB, newHandle, resultFileBytes, withUnread, type BatchClient, type BatchClientOptions, type BatchHandle, type BatchItemResult, type BatchState, type BatchStatus } from '../../core/generation/jobs/batch';
import { geminiParams, normalizeGeminiUsage } from '../gemini';
import { toProviderError } from '../errors';
import { keyFetch } from '../keyFetch';
import { bodyTooLarge, cappedFetch, utf8Bytes } from './resultLines';
import { completeUsage } from '../../core/protocol/usage';

/** `maxBytes`: bound on each answer's body (batches.get carries every answer of the batch inline). */
function client(o: BatchClientOptions, baseUrl?: string, maxBytes?: number): GoogleGenAI {
  const url = o.baseUrl ?? baseUrl;
  const f = keyFetch('gemini', url);
  return new GoogleGenAI({ apiKey: o.apiKey, httpOptions: { ...(url ? { baseUrl: url } : {}), fetch: maxBytes === undefined ? f : cappedFetch(f, maxBytes) } });
}

/**
 * batches.get within BATCH_RESULT_LIMITS. Past the bound for the batch, nothing of the answer can be used (it is
 * one JSON document): the batch ends with every request named as not read, and the status says how much was read.
 */
async function getBatch(ai: GoogleGenAI, handle: BatchHandle): Promise<BatchStatus> {
  const n = handle.customIds.length;
  try {
    return status(await ai.batches.get({ name: handle.id }));
  } catch (e) {
    const big = bodyTooLarge(e);
    if (!big) throw e;
    const why = `Gemini's answer passed the ${formatMB(big.bound)} Lengthwise reads for a batch of ${n} request${n === 1 ? '' : 's'}`;
    return {
      state: 'failed',
      raw: 'unread',
      message: `Lengthwise read ${formatMB(big.bytes)} of Gemini's answer and stopped: ${why}; every request is marked where its answer would land.`,
      results: withUnread(handle.customIds, [], `not read: ${why}`),
    };
  }
}

const STATES: Record<string, BatchState> = {
  JOB_STATE_PENDING: 'pending',
  JOB_STATE_QUEUED: 'pending',
  JOB_STATE_RUNNING: 'running',
  JOB_STATE_SUCCEEDED: 'completed',
  JOB_STATE_PARTIALLY_SUCCEEDED: 'completed',
  JOB_STATE_FAILED: 'failed',
  JOB_STATE_CANCELLING: 'cancelling',
  JOB_STATE_CANCELLED: 'cancelled',
  JOB_STATE_EXPIRED: 'expired',
};

function status(b: BatchJob): BatchStatus {
  const raw = String(b.state ?? 'JOB_STATE_UNSPECIFIED');
  const state = STATES[raw] ?? 'running';
  const s: BatchStatus = { state, raw };
  if (b.error?.message) s.message = b.error.message;
  const inline = b.dest?.inlinedResponses;
  if (inline && (state === 'completed' || state === 'failed' || state === 'cancelled' || state === 'expired')) {
    s.results = inline.map((r, index): BatchItemResult => {
      const key = (r.metadata as { key?: unknown } | undefined)?.key;
      const id = typeof key === 'string' ? { customId: key } : { index };
      if (r.error || !r.response) return { ...id, ok: false, error: { kind: 'other', message: `Gemini batch request failed: ${r.error?.message ?? 'no response'}` } };
      const cand = r.response.candidates?.[0];
      const parts = cand?.content?.parts ?? [];
      const u = r.response.usageMetadata ? normalizeGeminiUsage(r.response.usageMetadata) : {};
      const bytes = parts.reduce((sum, p) => sum + (typeof p.text === 'string' ? utf8Bytes(p.text) : 0), 0);
      if (bytes > BATCH_RESULT_LIMITS.answerBytes) {
        const usage = completeUsage(u);
        return { ...id, ok: false, unread: true, error: { kind: 'other', message: answerTooLarge(bytes) }, ...(usage ? { usage } : {}) };
      }
      const text = parts.map((p) => (p.text && !p.thought ? p.text : '')).join('');
      return {
        ...id,
        ok: true,
        text,
        finish: mapFinish('gemini', cand?.finishReason ?? null),
        usage: completeUsage(u),
      };
    });
    const done = s.results.filter((r) => r.ok).length;
    s.counts = { total: inline.length, completed: done, failed: inline.length - done };
  }
  return s;
}

/** @public required lazily by providers/batch/index.ts */
export const geminiBatch: BatchClient = {
  async submit(items, o) {
    const first = items[0];
    if (!first) throw new RangeError('a batch needs at least one request');
    const ai = client(o, first.request.baseUrl);
    try {
      const src: InlinedRequest[] = items.map((i) => {
        const p = geminiParams(i.request);
        return { contents: p.contents, config: p.config, metadata: { key: i.customId } } as InlinedRequest;
      });
      const b = await ai.batches.create({ model: first.request.model, src, config: { displayName: `lengthwise-${items[0]!.customId}` } });
      if (!b.name) throw new Error('Gemini returned a batch without a name');
      return newHandle('gemini', b.name, items);
    } catch (err) {
      throw new Error(toProviderError('gemini', err, o.signal?.aborted ?? false, undefined, o.apiKey).message, { cause: err });
    }
  },
  async poll(handle, o) {
    return getBatch(client(o, handle.baseUrl, resultFileBytes(handle.customIds.length)), handle);
  },
  async cancel(handle, o) {
    const ai = client(o, handle.baseUrl, resultFileBytes(handle.customIds.length));
    await ai.batches.cancel({ name: handle.id });
    return getBatch(ai, handle);
  },
};
