// A job run live, request by request through the adapter: chunks (each part answered with the user's instructions,
// answers delivered in part order) or summarize-first (map, reduce levels, final answer streamed). Every request
// goes through runRound, so the meter, the ledger (one record per request, linked by the job id) and errors are
// the same as for a single Send. A part the server refuses for length before any text is cut smaller and its
// pieces sent instead, once (fitParts.ts resplitSize): its answer is the pieces' answers in order.
import { countedPlanSync } from '../countedPlan';
import { planRequest } from '../plan';
import { runRound, type RoundDeps, type RoundResult } from '../pipeline';
import { addRound, type ChainTotals } from '../continuation';
import type { LengthwiseSettings } from '../../settings/settings';
import type { Finish, GenerationRequest, ProviderError, Usage } from '../../protocol/request';
import { runJob, type JobProgress } from './runJob';
import type { JobStrategy } from './jobPlan';
import { splitTextAsync, type TextPart } from './split';
import type { CostSource } from '../../pricing/reported';
import type { DiscoveredLimits } from '../../models/discovery';
import { addUsd } from '../../pricing/money';
import { finalSystem, joinSummaries, mapSystem, reduceSystem } from './prompts';
import { resplitSize } from './fitParts';

interface PlannedPart {
  request: GenerationRequest;
  inputTokens: number;
  inputExact: boolean;
}

/**
 * A request of the job, planned (validated, clamped) like a single Send with its own prompt, system prompt and cap.
 * `known`: its input tokens as the server's own tokenizer counted them (then exact); `discovered`: the limits the
 * server reported, which clamp its max tokens as they clamp a single Send's.
 */
export function planPartRequest(
  settings: LengthwiseSettings,
  prompt: string,
  system: string,
  maxTokens: number,
  count: (t: string) => number,
  exact: boolean,
  known?: number,
  discovered?: DiscoveredLimits,
): PlannedPart | { error: string } {
  if (known !== undefined) {
    // The server counted this part's request itself: exact for it.
    const plan = planRequest({ settings: { ...settings, systemPrompt: system, maxTokens }, prompt, inputTokens: known, inputTokensExact: true, discovered });
    if (!plan.request) return { error: plan.errors.map((e) => e.message).join(' ') || 'the request could not be built' };
    return { request: plan.request, inputTokens: known, inputExact: true };
  }
  // Counted as a single Send counts its input (core/generation/countedPlan.ts): the system prompt as sent, length
  // hint included, the prompt and the provider's message framing.
  const { plan, inputTokens } = countedPlanSync({ settings: { ...settings, systemPrompt: system, maxTokens }, prompt, inputTokensExact: exact, discovered }, count(prompt), count);
  if (!plan.request) return { error: plan.errors.map((e) => e.message).join(' ') || 'the request could not be built' };
  return { request: plan.request, inputTokens, inputExact: exact };
}

export interface PartResult {
  index: number;
  text: string;
  finish: Finish;
  usage: Usage;
  costUsd: number | null;
  error?: ProviderError;
  ledgerId: string;
  /** The request as sent (for a Continue of a truncated part). */
  request: GenerationRequest;
}

export interface LiveJobOptions {
  strategy: JobStrategy;
  jobId: string;
  parts: readonly TextPart[];
  settings: LengthwiseSettings;
  count(t: string): number;
  countExact: boolean;
  deps: Omit<RoundDeps, 'onText' | 'signal'>;
  signal?: AbortSignal;
  concurrency?: number;
  /** Input room of one request (inputRoom().tokens): summaries are merged until they fit it. */
  maxInputTokens: number;
  /** Limits the server reported: every request is clamped to them, as a single Send is. */
  discovered?: DiscoveredLimits;
  /** Exact input tokens of each part's request (the server's own count, prompt overhead included), by part index. */
  partInputTokens?: readonly (number | undefined)[];
  /** Cut a part the server refuses for length into smaller pieces once (`code`: prefer cuts between blocks). */
  resplit?: { code: boolean };
  /** "chunk 7/12", "summary 3/12", "answer": for the progress notification. */
  onProgress?(p: JobProgress & { stage: string; /** Spend so far; null once any request's price is unknown. */ costUsd: number | null }): void;
  /** chunks: a part's answer, called in part order (a later part that finishes first waits for the earlier ones). */
  onAnswer?(r: PartResult): void;
  /** summarizeFirst: the final answer as it streams. */
  onFinalText?(delta: string): void;
}

export interface LiveJobResult {
  jobId: string;
  strategy: JobStrategy;
  /** chunks: one per part (undefined = never started, after a cancel); summarizeFirst: the final answer alone. */
  answers: (PartResult | undefined)[];
  /** summarizeFirst: every summary, level by level (kept for the user to open). */
  summaries: { level: number; texts: (string | undefined)[] }[];
  requests: number;
  usage: Usage;
  costUsd: number | null;
  /** Where the summed cost comes from: the least trusted source among the requests (a gateway's report, lengthwise.pricing, the table). */
  costSource: CostSource | null;
  cancelled: boolean;
  /** Parts (or summary requests) that failed after their retries. */
  failed: { stage: string; index: number; error: ProviderError }[];
  /** Parts the server refused for length, cut smaller and sent again as this many pieces. */
  resplit: { index: number; pieces: number }[];
  error?: string;
}

