// activate(): builds the shell (settings, keys, ledger, the send controller) and subscribes the views to its run
// events (status bar, truncation markers, dashboard, log, notifications); returns the exported API.
// The platform's part (the ledger's storage, the counting worker, data and code chunks) comes from a ShellHost that the
// entry point chose: desktop.ts (Node) or web.ts (VS Code for the Web).
import { InThreadCounter, RoutedCounter } from '../core/tokens/counting';
import { logError } from './logError';
import * as vscode from 'vscode';
import type { ResultSummary } from '../core/generation/summary';
import { Ledger } from '../core/ledger/ledger';
import type { LedgerStorage } from '../core/ledger/record';
import type { ShellHost } from './host/shellHost';
import { Truncations } from './codeActions';
import { CommandRegistry, registerCommands } from './commands';
import { Configuration } from './config/configuration';
import { registerDashboard, type Dashboard } from './dashboard';
import { logRuns } from './runLog';
import { openWalkthroughOnce } from './onboarding';
import { registerTestHooks } from './testHooks';
import { noticeRuns } from './runNotices';
import { noticeSettings } from './settingsNotices';
import { KeyStore } from './secrets';
import { SelectionMeter } from './selectionMeter';
import { SendController, type SendOptions } from './send/controller';
import type { Preview } from './send/preview';
import { LimitDiscovery } from '../providers/discovery';
import { ServerCounts } from '../providers/serverTokens';
import { FailedParts } from './send/failedParts';
import { registerAdapter } from '../providers';
import { createLmAdapter } from './lm/adapter';
import { Door } from './door/door';
import { RunEvents } from './send/events';
import { Notifier } from './send/notifier';
import { Notices } from './notices';
import { Preflight } from './send/preflight';
import { SessionTotals } from '../core/generation/sessionTotals';
import { BudgetGuard } from '../core/pricing/budget';
import { StatusBar } from './statusBar';
import { plural } from '../core/protocol/plural';
import { TelemetryExport } from './telemetryExport';
import { PendingStore } from './batch/store';
import { BatchTracker, type TrackerDeps } from './batch/tracker';
import { Trials } from './trial/trials';
import { PendingItem } from './batch/pendingItem';
import { sendBatch } from './batch/submit';

export interface LengthwiseApi {
  send(options?: SendOptions): Promise<ResultSummary>;
  readonly lastResult: ResultSummary | undefined;
  statusText(): string;
  totals(): { sessionUsd: number | null; workspaceUsd: number | null; requests: number };
  onDidFinish: (listener: (r: ResultSummary) => void) => { dispose(): void };
  /**
   * The current selection and settings planned without sending: inputTokens counts all that would be sent (system
   * prompt, length hint, chat framing); expected comes from this workspace's uncut answers (null below 3).
   */
  preview(): Promise<Preview>;
}

