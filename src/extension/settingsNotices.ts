// What a settings change means, told when it happens (not at the next send): stop-sequence lint, and a value the
// user just set that the active preset overrides (once per preset and setting, with Clear Preset / Edit Preset).
// Both are notices (notices.ts) that close when the settings they are about change again.
import * as vscode from 'vscode';
import { lintStops } from '../core/models/stops';
import type { Configuration } from './config/configuration';
import type { Notifier } from './send/notifier';

export function noticeSettings(config: Configuration, log: vscode.LogOutputChannel, tell: Notifier): vscode.Disposable {
  const told = new Set<string>();
  return config.onDidChange((change) => {
    const scope = config.activeScope();
    const { cfg, resolved } = config.resolve(scope);
    if (change.affects('stopSequences') || change.affects('preset') || change.affects('presets')) {
      const lint = lintStops(resolved.settings.stopSequences, '');
      for (const l of lint) log.warn(`stop lint: ${l}`);
      if (lint.length) tell.notice('stops', vscode.l10n.t('Lengthwise: {0}', lint.join(' ')), { settings: ['stopSequences', 'preset', 'presets'] });
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
    const where = cfg.presetScopes[preset] === 'workspace' ? 'workbench.action.openWorkspaceSettings' : 'workbench.action.openSettings';
    // Closes when the preset, the presets or these settings change (the value then applies, or no longer matters).
    tell.notice(`preset-hides:${preset}`, msg, {
      actions: [
        { title: vscode.l10n.t('Clear Preset'), command: 'lengthwise.selectPreset', args: [''] },
        { title: vscode.l10n.t('Edit Preset'), command: where, args: ['lengthwise.presets'] },
      ],
      settings: ['preset', 'presets', ...fresh],
    });
  });
}
