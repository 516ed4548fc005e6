// Puts a batch's answers where they belong: after the selection each was sent from, when that document is open and
// the text there is unchanged; otherwise in one new document, each answer under a line saying why it is there.
import * as vscode from 'vscode';
import type { LandingGroup } from '../../core/generation/jobs/batchResults';
import { landing, type PendingBatch } from '../../core/generation/jobs/pending';
import { afterRange } from '../send/target';

export interface Landed {
  /** Answers inserted at their anchors, per document (its file name). */
  inPlace: Map<string, number>;
  /** The new document holding the rest, and why each is there. */
  elsewhere?: { document: vscode.TextDocument; reasons: string[] };
}

export async function landGroups(p: PendingBatch, groups: readonly LandingGroup[]): Promise<Landed> {
  const edit = new vscode.WorkspaceEdit();
  const inPlace = new Map<string, number>();
  const away: { group: LandingGroup; why: string; where: string }[] = [];
  const placed: [LandingGroup, string][] = [];
  for (const g of groups) {
    const a = g.anchor;
    const doc = a.uri ? vscode.workspace.textDocuments.find((d) => d.uri.toString() === a.uri) : undefined;
    const where = doc ? vscode.workspace.asRelativePath(doc.uri) : a.uri ? vscode.Uri.parse(a.uri).path.split('/').pop()! : 'the selection';
    if (p.toNewDocument) {
      away.push({ group: g, why: 'lengthwise.output is "newDocument"', where });
      continue;
    }
    const range = doc && a.end <= doc.offsetAt(doc.lineAt(doc.lineCount - 1).range.end) ? new vscode.Range(doc.positionAt(a.start), doc.positionAt(a.end)) : undefined;
    const to = landing(a, range && doc!.getText(range));
    if (to.at === 'newDocument') {
      away.push({ group: g, why: to.why, where });
      continue;
    }
    // landing() says "anchor" only for a text read from doc at range. On a new line after it, as Send's insertAfter does.
    const { at, nl } = afterRange(doc!, range!);
    edit.insert(doc!.uri, at, nl + g.text.replace(/\r?\n/g, nl));
    inPlace.set(where, (inPlace.get(where) ?? 0) + 1);
    placed.push([g, where]);
  }
  if (inPlace.size && !(await vscode.workspace.applyEdit(edit))) {
    // The editor refused the edit (e.g. the document became read-only): nothing is dropped, all go to the new document.
    for (const [g, where] of placed) away.push({ group: g, why: 'the editor refused the edit', where });
    inPlace.clear();
  }
  if (!away.length) return { inPlace };
  const head = `Lengthwise batch ${p.handle.id} (${p.handle.model}, submitted ${p.handle.submittedAt})`;
  const content = [head, ...away.map((x) => `───── answer for ${x.where} (chars ${x.group.anchor.start}–${x.group.anchor.end}) — here because ${x.why} ─────\n\n${x.group.text}`)].join('\n\n');
  const document = await vscode.workspace.openTextDocument({ content, language: 'markdown' });
  await vscode.window.showTextDocument(document, { preview: false, preserveFocus: true });
  return { inPlace, elsewhere: { document, reasons: [...new Set(away.map((x) => x.why))] } };
}
