// The one place that reads the lengthwise.* settings: for a document's scope, as explicitly set values only
// (defaults live in core), honouring workspace trust (in restricted mode, workspace values of settings that could
// send the key or the text elsewhere are ignored). Says which keys changed.
import * as vscode from 'vscode';
import { isPlainObject, ownValue } from '../../core/protocol/guards';
import { CONFIGURATION_KEYS, resolveSettings, type ResolvedSettings } from '../../core/settings/settings';

const SECTION = 'lengthwise';

/**
 * Must match package.json capabilities.untrustedWorkspaces.restrictedConfigurations: where the key, the text and
 * the spend figures go (baseUrl, provider, telemetry.otlpEndpoint), and what the spend is measured with (pricing: a
 * price of $0 would hide spend from the budget), and how many requests one Send becomes (chunking.*: tiny parts with
 * a large overlap made one Send hundreds of requests). The budget itself needs no restriction: the user's own budget
 * always holds (stricterBudget).
 */
const RESTRICTED_KEYS = ['baseUrl', 'provider', 'pricing', 'telemetry.otlpEndpoint', 'chunking.strategy', 'chunking.maxInputTokens', 'chunking.overlapTokens', 'chunking.summaryTokens'];


export interface ConfigRead {
  configured: Record<string, unknown>;
  userPresets: unknown;
  presetName: string | undefined;
  /** Workspace values that were ignored because the workspace is not trusted. */
  ignored: string[];
  /** Where baseUrl came from (a workspace-set endpoint gets asked about before a key is sent there). */
  baseUrlScope: SetBy;
  /** Where each user/workspace preset's definition came from (the workspace's wins by name). No prototype. */
  presetScopes: Record<string, 'user' | 'workspace'>;
  /** The budget in the user's own settings: it holds whatever the workspace sets. */
  userBudget: { usd?: unknown; action?: unknown };
}

/**
 * Where the effective baseUrl was set: a preset defined in the workspace counts as the workspace, so a
 * `.vscode/settings.json` preset cannot point the key at another host without the endpoint question.
 */
export function endpointScope(cfg: ConfigRead, source: { layer: string; preset?: string } | undefined): EndpointScope {
  // A baseUrl in lengthwise.send's arguments comes from another extension or a task, not from the user.
  if (source?.layer === 'override') return 'caller';
  if (source?.layer === 'preset' && source.preset !== undefined) return ownValue(cfg.presetScopes, source.preset) ?? 'user';
  return cfg.baseUrlScope;
}

/** Who chose the endpoint: nobody (the SDK's), the user, the workspace's settings, or a caller of lengthwise.send. */
export type EndpointScope = ConfigRead['baseUrlScope'] | 'caller';

function readConfig(scope?: vscode.ConfigurationScope): ConfigRead {
  const cfg = vscode.workspace.getConfiguration(SECTION, scope);
  const trusted = vscode.workspace.isTrusted;
  const configured: Record<string, unknown> = {};
  const ignored: string[] = [];
  let baseUrlScope: ConfigRead['baseUrlScope'] = 'default';
  const presetScopes = Object.create(null) as ConfigRead['presetScopes'];
  const userBudget: ConfigRead['userBudget'] = {};
  for (const key of CONFIGURATION_KEYS) {
    const i = cfg.inspect(key);
    if (!i) continue;
    const wsValue = i.workspaceFolderValue !== undefined ? i.workspaceFolderValue : i.workspaceValue;
    if (key === 'budget.usd') userBudget.usd = i.globalValue;
    if (key === 'budget.action') userBudget.action = i.globalValue;
    const setBy = whoSet(i, key, trusted);
    if (key === 'baseUrl') baseUrlScope = setBy;
    if (wsValue !== undefined && setBy !== 'workspace') ignored.push(`lengthwise.${key}`);
    const value = setBy === 'workspace' ? wsValue : i.globalValue;
    if (key === 'presets') {
      // Presets merge across scopes: user presets, then workspace presets (which win by name).
      const user = isPlainObject(i.globalValue) ? i.globalValue : {};
      const ws = { ...(isPlainObject(i.workspaceValue) ? i.workspaceValue : {}), ...(isPlainObject(i.workspaceFolderValue) ? i.workspaceFolderValue : {}) };
      // An untrusted workspace must not reach the restricted settings through a preset either.
      if (!trusted) {
        for (const [name, preset] of Object.entries(ws)) {
          if (!isPlainObject(preset)) continue;
          const blocked = Object.keys(preset).filter((k) => RESTRICTED_KEYS.includes(k.replace(/^lengthwise\./, '')));
          if (!blocked.length) continue;
          ws[name] = Object.fromEntries(Object.entries(preset).filter(([k]) => !blocked.includes(k)));
          ignored.push(...blocked.map((k) => `lengthwise.presets["${name}"].${k.replace(/^lengthwise\./, '')}`));
        }
      }
      // Same name in both: merged field by field, the workspace's fields winning (the dashboard's "Apply" writes
      // only maxTokens into the workspace, so the user's other fields, baseUrl included, stay in the user's file).
      const merged: Record<string, unknown> = { ...user };
      for (const [name, preset] of Object.entries(ws)) {
        merged[name] = isPlainObject(preset) && isPlainObject(user[name]) ? { ...user[name], ...preset } : preset;
      }
      // The scope of a preset is where its baseUrl came from (what the endpoint question is about).
      for (const name of Object.keys(merged)) presetScopes[name] = setsBaseUrl(ws[name]) ? 'workspace' : 'user';
      if (Object.keys(merged).length) configured.presets = merged;
      continue;
    }
    if (value !== undefined) configured[key] = value;
  }
  const presetName = typeof configured.preset === 'string' && configured.preset !== '' ? configured.preset : undefined;
  const userPresets = configured.presets;
  delete configured.presets;
  delete configured.preset;
  return { configured, userPresets, presetName, ignored, baseUrlScope, presetScopes, userBudget };
}

