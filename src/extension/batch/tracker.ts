// Follows the pending batches: polls each when it is due (5 s doubling to 10 min, persisted, so a reload neither
// polls early nor forgets), lands the results of an ended batch, writes its ledger records at batch prices, and
// cancels on request. One timer for all batches; a batch is never polled twice at once.
import * as vscode from 'vscode';
import { matchBatchResults, MAX_FAILED_CHECKS, pollDelayMs, type BatchClient, type BatchItemResult, type BatchState, type BatchStatus } from '../../core/generation/jobs/batch';
import { batchRecords, batchSummary, landingGroups } from '../../core/generation/jobs/batchResults';
import type { PendingBatch } from '../../core/generation/jobs/pending';
import type { ResultSummary } from '../../core/generation/summary';
import type { Ledger } from '../../core/ledger/ledger';
import type { LedgerRecord } from '../../core/ledger/record';
import type { BudgetGuard, Reservation } from '../../core/pricing/budget';
import { batchPrice } from '../../core/pricing/batch';
import { formatUsd, priceFor } from '../../core/pricing/cost';
import { providerLabel } from '../../core/providers/index';
import { plural } from '../../core/protocol/plural';
import { batchClient } from '../../providers/batch';
import { toProviderError } from '../../providers/errors';
import type { Configuration } from '../config/configuration';
import { logError } from '../logError';
import type { Door } from '../door/door';
import { landGroups } from './land';
import type { PendingStore } from './store';

export interface TrackerDeps {
  store: PendingStore;
  door: Door;
  config: Configuration;
  ledger: () => Promise<Ledger>;
  log: vscode.LogOutputChannel;
  budget: BudgetGuard;
  /** A batch's answers landed (after its records are in the ledger). */
  onLanded: (summary: ResultSummary) => void;
  /** A Try Preset batch ended (its records are in the ledger): its results go to the trial, not into a document. */
  onTrialLanded?: (p: PendingBatch, byItem: readonly (BatchItemResult | undefined)[], records: readonly LedgerRecord[], ended: BatchState) => void;
}

/** What the tracker last heard of a batch (for the status tooltip and the pending list). */
export interface BatchView {
  pending: PendingBatch;
  state?: string;
  counts?: BatchStatus['counts'];
  lastError?: string;
}

export class BatchTracker implements vscode.Disposable {
  private timer: NodeJS.Timeout | undefined;
  private readonly busy = new Map<string, Promise<ResultSummary | undefined>>();
  private readonly heard = new Map<string, Omit<BatchView, 'pending'>>();
  /** Each pending batch's worst case, held in the budget until it lands. */
  private readonly holds = new Map<string, Reservation>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private disposed = false;

  constructor(private readonly d: TrackerDeps) {}

  list(): BatchView[] {
    return this.d.store.list().map((pending) => ({ pending, ...this.heard.get(pending.jobId) }));
  }

  async add(p: PendingBatch): Promise<void> {
    // Held before anything is awaited: a send started meanwhile already sees this batch's worst case.
    if (!this.holds.has(p.jobId)) this.holds.set(p.jobId, this.d.budget.holdCommitted(p.worstCaseUsd));
    await this.d.store.put(p);
    this.changed.fire();
    this.schedule();
  }

  /** Starts following the stored batches (after activation: polling never delays the window's start). */
  start(): void {
    this.holdBudget();
    this.changed.fire();
    this.schedule();
  }

  private holdBudget(): void {
    for (const p of this.d.store.list()) if (!this.holds.has(p.jobId)) this.holds.set(p.jobId, this.d.budget.holdCommitted(p.worstCaseUsd));
  }

  private release(jobId: string): void {
    this.holds.get(jobId)?.settle();
    this.holds.delete(jobId);
    this.heard.delete(jobId);
  }

  /** Polls now (every batch, or the one given), whatever their schedule; resolves with the batches that landed. */
  async pollNow(jobId?: string): Promise<ResultSummary[]> {
    const due = this.d.store.list().filter((p) => jobId === undefined || p.jobId === jobId);
    const landed = await Promise.all(due.map((p) => this.poll(p, true)));
    this.schedule();
    return landed.filter((s): s is ResultSummary => s !== undefined);
  }

