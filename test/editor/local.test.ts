// Local models, first class, in the real VS Code host against a real llama-server started with --api-key (the key
// stored for the OpenAI-compatible server; test/servers/llama.mjs, its tiny model tokenizes almost byte by byte, so
// its counts are ~4× the o200k estimate): one step set-up, discovery with the key, a selection over its window split
// by its own tokenizer with every part answered, a part it refuses for length cut smaller and answered, $0 local
// cost; the walkthrough's button from a fresh profile; a failed part marked in place with one notification and Retry.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ResultSummary } from '../../src/core/generation/summary';
import type { LocalServerChoice } from '../../src/extension/localServer';
import { FaultServer } from '../servers/faultServer';
import { ledgerLineCount, ledgerLines, poll, waitForUi } from './harness';
import { screenshot } from './index';
import { api, closeAll, EXTENSION_ID, ledgerFile, openDoc, recordNotices, resetSettings, setSettings, waitFor } from './util';
import { ensureLlama, startLlama } from '../servers/llama.mjs';

const KEY = 'sk-local-llama-0000';
const paragraph = (i: number) => `Section ${i}. ` + Array.from({ length: 40 }, (_, w) => `word${(i * 7 + w) % 13}`).join(' ') + '.';
/** ~2,000 o200k tokens; the tiny model's tokenizer makes ~8,000 of it: four times its 2,048-token window. */
const INPUT = Array.from({ length: 24 }, (_, i) => paragraph(i)).join('\n\n');

const setKey = (key: string) => vscode.commands.executeCommand('lengthwise.setApiKey', 'openai-compatible', key);
const cfg = () => vscode.workspace.getConfiguration('lengthwise');

interface Notice {
  level: 'info' | 'warn' | 'error';
  message: string;
  buttons: string[];
  answer(button: string | undefined): void;
}

/** Records the extension's toasts (answered by the test) and answers modal questions with their first button. */
function recordUi() {
  const notices: Notice[] = [];
  const modals: { message: string; detail: string }[] = [];
  const win = vscode.window as unknown as Record<string, (...a: unknown[]) => unknown>;
  const saved = { info: win.showInformationMessage, warn: win.showWarningMessage, error: win.showErrorMessage };
  const hook = (level: Notice['level']) => (...a: unknown[]) => {
    const opts = a[1] as { modal?: boolean; detail?: string } | undefined;
    if (typeof opts === 'object' && opts?.modal) {
      modals.push({ message: String(a[0]), detail: String(opts.detail ?? '') });
      return Promise.resolve(a.slice(2).find((b) => typeof b === 'string'));
    }
    return new Promise((resolve) => notices.push({ level, message: String(a[0]), buttons: a.slice(1).filter((b): b is string => typeof b === 'string'), answer: resolve }));
  };
  win.showInformationMessage = hook('info');
  win.showWarningMessage = hook('warn');
  win.showErrorMessage = hook('error');
  return {
    notices,
    modals,
    restore() {
      win.showInformationMessage = saved.info;
      win.showWarningMessage = saved.warn;
      win.showErrorMessage = saved.error;
    },
  };
}

/** Every `───── part i/n ─────` of the document and the text after it up to the next one. */
function partsIn(text: string): { label: string; body: string }[] {
  const marks = [...text.matchAll(/───── part (\d+)\/(\d+) ─────/g)];
  return marks.map((m, i) => ({ label: `${m[1]}/${m[2]}`, body: text.slice(m.index! + m[0].length, marks[i + 1]?.index ?? text.length) }));
}

