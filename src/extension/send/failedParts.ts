// Parts of a job that got no answer are not text in the user's file: their place (the part's separator, or where
// a summarize-first answer would go) gets a Warning diagnostic and a short after-text, and one notification names
// the parts and why, with Retry. A retried part's answer lands after its own separator; the marks follow edits
// (found again by the separator's text inside the job's range, which the inserter keeps) and go when filled.
import * as vscode from 'vscode';
import type { JobStrategy } from '../../core/generation/jobs/jobPlan';
import type { PartResult } from '../../core/generation/jobs/liveJob';
import type { AnchoredInserter } from '../editorStream';
import { partText, type MissingAnswer } from './jobRun';

export interface FailedJob {
  id: string;
  document: vscode.TextDocument;
  /** Keeps the job's range (its answers and separators) through the user's edits while parts are missing. */
  inserter: AnchoredInserter;
  strategy: JobStrategy;
  total: number;
  missing: MissingAnswer[];
  /** Runs the missing parts again (chunks), or the whole job (summarize-first). */
  retry(job: FailedJob): Promise<unknown>;
}

/** Longest reason shown per part: the first sentence of the error, bounded. */
const MAX_REASON = 160;
const MAX_NAMED = 5;

export class FailedParts implements vscode.Disposable {
  private readonly jobs = new Map<string, FailedJob>();
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('lengthwise-jobs');
  private readonly decoration = vscode.window.createTextEditorDecorationType({
    after: { contentText: ' ⋯ no answer — Retry from the notification', color: new vscode.ThemeColor('editorWarning.foreground'), fontStyle: 'italic' },
  });
  private readonly subs: vscode.Disposable[];
  private timer: NodeJS.Timeout | undefined;
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.subs = [
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (this.of(e.document).length && !this.timer) this.timer = setTimeout(() => ((this.timer = undefined), this.refresh(e.document)), 50);
      }),
      vscode.window.onDidChangeVisibleTextEditors(() => new Set([...this.jobs.values()].map((j) => j.document)).forEach((d) => this.refresh(d))),
      vscode.workspace.onDidCloseTextDocument((d) => this.of(d).forEach((j) => this.remove(j.id))),
    ];
  }

  /** A job ended with parts missing: mark their places and say so once, with Retry. */
  add(job: FailedJob): void {
    this.jobs.set(job.id, job);
    this.refresh(job.document);
    this.notify(job);
  }

  /**
   * A retried part's answer: after its separator; it stays marked if it failed again (its text, if any, kept).
   * One edit at a time: two parts ending together would otherwise edit the same document version (one is dropped).
   */
  fill(jobId: string, index: number, r: PartResult): Promise<void> {
    this.queue = this.queue.then(() => this.fillNow(jobId, index, r)).catch(() => undefined);
    return this.queue;
  }

  private async fillNow(jobId: string, index: number, r: PartResult): Promise<void> {
    const job = this.jobs.get(jobId);
    if (!job) return;
    const at = r.text ? this.answerOffset(job, index) : undefined;
    if (r.text && at !== undefined) {
      const edit = new vscode.WorkspaceEdit();
      edit.insert(job.document.uri, job.document.positionAt(at), partText(index, r).replace(/\r?\n/g, eol(job.document)));
      if (!(await vscode.workspace.applyEdit(edit))) {
        // Not landed (the document changed under the edit, or is read-only): the part stays missing, its text in the log.
        job.missing = job.missing.filter((m) => m.index !== index).concat({ stage: 'chunk', index, message: 'the editor refused the edit; the answer is in the Lengthwise output' });
        this.log.info(`part ${index + 1}: the editor refused the edit; its answer:\n${r.text}`);
        return this.refresh(job.document);
      }
    }
    job.missing = job.missing.filter((m) => m.index !== index);
    if (r.error) job.missing.push({ stage: 'chunk', index, message: r.error.message });
    if (!job.missing.length) this.remove(jobId);
    else this.refresh(job.document);
  }

  /** Forget a job (all parts answered, or the document closed); `dispose` false: its range is still written to (a retry). */
  remove(id: string, dispose = true): void {
    const job = this.jobs.get(id);
    if (!job) return;
    this.jobs.delete(id);
    if (dispose) job.inserter.dispose();
    this.refresh(job.document);
  }

  /** After a retry: the parts still without an answer are named again (nothing when all came). */
  tell(id: string): void {
    const job = this.jobs.get(id);
    if (job?.missing.length) this.notify(job);
  }

  /** For tests: each job's missing parts and the lines their marks are on. */
  list(): { id: string; missing: number[]; lines: number[]; messages: string[] }[] {
    return [...this.jobs.values()].map((j) => ({ id: j.id, missing: j.missing.map((m) => m.index), lines: this.marks(j).map((m) => m.range.start.line), messages: this.marks(j).map((m) => m.message) }));
  }

  private of(doc: vscode.TextDocument): FailedJob[] {
    return [...this.jobs.values()].filter((j) => j.document === doc);
  }

  private notify(job: FailedJob): void {
    const named = job.missing.slice(0, MAX_NAMED).map((m) => vscode.l10n.t('{0} {1} — {2}', m.stage === 'chunk' ? vscode.l10n.t('part') : m.stage, m.index + 1, reason(m.message)));
    const more = job.missing.length > MAX_NAMED ? vscode.l10n.t(' and {0} more', job.missing.length - MAX_NAMED) : '';
    const text =
      job.strategy === 'chunks'
        ? vscode.l10n.t('Lengthwise: {0} of {1} parts got no answer: {2}{3}. The other answers are in place; each missing part is marked where it belongs.', job.missing.length, job.total, named.join('; '), more)
        : vscode.l10n.t('Lengthwise: the summarize-first job got no answer: {0}{1}. Its place is marked in the document.', named.join('; '), more);
    const retry = vscode.l10n.t('Retry');
    void vscode.window.showWarningMessage(text, retry).then((a) => {
      if (a === retry && this.jobs.get(job.id) === job) void job.retry(job);
    });
  }

  /** Where a missing part's answer goes: after its separator line and the blank line below it. */
  private answerOffset(job: FailedJob, index: number): number | undefined {
    const sep = this.separator(job, index);
    if (!sep) return job.strategy === 'chunks' ? undefined : job.document.offsetAt(job.inserter.range().end);
    const doc = job.document;
    const lineEnd = doc.offsetAt(doc.lineAt(sep.start.line).range.end);
    return Math.min(lineEnd + 2 * eol(doc).length, doc.offsetAt(job.inserter.range().end));
  }

  private separator(job: FailedJob, index: number): vscode.Range | undefined {
    if (job.strategy !== 'chunks') return undefined;
    const doc = job.document;
    const range = job.inserter.range();
    const label = `───── part ${index + 1}/${job.total} ─────`;
    const at = doc.getText(range).indexOf(label);
    if (at < 0) return undefined;
    const start = doc.offsetAt(range.start) + at;
    return new vscode.Range(doc.positionAt(start), doc.positionAt(start + label.length));
  }

  private marks(job: FailedJob): { range: vscode.Range; message: string }[] {
    return job.missing.flatMap((m) => {
      const range = this.separator(job, m.index) ?? (job.strategy === 'chunks' ? undefined : job.inserter.range());
      if (!range) return [];
      const what = job.strategy === 'chunks' ? vscode.l10n.t('Part {0}/{1} has no answer', m.index + 1, job.total) : vscode.l10n.t('No answer');
      return [{ range, message: vscode.l10n.t('{0}: {1} Retry from the notification, or send the part again.', what, reason(m.message)) }];
    });
  }

  private refresh(doc: vscode.TextDocument): void {
    const marks = this.of(doc).flatMap((j) => this.marks(j));
    this.diagnostics.set(
      doc.uri,
      marks.map((m) => Object.assign(new vscode.Diagnostic(m.range, m.message, vscode.DiagnosticSeverity.Warning), { source: 'Lengthwise', code: 'no-answer' })),
    );
    for (const e of vscode.window.visibleTextEditors) if (e.document === doc) e.setDecorations(this.decoration, marks.map((m) => m.range));
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const j of this.jobs.values()) j.inserter.dispose();
    this.jobs.clear();
    this.diagnostics.dispose();
    this.decoration.dispose();
    for (const s of this.subs) s.dispose();
  }
}

function eol(doc: vscode.TextDocument): string {
  return doc.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
}

/** The first sentence of an error message, bounded. */
function reason(message: string): string {
  const cut = message.indexOf('. ');
  const first = cut > 0 && cut < MAX_REASON ? message.slice(0, cut + 1) : message;
  return first.length > MAX_REASON ? `${first.slice(0, MAX_REASON - 1)}…` : first;
}