const ZERO: Usage = { inputTokens: 0, outputTokens: 0 };

/** One request's prompt and system prompt; `tokens`: its input as the server counted it, when known. */
type Prompt = { prompt: string; system: string; tokens?: number };

/** What one request of a stage came to, for runJob. */
type Outcome = { value: PartResult | undefined; error?: ProviderError };

/** One job's run: its requests, their tally and what it returns. */
class LiveJob {
  readonly res: LiveJobResult;
  private partSeq = 0;
  private spent: number | null = 0;
  private tally: ChainTotals | undefined;

  constructor(private readonly o: LiveJobOptions) {
    this.res = { jobId: o.jobId, strategy: o.strategy, answers: [], summaries: [], requests: 0, usage: { ...ZERO }, costUsd: 0, costSource: null, cancelled: false, failed: [], resplit: [] };
  }

  /** One request of the job, on part number `part` (the ledger's `part`), counted into the job's tally. */
  private async send(p: Prompt, maxTokens: number, signal: AbortSignal, onText: (d: string) => void, part: number) {
    const o = this.o;
    const planned = planPartRequest(o.settings, p.prompt, p.system, maxTokens, o.count, o.countExact, p.tokens, o.discovered);
    if ('error' in planned) return { planned: undefined, error: planned.error } as const;
    const r: RoundResult = await runRound(planned.request, { inputTokens: planned.inputTokens, inputExact: planned.inputExact, jobId: o.jobId, part }, { ...o.deps, signal, onText });
    this.tally = addRound(this.tally, r);
    const res = this.res;
    res.requests = this.tally.rounds;
    res.usage = this.tally.usage;
    this.spent = res.costUsd = this.tally.costUsd;
    res.costSource = this.tally.costSource ?? null;
    return { planned, r } as const;
  }

  /** A stage of requests run a few at a time ("chunk", "summary", "merge"); `deliver` gets the results in order. */
  async stage(name: string, prompts: Prompt[], maxTokens: number, deliver?: (r: PartResult) => void): Promise<(PartResult | undefined)[]> {
    const base = this.partSeq;
    this.partSeq += prompts.length;
    const run = await runJob<Prompt, PartResult | undefined>({
      parts: prompts,
      concurrency: this.o.concurrency,
      signal: this.o.signal,
      onProgress: (p) => this.o.onProgress?.({ ...p, costUsd: this.spent, stage: `${name} ${p.done}/${p.total}` }),
      run: async (p, i, _attempt, signal): Promise<Outcome> => {
        const s = await this.send(p, maxTokens, signal, () => undefined, base + i);
        if (!s.planned) return { value: undefined, error: { kind: 'bad_request', message: s.error } };
        // Parts of the user's input (not summaries): one that did not fit the server is cut smaller, once.
        if (name !== 'merge' && s.r.error?.kind === 'context_length' && s.r.text === '' && this.o.resplit) {
          const again = await this.resplit(p, s.planned, s.r.error, maxTokens, signal, base + i, i);
          if (again) return again;
        }
        const value = partResult(i, s.r, s.planned.request);
        return s.r.error ? { value, error: s.r.error } : { value };
      },
      onPart: deliver ? inOrder<PartResult | undefined>(prompts.length, (_i, out) => out && deliver(out)) : undefined,
    });
    run.failed.forEach((i) => {
      const e = run.outcomes[i]?.error;
      if (e) this.res.failed.push({ stage: name, index: i, error: e });
    });
    if (run.cancelled) this.res.cancelled = true;
    return run.outcomes.map((x) => x?.value);
  }

  /**
   * A part the server refused for length, cut to the size its figures allow (resplitSize) and sent piece by piece;
   * undefined when cutting cannot help (the refusal then stands). The pieces' answers join in order into the part's.
   */
  private async resplit(p: Prompt, planned: PlannedPart, refusal: ProviderError, maxTokens: number, signal: AbortSignal, part: number, index: number): Promise<Outcome | undefined> {
    const o = this.o;
    const textTokens = o.count(p.prompt);
    const size = resplitSize({ textTokens, inputTokens: planned.inputTokens, maxTokens: planned.request.maxTokens, context: refusal.context });
    if (size === undefined) return undefined;
    const pieces = await splitTextAsync(p.prompt, { maxTokens: size, count: o.count, code: o.resplit?.code, maxParts: 64 }).catch(() => undefined);
    if (!pieces || pieces.length < 2) return undefined;
    this.res.resplit.push({ index, pieces: pieces.length });
    let joined: PartResult | undefined;
    for (const piece of pieces) {
      if (signal.aborted) break;
      const s = await this.send({ prompt: piece.text, system: p.system }, maxTokens, signal, () => undefined, part);
      if (!s.planned) return { value: joined, error: { kind: 'bad_request', message: s.error } };
      const r = partResult(index, s.r, s.planned.request);
      joined = joined ? joinPieces(joined, r) : r;
      if (r.error) return { value: joined, error: r.error };
    }
    return joined ? { value: joined } : undefined;
  }

