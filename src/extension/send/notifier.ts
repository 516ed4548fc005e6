// Notes and warnings go to the log every time and to a notification once per window per cause: messages that
// differ only in their bare numbers ("max tokens 300 is sent unclamped" / "max tokens 8 …") are one cause. The
// notification is a notice (notices.ts) that closes when its cause is gone — a plan without that note, settings
// without that warning — after which the cause may be told again; a note (info) also closes by itself after
// NOTE_MS (it is in the log).
import * as vscode from 'vscode';
import { noLinks, type NoticeOptions, type Notices } from '../notices';

/** How long an informational note stays on screen. */
const NOTE_MS = 20_000;

export interface TellOptions extends Pick<NoticeOptions, 'settings' | 'stillTrue' | 'closeOn'> {
  /** A group whose causes settle() replaces as a whole (the notes and warnings of the plan last made). */
  group?: string;
}

export class Notifier {
  private readonly told = new Set<string>();
  /** Open notices by group: group → causes. */
  private readonly groups = new Map<string, Set<string>>();

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly notices: Notices,
  ) {}

  once(key: string, message: string, level: 'info' | 'warn', opts: TellOptions = {}): void {
    this.log[level](message);
    const c = cause(key);
    if (opts.group) this.groupOf(opts.group).add(c);
    if (this.told.has(c)) return;
    this.told.add(c);
    this.notices.show(`tell:${c}`, noLinks(message), {
      ...opts,
      onClose: (why) => {
        // Its cause went away: if it comes back, it is told again.
        if (why === 'settings' || why === 'cause') this.told.delete(c);
        if (opts.group) this.groups.get(opts.group)?.delete(c);
      },
      closeAfterMs: level === 'info' ? NOTE_MS : undefined,
    });
  }

  /** The causes of `group` now (e.g. the notes of the plan just made): the group's other notices close. */
  settle(group: string, keys: readonly string[]): void {
    const now = new Set(keys.map(cause));
    for (const c of [...this.groupOf(group)]) if (!now.has(c)) this.notices.close(`tell:${c}`);
  }

  /** A notice of its own (a refusal with its actions): see Notices.show. */
  notice(key: string, message: string, opts: NoticeOptions = {}): void {
    this.notices.show(key, noLinks(message), opts);
  }

  /** The cause of `key`'s notice is gone (e.g. a request was planned after a refusal). */
  close(key: string): void {
    this.notices.close(key);
  }

  private groupOf(group: string): Set<string> {
    let g = this.groups.get(group);
    if (!g) this.groups.set(group, (g = new Set()));
    return g;
  }
}

/** Quoted values (model ids, stop sequences) stay part of the cause; bare numbers do not. */
function cause(key: string): string {
  return key.replace(/"[^"]*"|\d+(\.\d+)?/g, (m) => (m.startsWith('"') ? m : '#'));
}
