// Where the answer goes: an AnchoredInserter per output mode (after the selection, replacing it, or a new document).
import * as vscode from 'vscode';
import { RefusedError } from '../../core/generation/summary';
import type { LengthwiseSettings } from '../../core/settings/settings';
import { AnchoredInserter } from '../editorStream';

/** `textGiven`: the prompt came from the API, not the editor, so there is no selection to replace. */
export async function openTarget(editor: vscode.TextEditor | undefined, mode: LengthwiseSettings['output'], textGiven: boolean): Promise<AnchoredInserter> {
  if (mode === 'newDocument' || !editor) return newDocument(editor);
  const doc = editor.document;
  const sel = editor.selection;
  if (mode === 'replace' && !textGiven) {
    const range = sel.isEmpty ? doc.lineAt(sel.active.line).range : sel;
    const start = doc.offsetAt(range.start);
    const ok = await editor.edit((b) => b.delete(range), { undoStopBefore: true, undoStopAfter: false });
    if (!ok) throw new RefusedError(vscode.l10n.t('The editor refused to replace the selection.'), 'no-target');
    return new AnchoredInserter(doc, start);
  }
  const { at, nl } = afterRange(doc, sel);
  // The line break comes with the first text: a request that fails before any text leaves the document untouched.
  return new AnchoredInserter(doc, doc.offsetAt(at), nl);
}

/**
 * Where an answer goes after a range (a selection, or the cursor's line): the end of its last line (a selection
 * ending at column 0 ends on the line before), and the document's own line break to start the new line with.
 */
export function afterRange(doc: vscode.TextDocument, range: vscode.Range): { at: vscode.Position; nl: string } {
  const lastLine = !range.isEmpty && range.end.character === 0 && range.end.line > range.start.line ? range.end.line - 1 : range.end.line;
  return { at: doc.lineAt(lastLine).range.end, nl: doc.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n' };
}

async function newDocument(editor: vscode.TextEditor | undefined): Promise<AnchoredInserter> {
  const doc = await vscode.workspace.openTextDocument({ content: '', language: editor?.document.languageId ?? 'markdown' });
  await vscode.window.showTextDocument(doc, { preview: false, viewColumn: editor ? vscode.ViewColumn.Beside : undefined });
  return new AnchoredInserter(doc, 0);
}
