// What the user is told when a run ends: the provider's error (with the action that fixes it) or the truncation
// (with Continue). Refusals before a request are told by send/preflight.ts.
import * as vscode from 'vscode';
import type { ProviderError, ProviderId } from '../core/protocol/request';
import type { Truncations } from './codeActions';
import type { RunEvents } from './send/events';

export function noticeRuns(events: RunEvents, truncations: Truncations): vscode.Disposable {
  // The newest run of each chain: a toast of an older run is superseded (the answer was continued since).
  const latest = new Map<string, string>();
  return events.on('finished', (e) => {
    const chainId = e.chain.chainId;
    latest.set(chainId, e.runId);
    if (e.error) return showProviderError(e.error, e.settings.provider, e.summary.text.length > 0);
    if (e.truncationMessage === undefined) {
      // A round that added nothing is never a silent success, even when the model then ended the answer.
      if (e.noProgress) void vscode.window.showInformationMessage(`Lengthwise: ${e.noProgress}`);
      return;
    }
    void vscode.window.showInformationMessage(`Lengthwise: ${e.truncationMessage}`, 'Continue', 'Continue with 2× max tokens').then((a) => {
      if (!a) return;
      // VS Code cannot withdraw a toast: an old one stays in the notification center, so its button checks first.
      if (latest.get(chainId) !== e.runId || !truncations.get(chainId)) {
        void vscode.window.showInformationMessage('Lengthwise: that truncation notice is superseded — the answer was continued or closed since. Nothing was sent.');
        return;
      }
      void vscode.commands.executeCommand('lengthwise.continue', { id: chainId, maxTokensFactor: a === 'Continue' ? 1 : 2 });
    });
  });
}

function showProviderError(e: ProviderError, provider: ProviderId, kept: boolean): void {
  if (e.kind === 'cancelled') return;
  const suffix = kept && !/kept/.test(e.message) ? ' The text received so far is kept.' : '';
  const actions = e.kind === 'auth' ? ['Set API Key'] : kept ? ['Continue'] : [];
  void vscode.window.showErrorMessage(`Lengthwise: ${e.message}${suffix}`, ...actions).then((a) => {
    if (a === 'Set API Key') void vscode.commands.executeCommand('lengthwise.setApiKey', provider);
    if (a === 'Continue') void vscode.commands.executeCommand('lengthwise.continue');
  });
}
