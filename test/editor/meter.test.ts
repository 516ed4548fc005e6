// The meter in the real host: the status bar before, during and after a stream; the ledger on disk; budgets.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { costOf, findPrice, formatUsd, worstCaseCost } from '../../src/core/pricing/cost';
import { Ledger } from '../../src/core/ledger/ledger';
import { fileStorage } from '../../src/platform/node/ledgerFile';
import type { ResultSummary } from '../../src/core/generation/summary';
import { loadTokenizer } from '../../src/core/tokens/tokens';
import { api, closeAll, openDoc, resetSettings, select, setSettings, startProvider, usage, waitForStatus, type Provider } from './util';

/** The status text without its session total (which depends on the tests run before). */
const withoutSession = (t: string): string => t.replace(/ · session (≥ \$[\d.]+|\$[\d.]+|price unknown)$/, '');

describe('meter: status bar and ledger', () => {
  let p: Provider;
  beforeEach(async () => {
    await resetSettings();
    p = await startProvider('openai', { maxTokens: 300 });
  });
  afterEach(async () => {
    await p.stop();
    await closeAll();
    await resetSettings();
  });

  it('idle with a selection: exact token count of the selection and the worst-case cost', async () => {
    const text = 'Explain the difference between a process and a thread, briefly.';
    const ed = await openDoc(text);
    select(ed, 0, 0, 0, text.length);
    const tok = await loadTokenizer('o200k_base');
    const n = tok.count(text);
    // The worst case of what Send would send: the selection with OpenAI's chat framing (3 tokens for the message, 3
    // priming the reply). Before, the status bar priced the selection alone.
    const worst = worstCaseCost(n + 6, 300, findPrice('openai', 'gpt-4.1-mini'))!;
    assert.ok(worst > 0, 'gpt-4.1-mini has a known price');
    const shown = await waitForStatus((t) => t.includes(`${n} tok`));
    // Answers of gpt-4.1-mini that earlier suites left in the ledger add the expected figure before the worst case.
    const expected = /^\$\(symbol-ruler\) Lengthwise · (\d+) tok · (?:≈ \$[\d.]+ · )?≤ (\$[\d.]+)$/.exec(withoutSession(shown));
    assert.ok(expected, shown);
    assert.deepEqual([Number(expected[1]), expected[2]], [n, formatUsd(worst)], shown);
  });

  it('an unknown model shows "price unknown", never $0', async () => {
    await setSettings({ provider: 'openai-compatible', model: 'my-local-llama', baseUrl: `${p.mock.url}/v1` });
    await vscode.commands.executeCommand('lengthwise.setApiKey', 'openai-compatible', 'sk-local');
    const ed = await openDoc('hello local model');
    select(ed, 0, 0, 0, 17);
    // The idle form for this selection (earlier texts — a previous selection, the last answer — also contain "tok").
    const shown = await waitForStatus((t) => t.startsWith('$(symbol-ruler)') && t.includes('price unknown'));
    assert.match(shown, /≈\d+ tok · price unknown/, `an estimate (≈) and no price: ${shown}`);
    p.mock.onMessage('hello local model', { content: 'hi', usage: usage(4, 1) });
    const r = (await vscode.commands.executeCommand('lengthwise.send')) as ResultSummary;
    assert.equal(r.costUsd, null);
    const after = await waitForStatus((t) => t.startsWith('$(check)'));
    assert.match(after, /price unknown/);
    assert.doesNotMatch(after, /\$0\.0+\b/);
  });

  it('while streaming: tokens so far / max, cost so far, then the provider numbers at the end', async () => {
    const content = 'alpha beta gamma delta '.repeat(40);
    p.mock.onMessage('stream for the meter', { content, usage: usage(9, 160) }, { chunkSize: 6, streamingProfile: { tps: 60 } });
    const ed = await openDoc('stream for the meter');
    select(ed, 0, 0, 0, 20);
    const pending = vscode.commands.executeCommand('lengthwise.send') as Thenable<ResultSummary>;
    const live = await waitForStatus((t) => /^\$\(sync~spin\) [1-9]\d*\/300 tok · \$/.test(t));
    assert.match(live, /\/300 tok · \$[\d.]+/);
    const r = await pending;
    const price = findPrice('openai', 'gpt-4.1-mini')!;
    assert.equal(r.usage.source, 'provider');
    assert.equal(r.usage.outputTokens, 160);
    assert.ok(Math.abs(r.costUsd! - costOf({ inputTokens: 9, outputTokens: 160 }, price)!) < 1e-12);
    const done = await waitForStatus((t) => t.startsWith('$(check)'));
    assert.equal(withoutSession(done), `$(check) 160 tok · ${formatUsd(r.costUsd)}`);
    assert.match(done, / · session (≥ )?\$\d/, 'the session total stays in the text');
  });

  it('after a truncation: warning look with tokens/max', async () => {
    await setSettings({ maxTokens: 5 });
    p.mock.onMessage('cut me off', { content: 'one two three four five', finishReason: 'length', usage: usage(3, 5) });
    const ed = await openDoc('cut me off');
    select(ed, 0, 0, 0, 10);
    await vscode.commands.executeCommand('lengthwise.send');
    const t = await waitForStatus((s) => s.startsWith('$(warning)'));
    assert.match(t, /^\$\(warning\) truncated at 5\/5 tok · \$/);
  });

  it('the ledger on disk holds every request and reopens with the same totals', async () => {
    p.mock.onMessage('ledger one', { content: 'a', usage: usage(100, 10) });
    p.mock.onMessage('ledger two', { content: 'b', usage: usage(200, 20) });
    const a = await api();
    const before = a.totals();
    const ed = await openDoc('ledger one\nledger two');
    select(ed, 0, 0, 0, 10);
    const r1 = (await vscode.commands.executeCommand('lengthwise.send')) as ResultSummary;
    select(ed, 2, 0, 2, 10);
    const r2 = (await vscode.commands.executeCommand('lengthwise.send')) as ResultSummary;
    const after = a.totals();
    assert.equal(after.requests, before.requests + 2);
    const added = r1.costUsd! + r2.costUsd!;
    assert.ok(Math.abs(after.sessionUsd! - (before.sessionUsd ?? 0) - added) < 1e-12);
    assert.ok(Math.abs(after.workspaceUsd! - (before.workspaceUsd ?? 0) - added) < 1e-12);
    // What a fresh activation does: open the file again and read it.
    const stats = (await vscode.commands.executeCommand('lengthwise.internal.stats')) as { ledgerFile: string };
    const { ledger, badLines } = await Ledger.open(fileStorage(stats.ledgerFile));
    assert.deepEqual(badLines, []);
    const ws = vscode.workspace.workspaceFolders![0].uri.toString();
    assert.ok(Math.abs(ledger.totals({ workspace: ws }).usd! - after.workspaceUsd!) < 1e-12);
    const last = ledger.records().at(-1)!;
    assert.equal(last.model, 'gpt-4.1-mini');
    assert.deepEqual({ in: last.usage.inputTokens, out: last.usage.outputTokens, src: last.usageSource }, { in: 200, out: 20, src: 'provider' });
  });

  it('a "block" budget that is spent sends nothing and says so', async () => {
    p.mock.onMessage('spend something', { content: 'x', usage: usage(1000, 1000) });
    const ed = await openDoc('spend something');
    select(ed, 0, 0, 0, 15);
    await vscode.commands.executeCommand('lengthwise.send');
    const spent = (await api()).totals().workspaceUsd!;
    assert.ok(spent > 0);
    await setSettings({ 'budget.usd': spent / 2, 'budget.action': 'block' });
    const n = p.posts().length;
    await assert.rejects((await api()).send(), /budget/i);
    assert.equal(p.posts().length, n, 'no request was sent');
    assert.equal(ed.document.getText(), 'spend something\nx', 'nothing inserted');
  });

  it('activate() is quick (the ledger, tokenizer and SDKs load later)', async () => {
    const stats = (await vscode.commands.executeCommand('lengthwise.internal.stats')) as { activateMs: number };
    console.log(`      activate() took ${stats.activateMs.toFixed(1)} ms`);
    assert.ok(stats.activateMs < 500, `activate() took ${stats.activateMs} ms`);
  });
});

