// What a finished run reports: the summary of the exported API, the status bar's numbers and tooltip, and the
// truncation marker's text. Numbers come from core; this file only assembles them.
import * as vscode from 'vscode';
import { describeFinish } from '../../core/protocol/finish';
import { hintNote } from '../../core/generation/lengthHint';
import type { ChainState } from '../../core/generation/pipeline';
import { buildSummary, type ResultSummary } from '../../core/generation/summary';
import type { Finish, Usage } from '../../core/protocol/request';
import type { DoneInfo, TooltipInfo } from '../../core/views/statusText';
import type { Outcome, Run } from './run';
import type { SessionTotals } from '../../core/generation/sessionTotals';

export interface RunReport {
  summary: ResultSummary;
  done: DoneInfo;
  tooltip: TooltipInfo;
  /** The marker's text when the answer was cut. */
  truncationMessage: string;
  notes: string[];
}

export function reportRun(run: Run, o: Outcome, notes: string[], session: SessionTotals, workspaceId: string): RunReport {
  const { x } = run;
  const s = x.settings;
  const { chain } = o;
  const finish = chain.finish;
  const request = chain.lastRequest;
  const inserted = x.inserter.written.slice(run.startText.length);
  // A chain that stopped for lack of progress says so on the marker; a continued one says what its last round used.
  const used = run.limits.at(-1);
  const truncationMessage = o.noProgress
    ? o.noProgress.message
    : !run.lastRound && x.resume
      ? x.resume.message
      : truncationText(finish, run.lastRound?.usage ?? chain.usage, inserted, request.maxTokens) + (used ? ` (${used})` : '');
  const allNotes = [...x.notes, ...notes];
  const summary = buildSummary({
    request,
    preset: x.presetName,
    text: inserted,
    finish,
    usage: chain.usage,
    usageSource: chain.usageSource,
    costUsd: chain.costUsd,
    costSource: chain.costSource,
    rounds: chain.rounds,
    serviceTier: chain.serviceTier,
    notes: allNotes,
    error: o.error ? { kind: o.error.kind, message: o.error.message } : undefined,
  });
  const totals = run.ledger?.totals({ workspace: workspaceId });
  const done: DoneInfo = {
    outputTokens: chain.usage.outputTokens,
    maxTokens: request.maxTokens,
    costUsd: chain.costUsd,
    source: chain.usageSource,
    truncated: finish.truncated,
    reason: finish.reason,
    rounds: chain.rounds,
    roundOutputTokens: run.lastRound?.usage.outputTokens,
    reasoningTokens: chain.usage.reasoningTokens,
    cap: chain.rounds === 1 ? x.cap : undefined,
  };
  const tooltip: TooltipInfo = {
    title: `${s.model}: ${describeFinish(finish)}`,
    usage: chain.usage,
    // Same scope as usage only when the chain started with this call.
    estimate: x.resume ? undefined : run.estimate,
    source: chain.usageSource,
    costUsd: chain.costUsd,
    costSource: chain.costSource,
    // The price the last round was billed at (its tier's); the standard price when none was.
    price: chain.price ?? run.price,
    pricedUsd: chain.rounds === 1 ? run.lastRound?.pricedUsd : undefined,
    tier: request.serviceTier || (chain.serviceTier && chain.serviceTier !== 'standard') ? { asked: request.serviceTier ?? 'standard', served: chain.serviceTier ?? null } : undefined,
    model: s.model,
    rounds: chain.rounds,
    session: session.view(),
    workspace: { usd: totals?.usd ?? null, requests: totals?.requests ?? 0, unknownCost: totals?.unknownCostRequests },
    budget: s['budget.usd'] !== null ? { usd: s['budget.usd'], action: s['budget.action'] } : undefined,
    lengthHint: request.lengthHint ? hintNote({ sent: true, text: request.lengthHint }) : undefined,
    fromPreset: x.fromPreset,
    notes: allNotes,
  };
  return { summary, done, tooltip, truncationMessage, notes };
}

/** This call's part of the chain: its rounds and its cost (null when unknown). */
export function thisCall(x: Run['x'], chain: ChainState): { rounds: number; costUsd: number | null } {
  const before = x.resume?.chain;
  const costUsd = !before ? chain.costUsd : chain.costUsd === null || before.costUsd === null ? null : chain.costUsd - before.costUsd;
  return { rounds: chain.rounds - (before?.rounds ?? 0), costUsd };
}

/** The marker's text; `round` is the usage of the last round (the one that was cut), `maxTokens` its cap. */
function truncationText(finish: Finish, round: Usage, inserted: string, maxTokens: number): string {
  if (finish.reason === 'error') return vscode.l10n.t('Response broken off by an error — Continue?');
  if (finish.raw === 'model_context_window_exceeded') return vscode.l10n.t('Response truncated: the model context window is full — Continue?');
  if (inserted.trim() === '' && (round.reasoningTokens ?? 0) > 0) {
    return vscode.l10n.t('Response truncated at max tokens: thinking used the whole budget ({0}/{1} tokens) and no answer text was produced — Continue with 2× max tokens?', round.reasoningTokens ?? 0, maxTokens);
  }
  return vscode.l10n.t('Response truncated at max tokens ({0}/{1}) — Continue?', round.outputTokens, maxTokens);
}
