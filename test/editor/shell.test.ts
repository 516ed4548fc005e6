// The extension shell's refusals: every path that needs a key says so with a "Set API Key" link (a notice that
// closes once a key is stored) and sends nothing; a "block" budget whose ledger cannot be read refuses (fails closed) and logs the error with its stack.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ResultSummary } from '../../src/core/generation/summary';
import { extensionLogFiles, poll, waitForUi } from './harness';
import { closeAll, openDoc, resetSettings, select, startProvider, usage, type Provider } from './util';

const noKeyShown = (provider: string) =>
  waitForUi((u) => u.notifications.some((n) => new RegExp(`No API key for ${provider}.* Set API Key$`).test(n.message)), `the missing ${provider} key with a Set API Key link`);

describe('shell: refusals before anything is sent', function () {
  this.timeout(30_000);
  let p: Provider | undefined;
  beforeEach(async () => {
    await resetSettings();
    await vscode.commands.executeCommand('notifications.clearAll');
  });
  afterEach(async () => {
    await p?.stop();
    p = undefined;
    await closeAll();
    await resetSettings();
  });

  it('Continue without an API key shows the error with "Set API Key" and sends nothing', async () => {
    p = await startProvider('openai', { maxTokens: 16 });
    p.mock.onMessage('cut me short', { content: 'The first part', finishReason: 'length', usage: usage(5, 16) });
    const ed = await openDoc('cut me short');
    select(ed, 0, 0, 0, 12);
    const r = (await vscode.commands.executeCommand('lengthwise.send')) as ResultSummary;
    assert.equal(r.finish.truncated, true);
    await vscode.commands.executeCommand('lengthwise.setApiKey', 'openai', '');
    const before = p.posts().length;
    const text = ed.document.getText();
    const c = await vscode.commands.executeCommand('lengthwise.continue');
    assert.equal(c, undefined, 'refused');
    await noKeyShown('OpenAI');
    assert.equal(p.posts().length, before, 'no request was sent');
    assert.equal(ed.document.getText(), text, 'document untouched');
    // A key stored: the cause is gone, and so is the notice.
    await vscode.commands.executeCommand('lengthwise.setApiKey', 'openai', 'sk-test-back-0000');
    await waitForUi((u) => !u.notifications.some((n) => /No API key for OpenAI/.test(n.message)), 'the missing-key notice closed');
  });

  it('Count Selection Tokens Exactly without an API key shows the error with "Set API Key" and sends nothing', async () => {
    p = await startProvider('anthropic');
    await vscode.commands.executeCommand('lengthwise.setApiKey', 'anthropic', '');
    const ed = await openDoc('count me');
    select(ed, 0, 0, 0, 8);
    const r = await vscode.commands.executeCommand('lengthwise.countTokens');
    assert.equal(r, undefined, 'refused');
    await noKeyShown('Anthropic');
    assert.equal(p.mock.getRequests().length, 0, 'no request was sent');
  });

  it('a "block" budget whose ledger cannot be opened refuses, says why, and logs the error with its stack', async () => {
    p = await startProvider('openai', { 'budget.usd': 5, 'budget.action': 'block' });
    p.mock.onMessage('guarded', { content: 'never' });
    // A directory where the ledger file should be: opening it fails for real (EISDIR).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lw-ledger-'));
    const original = (await vscode.commands.executeCommand('lengthwise.internal.useLedgerFile', dir)) as string;
    try {
      const ed = await openDoc('guarded');
      select(ed, 0, 0, 0, 7);
      const r = await vscode.commands.executeCommand('lengthwise.send');
      assert.equal(r, undefined, 'refused');
      assert.equal(p.posts().length, 0, 'no request was sent');
      assert.equal(ed.document.getText(), 'guarded');
      await waitForUi((u) => u.notifications.some((n) => /ledger/i.test(n.message) && /budget/i.test(n.message) && /Nothing was sent/.test(n.message)), 'the fail-closed budget refusal');
      await poll(
        () => extensionLogFiles().map((f) => fs.readFileSync(f, 'utf8')).join('\n'),
        (log) => /EISDIR[^\n]*\n\s+at /.test(log),
        'the ledger error logged with its stack',
      );
    } finally {
      await vscode.commands.executeCommand('lengthwise.internal.useLedgerFile', original);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
