// Reads the lengthwise.* settings for a document, as explicitly set values only (defaults live in core),
// and honours workspace trust: in restricted mode, workspace values of settings that could send the key or
// the text elsewhere are ignored.
import * as vscode from 'vscode';

const SECTION = 'lengthwise';

/** Must match package.json capabilities.untrustedWorkspaces.restrictedConfigurations. */
export const RESTRICTED_KEYS = ['baseUrl', 'provider'];

export const SETTING_KEYS = [
  'provider',
  'model',
  'baseUrl',
  'maxTokens',
  'stopSequences',
  'includeStopSequence',
  'temperature',
  'topP',
  'systemPrompt',
  'thinkingBudget',
  'presets',
  'preset',
  'output',
  'continuation.auto',
  'continuation.maxRounds',
  'budget.usd',
  'budget.action',
  'pricing',
  'models',
  'requestTimeoutSeconds',
] as const;

export interface ConfigRead {
  configured: Record<string, unknown>;
  userPresets: unknown;
  presetName: string | undefined;
  /** Workspace values that were ignored because the workspace is not trusted. */
  ignored: string[];
  /** Where baseUrl came from (a workspace-set endpoint gets asked about before a key is sent there). */
  baseUrlScope: 'default' | 'user' | 'workspace';
}

export function readConfig(scope?: vscode.ConfigurationScope): ConfigRead {
  const cfg = vscode.workspace.getConfiguration(SECTION, scope);
  const trusted = vscode.workspace.isTrusted;
  const configured: Record<string, unknown> = {};
  const ignored: string[] = [];
  let baseUrlScope: ConfigRead['baseUrlScope'] = 'default';
  for (const key of SETTING_KEYS) {
    const i = cfg.inspect(key);
    if (!i) continue;
    const wsValue = i.workspaceFolderValue !== undefined ? i.workspaceFolderValue : i.workspaceValue;
    let value: unknown;
    if (wsValue !== undefined && (trusted || !RESTRICTED_KEYS.includes(key))) {
      value = wsValue;
      if (key === 'baseUrl') baseUrlScope = 'workspace';
    } else {
      if (wsValue !== undefined) ignored.push(`lengthwise.${key}`);
      value = i.globalValue;
      if (key === 'baseUrl' && value !== undefined) baseUrlScope = 'user';
    }
    if (key === 'presets') {
      // Presets merge across scopes: user presets, then workspace presets (which win by name).
      const merged = { ...(isObject(i.globalValue) ? i.globalValue : {}), ...(isObject(i.workspaceValue) ? i.workspaceValue : {}), ...(isObject(i.workspaceFolderValue) ? i.workspaceFolderValue : {}) };
      if (Object.keys(merged).length) configured.presets = merged;
      continue;
    }
    if (value !== undefined) configured[key] = value;
  }
  const presetName = typeof configured.preset === 'string' && configured.preset !== '' ? configured.preset : undefined;
  const userPresets = configured.presets;
  delete configured.presets;
  delete configured.preset;
  return { configured, userPresets, presetName, ignored, baseUrlScope };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export async function storePreset(name: string, scope?: vscode.ConfigurationScope): Promise<void> {
  const cfg = vscode.workspace.getConfiguration(SECTION, scope);
  const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await cfg.update('preset', name, target);
}
