// Notes and warnings go to the log every time and to a notification once per window per cause: messages that
// differ only in their bare numbers ("max tokens 300 is sent unclamped" / "max tokens 8 …") are one cause.
import * as vscode from 'vscode';

export class Notifier {
  private readonly told = new Set<string>();

  constructor(private readonly log: vscode.LogOutputChannel) {}

  once(key: string, message: string, level: 'info' | 'warn'): void {
    this.log[level](message);
    // Quoted values (model ids, stop sequences) stay part of the cause; bare numbers do not.
    const cause = key.replace(/"[^"]*"|\d+(\.\d+)?/g, (m) => (m.startsWith('"') ? m : '#'));
    if (this.told.has(cause)) return;
    this.told.add(cause);
    if (level === 'warn') void vscode.window.showWarningMessage(message);
    else void vscode.window.showInformationMessage(message);
  }
}
