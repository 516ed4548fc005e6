// Helpers of the web pass's suites (test/host/webPass.mjs): what run.mjs wrote into
// out/web-extension/test/config.json, settings, documents, waits, the harness (the page, reloads, screenshots), the
// ledger's segment files. Only `vscode` and the browser's globals: the tests run in the web worker beside the
// extension.
import * as vscode from 'vscode';
import { CONFIGURATION_KEYS } from '../../src/core/settings/settings';
import type { ResultSummary } from '../../src/core/generation/summary';
import { Ledger } from '../../src/core/ledger/ledger';
import type { LedgerRecord } from '../../src/core/ledger/record';
import type { LengthwiseApi } from '../../src/extension/extension';
import { folderStore } from '../../src/extension/host/webFiles';
import { segmentStorage } from '../../src/platform/web/ledgerSegments';

export const EXTENSION_ID = 'lengthwise.lengthwise';

export interface WebConfig {
  /** llama-server (it allows any origin), and the same behind a proxy that allows none. */
  llama: string;
  llamaNoCors: string;
  /** VictoriaMetrics (no CORS on its POST) and the same behind a proxy that allows this origin. */
  victoria: string;
  collector: string;
  /** aimock (it allows any origin): OpenAI's Batch API. */
  aimock: string;
  /** The test language model provider's vendor (test/lmProvider, its browser build); '' when not installed. */
  lmVendor: string;
  /** run.mjs's harness: GET /ui, POST /reload, /screenshot. */
  harness: string;
  grep: string;
  vscodeExpected: string;
  workspace: string;
}

let loaded: WebConfig | undefined;
const utf8 = new TextDecoder();

export function extension(): vscode.Extension<LengthwiseApi> {
  const ext = vscode.extensions.getExtension<LengthwiseApi>(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not installed`);
  return ext;
}

export async function loadConfig(): Promise<WebConfig> {
  const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extension().extensionUri, 'test', 'config.json'));
  return (loaded = JSON.parse(utf8.decode(bytes)) as WebConfig);
}

export function config(): WebConfig {
  if (!loaded) throw new Error('test/config.json is not loaded (index.ts loads it before the suites)');
  return loaded;
}

export async function api(): Promise<LengthwiseApi> {
  return extension().activate();
}

const cfg = () => vscode.workspace.getConfiguration('lengthwise');

export async function setSettings(values: Record<string, unknown>, target = vscode.ConfigurationTarget.Global): Promise<void> {
  for (const [k, v] of Object.entries(values)) await cfg().update(k, v, target);
}

export async function resetSettings(): Promise<void> {
  for (const k of CONFIGURATION_KEYS) {
    const i = cfg().inspect(k);
    if (i?.globalValue !== undefined) await cfg().update(k, undefined, vscode.ConfigurationTarget.Global);
    if (i?.workspaceValue !== undefined) await cfg().update(k, undefined, vscode.ConfigurationTarget.Workspace);
  }
}

/** OpenAI's gpt-4.1-mini (exact o200k counts, a known price) served by the real llama-server at 127.0.0.1. */
export async function useLlama(extra: Record<string, unknown> = {}): Promise<void> {
  await setSettings({ provider: 'openai', model: 'gpt-4.1-mini', baseUrl: `${config().llama}/v1`, ...extra });
  // llama-server runs without --api-key: it ignores the key, which OpenAI's profile requires to be there.
  await vscode.commands.executeCommand('lengthwise.setApiKey', 'openai', 'sk-test-web-0000');
}

export async function openDoc(content: string, language = 'plaintext'): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument({ content, language });
  return vscode.window.showTextDocument(doc, { preview: false });
}

export function selectAll(editor: vscode.TextEditor): void {
  const d = editor.document;
  editor.selection = new vscode.Selection(0, 0, d.lineCount - 1, d.lineAt(d.lineCount - 1).text.length);
}

export async function closeAll(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** Sends the whole document (selected), as the command does. */
export async function sendDoc(content: string): Promise<{ r: ResultSummary; editor: vscode.TextEditor }> {
  const editor = await openDoc(content);
  selectAll(editor);
  const r = (await vscode.commands.executeCommand('lengthwise.send')) as ResultSummary;
  return { r, editor };
}

/** Polls a condition (bounded) for state without an event to await (the status bar text, files). */
export async function waitFor<T>(read: () => T | Promise<T>, ok: (v: T) => boolean, what: string, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}; last value: ${JSON.stringify(v)?.slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export async function harness<T = unknown>(method: 'GET' | 'POST', pathAndQuery: string): Promise<T> {
  const res = await fetch(`${config().harness}${pathAndQuery}`, { method, signal: AbortSignal.timeout(90_000) });
  const body = (await res.json()) as T & { error?: string };
  if (!res.ok) throw new Error(`harness ${method} ${pathAndQuery}: ${body.error ?? res.status}`);
  return body;
}

export interface UiState {
  notifications: { message: string; buttons: string[] }[];
  dialog: { message: string; detail: string; buttons: string[] } | null;
  statusbar: string[];
}

/** What the page shows, polled until `pred` holds (the notification center opened after the first miss). */
export async function waitForUi(pred: (ui: UiState) => boolean, what: string, ms = 10_000): Promise<UiState> {
  let center = false;
  try {
    return await waitFor(
      async () => {
        const ui = await harness<UiState>('GET', '/ui');
        if (!pred(ui) && !center) {
          center = true;
          await vscode.commands.executeCommand('notifications.showList');
        }
        return ui;
      },
      pred,
      what,
      ms,
    );
  } finally {
    if (center) await vscode.commands.executeCommand('notifications.hideList');
  }
}

export async function screenshot(name: string): Promise<void> {
  await harness('POST', `/screenshot?name=${encodeURIComponent(name)}`);
}

export interface Stats {
  activateMs: number;
  ledgerFile: string;
  platform: 'desktop' | 'web';
  countWorkers: number;
}

export async function stats(): Promise<Stats> {
  return (await vscode.commands.executeCommand('lengthwise.internal.stats')) as Stats;
}

/** The ledger as the extension keeps it on the web: its segment files, read by a window of the test's own. */
export async function ledgerRecords(): Promise<readonly LedgerRecord[]> {
  const { ledger } = await Ledger.open(segmentStorage(folderStore(vscode.Uri.parse((await stats()).ledgerFile))));
  return ledger.records();
}

/** A file in the test workspace, through workspace.fs (state kept across a window reload). */
export const workspaceFile = (name: string) => vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, name);

export async function readJson<T>(uri: vscode.Uri): Promise<T | undefined> {
  try {
    return JSON.parse(utf8.decode(await vscode.workspace.fs.readFile(uri))) as T;
  } catch {
    return undefined;
  }
}

export async function writeJson(uri: vscode.Uri, value: unknown): Promise<void> {
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify(value)));
}
