// VS Code's own language models (provider vscode-lm) in the real host: a test extension (test/lmProvider) serves a
// model through vscode.lm.registerLanguageModelChatProvider, backed by the real llama-server; like some providers it
// ignores the output cap and has no stop parameter, and it counts tokens with the server's own tokenizer. Lengthwise
// counts with the model's tokenizer, stops at the cap and at a stop sequence (the provider sees the cancellation),
// continues without repeats, prices from lengthwise.pricing, and reports consent, quota and a gone model clearly.
// Registered where run.mjs installed the fixture (LENGTHWISE_LM_VENDOR: VS Code 1.104 and later).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ResultSummary } from '../../src/core/generation/summary';
import { startLlama } from '../servers/llama.mjs';
import { ledgerLineCount, ledgerLines } from './harness';
import { api, closeAll, ledgerFile, openDoc, resetSettings, select, setSettings } from './util';

const VENDOR = process.env.LENGTHWISE_LM_VENDOR ?? '';
const MODEL = `${VENDOR}/tiny`;

interface FixtureState {
  requests: { model: string; messages: { role: string; text: string }[] }[];
  cancelled: number;
  tokenCounts: number;
}
const fixture = {
  configure: (o: Record<string, unknown>) => vscode.commands.executeCommand('lengthwiseTestLm.configure', o),
  state: async () => (await vscode.commands.executeCommand('lengthwiseTestLm.state')) as FixtureState,
};

