// The walkthrough (package.json contributes.walkthroughs) opens once, on the first start after install.
import * as vscode from 'vscode';
import { WALKTHROUGH } from './statusBar';

const SHOWN = 'lengthwise.walkthroughShown';

/** Opens the walkthrough unless it was opened before (globalState, shared by every window); true when opened. */
export async function openWalkthroughOnce(state: vscode.Memento): Promise<boolean> {
  if (state.get<boolean>(SHOWN)) return false;
  await state.update(SHOWN, true);
  await vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH, false);
  return true;
}

/** Tests: forget that the walkthrough was shown. */
export function forgetWalkthrough(state: vscode.Memento): Thenable<void> {
  return state.update(SHOWN, undefined);
}
