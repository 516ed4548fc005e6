// The report of a trial (Try Preset): per example its output tokens, finish, cost and time; the share cut at max
// tokens; the length distribution; the total cost; and the max tokens the answers call for. The rule: the longest
// complete answer (the 95th percentile from 20 answers up) plus the dashboard's buffer (lengths.ts RULE.buffer,
// 20%), rounded up to two significant digits. A cut answer's true length is unknown, so nothing is recommended from
// it: when the figure the rule needs could be a cut answer's, the report says so and offers to run the cut ones
// again with a higher cap. Also the command's return value for scripts (trialResult) and two trials side by side.
import { plural } from '../protocol/plural';
import { formatUsd } from '../pricing/money';
import { MAX_TOKENS_LIMIT } from '../settings/settings';
import { current, type TrialExampleRecord, type TrialMode, type TrialRecord, type TrialState } from '../generation/trial/record';
import { histogram, niceCeil, percentile, RULE, type HistogramBin } from './lengths';

/** The rule's figures (shown with the report). */
export const TRIAL_RULE = Object.freeze({ percentile: 95, buffer: RULE.buffer, rerunFactor: 2 });

export type ExampleStatus = 'complete' | 'cut' | 'failed' | 'cancelled' | 'not run' | 'pending';

export interface TrialExampleRow {
  file: string;
  status: ExampleStatus;
  /** The figures of its latest answer (record.ts current()); null = never sent. */
  outputTokens: number | null;
  finish: { raw: string; reason: string; truncated: boolean } | null;
  maxTokens: number | null;
  /** Every attempt's cost together; null = some price unknown. 0 = nothing was sent. */
  costUsd: number | null;
  durationMs: number;
  attempts: number;
  /** The output was counted locally (no usage from the provider). */
  estimated: boolean;
  error?: string;
}

export interface TrialRecommendation {
  maxTokens: number | null;
  /** The answer length it rests on, and which: the longest complete answer, or the 95th percentile. */
  basis: { tokens: number; kind: 'longest' | 'p95'; rank: number; of: number } | null;
  text: string;
  /** The offer when answers were cut: run these examples (indexes) again at this cap. */
  rerun: { examples: number[]; maxTokens: number } | null;
}

