// Send, stream, cancel, truncation and Continue, presets — in the web worker, against the real llama-server, which
// applies max tokens and stop sequences itself and answers " Hello from llama." over and over.
import * as vscode from 'vscode';
import type { ResultSummary } from '../../src/core/generation/summary';
import * as assert from './assert';
import { api, closeAll, openDoc, resetSettings, selectAll, sendDoc, setSettings, useLlama, waitFor } from './util';

const SENTENCE = ' Hello from llama.';
const markers = (doc: vscode.TextDocument) => vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'Lengthwise');

/** Registered by index.ts once mocha is set up. */
export function registerSend(): void {
  describe('web: send, stream, cancel, continue, presets', function () {
    this.timeout(60_000);
    beforeEach(async () => {
      await resetSettings();
      await useLlama();
    });
    afterEach(async () => {
      await closeAll();
      await resetSettings();
    });

    it('streams the whole answer into the document, in many edits; usage from the server, priced from the bundled table', async () => {
      // ~1 s of streaming from the tiny model (a shorter answer can arrive in one network read).
      await setSettings({ maxTokens: 1600 });
      const prompt = 'Tell me about yourself.';
      const editor = await openDoc(prompt);
      selectAll(editor);
      let edits = 0;
      const sub = vscode.workspace.onDidChangeTextDocument((e) => e.document === editor.document && edits++);
      const r = (await vscode.commands.executeCommand('lengthwise.send')) as ResultSummary;
      sub.dispose();
      const text = editor.document.getText();
      assert.ok(text.startsWith(prompt) && text.endsWith(r.text), 'what the result says was inserted follows the prompt');
      assert.ok(SENTENCE.repeat(401).startsWith(r.text.startsWith(' ') ? r.text : ` ${r.text}`), `the server's sentence, whole: ${JSON.stringify(r.text.slice(0, 80))}…`);
      assert.equal(r.text.length, Math.ceil(SENTENCE.length * 400) - (r.text.startsWith(' ') ? 0 : 1), 'all 1,600 tokens (400 sentences)');
      assert.deepEqual(r.finish, { raw: 'length', reason: 'length', truncated: true });
      assert.equal(r.usage.source, 'provider');
      assert.equal(r.usage.outputTokens, 1600);
      assert.equal(r.costSource, 'prices');
      assert.ok(r.costUsd !== null && r.costUsd > 0);
      assert.ok(edits > 2, `${edits} edits while streaming`);
      console.log(`      ${r.text.length} characters in ${edits} edits, $${r.costUsd.toFixed(6)}`);
    });

    it('a stop sequence ends the answer where the server stopped', async () => {
      await setSettings({ maxTokens: 64, stopSequences: ['.'] });
      const { r, editor } = await sendDoc('Greet me.');
      assert.equal(r.text.trim(), 'Hello from llama');
      assert.equal(r.finish.reason, 'stop');
      assert.ok(editor.document.getText().includes('Hello from llama'));
      assert.equal(markers(editor.document).length, 0);
    });

    it('cancel keeps every character received, and the result says cancelled', async () => {
      await setSettings({ maxTokens: 1800 });
      const editor = await openDoc('Go on and on.');
      selectAll(editor);
      const sending = vscode.commands.executeCommand('lengthwise.send') as Thenable<ResultSummary>;
      await waitFor(() => editor.document.getText().length, (n) => n > 'Go on and on.'.length + 40, 'the first text');
      await vscode.commands.executeCommand('lengthwise.cancel');
      const r = await sending;
      assert.equal(r.finish.reason, 'cancelled');
      assert.ok(r.text.length > 0 && editor.document.getText().endsWith(r.text), 'the text received stays');
      assert.ok(r.usage.outputTokens > 0 && r.usage.outputTokens < 1800, `${r.usage.outputTokens} tokens counted`);
    });

    it('a truncated answer is marked; Continue completes it once, joined without a repeat', async () => {
      await setSettings({ maxTokens: 2, stopSequences: ['.'] });
      const { r, editor } = await sendDoc('Say it.');
      const doc = editor.document;
      assert.deepEqual(r.finish, { raw: 'length', reason: 'length', truncated: true });
      const m = await waitFor(() => markers(doc), (d) => d.length === 1, 'the truncation marker');
      assert.equal(m[0]!.message, 'Response truncated at max tokens (2/2) — Continue?');
      await setSettings({ maxTokens: 64 });
      const c = (await vscode.commands.executeCommand('lengthwise.continue')) as ResultSummary;
      assert.equal(c.rounds, 2);
      assert.deepEqual(c.finish, { raw: 'stop', reason: 'stop', truncated: false });
      const answer = doc.getText().slice('Say it.'.length).trim();
      assert.equal(answer, 'Hello from llama', `joined: ${JSON.stringify(answer)}`);
      await waitFor(() => markers(doc).length, (n) => n === 0, 'the marker gone');
      const again = (await vscode.commands.executeCommand('lengthwise.continue')) as ResultSummary | undefined;
      assert.equal(again, undefined, 'nothing left to continue');
      assert.equal(doc.getText().slice('Say it.'.length).trim(), 'Hello from llama');
    });

    it('presets: the chosen preset\'s values go over the wire and the status bar names it', async () => {
      await setSettings({ presets: { 'web short': { maxTokens: 3 } } });
      assert.equal(await vscode.commands.executeCommand('lengthwise.selectPreset', 'web short'), 'web short');
      try {
        const editor = await openDoc('Hi there.');
        selectAll(editor);
        const a = await api();
        await waitFor(() => a.statusText(), (t) => t.includes('web short') && / tok /.test(t), 'the meter with the preset\'s name');
        const r = (await vscode.commands.executeCommand('lengthwise.send')) as ResultSummary;
        assert.equal(r.preset, 'web short');
        assert.equal(r.sent.maxTokens, 3);
        assert.equal(r.usage.outputTokens, 3);
      } finally {
        await vscode.commands.executeCommand('lengthwise.selectPreset', '');
      }
    });
  });
}
