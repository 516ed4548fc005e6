// Placeholder activate(): replaced by the real wiring (commands, status bar, ledger).
import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext) {
  for (const id of ['send', 'continue', 'cancel', 'selectPreset', 'setApiKey', 'showDashboard']) {
    context.subscriptions.push(vscode.commands.registerCommand(`lengthwise.${id}`, () => undefined));
  }
  return { statusText: () => 'Lengthwise' };
}

export function deactivate() {}
