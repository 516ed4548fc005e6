// Mocha entry run INSIDE the VS Code extension host (extensionTestsPath → out/test/editor/index.js).
// Used by both runners: test/host/run.mjs (VS Code server + Chromium, CI) and test/host/desktop.mjs (@vscode/test-electron).
// mocha is external in the bundle (esbuild.js), so it is loaded from the repo's node_modules.
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';
import * as vscode from 'vscode';

/**
 * run.mjs looks for this prefix in the host's log to print "N passed, N failed" and which VS Code and Node the
 * extension host ran in (it fails a pass whose VS Code is not the host it started).
 */
export const RESULT_MARKER = '[lengthwise-editor-results] ';

/**
 * Printed as each test ends, with its outcome: the window pass reloads the window and kills extension hosts on
 * purpose, so the final counts of the last host miss what earlier hosts ran; run.mjs counts these.
 */
export const TEST_MARKER = '[lengthwise-editor-test] ';

/**
 * Asks the harness (run.mjs) for a screenshot of the real workbench page; resolves with the PNG's path when it is
 * written. Only under run.mjs (LENGTHWISE_HARNESS_URL); undefined elsewhere (desktop runner).
 */
export async function screenshot(name: string): Promise<string | undefined> {
  const base = process.env.LENGTHWISE_HARNESS_URL;
  if (!base) return undefined;
  const res = await fetch(`${base}/screenshot?name=${encodeURIComponent(name)}`, {
    method: 'POST',
    signal: AbortSignal.timeout(30_000),
  });
  const body = (await res.json()) as { path?: string; error?: string };
  if (!res.ok || !body.path) throw new Error(`screenshot ${name} failed: ${body.error ?? res.status}`);
  return body.path;
}

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    timeout: 20_000,
    color: false, // output travels as console text through the workbench to run.mjs
    // A regular expression over "describe it" titles, from `run.mjs --grep <pattern>`.
    grep: process.env.LENGTHWISE_GREP || undefined,
  });
  // This file is compiled to out/test/editor/index.js; the suites are its *.test.js siblings.
  const dir = __dirname;
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  if (files.length === 0) return Promise.reject(new Error(`no *.test.js files in ${dir}`));
  for (const f of files) mocha.addFile(path.join(dir, f));

  return new Promise((resolve, reject) => {
    try {
      const report = (state: 'passed' | 'failed', test: Mocha.Runnable, err?: unknown) =>
        console.log(TEST_MARKER + JSON.stringify({ state, title: test.fullTitle(), ...(err ? { error: String((err as Error).stack ?? err).slice(0, 4000) } : {}) }));
      const runner = mocha.run((failures) => {
        const s = runner.stats;
        console.log(
          RESULT_MARKER +
            JSON.stringify({
              passed: s?.passes ?? 0,
              failed: s?.failures ?? failures,
              pending: s?.pending ?? 0,
              vscode: vscode.version,
              node: process.version,
            }),
        );
        if (failures > 0) reject(new Error(`${failures} editor test(s) failed`));
        else if ((s?.passes ?? 0) === 0) reject(new Error('no editor test ran (check --grep)'));
        else resolve();
      });
      runner.on('pass', (test) => report('passed', test));
      runner.on('fail', (test, err) => report('failed', test, err));
    } catch (err) {
      reject(err);
    }
  });
}
