// What a click on the status bar item opens: a small menu, so nothing paid starts from a click on a figure. Continue
// is an item of its own with its worst case (a trial user paid for a round by clicking a truncated answer's numbers).
import * as vscode from 'vscode';
import { formatUsd } from '../core/pricing/money';
import type { SendController } from './send/controller';
import { logError } from './logError';

interface MenuItem extends vscode.QuickPickItem {
  id: 'continue' | 'cancel' | 'selectPreset' | 'showDashboard';
  run(): Thenable<unknown>;
}

/** The Continue item, when a truncated answer can be continued: what it would send and its worst case. */
async function continueItem(controller: SendController, log: vscode.LogOutputChannel): Promise<MenuItem | undefined> {
  let c: Awaited<ReturnType<SendController['continuation']>>;
  try {
    c = await controller.continuation();
  } catch (e) {
    // No truncated answer (or its settings cannot be read now): no item; anything unexpected goes to the log.
    if (!(e instanceof Error && e.name === 'RefusedError')) logError(log, 'status menu', e);
    return undefined;
  }
  const worst = c.worstUsd === null ? vscode.l10n.t('worst case unknown (no price)') : vscode.l10n.t('worst case {0}', formatUsd(c.worstUsd));
  return {
    id: 'continue',
    label: c.factor > 1 ? vscode.l10n.t('$(debug-continue) Continue with {0}× max tokens', c.factor) : vscode.l10n.t('$(debug-continue) Continue the truncated answer'),
    description: vscode.l10n.t('paid: up to {0} more tokens, {1}', c.maxTokens.toLocaleString('en-US'), worst),
    detail: c.t.message,
    run: () => vscode.commands.executeCommand('lengthwise.continue', { id: c.t.id, maxTokensFactor: c.factor }),
  };
}

/** Shows the menu; runs the chosen item. Resolves with the chosen item's id (undefined: dismissed). */
export async function statusMenu(controller: SendController, log: vscode.LogOutputChannel): Promise<MenuItem['id'] | undefined> {
  const items: MenuItem[] = [];
  if (controller.running) {
    items.push({ id: 'cancel', label: vscode.l10n.t('$(circle-slash) Cancel'), description: vscode.l10n.t('{0} running; everything received stays', controller.running), run: () => vscode.commands.executeCommand('lengthwise.cancel') });
  } else {
    const cont = await continueItem(controller, log);
    if (cont) items.push(cont);
  }
  items.push(
    { id: 'selectPreset', label: vscode.l10n.t('$(symbol-ruler) Select Preset'), run: () => vscode.commands.executeCommand('lengthwise.selectPreset') },
    { id: 'showDashboard', label: vscode.l10n.t('$(graph) Show Spend and Length Dashboard'), run: () => vscode.commands.executeCommand('lengthwise.showDashboard') },
  );
  const pick = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Lengthwise'), placeHolder: vscode.l10n.t('Nothing is sent until you pick an item that says it is paid') });
  if (pick) await pick.run();
  return pick?.id;
}
