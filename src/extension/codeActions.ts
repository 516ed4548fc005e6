// Truncated answers stay visible: a subtle decoration on the range, an Information diagnostic on its last line,
// and quick fixes "Continue generation" / "Continue with 2× max tokens". Ranges follow the user's edits.
import * as vscode from 'vscode';
import type { ChainState } from '../core/pipeline';
import type { LengthwiseSettings } from '../core/settings';
import type { AnchoredInserter } from './editorStream';

export interface TruncatedAnswer {
  id: string;
  document: vscode.TextDocument;
  inserter: AnchoredInserter;
  chain: ChainState;
  settings: LengthwiseSettings;
  presetName?: string;
  message: string;
}

export class Truncations implements vscode.CodeActionProvider, vscode.Disposable {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];
  private readonly items = new Map<string, TruncatedAnswer>();
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('lengthwise');
  private readonly decoration = vscode.window.createTextEditorDecorationType({
    backgroundColor: new vscode.ThemeColor('editor.wordHighlightBackground'),
    isWholeLine: false,
    after: {
      contentText: ' ⋯ truncated — Continue',
      color: new vscode.ThemeColor('editorCodeLens.foreground'),
      fontStyle: 'italic',
    },
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
  });
  private readonly subs: vscode.Disposable[] = [];
  private refreshTimer: NodeJS.Timeout | undefined;

  constructor() {
    this.subs.push(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (this.forDocument(e.document).length) this.scheduleRefresh();
      }),
      vscode.window.onDidChangeVisibleTextEditors(() => this.refreshAll()),
      vscode.workspace.onDidCloseTextDocument((d) => {
        for (const t of this.forDocument(d)) this.remove(t.id);
      }),
    );
  }

  add(t: TruncatedAnswer): void {
    this.items.set(t.id, t);
    this.refresh(t.document);
  }

  get(id: string): TruncatedAnswer | undefined {
    return this.items.get(id);
  }

  remove(id: string): void {
    const t = this.items.get(id);
    if (!t) return;
    this.items.delete(id);
    t.inserter.dispose();
    this.refresh(t.document);
  }

  forDocument(doc: vscode.TextDocument): TruncatedAnswer[] {
    return [...this.items.values()].filter((t) => t.document === doc);
  }

  /** The truncated answer at a position (or whose last line it is on), else the most recent one in the document. */
  at(doc: vscode.TextDocument, pos?: vscode.Position): TruncatedAnswer | undefined {
    const mine = this.forDocument(doc);
    if (pos) {
      const hit = mine.find((t) => {
        const r = t.inserter.range();
        return r.contains(pos) || pos.line === r.end.line;
      });
      if (hit) return hit;
    }
    return mine.at(-1);
  }

  last(): TruncatedAnswer | undefined {
    return [...this.items.values()].at(-1);
  }

  get size(): number {
    return this.items.size;
  }

  provideCodeActions(doc: vscode.TextDocument, range: vscode.Range | vscode.Selection): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    for (const t of this.forDocument(doc)) {
      const r = t.inserter.range();
      const lastLine = new vscode.Range(r.end.line, 0, r.end.line, r.end.character);
      if (!r.intersection(range) && !lastLine.intersection(range) && !(range.start.line >= r.start.line && range.end.line <= r.end.line)) continue;
      const diag = this.diagnosticFor(t);
      const same = new vscode.CodeAction('Continue generation', vscode.CodeActionKind.QuickFix);
      same.command = { command: 'lengthwise.continue', title: 'Continue generation', arguments: [{ id: t.id }] };
      same.diagnostics = [diag];
      same.isPreferred = true;
      const twice = new vscode.CodeAction('Continue with 2× max tokens', vscode.CodeActionKind.QuickFix);
      twice.command = { command: 'lengthwise.continue', title: 'Continue with 2× max tokens', arguments: [{ id: t.id, maxTokensFactor: 2 }] };
      twice.diagnostics = [diag];
      actions.push(same, twice);
    }
    return actions;
  }

  private diagnosticFor(t: TruncatedAnswer): vscode.Diagnostic {
    const r = t.inserter.range();
    const line = new vscode.Range(r.end.line, r.end.line === r.start.line ? r.start.character : 0, r.end.line, r.end.character);
    const d = new vscode.Diagnostic(line, t.message, vscode.DiagnosticSeverity.Information);
    d.source = 'Lengthwise';
    d.code = 'truncated';
    return d;
  }

  private scheduleRefresh(): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.refreshAll();
    }, 50);
  }

  private refreshAll(): void {
    const docs = new Set([...this.items.values()].map((t) => t.document));
    for (const e of vscode.window.visibleTextEditors) docs.add(e.document);
    for (const d of docs) this.refresh(d);
  }

  refresh(doc: vscode.TextDocument): void {
    const mine = this.forDocument(doc);
    this.diagnostics.set(doc.uri, mine.map((t) => this.diagnosticFor(t)));
    for (const e of vscode.window.visibleTextEditors) {
      if (e.document === doc) e.setDecorations(this.decoration, mine.map((t) => t.inserter.range()));
    }
    void vscode.commands.executeCommand('setContext', 'lengthwise.hasTruncated', this.items.size > 0);
  }

  dispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    for (const t of this.items.values()) t.inserter.dispose();
    this.items.clear();
    this.diagnostics.dispose();
    this.decoration.dispose();
    for (const s of this.subs) s.dispose();
  }
}
