// Notes and warnings go to the log every time and to a notification once per window (per distinct text).
import * as vscode from 'vscode';

export class Notifier {
  private readonly told = new Set<string>();

  constructor(private readonly log: vscode.LogOutputChannel) {}

  once(key: string, message: string, level: 'info' | 'warn'): void {
    this.log[level](message);
    if (this.told.has(key)) return;
    this.told.add(key);
    if (level === 'warn') void vscode.window.showWarningMessage(message);
    else void vscode.window.showInformationMessage(message);
  }
}