export interface TrialReport {
  id: string;
  time: string;
  /** '' = the settings without a preset. */
  preset: string;
  /** "quick answer" / "(no preset)", with the other model when one was tried: "quick answer · gpt-4.1". */
  label: string;
  provider: string;
  model: string;
  mode: TrialMode;
  state: TrialState;
  presetMaxTokens: number;
  comparedWith?: string;
  applied?: { maxTokens: number; where: string };
  /** A different model than the preset's was tried: Apply would write a cap measured on another model. */
  otherModel: boolean;
  examples: TrialExampleRow[];
  counts: Record<ExampleStatus, number> & { examples: number; answered: number };
  /** Cut answers among the answered ones; null = none answered. */
  truncatedShare: number | null;
  lengths: { p50: number; p95: number; max: number; histogram: HistogramBin[] } | null;
  recommendation: TrialRecommendation;
  costUsd: number | null;
  knownCostUsd: number;
  unknownCostExamples: number;
  durationMs: number;
  /** One line: what ran, what was cut, what it cost, what it recommends. */
  summary: string;
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');

export function trialLabel(preset: string, model?: string): string {
  return `${preset === '' ? '(no preset)' : preset}${model ? ` · ${model}` : ''}`;
}

function statusOf(e: TrialExampleRecord, state: TrialState): ExampleStatus {
  const a = current(e);
  if (!a) return state === 'pending' || state === 'running' ? 'pending' : 'not run';
  if (a.finish.reason === 'cancelled' || a.error === 'cancelled') return 'cancelled';
  if (a.error !== undefined || a.finish.reason === 'error') return 'failed';
  return a.finish.truncated ? 'cut' : 'complete';
}

function exampleRow(e: TrialExampleRecord, state: TrialState): TrialExampleRow {
  const a = current(e);
  let cost: number | null = 0;
  let ms = 0;
  for (const x of e.attempts) {
    cost = cost === null || x.costUsd === null ? null : cost + x.costUsd;
    ms += x.durationMs;
  }
  const row: TrialExampleRow = {
    file: e.name,
    status: statusOf(e, state),
    outputTokens: a ? a.outputTokens : null,
    finish: a ? { ...a.finish } : null,
    maxTokens: a ? a.maxTokens : null,
    costUsd: cost,
    durationMs: ms,
    attempts: e.attempts.length,
    estimated: a?.usageSource === 'estimate',
  };
  if (a?.error !== undefined) row.error = a.error;
  return row;
}

/**
 * The rule over the answered examples (complete or cut; `cap` is what a cut one was cut at). The nearest-rank 95th
 * percentile is the longest answer below 20 answers. It is known when that rank falls on a complete answer that no
 * cut answer could be shorter than (a cut answer is at least as long as what it returned).
 */
export function trialRecommendation(samples: readonly { index: number; output: number; cut: boolean; cap: number }[], presetMax: number): TrialRecommendation {
  const n = samples.length;
  const cut = samples.filter((s) => s.cut);
  const rerun = cut.length ? { examples: cut.map((s) => s.index), maxTokens: Math.min(MAX_TOKENS_LIMIT, Math.max(...cut.map((s) => s.cap)) * TRIAL_RULE.rerunFactor) } : null;
  if (n === 0) return { maxTokens: null, basis: null, text: 'No example has an answer: nothing to recommend.', rerun };
  const complete = samples.filter((s) => !s.cut).map((s) => s.output).sort((a, b) => a - b);
  const rank = Math.ceil((TRIAL_RULE.percentile / 100) * n);
  const shortestCut = cut.length ? Math.min(...cut.map((s) => s.output)) : Infinity;
  const value = complete[rank - 1];
  if (value === undefined || shortestCut < value) {
    const caps = [...new Set(cut.map((s) => s.cap))].sort((a, b) => a - b).map(int).join(' / ');
    return {
      maxTokens: null,
      basis: null,
      text:
        `${cut.length} of ${plural(n, 'answer')} ${cut.length === 1 ? 'was' : 'were'} cut at max tokens ${caps}: their true length is unknown ` +
        `(at least ${int(shortestCut)} tokens), so nothing is recommended from cut lengths. Run the cut ${cut.length === 1 ? 'example' : 'examples'} again ` +
        `at max tokens ${int(rerun!.maxTokens)} to measure ${cut.length === 1 ? 'it' : 'them'}.`,
      rerun,
    };
  }
  const maxTokens = niceCeil(value * TRIAL_RULE.buffer);
  const kind = rank === n ? 'longest' : 'p95';
  const what = kind === 'longest' ? `the longest complete answer (${int(value)} tokens of ${plural(n, 'answer')})` : `the 95th percentile (${int(value)} tokens: answer ${rank} of ${n} by length)`;
  const cutNote = cut.length ? ` ${plural(cut.length, 'cut answer')} ${cut.length === 1 ? 'is' : 'are'} longer and ${cut.length === 1 ? 'does' : 'do'} not move the 95th percentile.` : '';
  const now = maxTokens === presetMax ? ' That is the cap it has now.' : ` The preset's cap is ${int(presetMax)} now.`;
  return {
    maxTokens,
    basis: { tokens: value, kind, rank, of: n },
    text: `Recommended max tokens: ${int(maxTokens)} = ${what} + ${Math.round((TRIAL_RULE.buffer - 1) * 100)}%, rounded up.${cutNote}${now}`,
    rerun,
  };
}

export function trialReport(t: TrialRecord): TrialReport {
  const examples = t.examples.map((e) => exampleRow(e, t.state));
  const counts = { examples: examples.length, answered: 0, complete: 0, cut: 0, failed: 0, cancelled: 0, 'not run': 0, pending: 0 };
  for (const r of examples) counts[r.status]++;
  counts.answered = counts.complete + counts.cut;
  const samples = examples.flatMap((r, index) => (r.status === 'complete' || r.status === 'cut' ? [{ index, output: r.outputTokens!, cut: r.status === 'cut', cap: r.maxTokens! }] : []));
  const outputs = samples.map((s) => s.output);
  const lengths = samples.length
    ? {
        p50: percentile(outputs, 50)!,
        p95: percentile(outputs, 95)!,
        max: Math.max(...outputs),
        histogram: histogram(samples.map((s) => ({ output: s.output, truncated: s.cut })), Math.max(...samples.map((s) => s.cap))),
      }
    : null;
  let known = 0;
  let unknown = 0;
  for (const r of examples) {
    if (r.costUsd === null) unknown++;
    else known += r.costUsd;
  }
  const recommendation = trialRecommendation(samples, t.maxTokens);
  const report: TrialReport = {
    id: t.id,
    time: t.time,
    preset: t.preset,
    label: trialLabel(t.preset, t.model),
    provider: t.provider,
    model: t.sentModel,
    mode: t.mode,
    state: t.state,
    presetMaxTokens: t.maxTokens,
    otherModel: t.model !== undefined,
    examples,
    counts,
    truncatedShare: counts.answered ? counts.cut / counts.answered : null,
    lengths,
    recommendation,
    costUsd: unknown ? null : known,
    knownCostUsd: known,
    unknownCostExamples: unknown,
    durationMs: examples.reduce((a, r) => a + r.durationMs, 0),
    summary: '',
  };
  if (t.comparedWith) report.comparedWith = t.comparedWith;
  if (t.applied) report.applied = { ...t.applied };
  report.summary = summaryLine(report);
  return report;
}

function summaryLine(r: TrialReport): string {
  const c = r.counts;
  const state = r.state === 'pending' ? ' (batch: results not in yet)' : r.state === 'running' ? ' (running)' : r.state === 'cancelled' ? ' (cancelled)' : '';
  const cut = c.answered ? `${c.cut} of ${c.answered} cut (${Math.round((r.truncatedShare ?? 0) * 100)}%)` : 'no answers';
  const missing = c.failed + c.cancelled + c['not run'];
  const cost = r.costUsd !== null ? formatUsd(r.costUsd) : r.knownCostUsd > 0 ? `${formatUsd(r.knownCostUsd)} + ${plural(r.unknownCostExamples, 'example')} of unknown price` : 'price unknown';
  const rec = r.recommendation.maxTokens !== null ? `recommended max tokens ${int(r.recommendation.maxTokens)}` : 'no recommendation';
  return `${r.label} on ${plural(c.examples, 'example')}${state}: ${cut}${missing ? `, ${missing} without an answer` : ''}; ${cost}; ${rec}.`;
}

/** The command's return value for scripts (DESIGN.md: lengthwise.tryPreset). */
export interface TrialResult {
  id: string;
  preset: string;
  model: string;
  mode: TrialMode;
  state: TrialState;
  examples: { file: string; outputTokens: number; finish: { reason: string; truncated: boolean }; costUsd: number | null; durationMs: number; maxTokens: number | null; attempts: number }[];
  truncatedShare: number;
  recommendedMaxTokens: number | null;
  costUsd: number | null;
  /** The recommendation (or why there is none) in words. */
  text: string;
  /** The offer when answers were cut: how many examples, at which cap. */
  rerun: { examples: number; maxTokens: number } | null;
  /** The same examples with the other preset or model (compareWith). */
  comparison?: TrialResult;
}

export function trialResult(r: TrialReport): TrialResult {
  return {
    id: r.id,
    preset: r.preset,
    model: r.model,
    mode: r.mode,
    state: r.state,
    examples: r.examples.map((e) => ({
      file: e.file,
      outputTokens: e.outputTokens ?? 0,
      // An example never sent (cancelled before its turn) is "cancelled", and cost nothing.
      finish: e.finish ? { reason: e.finish.reason, truncated: e.finish.truncated } : { reason: 'cancelled', truncated: false },
      costUsd: e.costUsd,
      durationMs: e.durationMs,
      maxTokens: e.maxTokens,
      attempts: e.attempts,
    })),
    truncatedShare: r.truncatedShare ?? 0,
    recommendedMaxTokens: r.recommendation.maxTokens,
    costUsd: r.costUsd,
    text: r.recommendation.text,
    rerun: r.recommendation.rerun && { examples: r.recommendation.rerun.examples.length, maxTokens: r.recommendation.rerun.maxTokens },
  };
}
