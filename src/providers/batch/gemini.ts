// Gemini Batch Mode over @google/genai: batches.create with inline requests (each with metadata.key = custom id),
// batches.get / cancel; inline responses come back in request order.
import { GoogleGenAI, type BatchJob, type InlinedRequest } from '@google/genai';
import { mapFinish } from '../../core/providers/finish';
import { newHandle, type BatchClient, type BatchClientOptions, type BatchItemResult, type BatchState, type BatchStatus } from '../../core/generation/jobs/batch';
import { geminiParams, normalizeGeminiUsage } from '../gemini';
import { toProviderError } from '../errors';
import { keyFetch } from '../keyFetch';
import { completeUsage } from '../../core/protocol/usage';

function client(o: BatchClientOptions, baseUrl?: string): GoogleGenAI {
  const url = o.baseUrl ?? baseUrl;
  return new GoogleGenAI({ apiKey: o.apiKey, httpOptions: { ...(url ? { baseUrl: url } : {}), fetch: keyFetch('gemini', url) } });
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
      const text = (cand?.content?.parts ?? []).map((p) => (p.text && !p.thought ? p.text : '')).join('');
      const u = r.response.usageMetadata ? normalizeGeminiUsage(r.response.usageMetadata) : {};
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
    return status(await client(o, handle.baseUrl).batches.get({ name: handle.id }));
  },
  async cancel(handle, o) {
    const ai = client(o, handle.baseUrl);
    await ai.batches.cancel({ name: handle.id });
    return status(await ai.batches.get({ name: handle.id }));
  },
};
