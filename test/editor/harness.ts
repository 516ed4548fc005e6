// The editor suites' helpers for what the harness (test/host/run.mjs) exposes and what the host leaves on disk:
// the workbench's UI state, waits, the ledger file's lines, the extension's log files.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

/** Calls the test harness (run.mjs): GET /ui, POST /keys, /click, /hover, /reload, /window, /screenshot. */
export async function harness<T = unknown>(method: 'GET' | 'POST', pathAndQuery: string): Promise<T> {
  const base = process.env.LENGTHWISE_HARNESS_URL;
  if (!base) throw new Error('LENGTHWISE_HARNESS_URL is not set: run the suite with test/host/run.mjs');
  const res = await fetch(`${base}${pathAndQuery}`, { method, signal: AbortSignal.timeout(90_000) });
  const body = (await res.json()) as T & { error?: string };
  if (!res.ok) throw new Error(`harness ${method} ${pathAndQuery}: ${body.error ?? res.status}`);
  return body;
}

export interface UiState {
  notifications: { message: string; buttons: string[] }[];
  dialog: { message: string; detail: string; buttons: string[] } | null;
  statusbar: string[];
  /** The open quick pick's rows (label and description as shown), or null. */
  quickPick: string[] | null;
}

/**
 * Polls what the page shows until `pred` holds; bounded. In the test window the notification center is opened
 * after the first miss (a toast may already have hidden itself; the center keeps every notification) and closed after.
 */
export async function waitForUi(pred: (ui: UiState) => boolean, what: string, opts: { window?: 2; ms?: number } = {}): Promise<UiState> {
  const end = Date.now() + (opts.ms ?? 10_000);
  let last: UiState | undefined;
  let center = false;
  try {
    for (;;) {
      last = await harness<UiState>('GET', `/ui${opts.window ? `?window=${opts.window}` : ''}`);
      if (pred(last)) return last;
      if (Date.now() > end) throw new Error(`the page never showed ${what}; it shows ${JSON.stringify(last)}`);
      if (!center && !opts.window) {
        center = true;
        await vscode.commands.executeCommand('notifications.showList');
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    if (center) await vscode.commands.executeCommand('notifications.hideList');
  }
}

/** Polls a condition; for states only visible by looking (status bar text, files written by another process). */
export async function poll<T>(read: () => T | Promise<T>, pred: (v: T) => boolean, what: string, ms = 10_000, every = 20): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (pred(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(v)?.slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, every));
  }
}

/** Ledger lines (parsed) of the extension's ledger file; `from` = number of lines to skip. */
export function ledgerLines(file: string, from = 0): Record<string, unknown>[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((l) => l.trim())
    .slice(from)
    .map((l) => {
      try {
        return JSON.parse(l) as Record<string, unknown>;
      } catch {
        return { unreadable: l };
      }
    });
}

export function ledgerLineCount(file: string): number {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).length;
  } catch {
    return 0;
  }
}

/** The files the extension's LogOutputChannel wrote ("Lengthwise.log" under the host's logs dir), newest host last. */
export function extensionLogFiles(): string[] {
  const root = path.dirname(process.env.LENGTHWISE_TEST_WORKSPACE ?? '.');
  const out: string[] = [];
  const walk = (d: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const f = path.join(d, e.name);
      if (e.isDirectory()) walk(f);
      else if (e.name === 'Lengthwise.log') out.push(f);
    }
  };
  walk(path.join(root, 'user', 'logs'));
  return out.sort((a, b) => fs.statSync(a).mtimeMs - fs.statSync(b).mtimeMs);
}
