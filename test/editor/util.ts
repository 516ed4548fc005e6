// Shared helpers of the editor-host suites (not a test file: no `.test` in the name).
import { CONFIGURATION_KEYS } from '../../src/core/settings/settings';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as vscode from 'vscode';
import '../nodeHost';
import { LLMock } from '@copilotkit/aimock';
import type { LengthwiseApi } from '../../src/extension/extension';
import type { ResultSummary } from '../../src/core/generation/summary';

export const EXTENSION_ID = 'lengthwise.lengthwise';

export async function api(): Promise<LengthwiseApi> {
  const ext = vscode.extensions.getExtension<LengthwiseApi>(EXTENSION_ID);
  if (!ext) throw new Error('extension not installed');
  return ext.activate();
}

const cfg = () => vscode.workspace.getConfiguration('lengthwise');

/** Writes settings; `target` Global = user settings, Workspace = .vscode/settings.json. */
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

export interface Provider {
  mock: LLMock;
  stop(): Promise<void>;
  posts(): { path: string; body: Record<string, unknown> }[];
}

/** aimock on 127.0.0.1:0 plus user settings pointing the given provider at it, and a test key in SecretStorage. */
export async function startProvider(provider: 'openai' | 'anthropic' | 'gemini' | 'openai-compatible' = 'openai', extra: Record<string, unknown> = {}, host = '127.0.0.1'): Promise<Provider> {
  const mock = new LLMock({ port: 0, host } as ConstructorParameters<typeof LLMock>[0]);
  await mock.start();
  // aimock reports the address it bound; a host name given here (remoteHostAlias) is what the settings must name.
  if (host !== '127.0.0.1') {
    const named = mock.url.replace(/\/\/[^/:]+/, `//${host}`);
    Object.defineProperty(mock, 'url', { get: () => named });
  }
  const baseUrl = provider === 'openai' || provider === 'openai-compatible' ? `${mock.url}/v1` : mock.url;
  const model = provider === 'anthropic' ? 'claude-sonnet-4-5' : provider === 'gemini' ? 'gemini-2.5-flash' : 'gpt-4.1-mini';
  await setSettings({ provider, model, baseUrl, ...extra });
  await vscode.commands.executeCommand('lengthwise.setApiKey', provider, 'sk-test-lengthwise-0000');
  return {
    mock,
    stop: () => mock.stop(),
    posts: () =>
      mock
        .getRequests()
        .filter((r) => r.method === 'POST')
        .map((r) => ({ path: r.path, body: (r.body ?? {}) as Record<string, unknown> })),
  };
}

/**
 * A name for this machine that is not a loopback name but resolves to 127.x through /etc/hosts (the machine's own
 * host name): it stands for a "remote" host in the endpoint-question tests, since loopback endpoints are not asked
 * about, while every byte still stays on the loopback interface.
 */
export function remoteHostAlias(): string {
  const names = new Map<string, string>();
  for (const line of fs.readFileSync('/etc/hosts', 'utf8').split('\n')) {
    const [addr, ...hosts] = line.replace(/#.*/, '').trim().split(/\s+/);
    if (!addr?.startsWith('127.')) continue;
    for (const h of hosts) if (h && h !== 'localhost' && !h.endsWith('.localhost')) names.set(h.toLowerCase(), addr);
  }
  const own = os.hostname().toLowerCase();
  const pick = names.has(own) ? own : [...names.keys()][0];
  if (!pick) throw new Error('no host name maps to a 127.x address in /etc/hosts: the endpoint-question tests need one to stand for a remote host');
  return pick;
}

export async function openDoc(content: string, language = 'markdown'): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument({ content, language });
  return vscode.window.showTextDocument(doc, { preview: false });
}

export function select(editor: vscode.TextEditor, startLine: number, startChar: number, endLine: number, endChar: number): void {
  editor.selection = new vscode.Selection(startLine, startChar, endLine, endChar);
}

