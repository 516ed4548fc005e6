// The editor tests' hooks: every lengthwise.internal.* command, in one place. activate() registers them only when
// VS Code runs the extension's tests (ExtensionMode.Test), so none reaches a user's palette or keybindings, and
// the product's commands (commands.ts) carry nothing for tests.
import * as vscode from 'vscode';
import { isClickTarget, type Dashboard, type DashboardState } from './dashboard';
import type { TelemetryExport } from './telemetryExport';
import type { BatchTracker } from './batch/tracker';
import type { TrialsData } from '../core/views/trialProtocol';
import { forgetWalkthrough, openWalkthroughOnce } from './onboarding';
import { lookAtPorts } from './localServer';
import type { FailedParts } from './send/failedParts';

export interface TestHookDeps {
  context: vscode.ExtensionContext;
  /** How long activate() took (bench figure (4)). */
  activateMs: number;
  /** Where the extension runs (src/extension/host) and how many counting workers it started. */
  platform: 'desktop' | 'web';
  countWorkers: () => number;
  /** The ledger file in use, and a way to point the ledger at another one (returns the previous file). */
  ledger: { readonly file: string; useFile(file: string): string };
  dashboard: Dashboard;
  telemetry: TelemetryExport;
  batches: { tracker: BatchTracker; statusText: () => string };
  failedParts: FailedParts;
  /** The Trials tab's reports (every kept trial). */
  trials: () => TrialsData;
}

export function registerTestHooks(d: TestHookDeps): void {
  const { context, dashboard } = d;
  const hook = (name: string, handler: (...args: never[]) => unknown) =>
    context.subscriptions.push(vscode.commands.registerCommand(`lengthwise.internal.${name}`, handler as (...args: unknown[]) => unknown));

  hook('stats', () => ({ activateMs: d.activateMs, ledgerFile: d.ledger.file, telemetryStartMs: d.telemetry.startMs, platform: d.platform, countWorkers: d.countWorkers() }));
  hook('useLedgerFile', (file: string) => d.ledger.useFile(file));
  hook('telemetryFlush', () => d.telemetry.flush());
  hook('dashboardState', (): DashboardState => dashboard.forTests.state());
  hook('dashboardClick', (control: unknown) => {
    if (!isClickTarget(control)) throw new Error('dashboardClick: expected {apply}, {range}, {scope}, {scrollTo} or {refresh}');
    return dashboard.forTests.click(control);
  });
  // The first-start walkthrough, as if this were the first start.
  hook('firstRun', async () => {
    await forgetWalkthrough(context.globalState);
    return openWalkthroughOnce(context.globalState);
  });
  // Use a Local Server looks at these ports instead of the usual ones (the tests' servers listen on free ports).
  hook('localServerPorts', (list: unknown) => lookAtPorts(Array.isArray(list) ? list.filter((p): p is number => Number.isInteger(p)) : undefined));
  hook('failedParts', () => d.failedParts.list());
  hook('batches', () => ({ pending: d.batches.tracker.list().map((v) => v.pending), statusText: d.batches.statusText() }));
  hook('dashboardNextReport', () => dashboard.forTests.nextReport());
  hook('trials', () => d.trials());
  hook('dashboardExport', async (format: unknown, target: unknown) => {
    if (format !== 'csv' && format !== 'jsonl') throw new Error('dashboardExport: format is "csv" or "jsonl"');
    const uri = typeof target === 'string' ? vscode.Uri.file(target) : target instanceof vscode.Uri ? target : undefined;
    const r = await dashboard.export(format, uri);
    return r && { path: r.uri.fsPath, records: r.records };
  });
}
