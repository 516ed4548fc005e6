// The trials of this workspace: their figures in workspaceState (they survive a reload, and a batch's results that
// arrive after one complete them), the answers and the selections' text in memory for this session only (no text is
// stored). This store is the key's only writer: the list is parsed once and kept in memory.
import * as vscode from 'vscode';
import { parseTrialList, TRIAL_LIMITS, type TrialRecord } from '../../core/generation/trial/record';

const KEY = 'lengthwise.trials';

export class TrialStore implements vscode.Disposable {
  private cached: TrialRecord[] | undefined;
  /** Per trial, the latest answer of each example (session only). */
  private readonly answers = new Map<string, (string | undefined)[]>();
  /** Per trial, the text of examples that are selections (session only): a run again needs it. */
  private readonly texts = new Map<string, (string | undefined)[]>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly state: vscode.Memento) {}

  /** Oldest first. */
  list(): readonly TrialRecord[] {
    if (!this.cached) {
      // A trial left "running" by a window that closed mid-run ended there: its finished examples are kept.
      this.cached = parseTrialList(this.state.get<unknown>(KEY)).map((t) => (t.state === 'running' ? { ...t, state: 'cancelled' } : t));
    }
    return this.cached;
  }

  get(id: string): TrialRecord | undefined {
    return this.list().find((t) => t.id === id);
  }

  /** Adds or replaces a trial (the oldest beyond TRIAL_LIMITS.trials go); `persist` false: memory only (a running trial's progress). */
  async put(t: TrialRecord, persist = true): Promise<void> {
    const others = this.list().filter((x) => x.id !== t.id);
    const list = [...others, t].slice(-TRIAL_LIMITS.trials);
    for (const old of others) {
      if (!list.includes(old)) {
        this.answers.delete(old.id);
        this.texts.delete(old.id);
      }
    }
    this.cached = list;
    this.changed.fire();
    if (persist) await this.state.update(KEY, list);
  }

  async remove(id: string): Promise<void> {
    this.answers.delete(id);
    this.texts.delete(id);
    this.cached = this.list().filter((t) => t.id !== id);
    this.changed.fire();
    await this.state.update(KEY, this.cached);
  }

  setAnswer(id: string, example: number, text: string | undefined): void {
    const a = this.answers.get(id) ?? [];
    a[example] = text;
    this.answers.set(id, a);
  }

  /** undefined: the answers are not in memory (the trial ran in another session). */
  answersOf(id: string): readonly (string | undefined)[] | undefined {
    return this.answers.get(id);
  }

  keepTexts(id: string, texts: (string | undefined)[]): void {
    this.texts.set(id, texts);
  }

  textOf(id: string, example: number): string | undefined {
    return this.texts.get(id)?.[example];
  }

  dispose(): void {
    this.changed.dispose();
  }
}
