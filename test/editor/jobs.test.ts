// Jobs in the real host: a selection 3× the window of a tiny custom model (lengthwise.models) is split, offered
// (ask) or run as set (chunks, summarizeFirst), every request through aimock, the answers in order in the
// document and one ledger record per request linked by the job id.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ResultSummary } from '../../src/core/generation/summary';
import { harness, ledgerLineCount, ledgerLines } from './harness';
import { answeringModals, api, closeAll, ledgerFile, nextFinished, openDoc, resetSettings, setSettings, startProvider, waitFor, waitForText, type Provider } from './util';

const paragraph = (i: number) => `Section ${i}. ` + Array.from({ length: 30 }, (_, w) => `item${i}x${w}`).join(' ') + '.';
const INPUT = Array.from({ length: 12 }, (_, i) => paragraph(i)).join('\n\n');

function userText(body: Record<string, unknown>): string {
  return ((body.messages ?? []) as { role: string; content: unknown }[])
    .filter((m) => m.role === 'user')
    .map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content)))
    .join('');
}

describe('jobs: input larger than the window', function () {
  this.timeout(60_000);
  let p: Provider;
  let file: string;
  let from: number;
  beforeEach(async () => {
    await resetSettings();
    // Window 600, answers ≤ 64: about 470 input tokens a request; the input is ~1,900 tokens (3× the window).
    p = await startProvider('openai-compatible', { model: 'tiny', maxTokens: 40, models: { tiny: { contextWindow: 600, maxOutputTokens: 64 } }, pricing: { tiny: { input: 1, output: 4 } } });
    p.mock.on({ predicate: (req) => /Section \d+/.test(JSON.stringify(req.messages)) && !JSON.stringify(req.messages).includes('Do not answer yet') && !JSON.stringify(req.messages).includes('Answer over them') }, (req) => ({
      content: `answer-${/Section (\d+)/.exec(JSON.stringify(req.messages))![1]}`,
      usage: { prompt_tokens: 400, completion_tokens: 3 },
    }));
    file = await ledgerFile();
    from = ledgerLineCount(file);
  });
  afterEach(async () => {
    await p.stop();
    await closeAll();
    await resetSettings();
  });

  it('chunks: the right number of requests, answers in order with separators, ledger records per part with one job id', async () => {
    await setSettings({ 'chunking.strategy': 'chunks' });
    const ed = await openDoc(INPUT);
    ed.selection = new vscode.Selection(ed.document.positionAt(0), ed.document.positionAt(INPUT.length));
    const reported = nextFinished();
    const before = (await api()).totals();
    const r = (await vscode.commands.executeCommand('lengthwise.send')) as ResultSummary;
    const after = (await api()).totals();
    assert.equal(after.requests - before.requests, r.rounds, 'every request of the job is in the session once');
    assert.ok(Math.abs(after.sessionUsd! - (before.sessionUsd ?? 0) - r.costUsd!) < 1e-12, 'and its cost');
    const posts = p.posts().filter((x) => x.path.endsWith('/chat/completions'));
    assert.ok(r.job, 'the summary names the job');
    assert.equal((await reported).job?.id, r.job.id, 'the API reports the job as one finished call');
    assert.equal(r.costSource, 'override', 'priced by lengthwise.pricing, and says so');
    assert.equal(r.job!.strategy, 'chunks');
    assert.ok(r.job!.parts >= 4, `${r.job!.parts} parts for 3× the window`);
    assert.equal(posts.length, r.job!.parts, 'one request per part');
    // Every part was sent exactly once, and the parts cover the input in order.
    const sentFirst = posts.map((x) => Number(/Section (\d+)/.exec(userText(x.body))![1])).sort((a, b) => a - b);
    assert.equal(sentFirst[0], 0);
    const text = ed.document.getText();
    const order = [...text.matchAll(/answer-(\d+)/g)].map((m) => Number(m[1]));
    assert.deepEqual(order, sentFirst, 'answers land in part order');
    assert.equal((text.match(/───── part \d+\/\d+ ─────/g) ?? []).length, r.job!.parts, 'a visible separator per part');
    assert.ok(text.startsWith(INPUT), 'the selection is kept; answers come after it');
    const ends = ledgerLines(file, from).filter((l) => l.kind === 'end') as { jobId?: string; part?: number; costUsd: number | null }[];
    assert.equal(ends.length, r.job!.parts, 'one ledger record per request');
    assert.ok(ends.every((e) => e.jobId === r.job!.id));
    assert.deepEqual(ends.map((e) => e.part).sort((a, b) => a! - b!), ends.map((_, i) => i));
    const sum = ends.reduce((s, e) => s + (e.costUsd ?? 0), 0);
    assert.ok(Math.abs(sum - r.costUsd!) < 1e-12, 'the summary cost is the sum of the parts');
    console.log(`      plan vs actual: ${r.notes?.[0]}`);
  });

  it('ask: the choice shows requests, tokens and worst-case cost; Cancel sends nothing', async () => {
    const ed = await openDoc(INPUT);
    ed.selection = new vscode.Selection(ed.document.positionAt(0), ed.document.positionAt(INPUT.length));
    const res = await answeringModals(undefined, async () => vscode.commands.executeCommand('lengthwise.send'));
    assert.equal(res.result, undefined, 'declined: no summary');
    assert.equal(p.posts().length, 0, 'nothing was sent');
    assert.match(res.asked[0] ?? '', /larger than one request/);
    assert.equal(ed.document.getText(), INPUT, 'the document is untouched');
  });

  it('summarize-first: summaries, then the final answer lands in the document', async () => {
    await setSettings({ 'chunking.strategy': 'summarizeFirst', 'chunking.summaryTokens': 40 });
    p.mock.on({ predicate: (req) => JSON.stringify(req.messages).includes('Do not answer yet') }, { content: 'a short summary', usage: { prompt_tokens: 300, completion_tokens: 4 } });
    p.mock.on({ predicate: (req) => JSON.stringify(req.messages).includes('Answer over them') }, { content: 'THE FINAL ANSWER', usage: { prompt_tokens: 100, completion_tokens: 4 } });
    const ed = await openDoc(INPUT);
    ed.selection = new vscode.Selection(ed.document.positionAt(0), ed.document.positionAt(INPUT.length));
    const r = (await vscode.commands.executeCommand('lengthwise.send')) as ResultSummary;
    assert.equal(r.job?.strategy, 'summarizeFirst');
    assert.equal(r.text, 'THE FINAL ANSWER');
    assert.ok(ed.document.getText().endsWith('THE FINAL ANSWER'));
    const posts = p.posts().filter((x) => x.path.endsWith('/chat/completions'));
    assert.equal(posts.length, r.job!.parts + 1, 'a summary per part, then one answer');
    const ends = ledgerLines(file, from).filter((l) => l.kind === 'end');
    assert.equal(ends.length, posts.length);
  });

  it('cancel mid-job: the finished parts stay in the document and in the ledger; the rest is not sent', async () => {
    await setSettings({ 'chunking.strategy': 'chunks' });
    // Every part but the first stalls (aimock waits 25 s per chunk), so the cancel finds part 1 done and the rest open.
    p.mock.prependFixture({
      match: { predicate: (req) => /Section \d+/.test(JSON.stringify(req.messages)) && !/Section 0\./.test(JSON.stringify(req.messages)) },
      response: (req) => ({ content: `answer-${/Section (\d+)/.exec(JSON.stringify(req.messages))![1]}`, usage: { prompt_tokens: 400, completion_tokens: 3 } }),
      latency: 25_000,
    });
    const ed = await openDoc(INPUT);
    ed.selection = new vscode.Selection(ed.document.positionAt(0), ed.document.positionAt(INPUT.length));
    const sent = vscode.commands.executeCommand('lengthwise.send') as Thenable<ResultSummary>;
    await waitForText(ed.document, (t) => t.includes('answer-0'), 20_000);
    // The status bar follows the job, as the progress notification does.
    const a = await api();
    await waitFor(() => a.statusText(), (t) => /^\$\(sync~spin\) chunk \d+\/\d+ · \$[\d.]+ so far$/.test(t), 5000, 'the job in the status bar');
    // The real key path: Cancel's keybinding (Ctrl+Alt+Shift+X) is live only while "lengthwise.running" is set.
    await harness('POST', `/keys?${new URLSearchParams({ keys: 'Control+Alt+Shift+X' })}`);
    const r = await sent;
    assert.equal(r.finish.reason, 'cancelled');
    assert.doesNotMatch(a.statusText(), /so far|sync~spin/, 'the job has left the status bar');
    assert.ok(r.job && r.job.parts >= 4);
    const text = ed.document.getText();
    assert.ok(text.startsWith(INPUT) && text.includes('answer-0'), 'the finished part stays');
    assert.deepEqual([...text.matchAll(/answer-(\d+)/g)].map((m) => m[1]), ['0'], 'no unfinished part was inserted');
    const posts = p.posts().filter((x) => x.path.endsWith('/chat/completions'));
    assert.ok(posts.length <= 3 && posts.length < r.job.parts, `${posts.length} of ${r.job.parts} parts were sent (2 at a time)`);
    const ends = ledgerLines(file, from).filter((l) => l.kind === 'end') as { jobId?: string; part?: number; finish: { reason: string }; usage: { outputTokens: number } }[];
    const done = ends.find((e) => e.jobId === r.job!.id && e.finish.reason === 'stop');
    assert.ok(done && done.usage.outputTokens === 3, 'the finished part is in the ledger with its usage');
    assert.ok(ends.filter((e) => e.jobId === r.job!.id).length === posts.length, 'every request that went out has its record (the cancelled ones too)');
  });
});
