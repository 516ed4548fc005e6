// What the status bar shows when a live job ends: its parts (and how many got no answer), tokens and cost, and a
// tooltip with the numbers. Numbers come from the job's summary; words from core (views/statusText.ts).
import type { InputRoom } from '../../core/generation/jobs/jobPlan';
import type { ResultSummary } from '../../core/generation/summary';
import type { SessionView } from '../../core/generation/sessionTotals';
import type { LedgerTotals } from '../../core/ledger/ledger';
import { priceFor } from '../../core/pricing/cost';
import type { LengthwiseSettings } from '../../core/settings/settings';
import type { DoneInfo, TooltipInfo } from '../../core/views/statusText';

export interface JobDone {
  done: DoneInfo;
  tooltip: TooltipInfo;
}

export function jobDone(summary: ResultSummary, job: { s: LengthwiseSettings; room: InputRoom }, parts: number, failed: number, session: SessionView, totals: LedgerTotals | undefined): JobDone {
  const done: DoneInfo = {
    outputTokens: summary.usage.outputTokens,
    maxTokens: job.room.maxTokens,
    costUsd: summary.costUsd,
    costSource: summary.costSource,
    source: summary.usage.source === 'estimate' ? 'estimate' : 'provider',
    truncated: false,
    reason: summary.finish.reason,
    rounds: summary.rounds,
    job: { parts, failed },
  };
  const tooltip: TooltipInfo = {
    title: `${job.s.model}: ${summary.job?.strategy === 'summarizeFirst' ? 'summarize first' : `${parts} parts`}${failed ? `, ${failed} without an answer` : ''}`,
    usage: summary.usage,
    source: done.source,
    costUsd: summary.costUsd,
    costSource: summary.costSource,
    price: priceFor(job.s),
    model: job.s.model,
    rounds: summary.rounds,
    session,
    workspace: { usd: totals?.usd ?? null, requests: totals?.requests ?? 0, unknownCost: totals?.unknownCostRequests },
    notes: summary.notes,
  };
  return { done, tooltip };
}
