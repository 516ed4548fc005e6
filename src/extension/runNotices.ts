// What the user is told when a run ends: the provider's error (with the action that fixes it), a round that added
// nothing (with what to do: raise max tokens), or — only when the cut answer has no marker to continue from (its
// document was closed) — the truncation. A truncated answer's one place that asks for action is its marker in the
// document (codeActions.ts: the decoration, the diagnostic and its quick fixes), not a toast as well. Refusals
// before a request are told by send/preflight.ts and door/door.ts.
import * as vscode from 'vscode';
import type { ProviderError, ProviderId } from '../core/protocol/request';
import type { Truncations } from './codeActions';
import type { RunEvents, RunFinished } from './send/events';
import type { Notifier } from './send/notifier';
import type { NoticeAction } from './notices';

/** Notes that end with nothing to do close by themselves after this long (they are in the log as well). */
const NOTE_MS = 30_000;

export function noticeRuns(events: RunEvents, truncations: Truncations, tell: Notifier): vscode.Disposable {
  return events.on('finished', (e) => {
    if (e.error) return showProviderError(e.error, e.settings.provider, e.summary.text.length > 0, e.retry);
    if (e.noProgress) return noProgressNotice(e, truncations, tell);
    if (e.truncationMessage !== undefined && !e.marker) {
      tell.notice(`truncated:${e.chain.chainId}`, vscode.l10n.t('Lengthwise: {0} The document was closed, so there is no answer to continue.', e.truncationMessage), { closeAfterMs: NOTE_MS });
    }
  });
}

/**
 * A round that added no new text: continuing with the same cap would repeat it, so the actions are a doubled cap
 * (when the answer can be continued) and raising max tokens. Closes when the answer is continued or closed, or
 * when max tokens (or the preset) change.
 */
function noProgressNotice(e: RunFinished, truncations: Truncations, tell: Notifier): void {
  const chainId = e.chain.chainId;
  const actions: NoticeAction[] = [{ title: vscode.l10n.t('Raise max tokens'), command: 'workbench.action.openSettings', args: ['lengthwise.maxTokens'] }];
  if (e.marker) actions.unshift({ title: vscode.l10n.t('Continue with 2× max tokens'), command: 'lengthwise.continue', args: [{ id: chainId, maxTokensFactor: 2 }] });
  tell.notice(`noprogress:${chainId}`, vscode.l10n.t('Lengthwise: {0}', e.noProgress!), {
    actions,
    settings: ['maxTokens', 'preset', 'presets'],
    closeOn: [truncations.onDidEnd(chainId)],
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
