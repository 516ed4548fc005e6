// A batch's results file (JSONL: one result a line), read as it streams in, within BATCH_RESULT_LIMITS: a line over
// the bound for one answer is not kept (only its start, to tell which request it answers), and reading stops at the
// file's bound (the body is cancelled, so the rest is never downloaded).
import { answerTooLarge, BATCH_RESULT_LIMITS, formatMB, resultFileBytes, withUnread, type BatchItemResult } from '../../core/generation/jobs/batch';

/** How much of a line over the bound is kept: enough for the custom_id at its start. */
const HEAD_BYTES = 4096;

interface ReadBounds {
  lineBytes: number;
  fileBytes: number;
}

/** A line over `lineBytes`: its first bytes and its length (as far as it was read). */
interface LongLine {
  head: string;
  bytes: number;
  /** Reading stopped inside it (at the file's bound): `bytes` is a lower bound. */
  cut: boolean;
}

/**
 * Calls `onLine` for every non-empty line of the body, in order, and `onLong` for a line over `bounds.lineBytes`.
 * Resolves with the bytes read and whether reading stopped at `bounds.fileBytes` (a line cut there is dropped).
 */
async function readResultLines(res: Response, onLine: (line: string) => void, bounds: ReadBounds, onLong: (line: LongLine) => void): Promise<{ bytes: number; stopped: boolean }> {
  if (!res.body) return { bytes: 0, stopped: false };
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let parts: Uint8Array[] = [];
  let lineBytes = 0;
  let head: Uint8Array | undefined; // set once the line is over the bound: from then on only counted
  let total = 0;
  let stopped = false;
  const append = (piece: Uint8Array) => {
    lineBytes += piece.length;
    if (head) return;
    parts.push(piece);
    if (lineBytes > bounds.lineBytes) {
      head = join(parts, HEAD_BYTES);
      parts = [];
    }
  };
  const endLine = (cut: boolean) => {
    if (head) onLong({ head: decoder.decode(head), bytes: lineBytes, cut });
    else if (!cut && lineBytes > 0) {
      const line = decoder.decode(join(parts, lineBytes));
      if (line.trim()) onLine(line);
    }
    parts = [];
    lineBytes = 0;
    head = undefined;
  };
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    let chunk = value;
    if (total + chunk.length > bounds.fileBytes) {
      chunk = chunk.subarray(0, bounds.fileBytes - total);
      stopped = true;
    }
    total += chunk.length;
    let from = 0;
    for (let nl = chunk.indexOf(0x0a); nl >= 0; nl = chunk.indexOf(0x0a, from)) {
      append(chunk.subarray(from, nl));
      endLine(false);
      from = nl + 1;
    }
    if (from < chunk.length) append(chunk.subarray(from));
    if (stopped) {
      // The rest is never downloaded: the connection closes.
      await reader.cancel().catch(() => undefined);
      break;
    }
  }
  endLine(stopped);
  return { bytes: total, stopped };
}

/** The first `max` bytes of `parts` as one array. */
function join(parts: readonly Uint8Array[], max: number): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(Math.min(n, max));
  let at = 0;
  for (const p of parts) {
    if (at >= out.length) break;
    const take = p.subarray(0, out.length - at);
    out.set(take, at);
    at += take.length;
  }
  return out;
}

/** The custom_id a result line starts with (ours are [A-Za-z0-9_-]{1,64}), read from a bounded head. */
export function customIdIn(head: string): string | undefined {
  return /"custom_id"\s*:\s*"([A-Za-z0-9_-]{1,64})"/.exec(head)?.[1];
}

/** What reading the results files of one batch found besides the results: for the status and the unread requests. */
export interface ResultsRead {
  /** For the batch's status message: how much was read where reading stopped. */
  notes: string[];
  /** Why the requests without a result were not read; undefined when every result was read. */
  unread?: string;
}

/**
 * Reads one results file of a batch of `requests` requests into `out` (parse: a line's result, or undefined to
 * skip it), within BATCH_RESULT_LIMITS. A result over the bound for one answer becomes a failed item for its
 * request; when reading stops at the file's bound, `read.unread` says why the rest has no result.
 */
export async function readResultFile(res: Response, parse: (line: string) => BatchItemResult | undefined, requests: number, out: BatchItemResult[], read: ResultsRead): Promise<void> {
  const bounds = { lineBytes: BATCH_RESULT_LIMITS.answerBytes, fileBytes: resultFileBytes(requests) };
  const r = await readResultLines(
    res,
    (line) => {
      const item = parse(line);
      if (item) out.push(item);
    },
    bounds,
    (long) => {
      const customId = customIdIn(long.head);
      const message = answerTooLarge(long.bytes, long.cut);
      if (customId) out.push({ customId, ok: false, unread: true, error: { kind: 'other', message } });
      else read.unread ??= `not read: a result in the file was over the ${formatMB(bounds.lineBytes)} Lengthwise reads for one answer and did not say which request it answers`;
    },
  );
  if (r.stopped) {
    const why = `the results file passed the ${formatMB(bounds.fileBytes)} Lengthwise reads for a batch of ${requests} request${requests === 1 ? '' : 's'}`;
    read.notes.push(`Lengthwise read ${formatMB(r.bytes)} of the results file and stopped: ${why}; the requests it did not reach are marked where their answers would land.`);
    read.unread = `not read: ${why}`;
  }
}

/** The results, with the requests a bounded read did not reach named (see withUnread). */
export function resultsOf(customIds: readonly string[], out: BatchItemResult[], read: ResultsRead): BatchItemResult[] {
  return read.unread ? withUnread(customIds, out, read.unread) : out;
}

/** A body that passed the bound of a cappedFetch (its reading stopped there; the connection is closed). */
export class BodyTooLarge extends Error {
  constructor(
    readonly bytes: number,
    readonly bound: number,
  ) {
    super(`the answer passed the ${formatMB(bound)} Lengthwise reads (${formatMB(bytes)} read)`);
    this.name = 'BodyTooLarge';
  }
}

/**
 * `fetch` whose response bodies end with a BodyTooLarge error once they pass `maxBytes` (or say in Content-Length
 * that they will): for answers an SDK reads whole (Gemini's batches.get carries every answer of a batch).
 */
export function cappedFetch(inner: typeof fetch, maxBytes: number): typeof fetch {
  return async (input, init) => {
    const res = await inner(input, init);
    if (!res.body) return res;
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (declared > maxBytes) {
      await res.body.cancel().catch(() => undefined);
      throw new BodyTooLarge(declared, maxBytes);
    }
    const reader = res.body.getReader();
    let seen = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(ctrl) {
        const r = await reader.read();
        if (r.done) return ctrl.close();
        seen += r.value.length;
        if (seen > maxBytes) {
          await reader.cancel().catch(() => undefined);
          ctrl.error(new BodyTooLarge(seen - r.value.length, maxBytes));
          return;
        }
        ctrl.enqueue(r.value);
      },
      cancel: (reason) => reader.cancel(reason),
    });
    return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
}

/** The BodyTooLarge in an error or its causes (an SDK may wrap what the body's reading threw). */
export function bodyTooLarge(e: unknown): BodyTooLarge | undefined {
  for (let x = e, depth = 0; x && depth < 5; x = (x as { cause?: unknown }).cause, depth++) if (x instanceof BodyTooLarge) return x;
  return undefined;
}

/** UTF-8 length of `s` (an answer's size as it came over the wire, without encoding it). */
export function utf8Bytes(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
