// The questions of Try Preset from the palette: which preset (two to compare them), and the plan before anything
// is sent (examples, tokens, worst case live and as a batch), whose answer is the mode.
import * as vscode from 'vscode';
import { planLine, type MultipliedRequest } from '../../core/generation/jobs/consent';
import { allPresets, presetSummary } from '../../core/settings/presets';
import { formatUsd } from '../../core/pricing/money';
import type { TrialMode } from '../../core/generation/trial/record';
import type { Configuration } from '../config/configuration';

/** The preset to try ('' = the settings without a preset) and, when two were picked, the one to compare it with. */
export async function pickPresets(config: Configuration): Promise<{ first: string; second?: string } | undefined> {
  const cfg = config.read(config.activeScope());
  const { presets } = allPresets(cfg.userPresets);
  type Item = vscode.QuickPickItem & { preset: string };
  const items: Item[] = [
    { label: vscode.l10n.t('$(settings) The current settings, no preset'), description: vscode.l10n.t('lengthwise.* as they are'), preset: '' },
    ...presets.map((p) => ({ label: p.name, description: presetSummary(p) || undefined, detail: p.description, preset: p.name, picked: p.name === cfg.presetName })),
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Lengthwise: Try Preset on Examples — which preset? (pick two to compare them)'),
    canPickMany: true,
    matchOnDescription: true,
  });
  if (!picked?.length) return undefined;
  if (picked.length > 2) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Lengthwise: pick one preset, or two to compare them (you picked {0}).', picked.length));
    return undefined;
  }
  return { first: picked[0]!.preset, second: picked[1]?.preset };
}

/**
 * The plan, shown before anything is sent, with the choice of live or batch (where the provider has a batch API).
 * undefined = declined.
 */
export async function askPlan(question: string, live: MultipliedRequest, batch: MultipliedRequest | undefined): Promise<TrialMode | undefined> {
  const runLive = vscode.l10n.t('Run live');
  const runBatch = vscode.l10n.t('Run as a batch (half price, results later)');
  const detail = [
    vscode.l10n.t('Live: {0}', planLine(live)),
    batch ? vscode.l10n.t('As a batch: worst case {0} at batch prices; the report completes when the results arrive (usually minutes, at most 24 h).', formatUsd(batch.worstUsd)) : vscode.l10n.t('This provider has no batch API Lengthwise can use: live only.'),
    vscode.l10n.t('Every request goes into the spend ledger, tagged as a trial.'),
  ].join('\n\n');
  const pick = await vscode.window.showInformationMessage(question, { modal: true, detail }, ...(batch ? [runLive, runBatch] : [runLive]));
  return pick === runLive ? 'live' : pick === runBatch ? 'batch' : undefined;
}