  /** summarizeFirst: map every part, then merge groups of summaries until they fit one request; undefined = stopped. */
  async summaries(): Promise<string[] | undefined> {
    const { o, res } = this;
    const budget = o.settings['chunking.summaryTokens'];
    const userSystem = o.settings.systemPrompt;
    const texts = (rs: (PartResult | undefined)[]) => rs.map((r) => (r && !r.error ? r.text : undefined));
    let level = 0;
    let summaries = texts(await this.stage('summary', o.parts.map((p, i) => ({ prompt: p.text, system: mapSystem(userSystem, i, o.parts.length, budget) })), budget));
    res.summaries.push({ level, texts: summaries });
    const room = (g: string[]) => o.count(joinSummaries(g)) + o.count(finalSystem(userSystem, g.length));
    for (;;) {
      if (res.cancelled || summaries.some((s) => s === undefined)) {
        res.error = res.cancelled ? 'cancelled' : 'a summary failed; the final answer was not requested';
        return undefined;
      }
      const done = summaries as string[];
      const groups = groupToFit(done, room, o.maxInputTokens);
      if (groups.length <= 1) return done;
      level++;
      summaries = texts(await this.stage('merge', groups.map((g) => ({ prompt: joinSummaries(g), system: reduceSystem(userSystem, budget) })), budget));
      res.summaries.push({ level, texts: summaries });
      if (summaries.length >= done.length) {
        res.error = 'the summaries do not get shorter; lower lengthwise.chunking.summaryTokens';
        return undefined;
      }
    }
  }

  /** summarizeFirst's last request: the answer over the summaries, streamed. */
  async answer(texts: string[]): Promise<void> {
    const { o, res } = this;
    o.onProgress?.({ done: 0, total: 1, failed: 0, costUsd: this.spent, stage: 'answer' });
    const ctl = new AbortController();
    const onAbort = () => ctl.abort();
    if (o.signal?.aborted) ctl.abort();
    else o.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const s = await this.send({ prompt: joinSummaries(texts), system: finalSystem(o.settings.systemPrompt, texts.length) }, o.settings.maxTokens, ctl.signal, (d) => o.onFinalText?.(d), this.partSeq++);
      if (!s.planned) {
        res.error = s.error;
        return;
      }
      const final = partResult(0, s.r, s.planned.request);
      if (s.r.error) {
        if (s.r.error.kind === 'cancelled') res.cancelled = true;
        else res.failed.push({ stage: 'answer', index: 0, error: s.r.error });
      }
      res.answers = [final];
    } finally {
      o.signal?.removeEventListener('abort', onAbort);
    }
  }
}

/** A re-cut part's answer so far and its next piece's: texts in order, usage and cost summed, the last finish. */
function joinPieces(a: PartResult, b: PartResult): PartResult {
  const usage: Usage = { inputTokens: a.usage.inputTokens + b.usage.inputTokens, outputTokens: a.usage.outputTokens + b.usage.outputTokens };
  const out: PartResult = { ...b, text: b.text ? `${a.text}\n\n${b.text}` : a.text, usage, costUsd: addUsd(a.costUsd, b.costUsd), ledgerId: a.ledgerId };
  if (!b.error) delete out.error;
  return out;
}

function partResult(index: number, r: RoundResult, request: GenerationRequest): PartResult {
  const value: PartResult = { index, text: r.text, finish: r.finish, usage: r.usage, costUsd: r.costUsd, ledgerId: r.ledgerId, request };
  if (r.error) value.error = r.error;
  return value;
}

export async function runLiveJob(o: LiveJobOptions): Promise<LiveJobResult> {
  const job = new LiveJob(o);
  if (o.strategy === 'chunks') {
    job.res.answers = await job.stage('chunk', o.parts.map((p, i) => ({ prompt: p.text, system: o.settings.systemPrompt, tokens: o.partInputTokens?.[i] })), o.settings.maxTokens, (r) => o.onAnswer?.(r));
    return job.res;
  }
  const summaries = await job.summaries();
  if (summaries) await job.answer(summaries);
  return job.res;
}

/** Consecutive groups whose joined size (by `size`) fits `limit`; one group when everything fits. */
function groupToFit(texts: string[], size: (g: string[]) => number, limit: number): string[][] {
  if (size(texts) <= limit) return [texts];
  const groups: string[][] = [];
  let cur: string[] = [];
  for (const t of texts) {
    if (cur.length > 0 && size([...cur, t]) > limit) {
      groups.push(cur);
      cur = [];
    }
    cur.push(t);
  }
  if (cur.length) groups.push(cur);
  return groups;
}

/** Calls `f` for index 0, 1, 2 … in order, holding back results that arrive early. */
function inOrder<T>(total: number, f: (i: number, v: T | undefined) => void): (i: number, outcome: { value: T }) => void {
  const held = new Map<number, T | undefined>();
  let next = 0;
  return (i, outcome) => {
    held.set(i, outcome.value);
    while (next < total && held.has(next)) {
      f(next, held.get(next));
      held.delete(next);
      next++;
    }
  };
}
