// A trial run live: the examples' requests a few at a time (runJob: the concurrency limit, a retry after a failure,
// cancel), each through runRound, so the meter, the ledger (one record a request, tagged as a trial and linked by
// the job id) and the errors are the same as a Send's. A cancel stops starting examples and ends the running ones
// as cancelled with what they spent; finished examples are kept.
import { addUsd } from '../../pricing/money';
import type { Finish } from '../../protocol/request';
import { runJob, type JobProgress } from '../jobs/runJob';
import { runRound, type RoundDeps, type RoundResult } from '../pipeline';
import type { PlannedExample } from './plan';
import type { TrialAttempt } from './record';

export interface TrialRunOptions {
  jobId: string;
  /** The requests to send, with the example each belongs to (a run again sends only the cut ones). */
  requests: readonly { example: number; planned: PlannedExample }[];
  deps: Omit<RoundDeps, 'onText' | 'signal'>;
  signal?: AbortSignal;
  concurrency?: number;
  onProgress?(p: JobProgress & { /** Spend so far; null once any request's price is unknown. */ costUsd: number | null }): void;
  /** A request has ended (a failed one that is tried again too): its figures are in the ledger. */
  onRequest?(r: RoundResult): void;
  /** An example's request has ended (after its retry): its attempt and its answer. */
  onExample?(example: number, attempt: TrialAttempt, text: string): void;
}

export interface TrialRun {
  /** One per request, in the order given; undefined = never started (cancelled before its turn). */
  attempts: (TrialAttempt | undefined)[];
  texts: (string | undefined)[];
  cancelled: boolean;
  /** Requests sent (retries included), and what they cost together; null = some price unknown. */
  requests: number;
  costUsd: number | null;
}

const CANCELLED: Finish = { raw: 'cancelled', reason: 'cancelled', truncated: false };

/** The figures of an example's last request, with the spend of every request made for it (`spent`, `tookMs`). */
export function attemptOf(r: RoundResult, maxTokens: number, spent: number | null, tookMs: number): TrialAttempt {
  const finish = r.error?.kind === 'cancelled' ? CANCELLED : { raw: r.finish.raw, reason: r.finish.reason, truncated: r.finish.truncated };
  const a: TrialAttempt = {
    maxTokens,
    inputTokens: r.usage.inputTokens,
    outputTokens: r.usage.outputTokens,
    finish,
    costUsd: spent,
    usageSource: r.usageSource,
    durationMs: tookMs,
  };
  if (r.error) a.error = r.error.kind === 'cancelled' ? 'cancelled' : r.error.message;
  return a;
}

export async function runTrialLive(o: TrialRunOptions): Promise<TrialRun> {
  const n = o.requests.length;
  const attempts: (TrialAttempt | undefined)[] = new Array(n).fill(undefined);
  const texts: (string | undefined)[] = new Array(n).fill(undefined);
  const spent: (number | null)[] = new Array(n).fill(0);
  const took: number[] = new Array(n).fill(0);
  let requests = 0;
  let total: number | null = 0;
  const run = await runJob<{ example: number; planned: PlannedExample }, RoundResult>({
    parts: o.requests,
    concurrency: o.concurrency,
    signal: o.signal,
    onProgress: (p) => o.onProgress?.({ ...p, costUsd: total }),
    run: async (part, i, _attempt, signal) => {
      const { request, inputTokens, inputExact } = part.planned;
      const r = await runRound(request, { inputTokens, inputExact, jobId: o.jobId, part: part.example + 1, trial: true }, { ...o.deps, signal, onText: () => undefined });
      // Every request counts, a failed one that is tried again too: it is in the ledger as well.
      requests++;
      total = addUsd(total, r.costUsd);
      o.onRequest?.(r);
      spent[i] = addUsd(spent[i] as number | null, r.costUsd);
      took[i] = (took[i] ?? 0) + r.durationMs;
      return r.error ? { value: r, error: r.error } : { value: r };
    },
    onPart: (i, outcome) => {
      const part = o.requests[i]!;
      const a = attemptOf(outcome.value, part.planned.request.maxTokens, spent[i] as number | null, took[i] ?? 0);
      attempts[i] = a;
      texts[i] = outcome.value.text;
      o.onExample?.(part.example, a, outcome.value.text);
    },
  });
  return { attempts, texts, cancelled: run.cancelled, requests, costUsd: total };
}
