// What the shell takes from the platform it runs on, chosen once at activation by the entry point: the desktop
// (Node: src/extension/desktop.ts → host/desktop.ts) or VS Code for the Web (a browser's web worker:
// src/extension/web.ts → host/web.ts). Everything else in the shell is the same on both.
import type * as vscode from 'vscode';
import type { LedgerStorage } from '../../core/ledger/record';
import type { TextCounter } from '../../core/tokens/counting';
import type { OtelModule } from '../../telemetry/telemetry';
import type { RunEvents } from '../send/events';
import type { Notifier } from '../send/notifier';

export interface ShellHost {
  readonly kind: 'desktop' | 'web';
  /** Where the ledger is by default (a file on the desktop, a folder on the web): for the log and the tests. */
  readonly ledgerLocation: string;
  /** The ledger's storage at a location (the default, or one a test names). */
  ledgerStorage(location: string, log: vscode.LogOutputChannel): LedgerStorage;
  /** Counts big texts off the extension host's thread; `inThread` is the session's in-thread counter. */
  offThreadCounter(inThread: TextCounter, log: vscode.LogOutputChannel): TextCounter & { dispose(): void; readonly started: number };
  /** The OpenTelemetry chunk (loaded only when export is on). */
  loadOtel(): Promise<OtelModule>;
  /** What this platform tells the user about its own limits, as runs happen. */
  notices(d: { events: RunEvents; tell: Notifier; log: vscode.LogOutputChannel }): vscode.Disposable[];
  /** Exports to the collector at `endpoint` started failing (a browser needs more of a collector: CORS). */
  telemetryFailing?(endpoint: string, error: string, tell: Notifier): void;
}
