// activate(): wires settings, keys, ledger, status bar, truncation markers and commands; returns the exported API.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Ledger } from '../core/ledger/ledger';
import { useDataLoader } from '../core/lazyData';
import { nodeDataLoader } from '../platform/node/lazyChunk';
import { fileStorage } from '../platform/node/ledgerFile';
import type { ResultSummary } from '../core/generation/summary';
import { Truncations } from './codeActions';
import { registerCommands } from './commands';
import { registerDashboard } from './dashboard';
import { Runner, type SendOptions } from './runner';
import { KeyStore } from './secrets';
import { SelectionMeter } from './selectionMeter';
import { StatusBar } from './statusBar';

export interface LengthwiseApi {
  send(options?: SendOptions): Promise<ResultSummary>;
  readonly lastResult: ResultSummary | undefined;
  statusText(): string;
  totals(): { sessionUsd: number | null; workspaceUsd: number | null; requests: number };
  onDidFinish: (listener: (r: ResultSummary) => void) => { dispose(): void };
}

export function activate(context: vscode.ExtensionContext): LengthwiseApi {
  const activateStart = performance.now();
  useDataLoader(nodeDataLoader);
  const log = vscode.window.createOutputChannel('Lengthwise', { log: true });
  const keys = new KeyStore(context.secrets);
  const status = new StatusBar();
  const truncations = new Truncations();
  const finished = new vscode.EventEmitter<ResultSummary>();
  const workspaceId = workspaceKey();
  let lastResult: ResultSummary | undefined;
  const session = { usd: 0, unknown: 0, requests: 0 };

  const ledgerFile = path.join(context.globalStorageUri.fsPath, 'ledger.jsonl');
  // The ledger is opened on first use, not at activation.
  let ledgerPromise: Promise<Ledger> | undefined;
  let ledgerRef: Ledger | undefined;
  const ledger = () =>
    (ledgerPromise ??= (async () => {
      const file = ledgerFile;
      const { ledger: l, badLines } = await Ledger.open(fileStorage(file));
      if (badLines.length) {
        const lines = badLines.map((b) => b.line).join(', ');
        log.warn(`ledger ${file}: ${badLines.length} unreadable line(s) skipped (line ${lines}); every intact record was kept.`);
        void vscode.window.showWarningMessage(`Lengthwise: the spend ledger had ${badLines.length} damaged line(s) (line ${lines}); every intact record was kept.`);
      }
      const interrupted = l.records().filter((r) => r.interrupted).length;
      if (interrupted) log.info(`ledger: ${interrupted} request(s) interrupted by a reload or crash were recovered with their estimated spend.`);
      ledgerRef = l;
      return l;
    })());

  const runner = new Runner({
    log,
    keys,
    ledger,
    status,
    truncations,
    workspaceId,
    workspaceState: context.workspaceState,
    session,
    onFinish: (r) => {
      lastResult = r;
      finished.fire(r);
    },
  });
  stopRequests = () => runner.stopAll(3000);
  const selectionMeter = new SelectionMeter(status, log, () => ({ session: { usd: runner.sessionUsd(), requests: session.requests }, ledger: ledgerRef, workspaceId }));

  context.subscriptions.push(
    log,
    status,
    truncations,
    finished,
    runner,
    selectionMeter,
    vscode.languages.registerCodeActionsProvider({ scheme: '*' }, truncations, { providedCodeActionKinds: Truncations.kinds }),
    ...registerCommands({ context, runner, keys, log, ledger }),
    ...registerDashboard({ context, ledger, log, workspaceId, onRecorded: finished.event }),
  );
  const activateMs = performance.now() - activateStart;
  log.info(`activated in ${activateMs.toFixed(1)} ms`);
  context.subscriptions.push(
    // Not in the palette: for tests and the benchmark.
    vscode.commands.registerCommand('lengthwise.internal.stats', () => ({ activateMs, ledgerFile })),
  );
  // Open the ledger in the background shortly after start so totals are ready; never blocks activation.
  setTimeout(() => void ledger().catch((e) => log.error(`ledger: ${e}`)), 1000);

  return {
    send: (options) => runner.send(options ?? {}),
    get lastResult() {
      return lastResult;
    },
    statusText: () => status.text,
    totals: () => {
      const t = ledgerRef?.totals({ workspace: workspaceId });
      return { sessionUsd: runner.sessionUsd(), workspaceUsd: t ? t.usd : null, requests: session.requests };
    },
    onDidFinish: (listener) => finished.event(listener),
  };
}

/** A stable id for this workspace in the shared (global) ledger. */
function workspaceKey(): string {
  const ws = vscode.workspace.workspaceFile ?? vscode.workspace.workspaceFolders?.[0]?.uri;
  return ws ? ws.toString() : 'no-workspace';
}

/** Set by activate(): cancels running requests and waits for their ledger records. */
let stopRequests: (() => Promise<void>) | undefined;

/** On a window close or reload VS Code waits (up to 5 s) for this: the ledger gets the full spend of cut-off requests. */
export function deactivate(): Promise<void> | undefined {
  return stopRequests?.();
}