describe('local: a real llama-server with --api-key', function () {
  this.timeout(180_000);
  let llama: { url: string; stop(): Promise<void> };
  let ui: ReturnType<typeof recordUi> | undefined;
  before(async () => {
    await ensureLlama();
    llama = await startLlama({ ctxSize: 2048, apiKey: KEY });
  });
  after(async () => {
    await llama?.stop();
    await vscode.commands.executeCommand('lengthwise.internal.localServerPorts', undefined);
  });
  beforeEach(async () => {
    await resetSettings();
    await setKey(KEY);
  });
  afterEach(async () => {
    ui?.restore();
    ui = undefined;
    await closeAll();
    await resetSettings();
  });

  it('local: one step set-up — provider, address and model set; the server, its models and its window said; a send costs $0, local', async () => {
    ui = recordUi();
    const c = (await vscode.commands.executeCommand('lengthwise.useLocalServer', { baseUrl: llama.url })) as LocalServerChoice;
    assert.deepEqual([c.baseUrl, c.model, c.server, c.models, c.contextWindow, c.tokenizer], [`${llama.url}/v1`, 'tiny', 'llama-server', ['tiny'], 2048, true]);
    assert.deepEqual([cfg().get('provider'), cfg().get('baseUrl'), cfg().get('model')], ['openai-compatible', `${llama.url}/v1`, 'tiny']);
    const said = ui.notices.find((n) => /using llama-server/.test(n.message));
    assert.ok(said, JSON.stringify(ui.notices.map((n) => n.message)));
    for (const part of ['llama-server (llama.cpp)', 'model tiny', 'the only model it serves', 'context window 2,048 tokens', "the server's /props", 'its own tokenizer', '$0 (local)']) assert.ok(said.message.includes(part), `${part}: ${said.message}`);
    // Discovery carried the key: the server's window clamps max tokens (the request would be refused otherwise).
    await setSettings({ maxTokens: 100_000 });
    const r = await (await api()).send({ text: 'Hello, local model.' });
    assert.equal(r.error, undefined, r.error?.message);
    assert.ok(r.sent.maxTokens < 2048, `clamped to the window: ${r.sent.maxTokens}`);
    assert.ok(r.notes?.some((n) => n.includes(`limits of "tiny": context 2048 from the server's /props (n_ctx)`)), JSON.stringify(r.notes));
    assert.match(r.text, /Hello from llama/);
    assert.deepEqual([r.costUsd, r.costSource], [0, 'local']);
    const status = (await api()).statusText();
    // The session figure depends on the suites run before this one ("session local" when run alone).
    assert.match(status, / · local · session /, status);
    assert.doesNotMatch(status, /price unknown/);
  });

  it("local: the walkthrough's button from a fresh profile — a server that wants a key says so; with the key stored it is set up", async () => {
    const nls = JSON.parse(fs.readFileSync(path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'package.nls.json'), 'utf8')) as Record<string, string>;
    const link = /\[Use a Local Server\]\(command:([\w.]+)\)/.exec(nls['walkthrough.key.description'])?.[1];
    assert.equal(link, 'lengthwise.useLocalServer', 'the step links the command');
    await setKey('');
    await vscode.commands.executeCommand('lengthwise.internal.localServerPorts', [Number(new URL(llama.url).port)]);
    ui = recordUi();
    // As the link runs it: no argument, the usual ports (here the test server's).
    assert.equal(await vscode.commands.executeCommand(link), undefined);
    const wants = ui.notices.find((n) => n.level === 'error');
    assert.match(wants?.message ?? '', /wants an API key \(401\).*Set API Key → OpenAI-compatible server/);
    assert.deepEqual(wants?.buttons, ['Set API Key']);
    assert.equal(cfg().inspect('provider')?.globalValue, undefined, 'nothing was set');
    await setKey(KEY);
    const c = (await vscode.commands.executeCommand(link)) as LocalServerChoice;
    assert.equal(c.model, 'tiny');
    assert.equal(cfg().get('provider'), 'openai-compatible');
    ui.restore();
    ui = undefined;
    // For the README: a first local answer with its status bar, and the real set-up notification over it.
    await setSettings({ maxTokens: 24, stopSequences: ['.'] });
    const ed = await openDoc('Say hello to the local model.\n');
    ed.selection = new vscode.Selection(0, 0, 0, 29);
    await vscode.commands.executeCommand('lengthwise.send');
    const a = await api();
    await waitFor(() => a.statusText(), (t) => /^\$\(check\) .* · local · session /.test(t), 5000, 'the local answer in the status bar');
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand(link);
    // The progress notifications (looking for the server, the send) close a moment after their work ends.
    await waitForUi((u) => u.notifications.some((n) => /using llama-server/.test(n.message)) && !u.notifications.some((n) => /looking for|max 24 tokens/.test(n.message)), 'the set-up notification alone');
    await vscode.commands.executeCommand('notifications.showList');
    await vscode.commands.executeCommand('notifications.focusFirstToast').then(undefined, () => undefined);
    await vscode.commands.executeCommand('notification.expand').then(undefined, () => undefined);
    await screenshot('local-server');
    await vscode.commands.executeCommand('notifications.hideList');
  });

  it("local: a selection over the window is offered the plans, split by the server's own tokenizer, and every part is answered", async () => {
    await setSettings({ provider: 'openai-compatible', baseUrl: `${llama.url}/v1`, model: 'tiny', maxTokens: 16, stopSequences: ['.'] });
    const file = await ledgerFile();
    const from = ledgerLineCount(file);
    const ed = await openDoc(INPUT);
    ed.selection = new vscode.Selection(ed.document.positionAt(0), ed.document.positionAt(INPUT.length));
    ui = recordUi();
    const a = await api();
    const seen = new Set<string>();
    const watch = setInterval(() => seen.add(a.statusText()), 5);
    let r: ResultSummary;
    try {
      r = (await vscode.commands.executeCommand('lengthwise.send')) as ResultSummary;
    } finally {
      clearInterval(watch);
    }
    const plan = ui.modals.find((m) => /larger than one request/.test(m.message));
    assert.ok(plan, 'the plans were offered');
    assert.match(plan.detail, /tokens \(counted by llama-server's own tokenizer\), more than one request takes/);
    assert.match(plan.detail, /Parts sized by llama-server's own tokenizer \(exact for this server\)/);
    assert.match(plan.detail, /local, \$0/);
    assert.ok(r!.job && r!.job.parts >= 4, `${r!.job?.parts} parts`);
    const parts = partsIn(ed.document.getText());
    assert.equal(parts.length, r!.job!.parts, 'a separator per part');
    assert.ok(parts.every((p) => /Hello from llama/.test(p.body)), 'every part answered');
    assert.doesNotMatch(ed.document.getText(), /\[part \d+:/, 'no error text in the file');
    assert.deepEqual([r!.costUsd, r!.costSource], [0, 'local']);
    const ends = ledgerLines(file, from).filter((l) => l.kind === 'end') as { costSource?: string; costUsd: number }[];
    assert.equal(ends.length, r!.rounds);
    assert.ok(ends.every((e) => e.costSource === 'local' && e.costUsd === 0), 'the ledger says local, $0');
    assert.ok([...seen].some((t) => /^\$\(sync~spin\) chunk \d+\/\d+ · (starting|local so far)$/.test(t)), `the status bar followed the job: ${JSON.stringify([...seen])}`);
    assert.match(a.statusText(), new RegExp(`^\\$\\(check\\) ${r!.job!.parts} parts · [\\d,]+ tok · local · session `), a.statusText());
    console.log(`      ${r!.job!.parts} parts, ${r!.rounds} requests; ${r!.notes?.[0]}`);
    // For the README: the answers under their separators, the job's numbers in the status bar.
    await vscode.commands.executeCommand('notifications.clearAll');
    const end = ed.document.lineAt(ed.document.lineCount - 1).range.end;
    ed.selection = new vscode.Selection(end, end);
    ed.revealRange(new vscode.Range(end, end), vscode.TextEditorRevealType.InCenter);
    await screenshot('local-job');
  });

  it("local: the old trap — provider openai with a local baseUrl and no key: the message names the local server and its button sets it up", async () => {
    await vscode.commands.executeCommand('lengthwise.setApiKey', 'openai', '');
    await setSettings({ provider: 'openai', model: 'gpt-4.1-mini', baseUrl: `${llama.url}/v1` });
    // The refusal is a notice that closes once a key is stored; its actions are links (test/editor/util.ts).
    const shown = recordNotices();
    try {
      await assert.rejects((await api()).send({ text: 'hello' }), /No API key for OpenAI/);
    } finally {
      shown.restore();
    }
    const said = shown.notices.find((n) => /No API key for OpenAI/.test(n.message));
    assert.match(said?.message ?? '', new RegExp(`lengthwise\\.baseUrl points at a server on this machine \\(127\\.0\\.0\\.1:${new URL(llama.url).port}\\).*Use a Local Server`));
    // OPENAI_API_KEY is read for OpenAI (the provider set), never offered for the OpenAI-compatible server.
    assert.doesNotMatch(said!.message, /compatible[^.]*OPENAI_API_KEY/);
    assert.deepEqual(said?.links, ['Use a Local Server', 'Set API Key']);
    await said!.click('Use a Local Server');
    await poll(() => [cfg().get('provider'), cfg().get('model')], (v) => v[0] === 'openai-compatible' && v[1] === 'tiny', 'the button set the local server up');
    const r = await (await api()).send({ text: 'hello' });
    assert.deepEqual([r.model, r.costSource], ['tiny', 'local'], 'recorded as the model that ran, at $0');
  });

  it("local: Continue counts the conversation with the server's tokenizer: the round is clamped to what the window leaves", async () => {
    // The tiny model's answer counts ~6 server tokens a token when sent back (its tokenizer splits what it generated
    // into characters): 200 tokens of answer come back as ~1,200, and with the prompt and the continue instruction
    // the second round's input is ~1,918 of the 2,048: 130 left, not 200. Counted locally (o200k), ~500.
    await setSettings({ provider: 'openai-compatible', baseUrl: `${llama.url}/v1`, model: 'tiny', maxTokens: 200 });
    ui = recordUi();
    const first = await (await api()).send({ text: INPUT.slice(0, 100) });
    assert.equal(first.error, undefined, first.error?.message);
    assert.equal(first.finish.truncated, true, 'the tiny model answers until max tokens');
    const r = (await vscode.commands.executeCommand('lengthwise.continue')) as ResultSummary;
    console.log(`      round 1: ${first.usage.inputTokens} in, ${first.usage.outputTokens} out (max ${first.sent.maxTokens}); round 2: ${r.usage.inputTokens} in, max ${r.sent.maxTokens}; ${JSON.stringify(r.notes)}`);
    assert.equal(r.error, undefined, `the server took the round: ${r.error?.message}`);
    assert.ok(r.sent.maxTokens < 130, `clamped to the room the server's count leaves: ${r.sent.maxTokens}`);
    assert.match(r.text, /Hello from llama/);
  });

  it('local: a part the server refuses for length (lengthwise.models says 8,192; it holds 2,048) is cut smaller and answered', async () => {
    await setSettings({ provider: 'openai-compatible', baseUrl: `${llama.url}/v1`, model: 'tiny', maxTokens: 16, models: { tiny: { contextWindow: 8192 } }, 'chunking.strategy': 'chunks' });
    const ed = await openDoc(INPUT);
    ed.selection = new vscode.Selection(ed.document.positionAt(0), ed.document.positionAt(INPUT.length));
    ui = recordUi();
    const r = (await vscode.commands.executeCommand('lengthwise.send')) as ResultSummary;
    assert.ok(r.notes?.some((n) => /did not fit the server: cut into \d+ pieces and sent again/.test(n)), JSON.stringify(r.notes));
    assert.equal(r.error, undefined);
    assert.notEqual(r.finish.reason, 'error');
    const parts = partsIn(ed.document.getText());
    assert.equal(parts.length, r.job!.parts);
    assert.ok(parts.every((p) => /Hello from llama/.test(p.body)), 'every part answered');
    assert.deepEqual(await vscode.commands.executeCommand('lengthwise.internal.failedParts'), [], 'nothing left without an answer');
    assert.equal(ui.notices.filter((n) => /got no answer/.test(n.message)).length, 0);
  });
});

describe('local: a part that got no answer', function () {
  this.timeout(60_000);
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

  it('local: a failed part is marked in place, not written; one notification names it with Retry; Retry lands its answer after its separator', async () => {
    await setKey('');
    f = await new FaultServer().start();
    // The first two requests (parts 1 and 2, sent together) are refused; every later one is answered.
    f.plans = [{ status: 400, errorMessage: 'the model is loading, try again' }, { status: 400, errorMessage: 'the model is loading, try again' }, { chunks: ['retried answer'] }];
    await setSettings({ provider: 'openai-compatible', baseUrl: `${f.url}/v1`, model: 'lengthwise-local-test-model', maxTokens: 16, 'chunking.maxInputTokens': 256, 'chunking.strategy': 'chunks' });
    const ed = await openDoc(INPUT.slice(0, 4000));
    ed.selection = new vscode.Selection(ed.document.positionAt(0), ed.document.positionAt(4000));
    ui = recordUi();
    const r = (await vscode.commands.executeCommand('lengthwise.send')) as ResultSummary;
    assert.equal(r.finish.reason, 'error');
    const text = ed.document.getText();
    assert.doesNotMatch(text, /loading|400|\[part/, 'no error text in the file');
    const parts = partsIn(text);
    assert.equal(parts.length, r.job!.parts, 'every part keeps its separator');
    assert.deepEqual(parts.slice(0, 2).map((p) => p.body.trim()), ['', ''], 'the failed parts are empty');
    const marks = (await vscode.commands.executeCommand('lengthwise.internal.failedParts')) as { missing: number[]; lines: number[]; messages: string[] }[];
    assert.equal(marks.length, 1);
    assert.deepEqual(marks[0].missing.sort(), [0, 1]);
    assert.deepEqual(marks[0].lines.map((l) => ed.document.lineAt(l).text.trim()).sort(), [`───── part 1/${r.job!.parts} ─────`, `───── part 2/${r.job!.parts} ─────`]);
    assert.match(marks[0].messages[0], /has no answer: .*loading.*Retry/);
    const diags = vscode.languages.getDiagnostics(ed.document.uri).filter((d) => d.source === 'Lengthwise' && d.code === 'no-answer');
    assert.equal(diags.length, 2, 'a Warning where each missing part belongs');
    const told = ui.notices.filter((n) => /got no answer/.test(n.message));
    assert.equal(told.length, 1, 'one notification');
    assert.match(told[0].message, new RegExp(`2 of ${r.job!.parts} parts got no answer: part \\d — .*loading.*; part \\d — `));
    assert.deepEqual(told[0].buttons, ['Retry']);
    assert.match((await api()).statusText(), new RegExp(`^\\$\\(warning\\) 2 of ${r.job!.parts} parts failed`));
    told[0].answer('Retry');
    await poll(async () => (await vscode.commands.executeCommand('lengthwise.internal.failedParts')) as unknown[], (m) => m.length === 0, 'no part missing after Retry');
    const after = partsIn(ed.document.getText());
    assert.deepEqual(after.slice(0, 2).map((p) => p.body.trim()), ['retried answer', 'retried answer'], 'each answer after its own separator');
    assert.equal(vscode.languages.getDiagnostics(ed.document.uri).filter((d) => d.code === 'no-answer').length, 0, 'the marks are gone');
  });
});
