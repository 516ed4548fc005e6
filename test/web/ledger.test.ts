// The ledger on the web (segment files under the global storage, written whole), its totals, the dashboard, a
// budget that blocks, a job in chunks.
import * as vscode from 'vscode';
import type { ResultSummary } from '../../src/core/generation/summary';
import type { DashboardHandle } from '../../src/extension/dashboard';
import * as assert from './assert';
import { api, closeAll, ledgerRecords, openDoc, resetSettings, screenshot, selectAll, sendDoc, setSettings, stats, useLlama } from './util';

/** Registered by index.ts once mocha is set up. */
export function registerLedger(): void {
  describe('web: ledger, dashboard, budget, jobs', function () {
    this.timeout(60_000);
    beforeEach(async () => {
      await resetSettings();
      await useLlama();
    });
    afterEach(async () => {
      await closeAll();
      await resetSettings();
    });

    it('records each request in its segment files; the totals match the ledger', async () => {
      await setSettings({ maxTokens: 8 });
      const before = (await ledgerRecords()).length;
      const a = await sendDoc('First.');
      const b = await sendDoc('Second.');
      const records = await ledgerRecords();
      assert.equal(records.length, before + 2);
      const last = records.slice(-2);
      assert.deepEqual(
        last.map((r) => [r.model, r.usage.outputTokens, r.usageSource, r.costUsd]),
        [a.r, b.r].map((r) => ['gpt-4.1-mini', 8, 'provider', r.costUsd]),
      );
      const files = await vscode.workspace.fs.readDirectory(vscode.Uri.parse((await stats()).ledgerFile));
      assert.ok(files.some(([n]) => /^seg-[0-9a-z]{9}-[0-9a-f]{8}-0000-[ab]\.jsonl$/.test(n)), files.map(([n]) => n).join(' '));
      const ws = vscode.workspace.workspaceFolders![0]!.uri.toString();
      const spent = records.filter((r) => r.workspace === ws).reduce((s, r) => s + (r.costUsd ?? 0), 0);
      const t = (await api()).totals();
      assert.ok(t.workspaceUsd !== null && Math.abs(t.workspaceUsd - spent) < 1e-12, `${t.workspaceUsd} vs ${spent}`);
    });

    it('the dashboard opens with the ledger\'s records (its nonce from Web Crypto)', async () => {
      await setSettings({ maxTokens: 4 });
      await sendDoc('For the dashboard.');
      const handle = (await vscode.commands.executeCommand('lengthwise.showDashboard')) as DashboardHandle;
      const ready = await handle.ready;
      assert.equal(ready.open, true);
      // The page drew what was posted: its script ran under the nonce of the Content Security Policy.
      assert.ok(ready.posted && ready.rendered, 'data posted and a drawing reported back');
      const ws = vscode.workspace.workspaceFolders![0]!.uri.toString();
      const inWorkspace = (await ledgerRecords()).filter((r) => r.workspace === ws).length;
      assert.equal(ready.rendered.shownRecords, ready.posted.shownRecords);
      assert.ok(ready.rendered.shownRecords >= 1 && ready.rendered.shownRecords <= inWorkspace, `${ready.rendered.shownRecords} of ${inWorkspace}`);
      await screenshot('web-dashboard');
      handle.panel.dispose();
    });

    it('a "block" budget refuses before anything is sent', async () => {
      await setSettings({ maxTokens: 4, 'budget.usd': 0.0000001, 'budget.action': 'block' });
      const before = (await ledgerRecords()).length;
      const err = await (await api()).send({ text: 'Over budget.' }).then(
        () => undefined,
        (e: Error) => e,
      );
      assert.ok(err, 'refused');
      assert.match(err.message, /budget/i);
      assert.equal((await ledgerRecords()).length, before, 'nothing sent, nothing recorded');
    });

    it('input larger than the window runs as a job in chunks; each part is a request in the ledger', async () => {
      // A window of 600 tokens for the served model (lengthwise.models wins over what the server reports); the parts
      // are sized by llama-server's own tokenizer (the tiny model's counts ~10 tokens for each o200k token): three
      // sections, ~4,700 of its tokens, make about ten parts (over 20 requests the job rule would ask first).
      await useLlama({ provider: 'openai-compatible', model: 'tiny', maxTokens: 8, models: { tiny: { contextWindow: 600, maxOutputTokens: 64 } }, pricing: { tiny: { input: 1, output: 4 } }, 'chunking.strategy': 'chunks' });
      const before = (await ledgerRecords()).length;
      const text = Array.from({ length: 3 }, (_, i) => `Section ${i}. ` + Array.from({ length: 30 }, (_, w) => `item${i}x${w}`).join(' ') + '.').join('\n\n');
      const editor = await openDoc(text);
      selectAll(editor);
      // Through the API: a refusal rejects with its reason (the command would resolve undefined).
      const r: ResultSummary = await (await api()).send();
      const job = r.job;
      assert.ok(job && job.strategy === 'chunks' && job.parts >= 2, JSON.stringify(job));
      assert.equal((await ledgerRecords()).length, before + job.parts);
    });
  });
}
