// Paying less for the same answer, in the real host: a "block" budget that lowers the cap instead of refusing (on
// the wire, in the note, in the status bar), preview() with and without history, the expected figure beside the
// worst case in the status bar, and a flex request refused for capacity retried at standard with one click.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { harness, poll } from './harness';
import { screenshot } from './index';
import type { ResultSummary } from '../../src/core/generation/summary';
import { decideLengthHint, withHint } from '../../src/core/generation/lengthHint';
import { affordableOutput } from '../../src/core/pricing/budgetFit';
import { findPrice, formatUsd, worstCaseCost } from '../../src/core/pricing/cost';
import { loadTokenizer } from '../../src/core/tokens/tokens';
import { FaultServer } from '../servers/faultServer';
import { api, closeAll, ledgerFile, nextFinished, openDoc, resetSettings, script, select, setSettings, startProvider, usage, waitForStatus, type Provider } from './util';

const price = findPrice('openai', 'gpt-4.1-mini')!;

/** Runs `fn` with the extension writing a fresh ledger file of its own (no history, nothing spent). */
async function withOwnLedger<T>(fn: () => Promise<T>): Promise<T> {
  const own = `${await ledgerFile()}.tiers-${Date.now()}-${Math.random().toString(36).slice(2, 8)}.jsonl`;
  const was = (await vscode.commands.executeCommand('lengthwise.internal.useLedgerFile', own)) as string;
  try {
    return await fn();
  } finally {
    await vscode.commands.executeCommand('lengthwise.internal.useLedgerFile', was);
  }
}

describe('tiers: a budget that fits the cap', function () {
  this.timeout(60_000);
  let p: Provider;
  beforeEach(async () => {
    await resetSettings();
    p = await startProvider('openai', { maxTokens: 4096 });
  });
  afterEach(async () => {
    await p.stop();
    await closeAll();
    await resetSettings();
  });

  it('a "block" budget short of the worst case lowers max tokens to what its rest buys: on the wire, in the note and the status bar', async () => {
    await withOwnLedger(async () => {
      const prompt = 'fit the budget cap';
      const ed = await openDoc(prompt);
      select(ed, 0, 0, 0, prompt.length);
      const input = (await (await api()).preview()).inputTokens;
      // Nothing spent in this ledger: the rest is the budget, room for 300 and a half output tokens after the input.
      const budget = worstCaseCost(input, 300.5, price)!;
      await setSettings({ 'budget.usd': budget, 'budget.action': 'block' });
      const fitted = affordableOutput(price, input, budget);
      assert.equal(fitted, 300);
      assert.equal((await (await api()).preview()).maxTokens, fitted, 'preview() plans the same cap');
      p.mock.onMessage(prompt, { content: 'an answer cut at the budget', finishReason: 'length', usage: usage(input, fitted) });
      const n = p.posts().length;
      const r = (await vscode.commands.executeCommand('lengthwise.send')) as ResultSummary;
      assert.equal(p.posts().length, n + 1);
      assert.equal(p.posts().at(-1)!.body.max_tokens, fitted, 'the fitted cap went over the wire');
      assert.equal(r.sent.maxTokens, fitted);
      const note = r.notes?.find((x) => x.startsWith('max tokens 4096 → 300:')) ?? '';
      assert.match(note, /^max tokens 4096 → 300: the workspace budget has \$[\d.]+ left \(lengthwise\.budget\.action "block"\), which buys 300 output tokens after the input — the answer may be cut there\.$/, JSON.stringify(r.notes));
      const shown = await waitForStatus((t) => t.startsWith('$(warning)'));
      assert.ok(shown.startsWith('$(warning) truncated at 300/300 tok (budget cap) · '), shown);
    });
  });

  // Issue 25 asked for "the same for jobs"; Continue was refused instead (it had no fit): now its round is capped too.
  it('Continue under a "block" budget short of its worst case: the round is capped to what the rest buys, said in the note', async () => {
    await withOwnLedger(async () => {
      const prompt = 'continue within the budget';
      const ed = await openDoc(prompt);
      select(ed, 0, 0, 0, prompt.length);
      // The first user message is the prompt in both rounds (a continuation sends the conversation so far).
      script(p, prompt, [
        { content: 'the first part of a long answer', finishReason: 'length', usage: usage(20, 4096) },
        { content: ' and its end.', usage: usage(60, 5) },
      ]);
      const first = (await vscode.commands.executeCommand('lengthwise.send')) as ResultSummary;
      assert.equal(first.finish.truncated, true);
      // The rest after the first answer buys about 2,000 output tokens of a round, not the 4,096 asked for.
      await setSettings({ 'budget.usd': first.costUsd! + worstCaseCost(60, 2000, price)!, 'budget.action': 'block' });
      const n = p.posts().length;
      const r = (await vscode.commands.executeCommand('lengthwise.continue')) as ResultSummary;
      assert.equal(p.posts().length, n + 1, 'the round was sent, not refused');
      const cap = p.posts().at(-1)!.body.max_tokens as number;
      assert.ok(cap > 16 && cap < 4096, `the round's cap on the wire: ${cap}`);
      assert.ok(r.notes?.some((x) => x.startsWith(`max tokens 4096 → ${cap}: the workspace budget has $`)), JSON.stringify(r.notes));
    });
  });

  it('refused only when the rest does not buy a useful answer (16 tokens after the input): nothing is sent', async () => {
    await withOwnLedger(async () => {
      const prompt = 'too little budget';
      const ed = await openDoc(prompt);
      select(ed, 0, 0, 0, prompt.length);
      const input = (await (await api()).preview()).inputTokens;
      await setSettings({ 'budget.usd': worstCaseCost(input, 15, price)!, 'budget.action': 'block' });
      const n = p.posts().length;
      await assert.rejects((await api()).send(), /could exceed the workspace budget.*Nothing was sent.*buys 15 output tokens after the input, fewer than the 16 of a useful answer/s);
      assert.equal(p.posts().length, n, 'nothing went over the wire');
    });
  });
});

