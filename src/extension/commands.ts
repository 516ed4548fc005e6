// Every command of the extension, registered, named and disposed in one place. The tests' own commands
// (lengthwise.internal.*) are in testHooks.ts, registered only when the extension host runs tests.
import { logError } from './logError';
import * as vscode from 'vscode';
import { isPlainObject } from '../core/protocol/guards';
import { plural } from '../core/protocol/plural';
import { allPresets, presetSummary } from '../core/settings/presets';
import { lintStops } from '../core/models/stops';
import { inputPartsText } from '../core/generation/countedPlan';
import { RefusedError, type ResultSummary } from '../core/generation/summary';
import type { ProviderId } from '../core/protocol/request';
import type { Configuration } from './config/configuration';
import type { Door } from './door/door';
import { selectModel } from './selectModel';
import type { Dashboard, DashboardHandle } from './dashboard';
import type { ContinueOptions, SendController, SendOptions } from './send/controller';
import { setApiKeyCommand, type KeyStore, type TELEMETRY_COLLECTOR } from './secrets';
import { showBatches } from './batch/commands';
import { statusMenu } from './statusMenu';
import type { BatchSubmitted } from './batch/submit';
import type { BatchTracker } from './batch/tracker';
import { useLocalServer, type LocalServerDeps } from './localServer';
import type { TrialResult } from '../core/views/trialReport';
import type { Trials } from './trial/trials';

/** Registers commands under `lengthwise.` and disposes them with the extension. */
export class CommandRegistry {
  constructor(private readonly context: vscode.ExtensionContext) {}

  register(name: string, handler: (...args: never[]) => unknown): void {
    this.context.subscriptions.push(vscode.commands.registerCommand(`lengthwise.${name}`, handler as (...args: unknown[]) => unknown));
  }
}

export interface CommandDeps {
  controller: SendController;
  config: Configuration;
  door: Door;
  keys: KeyStore;
  log: vscode.LogOutputChannel;
  dashboard: Dashboard;
  batches: { send: (o: SendOptions) => Promise<BatchSubmitted>; tracker: BatchTracker };
  localServer: LocalServerDeps;
  trials: Trials;
}

export function registerCommands(ctx: CommandRegistry, d: CommandDeps): void {
  const { controller, dashboard } = d;
  const guarded = guard(d.log);
  const opts = <T>(o: unknown): T => (isPlainObject(o) ? o : {}) as T;
  ctx.register('send', (o?: SendOptions): Promise<ResultSummary | undefined> => guarded(() => controller.send(opts(o))));
  ctx.register('continue', (o?: ContinueOptions): Promise<ResultSummary | undefined> => guarded(() => controller.continue(opts(o))));
  ctx.register('countTokens', (o?: SendOptions) => guarded(() => countTokens(controller, opts(o))));
  ctx.register('cancel', () => {
    const n = controller.cancelAll();
    if (n) return n;
    // Batches at the provider are not "running" here: say where to cancel one.
    const pending = d.batches.tracker.list().length;
    if (!pending) void vscode.window.showInformationMessage(vscode.l10n.t('Lengthwise: nothing is running.'));
    else {
      const show = vscode.l10n.t('Show Pending Batches');
      void vscode.window.showInformationMessage(vscode.l10n.t('Lengthwise: nothing is running; {0} at the provider can be cancelled from the pending list.', plural(pending, 'batch', 'batches')), show).then((a) => {
        if (a === show) void vscode.commands.executeCommand('lengthwise.showBatches');
      });
    }
    return n;
  });
  ctx.register('selectPreset', (name?: string) => selectPreset(d.config, typeof name === 'string' ? name : undefined));
  ctx.register('selectModel', (name?: string) => guarded(() => selectModel(d.config, d.door, typeof name === 'string' ? name : undefined)));
  ctx.register('setApiKey', (provider?: ProviderId | typeof TELEMETRY_COLLECTOR, key?: string) => setApiKeyCommand(d.keys, provider, key));
  // The status bar item's click: a menu (Continue with its worst case, Select Preset, Dashboard, Cancel when running).
  ctx.register('statusMenu', () => statusMenu(controller, d.log));
  ctx.register('showDashboard', (o?: { trial?: unknown }): DashboardHandle => dashboard.show(isPlainObject(o) && typeof o.trial === 'string' ? { trial: o.trial } : {}));
  // From a script ({ examples, preset?, mode? }), the palette, or the Explorer (the selected files and folders).
  ctx.register('tryPreset', (o?: unknown, more?: unknown): Promise<TrialResult | undefined> => guarded(() => d.trials.command(o, more)));
  ctx.register('sendBatch', (o?: SendOptions) => guarded(() => d.batches.send(opts(o))));
  ctx.register('useLocalServer', (o?: unknown) => guarded(() => useLocalServer(d.localServer, o)));
  ctx.register('showBatches', (jobId?: string, action?: 'check' | 'cancel') =>
    guarded(() => showBatches(d.batches.tracker, typeof jobId === 'string' ? jobId : undefined, action === 'cancel' || action === 'check' ? action : undefined)),
  );
}

