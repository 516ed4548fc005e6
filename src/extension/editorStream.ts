// Streams text into a document at an anchored range: batched edits (at most ~20 a second whatever the chunk
// rate), and the range follows the user's own edits elsewhere so the answer always lands contiguous.
import * as vscode from 'vscode';

const FLUSH_MS = 50;

export class AnchoredInserter implements vscode.Disposable {
  /** Offsets of the inserted answer in the document (start inclusive, end exclusive). */
  private start: number;
  private end: number;
  private pending = '';
  private inflight: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Our own edit being applied: recognised in the change event by offset and text. */
  private expected: { offset: number; text: string } | undefined;
  /** Our edit already accounted for without its event: ignore the event if it still comes. */
  private late: { offset: number; text: string } | undefined;
  private readonly sub: vscode.Disposable;
  private closed = false;
  private failure: Error | undefined;
  /** Characters actually written into the document. */
  written = '';

  /**
   * `lead` (e.g. the line break that puts the answer on its own line) is inserted with the first text, not before:
   * a request that fails before any text leaves the document exactly as it was. It is not part of the range.
   */
  constructor(
    readonly document: vscode.TextDocument,
    offset: number,
    private lead = '',
  ) {
    this.start = offset;
    this.end = offset;
    this.sub = vscode.Disposable.from(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === this.document) this.track(e.contentChanges);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (d === this.document) this.closed = true;
      }),
    );
  }

  get isClosed(): boolean {
    return this.closed;
  }

  range(): vscode.Range {
    return new vscode.Range(this.document.positionAt(this.start), this.document.positionAt(this.end));
  }

  write(text: string): void {
    if (!text || this.closed) return;
    // VS Code converts inserted line breaks to the document's EOL; convert first so offsets and the change
    // events we recognise as ours match what the document really holds.
    if (this.document.eol === vscode.EndOfLine.CRLF) text = text.replace(/\r?\n/g, '\r\n');
    this.pending += text;
    if (!this.timer && !this.inflight) this.timer = setTimeout(() => this.pump(), FLUSH_MS);
  }

  /** Writes everything pending and resolves when the document holds it. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    // Once the document is closed nothing more can be written: pending text is dropped, not retried in a loop
    // (pump() is a no-op then, so looping on `pending` would spin the extension host forever).
    while (this.inflight || (this.pending && !this.closed)) {
      if (this.inflight) await this.inflight;
      else await this.pump();
    }
    if (this.failure) throw this.failure;
  }

  private pump(): Promise<void> {
    this.timer = undefined;
    if (this.inflight || !this.pending || this.closed) return this.inflight ?? Promise.resolve();
    const text = this.pending;
    this.pending = '';
    this.inflight = this.apply(text).finally(() => {
      this.inflight = undefined;
      if (this.pending && !this.timer && !this.closed) this.timer = setTimeout(() => this.pump(), FLUSH_MS);
    });
    return this.inflight;
  }

  private async apply(text: string): Promise<void> {
    const at = this.end;
    const lead = this.lead;
    const full = lead + text;
    this.expected = { offset: at, text: full };
    const pos = this.document.positionAt(at);
    const editor = vscode.window.visibleTextEditors.find((e) => e.document === this.document);
    let ok: boolean;
    try {
      if (editor) {
        // An insertion at the selection's edge would extend it: keep the user's selection on the prompt.
        const doc = this.document;
        const kept = lead ? editor.selections.map((sl) => [doc.offsetAt(sl.anchor), doc.offsetAt(sl.active)]) : undefined;
        // One undo step for the whole answer: an undo stop before the first edit only.
        ok = await editor.edit((b) => b.insert(pos, full), { undoStopBefore: lead !== '', undoStopAfter: false });
        if (ok && kept) {
          const moved = (o: number) => doc.positionAt(o <= at ? o : o + full.length);
          editor.selections = kept.map(([a, c]) => new vscode.Selection(moved(a), moved(c)));
        }
      } else {
        const we = new vscode.WorkspaceEdit();
        we.insert(this.document.uri, pos, full);
        ok = await vscode.workspace.applyEdit(we);
      }
    } catch (e) {
      ok = false;
      this.failure = e instanceof Error ? e : new Error(String(e));
    }
    if (this.expected) {
      // The change event did not arrive (or did not match): account for the text ourselves if it was applied.
      this.expected = undefined;
      if (ok && this.document.getText(new vscode.Range(pos, this.document.positionAt(at + full.length))) === full) {
        this.end = at + full.length;
        this.late = { offset: at, text: full };
      }
    }
    if (ok && lead) {
      // The lead sits before the answer: the range starts after it.
      this.start += lead.length;
      this.lead = '';
    }
    if (ok) this.written += text;
    else if (!this.closed) {
      // Keep it for the next attempt rather than dropping it.
      this.pending = text + this.pending;
      if (!this.failure) this.failure = new Error(vscode.l10n.t('The editor refused the edit.'));
    }
  }

  private track(changes: readonly vscode.TextDocumentContentChangeEvent[]): void {
    for (const c of changes) {
      if (this.late && c.rangeLength === 0 && c.rangeOffset === this.late.offset && c.text === this.late.text) {
        this.late = undefined;
        continue;
      }
      if (this.expected && c.rangeLength === 0 && c.rangeOffset === this.expected.offset && c.text === this.expected.text) {
        this.end += c.text.length;
        this.expected = undefined;
        continue;
      }
      const delta = c.text.length - c.rangeLength;
      const changeEnd = c.rangeOffset + c.rangeLength;
      if (c.rangeOffset >= this.end) continue; // after the answer (or typed at its end): the answer keeps growing before it
      if (changeEnd <= this.start) {
        // Before the answer: it shifts.
        this.start += delta;
        this.end += delta;
        if (this.expected) this.expected.offset += delta;
        continue;
      }
      // Overlaps the answer: the answer range absorbs the edit.
      this.start = Math.min(this.start, c.rangeOffset);
      this.end = Math.max(this.start, this.end + delta);
      if (this.expected) this.expected.offset = this.end;
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.sub.dispose();
  }
}
