// The desktop entry (package.json "main", bundled as dist/extension.js): the shell on Node's host.
import type * as vscode from 'vscode';
import { activateShell, type LengthwiseApi } from './extension';
import { desktopHost } from './host/desktop';

export { deactivate } from './extension';

export function activate(context: vscode.ExtensionContext): LengthwiseApi {
  const start = performance.now();
  return activateShell(context, desktopHost(context), start);
}
