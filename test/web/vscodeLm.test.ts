// VS Code's own language models (provider vscode-lm) on the web: the test provider (test/lmProvider, built for the
// browser, backed by the real llama-server) serves a model from the web worker, as a model extension does on
// vscode.dev. Lengthwise holds the cap itself, counts with the model, and records the request.
import * as vscode from 'vscode';
import * as assert from './assert';
import { api, closeAll, config, ledgerRecords, openDoc, resetSettings, selectAll, setSettings } from './util';

/** Registered by index.ts once mocha is set up, where run.mjs installed the provider. */
export function registerVscodeLm(): void {
  if (!config().lmVendor) return;
  describe('web: VS Code language models', function () {
    this.timeout(60_000);
    before(() => vscode.commands.executeCommand('lengthwiseTestLm.configure', { url: config().llama, fail: null, reset: true }));
    afterEach(async () => {
      await closeAll();
      await resetSettings();
    });

    it('a send through vscode.lm streams the answer, held at the cap, counted by the model, and is in the ledger', async () => {
      await resetSettings();
      await setSettings({ provider: 'vscode-lm', model: `${config().lmVendor}/tiny`, maxTokens: 12 });
      const before = (await ledgerRecords()).length;
      const ed = await openDoc('Say hello');
      selectAll(ed);
      const r = await (await api()).send();
      assert.equal(r.error, undefined, JSON.stringify(r.error));
      assert.ok(r.text.length > 0, 'an answer');
      assert.ok(ed.document.getText().includes(r.text), 'the answer is in the document');
      assert.equal(r.usage.source, 'model');
      // The model ignores the cap; Lengthwise ends at it within one streamed piece (one or two tokens here), as on
      // the desktop (test/editor/vscodeLm.test.ts).
      const n = r.usage.outputTokens;
      assert.ok(n >= 12 && n <= 14, `${n} tokens for a cap of 12`);
      assert.deepEqual(r.finish, { raw: 'max_tokens', reason: 'length', truncated: true });
      const records = (await ledgerRecords()).slice(before);
      assert.equal(records.length, 1);
      assert.equal(records[0]!.provider, 'vscode-lm');
    });
  });
}
