// What a new user meets in the first minutes: a local server without a key or a question, one notification per
// cause, errors that open the right settings scope, readable continuation figures, onboarding.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { FaultServer } from '../servers/faultServer';
import { answeringModals, api, closeAll, remoteHostAlias, openDoc, recordNotices, resetSettings, select, setSettings, waitFor } from './util';

const WS = vscode.ConfigurationTarget.Workspace;

async function dropKeys(): Promise<void> {
  for (const p of ['openai-compatible', 'openai']) await vscode.commands.executeCommand('lengthwise.setApiKey', p, '');
}

describe('native: a local server without friction', function () {
  this.timeout(30_000);
  let f: FaultServer | undefined;
  afterEach(async () => {
    await f?.stop();
    f = undefined;
    await closeAll();
    await resetSettings();
  });

  it('openai-compatible with no key stored: sent without an Authorization header, no endpoint question', async () => {
    await dropKeys();
    f = await new FaultServer().start();
    f.plans = [{ chunks: ['local answer'] }];
    // Set by the workspace, as a cloned repo with a llama-server setup would.
    await setSettings({ provider: 'openai-compatible', model: 'llama3.1:8b', baseUrl: `${f.url}/v1` }, WS);
    const r = await answeringModals(undefined, () => api().then((a) => a.send({ text: 'hello local' })));
    assert.equal(r.error, undefined, r.error?.message);
    assert.deepEqual(r.asked, [], 'no question');
    assert.equal(r.result?.text, 'local answer');
    assert.equal(f.requests.length, 1);
    assert.equal(f.requests[0].headers.authorization, undefined, 'no Authorization header');
  });

  it('a workspace loopback endpoint with a key is not asked about (localhost and 127.0.0.1)', async () => {
    f = await new FaultServer().start();
    f.plans = [{ chunks: ['ok'] }];
    await vscode.commands.executeCommand('lengthwise.setApiKey', 'openai', 'sk-test-loopback-0000');
    const port = new URL(f.url).port;
    for (const host of ['127.0.0.1', 'localhost']) {
      await setSettings({ provider: 'openai', model: 'gpt-4.1-mini', baseUrl: `http://${host}:${port}/v1` }, WS);
      const r = await answeringModals(undefined, () => api().then((a) => a.send({ text: `via ${host}` })));
      assert.equal(r.error, undefined, r.error?.message);
      assert.deepEqual(r.asked, [], host);
    }
    assert.equal(f.requests.length, 2);
  });

  it('a workspace remote host: asked when the key goes there, not when no key is sent', async () => {
    f = await new FaultServer().start(remoteHostAlias());
    f.plans = [{ chunks: ['ok'] }];
    await dropKeys();
    await setSettings({ provider: 'openai-compatible', model: 'llama3.1:8b', baseUrl: `${f.url}/v1` }, WS);
    const keyless = await answeringModals(undefined, () => api().then((a) => a.send({ text: 'no key' })));
    assert.equal(keyless.error, undefined, keyless.error?.message);
    assert.deepEqual(keyless.asked, [], 'no key, no question');
    await vscode.commands.executeCommand('lengthwise.setApiKey', 'openai-compatible', 'sk-test-remote-0000');
    const keyed = await answeringModals(undefined, () => api().then((a) => a.send({ text: 'with key' })));
    assert.equal(keyed.asked.length, 1, 'the key would leave the machine: asked');
    assert.match(keyed.error?.message ?? '', /declined/);
    assert.equal(f.requests.length, 1, 'the declined request was not sent');
  });
});

interface Notice {
  /** 'notice': a notice that closes with its cause (its buttons are its links; answering one clicks it). */
  level: 'info' | 'warn' | 'error' | 'notice';
  message: string;
  buttons: string[];
  answer(button: string | undefined): void;
  closed?: Promise<void>;
}

/**
 * Records every notification the extension shows (toasts are answered by the test: `answer`), and every settings
 * or walkthrough command it runs (recorded, not run). Restore with `restore()`.
 */
