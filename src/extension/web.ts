// The entry of VS Code for the Web (package.json "browser", bundled for the browser as dist/web/extension.js): the
// shell in the browser's web-worker extension host. activate() resolves once the price table is loaded, so the
// shell never prices without it.
import type * as vscode from 'vscode';
import { activateShell, type LengthwiseApi } from './extension';
import { webHost } from './host/web';

export { deactivate } from './extension';

export async function activate(context: vscode.ExtensionContext): Promise<LengthwiseApi> {
  const start = performance.now();
  return activateShell(context, await webHost(context), start);
}
