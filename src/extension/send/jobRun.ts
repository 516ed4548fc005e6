// Runs the chosen plan of a job live under a cancellable progress notification ("chunk 7/12 · $0.031 so far").
// Chunk answers land in part order, each under a visible separator; a part that got no answer leaves only its
// separator (no error text in the user's file: failedParts.ts marks the place and names the failure once).
// Summarize-first streams the final answer and keeps the summaries in the Lengthwise output.
import * as vscode from 'vscode';
import type { InputRoom } from '../../core/generation/jobs/jobPlan';
import { runLiveJob, type LiveJobResult, type PartResult } from '../../core/generation/jobs/liveJob';
import { separatorBefore } from '../../core/generation/jobs/runJob';
import type { ResultSummary } from '../../core/generation/summary';
import type { Ledger } from '../../core/ledger/ledger';
import type { DiscoveredLimits } from '../../core/models/discovery';
import { formatUsd, priceFor } from '../../core/pricing/cost';
import { tierPricer } from '../../core/pricing/serviceTier';
import type { LengthwiseSettings } from '../../core/settings/settings';
import { createAdapter } from '../../providers';
import type { AnchoredInserter } from '../editorStream';
import type { JobChoice } from './job';
import type { InputCount } from './preflight';
import { recordId } from './ids';

export interface JobRunDeps {
  settings: LengthwiseSettings;
  apiKey: string;
  counted: InputCount;
  room: InputRoom;
  inserter: AnchoredInserter;
  ledger: Ledger | undefined;
  workspaceId: string;
  presetName?: string;
  log: vscode.LogOutputChannel;
  signal: AbortSignal;
  /** The progress message, for the status bar too. */
  onProgress?(text: string): void;
  /** Limits the server reported: each request is clamped to them. */
  discovered?: DiscoveredLimits;
  /** A retry: only these parts (indexes into choice.parts). */
  only?: number[];
  /** Where a part's answer lands (a retry: after its separator); default: one after another through `inserter`. */
  land?(index: number, r: PartResult): void;
}

/** A request of the job that got no answer: its stage ("chunk", "summary", "merge", "answer"), its part, why. */
export interface MissingAnswer {
  stage: string;
  index: number;
  message: string;
}

export interface JobOutcome {
  summary: ResultSummary;
  missing: MissingAnswer[];
}

/** A cut part is noted in place, as a cut batch answer is (it has no live chain to continue). */
export function partText(index: number, r: PartResult): string {
  return r.text + (!r.error && r.finish.truncated ? `\n[part ${index + 1} was cut at max tokens]` : '');
}

/** A plan fitted to a "block" budget answers at its lowered cap. */
function jobSettings(choice: JobChoice, d: JobRunDeps): LengthwiseSettings {
  return choice.maxTokens < d.settings.maxTokens ? { ...d.settings, maxTokens: choice.maxTokens } : d.settings;
}

/** Runs the chosen plan (or, for a retry, some of its parts) under a progress notification, with Cancel. */
export async function runChoice(choice: JobChoice, d: JobRunDeps): Promise<JobOutcome> {
  const s = jobSettings(choice, d);
  const jobId = recordId('job');
  const only = d.only;
  const parts = only ? only.map((i) => choice.parts[i]!) : choice.parts;
  const original = (i: number) => (only ? only[i]! : i);
  const total = choice.parts.length;
  const title = vscode.l10n.t('Lengthwise: {0} — {1}', s.model, choice.strategy === 'chunks' ? vscode.l10n.t('{0} chunks', parts.length) : vscode.l10n.t('summarize first'));
  const res: LiveJobResult = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
    const ac = new AbortController();
    token.onCancellationRequested(() => ac.abort());
    d.signal.addEventListener('abort', () => ac.abort(), { once: true });
    const report = (message: string) => {
      progress.report({ message });
      d.onProgress?.(message);
    };
    // The status bar follows the job from its start, not from its first answer.
    report(vscode.l10n.t('{0} 0/{1} · starting', choice.strategy === 'chunks' ? 'chunk' : 'summary', parts.length));
    return runLiveJob(liveOptions(choice, d, { jobId, parts, signal: ac.signal, report, land: (r) => landPart(d, total, original(r.index), r) }));
  });
  await d.inserter.flush().catch(() => undefined);
  if (choice.strategy === 'summarizeFirst') {
    res.summaries.forEach((lv) => lv.texts.forEach((t, i) => d.log.info(`job ${jobId} summary level ${lv.level} #${i + 1}:\n${t ?? '(failed)'}`)));
  }
  const missing = res.failed.map((f) => ({ stage: f.stage, index: f.stage === 'chunk' ? original(f.index) : f.index, message: f.error.message }));
  return { summary: jobSummary(choice, d, res, jobId, missing), missing };
}

