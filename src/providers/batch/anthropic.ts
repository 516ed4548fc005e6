// Anthropic Message Batches over the official SDK: messages.batches.create / retrieve / cancel / results (JSONL,
// one line per request with its custom_id, in any order).
import Anthropic from '@anthropic-ai/sdk';
import { mapFinish } from '../../core/providers/finish';
import { newHandle, type BatchClient, type BatchClientOptions, type BatchHandle, type BatchItemResult, type BatchStatus } from '../../core/generation/jobs/batch';
import { anthropicParams, normalizeAnthropicUsage } from '../anthropic';
import { toProviderError } from '../errors';
import { keyFetch } from '../keyFetch';
import { readResultFile, resultsOf, type ResultsRead } from './resultLines';
import { completeUsage } from '../../core/protocol/usage';
import { browserOptions } from '../browser';

function client(o: BatchClientOptions, baseUrl?: string): Anthropic {
  const url = o.baseUrl ?? baseUrl ?? undefined;
  return new Anthropic({ apiKey: o.apiKey, baseURL: url, maxRetries: 2, fetch: keyFetch('anthropic', url), ...browserOptions('anthropic') });
}

type Batch = Anthropic.Messages.Batches.MessageBatch;
type Result = Anthropic.Messages.Batches.MessageBatchIndividualResponse;

function toItemResult(r: Result): BatchItemResult {
  const customId = r.custom_id;
  switch (r.result.type) {
    case 'succeeded': {
      const m = r.result.message;
      const text = m.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
      const u = normalizeAnthropicUsage(m.usage as Parameters<typeof normalizeAnthropicUsage>[0], {});
      return {
        customId,
        ok: true,
        text,
        finish: mapFinish('anthropic', m.stop_reason, m.stop_sequence),
        usage: completeUsage(u),
      };
    }
    case 'errored':
      return { customId, ok: false, error: { kind: r.result.error.error?.type === 'invalid_request_error' ? 'bad_request' : 'other', message: `Anthropic batch request failed: ${r.result.error.error?.message ?? r.result.error.error?.type ?? 'error'}` } };
    case 'canceled':
      return { customId, ok: false, error: { kind: 'cancelled', message: 'Cancelled before it was processed.' } };
    default:
      return { customId, ok: false, error: { kind: 'other', message: 'The batch expired before this request was processed (24 hours).' } };
  }
}

/**
 * The results of an ended batch, from the endpoint's own path: never from the results_url the server names (the
 * SDK's batches.results() fetches that absolute URL, with the key, wherever it points).
 */
async function results(c: Anthropic, handle: BatchHandle, read: ResultsRead, signal?: AbortSignal): Promise<BatchItemResult[]> {
  const res = await c.get<Response>(`/v1/messages/batches/${encodeURIComponent(handle.id)}/results`, { headers: { Accept: 'application/binary' }, signal, __binaryResponse: true });
  const out: BatchItemResult[] = [];
  const parse = (line: string): BatchItemResult | undefined => {
    try {
      return toItemResult(JSON.parse(line) as Result);
    } catch {
      return undefined; // a line that is not a result is skipped; its request shows as missing
    }
  };
  await readResultFile(res, parse, handle.customIds.length, out, read);
  return resultsOf(handle.customIds, out, read);
}

async function status(c: Anthropic, b: Batch, handle: BatchHandle, signal?: AbortSignal): Promise<BatchStatus> {
  const rc = b.request_counts;
  const total = rc.processing + rc.succeeded + rc.errored + rc.canceled + rc.expired;
  const ended = b.processing_status === 'ended';
  const state = ended ? (rc.succeeded + rc.errored > 0 ? 'completed' : rc.canceled > 0 ? 'cancelled' : 'expired') : b.processing_status === 'canceling' ? 'cancelling' : 'running';
  const s: BatchStatus = { state, raw: b.processing_status, counts: { total, completed: rc.succeeded, failed: rc.errored + rc.canceled + rc.expired } };
  if (ended && b.results_url) {
    const read: ResultsRead = { notes: [] };
    s.results = await results(c, handle, read, signal);
    if (read.notes.length) s.message = read.notes.join('; ');
  }
  return s;
}

/** @public required lazily by providers/batch/index.ts */
export const anthropicBatch: BatchClient = {
  async submit(items, o) {
    const first = items[0];
    if (!first) throw new RangeError('a batch needs at least one request');
    const c = client(o, first.request.baseUrl);
    try {
      const requests = items.map((i) => {
        const params = { ...anthropicParams(i.request) } as Record<string, unknown>;
        delete params.stream;
        return { custom_id: i.customId, params: params as unknown as Anthropic.Messages.MessageCreateParamsNonStreaming };
      });
      const b = await c.messages.batches.create({ requests }, { signal: o.signal });
      return newHandle('anthropic', b.id, items);
    } catch (err) {
      throw new Error(toProviderError('anthropic', err, o.signal?.aborted ?? false, undefined, o.apiKey).message, { cause: err });
    }
  },
  async poll(handle, o) {
    const c = client(o, handle.baseUrl);
    return status(c, await c.messages.batches.retrieve(handle.id, {}, { signal: o.signal }), handle, o.signal);
  },
  async cancel(handle, o) {
    const c = client(o, handle.baseUrl);
    return status(c, await c.messages.batches.cancel(handle.id, {}, { signal: o.signal }), handle, o.signal);
  },
};
