// Mocha inside VS Code for the Web's extension host, the browser's web worker (test/host/run.mjs, pass "web";
// webPass.mjs puts this bundle into the extension's web-only copy as out/web-extension/test/index.js). The browser
// build of mocha, the suites bundled in (there is no file system to find them in), results through the console,
// which run.mjs reads.
import browserMocha from 'mocha/mocha.js';
import * as vscode from 'vscode';
import { loadConfig } from './util';
import { registerBatch } from './batch.test';
import { registerEnvironment } from './environment.test';
import { registerLedger } from './ledger.test';
import { registerLimits } from './limits.test';
import { registerMeter } from './meter.test';
import { loadReloadState, registerReload } from './reload.test';
import { registerSend } from './send.test';
import { registerVscodeLm } from './vscodeLm.test';

// The same markers as test/editor/index.ts: run.mjs counts every test and prints mocha's totals from them.
const RESULT_MARKER = '[lengthwise-editor-results] ';
const TEST_MARKER = '[lengthwise-editor-test] ';


export async function run(): Promise<void> {
  // The browser build (node_modules/mocha/mocha.js): `describe` and `it` become globals. reporter undefined = spec, on the console.
  const mocha = browserMocha.setup({ ui: 'bdd', reporter: undefined, color: false, timeout: 30_000 });
  const cfg = await loadConfig();
  if (cfg.grep) mocha.grep(new RegExp(cfg.grep));
  // A window reload runs this again in a new extension host: after it, only the reload suite's second phase.
  if (!(await loadReloadState())) {
    registerEnvironment();
    registerMeter();
    registerSend();
    registerLedger();
    registerBatch();
    registerVscodeLm();
    registerLimits();
  }
  registerReload();
  return new Promise((resolve, reject) => {
    const report = (state: 'passed' | 'failed', test: { fullTitle(): string }, err?: unknown) =>
      console.log(TEST_MARKER + JSON.stringify({ state, title: test.fullTitle(), ...(err ? { error: String((err as Error).stack ?? err).slice(0, 4000) } : {}) }));
    const runner = mocha.run((failures) => {
      const s = runner.stats;
      console.log(RESULT_MARKER + JSON.stringify({ passed: s?.passes ?? 0, failed: s?.failures ?? failures, pending: s?.pending ?? 0, vscode: vscode.version, node: 'none (web worker)' }));
      if (failures > 0) reject(new Error(`${failures} web test(s) failed`));
      else if ((s?.passes ?? 0) === 0) reject(new Error('no web test ran (check --grep)'));
      else resolve();
    });
    runner.on('pass', (t) => report('passed', t));
    runner.on('fail', (t, e) => report('failed', t, e));
  });
}
