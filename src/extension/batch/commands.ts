// The batch commands: Send as Batch, and the pending list (check now, cancel).
import * as vscode from 'vscode';
import { plural } from '../../core/protocol/plural';
import type { ResultSummary } from '../../core/generation/summary';
import { describeBatch } from './pendingItem';
import type { BatchTracker } from './tracker';

/**
 * A pick of the pending batches, then what to do with the one picked. With arguments (scripts, keybindings):
 * `jobId` and `action` ("check" or "cancel") act without asking. Resolves with what landed, if anything did.
 */
export async function showBatches(tracker: BatchTracker, jobId?: string, action?: 'check' | 'cancel'): Promise<ResultSummary[] | undefined> {
  const list = tracker.list();
  if (!list.length) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Lengthwise: no batch is pending.'));
    return undefined;
  }
  let id = jobId;
  if (id === undefined) {
    const pick = await vscode.window.showQuickPick(
      list.map((v) => ({ label: `${v.pending.handle.model} — ${plural(v.pending.handle.customIds.length, 'request')}`, detail: describeBatch(v).slice(2), jobId: v.pending.jobId })),
      { title: vscode.l10n.t('Lengthwise: Pending Batches'), placeHolder: vscode.l10n.t('Pick a batch to check now or cancel') },
    );
    if (!pick) return undefined;
    id = pick.jobId;
  }
  let what = action;
  if (what === undefined) {
    const check = vscode.l10n.t('Check now');
    const cancel = vscode.l10n.t('Cancel batch');
    const a = await vscode.window.showQuickPick([check, cancel], { title: vscode.l10n.t('Lengthwise: batch') });
    if (!a) return undefined;
    what = a === cancel ? 'cancel' : 'check';
  }
  if (what === 'cancel') {
    const landed = await tracker.cancel(id);
    return landed ? [landed] : [];
  }
  return tracker.pollNow(id);
}
