// Truncated answers stay visible: a subtle decoration on the range, an Information diagnostic on its last line,
// and quick fixes "Continue generation" / "Continue with 2× max tokens". Ranges follow the user's edits.
import * as vscode from 'vscode';
import type { ChainState } from '../core/generation/pipeline';
import type { LengthwiseSettings } from '../core/settings/settings';
import type { AnchoredInserter } from './editorStream';
import type { EndpointScope } from './config/configuration';
import type { RunEvents } from './send/events';

export interface TruncatedAnswer {
  id: string;
  document: vscode.TextDocument;
  inserter: AnchoredInserter;
  chain: ChainState;
  settings: LengthwiseSettings;
  presetName?: string;
  /** Where the endpoint was set: the continuation asks the endpoint gate with it. */
  endpointScope: EndpointScope;
  message: string;
  /** The last round added no new text: continuing with the same cap would repeat it (only 2× and raising are offered). */
  noProgress?: boolean;
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
  /** Fired with a chain's id when its marker goes (continued, closed, removed). */
  private readonly ended = new vscode.EventEmitter<string>();
  private refreshTimer: NodeJS.Timeout | undefined;

  constructor(events: RunEvents) {
    this.subs.push(
      // A cut answer gets its marker; the inserter that owns its range lives on in the marker.
      events.on('finished', (e) => {
        if (!e.marker) return;
        const { document, inserter } = e.marker;
        this.add({ id: e.chain.chainId, document, inserter, chain: e.chain, settings: e.settings, presetName: e.presetName, endpointScope: e.endpointScope, message: e.truncationMessage ?? '', noProgress: e.noProgress !== undefined });
      }),
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
    this.take(id)?.inserter.dispose();
  }

  /**
   * Removes the marker but leaves the inserter alive (still tracking the whole answer's range): a continuation
   * writes through it at the answer's end, so the range, the next round's text so far and the next marker cover
   * the whole answer, not only the last round.
   */
  take(id: string): TruncatedAnswer | undefined {
    const t = this.items.get(id);
    if (!t) return undefined;
    this.items.delete(id);
    this.refresh(t.document);
    this.ended.fire(id);
    return t;
  }

  /** An event that fires once the marker of `chainId` goes (for notices about that answer). */
  onDidEnd(chainId: string): vscode.Event<unknown> {
    return (listener, thisArg, disposables) => this.ended.event((id) => id === chainId && listener.call(thisArg, id), undefined, disposables);
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
        return r.contains(pos) || pos.line === r.end.line || pos.line === lastLine(doc, r).start.line;
      });
      if (hit) return hit;
    }
    return mine.at(-1);
  }

  last(): TruncatedAnswer | undefined {
    return [...this.items.values()].at(-1);
  }

  provideCodeActions(doc: vscode.TextDocument, range: vscode.Range | vscode.Selection): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    for (const t of this.forDocument(doc)) {
      const r = t.inserter.range();
      const last = lastLine(doc, r);
      if (!r.intersection(range) && !last.intersection(range) && !(range.start.line >= r.start.line && range.end.line <= r.end.line)) continue;
      actions.push(...this.fixesFor(t));
    }
    return actions;
  }

  /**
   * Continue with the cap in force (preferred) and with 2×; after a round that added nothing, the same cap would
   * repeat it: 2× (preferred) and raising max tokens instead.
   */
  private fixesFor(t: TruncatedAnswer): vscode.CodeAction[] {
    const diag = this.diagnosticFor(t);
    const fix = (title: string, command: vscode.Command, preferred: boolean) => {
      const a = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
      a.command = command;
      a.diagnostics = [diag];
      a.isPreferred = preferred;
      return a;
    };
    const twiceTitle = vscode.l10n.t('Continue with 2× max tokens');
    const twice = fix(twiceTitle, { command: 'lengthwise.continue', title: twiceTitle, arguments: [{ id: t.id, maxTokensFactor: 2 }] }, !!t.noProgress);
    if (t.noProgress) {
      const raiseTitle = vscode.l10n.t('Raise max tokens (lengthwise.maxTokens)');
      return [twice, fix(raiseTitle, { command: 'workbench.action.openSettings', title: raiseTitle, arguments: ['lengthwise.maxTokens'] }, false)];
    }
    const sameTitle = vscode.l10n.t('Continue generation');
    return [fix(sameTitle, { command: 'lengthwise.continue', title: sameTitle, arguments: [{ id: t.id }] }, true), twice];
  }

  private diagnosticFor(t: TruncatedAnswer): vscode.Diagnostic {
    const d = new vscode.Diagnostic(lastLine(t.document, t.inserter.range()), t.message, vscode.DiagnosticSeverity.Information);
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

  private refresh(doc: vscode.TextDocument): void {
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
    this.ended.dispose();
    for (const s of this.subs) s.dispose();
  }
}

/** The answer's last line with text (an answer ending in a line break ends at column 0 of the line after it). */
function lastLine(doc: vscode.TextDocument, r: vscode.Range): vscode.Range {
  const line = r.end.character === 0 && r.end.line > r.start.line ? r.end.line - 1 : r.end.line;
  const from = line === r.start.line ? r.start.character : 0;
  const to = line === r.end.line ? r.end.character : doc.lineAt(line).range.end.character;
  return new vscode.Range(line, from, line, to);
}
