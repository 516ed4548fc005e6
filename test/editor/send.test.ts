// Send end to end in the real host: select text, run lengthwise.send against aimock, check the document,
// the summary and what went over the wire.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ResultSummary } from '../../src/core/generation/summary';
import { harness, poll } from './harness';
import { api, closeAll, openDoc, resetSettings, select, setSettings, startProvider, usage, waitForText, type Provider } from './util';

describe('send: selection → answer streamed into the document', () => {
  let p: Provider;
  beforeEach(async () => {
    await resetSettings();
    p = await startProvider('openai', { maxTokens: 256, stopSequences: ['END'] });
  });
  afterEach(async () => {
    await p.stop();
    await closeAll();
    await resetSettings();
  });

  it('insertAfter: answer on a new line after the selection; summary and wire agree', async () => {
    p.mock.onMessage('What is 6 times 7?', { content: 'It is 42.', usage: usage(12, 5) }, { chunkSize: 2 });
    const ed = await openDoc('What is 6 times 7?\nnext line');
    select(ed, 0, 0, 0, 18);
    const r = (await vscode.commands.executeCommand('lengthwise.send')) as ResultSummary;
    assert.equal(ed.document.getText(), 'What is 6 times 7?\nIt is 42.\nnext line');
    assert.equal(r.text, 'It is 42.');
    assert.deepEqual(r.finish, { raw: 'stop', reason: 'stop', truncated: false });
    assert.equal(r.usage.source, 'provider');
    assert.equal(r.usage.inputTokens, 12);
    assert.equal(r.usage.outputTokens, 5);
    assert.deepEqual(r.sent, { maxTokens: 256, stop: ['END'] });
    assert.equal(r.rounds, 1);
    assert.equal(r.provider, 'openai');
    assert.equal(r.model, 'gpt-4.1-mini');
    const body = p.posts().at(-1)!.body;
    assert.equal(body.max_tokens, 256);
    assert.deepEqual(body.stop, ['END']);
    assert.deepEqual((await api()).lastResult, r);
  });

  it('replace: the selection is replaced by the answer', async () => {
    await setSettings({ output: 'replace' });
    p.mock.onMessage('make it loud', { content: 'MAKE IT LOUD' });
    const ed = await openDoc('before\nmake it loud\nafter');
    select(ed, 1, 0, 1, 12);
    const r = (await vscode.commands.executeCommand('lengthwise.send')) as ResultSummary;
    assert.equal(ed.document.getText(), 'before\nMAKE IT LOUD\nafter');
    assert.equal(r.text, 'MAKE IT LOUD');
  });

  it('newDocument: the answer opens in a new document and the source is untouched', async () => {
    await setSettings({ output: 'newDocument' });
    p.mock.onMessage('write a haiku', { content: 'old pond\nfrog jumps in\nsplash' });
    const ed = await openDoc('write a haiku');
    select(ed, 0, 0, 0, 13);
    const r = (await vscode.commands.executeCommand('lengthwise.send')) as ResultSummary;
    assert.equal(ed.document.getText(), 'write a haiku');
    const active = vscode.window.activeTextEditor!;
    assert.notEqual(active.document, ed.document);
    assert.equal(active.document.getText(), 'old pond\nfrog jumps in\nsplash');
    assert.equal(r.text, 'old pond\nfrog jumps in\nsplash');
  });

  it('a CRLF document: a multi-line answer streamed in many chunks lands in order with CRLF line breaks', async () => {
    const answer = Array.from({ length: 12 }, (_, i) => `line ${i + 1} of the answer`).join('\n');
    p.mock.onMessage('windows line endings', { content: answer }, { chunkSize: 3 });
    const ed = await openDoc('windows line endings\r\nafter');
    assert.equal(ed.document.eol, vscode.EndOfLine.CRLF);
    select(ed, 0, 0, 0, 20);
    const r = (await vscode.commands.executeCommand('lengthwise.send')) as ResultSummary;
    assert.equal(ed.document.getText(), `windows line endings\r\n${answer.replace(/\n/g, '\r\n')}\r\nafter`);
    assert.equal(r.text, answer.replace(/\n/g, '\r\n'));
  });

  it('with nothing selected, sends the current line', async () => {
    p.mock.onMessage('the current line', { content: 'answer to the line' });
    const ed = await openDoc('first\nthe current line\nlast');
    select(ed, 1, 3, 1, 3);
    const r = (await vscode.commands.executeCommand('lengthwise.send')) as ResultSummary;
    assert.equal(r.text, 'answer to the line');
    assert.equal(ed.document.getText(), 'first\nthe current line\nanswer to the line\nlast');
    const msgs = p.posts().at(-1)!.body.messages as { content: string }[];
    assert.equal(msgs.at(-1)!.content, 'the current line');
  });

  it('cancel mid-stream: the request stops and every received character stays', async () => {
    const content = 'tick '.repeat(400);
    p.mock.onMessage('count slowly', { content }, { chunkSize: 5, streamingProfile: { tps: 30 } });
    const ed = await openDoc('count slowly');
    select(ed, 0, 0, 0, 12);
    const pending = vscode.commands.executeCommand('lengthwise.send') as Thenable<ResultSummary>;
    await waitForText(ed.document, (t) => t.includes('tick tick tick'));
    await vscode.commands.executeCommand('lengthwise.cancel');
    const r = await pending;
    assert.equal(r.finish.reason, 'cancelled');
    const text = ed.document.getText();
    assert.ok(text.startsWith('count slowly\n'));
    const inserted = text.slice('count slowly\n'.length);
    assert.equal(inserted, r.text, 'the summary reports exactly what is in the document');
    assert.ok(r.text.length > 0 && r.text.length < content.length);
    assert.ok(content.startsWith(r.text), 'a prefix of the answer, nothing lost or reordered');
    assert.equal(r.usage.source, 'estimate', 'no provider usage arrived: the spend is an estimate');
    assert.ok(r.usage.outputTokens > 0);
  });

  it('a missing API key sends nothing and says how to fix it', async () => {
    await vscode.commands.executeCommand('lengthwise.setApiKey', 'openai', '');
    p.mock.onMessage('no key', { content: 'never' });
    const ed = await openDoc('no key');
    select(ed, 0, 0, 0, 6);
    await assert.rejects((await api()).send(), /No API key for OpenAI.*Set API Key.*Nothing was sent/s);
    assert.equal(p.posts().length, 0, 'no request reached the server');
    assert.equal(ed.document.getText(), 'no key');
  });

  it('an empty line sends nothing', async () => {
    const ed = await openDoc('\n\n');
    select(ed, 1, 0, 1, 0);
    await assert.rejects((await api()).send(), /Nothing to send/);
    assert.equal(p.posts().length, 0);
  });

  it('a 401 shows the auth error, inserts nothing and reports the finish as an error', async () => {
    p.mock.onMessage('bad key', { content: 'never' });
    p.mock.nextRequestError(401, { message: 'invalid api key' });
    const ed = await openDoc('bad key');
    select(ed, 0, 0, 0, 7);
    const r = (await vscode.commands.executeCommand('lengthwise.send')) as ResultSummary;
    assert.equal(r.text, '');
    assert.equal(r.error?.kind, 'auth');
    assert.match(r.error!.message, /Set API Key/);
    assert.equal(ed.document.getText(), 'bad key');
  });
});

