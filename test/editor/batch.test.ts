// Send as Batch in the real host: multi-cursor selections become one batch (OpenAI Batch against aimock, which
// ends a batch on its second retrieve), priced at batch prices; the pending item in the status bar; the answers
// landing after their selections when the batch ends (polled by the tracker), or in a new document when the text
// changed; cancel; and, in the "window" pass, a batch submitted before a window reload landing after it
// (Anthropic Message Batches against a server shaped like the documented endpoint, started again after the reload).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ResultSummary } from '../../src/core/generation/summary';
import type { PendingBatch } from '../../src/core/generation/jobs/pending';
import { MAX_FAILED_CHECKS } from '../../src/core/generation/jobs/batch';
import { batchPrice } from '../../src/core/pricing/batch';
import { costOf, findPrice, formatUsd, worstCaseCost } from '../../src/core/pricing/cost';
import type { BatchSubmitted } from '../../src/extension/batch/submit';
import { countChatInput } from '../../src/core/tokens/chatInput';
import { loadTokenizer } from '../../src/core/tokens/tokens';
import { startAnthropicBatchServer } from '../servers/batchServers';
import { ledgerLineCount, ledgerLines, poll, waitForUi } from './harness';
import { api, closeAll, ledgerFile, nextFinished, openDoc, resetSettings, setSettings, startProvider, type Provider } from './util';

const batches = async () => (await vscode.commands.executeCommand('lengthwise.internal.batches')) as { pending: PendingBatch[]; statusText: string };
const check = async (jobId: string) => (await vscode.commands.executeCommand('lengthwise.showBatches', jobId, 'check')) as ResultSummary[];