function recordUi(pick?: (items: readonly vscode.QuickPickItem[]) => vscode.QuickPickItem | undefined) {
  const notices: Notice[] = [];
  const commands: unknown[][] = [];
  const win = vscode.window as unknown as Record<string, (...a: unknown[]) => unknown>;
  const cmds = vscode.commands as unknown as Record<string, (...a: unknown[]) => unknown>;
  const saved = { info: win.showInformationMessage, warn: win.showWarningMessage, error: win.showErrorMessage, pick: win.showQuickPick, exec: cmds.executeCommand };
  const progress = recordNotices((n) => notices.push({ level: 'notice', message: n.message, buttons: n.links, answer: (b) => void (b && n.click(b)), closed: n.closed }));
  const hook = (level: Exclude<Notice['level'], 'notice'>) => (...a: unknown[]) => {
    if (typeof a[1] === 'object' && (a[1] as { modal?: boolean } | undefined)?.modal) return saved[level].apply(vscode.window, a);
    return new Promise((resolve) => notices.push({ level, message: String(a[0]), buttons: a.slice(1).filter((b): b is string => typeof b === 'string'), answer: resolve }));
  };
  win.showInformationMessage = hook('info');
  win.showWarningMessage = hook('warn');
  win.showErrorMessage = hook('error');
  win.showQuickPick = async (items: unknown) => pick?.(await (items as Promise<vscode.QuickPickItem[]>));
  cmds.executeCommand = (...a: unknown[]) => {
    if (typeof a[0] === 'string' && /^workbench\.action\.(open(Workspace)?Settings|openWalkthrough)$/.test(a[0])) {
      commands.push(a);
      return Promise.resolve(undefined);
    }
    return saved.exec.apply(vscode.commands, a);
  };
  return {
    notices,
    commands,
    restore() {
      progress.restore();
      win.showInformationMessage = saved.info;
      win.showWarningMessage = saved.warn;
      win.showErrorMessage = saved.error;
      win.showQuickPick = saved.pick;
      cmds.executeCommand = saved.exec;
    },
  };
}

