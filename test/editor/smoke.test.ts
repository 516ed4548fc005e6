// First editor test: proves the suite runs inside a real VS Code extension host with the extension loaded.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { LLMock } from '@copilotkit/aimock';
import { screenshot } from '.';
import { waitForUi } from './harness';

const EXTENSION_ID = 'lengthwise.lengthwise';
// The fixed command contract (README, "Commands").
const COMMANDS = ['send', 'continue', 'cancel', 'selectPreset', 'setApiKey', 'showDashboard'].map((c) => `lengthwise.${c}`);

describe('smoke: real extension host', () => {
  it('runs in the VS Code host the runner started', () => {
    // run.mjs sets LENGTHWISE_HOST_KIND=server, desktop.mjs sets desktop; the values must match what VS Code reports.
    const kind = process.env.LENGTHWISE_HOST_KIND;
    assert.ok(kind === 'server' || kind === 'desktop', `LENGTHWISE_HOST_KIND=${kind}`);
    assert.match(vscode.version, /^1\.\d+\.\d+/);
    // run.mjs names the VS Code it started (1.139.1 for the suite, 1.100.3 for the smoke pass): no silent fallback.
    const expected = process.env.LENGTHWISE_VSCODE_EXPECTED;
    if (expected) assert.equal(vscode.version, expected, 'the VS Code the runner started');
    if (kind === 'server') {
      assert.equal(vscode.env.uiKind, vscode.UIKind.Web);
      assert.equal(vscode.env.appName, 'code-server');
      assert.ok(vscode.env.remoteName, 'the extension runs on the server side (remote workspace extension)');
    } else {
      assert.equal(vscode.env.uiKind, vscode.UIKind.Desktop);
    }
  });

  it('receives the runner environment and opens the test workspace', () => {
    const ws = process.env.LENGTHWISE_TEST_WORKSPACE;
    assert.ok(ws, 'LENGTHWISE_TEST_WORKSPACE reaches the extension host');
    assert.equal(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath, ws);
    assert.ok(fs.existsSync(`${ws}/.vscode/settings.json`), 'workspace settings file exists');
    // LENGTHWISE_TRUST=1 (run.mjs --trust) keeps workspace trust on: the folder opens untrusted (restricted mode).
    assert.equal(vscode.workspace.isTrusted, process.env.LENGTHWISE_TRUST !== '1');
  });

  it('finds and activates the extension and exports its API', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is installed in the host`);
    const api = await ext.activate();
    assert.equal(ext.isActive, true);
    assert.equal(typeof api, 'object');
    assert.equal(typeof api.statusText, 'function');
    assert.equal(typeof api.statusText(), 'string');
  });

  it('registers every contributed command', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    await ext.activate();
    const contributed = (ext.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command);
    for (const id of COMMANDS) assert.ok(contributed.includes(id), `${id} is in the palette`);
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const id of contributed) assert.ok(registered.has(id), `${id} is registered`);
  });

  it('can run a local provider emulator (aimock) inside the host', async () => {
    const mock = new LLMock({ port: 0 });
    mock.onMessage('ping', { content: 'pong from aimock' });
    await mock.start();
    try {
      const res = await fetch(`${mock.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'ping' }] }),
      });
      assert.equal(res.status, 200);
      const body = (await res.json()) as { choices: { message: { content: string } }[] };
      assert.equal(body.choices[0].message.content, 'pong from aimock');
    } finally {
      await mock.stop();
    }
  });

  // Screenshots and the rendered UI exist only under run.mjs (the page is Chromium's); the desktop runner has no
  // harness endpoint.
  if (process.env.LENGTHWISE_HARNESS_URL) {
    it('shows the meter in the workbench status bar', async () => {
      const ext = vscode.extensions.getExtension(EXTENSION_ID);
      assert.ok(ext);
      const api = await ext.activate();
      // The item's text as the page renders it: $(icon) names become icons without text, whitespace collapses.
      const rendered = () => (api.statusText() as string).replace(/\$\([\w~-]+\)/g, '').replace(/\s+/g, ' ').trim();
      assert.ok(rendered(), 'the meter has text');
      await waitForUi((u) => u.statusbar.includes(rendered()), `the meter's text in the status bar`);
    });

    it('takes a screenshot of the real workbench through the harness', async () => {
      const file = await screenshot('smoke-workbench');
      assert.ok(file);
      const head = fs.readFileSync(file).subarray(0, 8);
      assert.deepEqual([...head], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG file');
    });
  }
});
