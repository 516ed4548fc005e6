// Numbers that hold under a second look, in the real host: the Anthropic live meter, session totals with unknown
// prices, and budgets with requests sent together.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ResultSummary } from '../../src/core/generation/summary';
import { api, closeAll, openDoc, resetSettings, select, startProvider, usage, waitFor, type Provider } from './util';

const waitForStatus = async (pred: (t: string) => boolean, ms = 8000): Promise<string> => {
  const a = await api();
  return waitFor(() => a.statusText(), pred, ms, 'the status bar text');
};

describe('numbers: Anthropic live meter', () => {
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
    const live = await waitForStatus((t) => /^\$\(sync~spin\) (≈)?(\d[\d,]*)\/300 tok/.test(t) && Number(/(\d[\d,]*)\/300/.exec(t)![1].replace(/,/g, '')) >= 10);
    assert.match(live, /^\$\(sync~spin\) ≈\d[\d,]*\/300 tok · ≈\$/, `a Claude count is an estimate while streaming: ${live}`);
    await pending;
  });
});