function liveOptions(choice: JobChoice, d: JobRunDeps, x: { jobId: string; parts: JobChoice['parts']; signal: AbortSignal; report(m: string): void; land(r: PartResult): void }): Parameters<typeof runLiveJob>[0] {
  const s = jobSettings(choice, d);
  const tok = d.counted.tokenizer!;
  const price = priceFor(s);
  const z = choice.sizing;
  return {
    strategy: choice.strategy,
    jobId: x.jobId,
    parts: x.parts,
    settings: s,
    // Summaries and merges are counted like the parts were sized: the local count scaled to the server's.
    count: z.ratio === 1 ? (t) => tok.count(t) : (t) => Math.ceil(tok.count(t) * z.ratio),
    countExact: d.counted.exact && z.ratio === 1 && !d.counted.by,
    maxInputTokens: d.room.tokens,
    discovered: d.discovered,
    partInputTokens: z.partInputTokens && (d.only ? d.only.map((i) => z.partInputTokens![i]) : z.partInputTokens),
    resplit: { code: false },
    signal: x.signal,
    deps: { adapter: createAdapter(s.provider), apiKey: d.apiKey, tokenizer: tok, tokenizerExact: d.counted.tokenizerExact, price, priceSource: price?.source, priceOf: tierPricer(s), ledger: d.ledger, workspace: d.workspaceId, preset: d.presetName },
    onProgress: (p) => x.report(vscode.l10n.t('{0} · {1} so far', p.stage, price?.local ? vscode.l10n.t('local') : formatUsd(p.costUsd))),
    onAnswer: x.land,
    onFinalText: (delta) => d.inserter.write(delta),
  };
}

/** A part's answer where it belongs; a part with no answer leaves only its separator (the place stays marked). */
function landPart(d: JobRunDeps, total: number, index: number, r: PartResult): void {
  if (d.land) return d.land(index, r);
  d.inserter.write(separatorBefore(index, total) + partText(index, r));
}

function jobSummary(choice: JobChoice, d: JobRunDeps, res: LiveJobResult, jobId: string, missing: MissingAnswer[]): ResultSummary {
  const s = jobSettings(choice, d);
  const answers = res.answers.filter((a) => a !== undefined);
  const last = answers.at(-1);
  const notes = [`job ${jobId}: ${res.requests} requests, ${formatUsd(res.costUsd)} (planned worst case ${formatUsd(choice.plan.worstCaseUsd)}); parts sized by ${choice.sizing.by}`];
  if (choice.budgetNote) notes.unshift(choice.budgetNote);
  for (const r of res.resplit) notes.push(`part ${(d.only?.[r.index] ?? r.index) + 1} did not fit the server: cut into ${r.pieces} pieces and sent again`);
  for (const m of missing) notes.push(`${m.stage} ${m.index + 1} failed: ${m.message}`);
  if (res.error) notes.push(res.error);
  const summary: ResultSummary = {
    provider: s.provider,
    model: s.model,
    text: choice.strategy === 'chunks' ? answers.map((a) => a.text).join('') : (last?.text ?? ''),
    finish: res.cancelled ? { raw: 'cancelled', reason: 'cancelled', truncated: false } : missing.length || !last ? { raw: 'error', reason: 'error', truncated: false } : { ...last.finish },
    usage: { ...res.usage, source: 'provider' },
    costUsd: res.costUsd,
    costSource: res.costUsd === null ? null : res.costSource,
    sent: { maxTokens: Math.min(d.room.maxTokens, choice.maxTokens), stop: [...s.stopSequences] },
    rounds: res.requests,
    job: { id: jobId, parts: choice.parts.length, strategy: choice.strategy },
    notes,
  };
  if (d.presetName) summary.preset = d.presetName;
  d.log.info(notes.join('; '));
  return summary;
}
