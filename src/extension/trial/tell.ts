// What Try Preset tells the user: skipped files, a batch submitted, a trial's outcome with its next steps (the
// report, Apply, the cut ones again), and the question of what to compare a trial with.
import * as vscode from 'vscode';
import type { TrialRecord } from '../../core/generation/trial/record';
import { allPresets, presetSummary } from '../../core/settings/presets';
import { trialLabel, trialReport } from '../../core/views/trialReport';
import type { TrialAction } from '../../core/views/trialProtocol';
import type { Configuration } from '../config/configuration';
import { RefusedError } from '../../core/generation/summary';

/** A refusal told to the user (the command's guard only logs "invalid" ones): nothing was sent. */
export function refused(msg: string): RefusedError {
  void vscode.window.showErrorMessage(vscode.l10n.t('Lengthwise: {0}', msg));
  return new RefusedError(msg, 'invalid');
}

export function tellSkipped(skipped: readonly string[]): void {
  if (!skipped.length) return;
  const names = skipped.slice(0, 5).join(', ') + (skipped.length > 5 ? vscode.l10n.t(' and {0} more', skipped.length - 5) : '');
  void vscode.window.showWarningMessage(vscode.l10n.t('Lengthwise: {0} empty files are not examples and were left out: {1}.', skipped.length, names));
}

export function tellSubmitted(t: TrialRecord, requests: number): void {
  void vscode.window.showInformationMessage(
    vscode.l10n.t('Lengthwise: the trial of {0} went to {1} as a batch of {2} requests; its report completes when the results arrive (usually minutes, at most 24 h), also after a reload.', trialLabel(t.preset, t.model), t.provider, requests),
  );
}

/** The outcome, with the report's summary and recommendation, and buttons for what can follow. */
export function tellDone(t: TrialRecord, act: (a: TrialAction) => Promise<string | undefined>): void {
  const r = trialReport(t);
  const show = vscode.l10n.t('Show Report');
  const apply = r.recommendation.maxTokens !== null && t.model === undefined ? vscode.l10n.t('Apply {0}', r.recommendation.maxTokens) : undefined;
  const rerun = r.recommendation.rerun ? vscode.l10n.t('Run the {0} cut again at {1}', r.recommendation.rerun.examples.length, r.recommendation.rerun.maxTokens) : undefined;
  const buttons = [show, apply, rerun].filter((b): b is string => b !== undefined);
  void vscode.window.showInformationMessage(vscode.l10n.t('Lengthwise: {0} {1}', r.summary, r.recommendation.text), ...buttons).then(async (b) => {
    // Closed without a choice (undefined): nothing to do, whichever buttons were absent.
    if (b === undefined) return;
    try {
      if (b === show) await vscode.commands.executeCommand('lengthwise.showDashboard', { trial: t.id });
      else if (b === apply) await act('apply');
      else if (b === rerun) await act('rerun');
    } catch (e) {
      if (!(e instanceof RefusedError)) void vscode.window.showErrorMessage(vscode.l10n.t('Lengthwise: {0}', e instanceof Error ? e.message : String(e)));
    }
  });
}

/** Another preset, or the same preset with another model; undefined = none chosen. */
export async function pickComparison(config: Configuration, t: TrialRecord): Promise<{ preset?: string; model?: string } | undefined> {
  const { presets } = allPresets(config.read(config.activeScope()).userPresets);
  type Item = vscode.QuickPickItem & { preset?: string; model?: true };
  const items: Item[] = [
    { label: vscode.l10n.t('$(symbol-class) The same preset with another model…'), description: trialLabel(t.preset), model: true },
    ...(t.preset !== '' ? [{ label: vscode.l10n.t('$(settings) The current settings, no preset'), preset: '' }] : []),
    ...presets.filter((p) => p.name !== t.preset).map((p) => ({ label: p.name, description: presetSummary(p) || undefined, preset: p.name })),
  ];
  const pick = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Lengthwise: compare {0} with…', trialLabel(t.preset, t.model)) });
  if (!pick) return undefined;
  if (pick.preset !== undefined) return { preset: pick.preset };
  const model = await vscode.window.showInputBox({ title: vscode.l10n.t('Lengthwise: compare with another model'), prompt: vscode.l10n.t('The model id, as {0} names it', t.provider), value: t.sentModel, validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('Give a model id')) });
  return model?.trim() ? { preset: t.preset, model: model.trim() } : undefined;
}