/** Resolves when the document's text satisfies `pred` (checked on every change), or rejects after `ms`. */
export function waitForText(doc: vscode.TextDocument, pred: (text: string) => boolean, ms = 10_000): Promise<string> {
  if (pred(doc.getText())) return Promise.resolve(doc.getText());
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out waiting for the document; it holds: ${JSON.stringify(doc.getText().slice(0, 300))}`));
    }, ms);
    const sub = vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document === doc && pred(doc.getText())) {
        clearTimeout(timer);
        sub.dispose();
        resolve(doc.getText());
      }
    });
  });
}

export async function closeAll(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

export { usage } from '../providers/fixtures';

/** Polls a condition (bounded) for state that has no event to await, such as the status bar text. */
export async function waitFor<T>(read: () => T, ok: (v: T) => boolean, ms: number, what: string): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}; last value: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Answers modal warnings (the endpoint question) with `answer` and records them; other calls pass through. */
export async function answeringModals<T>(answer: string | undefined, fn: () => Promise<T>): Promise<{ result?: T; error?: Error; asked: string[] }> {
  const asked: string[] = [];
  const win = vscode.window as unknown as Record<string, (...a: unknown[]) => unknown>;
  const original = win.showWarningMessage;
  win.showWarningMessage = (...a: unknown[]) => {
    const opts = a[1] as { modal?: boolean } | undefined;
    if (typeof opts === 'object' && opts?.modal) {
      asked.push(String(a[0]));
      return Promise.resolve(answer);
    }
    return original.apply(vscode.window, a);
  };
  try {
    return { result: await fn(), asked };
  } catch (e) {
    return { error: e as Error, asked };
  } finally {
    win.showWarningMessage = original;
  }
}

export type Reply = { content: string; finishReason?: string; usage?: Record<string, number> };

export function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((p) => (typeof p === 'string' ? p : ((p as { text?: string }).text ?? ''))).join('');
  return '';
}

/**
 * Serves `replies` in order to the conversation whose first user message is `prompt` (the last one repeats):
 * a continuation round's last user message is the prompt again (prefill) or the continue instruction, so aimock's
 * last-user-message matching cannot tell the rounds apart.
 */
export function script(p: Provider, prompt: string, replies: Reply[]): { served: () => number } {
  let n = 0;
  p.mock.on(
    { predicate: (req) => textOf(req.messages.find((m) => m.role === 'user')?.content) === prompt },
    () => replies[Math.min(n++, replies.length - 1)],
    { chunkSize: 5 },
  );
  return { served: () => n };
}

/** The ledger file the extension writes now. */
export async function ledgerFile(): Promise<string> {
  return ((await vscode.commands.executeCommand('lengthwise.internal.stats')) as { ledgerFile: string }).ledgerFile;
}

/** Resolves with the next result the API reports (a send, a job, or a batch that landed). */
export async function nextFinished(): Promise<ResultSummary> {
  const a = await api();
  return new Promise((resolve) => {
    const sub = a.onDidFinish((r) => {
      sub.dispose();
      resolve(r);
    });
  });
}

/** Resolves with the status bar text once it satisfies `pred` (bounded poll: the item has no change event). */
export async function waitForStatus(pred: (t: string) => boolean, ms = 8000): Promise<string> {
  const a = await api();
  return waitFor(() => a.statusText(), pred, ms, 'the status bar text');
}

/** A notice (src/extension/notices.ts): a progress notification with its actions as links in its title. */
export interface ShownNotice {
  message: string;
  /** The link labels, as its actions. */
  links: string[];
  /** Runs the link's command, as a click on it does. */
  click(label: string): Thenable<unknown>;
  /** Resolves when the notice closes (its cause gone, dismissed or replaced). */
  closed: Promise<void>;
}

/** A run's own progress notification ("Lengthwise: gpt-4.1-mini (preset)"): not a notice. */
const RUN_TITLE = /^Lengthwise: [\w.:/@-]+( \([^)]*\))?$/;

/**
 * Records the notices the extension shows while installed (restore with the returned function): they go through
 * window.withProgress, which the test and the extension share in the host. The notification still shows.
 */
export function recordNotices(onNotice?: (n: ShownNotice) => void): { notices: ShownNotice[]; restore(): void } {
  const notices: ShownNotice[] = [];
  const win = vscode.window as unknown as { withProgress: typeof vscode.window.withProgress };
  const original = win.withProgress;
  win.withProgress = ((options: vscode.ProgressOptions, task: Parameters<typeof vscode.window.withProgress>[1]) => {
    const title = options.title ?? '';
    if (options.location !== vscode.ProgressLocation.Notification || RUN_TITLE.test(title)) return original.call(vscode.window, options, task);
    const links = [...title.matchAll(/\[([^\]]+)\]\(command:([^?)]+)(?:\?([^)]*))?\)/g)];
    let done!: () => void;
    const closed = new Promise<void>((r) => (done = r));
    const notice: ShownNotice = {
      message: title.replace(/\s*\[([^\]]+)\]\([^)]*\)( · )?/g, ' $1').trim(),
      links: links.map((m) => m[1]),
      click: (label) => {
        const m = links.find((x) => x[1] === label);
        if (!m) throw new Error(`no link "${label}" in ${title}`);
        return vscode.commands.executeCommand(m[2], ...(m[3] ? (JSON.parse(decodeURIComponent(m[3])) as unknown[]) : []));
      },
      closed,
    };
    notices.push(notice);
    onNotice?.(notice);
    const result = original.call(vscode.window, options, task);
    void Promise.resolve(result).then(done, done);
    return result;
  }) as typeof vscode.window.withProgress;
  return { notices, restore: () => (win.withProgress = original) };
}
