// Notifications that close when their cause is gone. VS Code gives an extension no way to close a message it
// showed (showErrorMessage and the like stay in the notification center after the fix), but it closes a progress
// notification when its task ends: a notice is one, ended when its cause goes (a setting fixed, a key stored, the
// answer continued), replaced by a newer notice of the same cause, or dismissed with its Cancel button. A progress
// notification has no buttons of its own: the notice's actions are command links in its text.
import * as vscode from 'vscode';

export interface NoticeAction {
  title: string;
  command: string;
  args?: unknown[];
}

export interface NoticeOptions {
  /** Actions, as links after the message. */
  actions?: NoticeAction[];
  /** lengthwise.* settings whose change ends the cause (the notice closes; a cause still there is told again). */
  settings?: readonly string[];
  /** Asked when the settings change: false closes the notice (its cause is gone). */
  stillTrue?: () => boolean;
  /** Events that end the cause (a key stored, a chain continued). */
  closeOn?: vscode.Event<unknown>[];
  /** Informational notes close by themselves after this long (they are in the log as well). */
  closeAfterMs?: number;
  /** Told when it closes, and why. */
  onClose?(why: NoticeEnd): void;
}

/** Why a notice closed: its settings changed, another cause ended it, the user dismissed it, it timed out, or a newer notice replaced it. */
type NoticeEnd = 'settings' | 'cause' | 'dismissed' | 'timeout' | 'replaced';

interface Open {
  close(why: NoticeEnd): void;
  opts: NoticeOptions;
}

/** Text from settings or servers must not form a link of its own in a notification (VS Code renders [x](command:…)). */
export function noLinks(text: string): string {
  return text.replace(/\]\(/g, '] (');
}

function withLinks(message: string, actions: readonly NoticeAction[] = []): string {
  if (!actions.length) return message;
  const links = actions.map((a) => `[${a.title.replace(/[[\]]/g, '')}](command:${a.command}${a.args ? `?${encodeURIComponent(JSON.stringify(a.args))}` : ''})`);
  return `${message} ${links.join(' · ')}`;
}

export class Notices implements vscode.Disposable {
  private readonly open = new Map<string, Open>();
  private readonly subs: vscode.Disposable[] = [];

  /** `onSettings`: the lengthwise.* keys that changed (Configuration.onDidChange). */
  constructor(onSettings: (listener: (changed: { affects(key: string): boolean }) => void) => vscode.Disposable) {
    this.subs.push(onSettings((change) => this.settingsChanged(change)));
  }

  /** Shows `message` (its actions as links) until its cause is gone; a notice of the same key is replaced. */
  show(key: string, message: string, opts: NoticeOptions = {}): void {
    this.close(key, 'replaced');
    let end!: () => void;
    const ended = new Promise<void>((resolve) => (end = resolve));
    const entry: Open = {
      close: (why) => {
        end();
        opts.onClose?.(why);
      },
      opts,
    };
    this.open.set(key, entry);
    const subs = (opts.closeOn ?? []).map((e) => e(() => this.close(key)));
    const timer = opts.closeAfterMs ? setTimeout(() => this.close(key, 'timeout'), opts.closeAfterMs) : undefined;
    void ended.then(() => {
      for (const s of subs) s.dispose();
      if (timer) clearTimeout(timer);
      if (this.open.get(key) === entry) this.open.delete(key);
    });
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: withLinks(message, opts.actions), cancellable: true }, (progress, token) => {
      // A full bar: a notice is not work in progress.
      progress.report({ increment: 100 });
      token.onCancellationRequested(() => this.close(key, 'dismissed'));
      return ended;
    });
  }

  close(key: string, why: NoticeEnd = 'cause'): void {
    const o = this.open.get(key);
    if (!o) return;
    this.open.delete(key);
    o.close(why);
  }

  private settingsChanged(change: { affects(key: string): boolean }): void {
    for (const [k, o] of [...this.open]) {
      const hit = o.opts.settings?.some((s) => change.affects(s));
      if (hit || (o.opts.stillTrue && !o.opts.stillTrue())) this.close(k, 'settings');
    }
  }

  dispose(): void {
    for (const k of [...this.open.keys()]) this.close(k, 'replaced');
    for (const s of this.subs) s.dispose();
  }
}
