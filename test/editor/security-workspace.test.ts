// Hostile workspaces, callers and servers in the real editor: a workspace cannot lift the user's budget, another
// extension's baseUrl in lengthwise.send's arguments is asked about, the question names whose key goes where, an
// official host over http:// is questioned, and usage a server plants ends as a labelled estimate (the status bar
// does not stay "running").
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ResultSummary } from '../../src/core/generation/summary';
import { FaultServer } from '../servers/faultServer';
import { ledgerLineCount } from './harness';
import { answeringModals, api, closeAll, ledgerFile, openDoc, remoteHostAlias, resetSettings, select, setSettings, startProvider, waitForStatus } from './util';

describe('security: hostile workspaces and callers', function () {
  this.timeout(30_000);
  afterEach(async () => {
    await closeAll();
    await resetSettings();
  });

  it('security: a workspace budget of $1e9 "warn" does not lift the user\'s $0.000001 "block" budget: nothing is sent', async () => {
    const p = await startProvider('openai', { 'budget.usd': 0.000001, 'budget.action': 'block' });
    try {
      await setSettings({ 'budget.usd': 1e9, 'budget.action': 'warn' }, vscode.ConfigurationTarget.Workspace);
      p.mock.onMessage('spend', { content: 'should not be sent' });
      const { error } = await answeringModals(undefined, async () => (await api()).send({ text: 'spend' }));
      assert.match(error?.message ?? '', /budget/i);
      assert.equal(p.posts().length, 0, 'the user\u2019s budget held');
      const { error: viaArgs } = await answeringModals(undefined, async () => (await api()).send({ text: 'spend', overrides: { 'budget.usd': 1e9, 'budget.action': 'warn' } }));
      assert.match(viaArgs?.message ?? '', /budget/i, 'per-call overrides cannot lift it either');
      assert.equal(p.posts().length, 0);
    } finally {
      await p.stop();
    }
  });

  it("security: a baseUrl in lengthwise.send's arguments (another extension, a task) is asked about: declined → nothing reaches it", async () => {
    const p = await startProvider('openai');
    // Another host (loopback endpoints are not asked about), still on this machine's loopback interface.
    const other = await new FaultServer().start(remoteHostAlias());
    other.plans = [{ chunks: ['from the caller\u2019s server'] }];
    try {
      const ed = await openDoc('send me elsewhere');
      select(ed, 0, 0, 0, 17);
      const args = { overrides: { baseUrl: `${other.url}/v1` } };
      const declined = await answeringModals(undefined, () => Promise.resolve(vscode.commands.executeCommand<ResultSummary | undefined>('lengthwise.send', args)));
      assert.equal(declined.result, undefined);
      assert.equal(declined.asked.length, 1, 'asked');
      assert.ok(declined.asked[0].includes(`to ${remoteHostAlias()}:${new URL(other.url).port} (`), declined.asked[0]);
      assert.equal(other.requests.length, 0, 'declined: nothing reached the caller\u2019s server');
      const approved = await answeringModals('Send', () => Promise.resolve(vscode.commands.executeCommand<ResultSummary | undefined>('lengthwise.send', args)));
      assert.equal(approved.result?.text, 'from the caller\u2019s server');
      assert.equal(other.requests.length, 1);
    } finally {
      await other.stop();
      await p.stop();
    }
  });

  it('security: an official host over http:// set by the workspace is asked about, naming the host and why', async () => {
    await vscode.commands.executeCommand('lengthwise.setApiKey', 'openai', 'sk-test-http-0000');
    await setSettings({ provider: 'openai', model: 'gpt-4.1-mini', baseUrl: 'http://api.openai.com/v1' }, vscode.ConfigurationTarget.Workspace);
    const { error, asked } = await answeringModals(undefined, async () => (await api()).send({ text: 'clear text?' }));
    assert.equal(asked.length, 1);
    assert.match(asked[0], /to api\.openai\.com \(http:\/\/api\.openai\.com\/v1; it uses http, so the key would travel unencrypted\)/);
    assert.match(error?.message ?? '', /declined/);
  });

  it('security: an OpenAI-compatible workspace endpoint without its own key never gets the OpenAI key', async () => {
    const other = await new FaultServer().start(remoteHostAlias());
    other.plans = [{ chunks: ['keyless answer'] }];
    try {
      await vscode.commands.executeCommand('lengthwise.setApiKey', 'openai-compatible', '');
      await vscode.commands.executeCommand('lengthwise.setApiKey', 'openai', 'sk-test-fallback-0000');
      await setSettings({ provider: 'openai-compatible', model: 'local', baseUrl: `${other.url}/v1` }, vscode.ConfigurationTarget.Workspace);
      const { result, asked } = await answeringModals(undefined, async () => (await api()).send({ text: 'whose key?' }));
      assert.deepEqual(asked, [], 'no key goes there, so there is nothing to ask about');
      assert.equal(result?.text, 'keyless answer');
      assert.equal(other.requests.length, 1);
      assert.equal(other.requests[0].headers.authorization, undefined, 'the OpenAI key stayed home');
    } finally {
      await other.stop();
    }
  });

  it('security: usage a server plants ("100", 1e300) becomes the local estimate, said in the summary; the status bar ends the run', async () => {
    const p = await startProvider('openai');
    try {
      p.mock.onMessage('plant', { content: 'A short answer.', usage: { prompt_tokens: '100', completion_tokens: 1e300 } as never });
      const r = await (await api()).send({ text: 'plant' });
      assert.equal(r.text, 'A short answer.');
      assert.equal(r.usage.source, 'estimate');
      assert.ok(r.usage.inputTokens < 1000 && r.usage.outputTokens < 1000, JSON.stringify(r.usage));
      assert.ok(r.costUsd !== null && r.costUsd < 0.01, `cost ${r.costUsd}`);
      assert.ok((r.notes ?? []).some((n) => /not a plain token count/.test(n)), JSON.stringify(r.notes));
      const status = (await api()).statusText();
      assert.ok(!/running|\$\(sync~spin\)/i.test(status), status);
      const next = await (await api()).send({ text: 'plant' });
      assert.equal(next.text, 'A short answer.', 'the next send is not blocked by a planted cost');
    } finally {
      await p.stop();
    }
  });

  // Finding: a workspace set chunks of 256 tokens with an overlap of 10,000 and max tokens 16,384; one Send on a
  // ~40,000-token selection fired 712 gpt-4o requests without a question.
  const tinyParts = { provider: 'openai', model: 'gpt-4o', maxTokens: 16384, 'chunking.strategy': 'chunks', 'chunking.maxInputTokens': 256, 'chunking.overlapTokens': 10000 };
  const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i % 997} `).join('');

  it('security: a workspace that sets tiny chunks gets the plan asked about every time: declined → nothing sent, inserted or recorded', async () => {
    const p = await startProvider('openai');
    try {
      await setSettings(tinyParts, vscode.ConfigurationTarget.Workspace);
      const file = await ledgerFile();
      const from = ledgerLineCount(file);
      const text = words(9_000); // ~27,000 tokens: a few hundred parts of ~200 tokens
      const ed = await openDoc(text);
      ed.selection = new vscode.Selection(ed.document.positionAt(0), ed.document.positionAt(text.length));
      for (let i = 0; i < 2; i++) {
        const { error, asked } = await answeringModals(undefined, async () => (await api()).send());
        assert.equal(asked.length, 1, `asked every time (${i + 1})`);
        assert.match(asked[0], /Send in chunks: \d{3} requests, [\d,]+ input tokens, worst case \$\d+/);
        assert.match(error?.message ?? '', /declined the plan/);
      }
      assert.equal(p.posts().length, 0, 'nothing was sent');
      assert.equal(ed.document.getText(), text, 'nothing was inserted');
      assert.equal(ledgerLineCount(file), from, 'nothing was recorded');
    } finally {
      await p.stop();
    }
  });

  it(`security: a job over 500 requests is refused with the numbers and what to change; nothing is sent`, async () => {
    const p = await startProvider('openai');
    try {
      await setSettings(tinyParts, vscode.ConfigurationTarget.Workspace);
      const text = words(40_000); // ~120,000 tokens: over 500 parts
      const ed = await openDoc(text);
      ed.selection = new vscode.Selection(ed.document.positionAt(0), ed.document.positionAt(text.length));
      const { error, asked } = await answeringModals('Send 1000 requests', async () => (await api()).send());
      assert.deepEqual(asked, [], 'refused before any question');
      assert.match(error?.message ?? '', /This would take [\d,]+ requests; Lengthwise sends at most 500 in one job\. .*lengthwise\.chunking\.overlapTokens.*Nothing was sent\./);
      assert.equal(p.posts().length, 0);
    } finally {
      await p.stop();
    }
  });

  // Finding: with lengthHint "auto", a workspace system prompt of "1,1,1,…" (80,000 characters) blocked the extension
  // host 4.4 s on every selection change (the meter plans a request each time, and the stated-length check rescanned
  // to the end from every digit).
  it('security: a workspace system prompt of "1,1,1,…" (80,000 characters) does not freeze the editor as the selection moves', async function () {
    this.timeout(60_000);
    const p = await startProvider('openai');
    try {
      await setSettings({ systemPrompt: '1,'.repeat(40_000), lengthHint: 'auto' }, vscode.ConfigurationTarget.Workspace);
      const words = Array.from({ length: 6 }, (_, i) => Array.from({ length: (i + 1) * 3 }, () => 'word').join(' '));
      const ed = await openDoc(words.join('\n') + '\nwarm up');
      // The first count loads the tokenizer and counts the system prompt once (its blocks are cached after).
      select(ed, words.length, 0, words.length, 7);
      // The count is of everything Send sends: the system prompt (with its hint) and the framing around the selection.
      const tokOf = (text: string) => Number(/([\d,]+) tok\b/.exec(text)?.[1]?.replace(/,/g, '') ?? NaN);
      const base = tokOf(await waitForStatus((text) => tokOf(text) > 40_000, 30_000)) - 2;
      const t0 = performance.now();
      let longest = 0;
      for (let i = 0; i < words.length; i++) {
        const t = performance.now();
        select(ed, i, 0, i, words[i]!.length);
        // Each selection has its own count: the meter has planned this one when its figure shows.
        await waitForStatus((text) => tokOf(text) === base + (i + 1) * 3, 20_000);
        longest = Math.max(longest, performance.now() - t);
      }
      const total = performance.now() - t0;
      console.log(`      6 selection changes: ${total.toFixed(0)} ms, the longest ${longest.toFixed(0)} ms`);
      assert.ok(total < 6_000, `hang guard: ${total.toFixed(0)} ms for 6 selection changes (was ~4.4 s each)`);
    } finally {
      await p.stop();
    }
  });
});
