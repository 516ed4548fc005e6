// Runs the requests of a live job with a concurrency limit. Finished parts are never lost: a failed part is retried
// (after the SDK's own retries, which already honour 429 Retry-After) and then reported, a cancel stops starting
// new parts and lets the running ones end as cancelled. Results come back in part order whatever order they finish in.
import type { ProviderError } from '../../protocol/request';

const DEFAULT_JOB_CONCURRENCY = 2;

interface PartOutcome<T> {
  value: T;
  /** A failed part (the value still holds what arrived). */
  error?: ProviderError;
}

export interface JobProgress {
  done: number;
  total: number;
  failed: number;
}

export interface RunJobOptions<P, T> {
  parts: readonly P[];
  run(part: P, index: number, attempt: number, signal: AbortSignal): Promise<PartOutcome<T>>;
  concurrency?: number;
  /** Extra attempts for a failed part (not for a cancelled one). */
  retries?: number;
  signal?: AbortSignal;
  onProgress?(p: JobProgress): void;
  /** A part ended (after its last attempt). */
  onPart?(index: number, outcome: PartOutcome<T>): void;
}

export interface JobRun<T> {
  /** In part order; undefined for parts never started (cancelled before their turn). */
  outcomes: (PartOutcome<T> | undefined)[];
  cancelled: boolean;
  failed: number[];
}

export async function runJob<P, T>(o: RunJobOptions<P, T>): Promise<JobRun<T>> {
  const total = o.parts.length;
  const outcomes: (PartOutcome<T> | undefined)[] = new Array(total).fill(undefined);
  const limit = Math.max(1, Math.floor(o.concurrency ?? DEFAULT_JOB_CONCURRENCY));
  const retries = Math.max(0, o.retries ?? 1);
  const inner = new AbortController();
  const onAbort = () => inner.abort();
  if (o.signal?.aborted) inner.abort();
  else o.signal?.addEventListener('abort', onAbort, { once: true });
  let next = 0;
  let done = 0;
  const failed: number[] = [];

  const worker = async () => {
    while (!inner.signal.aborted && next < total) {
      const i = next++;
      let outcome: PartOutcome<T> | undefined;
      for (let attempt = 0; attempt <= retries; attempt++) {
        if (attempt > 0 && inner.signal.aborted) break;
        outcome = await o.run(o.parts[i]!, i, attempt, inner.signal);
        if (!outcome.error || outcome.error.kind === 'cancelled' || inner.signal.aborted) break;
        if (outcome.error.kind === 'auth' || outcome.error.kind === 'bad_request' || outcome.error.kind === 'context_length') break; // retrying cannot help
      }
      outcomes[i] = outcome;
      done++;
      if (outcome?.error && outcome.error.kind !== 'cancelled') failed.push(i);
      if (outcome) o.onPart?.(i, outcome);
      o.onProgress?.({ done, total, failed: failed.length });
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(limit, total) }, worker));
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
  }
  return { outcomes, cancelled: inner.signal.aborted, failed: failed.sort((a, b) => a - b) };
}

/**
 * What goes before the answer of part `index` of `total` in the document: nothing for a lone answer, else a visible
 * separator ("───── part 3/7 ─────"), without blank lines before the first.
 */
export function separatorBefore(index: number, total: number): string {
  if (total <= 1) return '';
  const sep = `\n\n───── part ${index + 1}/${total} ─────\n\n`;
  return index === 0 ? sep.trimStart() : sep;
}