describe('native: notifications', function () {
  this.timeout(30_000);
  let f: FaultServer | undefined;
  let ui: ReturnType<typeof recordUi> | undefined;
  beforeEach(async () => {
    await resetSettings();
    await dropKeys();
  });
  afterEach(async () => {
    ui?.restore();
    ui = undefined;
    await f?.stop();
    f = undefined;
    await closeAll();
    await resetSettings();
  });

  it('per send: "limits unknown" once per session, stop lint when the setting changes and never at send', async () => {
    f = await new FaultServer().start();
    f.plans = [{ chunks: ['ok'] }];
    await setSettings({ provider: 'openai-compatible', model: 'lengthwise-local-test-model', baseUrl: `${f.url}/v1`, maxTokens: 30 });
    ui = recordUi();
    await setSettings({ stopSequences: ['\n\n'] });
    const lint = await waitFor(() => ui!.notices.filter((n) => /blank line/.test(n.message)), (l) => l.length > 0, 5000, 'the stop lint on the setting change');
    assert.equal(lint.length, 1, 'one notification for the lint');
    assert.match(lint[0].message, /fires at the first blank line/);
    const perSend: string[][] = [];
    for (const maxTokens of [30, 31, 32]) {
      await setSettings({ maxTokens });
      const before = ui.notices.length;
      await api().then((a) => a.send({ text: 'First paragraph.\n\nSecond paragraph.' }));
      perSend.push(ui.notices.slice(before).map((n) => n.message));
    }
    console.log(`      notifications per send: ${JSON.stringify(perSend.map((p) => p.length))}`);
    assert.equal(perSend[0].filter((m) => /limits of model .* unknown/.test(m)).length, 1, JSON.stringify(perSend[0]));
    assert.deepEqual(perSend[1], [], 'second send: nothing new to say');
    assert.deepEqual(perSend[2], [], 'third send: nothing new to say');
    assert.equal(perSend.flat().filter((m) => /^Lengthwise: stop /.test(m)).length, 0, 'no stop lint toast at send');
  });

  // Issue 28: one truncation gave a toast, a diagnostic, an inline marker and a yellow status bar, and the "added no
  // new text" notice offered Continue again with the cap that had just failed.
  it('one truncation, one place that asks (its marker); a round that added nothing offers 2× and raising, not the same cap', async () => {
    f = await new FaultServer().start();
    f.plans = [
      { chunks: ['part one of the answer'], finishReason: 'length' },
      // The continuation only repeats the end: no new text.
      { chunks: ['part one of the answer'], finishReason: 'length' },
      { chunks: [' and part two.'] },
    ];
    await setSettings({ provider: 'openai-compatible', model: 'lengthwise-local-test-model', baseUrl: `${f.url}/v1`, maxTokens: 16 });
    ui = recordUi();
    const ed = await openDoc('cut me');
    select(ed, 0, 0, 0, 6);
    await vscode.commands.executeCommand('lengthwise.send');
    const marker = () => vscode.languages.getDiagnostics(ed.document.uri).filter((d) => d.source === 'Lengthwise');
    await waitFor(marker, (m) => m.length === 1, 5000, 'the marker');
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(ui.notices.filter((n) => /truncated/i.test(n.message)).map((n) => n.message), [], 'no toast: the marker asks');
    const status = await api().then((a) => a.statusText());
    assert.match(status, /^\$\(warning\) truncated at/);
    await vscode.commands.executeCommand('lengthwise.continue');
    const [stuck] = await waitFor(() => ui!.notices.filter((n) => /added no new text/.test(n.message)), (l) => l.length === 1, 5000, 'the no-progress notice');
    assert.deepEqual(stuck.buttons, ['Continue with 2× max tokens', 'Raise max tokens'], 'never the cap that just failed');
    const fixes = ((await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', ed.document.uri, marker()[0].range)) ?? []).filter((x) => x.title?.startsWith('Continue') || x.title?.startsWith('Raise'));
    assert.deepEqual(fixes.map((x) => x.title), ['Continue with 2× max tokens', 'Raise max tokens (lengthwise.maxTokens)']);
    assert.equal(f.requests.length, 2);
    stuck.answer('Continue with 2× max tokens');
    await f.until(() => f!.requests.length === 3, 'the doubled round');
    assert.equal(f.requests[2].body.max_tokens, 32);
    await stuck.closed; // continued: the notice's cause is gone
  });
});

describe('native: errors point to the right place', function () {
  this.timeout(30_000);
  let ui: ReturnType<typeof recordUi> | undefined;
  afterEach(async () => {
    ui?.restore();
    ui = undefined;
    await closeAll();
    await resetSettings();
  });

  it('"2 settings need fixing" shows both; Open Settings opens the tab where each bad value lives', async () => {
    await resetSettings();
    await setSettings({ provider: 'openai', model: 'gpt-4.1-mini', temperature: 5 });
    await setSettings({ maxTokens: -5 }, WS);
    await vscode.commands.executeCommand('lengthwise.setApiKey', 'openai', 'sk-test-scope-0000');
    for (const [want, command] of [
      ['lengthwise.maxTokens', 'workbench.action.openWorkspaceSettings'],
      ['lengthwise.temperature', 'workbench.action.openSettings'],
    ]) {
      ui = recordUi((items) => items.find((i) => i.label === want));
      const r = await api().then((a) => a.send({ text: 'hello' })).catch((e: Error) => e);
      assert.ok(r instanceof Error, 'refused');
      const err = await waitFor(() => ui!.notices.filter((n) => /settings need fixing/.test(n.message)), (l) => l.length === 1, 5000, 'the settings error');
      assert.match(err[0].message, /2 settings need fixing/);
      assert.match(err[0].message, /maxTokens/);
      assert.match(err[0].message, /temperature/);
      // One link per setting, each to the tab where its value lives.
      assert.deepEqual(err[0].buttons, ['Open lengthwise.maxTokens', 'Open lengthwise.temperature']);
      err[0].answer(`Open ${want}`);
      const opened = await waitFor(() => ui!.commands, (c) => c.length === 1, 5000, 'the settings tab opened');
      assert.deepEqual(opened[0], [command, want]);
      ui.restore();
    }
  });
});

describe('native: presets, continuation figures, onboarding', function () {
  this.timeout(30_000);
  let f: FaultServer | undefined;
  let ui: ReturnType<typeof recordUi> | undefined;
  afterEach(async () => {
    ui?.restore();
    ui = undefined;
    await f?.stop();
    f = undefined;
    await closeAll();
    await resetSettings();
  });

  it('a setting the active preset overrides is told once, with Clear Preset / Edit Preset', async () => {
    await resetSettings();
    await setSettings({ preset: 'quick answer' });
    ui = recordUi();
    await setSettings({ maxTokens: 8 });
    const told = await waitFor(() => ui!.notices.filter((n) => /has no effect while the preset "quick answer"/.test(n.message)), (l) => l.length === 1, 5000, 'the override notice');
    assert.match(told[0].message, /lengthwise\.maxTokens/);
    assert.deepEqual(told[0].buttons, ['Clear Preset', 'Edit Preset']);
    await setSettings({ maxTokens: 9 });
    await new Promise((r) => setTimeout(r, 300)); // a second notice would come from the same change event
    assert.equal(ui.notices.filter((n) => /has no effect/.test(n.message)).length, 1, 'once per preset and setting');
    await told[0].closed; // the setting it was about changed: the notice closed with it
    told[0].answer('Clear Preset');
    // "No preset" for this workspace: the preset no longer applies.
    await waitFor(() => vscode.workspace.getConfiguration('lengthwise').get('preset'), (v) => v === '', 5000, 'the preset cleared');
  });

  it('a chain says its total in rounds and the cut against the last round', async () => {
    f = await new FaultServer().start();
    // Each round adds new text (a round that only repeats the answer ends the chain as no progress).
    f.plans = ['a b c d', ' e f g h', ' i j k l'].map((t) => ({ chunks: [t], finishReason: 'length' as const, usage: { prompt_tokens: 5, completion_tokens: 16 } }));
    await dropKeys();
    await setSettings({ provider: 'openai-compatible', model: 'lengthwise-local-test-model', baseUrl: `${f.url}/v1`, maxTokens: 16, 'continuation.auto': true, 'continuation.maxRounds': 3 });
    const a = await api();
    await a.send({ text: 'count on' });
    assert.equal(f.requests.length, 3);
    const text = await waitFor(() => a.statusText(), (t) => /truncated/.test(t), 5000, 'the finished status');
    assert.match(text, /truncated 16\/16 · 3 rounds, 48 tok/);
    assert.doesNotMatch(text, /48\/16/);
  });

  it('the walkthrough opens on the first start; the idle status says what to set up', async () => {
    ui = recordUi();
    assert.equal(await vscode.commands.executeCommand('lengthwise.internal.firstRun'), true);
    assert.deepEqual(ui.commands, [['workbench.action.openWalkthrough', 'lengthwise.lengthwise#lengthwise.start', false]]);
    ui.restore();
    await dropKeys();
    await setSettings({ provider: 'openai', model: 'gpt-4.1-mini' });
    const a = await api();
    await waitFor(() => a.statusText(), (t) => t === '$(key) Lengthwise: set an API key or a local server', 5000, 'the setup hint');
    await vscode.commands.executeCommand('lengthwise.setApiKey', 'openai', 'sk-test-setup-0000');
    await waitFor(() => a.statusText(), (t) => t.startsWith('$(symbol-ruler)'), 5000, 'the usual idle text');
    await vscode.commands.executeCommand('lengthwise.setApiKey', 'openai', '');
  });
});