if (process.env.LENGTHWISE_PASS !== 'window') {
  describe('batches: Send as Batch', function () {
    this.timeout(60_000);
    let p: Provider;
    let file: string;
    let from: number;
    beforeEach(async () => {
      await resetSettings();
      p = await startProvider('openai', { maxTokens: 100 });
      file = await ledgerFile();
      from = ledgerLineCount(file);
    });
    afterEach(async () => {
      // A test that failed half-way leaves no batch behind for the next one (aimock: cancelling, then cancelled).
      for (const b of (await batches()).pending) {
        await vscode.commands.executeCommand('lengthwise.showBatches', b.jobId, 'cancel');
        await check(b.jobId);
      }
      await p.stop();
      await closeAll();
      await resetSettings();
    });

    it('two selections become one batch at half price; the tracker lands each answer after its selection and records it at the batch price', async () => {
      const ed = await openDoc('alpha question\nmiddle line\nbeta question');
      ed.selections = [new vscode.Selection(0, 0, 0, 14), new vscode.Selection(2, 0, 2, 13)];
      const r = (await vscode.commands.executeCommand('lengthwise.sendBatch')) as BatchSubmitted;
      assert.equal(r.requests, 2);
      assert.match(r.batchId, /^batch[-_]/);
      // Worst case: every input token and the full cap at half the live price, with the source saying so.
      const live = findPrice('openai', 'gpt-4.1-mini')!;
      assert.ok(Math.abs(r.worstCaseUsd! - worstCaseCost(r.inputTokens, 200, live)! / 2) < 1e-15, `${r.worstCaseUsd}`);
      assert.match(r.priceSource!, /Batch API: 50% off/);
      // The message says the same worst case the status item shows.
      await waitForUi((u) => u.notifications.some((n) => n.message.startsWith(`Lengthwise: batch of 2 requests submitted to OpenAI (gpt-4.1-mini): worst case ≤ ${formatUsd(r.worstCaseUsd)} at batch prices.`)), 'the submission message with its worst case');
      const b = await batches();
      assert.equal(b.pending.length, 1, 'the batch is pending (persisted)');
      assert.equal(b.statusText, `$(clock) 1 batch pending · ≤ ${formatUsd(r.worstCaseUsd)}`);
      // What went over the wire: one JSONL line per selection, the same Chat Completions body as a live request.
      // (The list, not a retrieve: aimock advances a batch on each retrieve.)
      const list = (await (await fetch(`${p.mock.url}/v1/batches`)).json()) as { data: { id: string; input_file_id: string }[] };
      const meta = list.data.find((x) => x.id === r.batchId)!;
      const lines = (await (await fetch(`${p.mock.url}/v1/files/${meta.input_file_id}/content`)).text()).trim().split('\n').map((l) => JSON.parse(l) as { custom_id: string; url: string; body: Record<string, unknown> });
      assert.deepEqual(lines.map((l) => (l.body.messages as { content: string }[]).at(-1)!.content), ['alpha question', 'beta question']);
      assert.ok(lines.every((l) => l.url === '/v1/chat/completions' && l.body.stream === undefined && (l.body.max_completion_tokens ?? l.body.max_tokens) === 100));
      assert.equal(ed.document.getText(), 'alpha question\nmiddle line\nbeta question', 'nothing lands before the batch ends');

      // A check now finds it running (aimock ends it on the second retrieve); the tracker's own poll lands it.
      const finished = nextFinished();
      assert.deepEqual(await check(r.jobId), []);
      const s = await finished;
      assert.equal(ed.document.getText(), 'alpha question\nMock batch completion\nmiddle line\nbeta question\nMock batch completion');
      assert.deepEqual(s.job, { id: r.jobId, parts: 2, strategy: 'batch' });
      const ends = ledgerLines(file, from).filter((l) => l.kind === 'end') as { jobId?: string; batch?: boolean; costUsd: number; usage: { inputTokens: number; outputTokens: number }; priceSource?: string }[];
      assert.equal(ends.length, 2, 'one ledger record per request');
      for (const e of ends) {
        assert.equal(e.jobId, r.jobId);
        assert.equal(e.batch, true);
        assert.ok(Math.abs(e.costUsd - costOf(e.usage, live)! / 2) < 1e-18, 'priced at half the live price');
        assert.equal(e.costUsd, costOf(e.usage, batchPrice(live, 'openai')));
        assert.match(e.priceSource!, /Batch API: 50% off/);
      }
      assert.equal(s.costUsd, ends[0].costUsd + ends[1].costUsd);
      // The landing message: where the answers went and what they cost, the same figure as the summary.
      await waitForUi((u) => u.notifications.some((n) => n.message === `Lengthwise: batch completed (gpt-4.1-mini) — 2 answers in Untitled-${/\d+$/.exec(ed.document.uri.path)![0]}; ${formatUsd(s.costUsd)} at batch prices.`), 'the landing message with its cost');
      const liveCost = ends.reduce((a, e) => a + costOf(e.usage, live)!, 0);
      console.log(`      batch vs live: ${formatUsd(s.costUsd)} at batch prices vs ${formatUsd(liveCost)} for the same usage live; worst case at submission ${formatUsd(r.worstCaseUsd)}`);
      const after = await batches();
      assert.deepEqual([after.pending.length, after.statusText], [0, ''], 'nothing pending; the item is hidden');
      // The dashboard counts the batch as one job and names its cost at batch prices.
      const handle = (await vscode.commands.executeCommand('lengthwise.showDashboard')) as { ready: Promise<{ rendered?: { summaryText: string } }> };
      const text = (await handle.ready).rendered!.summaryText;
      assert.match(text, /\d+ batch requests? cost \$[\d.]+ at batch prices/, text);
    });

    it('the text changed since: the answer goes to a new document that says why, the edited document is left alone', async () => {
      const ed = await openDoc('explain this\nother');
      ed.selection = new vscode.Selection(0, 0, 0, 12);
      const r = (await vscode.commands.executeCommand('lengthwise.sendBatch')) as BatchSubmitted;
      await ed.edit((e) => e.replace(new vscode.Range(0, 0, 0, 7), 'EXPLAIN'));
      assert.deepEqual(await check(r.jobId), []);
      const [s] = await check(r.jobId);
      assert.equal(s.job?.strategy, 'batch');
      assert.equal(ed.document.getText(), 'EXPLAIN this\nother', 'the edited document is untouched');
      const other = vscode.workspace.textDocuments.find((d) => d.isUntitled && d.getText().includes('Mock batch completion'));
      assert.ok(other, 'a new document holds the answer');
      assert.match(other.getText(), /here because the text it was sent from has changed since/);
    });

    it('cancel: the batch ends cancelled, nothing is inserted, nothing is recorded, nothing stays pending', async () => {
      const ed = await openDoc('one\ntwo');
      ed.selections = [new vscode.Selection(0, 0, 0, 3), new vscode.Selection(1, 0, 1, 3)];
      const r = (await vscode.commands.executeCommand('lengthwise.sendBatch')) as BatchSubmitted;
      // Cancel (the command for running requests) points to the pending list instead of saying nothing runs.
      assert.equal(await vscode.commands.executeCommand('lengthwise.cancel'), 0);
      await waitForUi((u) => u.notifications.some((n) => n.message.includes('nothing is running; 1 batch at the provider can be cancelled from the pending list')), 'the pointer to the pending batches');
      await vscode.commands.executeCommand('lengthwise.showBatches', r.jobId, 'cancel');
      // aimock answers the cancel with "cancelling"; the next check finds it cancelled.
      const [s] = await check(r.jobId);
      assert.equal(s.finish.raw, 'cancelled');
      assert.equal(s.costUsd, null, 'no request was billed: no cost, not $0');
      assert.equal((await batches()).pending.length, 0);
      assert.equal(ed.document.getText(), 'one\ntwo');
      assert.equal(ledgerLines(file, from).filter((l) => l.kind === 'end').length, 0, 'nothing was billed, nothing recorded');
    });

    it('a pending batch holds its worst case in a "block" budget: the next batch that would pass the budget is refused', async () => {
      const own = `${file}.budget-${Date.now()}.jsonl`;
      const was = (await vscode.commands.executeCommand('lengthwise.internal.useLedgerFile', own)) as string;
      try {
        const ed = await openDoc('first\nsecond');
        ed.selection = new vscode.Selection(0, 0, 0, 5);
        const first = (await vscode.commands.executeCommand('lengthwise.sendBatch')) as BatchSubmitted;
        assert.ok(first.worstCaseUsd! > 0);
        // Room for one more such batch on its own, not beside the pending one.
        await setSettings({ 'budget.usd': first.worstCaseUsd! * 1.5, 'budget.action': 'block' });
        ed.selection = new vscode.Selection(1, 0, 1, 6);
        assert.equal(await vscode.commands.executeCommand('lengthwise.sendBatch'), undefined, 'refused');
        await waitForUi((u) => u.notifications.some((n) => /budget/i.test(n.message) && /Nothing was sent/.test(n.message)), 'the budget refusal');
        assert.equal((await batches()).pending.length, 1, 'only the first batch is pending');
      } finally {
        await vscode.commands.executeCommand('lengthwise.internal.useLedgerFile', was);
      }
    });

    it('a selection larger than one request goes as its chunks, each counted exactly, and their answers land in order at the one selection', async () => {
      // A tiny custom window (as in the jobs tests): the input is about 3× what one request takes.
      await setSettings({ model: 'tiny', maxTokens: 40, models: { tiny: { contextWindow: 600, maxOutputTokens: 64 } }, pricing: { tiny: { input: 1, output: 4 } }, systemPrompt: 'Translate.' });
      const input = Array.from({ length: 12 }, (_, i) => `Section ${i}. ` + Array.from({ length: 30 }, (_, w) => `item${i}x${w}`).join(' ') + '.').join('\n\n');
      const ed = await openDoc(input + '\nafter');
      ed.selection = new vscode.Selection(ed.document.positionAt(0), ed.document.positionAt(input.length));
      const r = (await vscode.commands.executeCommand('lengthwise.sendBatch')) as BatchSubmitted;
      assert.ok(r.requests >= 4, `${r.requests} requests for 3× the window`);
      const list = (await (await fetch(`${p.mock.url}/v1/batches`)).json()) as { data: { id: string; input_file_id: string }[] };
      const file = list.data.find((x) => x.id === r.batchId)!.input_file_id;
      const lines = (await (await fetch(`${p.mock.url}/v1/files/${file}/content`)).text()).trim().split('\n').map((l) => JSON.parse(l) as { body: { messages: { role: string; content: string }[] } });
      const chunks = lines.map((l) => l.body.messages.find((m) => m.role === 'user')!.content);
      assert.equal(chunks.length, r.requests);
      assert.equal(chunks[0], input.slice(0, chunks[0].length), 'the chunks follow the input in order');
      // The input figure: every chunk as a single Send counts it (system prompt, text and framing).
      const tok = await loadTokenizer('o200k_base');
      const expected = chunks.reduce((a, c) => a + countChatInput('openai', 'Translate.', [{ role: 'user', content: c }], (t) => tok.count(t)), 0);
      assert.equal(r.inputTokens, expected);
      assert.deepEqual(await check(r.jobId), []);
      const [s] = await check(r.jobId);
      assert.equal(s.job?.parts, r.requests);
      const landed = ed.document.getText();
      assert.ok(landed.startsWith(input + '\n───── part 1/'), 'the answers start right after the selection');
      assert.equal((landed.match(/───── part \d+\/\d+ ─────/g) ?? []).length, r.requests, 'one separator per chunk');
      assert.ok(landed.endsWith('Mock batch completion\nafter'), 'the text after the selection stays after the answers');
    });

    it(`security: a batch that can never be checked is given up after ${MAX_FAILED_CHECKS} failed checks in a row: its budget hold is released and the user told`, async () => {
      const own = `${file}.giveup-${Date.now()}.jsonl`;
      const was = (await vscode.commands.executeCommand('lengthwise.internal.useLedgerFile', own)) as string;
      let failing = true;
      const srv = await startAnthropicBatchServer({ retrieveStatus: () => (failing ? 400 : undefined) });
      try {
        await setSettings({ provider: 'anthropic', model: 'claude-sonnet-4-5', baseUrl: srv.url, maxTokens: 50 });
        await vscode.commands.executeCommand('lengthwise.setApiKey', 'anthropic', 'sk-test-lengthwise-0000');
        const ed = await openDoc('first\nsecond');
        ed.selection = new vscode.Selection(0, 0, 0, 5);
        const first = (await vscode.commands.executeCommand('lengthwise.sendBatch')) as BatchSubmitted;
        // Room for one such batch, not two: the pending one's hold decides.
        await setSettings({ 'budget.usd': first.worstCaseUsd! * 1.5, 'budget.action': 'block' });
        for (let i = 1; i < MAX_FAILED_CHECKS; i++) {
          assert.deepEqual(await check(first.jobId), []);
          assert.equal((await batches()).pending[0]?.failures, i, `failure ${i} counted`);
        }
        ed.selection = new vscode.Selection(1, 0, 1, 6);
        assert.equal(await vscode.commands.executeCommand('lengthwise.sendBatch'), undefined, 'still held: refused');
        assert.deepEqual(await check(first.jobId), []);
        assert.equal((await batches()).pending.length, 0, 'given up');
        await waitForUi((u) => u.notifications.some((n) => n.message.includes(`gave up checking batch ${first.batchId} at Anthropic after ${MAX_FAILED_CHECKS} failed checks in a row`)), 'the give-up warning');
        const second = (await vscode.commands.executeCommand('lengthwise.sendBatch')) as BatchSubmitted | undefined;
        assert.ok(second?.batchId, 'the hold was released: the same batch now fits the budget');
        failing = false;
        await vscode.commands.executeCommand('lengthwise.showBatches', second.jobId, 'cancel');
        await check(second.jobId);
        assert.equal((await batches()).pending.length, 0);
      } finally {
        await srv.stop();
        await vscode.commands.executeCommand('lengthwise.internal.useLedgerFile', was);
      }
    });

    it('a provider without a batch API is refused with the providers that have one; nothing is sent', async () => {
      await setSettings({ provider: 'openai-compatible' });
      const ed = await openDoc('question');
      ed.selection = new vscode.Selection(0, 0, 0, 8);
      const r = await vscode.commands.executeCommand('lengthwise.sendBatch');
      assert.equal(r, undefined);
      await waitForUi((u) => u.notifications.some((n) => /OpenAI-compatible server has no batch API .*works with OpenAI, Anthropic and Gemini \(lengthwise\.provider\)\. Nothing was sent\./.test(n.message)), 'the refusal naming the providers with a batch API');
      assert.equal(p.posts().length, 0);
      assert.equal((await batches()).pending.length, 0);
    });
  });
}

