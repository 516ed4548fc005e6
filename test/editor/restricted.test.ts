// Workspace trust: in restricted mode a workspace's lengthwise.baseUrl / lengthwise.provider are ignored (a
// cloned repository cannot point your key at its own server), the user's values apply, and the user is told.
// Registers only in run.mjs's "restricted" pass (workspace trust on, so the test workspace opens untrusted).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ResultSummary } from '../../src/core/generation/summary';
import { FaultServer } from '../servers/faultServer';
import { extensionLogFiles, poll, waitForUi } from './harness';
import { closeAll, openDoc, resetSettings, select, startProvider, usage } from './util';

if (process.env.LENGTHWISE_TRUST === '1') {
  describe('restricted mode: workspace endpoint settings are ignored', function () {
    this.timeout(30_000);

    it('declares baseUrl, provider, pricing, the telemetry endpoint and the chunking settings as restricted settings', () => {
      const caps = vscode.extensions.getExtension('lengthwise.lengthwise')!.packageJSON.capabilities.untrustedWorkspaces;
      assert.equal(caps.supported, 'limited');
      assert.deepEqual([...caps.restrictedConfigurations].sort(), [
        'lengthwise.baseUrl',
        'lengthwise.chunking.maxInputTokens',
        'lengthwise.chunking.overlapTokens',
        'lengthwise.chunking.strategy',
        'lengthwise.chunking.summaryTokens',
        'lengthwise.pricing',
        'lengthwise.provider',
        'lengthwise.telemetry.otlpEndpoint',
      ]);
    });

    it('security: a workspace pricing of $0 (setting or preset) does not hide spend in restricted mode; the user is told', async () => {
      await resetSettings();
      await vscode.commands.executeCommand('notifications.clearAll');
      const user = await startProvider('openai');
      const settingsFile = path.join(process.env.LENGTHWISE_TEST_WORKSPACE!, '.vscode', 'settings.json');
      try {
        const free = { 'gpt-4.1-mini': { input: 0, output: 0 } };
        fs.writeFileSync(
          settingsFile,
          JSON.stringify({ 'lengthwise.pricing': free, 'lengthwise.presets': { free: { pricing: free, maxTokens: 66 } }, 'lengthwise.preset': 'free' }, null, 2),
        );
        await poll(() => vscode.workspace.getConfiguration('lengthwise').inspect('preset')?.workspaceValue, (v) => v === 'free', 'the workspace settings to load');
        user.mock.onMessage('price me', { content: 'priced', usage: usage(1000, 1000) });
        const ed = await openDoc('price me');
        select(ed, 0, 0, 0, 8);
        const r = (await vscode.commands.executeCommand('lengthwise.send')) as ResultSummary;
        assert.equal(r.sent.maxTokens, 66, 'the preset applies, without its pricing');
        assert.ok((r.costUsd ?? 0) > 0, `bundled prices, not the workspace's $0: cost ${r.costUsd}`);
        await waitForUi((u) => u.notifications.some((n) => /lengthwise\.pricing/.test(n.message) && /not trusted/.test(n.message)), 'the restricted-mode note');
      } finally {
        fs.writeFileSync(settingsFile, '{}\n');
        await user.stop();
        await closeAll();
        await resetSettings();
      }
    });

    it('a workspace baseUrl/provider never receive the request or the key; the user is told; other workspace values apply', async () => {
      assert.equal(vscode.workspace.isTrusted, false, 'the test workspace is untrusted in this pass');
      await resetSettings();
      await vscode.commands.executeCommand('notifications.clearAll');
      const user = await startProvider('openai'); // the user's own settings: provider openai, baseUrl → aimock
      const evil = await new FaultServer().start();
      evil.plans = [{ chunks: ['from the workspace server'] }];
      const settingsFile = path.join(process.env.LENGTHWISE_TEST_WORKSPACE!, '.vscode', 'settings.json');
      try {
        // What a cloned repository could ship.
        fs.writeFileSync(
          settingsFile,
          JSON.stringify({ 'lengthwise.provider': 'openai-compatible', 'lengthwise.baseUrl': `${evil.url}/v1`, 'lengthwise.maxTokens': 77 }, null, 2),
        );
        await poll(() => vscode.workspace.getConfiguration('lengthwise').inspect('maxTokens')?.workspaceValue, (v) => v === 77, 'the workspace settings to load');
        user.mock.onMessage('who answers?', { content: 'your own endpoint', usage: usage(3, 3) });
        const ed = await openDoc('who answers?');
        select(ed, 0, 0, 0, 12);
        const r = (await vscode.commands.executeCommand('lengthwise.send')) as ResultSummary;
        assert.equal(r.text, 'your own endpoint');
        assert.equal(r.provider, 'openai', 'the user\u2019s provider, not the workspace\u2019s');
        assert.equal(r.sent.maxTokens, 77, 'workspace values that cannot redirect the key still apply');
        assert.equal(evil.requests.length, 0, 'nothing reached the workspace\u2019s server');
        assert.equal(user.posts().length, 1);
        const told = /this workspace is not trusted, so its values of lengthwise\.baseUrl, lengthwise\.provider are ignored \(your user settings apply\)/;
        await waitForUi((u) => u.notifications.some((n) => told.test(n.message)), 'the restricted-mode note');
        await poll(() => extensionLogFiles().map((f) => fs.readFileSync(f, 'utf8')).join('\n'), (t) => told.test(t), 'the note in the log');
      } finally {
        fs.writeFileSync(settingsFile, '{}\n');
        await evil.stop();
        await user.stop();
        await closeAll();
        await resetSettings();
      }
    });

    it('with no user endpoint at all, the workspace endpoint is still not used', async () => {
      await resetSettings();
      const evil = await new FaultServer().start();
      evil.plans = [{ chunks: ['from the workspace server'] }];
      const settingsFile = path.join(process.env.LENGTHWISE_TEST_WORKSPACE!, '.vscode', 'settings.json');
      try {
        await vscode.commands.executeCommand('lengthwise.setApiKey', 'openai-compatible', 'sk-test-restricted-0000');
        fs.writeFileSync(settingsFile, JSON.stringify({ 'lengthwise.provider': 'openai-compatible', 'lengthwise.baseUrl': `${evil.url}/v1`, 'lengthwise.maxTokens': 55 }));
        await poll(() => vscode.workspace.getConfiguration('lengthwise').inspect('maxTokens')?.workspaceValue, (v) => v === 55, 'the workspace settings to load');
        // VS Code itself hides restricted workspace values from extensions in restricted mode.
        assert.equal(vscode.workspace.getConfiguration('lengthwise').inspect('baseUrl')?.workspaceValue, undefined);
        // The default provider (openai) with its own endpoint would apply; no OpenAI key is stored, so the send stops
        // before any request — and above all, nothing goes to the workspace server with the compatible-server key.
        await vscode.commands.executeCommand('lengthwise.setApiKey', 'openai', '');
        const ed = await openDoc('try the workspace server');
        select(ed, 0, 0, 0, 24);
        const r = await vscode.commands.executeCommand('lengthwise.send');
        assert.equal(r, undefined, 'refused (no OpenAI key), not sent to the workspace server');
        assert.equal(evil.requests.length, 0);
      } finally {
        fs.writeFileSync(settingsFile, '{}\n');
        await vscode.commands.executeCommand('lengthwise.setApiKey', 'openai-compatible', '');
        await evil.stop();
        await closeAll();
        await resetSettings();
      }
    });

    it('a workspace telemetry endpoint is not used: no export, nothing reaches it', async () => {
      await resetSettings();
      const http = await import('node:http');
      let hits = 0;
      const collector = http.createServer((req, res) => {
        hits++;
        res.end();
      });
      await new Promise<void>((r) => collector.listen(0, '127.0.0.1', r));
      const settingsFile = path.join(process.env.LENGTHWISE_TEST_WORKSPACE!, '.vscode', 'settings.json');
      try {
        const url = `http://127.0.0.1:${(collector.address() as { port: number }).port}/v1/metrics`;
        fs.writeFileSync(settingsFile, JSON.stringify({ 'lengthwise.telemetry.otlpEndpoint': url, 'lengthwise.telemetry.exportIntervalSeconds': 10 }));
        await poll(() => vscode.workspace.getConfiguration('lengthwise').inspect('telemetry.exportIntervalSeconds')?.workspaceValue, (v) => v === 10, 'the workspace settings to load');
        assert.equal(vscode.workspace.getConfiguration('lengthwise').inspect('telemetry.otlpEndpoint')?.workspaceValue, undefined);
        const f = (await vscode.commands.executeCommand('lengthwise.internal.telemetryFlush')) as { ok: boolean; error?: string };
        assert.deepEqual([f.ok, f.error], [false, 'telemetry export is off']);
        assert.equal(hits, 0, 'nothing reached the workspace collector');
      } finally {
        fs.writeFileSync(settingsFile, '{}\n');
        collector.closeAllConnections();
        await new Promise<void>((r) => collector.close(() => r()));
        await resetSettings();
      }
    });
  });
}
