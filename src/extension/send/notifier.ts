// Notes and warnings go to the log every time and to a notification once per window per cause: messages that
// differ only in their bare numbers ("max tokens 300 is sent unclamped" / "max tokens 8 …") are one cause. The
// notification is a notice (notices.ts) that closes when the settings change — the cause of a note or warning
// about them — and the cause may then be told again; a note (info) also closes by itself after NOTE_MS.
import * as vscode from 'vscode';
import { noLinks, type NoticeOptions, type Notices } from '../notices';

/** How long an informational note stays: it is in the log as well. */
const NOTE_MS = 20_000;

export class Notifier {
  private readonly told = new Set<string>();

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly notices: Notices,
  ) {}

  once(key: string, message: string, level: 'info' | 'warn'): void {
    this.log[level](message);
    // Quoted values (model ids, stop sequences) stay part of the cause; bare numbers do not.
    const cause = key.replace(/"[^"]*"|\d+(\.\d+)?/g, (m) => (m.startsWith('"') ? m : '#'));
    if (this.told.has(cause)) return;
    this.told.add(cause);
    this.notices.show(`tell:${cause}`, noLinks(message), {
      // Any settings change may end the cause: the notice closes, and a cause still there is told at the next send.
      stillTrue: () => false,
      onClose: (why) => {
        if (why === 'settings') this.told.delete(cause);
      },
      closeAfterMs: level === 'info' ? NOTE_MS : undefined,
    });
  }

  /** A notice of its own (a refusal with its actions): see Notices.show. */
  notice(key: string, message: string, opts: NoticeOptions = {}): void {
    this.notices.show(key, noLinks(message), opts);
  }

  /** The cause of `key`'s notice is gone (e.g. a request was planned after a refusal). */
  close(key: string): void {
    this.notices.close(key);
  }
}