if (VENDOR) {
  describe('vscode-lm: VS Code language models', function () {
    this.timeout(60_000);
    let llama: { url: string; stop(): Promise<void> };
    /** The server's own token count of a text (what the fixture's model counts). */
    const tokens = async (text: string) => ((await (await fetch(`${llama.url}/tokenize`, { method: 'POST', body: JSON.stringify({ content: text }) })).json()) as { tokens: unknown[] }).tokens.length;

    before(async () => {
      llama = await startLlama({ ctxSize: 1024 });
      await fixture.configure({ url: llama.url, fail: null, reset: true });
    });
    after(async () => {
      await llama.stop();
    });
    beforeEach(async () => {
      await resetSettings();
      await setSettings({ provider: 'vscode-lm', model: MODEL, systemPrompt: 'Be brief.' });
      await fixture.configure({ fail: null, reset: true });
    });
    afterEach(async () => {
      await closeAll();
      await resetSettings();
    });

    async function send(prompt: string): Promise<{ r: ResultSummary; doc: vscode.TextDocument }> {
      const ed = await openDoc(prompt);
      select(ed, 0, 0, 0, prompt.length);
      const r = (await vscode.commands.executeCommand('lengthwise.send')) as ResultSummary;
      return { r, doc: ed.document };
    }

    it('counts the input and the answer with the model\'s own tokenizer (usage source "model"), a bounded number of counts', async () => {
      await setSettings({ maxTokens: 24 });
      const { r, doc } = await send('Say hello');
      assert.equal(r.provider, 'vscode-lm');
      assert.equal(r.usage.source, 'model');
      assert.equal(r.usage.inputTokens, (await tokens('Be brief.')) + (await tokens('Say hello')), 'system prompt and prompt, each counted by the model');
      assert.equal(r.usage.outputTokens, await tokens(r.text), 'the answer as inserted, counted by the model');
      assert.ok(doc.getText().includes(r.text) && r.text.length > 0);
      const s = await fixture.state();
      console.log(`      model counts for one send with a cap of 24: ${s.tokenCounts}`);
      assert.ok(s.tokenCounts <= 12, `${s.tokenCounts} countTokens calls`);
    });

    it('holds the cap on a model that ignores it: truncated at max tokens within one streamed piece, the provider sees the cancellation', async () => {
      await setSettings({ maxTokens: 20 });
      const { r } = await send('Tell me everything');
      assert.deepEqual(r.finish, { raw: 'max_tokens', reason: 'length', truncated: true });
      const n = await tokens(r.text);
      assert.ok(n >= 20 && n <= 22, `${n} tokens for a cap of 20 (one piece is one or two tokens here)`);
      assert.equal(r.usage.outputTokens, n);
      const s = await fixture.state();
      assert.ok(s.cancelled >= 1, 'the provider saw the cancellation');
    });

    it('cuts at a stop sequence and cancels: reason stop, the text before it', async () => {
      await setSettings({ maxTokens: 200, stopSequences: ['llama'] });
      const { r } = await send('Greet me');
      assert.equal(r.finish.reason, 'stop');
      assert.equal(r.finish.raw, 'stop_sequence');
      assert.ok(!r.text.includes('llama') && /from\s*$/.test(r.text), JSON.stringify(r.text));
      assert.ok((await fixture.state()).cancelled >= 1);
    });

    it('Continue completes a truncated answer without repeats at the seam', async () => {
      // The server continues a trailing assistant message (prefill) and returns the prefix with it: the seam must
      // drop the repeat. The model's answer is its one sentence, over and over; the round after the cut gets 3× max
      // tokens, so the echoed prefix fits with something new after it.
      await setSettings({ maxTokens: 30, models: { [MODEL]: { supportsPrefill: true } } });
      const { r, doc } = await send('Keep going');
      assert.equal(r.finish.truncated, true);
      const before = doc.getText();
      const c = (await vscode.commands.executeCommand('lengthwise.continue', { maxTokensFactor: 3 })) as ResultSummary;
      assert.ok(c && c.text.trim().length > 0, `the continuation added text: ${JSON.stringify(c)}`);
      const after = doc.getText();
      assert.ok(after.startsWith(before), 'the first round stays as it was');
      const answer = after.slice('Keep going'.length).trim();
      console.log(`      joined answer: ${JSON.stringify(answer)}`);
      assert.ok(answer.length > before.length - 'Keep going'.length, 'longer than the first round');
      assert.ok('Hello from llama. '.repeat(50).startsWith(answer.replace(/\s+/g, ' ')), `the sentence continued, nothing repeated or glued: ${JSON.stringify(answer)}`);
    });

    it('prices from lengthwise.pricing (the cost an estimate); without a price the cost is unknown, never $0', async () => {
      await setSettings({ maxTokens: 16, pricing: { [MODEL]: { input: 3, output: 15 } } });
      const { r } = await send('Price me');
      assert.equal(r.costSource, 'override');
      assert.ok(Math.abs(r.costUsd! - (r.usage.inputTokens * 3 + r.usage.outputTokens * 15) / 1e6) < 1e-12);
      await setSettings({ pricing: {} });
      const { r: unpriced } = await send('Price me again');
      assert.equal(unpriced.costUsd, null);
      const status = (await api()).statusText();
      assert.ok(!/\$0\.00\b/.test(status), status);
    });

    for (const [fail, words] of [
      ['NoPermissions', /did not let Lengthwise use .*consent/],
      ['Blocked', /quota is spent or the request was blocked/],
      ['NotFound', /no longer available.*Select Model/],
    ] as const) {
      it(`${fail}: a clear message, nothing inserted, nothing recorded as spent`, async () => {
        await fixture.configure({ fail });
        const file = await ledgerFile();
        const from = ledgerLineCount(file);
        const { r, doc } = await send('Anything');
        assert.equal(doc.getText(), 'Anything', 'nothing inserted');
        assert.equal(r.text, '');
        assert.match((r.notes ?? []).join(' ') + ' ' + JSON.stringify(r), words);
        const ends = ledgerLines(file, from).filter((l) => l.kind === 'end') as { usage: { inputTokens: number; outputTokens: number }; costUsd: number | null }[];
        assert.equal(ends.length, 1);
        assert.deepEqual(ends[0]!.usage, { inputTokens: 0, outputTokens: 0 }, 'nothing spent');
        assert.ok(ends[0]!.costUsd === null || ends[0]!.costUsd === 0);
      });
    }

    it('Select Model sets a bare id; an unknown name is refused before anything is sent, listing what is there', async () => {
      assert.equal(await vscode.commands.executeCommand('lengthwise.selectModel', 'tiny'), 'tiny');
      assert.equal(vscode.workspace.getConfiguration('lengthwise').get('model'), 'tiny');
      const { r } = await send('Hi');
      assert.equal(r.model, 'tiny');
      assert.ok(r.text.length > 0);
      await setSettings({ model: `${VENDOR}/nope` });
      const before = (await fixture.state()).requests.length;
      const err = await (await api()).send({ text: 'Hi' }).then(
        () => undefined,
        (e: Error) => e,
      );
      assert.match(err?.message ?? '', new RegExp(`No VS Code language model is named "${VENDOR}/nope".*Available: .*${VENDOR}/tiny`));
      assert.equal((await fixture.state()).requests.length, before, 'nothing was sent');
    });
  });
}