/** Refusals were already shown where they need an action; the rest get a plain message. Resolves undefined. */
function guard(log: vscode.LogOutputChannel) {
  return async <T>(fn: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof RefusedError) {
        if (e.reason === 'empty' || e.reason === 'no-target' || e.reason === 'declined') void vscode.window.showInformationMessage(vscode.l10n.t('Lengthwise: {0}', e.message));
        log.info(`not sent: ${e.message}`);
        return undefined;
      }
      logError(log, 'unexpected failure', e);
      void vscode.window.showErrorMessage(vscode.l10n.t('Lengthwise: {0}', e instanceof Error ? e.message : String(e)));
      return undefined;
    }
  };
}

/** The count and what it is made of, as the status bar counts it (the same rule: core/generation/countedPlan.ts). */
async function countTokens(controller: SendController, o: SendOptions) {
  const r = await controller.countExactly(o);
  const n = (x: number) => x.toLocaleString('en-US');
  const parts = r.parts ? inputPartsText(r.parts) : '';
  const text =
    r.localEstimate === r.inputTokens && r.parts
      ? vscode.l10n.t('Lengthwise: {0} input tokens — {1}: {2}. The status bar counts the same way.', n(r.inputTokens), r.source, parts)
      : vscode.l10n.t('Lengthwise: {0} input tokens — {1} (counted here: {2}{3}).', n(r.inputTokens), r.source, r.localExact ? n(r.localEstimate) : `≈${n(r.localEstimate)}`, parts ? `, ${parts}` : '');
  void vscode.window.showInformationMessage(text);
  return r;
}

/** Quick pick of presets with model, max tokens, stops and lint warnings; the choice is stored for the workspace. */
async function selectPreset(config: Configuration, name?: string): Promise<string | undefined> {
  const scope = config.activeScope();
  const cfg = config.read(scope);
  const { presets, errors } = allPresets(cfg.userPresets);
  if (name !== undefined) {
    if (name !== '' && !presets.some((p) => p.name === name)) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Lengthwise: there is no preset "{0}". Known: {1}.', name, presets.map((p) => p.name).join(', ')));
      return undefined;
    }
    await config.storePreset(name, scope);
    return name;
  }
  type Item = vscode.QuickPickItem & { preset: string };
  const items: Item[] = [
    { label: vscode.l10n.t('$(circle-slash) No preset'), description: vscode.l10n.t('use the lengthwise.* settings as they are'), preset: '', picked: !cfg.presetName },
    ...presets.map((p) => {
      const lint = lintStops(p.values.stopSequences ?? [], '');
      return {
        label: `${p.name === cfg.presetName ? '$(check) ' : ''}${p.name}`,
        description: presetSummary(p) || undefined,
        detail: [p.description, p.builtIn ? (p.overridden ? vscode.l10n.t('built-in, changed by your settings') : vscode.l10n.t('built-in')) : vscode.l10n.t('workspace/user preset'), ...lint.map((w) => `⚠ ${w}`)].join(' — '),
        preset: p.name,
      };
    }),
  ];
  if (errors.length) void vscode.window.showWarningMessage(vscode.l10n.t('Lengthwise: {0}', errors.map((e) => e.message).join(' ')));
  const pick = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Lengthwise: Select Preset'), placeHolder: vscode.l10n.t('active: {0}', cfg.presetName ?? vscode.l10n.t('none')), matchOnDescription: true, matchOnDetail: true });
  if (!pick) return undefined;
  await config.storePreset(pick.preset, scope);
  return pick.preset;
}

