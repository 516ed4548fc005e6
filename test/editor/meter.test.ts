// The meter in the real host: the status bar before, during and after a stream; the ledger on disk; budgets.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { costOf, findPrice, formatUsd, worstCaseCost } from '../../src/core/pricing/cost';
import { Ledger } from '../../src/core/ledger/ledger';
import { fileStorage } from '../../src/platform/node/ledgerFile';
import type { ResultSummary } from '../../src/core/generation/summary';
import { loadTokenizer } from '../../src/core/tokens/tokens';
import { api, closeAll, openDoc, remoteHostAlias, resetSettings, select, setSettings, startProvider, usage, waitForStatus, type Provider } from './util';
import { harness, waitForUi } from './harness';

/** The status text without its session total (which depends on the tests run before). */
const withoutSession = (t: string): string => t.replace(/ · session (≥ \$[\d.]+|\$[\d.]+|price unknown|local)$/, '');

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

  it('idle with a selection: exact token count of what Send sends (the selection and the chat framing) and the worst-case cost', async () => {
    const text = 'Explain the difference between a process and a thread, briefly.';
    const ed = await openDoc(text);
    select(ed, 0, 0, 0, text.length);
    const tok = await loadTokenizer('o200k_base');
    // The selection as one message (3 tokens) and the reply's priming (3): OpenAI's published counting rule.
    const n = tok.count(text) + 6;
    const worst = worstCaseCost(n, 300, findPrice('openai', 'gpt-4.1-mini'))!;
    assert.ok(worst > 0, 'gpt-4.1-mini has a known price');
    const shown = await waitForStatus((t) => t.includes(`${n} tok`));
    // Answers of gpt-4.1-mini that earlier suites left in the ledger add the expected figure before the worst case.
    const expected = /^\$\(symbol-ruler\) Lengthwise · (\d+) tok · (?:≈ \$[\d.]+ · )?≤ (\$[\d.]+)$/.exec(withoutSession(shown));
    assert.ok(expected, shown);
    assert.deepEqual([Number(expected[1]), expected[2]], [n, formatUsd(worst)], shown);
  });

  // Issue 28: Count Exactly said 13 where the status bar said 7 (the 13 included the chat framing), and the length
  // hint was added after counting. Now both count what Send sends and say what the count is made of.
  it('the status bar and Count Selection Tokens Exactly give the same count, length hint included, and say what it is made of', async () => {
    await setSettings({ lengthHint: 'auto', systemPrompt: 'You are terse.' });
    const text = 'Name three prime numbers.';
    const ed = await openDoc(text);
    select(ed, 0, 0, 0, text.length);
    const tok = await loadTokenizer('o200k_base');
    const system = 'You are terse.\n\nKeep the answer under about 180 words.';
    const n = tok.count(text) + tok.count(system) + 9;
    // The selection, the system prompt with its hint, and 9 tokens of framing (two messages and the reply's priming).
    // The expected figure (≈) stands beside the worst case once earlier answers give one.
    const shown = await waitForStatus((t) => t.startsWith('$(symbol-ruler)') && new RegExp(` ${n} tok · (≈ \\$[\\d.]+ · )?≤ \\$`).test(t));
    assert.match(shown, new RegExp(`· ${n} tok · (≈ \\$[\\d.]+ · )?≤ \\$`));
    await vscode.commands.executeCommand('notifications.clearAll');
    const r = (await vscode.commands.executeCommand('lengthwise.countTokens')) as { inputTokens: number; source: string };
    assert.equal(r.inputTokens, n, 'Count says the same number');
    const ui = await waitForUi((u) => u.notifications.some((x) => x.message.includes('input tokens')), 'the count');
    const msg = ui.notifications.find((x) => x.message.includes('input tokens'))!.message;
    assert.match(msg, new RegExp(`${n} input tokens — o200k_base tokenizer \\(exact for gpt-4\\.1-mini\\): the selection ${tok.count(text)} \\+ the system prompt ${tok.count(system)} \\(with the length hint\\) \\+ chat framing 9\\. The status bar counts the same way\\.`), msg);
    // The request that goes out carries that system prompt: the count is the request's own.
    p.mock.onMessage(text, { content: '2, 3, 5', usage: usage(n, 5) });
    await vscode.commands.executeCommand('lengthwise.send');
    const sent = p.posts().at(-1)!.body.messages as { role: string; content: string }[];
    assert.equal(sent[0].content, system);
  });

  it('multi-cursor: the count is the primary selection’s (what Send sends), and the status bar says it is 1 of 2', async () => {
    const ed = await openDoc('alpha beta gamma\ndelta epsilon zeta eta theta');
    ed.selections = [new vscode.Selection(0, 0, 0, 16), new vscode.Selection(1, 0, 1, 27)];
    const tok = await loadTokenizer('o200k_base');
    const n = tok.count('alpha beta gamma') + 6;
    const shown = await waitForStatus((t) => t.includes('sel 1/2'));
    assert.match(withoutSession(shown), new RegExp(`^\\$\\(symbol-ruler\\) Lengthwise · sel 1/2 · ${n} tok · (≈ \\$[\\d.]+ · )?≤ \\$`), shown);
    const r = (await vscode.commands.executeCommand('lengthwise.countTokens')) as { inputTokens: number };
    assert.equal(r.inputTokens, n);
  });

  it('an unknown model on another host shows "price unknown", never $0', async () => {
    // Not a loopback name (a model on this machine would be "local", $0): this machine under its host name.
    await p.stop();
    p = await startProvider('openai-compatible', { model: 'my-local-llama', maxTokens: 300 }, remoteHostAlias());
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

  // Issue 28: a click on a truncated answer's status bar item ran Continue (a paid request). Now it opens a menu.
  it('a click on the status bar item opens a menu and sends nothing; Continue is an item with its worst case', async () => {
    await setSettings({ maxTokens: 5 });
    p.mock.onMessage('cut for the menu', { content: 'one two three four five', finishReason: 'length', usage: usage(3, 5) });
    const ed = await openDoc('cut for the menu');
    select(ed, 0, 0, 0, 16);
    await vscode.commands.executeCommand('lengthwise.send');
    await waitForStatus((s) => s.startsWith('$(warning)'));
    const sent = p.posts().length;
    await harness('POST', '/click?id=lengthwise.meter');
    const ui = await waitForUi((u) => !!u.quickPick?.length, 'the menu');
    console.log(`      menu: ${JSON.stringify(ui.quickPick)}`);
    const rows = ui.quickPick!;
    assert.match(rows[0], /Continue the truncated answer.*paid: up to 5 more tokens, worst case \$[\d.]+/);
    assert.ok(rows.some((r) => /Select Preset/.test(r)) && rows.some((r) => /Dashboard/.test(r)), JSON.stringify(rows));
    await harness('POST', '/keys?keys=Escape');
    await waitForUi((u) => !u.quickPick, 'the menu closed');
    assert.equal(p.posts().length, sent, 'nothing was sent by the click');
    // The item looks like any finished answer: the marker in the document is the one place that asks.
    const hover = (await harness<{ text: string }>('POST', '/hover?id=lengthwise.meter')).text;
    assert.match(hover, /A click on the item opens a menu/);
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

  it('a Responses-only OpenAI model: Count asks OpenAI’s input-token count (POST /v1/responses/input_tokens)', async () => {
    const http = await import('node:http');
    const paths: string[] = [];
    const server = http.createServer((req, res) => {
      paths.push(`${req.method} ${req.url}`);
      req.resume();
      req.on('end', () => {
        res.setHeader('content-type', 'application/json');
        if (req.url === '/v1/responses/input_tokens') return res.end(JSON.stringify({ object: 'response.input_tokens', input_tokens: 77 }));
        res.statusCode = 404;
        res.end('{}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as { port: number }).port;
      await setSettings({ provider: 'openai', model: 'gpt-5.1-codex', baseUrl: `http://127.0.0.1:${port}/v1` });
      await vscode.commands.executeCommand('lengthwise.setApiKey', 'openai', 'sk-test-0000');
      const ed = await openDoc('Count me on the Responses API.');
      select(ed, 0, 0, 0, 30);
      const r = (await vscode.commands.executeCommand('lengthwise.countTokens')) as { inputTokens: number; source: string; localEstimate: number };
      assert.equal(r.inputTokens, 77);
      assert.equal(r.source, 'OpenAI responses.inputTokens.count (POST /v1/responses/input_tokens)');
      assert.deepEqual(paths, ['POST /v1/responses/input_tokens']);
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