describe('send: Anthropic and Gemini through their SDKs', () => {
  for (const provider of ['anthropic', 'gemini'] as const) {
    it(`${provider}: streams the answer and reports the truncation`, async () => {
      await resetSettings();
      const p = await startProvider(provider, { maxTokens: 5 });
      try {
        p.mock.onMessage(`tell ${provider} a story`, { content: 'Once upon a time', finishReason: 'length', usage: usage(8, 5) });
        const ed = await openDoc(`tell ${provider} a story`);
        select(ed, 0, 0, 0, `tell ${provider} a story`.length);
        const r = (await vscode.commands.executeCommand('lengthwise.send')) as ResultSummary;
        assert.equal(r.text, 'Once upon a time');
        assert.equal(r.finish.reason, 'length');
        assert.equal(r.finish.truncated, true);
        assert.equal(r.finish.raw, provider === 'anthropic' ? 'max_tokens' : 'MAX_TOKENS');
        assert.equal(r.sent.maxTokens, 5);
        assert.deepEqual({ in: r.usage.inputTokens, out: r.usage.outputTokens, src: r.usage.source }, { in: 8, out: 5, src: 'provider' });
      } finally {
        await p.stop();
        await closeAll();
        await resetSettings();
      }
    });
  }
});

if (process.env.LENGTHWISE_HARNESS_URL) {
  describe('send: screenshot for the README', () => {
    it('"code generation" preset: one fenced block, stopped at its closing fence, meter in the status bar', async () => {
      const { screenshot } = await import('.');
      await resetSettings();
      const p = await startProvider('openai');
      try {
        await vscode.commands.executeCommand('workbench.action.closeSidebar');
        await vscode.commands.executeCommand('workbench.action.closePanel');
        await vscode.commands.executeCommand('lengthwise.selectPreset', 'code generation');
        // The server stops at the configured "\n```" (aimock does not apply stops itself: the fixture ends there);
        // includeStopSequence puts the closing fence back.
        const answer = [
          '```ts',
          'export function debounce<T extends (...a: never[]) => void>(fn: T, ms: number): T {',
          '  let timer: ReturnType<typeof setTimeout> | undefined;',
          '  return ((...args: Parameters<T>) => {',
          '    clearTimeout(timer);',
          '    timer = setTimeout(() => fn(...args), ms);',
          '  }) as T;',
          '}',
        ].join('\n');
        p.mock.onMessage('Write a typed debounce helper in TypeScript.', { content: answer, usage: usage(41, 74) }, { chunkSize: 8 });
        const ed = await openDoc('# Utilities\n\nWrite a typed debounce helper in TypeScript.\n');
        select(ed, 2, 0, 2, 44);
        const r = (await vscode.commands.executeCommand('lengthwise.send')) as ResultSummary;
        assert.equal(r.preset, 'code generation');
        assert.deepEqual(r.sent.stop, ['\n```']);
        assert.ok(ed.document.getText().includes(answer + '\n```'), 'the closing fence is appended back');
        await vscode.commands.executeCommand('notifications.clearAll');
        // The progress notification of the send leaves the page a moment after the command returns.
        await poll(() => harness<{ notifications: unknown[] }>('GET', '/ui'), (ui) => ui.notifications.length === 0, 'no notification on the page');
        const file = await screenshot('lengthwise-send');
        assert.ok(file);
      } finally {
        await vscode.commands.executeCommand('workbench.view.explorer'); // the layout the other suites start from
        await p.stop();
        await resetSettings();
      }
    });
  });
}
