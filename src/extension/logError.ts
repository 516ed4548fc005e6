// Errors go to the log with their stack. LogOutputChannel.error prints the stack of an Error passed as its first
// argument only (further arguments are reduced to their message), so the context is put in front of the stack.
import type * as vscode from 'vscode';

export function logError(log: vscode.LogOutputChannel, context: string, e: unknown): void {
  if (!(e instanceof Error)) return log.error(`${context}: ${String(e)}`);
  const withContext = new Error(`${context}: ${e.message}`);
  withContext.stack = `${context}: ${e.stack ?? e.message}`;
  log.error(withContext);
}