describe('tiers: preview() and the expected cost', function () {
  this.timeout(60_000);
  let p: Provider;
  beforeEach(async () => {
    await resetSettings();
    p = await startProvider('openai', { maxTokens: 4096, presets: { 'tier qa': { maxTokens: 4096 } }, preset: 'tier qa' });
  });
  afterEach(async () => {
    await p.stop();
    await closeAll();
    await resetSettings();
  });

  it('without history: the whole input (system prompt with its length hint, chat framing), the cap sent, the worst case, no expected figure', async () => {
    await withOwnLedger(async () => {
      await setSettings({ systemPrompt: 'Answer as a senior engineer.', lengthHint: 'auto' });
      const prompt = 'What does a preview count?';
      const ed = await openDoc(prompt);
      select(ed, 0, 0, 0, prompt.length);
      const pv = await (await api()).preview();
      const tok = await loadTokenizer('o200k_base');
      const hint = decideLengthHint('auto', { maxTokens: pv.maxTokens, system: 'Answer as a senior engineer.' });
      assert.ok(hint.sent);
      // OpenAI's published framing: 3 tokens per message (system, user) and 3 priming the reply.
      const expectedInput = tok.count(prompt) + tok.count(withHint('Answer as a senior engineer.', hint.sent ? hint.text : '')) + 2 * 3 + 3;
      assert.deepEqual(pv, { inputTokens: expectedInput, maxTokens: 4096, worstUsd: worstCaseCost(expectedInput, 4096, price), expected: null });
    });
  });

  it('after three uncut answers of the preset: ≈ expected (p50) and p95 beside the worst case, in preview() and in the status bar', async () => {
    await withOwnLedger(async () => {
      const a = await api();
      for (const [i, out] of [120, 300, 180, 4096].entries()) {
        const q = `history question ${i}`;
        p.mock.onMessage(q, { content: `answer ${i}`, ...(out === 4096 ? { finishReason: 'length' } : {}), usage: usage(12, out) });
        await a.send({ text: q });
      }
      const prompt = 'How long will this answer be?';
      const ed = await openDoc(prompt);
      select(ed, 0, 0, 0, prompt.length);
      const pv = await a.preview();
      assert.ok(pv.expected, 'three uncut answers (the cut one does not count)');
      assert.equal(pv.expected!.basis, 3);
      assert.equal(pv.expected!.usd, worstCaseCost(pv.inputTokens, 180, price), 'median 180 output tokens');
      assert.equal(pv.expected!.p95Usd, worstCaseCost(pv.inputTokens, 300, price), 'p95 300');
      assert.ok(pv.worstUsd! / pv.expected!.usd > 10, `the worst case (4,096) is ${(pv.worstUsd! / pv.expected!.usd).toFixed(1)}× the expected one`);
      const shown = await waitForStatus((t) => t.startsWith('$(symbol-ruler)') && t.includes('≈ $'));
      // The status bar counts what Send sends, framing included: preview()'s input count.
      assert.ok(shown.startsWith(`$(symbol-ruler) tier qa · ${pv.inputTokens} tok · ≈ ${formatUsd(pv.expected!.usd)} · ≤ ${formatUsd(pv.worstUsd)}`), shown);
      // The picture for the README (under run.mjs; LENGTHWISE_SCREENSHOT_DIR=media writes it there).
      await vscode.commands.executeCommand('notifications.clearAll');
      await poll(() => harness<{ notifications: unknown[] }>('GET', '/ui'), (ui) => ui.notifications.length === 0, 'no notification on the page');
      const file = await screenshot('expected-cost');
      assert.ok(!process.env.LENGTHWISE_HARNESS_URL || (file && fs.statSync(file).size > 10_000), `${file} written`);
    });
  });
});

