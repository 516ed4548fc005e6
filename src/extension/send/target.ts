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
  // insertAfter: on a new line after the selection (or after the cursor's line).
  const lastLine = !sel.isEmpty && sel.end.character === 0 && sel.end.line > sel.start.line ? sel.end.line - 1 : sel.end.line;
  const eol = doc.lineAt(lastLine).range.end;
  const nl = doc.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
  // The line break comes with the first text: a request that fails before any text leaves the document untouched.
  return new AnchoredInserter(doc, doc.offsetAt(eol), nl);
}

async function newDocument(editor: vscode.TextEditor | undefined): Promise<AnchoredInserter> {
  const doc = await vscode.workspace.openTextDocument({ content: '', language: editor?.document.languageId ?? 'markdown' });
  await vscode.window.showTextDocument(doc, { preview: false, viewColumn: editor ? vscode.ViewColumn.Beside : undefined });
  return new AnchoredInserter(doc, 0);
}
