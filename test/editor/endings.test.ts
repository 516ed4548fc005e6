// Answers that end well, in the real host: Continue takes the limits in force now, a round that adds nothing ends
// the chain with a message, and the status bar keeps the answer's numbers after it ends.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Ledger } from '../../src/core/ledger/ledger';
import { fileStorage } from '../../src/platform/node/ledgerFile';
import { costOf, findPrice, formatUsd } from '../../src/core/pricing/cost';
import type { ResultSummary } from '../../src/core/generation/summary';
import { api, closeAll, openDoc, resetSettings, select, setSettings, startProvider, usage, waitFor, script, type Provider } from './util';



async function send(ed: vscode.TextEditor, line: number): Promise<ResultSummary> {
  select(ed, line, 0, line, ed.document.lineAt(line).text.length);
  return (await vscode.commands.executeCommand('lengthwise.send')) as ResultSummary;
}

const markers = (doc: vscode.TextDocument) => vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'Lengthwise');

describe('endings: Continue follows the limits in force now', () => {
  let p: Provider;
  beforeEach(async () => {
    await resetSettings();
    p = await startProvider('openai', { maxTokens: 12, stopSequences: [] });
  });
  afterEach(async () => {
    await p.stop();
    await closeAll();
    await resetSettings();
  });

  it('raising max tokens after a truncation: Continue sends the new value and completes the answer', async () => {
    const prompt = 'Describe a lighthouse';
    script(p, prompt, [
      { content: 'A lighthouse is a tower with', finishReason: 'length', usage: usage(5, 12) },
      { content: ' a bright lamp that guides ships.', usage: usage(20, 8) },
    ]);
    const ed = await openDoc(prompt);
    const r1 = await send(ed, 0);
    assert.equal(r1.finish.truncated, true);
    assert.equal(r1.sent.maxTokens, 12);
    await setSettings({ maxTokens: 100, stopSequences: ['###'] });
    const r2 = (await vscode.commands.executeCommand('lengthwise.continue')) as ResultSummary;
    const journal = p.posts().map((x) => x.body);
    assert.deepEqual(journal.map((b) => b.max_tokens), [12, 100], 'the journal: round 2 went out with the raised value');
    assert.deepEqual(journal[1].stop, ['###'], 'and the stop sequences in force now');
    assert.equal(r2.sent.maxTokens, 100);
    assert.deepEqual(r2.finish, { raw: 'stop', reason: 'stop', truncated: false });
    assert.equal(ed.document.getText(), `${prompt}\nA lighthouse is a tower with a bright lamp that guides ships.`);
    assert.ok(
      r2.notes?.some((n) => n.includes('max tokens 100 (lengthwise.maxTokens; the round before had 12) · stop sequences "###"')),
      `the result says what was used: ${JSON.stringify(r2.notes)}`,
    );
    assert.deepEqual(markers(ed.document), []);
  });
});

describe('endings: no progress, no silent success', () => {
  let p: Provider;
  beforeEach(async () => {
    await resetSettings();
    p = await startProvider('openai', { maxTokens: 8, 'continuation.auto': true, 'continuation.maxRounds': 5 });
  });
  afterEach(async () => {
    await p.stop();
    await closeAll();
    await resetSettings();
  });

  it('a server that repeats the answer: the chain ends with the no-progress message, one ledger record per round', async () => {
    const prompt = 'Tell me about owls';
    const s = script(p, prompt, [{ content: 'Owls are quiet hunters of the night', finishReason: 'length', usage: usage(6, 8) }]);
    const ed = await openDoc(prompt);
    const r = await send(ed, 0);
    assert.equal(s.served(), 2, 'auto-continue spent no round after the one that added nothing');
    assert.equal(r.rounds, 2);
    assert.equal(r.finish.truncated, true);
    assert.equal(ed.document.getText(), `${prompt}\nOwls are quiet hunters of the night`, 'the repeat never reached the document');
    const note = r.notes?.find((n) => n.includes('added no new text')) ?? '';
    assert.match(note, /Continuation round 2 added no new text: the model only repeated the end of the answer/);
    // The no-progress note says why the chain stopped: no second "Continuation stopped" beside it.
    assert.ok(!r.notes?.some((n) => n.startsWith('Continuation stopped')), JSON.stringify(r.notes));
    assert.match(note, /It cost 8 output tokens \(\$0\.0000\d+\)/);
    assert.match(note, /raise max tokens above 8 .*switch the continuation strategy/);
    const m = markers(ed.document);
    assert.equal(m.length, 1, 'still truncated: the marker stays');
    assert.match(m[0].message, /added no new text/, 'the marker says why the chain stopped');

    const stats = (await vscode.commands.executeCommand('lengthwise.internal.stats')) as { ledgerFile: string };
    const { ledger } = await Ledger.open(fileStorage(stats.ledgerFile));
    const chainId = ledger.records().at(-1)!.chainId;
    const last = ledger.records().filter((x) => x.chainId === chainId);
    assert.deepEqual(last.map((x) => [x.round, x.usage.outputTokens, x.finish.reason]), [[1, 8, 'length'], [2, 8, 'length']]);
  });
});

describe('endings: the status bar keeps the answer', () => {
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

  it("1.5 s after an answer ends (prompt still selected, as Send leaves it) the status bar shows that answer's output tokens and cost", async () => {
    const prompt = 'Name three rivers';
    p.mock.onMessage(prompt, { content: 'The Nile, the Amazon and the Danube.', usage: usage(10, 37) }, { chunkSize: 4 });
    const ed = await openDoc(prompt);
    const r = await send(ed, 0);
    const cost = costOf({ inputTokens: 10, outputTokens: 37 }, findPrice('openai', 'gpt-4.1-mini'))!;
    assert.ok(Math.abs((r.costUsd ?? NaN) - cost) < 1e-12);
    assert.equal(ed.selection.isEmpty, false, 'the prompt is still selected');
    // Absence of a change over time is what is tested here: the meter's debounce and late selection events must
    // not replace the answer's numbers.
    await new Promise((res) => setTimeout(res, 1500));
    const a = await api();
    const text = a.statusText();
    assert.ok(text.startsWith(`$(check) 37 tok · ${formatUsd(cost)}`), `the answer's numbers: ${text}`);
    assert.match(text, /· session (≥ )?\$\d/, `the session total in the text: ${text}`);

    // A selection the user makes afterwards gives the meter back.
    select(ed, 0, 0, 0, 4);
    const idle = await waitFor(() => a.statusText(), (t) => t.startsWith('$(symbol-ruler)'), 5000, 'the selection meter');
    assert.match(idle, / tok /);
  });
});
