// A live job from the door to its end: its plan through the door (key, endpoint, plan question, budget hold), the
// run followed by the status bar from start to end, the job reported once, and its parts that got no answer marked
// in place (failedParts.ts) with a Retry that runs them again through the same door.
import * as vscode from 'vscode';
import type { InputRoom } from '../../core/generation/jobs/jobPlan';
import type { PartResult } from '../../core/generation/jobs/liveJob';
import type { DiscoveredLimits } from '../../core/models/discovery';
import type { SessionTotals } from '../../core/generation/sessionTotals';
import { RefusedError, type ResultSummary } from '../../core/generation/summary';
import type { Ledger } from '../../core/ledger/ledger';
import type { LengthwiseSettings } from '../../core/settings/settings';
import type { EndpointScope } from '../config/configuration';
import type { Door } from '../door/door';
import type { AnchoredInserter } from '../editorStream';
import { logError } from '../logError';
import { settleAfter } from './settle';
import type { RunEvents } from './events';
import type { FailedParts } from './failedParts';
import { jobFit, multiplied, subPlan, type JobChoice } from './job';
import { jobDone, type JobDone } from './jobReport';
import { runChoice, type MissingAnswer } from './jobRun';
import { sessionId } from './ids';
import type { InputCount } from './preflight';

/** What a job needs to run again (Retry). */
export interface JobContext {
  choice: JobChoice;
  s: LengthwiseSettings;
  scope: EndpointScope;
  counted: InputCount;
  room: InputRoom;
  discovered: DiscoveredLimits | undefined;
  presetName?: string;
}

export interface JobRunnerDeps {
  door: Door;
  events: RunEvents;
  ledger: () => Promise<Ledger>;
  session: SessionTotals;
  workspaceId: string;
  log: vscode.LogOutputChannel;
  failedParts: FailedParts;
  /** Cancel stops it while it runs (the controller's running set). */
  track(id: string): AbortController;
  untrack(id: string): void;
}

export class JobRunner {
  constructor(private readonly d: JobRunnerDeps) {}

  /**
   * A job (or, on Retry, its parts that got no answer) through the door with its plan, followed by the status bar
   * from start to end; parts still without an answer are marked in place and named once (failedParts.ts).
   */
  async run(job: JobContext, r: { askedUser: boolean; target(): Promise<AnchoredInserter>; only?: number[]; retryOf?: string }): Promise<ResultSummary> {
    const { s } = job;
    let choice = job.choice;
    const plan = r.only ? subPlan(choice.plan, r.only) : choice.plan;
    const { key: apiKey, hold } = await this.d.door.authorize({
      settings: s,
      scope: job.scope,
      key: 'required',
      worstUsd: plan.worstCaseUsd,
      plan: { ...multiplied({ ...choice, plan }, job.room, s), askedUser: r.askedUser },
      // A "block" budget short of the whole plan's worst case: each answer's cap is lowered until it fits (a retry
      // of some parts asks for their worst case as planned).
      fit: r.only ? undefined : jobFit(choice, (fitted) => (choice = fitted)),
    });
    const inserter = await r.target();
    const ledger = await this.d.ledger().catch((e) => {
      logError(this.d.log, 'ledger unavailable', e);
      return undefined;
    });
    const id = sessionId('j');
    const ac = this.d.track(id);
    let done: JobDone | undefined;
    try {
      const onProgress = (text: string) => this.d.events.fire('jobProgress', { runId: id, text });
      const land = r.retryOf ? (i: number, p: PartResult) => void this.d.failedParts.fill(r.retryOf!, i, p) : undefined;
      const out = await settleAfter(hold, () => runChoice(choice, { settings: s, apiKey, counted: job.counted, room: job.room, inserter, ledger, workspaceId: this.d.workspaceId, presetName: job.presetName, log: this.d.log, signal: ac.signal, onProgress, discovered: job.discovered, only: r.only, land }));
      this.d.events.fire('job', { summary: out.summary });
      done = jobDone(out.summary, job, r.only?.length ?? choice.parts.length, out.missing.length, this.d.session.view(), ledger?.totals({ workspace: this.d.workspaceId }));
      this.markMissing(job, inserter, out.missing, r.retryOf);
      return out.summary;
    } finally {
      this.d.events.fire('jobProgress', { runId: id, ...done });
      this.d.untrack(id);
    }
  }

  /** What got no answer stays marked (a retry updates its job's marks), else the job's range is let go. */
  private markMissing(job: JobContext, inserter: AnchoredInserter, missing: MissingAnswer[], retryOf: string | undefined): void {
    if (retryOf) {
      this.d.failedParts.tell(retryOf);
      return;
    }
    if (!missing.length) return inserter.dispose();
    this.d.failedParts.add({
      id: sessionId('f'),
      document: inserter.document,
      inserter,
      strategy: job.choice.strategy,
      total: job.choice.parts.length,
      missing,
      retry: (f) =>
        this.guardRetry(() => {
          if (f.strategy === 'chunks') return this.run(job, { askedUser: false, target: async () => f.inserter, only: [...new Set(f.missing.map((m) => m.index))], retryOf: f.id });
          // Summarize-first: the whole job again, its answer where the first one would have gone.
          this.d.failedParts.remove(f.id, false);
          return this.run(job, { askedUser: false, target: async () => f.inserter });
        }),
    });
  }

  /** A retry started from a notification: a refusal (declined, budget) was already shown; anything else is said. */
  private async guardRetry(fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn();
    } catch (e) {
      if (e instanceof RefusedError) return;
      logError(this.d.log, 'retry failed', e);
      void vscode.window.showErrorMessage(vscode.l10n.t('Lengthwise: {0}', e instanceof Error ? e.message : String(e)));
    }
  }
}
