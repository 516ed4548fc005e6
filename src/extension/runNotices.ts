// What the user is told when a run ends: the provider's error (with the action that fixes it) or the truncation
// (with Continue). Refusals before a request are told by send/preflight.ts.
import * as vscode from 'vscode';
import type { ProviderError, ProviderId } from '../core/protocol/request';
import type { RunEvents } from './send/events';

export function noticeRuns(events: RunEvents): vscode.Disposable {
  return events.on('finished', (e) => {
    if (e.error) return showProviderError(e.error, e.settings.provider, e.summary.text.length > 0);
    if (e.truncationMessage === undefined) return;
    void vscode.window.showInformationMessage(`Lengthwise: ${e.truncationMessage}`, 'Continue', 'Continue with 2× max tokens').then((a) => {
      if (a) void vscode.commands.executeCommand('lengthwise.continue', { id: e.chain.chainId, maxTokensFactor: a === 'Continue' ? 1 : 2 });
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
