// A trial of a preset on examples (Try Preset), as it is kept in the workspace's state: what was tried (preset,
// provider, model, cap, live or batch) and, per example, every attempt's figures. Numbers, names and paths only:
// never the examples' text or the answers (those stay in memory for the session that ran them).
import { isPlainObject } from '../../protocol/guards';
import { PROVIDERS, type ProviderId, type UsageSource } from '../../protocol/request';
import { MAX_JOB_REQUESTS } from '../jobs/consent';

export type TrialMode = 'live' | 'batch';
/** running: requests under way; pending: a batch at the provider; cancelled: stopped early (finished examples kept). */
export type TrialState = 'running' | 'pending' | 'done' | 'cancelled';

/** One request of an example (the first run, or a run again with a higher cap). */
export interface TrialAttempt {
  /** The cap that was sent (after clamping to the model). */
  maxTokens: number;
  inputTokens: number;
  outputTokens: number;
  finish: { raw: string; reason: string; truncated: boolean };
  /** What this attempt cost, a retry after a failure included; null = price unknown (never $0). */
  costUsd: number | null;
  /** provider: reported; model: VS Code's model's own count; estimate: counted here. */
  usageSource: UsageSource;
  durationMs: number;
  batch?: true;
  /** Why there is no answer (the error, or "cancelled"). */
  error?: string;
}

export interface TrialExampleRecord {
  /** The file's path (relative to the workspace where it can be), or "selection 2 (notes.md:14)". */
  name: string;
  /** The file's URI (a run again or a comparison reads it again); absent for a selection. */
  uri?: string;
  attempts: TrialAttempt[];
}

export interface TrialRecord {
  v: 1;
  id: string;
  /** ISO time the trial started. */
  time: string;
  workspace: string;
  /** The preset's name; '' = the settings without a preset. */
  preset: string;
  /** A model other than the preset's (a comparison of two models on the same preset). */
  model?: string;
  provider: ProviderId;
  /** The model the requests went to. */
  sentModel: string;
  /** The max tokens the preset (or the settings) gives, before any clamping. */
  maxTokens: number;
  mode: TrialMode;
  state: TrialState;
  /** The batch's job id while its results are out. */
  batchJobId?: string;
  /** The trial this one was run to compare with (the same examples, another preset or model). */
  comparedWith?: string;
  /** A recommendation written into the settings: the value and where. */
  applied?: { maxTokens: number; where: string };
  examples: TrialExampleRecord[];
}

/** Trials kept per workspace (the oldest go first); a trial's examples and an example's attempts are bounded too. */
export const TRIAL_LIMITS = Object.freeze({ trials: 20, examples: MAX_JOB_REQUESTS, attempts: 6, nameChars: 1_000 });

const answered = (a: TrialAttempt) => a.error === undefined && a.finish.reason !== 'cancelled' && a.finish.reason !== 'error';

/**
 * The attempt an example's figures are read from: its latest answer (a run again that was cancelled or failed
 * leaves the answer before it standing), else its latest attempt; undefined = never sent.
 */
export function current(e: TrialExampleRecord): TrialAttempt | undefined {
  for (let i = e.attempts.length - 1; i >= 0; i--) if (answered(e.attempts[i]!)) return e.attempts[i];
  return e.attempts[e.attempts.length - 1];
}

const isStr = (x: unknown, max: number = TRIAL_LIMITS.nameChars): x is string => typeof x === 'string' && x.length <= max;
const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x >= 0;
const isCost = (x: unknown): x is number | null => x === null || isCount(x);
const STATES: readonly TrialState[] = ['running', 'pending', 'done', 'cancelled'];

function parseAttempt(x: unknown): TrialAttempt | undefined {
  if (!isPlainObject(x) || !isCount(x.maxTokens) || !isCount(x.inputTokens) || !isCount(x.outputTokens) || !isCost(x.costUsd) || !isCount(x.durationMs)) return undefined;
  const f = x.finish;
  if (!isPlainObject(f) || !isStr(f.raw, 200) || !isStr(f.reason, 200) || typeof f.truncated !== 'boolean') return undefined;
  if (x.usageSource !== 'provider' && x.usageSource !== 'model' && x.usageSource !== 'estimate') return undefined;
  const a: TrialAttempt = { maxTokens: x.maxTokens, inputTokens: x.inputTokens, outputTokens: x.outputTokens, finish: { raw: f.raw, reason: f.reason, truncated: f.truncated }, costUsd: x.costUsd, usageSource: x.usageSource, durationMs: x.durationMs };
  if (x.batch === true) a.batch = true;
  if (isStr(x.error)) a.error = x.error;
  return a;
}

function parseExample(x: unknown): TrialExampleRecord | undefined {
  if (!isPlainObject(x) || !isStr(x.name) || !Array.isArray(x.attempts) || x.attempts.length > TRIAL_LIMITS.attempts) return undefined;
  const attempts = x.attempts.map(parseAttempt);
  if (attempts.some((a) => a === undefined)) return undefined;
  const e: TrialExampleRecord = { name: x.name, attempts: attempts as TrialAttempt[] };
  if (isStr(x.uri, 4_000)) e.uri = x.uri;
  return e;
}

/** A trial read back from storage, every field checked; a damaged one is dropped, not guessed. */
export function parseTrial(x: unknown): TrialRecord | undefined {
  if (!isPlainObject(x) || x.v !== 1 || !isStr(x.id, 100) || !isStr(x.time, 40) || !isStr(x.workspace, 4_000) || !isStr(x.preset) || !isStr(x.sentModel)) return undefined;
  if (!(PROVIDERS as readonly string[]).includes(x.provider as string) || !isCount(x.maxTokens)) return undefined;
  if ((x.mode !== 'live' && x.mode !== 'batch') || !STATES.includes(x.state as TrialState)) return undefined;
  if (!Array.isArray(x.examples) || x.examples.length > TRIAL_LIMITS.examples) return undefined;
  const examples = x.examples.map(parseExample);
  if (examples.some((e) => e === undefined)) return undefined;
  const t: TrialRecord = {
    v: 1,
    id: x.id,
    time: x.time,
    workspace: x.workspace,
    preset: x.preset,
    provider: x.provider as ProviderId,
    sentModel: x.sentModel,
    maxTokens: x.maxTokens,
    mode: x.mode,
    state: x.state as TrialState,
    examples: examples as TrialExampleRecord[],
  };
  if (isStr(x.model)) t.model = x.model;
  if (isStr(x.batchJobId, 100)) t.batchJobId = x.batchJobId;
  if (isStr(x.comparedWith, 100)) t.comparedWith = x.comparedWith;
  if (isPlainObject(x.applied) && isCount(x.applied.maxTokens) && isStr(x.applied.where)) t.applied = { maxTokens: x.applied.maxTokens, where: x.applied.where };
  return t;
}

/** The stored list, newest last, at most TRIAL_LIMITS.trials. */
export function parseTrialList(x: unknown): TrialRecord[] {
  if (!Array.isArray(x)) return [];
  return x
    .slice(-TRIAL_LIMITS.trials)
    .map(parseTrial)
    .filter((t): t is TrialRecord => t !== undefined);
}
