// Writes a max tokens into the settings: into a preset (only its maxTokens: the preset's other fields stay where
// they are, merged field by field across scopes by configuration.ts), or into lengthwise.maxTokens for the plain
// settings. The dashboard's Apply writes into the workspace; a trial's Apply writes where the preset is defined.
import * as vscode from 'vscode';
import { isPlainObject } from '../../core/protocol/guards';
import type { Configuration } from './configuration';

/** Where a value is written: the user's settings or this workspace's (.vscode/settings.json). */
export type WriteScope = 'user' | 'workspace';

const TARGET: Record<WriteScope, vscode.ConfigurationTarget> = { user: vscode.ConfigurationTarget.Global, workspace: vscode.ConfigurationTarget.Workspace };

/** '' = the plain settings (lengthwise.maxTokens). */
export async function writeMaxTokens(config: Configuration, preset: string, value: number, scope: WriteScope): Promise<void> {
  const cfg = config.section();
  if (preset === '') {
    await cfg.update('maxTokens', value, TARGET[scope]);
    return;
  }
  const inspected = cfg.inspect<Record<string, unknown>>('presets');
  const current = scope === 'workspace' ? inspected?.workspaceValue : inspected?.globalValue;
  const presets = isPlainObject(current) ? { ...current } : {};
  const own = isPlainObject(presets[preset]) ? (presets[preset] as Record<string, unknown>) : {};
  presets[preset] = { ...own, maxTokens: value };
  await cfg.update('presets', presets, TARGET[scope]);
}

/**
 * Where the preset's max tokens is defined, so a write there takes effect: the workspace's entry (it wins over the
 * user's), else the user's; a built-in preset, or lengthwise.maxTokens nobody set, goes to the workspace when a
 * folder is open, else to the user's settings.
 */
export function definedIn(config: Configuration, preset: string): WriteScope {
  const cfg = config.section();
  const folder = vscode.workspace.workspaceFolders?.length ? 'workspace' : 'user';
  if (preset === '') {
    const setBy = config.setBy('maxTokens');
    return setBy === 'default' ? folder : setBy;
  }
  const i = cfg.inspect<Record<string, unknown>>('presets');
  const has = (v: unknown) => isPlainObject(v) && Object.hasOwn(v, preset);
  if (has(i?.workspaceValue) || has(i?.workspaceFolderValue)) return 'workspace';
  if (has(i?.globalValue)) return 'user';
  return folder;
}