describe('tiers: flex refused for capacity', function () {
  this.timeout(60_000);
  let f: FaultServer;
  beforeEach(async () => {
    await resetSettings();
    f = await new FaultServer().start();
  });
  afterEach(async () => {
    await f.stop();
    await closeAll();
    await resetSettings();
  });

  it('told as such, with "Retry at standard tier": one click sends it again without service_tier, never by itself', async () => {
    const busy = { status: 429, headers: { 'retry-after-ms': '10' }, errorMessage: 'Resource unavailable: flex processing has no capacity right now.' };
    // The SDK's own two retries stay at flex; then the answer at standard.
    f.plans = [busy, busy, busy, { chunks: ['served ', 'at standard'], then: 'finish', usage: { prompt_tokens: 9, completion_tokens: 3 } }];
    await setSettings({ provider: 'openai', model: 'gpt-4.1-mini', baseUrl: `${f.url}/v1`, serviceTier: 'flex' });
    await vscode.commands.executeCommand('lengthwise.setApiKey', 'openai', 'sk-test-lengthwise-0000');
    const ed = await openDoc('flex please');
    select(ed, 0, 0, 0, 11);
    const win = vscode.window as unknown as Record<string, (...a: unknown[]) => unknown>;
    const original = win.showErrorMessage;
    const shown: { message: string; buttons: string[] }[] = [];
    win.showErrorMessage = (...a: unknown[]) => {
      const buttons = a.slice(1).filter((b): b is string => typeof b === 'string');
      shown.push({ message: String(a[0]), buttons });
      return Promise.resolve(buttons.includes('Retry at standard tier') ? 'Retry at standard tier' : undefined);
    };
    try {
      const retried = nextFinished().then(() => nextFinished());
      const first = (await vscode.commands.executeCommand('lengthwise.send')) as ResultSummary;
      assert.equal(first.error?.kind, 'rate_limit');
      assert.equal(first.text, '');
      assert.deepEqual(shown[0], { message: 'Lengthwise: OpenAI has no flex capacity for this request right now (429); a refused flex request is not billed. Retry at the standard tier, or later at flex.', buttons: ['Retry at standard tier'] });
      const second = await retried;
      assert.equal(second.text, 'served at standard');
      assert.equal(second.serviceTier, 'standard');
      assert.deepEqual(f.requests.map((r) => r.body.service_tier), ['flex', 'flex', 'flex', undefined], 'flex three times (the SDK retries), then standard only after the click');
    } finally {
      win.showErrorMessage = original;
    }
  });
});