/**
 * Whose value of `key` takes effect: the workspace's (a folder's or the workspace file's) unless an untrusted
 * workspace may not set it, else the user's, else nobody's (the default).
 */
function whoSet(i: { globalValue?: unknown; workspaceValue?: unknown; workspaceFolderValue?: unknown }, key: string, trusted: boolean): SetBy {
  const wsValue = i.workspaceFolderValue !== undefined ? i.workspaceFolderValue : i.workspaceValue;
  if (wsValue !== undefined && (trusted || !RESTRICTED_KEYS.includes(key))) return 'workspace';
  return i.globalValue !== undefined ? 'user' : 'default';
}

/** Who set a setting's effective value (see whoSet). */
export type SetBy = 'default' | 'user' | 'workspace';

const setsBaseUrl = (preset: unknown): boolean => isPlainObject(preset) && (Object.hasOwn(preset, 'baseUrl') || Object.hasOwn(preset, 'lengthwise.baseUrl'));

export interface ConfigurationChange {
  /** The changed keys without the `lengthwise.` prefix, e.g. `maxTokens`, `budget.usd`, `presets`. */
  keys: readonly string[];
  affects(key: string): boolean;
}

/** Typed access to the settings for the send path, the selection meter and the dashboard. */
export class Configuration implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ConfigurationChange>();
  readonly onDidChange = this.changed.event;
  private readonly sub = vscode.workspace.onDidChangeConfiguration((e) => {
    const keys = CONFIGURATION_KEYS.filter((k) => e.affectsConfiguration(`${SECTION}.${k}`));
    if (keys.length) this.changed.fire({ keys, affects: (k) => keys.includes(k) });
  });

  /** The explicitly set values for `scope` (a document's URI: its folder's values apply); the window's when omitted. */
  read(scope?: vscode.ConfigurationScope): ConfigRead {
    return readConfig(scope);
  }

  /** The document the user works in: the active editor's (its folder's values apply). */
  activeScope(): vscode.Uri | undefined {
    return vscode.window.activeTextEditor?.document.uri;
  }

  /** The effective settings for `scope`: defaults, then user/workspace values, then the preset, then `overrides`. */
  resolve(scope: vscode.ConfigurationScope | undefined, opts: { preset?: string; overrides?: Record<string, unknown> } = {}): { cfg: ConfigRead; resolved: ResolvedSettings } {
    const cfg = readConfig(scope);
    const resolved = resolveSettings({
      configured: cfg.configured,
      userPresets: cfg.userPresets as Record<string, unknown> | undefined, // resolveSettings reports a malformed value
      presetName: opts.preset ?? cfg.presetName,
      overrides: opts.overrides,
      userBudget: cfg.userBudget,
    });
    return { cfg, resolved };
  }

  /** Who set `key` (without the `lengthwise.` prefix) for `scope`: the workspace, the user, or nobody. */
  setBy(key: string, scope?: vscode.ConfigurationScope): SetBy {
    const i = vscode.workspace.getConfiguration(SECTION, scope).inspect(key);
    return i ? whoSet(i, key, vscode.workspace.isTrusted) : 'default';
  }

  /** The raw section, for writes (the dashboard writes a recommendation into the workspace settings). */
  section(scope?: vscode.ConfigurationScope): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(SECTION, scope);
  }

  storePreset(name: string, scope?: vscode.ConfigurationScope): Promise<void> {
    return storePreset(name, scope);
  }

  /** Sets lengthwise.model where it is set now (folder, workspace or user settings; the user's when nowhere). */
  async storeModel(name: string, scope?: vscode.ConfigurationScope): Promise<void> {
    const cfg = vscode.workspace.getConfiguration(SECTION, scope);
    const i = cfg.inspect<string>('model');
    const target =
      i?.workspaceFolderValue !== undefined ? vscode.ConfigurationTarget.WorkspaceFolder : i?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await cfg.update('model', name, target);
  }

  dispose(): void {
    this.sub.dispose();
    this.changed.dispose();
  }
}

async function storePreset(name: string, scope?: vscode.ConfigurationScope): Promise<void> {
  const cfg = vscode.workspace.getConfiguration(SECTION, scope);
  const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await cfg.update('preset', name, target);
}

/**
 * In an untrusted workspace VS Code already hides the workspace values of restricted settings from inspect(), so
 * readConfig() cannot see that they were ignored. To tell the user, look for them in the workspace's settings files.
 */
export async function restrictedWorkspaceSettings(): Promise<string[]> {
  if (vscode.workspace.isTrusted) return [];
  const files = (vscode.workspace.workspaceFolders ?? []).map((f) => vscode.Uri.joinPath(f.uri, '.vscode', 'settings.json'));
  if (vscode.workspace.workspaceFile?.scheme === 'file') files.push(vscode.workspace.workspaceFile);
  const found = new Set<string>();
  for (const uri of files) {
    let text: string;
    try {
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch {
      continue; // no settings file
    }
    for (const key of RESTRICTED_KEYS) if (new RegExp(`"lengthwise\\.${key.replace(".", "\\.")}"\\s*:`).test(text)) found.add(`lengthwise.${key}`);
  }
  return [...found];
}
