// What the user is told when a run ends: the provider's error (with the action that fixes it) or the truncation
// (with Continue). Refusals before a request are told by send/preflight.ts.
import * as vscode from 'vscode';
import type { ProviderError, ProviderId } from '../core/protocol/request';
import type { Truncations } from './codeActions';
import type { RunEvents, RunFinished } from './send/events';

export function noticeRuns(events: RunEvents, truncations: Truncations): vscode.Disposable {
  // The newest run of each chain: a toast of an older run is superseded (the answer was continued since).
  const latest = new Map<string, string>();
  return events.on('finished', (e) => {
    const chainId = e.chain.chainId;
    latest.set(chainId, e.runId);
    if (e.error) return showProviderError(e.error, e.settings.provider, e.summary.text.length > 0, e.retry);
    if (e.truncationMessage === undefined) {
      // A round that added nothing is never a silent success, even when the model then ended the answer.
      if (e.noProgress) void vscode.window.showInformationMessage(vscode.l10n.t('Lengthwise: {0}', e.noProgress));
      return;
    }
    // The same translated labels are shown and compared.
    const same = vscode.l10n.t('Continue');
    const twice = vscode.l10n.t('Continue with 2× max tokens');
    void vscode.window.showInformationMessage(vscode.l10n.t('Lengthwise: {0}', e.truncationMessage), same, twice).then((a) => {
      if (!a) return;
      // VS Code cannot withdraw a toast: an old one stays in the notification center, so its button checks first.
      if (latest.get(chainId) !== e.runId || !truncations.get(chainId)) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Lengthwise: that truncation notice is superseded — the answer was continued or closed since. Nothing was sent.'));
        return;
      }
      void vscode.commands.executeCommand('lengthwise.continue', { id: chainId, maxTokensFactor: a === same ? 1 : 2 });
    });
  });
}

function showProviderError(e: ProviderError, provider: ProviderId, kept: boolean, retry: RunFinished['retry']): void {
  if (e.kind === 'cancelled') return;
  const setKey = vscode.l10n.t('Set API Key');
  const cont = vscode.l10n.t('Continue');
  const standard = vscode.l10n.t('Retry at standard tier');
  // A tier the provider refused (flex without capacity): one click sends it again at standard, never by itself.
  const actions = e.tierRefused && retry && !kept ? [standard] : e.kind === 'auth' ? [setKey] : kept ? [cont] : [];
  // The provider's message stays as the provider (or core) worded it; "kept" is checked on it, not on a translation.
  const text = kept && !/kept/.test(e.message) ? vscode.l10n.t('Lengthwise: {0} The text received so far is kept.', e.message) : vscode.l10n.t('Lengthwise: {0}', e.message);
  void vscode.window.showErrorMessage(text, ...actions).then((a) => {
    if (a === setKey) void vscode.commands.executeCommand('lengthwise.setApiKey', provider);
    if (a === cont) void vscode.commands.executeCommand('lengthwise.continue');
    if (a === standard && retry) void vscode.commands.executeCommand('lengthwise.send', { ...retry, overrides: { ...retry.overrides, serviceTier: 'standard' } });
  });
}
