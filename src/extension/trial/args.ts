// The arguments of lengthwise.tryPreset (DESIGN.md): from a script { examples, preset?, mode? } and the extras
// (compareWith, rerun with maxTokens), or the Explorer's selected files and folders. Checked before anything is read.
import * as vscode from 'vscode';
import { MAX_JOB_REQUESTS } from '../../core/generation/jobs/consent';
import type { TrialMode } from '../../core/generation/trial/record';
import { isPlainObject } from '../../core/protocol/guards';
import { MAX_TOKENS_LIMIT } from '../../core/settings/settings';
import { refused } from './tell';

export interface TryPresetArgs {
  /** File paths (absolute or relative to the workspace folder), folders or globs. */
  examples?: string[];
  /** From the Explorer's context menu. */
  uris?: vscode.Uri[];
  preset?: string;
  mode?: TrialMode;
  compareWith?: { preset?: string; model?: string };
  /** Run the cut examples of this trial again (at `maxTokens`, else twice the cap they were cut at). */
  rerun?: string;
  maxTokens?: number;
}

const bad = (what: string) => refused(vscode.l10n.t('lengthwise.tryPreset: {0} Nothing was sent.', what));
const isShortStr = (x: unknown): x is string => typeof x === 'string' && x.length <= 4_000;

export function parseArgs(raw: unknown, second: unknown): TryPresetArgs {
  if (raw === undefined || raw === null) return {};
  if (raw instanceof vscode.Uri) {
    const many = Array.isArray(second) && second.every((u) => u instanceof vscode.Uri) && second.length ? (second as vscode.Uri[]) : [raw];
    return { uris: many };
  }
  if (!isPlainObject(raw)) throw bad(vscode.l10n.t('the argument is an object: { examples: string[], preset?, mode?: "live" | "batch" }.'));
  const a: TryPresetArgs = {};
  if (raw.examples !== undefined) {
    if (!Array.isArray(raw.examples) || !raw.examples.length || raw.examples.length > MAX_JOB_REQUESTS || !raw.examples.every(isShortStr)) {
      throw bad(vscode.l10n.t('examples is a list of 1 to {0} file paths.', MAX_JOB_REQUESTS));
    }
    a.examples = raw.examples as string[];
  }
  if (raw.preset !== undefined) {
    if (!isShortStr(raw.preset)) throw bad(vscode.l10n.t('preset is a preset name ("" for the settings without a preset).'));
    a.preset = raw.preset;
  }
  if (raw.mode !== undefined) {
    if (raw.mode !== 'live' && raw.mode !== 'batch') throw bad(vscode.l10n.t('mode is "live" or "batch".'));
    a.mode = raw.mode;
  }
  const c = raw.compareWith;
  if (c !== undefined) {
    if (!isPlainObject(c) || (c.preset === undefined && c.model === undefined) || (c.preset !== undefined && !isShortStr(c.preset)) || (c.model !== undefined && !isShortStr(c.model))) {
      throw bad(vscode.l10n.t('compareWith is { preset?: string, model?: string } with at least one of them.'));
    }
    a.compareWith = { ...(c.preset !== undefined ? { preset: c.preset as string } : {}), ...(c.model !== undefined ? { model: c.model as string } : {}) };
  }
  if (raw.rerun !== undefined) {
    if (!isShortStr(raw.rerun)) throw bad(vscode.l10n.t('rerun is the id of a trial.'));
    a.rerun = raw.rerun;
  }
  if (raw.maxTokens !== undefined) {
    const m = raw.maxTokens;
    if (typeof m !== 'number' || !Number.isInteger(m) || m < 1 || m > MAX_TOKENS_LIMIT) throw bad(vscode.l10n.t('maxTokens is a whole number from 1 to {0}.', MAX_TOKENS_LIMIT));
    a.maxTokens = m;
  }
  if (a.rerun === undefined && a.examples === undefined) throw bad(vscode.l10n.t('give examples (file paths), or rerun (a trial id).'));
  return a;
}