export function activateShell(context: vscode.ExtensionContext, host: ShellHost, activateStart = performance.now()): LengthwiseApi {
  // VS Code's own language models are reached through the editor API: their adapter lives in the shell.
  registerAdapter('vscode-lm', createLmAdapter);
  const log = vscode.window.createOutputChannel('Lengthwise', { log: true });
  const config = new Configuration();
  const keys = new KeyStore(context.secrets, host.kind === 'desktop');
  const events = new RunEvents();
  const workspaceId = workspaceKey();
  const session = new SessionTotals();
  const ledger = new LedgerHandle(host.ledgerLocation, (at) => host.ledgerStorage(at, log), log);
  const status = new StatusBar(() => session.view());
  const truncations = new Truncations(events);
  // One counter for the session: short texts on this thread, long ones in a worker started on first use.
  const inThread = new InThreadCounter();
  const offThread = host.offThreadCounter(inThread, log);
  const counter = new RoutedCounter(inThread, offThread);
  const budget = new BudgetGuard();
  // Notifications that close when their cause is gone (a setting fixed, a key stored, an answer continued).
  const notices = new Notices((l) => config.onDidChange(l));
  context.subscriptions.push(notices);
  const tell = new Notifier(log, notices);
  const preflight = new Preflight({ config, log, tell, counter });
  // The one door that hands out keys, asks about endpoints and plans, and holds the budget.
  const door = new Door({ secrets: context.secrets, workspaceState: context.workspaceState, ledger: ledger.get, budget, workspaceId, log, tell, environmentKeys: host.kind === 'desktop' });
  const discovery = new LimitDiscovery();
  const serverCounts = new ServerCounts();
  const failedParts = new FailedParts(log);
  context.subscriptions.push(failedParts);
  const controller = new SendController({ preflight, door, events, truncations, ledger: ledger.get, session, budget, workspaceId, log, discovery, serverCounts, failedParts });
  stopRequests = () => controller.stopAll(3000);
  // A trial's batch lands through the tracker, made before the trials (it polls only after activation).
  const batches = startBatches(context, { door, config, ledger, log, session, budget, events, onTrialLanded: (...a) => trials.landed(...a) });
  const { dashboard } = startViews(context, { config, status, log, session, ledger, workspaceId, counter, door, discovery, serverCounts, events, truncations, controller, tell, budget });
  const trials = startTrials(context, dashboard, { preflight, door, log, controller, ledger: ledger.get, events, session, workspaceId, tracker: batches.tracker, config, state: context.workspaceState });
  // Last to hear of a finished run, as before: the views above have drawn it when the API reports it.
  const api = exportedApi({ controller, status, ledger, session, workspaceId, events });
  context.subscriptions.push(api);
  // Starts (after activate() returns) only when lengthwise.telemetry.otlpEndpoint is set.
  const telemetry = new TelemetryExport({
    context,
    config,
    door,
    events,
    ledger: ledger.get,
    log,
    workspaceId,
    loadOtel: () => host.loadOtel(),
    onFailing: (endpoint, error) => host.telemetryFailing?.(endpoint, error, tell),
  });
  context.subscriptions.push(telemetry, ...host.notices({ events, tell, log }));
  const activateMs = performance.now() - activateStart;
  registerCommands(new CommandRegistry(context), {
    controller,
    config,
    door,
    keys,
    log,
    dashboard,
    batches: { send: (o) => sendBatch({ preflight, door, tracker: batches.tracker, workspaceId, log }, o), tracker: batches.tracker },
    localServer: { config, door, discovery, log },
    trials,
  });
  if (context.extensionMode === vscode.ExtensionMode.Test) {
    const tracker = batches.tracker;
    registerTestHooks({ context, activateMs, platform: host.kind, countWorkers: () => offThread.started, ledger, dashboard, telemetry, batches: { tracker, statusText: () => batches.item.text }, failedParts, trials: () => trials.view() });
  }
  // A new user starts at the walkthrough (a key or a local server, send, presets, budget). Installed copies only:
  // test and development windows (a second test window runs in Development mode) keep their focus.
  if (context.extensionMode === vscode.ExtensionMode.Production) void openWalkthroughOnce(context.globalState).catch((e) => logError(log, 'walkthrough', e));
  log.info(`activated in ${activateMs.toFixed(1)} ms (${host.kind === 'web' ? 'VS Code for the Web' : 'desktop'})`);
  // Open the ledger in the background shortly after start so totals are ready; never blocks activation.
  setTimeout(() => void ledger.get().catch((e) => logError(log, 'ledger', e)), 1000);
  // Batches still at the provider (from before a reload or restart) are checked when due, after the start.
  setTimeout(() => batches.tracker.start(), 1500);

  return api.api;
}

/** Try Preset on Examples: its trials, their reports in the dashboard's Trials tab. */
function startTrials(context: vscode.ExtensionContext, dashboard: Dashboard, d: Omit<ConstructorParameters<typeof Trials>[0], 'showReport'>): Trials {
  const trials = new Trials({ ...d, showReport: (trial) => void dashboard.show({ trial }) });
  context.subscriptions.push(trials, dashboard.attachTrials({ view: () => trials.view(), act: (a, id) => trials.act(a, id), onDidChange: trials.store.onDidChange }));
  return trials;
}

/** The views and listeners that follow runs and settings: the selection meter, the dashboard, the status bar, the
 * truncation markers, the log and the notices. Each is disposed with the extension. */
function startViews(
  context: vscode.ExtensionContext,
  d: {
    config: Configuration;
    status: StatusBar;
    log: vscode.LogOutputChannel;
    session: SessionTotals;
    ledger: LedgerHandle;
    workspaceId: string;
    counter: RoutedCounter;
    door: Door;
    discovery: LimitDiscovery;
    serverCounts: ServerCounts;
    events: RunEvents;
    truncations: Truncations;
    controller: SendController;
    tell: Notifier;
    budget: BudgetGuard;
  },
) {
  const { config, status, log, session, ledger, workspaceId, counter, door, discovery, events, truncations, controller, tell, budget } = d;
  const selectionMeter = new SelectionMeter(
    config,
    status,
    log,
    () => ({ session: session.view(), ledger: ledger.current, workspaceId, room: (b, spent) => budget.room(b, spent) }),
    counter,
    { has: (p) => door.hasKey(p), onDidChange: context.secrets.onDidChange },
    (u, m) => discovery.known(u, m),
    (u, m) => d.serverCounts.ratio(u, m),
  );
  const { dashboard, disposables } = registerDashboard({ context, config, ledger: ledger.get, log, workspaceId, testMode: context.extensionMode === vscode.ExtensionMode.Test }, events);
  context.subscriptions.push(
    { dispose: () => counter.dispose() },
    log,
    config,
    events,
    status,
    truncations,
    controller,
    selectionMeter,
    ...disposables,
    status.follow(events),
    ...logRuns(events, log),
    noticeRuns(events, truncations, tell),
    noticeSettings(config, log, tell),
    vscode.languages.registerCodeActionsProvider({ scheme: '*' }, truncations, { providedCodeActionKinds: Truncations.kinds }),
  );
  return { dashboard };
}

