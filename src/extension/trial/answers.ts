// The answers of a trial as a read-only Markdown document (lengthwise-trial:/<id>/<label>.md), one section per
// example with its figures; two trials' documents side by side in a diff editor. The answers live in memory for the
// session that ran the trial (the store keeps no text): a later session's document says so.
import * as vscode from 'vscode';
import { current, TRIAL_LIMITS, type TrialRecord } from '../../core/generation/trial/record';
import { trialLabel } from '../../core/views/trialReport';
import type { TrialStore } from './store';

export const ANSWERS_SCHEME = 'lengthwise-trial';

export class TrialAnswers implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly sub: vscode.Disposable;

  constructor(private readonly store: TrialStore) {
    // An open answers document follows its trial (a run again replaces the cut answers).
    this.sub = store.onDidChange(() => {
      for (const doc of vscode.workspace.textDocuments) if (doc.uri.scheme === ANSWERS_SCHEME) this.changed.fire(doc.uri);
    });
  }

  uri(t: TrialRecord): vscode.Uri {
    const name = trialLabel(t.preset, t.model).replace(/[^\w .-]+/g, '_').slice(0, 80) || 'trial';
    return vscode.Uri.from({ scheme: ANSWERS_SCHEME, path: `/${t.id}/${name}.md` });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const id = uri.path.split('/')[1] ?? '';
    const t = this.store.get(id);
    if (!t) return `# Lengthwise trial ${id}\n\nThis trial is no longer kept (the ${TRIAL_LIMITS.trials} newest are).\n`;
    const answers = this.store.answersOf(id);
    const head = `# Lengthwise trial: ${trialLabel(t.preset, t.model)} — ${t.sentModel}, max tokens ${t.maxTokens}, ${t.time}\n`;
    const sections = t.examples.map((e, i) => {
      const a = current(e);
      const figures = !a ? 'not sent' : a.error !== undefined ? `no answer: ${a.error}` : `${a.outputTokens} output tokens, ${a.finish.truncated ? `cut at max tokens (${a.maxTokens})` : a.finish.reason}`;
      const text = answers ? (answers[i] ?? '') : '(the answers are kept in memory only, in the window that ran the trial)';
      return `## ${e.name} — ${figures}\n\n${text}\n`;
    });
    return [head, ...sections].join('\n');
  }

  async open(t: TrialRecord): Promise<void> {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(this.uri(t)), { preview: false });
  }

  /** `a`'s answers on the left, `b`'s on the right. */
  async diff(a: TrialRecord, b: TrialRecord): Promise<void> {
    const title = vscode.l10n.t('Lengthwise trial: {0} ↔ {1}', trialLabel(a.preset, a.model), trialLabel(b.preset, b.model));
    await vscode.commands.executeCommand('vscode.diff', this.uri(a), this.uri(b), title, { preview: false });
  }

  dispose(): void {
    this.sub.dispose();
    this.changed.dispose();
  }
}
