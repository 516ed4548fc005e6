// The status bar item for batches still at the provider: "$(clock) 2 batches pending · ≤ $0.41" (worst case at batch
// prices), hidden when there are none; the tooltip lists each batch; a click opens the pending list.
import * as vscode from 'vscode';
import { pendingText } from '../../core/generation/jobs/pending';
import { plural } from '../../core/protocol/plural';
import { providerLabel } from '../../core/providers/index';
import type { BatchTracker, BatchView } from './tracker';

export class PendingItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('lengthwise.batches', vscode.StatusBarAlignment.Right, 99);
  private readonly sub: vscode.Disposable;
  private shown = false;

  constructor(private readonly tracker: BatchTracker) {
    this.item.name = vscode.l10n.t('Lengthwise batches');
    this.item.command = 'lengthwise.showBatches';
    // First drawn when the tracker starts (after activation): reading the stored batches is not activation's work.
    this.sub = tracker.onDidChange(() => this.draw());
  }

  get text(): string {
    return this.shown ? this.item.text : '';
  }

  draw(): void {
    const list = this.tracker.list();
    if (this.shown !== list.length > 0) void vscode.commands.executeCommand('setContext', 'lengthwise.batchesPending', list.length > 0);
    if (!list.length) {
      this.item.hide();
      this.shown = false;
      return;
    }
    this.item.text = `$(clock) ${pendingText(list.map((v) => v.pending))}`;
    this.item.tooltip = vscode.l10n.t('Lengthwise batches (worst case at batch prices; click to check or cancel):\n{0}', list.map(describeBatch).join('\n'));
    this.shown = true;
    this.item.show();
  }

  dispose(): void {
    this.sub.dispose();
    this.item.dispose();
  }
}

/** One line per batch: provider, model, requests, state, when it was sent and when it is checked next. */
export function describeBatch(v: BatchView): string {
  const p = v.pending;
  const n = plural(p.handle.customIds.length, 'request');
  const state = v.counts ? `${v.state ?? 'pending'} (${v.counts.completed}/${v.counts.total} done)` : (v.state ?? 'submitted');
  const next = new Date(p.nextPollAt).toLocaleTimeString();
  return `• ${providerLabel(p.handle.provider)} ${p.handle.model}: ${n}, ${state}, sent ${new Date(p.handle.submittedAt).toLocaleString()}, next check ${next}${v.lastError ? ` — last check failed: ${v.lastError}` : ''}`;
}
