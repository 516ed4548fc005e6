// A trial sent as a batch at the batch price: submitted like Send as Batch, followed by the same tracker (pending
// across reloads, the budget hold of its worst case), and when it ends its results become the examples' attempts
// (core/generation/trial/batch.ts) instead of landing in a document.
import * as vscode from 'vscode';
import { customIdFor, pollDelayMs, type BatchItem } from '../../core/generation/jobs/batch';
import { fingerprint, type PendingBatch } from '../../core/generation/jobs/pending';
import type { TrialRecord } from '../../core/generation/trial/record';
import { multipliedOf } from '../../core/generation/jobs/consent';
import { plural } from '../../core/protocol/plural';
import type { GenerationRequest } from '../../core/protocol/request';
import { providerLabel } from '../../core/providers';
import { formatUsd } from '../../core/pricing/money';
import { batchClient } from '../../providers/batch';
import { toProviderError } from '../../providers/errors';
import type { Pass } from '../door/door';
import type { BatchTracker } from '../batch/tracker';
import { recordId } from '../send/ids';
import { trialPrice, type Prepared } from './prepare';
import type { TrialStore } from './store';

export interface BatchDeps {
  tracker: BatchTracker;
  store: TrialStore;
  workspaceId: string;
  log: vscode.LogOutputChannel;
}

/** The request without a processing tier. */
function atStandardTier(r: GenerationRequest): GenerationRequest {
  if (!r.serviceTier) return r;
  const copy = { ...r };
  delete copy.serviceTier;
  return copy;
}

/** Submits `p`'s requests, the k-th for example `indexes[k]` of `t`; the trial waits as "pending" until the tracker lands it. */
export async function submitTrialBatch(d: BatchDeps, p: Prepared, pass: Pass, t: TrialRecord, indexes: readonly number[]): Promise<void> {
  const price = trialPrice(p, 'batch');
  const jobId = recordId('b');
  // A batch is its own tier, at its own price: lengthwise.serviceTier does not go with its requests (as Send as Batch).
  if (p.planned.some((x) => x.request.serviceTier)) d.log.info(`try preset ${t.id}: lengthwise.serviceTier "${p.s.serviceTier}" is not sent with batch requests (a batch is priced at the batch rates)`);
  const items: BatchItem[] = p.planned.map((x, k) => ({ customId: customIdFor(jobId, k), request: atStandardTier(x.request) }));
  const client = batchClient(p.s.provider)!;
  let handle;
  try {
    handle = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Lengthwise: submitting a batch of {0} to {1}…', plural(items.length, 'request'), providerLabel(p.s.provider)) }, () =>
      client.submit(items, { apiKey: pass.key, baseUrl: p.s.baseUrl }),
    );
  } catch (e) {
    throw new Error(vscode.l10n.t('The batch was not submitted: {0}', toProviderError(p.s.provider, e, false, undefined, pass.key).message), { cause: e });
  } finally {
    pass.hold.settle();
  }
  const worst = multipliedOf('Try Preset (batch)', p.planned, price).worstUsd;
  const pending: PendingBatch = {
    v: 1,
    jobId,
    handle,
    // A trial's answers land in its report, never at these anchors; they identify each item's example.
    anchors: p.examples.map((e) => ({ uri: e.uri ?? '', start: 0, end: e.text.length, fingerprint: fingerprint(e.text) })),
    worstCaseUsd: worst,
    maxTokens: Math.max(...items.map((x) => x.request.maxTokens)),
    workspace: d.workspaceId,
    polls: 0,
    nextPollAt: Date.now() + pollDelayMs(0),
    trial: { id: t.id, examples: [...indexes], maxTokens: items.map((x) => x.request.maxTokens) },
  };
  if (price) pending.priceSource = price.source;
  if (p.preset) pending.preset = p.preset;
  t.state = 'pending';
  t.batchJobId = jobId;
  await d.store.put(t);
  await d.tracker.add(pending);
  d.log.info(`try preset ${t.id}: batch ${handle.id} of ${items.length} requests submitted, worst case ${formatUsd(worst)} at batch prices`);
}
