// The web pass (run.mjs): the editor tests that make sense in VS Code for the Web, run in the browser's web-worker
// extension host of VS Code 1.139 (what was measured there: CONTRIBUTING.md, "VS Code for the Web"). What puts an
// extension there is a manifest with `browser` and no `main`, so the pass runs a copy of the built extension
// (out/web-extension) whose package.json has `main` deleted, with the browser-bundled tests inside it
// (out/test/web/index.js, built by `node esbuild.js --tests`: mocha's browser build, results through the console).
// The worker has no `process`: what the tests need to know (the servers' URLs, the harness) is written into the copy
// as out/web-extension/test/config.json, which they read through vscode.workspace.fs. The servers run here, outside
// the worker: the real llama-server, aimock (OpenAI's Batch API), VictoriaMetrics, and proxies that stand for a
// server without CORS and for a collector with it (test/servers/corsProxy.mjs). `--from-vsix <file>` makes the copy
// from a packaged .vsix instead of dist/ (what a user installs).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LLMock } from '@copilotkit/aimock';
import { startLlama } from '../servers/llama.mjs';
import { startCorsProxy } from '../servers/corsProxy.mjs';
import { startVictoria } from './victoria.mjs';
import { log } from './server.mjs';

const COPIED = ['package.nls.json', 'LICENSE', 'l10n', 'dist', 'media'];

/** Builds out/web-extension afresh (from dist/ or a .vsix) with the web tests in test/; returns its folder. */
export function prepareWebExtension(repo, { vsix } = {}) {
  const tests = path.join(repo, 'out', 'test', 'web', 'index.js');
  if (!fs.existsSync(tests)) throw new Error(`${tests} is missing: run \`node esbuild.js --tests\` first`);
  const dir = path.join(repo, 'out', 'web-extension');
  fs.rmSync(dir, { recursive: true, force: true });
  let from = repo;
  let unpacked;
  if (vsix) {
    unpacked = fs.mkdtempSync(path.join(os.tmpdir(), 'lengthwise-vsix-'));
    const r = spawnSync('unzip', ['-q', path.resolve(repo, vsix), 'extension/*', '-d', unpacked], { encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0) throw new Error(`unzip ${vsix} failed: ${r.stderr}`);
    from = path.join(unpacked, 'extension');
  }
  fs.mkdirSync(dir, { recursive: true });
  for (const f of COPIED) if (fs.existsSync(path.join(from, f))) fs.cpSync(path.join(from, f), path.join(dir, f), { recursive: true });
  const manifest = JSON.parse(fs.readFileSync(path.join(from, 'package.json'), 'utf8'));
  if (!manifest.browser) throw new Error(`${from}/package.json has no "browser" entry`);
  delete manifest.main;
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  fs.mkdirSync(path.join(dir, 'test'));
  fs.copyFileSync(tests, path.join(dir, 'test', 'index.js'));
  if (unpacked) fs.rmSync(unpacked, { recursive: true, force: true });
  log(`web extension copy in ${dir}${vsix ? ` (from ${vsix})` : ''}: "browser" ${manifest.browser}, no "main"`);
  return dir;
}

/** The servers the web tests call, started here; stop() stops them all. */
export async function startWebServers() {
  const stops = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };
  try {
    const llama = await startLlama({ ctxSize: 2048 });
    stops.push(() => llama.stop());
    const noCors = await startCorsProxy({ target: llama.url, cors: 'strip' });
    stops.push(() => noCors.stop());
    const victoria = await startVictoria();
    stops.push(() => victoria.dispose());
    const collector = await startCorsProxy({ target: victoria.url, cors: 'allow' });
    stops.push(() => collector.stop());
    // aimock (it allows any origin): OpenAI's Batch API, which llama-server does not have.
    const aimock = new LLMock({ port: 0, host: '127.0.0.1' });
    await aimock.start();
    stops.push(() => aimock.stop());
    return { urls: { llama: llama.url, llamaNoCors: noCors.url, victoria: victoria.url, collector: collector.url, aimock: aimock.url }, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** What the tests read from out/web-extension/test/config.json (they have no environment). */
export function writeWebConfig(dir, config) {
  fs.writeFileSync(path.join(dir, 'test', 'config.json'), JSON.stringify(config, null, 2));
}
