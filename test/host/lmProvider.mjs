// The test fixture extension that serves a vscode.lm model (test/lmProvider/extension.ts, built by
// `node esbuild.js --tests` into out/test/lmProvider): packaged once per run with vsce and installed into a test
// server's extensions folder before the server starts (only one extensionDevelopmentPath is loaded, so a second
// extension must be installed). Hosts before VS Code 1.104 have no
// registerLanguageModelChatProvider: the fixture is for the current host only.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { isolatedHomeEnv, log } from './server.mjs';

/** The vendor its models are registered under; the editor tests read it from LENGTHWISE_LM_VENDOR. */
export const LM_VENDOR = 'lengthwise-test';

/** Whether a host can serve extension-provided language models (final API from 1.104). */
export function hostServesModels(host) {
  const [major, minor] = host.vscode.split('.').map(Number);
  return major > 1 || minor >= 104;
}

/**
 * Packages out/test/lmProvider into a .vsix (once per call); returns its path. `web`: the browser build
 * (out/test/lmProviderWeb) with a manifest that has "browser" and no "main", which puts it in the web-worker host.
 */
export function packageLmProvider(repo, { web = false } = {}) {
  const dir = path.join(repo, 'out', 'test', web ? 'lmProviderWeb' : 'lmProvider');
  if (!fs.existsSync(path.join(dir, 'extension.js'))) throw new Error(`${dir}/extension.js is missing: run \`node esbuild.js --tests\` first`);
  if (web) {
    const manifest = JSON.parse(fs.readFileSync(path.join(repo, 'test', 'lmProvider', 'package.json'), 'utf8'));
    manifest.browser = manifest.main;
    delete manifest.main;
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  }
  fs.copyFileSync(path.join(repo, 'LICENSE'), path.join(dir, 'LICENSE'));
  fs.writeFileSync(path.join(dir, 'README.md'), '# Lengthwise test language models\n\nA test fixture (test/lmProvider/extension.ts).\n');
  const vsix = path.join(repo, 'out', 'test', web ? 'lengthwise-test-lm-web.vsix' : 'lengthwise-test-lm.vsix');
  const vsce = path.join(path.dirname(createRequire(path.join(repo, 'package.json')).resolve('@vscode/vsce/package.json')), 'vsce');
  const r = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', vsix], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`vsce package failed (${r.status}): ${r.stderr || r.stdout}`);
  return vsix;
}

/** Installs the .vsix into the pass's extensions folder with the host's own server (bounded). */
export function installLmProvider(paths, dirs, vsix) {
  const r = spawnSync(paths.node, [paths.serverMain, '--install-extension', vsix, '--extensions-dir', dirs.extensions, '--user-data-dir', dirs.userData, '--server-data-dir', dirs.serverData], {
    env: { ...process.env, ...isolatedHomeEnv(dirs) },
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`installing the test language model extension failed (${r.status}): ${r.stderr || r.stdout}`);
  log(`installed the test language model provider (${LM_VENDOR}) into ${dirs.extensions}`);
}
