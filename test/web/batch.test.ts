// Send as Batch on the web: OpenAI's Batch API against aimock (which allows any origin and ends a batch on its
// second retrieve): the JSONL upload from a browser, the pending batch, the answers landing after their selections,
// each a ledger record at batch prices in the segment files.
import * as vscode from 'vscode';
import type { PendingBatch } from '../../src/core/generation/jobs/pending';
import type { ResultSummary } from '../../src/core/generation/summary';
import type { BatchSubmitted } from '../../src/extension/batch/submit';
import * as assert from './assert';
import { api, closeAll, config, ledgerRecords, openDoc, resetSettings, setSettings } from './util';

const batches = async () => (await vscode.commands.executeCommand('lengthwise.internal.batches')) as { pending: PendingBatch[]; statusText: string };
const check = async (jobId: string) => (await vscode.commands.executeCommand('lengthwise.showBatches', jobId, 'check')) as ResultSummary[];

/** Registered by index.ts once mocha is set up. */
export function registerBatch(): void {
  describe('web: batches', function () {
    this.timeout(60_000);
    beforeEach(async () => {
      await resetSettings();
      await setSettings({ provider: 'openai', model: 'gpt-4.1-mini', baseUrl: `${config().aimock}/v1`, maxTokens: 100 });
      await vscode.commands.executeCommand('lengthwise.setApiKey', 'openai', 'sk-test-web-0000');
    });
    afterEach(async () => {
      // A test that failed half-way leaves no batch behind (aimock: cancelling, then cancelled).
      for (const b of (await batches()).pending) {
        await vscode.commands.executeCommand('lengthwise.showBatches', b.jobId, 'cancel');
        await check(b.jobId);
      }
      await closeAll();
      await resetSettings();
    });

    it('two selections become one batch at batch prices; the answers land after their selections; each is in the ledger', async () => {
      const before = (await ledgerRecords()).length;
      const ed = await openDoc('alpha question\nmiddle line\nbeta question');
      ed.selections = [new vscode.Selection(0, 0, 0, 14), new vscode.Selection(2, 0, 2, 13)];
      const r = (await vscode.commands.executeCommand('lengthwise.sendBatch')) as BatchSubmitted;
      assert.equal(r.requests, 2);
      assert.match(r.priceSource!, /Batch API: 50% off/);
      assert.equal((await batches()).pending.length, 1, 'pending');
      const a = await api();
      const finished = new Promise<ResultSummary>((resolve) => {
        const sub = a.onDidFinish((s) => {
          sub.dispose();
          resolve(s);
        });
      });
      assert.deepEqual(await check(r.jobId), [], 'the first check finds it running');
      const s = await finished;
      assert.equal(ed.document.getText(), 'alpha question\nMock batch completion\nmiddle line\nbeta question\nMock batch completion');
      assert.deepEqual(s.job, { id: r.jobId, parts: 2, strategy: 'batch' });
      const records = (await ledgerRecords()).slice(before);
      assert.equal(records.length, 2, 'one record per request');
      for (const rec of records) {
        assert.equal(rec.jobId, r.jobId);
        assert.equal(rec.batch, true);
        assert.match(rec.priceSource ?? '', /Batch API: 50% off/);
      }
      assert.equal(s.costUsd, records[0]!.costUsd! + records[1]!.costUsd!);
      assert.equal((await batches()).pending.length, 0, 'nothing pending');
    });
  });
}
