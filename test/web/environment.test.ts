// The host itself: the extension runs in the browser's web worker (no Node), activated from its `browser` entry.
import * as vscode from 'vscode';
import * as assert from './assert';
import { api, config, extension, stats } from './util';

/** Registered by index.ts once mocha is set up. */
export function registerEnvironment(): void {
  describe('web: VS Code for the Web\'s extension host', () => {
    it('runs in a browser\'s web worker: no process, no require but vscode, the VS Code the runner started', () => {
      assert.equal(typeof (globalThis as { process?: unknown }).process, 'undefined', 'no process');
      assert.equal(typeof (globalThis as { setImmediate?: unknown }).setImmediate, 'undefined', 'no setImmediate');
      assert.equal(vscode.env.uiKind, vscode.UIKind.Web);
      assert.equal(vscode.version, config().vscodeExpected);
      assert.equal(extension().packageJSON.main, undefined, 'the copy has no "main": the workbench puts it in the web worker');
      assert.match(String(extension().packageJSON.browser), /dist\/web\/extension\.js$/);
    });

    it('activates from dist/web/extension.js and exports its API; the shell says it runs on the web', async () => {
      const a = await api();
      assert.equal(typeof a.statusText(), 'string');
      const s = await stats();
      assert.equal(s.platform, 'web');
      assert.match(s.ledgerFile, /globalStorage\/lengthwise\.lengthwise\/ledger$/);
      console.log(`      activate() in the web worker: ${s.activateMs.toFixed(1)} ms (the price table loaded first)`);
      const registered = new Set(await vscode.commands.getCommands(true));
      for (const c of extension().packageJSON.contributes.commands as { command: string }[]) assert.ok(registered.has(c.command), `${c.command} is registered`);
    });
  });
}
