// OpenAI Batch API over the official SDK: the requests as a JSONL file (files.create, purpose "batch"), then
// batches.create / retrieve / cancel; results from the output and error files, matched by custom_id.
import OpenAI, { toFile } from 'openai';
import { mapResponsesFinish } from '../../core/protocol/finish';
import { mapFinish } from '../../core/providers/finish';
import type { Usage } from '../../core/protocol/request';
import { normalizeResponsesUsage, responsesParams } from '../openaiResponses';
import { newHandle, type BatchClient, type BatchClientOptions, type BatchHandle, type BatchItem, type BatchItemResult, type BatchState, type BatchStatus } from '../../core/generation/jobs/batch';
import { openAIParams, normalizeOpenAIUsage } from '../openai';
import { toProviderError } from '../errors';
import { keyFetch } from '../keyFetch';
import { readResultFile, resultsOf, type ResultsRead } from './resultLines';
import { completeUsage } from '../../core/protocol/usage';

function client(o: BatchClientOptions, baseUrl?: string): OpenAI {
  const url = o.baseUrl ?? baseUrl ?? undefined;
  return new OpenAI({ apiKey: o.apiKey, baseURL: url, maxRetries: 2, fetch: keyFetch('openai', url) });
}

const STATES: Record<string, BatchState> = {
  validating: 'pending',
  in_progress: 'running',
  finalizing: 'running',
  completed: 'completed',
  failed: 'failed',
  expired: 'expired',
  cancelling: 'cancelling',
  cancelled: 'cancelled',
};

/** The batch endpoint of a request: the Responses API for the models served only there (or when set), else Chat. */
function endpointOf(item: BatchItem): '/v1/responses' | '/v1/chat/completions' {
  return item.request.api === 'responses' ? '/v1/responses' : '/v1/chat/completions';
}

/** One line of the input file: the same body as a live request (Chat Completions or Responses), without streaming. */
export function batchLine(item: BatchItem): string {
  const url = endpointOf(item);
  const body: Record<string, unknown> = url === '/v1/responses' ? { ...responsesParams(item.request) } : { ...openAIParams(item.request) };
  delete body.stream;
  delete body.stream_options;
  return JSON.stringify({ custom_id: item.customId, method: 'POST', url, body });
}

interface ChatBody {
  choices?: { message?: { content?: string | null; refusal?: string | null }; finish_reason?: string }[];
  usage?: Parameters<typeof normalizeOpenAIUsage>[0];
}

interface ResponsesBody {
  object: 'response';
  status?: string | null;
  incomplete_details?: { reason?: string | null } | null;
  output?: { type?: string; content?: { type?: string; text?: string; refusal?: string }[] }[];
  usage?: Parameters<typeof normalizeResponsesUsage>[0];
}

interface OutputLine {
  custom_id?: string;
  response?: { status_code?: number; body?: ChatBody | ResponsesBody } | null;
  error?: { code?: string; message?: string } | null;
}

/** The answer, finish and usage of one successful body, from either API. */
function readBody(body: ChatBody | ResponsesBody): { text: string; finish: ReturnType<typeof mapFinish>; usage: Partial<Usage> } {
  if ('object' in body && body.object === 'response') {
    const parts = (body.output ?? []).flatMap((o) => (o.type === 'message' ? (o.content ?? []) : []));
    const text = parts.map((c) => (c.type === 'output_text' ? (c.text ?? '') : c.type === 'refusal' ? (c.refusal ?? '') : '')).join('');
    const refused = parts.some((c) => c.type === 'refusal');
    const finish = mapResponsesFinish(body.status, body.incomplete_details?.reason, text.length > 0);
    return { text, finish: refused && finish.reason === 'stop' ? { raw: 'completed:refusal', reason: 'content_filter', truncated: false } : finish, usage: normalizeResponsesUsage(body.usage) };
  }
  const chat = body as ChatBody;
  const choice = chat.choices?.[0];
  return { text: choice?.message?.content ?? choice?.message?.refusal ?? '', finish: mapFinish('openai', choice?.finish_reason ?? null), usage: chat.usage ? normalizeOpenAIUsage(chat.usage) : {} };
}

export function parseOutputLine(line: string): BatchItemResult | undefined {
  let x: OutputLine;
  try {
    x = JSON.parse(line) as OutputLine;
  } catch {
    return undefined;
  }
  const customId = typeof x.custom_id === 'string' ? x.custom_id : undefined;
  const status = x.response?.status_code ?? 0;
  const body = x.response?.body;
  if (x.error || status >= 400 || !body) {
    const message = x.error?.message ?? `status ${status}`;
    return { ...(customId ? { customId } : {}), ok: false, error: { kind: status === 429 ? 'rate_limit' : status >= 400 && status < 500 ? 'bad_request' : 'other', message: `OpenAI batch request failed: ${message}` } };
  }
  const { text, finish, usage: u } = readBody(body);
  return {
    ...(customId ? { customId } : {}),
    ok: true,
    text,
    finish,
    usage: completeUsage(u),
  };
}

async function status(c: OpenAI, b: OpenAI.Batches.Batch, handle: BatchHandle, signal?: AbortSignal): Promise<BatchStatus> {
  const state = STATES[b.status] ?? 'running';
  const s: BatchStatus = { state, raw: b.status };
  if (b.request_counts) s.counts = { total: b.request_counts.total, completed: b.request_counts.completed, failed: b.request_counts.failed };
  const notes = (b.errors?.data ?? []).map((e) => e.message).filter((m): m is string => !!m);
  if (state === 'completed' || state === 'failed' || state === 'expired' || state === 'cancelled') {
    // The output file, then the error file; each read within BATCH_RESULT_LIMITS.
    const out: BatchItemResult[] = [];
    const read: ResultsRead = { notes };
    for (const fileId of [b.output_file_id, b.error_file_id]) {
      if (fileId) await readResultFile(await c.files.content(fileId, { signal }), parseOutputLine, handle.customIds.length, out, read);
    }
    s.results = resultsOf(handle.customIds, out, read);
  }
  if (notes.length) s.message = notes.join('; ');
  return s;
}

/** @public required lazily by providers/batch/index.ts */
export const openAIBatch: BatchClient = {
  async submit(items, o) {
    const first = items[0];
    if (!first) throw new RangeError('a batch needs at least one request');
    // One endpoint per batch: the items of one job share their settings, so their API.
    if (items.some((i) => endpointOf(i) !== endpointOf(first))) throw new RangeError('a batch cannot mix the Chat Completions and Responses APIs');
    const c = client(o, first.request.baseUrl);
    try {
      const jsonl = items.map(batchLine).join('\n') + '\n';
      const file = await c.files.create({ file: await toFile(new TextEncoder().encode(jsonl), 'lengthwise-batch.jsonl', { type: 'application/jsonl' }), purpose: 'batch' }, { signal: o.signal });
      const b = await c.batches.create({ input_file_id: file.id, endpoint: endpointOf(first), completion_window: '24h' }, { signal: o.signal });
      return newHandle(first.request.provider, b.id, items);
    } catch (err) {
      throw new Error(toProviderError('openai', err, o.signal?.aborted ?? false, undefined, o.apiKey).message, { cause: err });
    }
  },
  async poll(handle, o) {
    const c = client(o, handle.baseUrl);
    return status(c, await c.batches.retrieve(handle.id, { signal: o.signal }), handle, o.signal);
  },
  async cancel(handle, o) {
    const c = client(o, handle.baseUrl);
    return status(c, await c.batches.cancel(handle.id, { signal: o.signal }), handle, o.signal);
  },
};
