// Numbers that hold under a second look, in the real host: the Anthropic live meter, session totals with unknown
// prices, and budgets with requests sent together.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ResultSummary } from '../../src/core/generation/summary';
import { findPrice, formatUsd, worstCaseCost } from '../../src/core/pricing/cost';
import { FaultServer } from '../servers/faultServer';
import { api, closeAll, openDoc, resetSettings, select, setSettings, startProvider, usage, waitForStatus, type Provider } from './util';

describe('numbers: Anthropic live meter', function () {
  this.timeout(40_000);
  let p: Provider;
  afterEach(async () => {
    await p?.stop();
    await closeAll();
    await resetSettings();
  });

  it('mid-stream on Claude: the count follows the text (≈), not message_start\'s output_tokens of 1', async () => {
    p = await startProvider('anthropic', { maxTokens: 300 });
    const content = 'alpha beta gamma delta '.repeat(40);
    // aimock sends the fixture's output_tokens in message_start: 1, as the real API does before any text.
    p.mock.onMessage('claude live meter', { content, usage: { input_tokens: 9, output_tokens: 1 } }, { chunkSize: 6, streamingProfile: { tps: 60 } });
    const ed = await openDoc('claude live meter');
    select(ed, 0, 0, 0, 17);
    const pending = vscode.commands.executeCommand('lengthwise.send') as Thenable<ResultSummary>;
    // A few dozen tokens in: an estimate that has grown past the placeholder.
    const live = await waitForStatus((t) => /^\$\(sync~spin\) (≈)?(\d[\d,]*)\/300 tok/.test(t) && Number(/(\d[\d,]*)\/300/.exec(t)![1].replace(/,/g, '')) >= 10, 20_000);
    assert.match(live, /^\$\(sync~spin\) ≈\d[\d,]*\/300 tok · ≈\$/, `a Claude count is an estimate while streaming: ${live}`);
    await pending;
  });
});

describe('numbers: OpenAI reasoning model', function () {
  this.timeout(30_000);
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

  it('while streaming the count is a floor ("≥ … reasoning not visible yet"); at the end the reasoning share is shown', async () => {
    // An OpenAI Chat Completions stream of a reasoning model: visible text, then usage with reasoning_tokens
    // (aimock drops completion_tokens_details from chat usage, so the fault server sends it).
    f.plans = [{ chunks: Array.from({ length: 40 }, (_, i) => `word${i} `), paceMs: 40, then: 'finish', finishReason: 'stop', usage: { prompt_tokens: 20, completion_tokens: 2861, completion_tokens_details: { reasoning_tokens: 2500 } } }];
    await setSettings({ provider: 'openai', model: 'o3', baseUrl: `${f.url}/v1`, maxTokens: 4000 });
    await vscode.commands.executeCommand('lengthwise.setApiKey', 'openai', 'sk-test-lengthwise-0000');
    const ed = await openDoc('think about it');
    select(ed, 0, 0, 0, 14);
    const pending = vscode.commands.executeCommand('lengthwise.send') as Thenable<ResultSummary>;
    const live = await waitForStatus((t) => t.startsWith('$(sync~spin) ≥'));
    assert.match(live, /^\$\(sync~spin\) ≥ \d[\d,]*\/4,000 tok · ≥ \$[\d.]+ · reasoning not visible yet/);
    const r = await pending;
    assert.equal(r.usage.reasoningTokens, 2500);
    const done = await waitForStatus((t) => t.startsWith('$(check)'));
    // The session total that follows depends on the tests run before.
    assert.ok(done.startsWith(`$(check) 2,861 tok (2,500 reasoning) · ${formatUsd(r.costUsd)} · session `), done);
  });
});

describe('numbers: session totals and budgets', function () {
  this.timeout(40_000);
  let p: Provider;
  afterEach(async () => {
    await p?.stop();
    await closeAll();
    await resetSettings();
  });

  it('an unknown-price call of two rounds adds 2 requests and no dollars ("price unknown" when nothing is known)', async () => {
    p = await startProvider('openai-compatible', { model: 'my-local-llama', maxTokens: 5, 'continuation.auto': true, 'continuation.maxRounds': 2 });
    p.mock.onMessage('two rounds unknown', { content: 'one two three four five', finishReason: 'length', usage: usage(3, 5) });
    p.mock.onMessage(/continue/i, { content: ' six.', usage: usage(9, 2) });
    const before = (await api()).totals();
    const r = await (await api()).send({ text: 'two rounds unknown' });
    assert.equal(r.rounds, 2);
    assert.equal(r.costUsd, null);
    const after = (await api()).totals();
    assert.equal(after.requests, before.requests + 2, 'requests are rounds');
    // Run alone the session holds only these unknown rounds: null, not $0; after other tests the known sum stays.
    assert.equal(after.sessionUsd, before.requests === 0 ? null : before.sessionUsd);
  });

  it('three sends started together against a nearly spent "block" budget: one goes out, two are refused', async () => {
    p = await startProvider('openai', { maxTokens: 1000 });
    p.mock.onMessage('concurrent budget', { content: 'slow answer '.repeat(20), usage: usage(5, 40) }, { chunkSize: 6, streamingProfile: { tps: 40 } });
    const price = findPrice('openai', 'gpt-4.1-mini')!;
    const worst = worstCaseCost(10, 1000, price)!;
    const spent = (await api()).totals().workspaceUsd ?? 0;
    // Room for one worst case and a sliver: while the first holds its worst case, the rest buys the second and third
    // not even a useful answer (a wider rest would send them with a lowered cap: see tiers.test.ts).
    await setSettings({ 'budget.usd': spent + worst * 1.002, 'budget.action': 'block' });
    const n = p.posts().length;
    const results = await Promise.allSettled([0, 1, 2].map(() => Promise.resolve((async () => (await api()).send({ text: 'concurrent budget' }))())));
    const sent = results.filter((x) => x.status === 'fulfilled');
    const refused = results.filter((x): x is PromiseRejectedResult => x.status === 'rejected');
    assert.equal(sent.length, 1, JSON.stringify(results.map((x) => (x.status === 'rejected' ? String(x.reason) : 'sent'))));
    assert.equal(refused.length, 2);
    for (const x of refused) assert.match(String(x.reason), /held by running requests.*Nothing was sent/s);
    assert.equal(p.posts().length, n + 1, 'one request went over the wire');
  });

  it('"block" with a model whose price is unknown: refused, naming lengthwise.pricing; "warn": sent', async () => {
    p = await startProvider('openai-compatible', { model: 'my-local-llama', 'budget.usd': 100, 'budget.action': 'block' });
    p.mock.onMessage('unknown budget', { content: 'ok', usage: usage(3, 1) });
    const n = p.posts().length;
    await assert.rejects((await api()).send({ text: 'unknown budget' }), /No price is known for "my-local-llama".*lengthwise\.pricing/s);
    assert.equal(p.posts().length, n, 'nothing was sent');
    await setSettings({ 'budget.action': 'warn' });
    const r = await (await api()).send({ text: 'unknown budget' });
    assert.equal(r.costUsd, null);
    await setSettings({ 'budget.action': 'block', pricing: { 'my-local-llama': { input: 1, output: 2 } } });
    const priced = await (await api()).send({ text: 'unknown budget' });
    assert.ok(priced.costUsd !== null && priced.costUsd > 0, 'with a price the budget can count it, and it is sent');
  });
});
