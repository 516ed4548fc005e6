// OpenAI's Responses API and reported costs in the real host: a Responses-only model (gpt-5-codex) goes to
// /v1/responses, truncates, and the Continue quick fix completes it with a user "continue" turn; the status bar
// tooltip names where the cost comes from (the price table; a gateway's reported cost).
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import { CONTINUE_INSTRUCTION } from '../../src/core/generation/continuation';
import type { ResultSummary } from '../../src/core/generation/summary';
import { harness } from './harness';
import { api, closeAll, openDoc, resetSettings, select, setSettings, startProvider, usage, waitFor, type Provider } from './util';

async function send(ed: vscode.TextEditor, line: number): Promise<ResultSummary> {
  select(ed, line, 0, line, ed.document.lineAt(line).text.length);
  return (await vscode.commands.executeCommand('lengthwise.send')) as ResultSummary;
}

async function continueAction(doc: vscode.TextDocument): Promise<vscode.CodeAction> {
  const diag = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'Lengthwise');
  assert.equal(diag.length, 1, 'one truncation marker');
  const all = (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', doc.uri, diag[0].range)) ?? [];
  const found = all.find((a): a is vscode.CodeAction => 'title' in a && (a as vscode.CodeAction).command?.command === 'lengthwise.continue');
  assert.ok(found, 'a Continue quick fix');
  return found;
}

/** Sends the cursor's line with nothing selected: the finished numbers then stay in the status bar (a selection
 * would be measured and replace them). */
async function sendLine(ed: vscode.TextEditor, line: number): Promise<ResultSummary> {
  select(ed, line, 0, line, 0);
  return (await vscode.commands.executeCommand('lengthwise.send')) as ResultSummary;
}

/** The status bar tooltip as a person sees it (hovered in the page by the harness). */
async function tooltip(): Promise<string> {
  return (await harness<{ text: string }>('POST', '/hover?id=lengthwise.meter')).text;
}

describe('responses: a Responses-only model and cost sources', () => {
  let p: Provider;
  beforeEach(async () => {
    await resetSettings();
    p = await startProvider('openai', { model: 'gpt-5-codex', maxTokens: 16 });
  });
  afterEach(async () => {
    await p.stop();
    await closeAll();
    await resetSettings();
  });

  it('gpt-5-codex goes to /v1/responses, truncates, and the Continue quick fix completes it (user "continue" turn, no prefill)', async () => {
    const prompt = 'Write a haiku about tabs.';
    let n = 0;
    const replies = [
      { content: 'Tabs align the code', finishReason: 'length', usage: usage(20, 16) },
      { content: ', spaces argue in silence.', usage: usage(60, 8) },
    ];
    p.mock.on({ predicate: (req) => JSON.stringify(req.messages).includes(prompt) }, () => replies[Math.min(n++, 1)], { chunkSize: 4 });
    const ed = await openDoc(`${prompt}\nafter`);
    const r1 = await send(ed, 0);
    assert.equal(r1.finish.truncated, true);
    assert.equal(r1.finish.raw, 'incomplete', 'aimock reports status incomplete (without a reason)');
    assert.equal(r1.sent.maxTokens, 16);
    assert.ok(r1.notes?.some((x) => /OpenAI Responses API used for GPT-5 Codex/.test(x)), JSON.stringify(r1.notes));
    assert.equal(r1.costSource, 'prices');
    const first = p.posts().at(-1)!;
    assert.equal(first.path, '/v1/responses');
    assert.equal(first.body.max_tokens, 16, "aimock's journal: max_output_tokens");

    const fix = (await continueAction(ed.document)).command!;
    const r2 = (await vscode.commands.executeCommand(fix.command, ...(fix.arguments ?? []))) as ResultSummary;
    assert.equal(ed.document.getText(), `${prompt}\nTabs align the code, spaces argue in silence.\nafter`);
    assert.deepEqual(r2.finish, { raw: 'completed', reason: 'stop', truncated: false });
    const round2 = p.posts().at(-1)!;
    assert.equal(round2.path, '/v1/responses');
    const msgs = (round2.body.messages as { role: string; content: string }[]).map((m) => [m.role, m.content]);
    assert.deepEqual(msgs, [
      ['user', prompt],
      ['assistant', 'Tabs align the code'],
      ['user', CONTINUE_INSTRUCTION],
    ]);
    assert.equal(vscode.languages.getDiagnostics(ed.document.uri).filter((d) => d.source === 'Lengthwise').length, 0, 'marker cleared');
  });

  it('the tooltip names the cost source: the price table for OpenAI, "reported by the server" for a gateway that reports it', async () => {
    p.mock.onMessage('price me', { content: 'Priced.', usage: usage(10, 3) });
    const lw = await api();
    // A settings change redraws the idle meter (debounced): let it land before sending, so it cannot replace the
    // finished numbers afterwards.
    const settled = () => waitFor(() => lw.statusText(), (t) => t.startsWith('$(symbol-ruler)'), 5000, 'the meter to show the new settings');
    await setSettings({ model: 'gpt-4.1-mini', maxTokens: 50 });
    await settled();
    const ed = await openDoc('price me');
    const r = await sendLine(ed, 0);
    assert.equal(r.costSource, 'prices');
    await waitFor(() => lw.statusText(), (t) => /\$\(check\)/.test(t), 5000, 'the finished status');
    assert.match(await tooltip(), /cost source\s*from the price table \(@pydantic\/genai-prices/);

    // A LiteLLM-style gateway: the billed cost in the response header of the streamed answer.
    const gw = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'x-litellm-response-cost': '0.000321' });
        const c = (o: object) => res.write(`data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 1, model: 'gpt-4.1-mini', ...o })}\n\n`);
        c({ choices: [{ index: 0, delta: { role: 'assistant', content: 'Billed.' }, finish_reason: null }] });
        c({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
        c({ choices: [], usage: { prompt_tokens: 10, completion_tokens: 3, total_tokens: 13 } });
        res.end('data: [DONE]\n\n');
      });
    });
    await new Promise<void>((r) => gw.listen(0, '127.0.0.1', r));
    try {
      await setSettings({ provider: 'openai-compatible', baseUrl: `http://127.0.0.1:${(gw.address() as AddressInfo).port}/v1` });
      await vscode.commands.executeCommand('lengthwise.setApiKey', 'openai-compatible', 'sk-test-lengthwise-0000');
      await settled();
      const ed2 = await openDoc('bill me');
      const r2 = await sendLine(ed2, 0);
      assert.equal(r2.costUsd, 0.000321);
      assert.equal(r2.costSource, 'provider');
      await waitFor(() => lw.statusText(), (t) => /\$0\.000321/.test(t), 5000, 'the gateway result in the status bar');
      assert.match(await tooltip(), /cost\s*\$0\.000321\s*cost source\s*reported by the server/);
    } finally {
      gw.closeAllConnections();
      await new Promise<void>((r) => gw.close(() => r()));
    }
  });
});