  /** Asks the provider to cancel; the answers finished before the cancel land as usual when it has ended. */
  async cancel(jobId: string): Promise<ResultSummary | undefined> {
    if (!this.d.store.find(jobId)) throw new Error(vscode.l10n.t('There is no pending batch "{0}".', jobId));
    // A check under way may land it first; then there is nothing left to cancel.
    await this.busy.get(jobId);
    const p = this.d.store.find(jobId);
    if (!p) return undefined;
    return this.exclusive(p, async () => {
      const { client, key } = await this.clientAndKey(p, false);
      const status = await client.cancel(p.handle, { apiKey: key });
      this.d.log.info(`batch ${p.handle.id}: cancel asked, the provider says ${status.raw}`);
      return this.settle(p, status);
    });
  }

  private schedule(): void {
    if (this.disposed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const list = this.d.store.list();
    if (!list.length) return;
    const next = Math.min(...list.map((p) => p.nextPollAt));
    // Bounded below (no busy loop when a batch is overdue) and above (a timer of days overflows setTimeout).
    const wait = Math.min(Math.max(next - Date.now(), 1000), 600_000);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const due = this.d.store.list().filter((p) => p.nextPollAt <= Date.now() + 50);
      void Promise.all(due.map((p) => this.poll(p))).finally(() => this.schedule());
    }, wait);
  }

  /** `manual`: asked for by the user; a batch still running keeps its schedule (no extra backoff). */
  private poll(p: PendingBatch, manual = false): Promise<ResultSummary | undefined> {
    return this.busy.get(p.jobId) ?? this.exclusive(p, () => this.pollOnce(p, manual));
  }

  /** One provider call at a time per batch: a check and a cancel never both land the same results. */
  private exclusive(p: PendingBatch, fn: () => Promise<ResultSummary | undefined>): Promise<ResultSummary | undefined> {
    const run = fn().finally(() => this.busy.delete(p.jobId));
    this.busy.set(p.jobId, run);
    return run;
  }

  private async pollOnce(p: PendingBatch, manual: boolean): Promise<ResultSummary | undefined> {
    let client: BatchClient;
    let key: string;
    try {
      ({ client, key } = await this.clientAndKey(p, true));
    } catch (e) {
      return this.later(p, false, e instanceof Error ? e.message : String(e));
    }
    let status: BatchStatus;
    try {
      status = await client.poll(p.handle, { apiKey: key });
    } catch (e) {
      const err = toProviderError(p.handle.provider, e, false, undefined, key);
      if (err.status === 404) return this.forget(p, vscode.l10n.t('the provider no longer knows batch {0} (404): its results cannot be fetched', p.handle.id));
      return this.later(p, false, err.message);
    }
    return this.settle(p, status, manual);
  }

  /** An ended batch lands; a running one is polled again later. */
  private async settle(p: PendingBatch, status: BatchStatus, manual = false): Promise<ResultSummary | undefined> {
    this.heard.set(p.jobId, { state: status.raw, counts: status.counts });
    if (!status.results) return this.later(p, manual);
    const m = matchBatchResults(p.handle.customIds, status.results);
    for (const u of m.unexpected) this.d.log.warn(`batch ${p.handle.id}: a result for an id that was not sent (${u.customId ?? `#${u.index}`}) was ignored`);
    // Priced as a live request from the same document would be now (its lengthwise.pricing, else the bundled table), at
    // the batch discount: the scope the worst case was priced in when it was submitted.
    const scope = p.anchors[0]?.uri ? vscode.Uri.parse(p.anchors[0].uri) : undefined;
    const pricing = this.d.config.resolve(scope).resolved.settings.pricing;
    const price = batchPrice(priceFor({ provider: p.handle.provider, model: p.handle.model, pricing, baseUrl: p.handle.baseUrl }), p.handle.provider);
    const records = batchRecords(p, m.byItem, price, Date.now());
    // The spend is recorded before the answers land: a failure below loses no token from the ledger.
    try {
      const ledger = await this.d.ledger();
      await Promise.all(records.map((r) => ledger.finish(r)));
    } catch (e) {
      logError(this.d.log, `batch ${p.handle.id}: ledger`, e);
    }
    if (p.trial) return this.landTrial(p, m.byItem, records, status);
    // A selection none of whose requests ran (a cancelled or expired batch) gets nothing inserted: the message says so.
    const groups = landingGroups(p, m.byItem, status.state).filter((g) => g.items.some((i) => m.byItem[i] !== undefined));
    const landed = await landGroups(p, groups);
    await this.d.store.remove(p.jobId);
    this.release(p.jobId);
    this.changed.fire();
    const summary = batchSummary(p, groups, records, m.byItem, status.state);
    if (status.message) summary.notes!.push(status.message);
    this.tell(p, summary, landed);
    this.d.onLanded(summary);
    return summary;
  }

  private async landTrial(p: PendingBatch, byItem: (BatchItemResult | undefined)[], records: LedgerRecord[], status: BatchStatus): Promise<ResultSummary> {
    await this.d.store.remove(p.jobId);
    this.release(p.jobId);
    this.changed.fire();
    if (status.message) this.d.log.info(`batch ${p.handle.id}: ${status.message}`);
    this.d.onTrialLanded?.(p, byItem, records, status.state);
    return batchSummary(p, [], records, byItem, status.state);
  }

  private tell(p: PendingBatch, summary: ResultSummary, landed: Awaited<ReturnType<typeof landGroups>>): void {
    const places = [...landed.inPlace].map(([file, n]) => vscode.l10n.t('{0} in {1}', plural(n, 'answer'), file));
    if (landed.elsewhere) places.push(places.length ? vscode.l10n.t('the rest in a new document ({0})', landed.elsewhere.reasons.join('; ')) : vscode.l10n.t('the answers in a new document ({0})', landed.elsewhere.reasons.join('; ')));
    if (!places.length) places.push(vscode.l10n.t('no answers came back'));
    const cost = summary.usage.inputTokens + summary.usage.outputTokens === 0 ? vscode.l10n.t('nothing billed') : vscode.l10n.t('{0} at batch prices', formatUsd(summary.costUsd));
    const msg = vscode.l10n.t('Lengthwise: batch {0} ({1}) — {2}; {3}.', summary.finish.raw, p.handle.model, places.join(', '), cost);
    this.d.log.info(`${msg} ${summary.notes!.join('; ')}`);
    void vscode.window.showInformationMessage(msg);
  }

  private async later(p: PendingBatch, keepSchedule: boolean, error?: string): Promise<undefined> {
    const polls = p.polls + 1;
    const failures = error ? (p.failures ?? 0) + 1 : 0;
    if (error) {
      // A provider that never answers, or results that can never be read, must not hold the budget forever.
      if (failures >= MAX_FAILED_CHECKS) return this.forget(p, vscode.l10n.t('gave up checking batch {0} at {1} after {2} failed checks in a row (last: {3}); its results stay with the provider, and its worst case is no longer held in the budget', p.handle.id, providerLabel(p.handle.provider), failures, error));
      this.d.log.warn(`batch ${p.handle.id}: could not check it (${error}); next try in ${Math.round(pollDelayMs(polls) / 1000)} s`);
      this.heard.set(p.jobId, { ...this.heard.get(p.jobId), lastError: error });
    }
    const next: PendingBatch = { ...p, polls, nextPollAt: Date.now() + pollDelayMs(polls) };
    if (failures) next.failures = failures;
    else delete next.failures;
    // A check the user asked for keeps the schedule: nothing to store.
    if (!keepSchedule || error) await this.d.store.update(next);
    this.changed.fire();
    return undefined;
  }

  private async forget(p: PendingBatch, why: string): Promise<undefined> {
    await this.d.store.remove(p.jobId);
    this.release(p.jobId);
    this.changed.fire();
    this.d.log.warn(`batch ${p.handle.id}: ${why}`);
    void vscode.window.showWarningMessage(vscode.l10n.t('Lengthwise: {0}.', why));
    return undefined;
  }

  /**
   * The batch API and the key to call it with, from the door: the endpoint passed it when the batch was submitted
   * (and the key is pinned to it: providers/keyFetch.ts). `quiet`: a scheduled check tells a missing key in the
   * pending list, not in a notification each time. Rejects with RefusedError('no-key').
   */
  private async clientAndKey(p: PendingBatch, quiet: boolean): Promise<{ client: BatchClient; key: string }> {
    const { provider, baseUrl, model } = p.handle;
    const pass = await this.d.door.authorize({ settings: { provider, baseUrl: baseUrl ?? '', model }, scope: 'approved', key: 'required', quiet });
    // Only providers with a batch client were ever submitted.
    return { client: batchClient(provider)!, key: pass.key };
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.changed.dispose();
  }
}