describe('meter: exact count on request', () => {
  afterEach(async () => {
    await closeAll();
    await resetSettings();
  });

  it('Claude: the command asks Anthropic count_tokens and reports its number next to the local estimate', async () => {
    const http = await import('node:http');
    const paths: string[] = [];
    const server = http.createServer((req, res) => {
      paths.push(req.url ?? '');
      req.resume();
      req.on('end', () => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ input_tokens: 4321 }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as { port: number }).port;
      await setSettings({ provider: 'anthropic', model: 'claude-sonnet-4-6', baseUrl: `http://127.0.0.1:${port}` });
      await vscode.commands.executeCommand('lengthwise.setApiKey', 'anthropic', 'sk-ant-test-0000');
      const ed = await openDoc('How many tokens is this, exactly?');
      select(ed, 0, 0, 0, 33);
      const r = (await vscode.commands.executeCommand('lengthwise.countTokens')) as { inputTokens: number; source: string; localEstimate: number };
      assert.equal(r.inputTokens, 4321);
      assert.equal(r.source, 'Anthropic messages.countTokens');
      assert.ok(r.localEstimate > 0 && r.localEstimate < 50);
      assert.deepEqual(paths, ['/v1/messages/count_tokens']);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('OpenAI: counted exactly on this machine, nothing is sent', async () => {
    await setSettings({ provider: 'openai', model: 'gpt-4.1-mini', baseUrl: 'http://127.0.0.1:9/v1' });
    const ed = await openDoc('Count me locally.');
    select(ed, 0, 0, 0, 17);
    const r = (await vscode.commands.executeCommand('lengthwise.countTokens')) as { inputTokens: number; source: string };
    // The request's input as OpenAI bills it: the text plus the chat framing (3 for the message, 3 priming the reply).
    assert.equal(r.inputTokens, (await loadTokenizer('o200k_base')).count('Count me locally.') + 6);
    assert.match(r.source, /o200k_base tokenizer \(exact/);
  });
});