/** Batches at the provider: persisted in workspaceState, polled when due, their answers landed and recorded. */
function startBatches(
  context: vscode.ExtensionContext,
  d: { door: Door; config: Configuration; ledger: LedgerHandle; log: vscode.LogOutputChannel; session: SessionTotals; budget: BudgetGuard; events: RunEvents; onTrialLanded: TrackerDeps['onTrialLanded'] },
) {
  const tracker = new BatchTracker({
    store: new PendingStore(context.workspaceState),
    door: d.door,
    config: d.config,
    ledger: d.ledger.get,
    log: d.log,
    budget: d.budget,
    onLanded: (summary) => d.events.fire('job', { summary }),
    onTrialLanded: d.onTrialLanded,
  });
  const item = new PendingItem(tracker);
  // Every finished job (live, or a batch that landed) counts once in the session, whoever reports it.
  context.subscriptions.push(tracker, item, d.events.on('job', (e) => d.session.add(e.summary.rounds, e.summary.costUsd, e.summary.costSource)));
  return { tracker, item };
}

/** The API other extensions and the tests get: send, the last result, the totals, a finished event. */
function exportedApi(d: { controller: SendController; status: StatusBar; ledger: LedgerHandle; session: SessionTotals; workspaceId: string; events: RunEvents }): { api: LengthwiseApi; dispose(): void } {
  let lastResult: ResultSummary | undefined;
  const finished = new vscode.EventEmitter<ResultSummary>();
  const report = (summary: ResultSummary) => {
    lastResult = summary;
    finished.fire(summary);
  };
  // A job (live, or a batch that landed) is a finished call too.
  const sub = vscode.Disposable.from(d.events.on('finished', (e) => report(e.summary)), d.events.on('job', (e) => report(e.summary)));
  const api: LengthwiseApi = {
    send: (options) => d.controller.send(options ?? {}),
    get lastResult() {
      return lastResult;
    },
    statusText: () => d.status.text,
    totals: () => {
      const t = d.ledger.current?.totals({ workspace: d.workspaceId });
      const session = d.session.view();
      return { sessionUsd: session.usd, workspaceUsd: t ? t.usd : null, requests: session.requests };
    },
    onDidFinish: (listener) => finished.event(listener),
    preview: () => d.controller.preview(),
  };
  return { api, dispose: () => vscode.Disposable.from(sub, finished).dispose() };
}

/** The shared ledger file, opened on first use (not at activation); a failed open is tried again next time. */
class LedgerHandle {
  private opening: Promise<Ledger> | undefined;
  current: Ledger | undefined;

  constructor(
    /** A file on the desktop, a folder on the web (src/extension/host). */
    public file: string,
    private readonly storageAt: (location: string) => LedgerStorage,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  readonly get = (): Promise<Ledger> => {
    this.opening ??= this.open(this.file).catch((e: unknown) => {
      this.opening = undefined;
      throw e;
    });
    return this.opening;
  };

  /** Tests: point the ledger at another file; returns the previous one. */
  useFile(file: string): string {
    const was = this.file;
    this.file = file;
    this.opening = undefined;
    this.current = undefined;
    return was;
  }

  private async open(file: string): Promise<Ledger> {
    const { ledger, badLines } = await Ledger.open(this.storageAt(file));
    if (badLines.length) {
      const lines = badLines.map((b) => b.line).join(', ');
      this.log.warn(`ledger ${file}: ${plural(badLines.length, 'unreadable line')} skipped (line ${lines}); every intact record was kept.`);
      void vscode.window.showWarningMessage(vscode.l10n.t('Lengthwise: the spend ledger had {0} (line {1}); every intact record was kept.', plural(badLines.length, 'damaged line'), lines));
    }
    const interrupted = ledger.records().filter((r) => r.interrupted).length;
    if (interrupted) this.log.info(`ledger: ${plural(interrupted, 'request')} interrupted by a reload or crash ${interrupted === 1 ? 'was' : 'were'} recovered with the estimated spend.`);
    if (file === this.file) this.current = ledger;
    return ledger;
  }
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