// ----- window pass: a batch submitted, the window reloaded, the answers landing after the reload ---------------
if (process.env.LENGTHWISE_PASS === 'window') {
  const workspace = process.env.LENGTHWISE_TEST_WORKSPACE ?? '.';
  const stateFile = path.join(workspace, '.lengthwise-batch-reload.json');
  const serverState = path.join(workspace, '.lengthwise-batch-server.json');
  const docFile = path.join(workspace, 'batch-reload.md');
  interface BatchReloadState {
    port: number;
    jobId: string;
    oldPid: number;
  }
  const state = fs.existsSync(stateFile) ? (JSON.parse(fs.readFileSync(stateFile, 'utf8')) as BatchReloadState | { done: true }) : undefined;

  describe('window: a batch survives a window reload', function () {
    this.timeout(60_000);
    if (!state) {
      it('before the reload: two selections submitted as a batch, pending', async () => {
        await api();
        // The server keeps its batches in a file and never ends one here: the answers must come after the reload.
        const srv = await startAnthropicBatchServer({ stateFile: serverState, ended: () => false });
        const port = Number(new URL(srv.url).port);
        await setSettings({ provider: 'anthropic', model: 'claude-sonnet-4-5', baseUrl: srv.url, maxTokens: 50 });
        await vscode.commands.executeCommand('lengthwise.setApiKey', 'anthropic', 'sk-test-lengthwise-0000');
        fs.writeFileSync(docFile, 'first question here\nkeep\nsecond question here\n');
        const ed = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(docFile));
        ed.selections = [new vscode.Selection(0, 0, 0, 19), new vscode.Selection(2, 0, 2, 20)];
        const r = (await vscode.commands.executeCommand('lengthwise.sendBatch')) as BatchSubmitted;
        assert.equal(r.requests, 2);
        assert.equal((await batches()).pending.length, 1);
        fs.writeFileSync(stateFile, JSON.stringify({ port, jobId: r.jobId, oldPid: process.pid } satisfies BatchReloadState));
        // The suite goes on; the next file's first test reloads the window.
      });
    } else if ('jobId' in state) {
      it('after the reload: the pending batch is still there and its answers land after their selections, recorded at batch prices', async () => {
        fs.writeFileSync(stateFile, JSON.stringify({ done: true }));
        assert.notEqual(state.oldPid, process.pid, 'a new extension host');
        await api();
        // The pending item is first drawn when the tracker starts, a moment after activation (extension.ts): no event
        // to await from here.
        const b = await poll(batches, (x) => x.statusText !== '', 'the pending batch in the status bar', 5000, 50);
        assert.deepEqual(b.pending.map((x) => x.jobId), [state.jobId], 'the batch survived the reload');
        assert.match(b.statusText, /^\$\(clock\) 1 batch pending · ≤ \$0\.\d+$/);
        const ed = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(docFile));
        // Its own ledger: the reload test in the same pass counts the records of the default one.
        const own = path.join(workspace, 'batch-ledger.jsonl');
        const was = (await vscode.commands.executeCommand('lengthwise.internal.useLedgerFile', own)) as string;
        let release = false;
        const srv = await startAnthropicBatchServer({ port: state.port, stateFile: serverState, ended: () => release });
        try {
          await vscode.commands.executeCommand('lengthwise.setApiKey', 'anthropic', 'sk-test-lengthwise-0000');
          release = true;
          const [s] = await check(state.jobId);
          assert.ok(s, 'the batch ended and landed');
          assert.equal(ed.document.getText(), 'first question here\nanswer to first question here\nkeep\nsecond question here\nanswer to second question here\n');
          const ends = ledgerLines(own).filter((l) => l.kind === 'end') as { jobId: string; batch: boolean; costUsd: number; usage: { inputTokens: number; outputTokens: number } }[];
          assert.equal(ends.length, 2);
          const live = findPrice('anthropic', 'claude-sonnet-4-5')!;
          for (const e of ends) assert.deepEqual([e.jobId, e.batch, e.costUsd], [state.jobId, true, costOf(e.usage, batchPrice(live, 'anthropic'))]);
          assert.equal((await batches()).pending.length, 0);
        } finally {
          await srv.stop();
          await vscode.commands.executeCommand('lengthwise.internal.useLedgerFile', was);
          await closeAll();
          await resetSettings();
        }
      });
    }
  });
}
