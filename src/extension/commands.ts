// The palette commands of DESIGN.md. Handlers adapt: they call the runner and show what it refused.
import * as vscode from 'vscode';
import { isPlainObject } from '../core/protocol/guards';
import type { Ledger } from '../core/ledger/ledger';
import { allPresets, presetSummary } from '../core/settings/presets';
import { lintStops } from '../core/models/stops';
import { RefusedError, type ResultSummary } from '../core/generation/summary';
import type { ProviderId } from '../core/protocol/request';
import { readConfig, storePreset } from './config';
import type { ContinueOptions, Runner, SendOptions } from './runner';
import { setApiKeyCommand, type KeyStore } from './secrets';

export interface CommandDeps {
  context: vscode.ExtensionContext;
  runner: Runner;
  keys: KeyStore;
  log: vscode.LogOutputChannel;
  ledger: () => Promise<Ledger>;
}

export function registerCommands(d: CommandDeps): vscode.Disposable[] {
  const { runner, log } = d;
  /** Refusals were already shown where they need an action; the rest get a plain message. Resolves undefined. */
  const guarded = async <T>(fn: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof RefusedError) {
        if (e.reason === 'empty' || e.reason === 'no-target' || e.reason === 'declined') void vscode.window.showInformationMessage(`Lengthwise: ${e.message}`);
        log.info(`not sent: ${e.message}`);
        return undefined;
      }
      log.error(`unexpected failure: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      void vscode.window.showErrorMessage(`Lengthwise: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  };

  return [
    vscode.commands.registerCommand('lengthwise.send', (opts?: SendOptions): Promise<ResultSummary | undefined> => guarded(() => runner.send(isPlainObject(opts) ? opts : {}))),
    vscode.commands.registerCommand('lengthwise.continue', (opts?: ContinueOptions): Promise<ResultSummary | undefined> => guarded(() => runner.continue(isPlainObject(opts) ? opts : {}))),
    vscode.commands.registerCommand('lengthwise.countTokens', (opts?: SendOptions) =>
      guarded(async () => {
        const r = await runner.countExactly(isPlainObject(opts) ? opts : {});
        const local = r.localExact ? '' : ` (local estimate ≈${r.localEstimate.toLocaleString('en-US')})`;
        void vscode.window.showInformationMessage(`Lengthwise: ${r.inputTokens.toLocaleString('en-US')} input tokens — ${r.source}${local}.`);
        return r;
      }),
    ),
    vscode.commands.registerCommand('lengthwise.cancel', () => {
      const n = runner.cancelAll();
      if (!n) void vscode.window.showInformationMessage('Lengthwise: nothing is running.');
      return n;
    }),
    vscode.commands.registerCommand('lengthwise.selectPreset', (name?: string) => selectPreset(typeof name === 'string' ? name : undefined)),
    vscode.commands.registerCommand('lengthwise.setApiKey', (provider?: ProviderId, key?: string) => setApiKeyCommand(d.keys, provider, key)),
  ];
}

/** Quick pick of presets with model, max tokens, stops and lint warnings; the choice is stored for the workspace. */
async function selectPreset(name?: string): Promise<string | undefined> {
  const scope = vscode.window.activeTextEditor?.document.uri;
  const cfg = readConfig(scope);
  const { presets, errors } = allPresets(cfg.userPresets);
  if (name !== undefined) {
    if (name !== '' && !presets.some((p) => p.name === name)) {
      void vscode.window.showErrorMessage(`Lengthwise: there is no preset "${name}". Known: ${presets.map((p) => p.name).join(', ')}.`);
      return undefined;
    }
    await storePreset(name, scope);
    return name;
  }
  type Item = vscode.QuickPickItem & { preset: string };
  const items: Item[] = [
    { label: '$(circle-slash) No preset', description: 'use the lengthwise.* settings as they are', preset: '', picked: !cfg.presetName },
    ...presets.map((p) => {
      const lint = lintStops(p.values.stopSequences ?? [], '');
      return {
        label: `${p.name === cfg.presetName ? '$(check) ' : ''}${p.name}`,
        description: presetSummary(p) || undefined,
        detail: [p.description, p.builtIn ? (p.overridden ? 'built-in, changed by your settings' : 'built-in') : 'workspace/user preset', ...lint.map((w) => `⚠ ${w}`)].join(' — '),
        preset: p.name,
      };
    }),
  ];
  if (errors.length) void vscode.window.showWarningMessage(`Lengthwise: ${errors.map((e) => e.message).join(' ')}`);
  const pick = await vscode.window.showQuickPick(items, { title: 'Lengthwise: Select Preset', placeHolder: `active: ${cfg.presetName ?? 'none'}`, matchOnDescription: true, matchOnDetail: true });
  if (!pick) return undefined;
  await storePreset(pick.preset, scope);
  return pick.preset;
}

