// When the status bar gives the last answer's numbers back to the selection meter. After an answer ends its
// tokens, cost and finish stay until the user changes the selection or edits a document *after* that moment.
// A settings change after that moment also ends it. Not such a change: events that happened before the answer ended but arrive (or are debounced) later, and the
// selection Lengthwise itself leaves or restores (Send keeps the prompt selected). Times are the caller's clock
// (ms) at the moment the editor reported the event, not when it was handled.

export class AnswerHold {
  private endedAt: number | undefined;
  private own = new Set<string>();

  /** An answer ended at `at`; `selections` are the editor's selections then (keys of the caller's choosing). */
  ended(at: number, selections: readonly string[] = []): void {
    this.endedAt = at;
    this.own = new Set(selections);
  }

  /** Lengthwise itself set this selection (e.g. restored the prompt's): it never releases the hold. */
  restored(selections: readonly string[]): void {
    for (const s of selections) this.own.add(s);
  }

  /** Whether the answer's numbers are still shown. */
  get holding(): boolean {
    return this.endedAt !== undefined;
  }

  /** A selection change reported at `at`; true when it releases the hold (the meter may draw again). */
  selectionChanged(at: number, selections: readonly string[]): boolean {
    if (this.endedAt === undefined) return true;
    if (at <= this.endedAt || selections.every((s) => this.own.has(s))) return false;
    this.release();
    return true;
  }

  /** A document edit reported at `at`; true when it releases the hold. */
  edited(at: number): boolean {
    if (this.endedAt === undefined) return true;
    if (at <= this.endedAt) return false;
    this.release();
    return true;
  }

  /** The settings changed at `at` (a preset or model the idle text must show); true when it releases the hold. */
  settingsChanged(at: number): boolean {
    return this.edited(at);
  }

  /** A new request started: the answer's numbers give way at once. */
  release(): void {
    this.endedAt = undefined;
    this.own.clear();
  }
}
