// What a settings change means, told when it happens (not at the next send): stop-sequence lint, and a value the
// user just set that the active preset overrides (once per preset and setting, with Clear Preset / Edit Preset).
import * as vscode from 'vscode';
import { lintStops } from '../core/models/stops';
import type { Configuration } from './config/configuration';

export function noticeSettings(config: Configuration, log: vscode.LogOutputChannel): vscode.Disposable {
  const told = new Set<string>();
  return config.onDidChange((change) => {
    const scope = config.activeScope();
    const { cfg, resolved } = config.resolve(scope);
    if (change.affects('stopSequences') || change.affects('preset') || change.affects('presets')) {
      const lint = lintStops(resolved.settings.stopSequences, '');
      for (const l of lint) log.warn(`stop lint: ${l}`);
      if (lint.length) void vscode.window.showWarningMessage(vscode.l10n.t('Lengthwise: {0}', lint.join(' ')));
    }
    const preset = resolved.presetName;
    if (preset === undefined) return;
    const hidden = change.keys.filter((k) => resolved.sources[k as keyof typeof resolved.sources]?.layer === 'preset' && k in cfg.configured);
    const fresh = hidden.filter((k) => !told.has(`${preset}:${k}`));
    if (!fresh.length) return;
    for (const k of fresh) told.add(`${preset}:${k}`);
    const values = fresh.map((k) => `${k} ${JSON.stringify((resolved.settings as unknown as Record<string, unknown>)[k])}`).join(', ');
    const names = fresh.map((k) => `lengthwise.${k}`).join(', ');
    const msg = vscode.l10n.t('Lengthwise: your {0} has no effect while the preset "{1}" is active: the preset sets {2}.', names, preset, values);
    log.info(msg);
    const clear = vscode.l10n.t('Clear Preset');
    const edit = vscode.l10n.t('Edit Preset');
    void vscode.window.showInformationMessage(msg, clear, edit).then(async (a) => {
      if (a === clear) await clearPreset(config, scope);
      if (a === edit) {
        const where = cfg.presetScopes[preset] === 'workspace' ? 'workbench.action.openWorkspaceSettings' : 'workbench.action.openSettings';
        await vscode.commands.executeCommand(where, 'lengthwise.presets');
      }
    });
  });
}

/** Clears lengthwise.preset wherever it is set (user, workspace, folder), so no preset applies. */
async function clearPreset(config: Configuration, scope: vscode.Uri | undefined): Promise<void> {
  const section = config.section(scope);
  const i = section.inspect('preset');
  if (i?.workspaceFolderValue !== undefined) await section.update('preset', undefined, vscode.ConfigurationTarget.WorkspaceFolder);
  if (i?.workspaceValue !== undefined) await section.update('preset', undefined, vscode.ConfigurationTarget.Workspace);
  if (i?.globalValue !== undefined) await section.update('preset', undefined, vscode.ConfigurationTarget.Global);
}
