// `npm run test:desktop`: the same editor suite (out/test/editor/index.js) in desktop VS Code through
// @vscode/test-electron, for contributors with internet access (it downloads VS Code from Microsoft's update server,
// which this project's CI machines cannot reach; CI uses run.mjs).
// Usage:  node esbuild.js --tests && node test/host/desktop.mjs [--grep <regexp>]
// Env:    LENGTHWISE_VSCODE_VERSION  VS Code to download (default 1.139.1, the version run.mjs runs the whole suite
//                                    in), e.g. 1.100.3 (the oldest the extension supports), `stable` or `insiders`.
//         LENGTHWISE_VSCODE          the same by run.mjs's host names (1.139, 1.100)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';
import { CURRENT_HOST, hostFor } from './server.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const TESTS_INDEX = path.join(REPO, 'out', 'test', 'editor', 'index.js');

function grepArg(argv) {
  const i = argv.findIndex((a) => a === '--grep' || a === '-g');
  if (i >= 0) return argv[i + 1] ?? '';
  return argv.find((a) => a.startsWith('--grep='))?.slice(7) ?? process.env.LENGTHWISE_GREP ?? '';
}

async function main() {
  if (!fs.existsSync(TESTS_INDEX)) throw new Error(`${TESTS_INDEX} is missing: run \`node esbuild.js --tests\` first`);
  // A fresh workspace with a writable .vscode/settings.json, as run.mjs gives the tests.
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lengthwise-desktop-'));
  const workspace = path.join(root, 'workspace');
  fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), '{}\n');
  try {
    await runTests({
      version: process.env.LENGTHWISE_VSCODE_VERSION || hostFor(process.env.LENGTHWISE_VSCODE || CURRENT_HOST).vscode,
      extensionDevelopmentPath: REPO,
      extensionTestsPath: TESTS_INDEX,
      // runTests adds --disable-workspace-trust and its own user-data/extensions dirs under .vscode-test/.
      launchArgs: [workspace, '--disable-extensions'],
      extensionTestsEnv: {
        LENGTHWISE_HOST_KIND: 'desktop',
        LENGTHWISE_TEST_WORKSPACE: workspace,
        LENGTHWISE_GREP: grepArg(process.argv.slice(2)),
        LENGTHWISE_TRUST: '0',
        // Tests never reach a real provider: drop real keys the extension would otherwise read from the environment.
        OPENAI_API_KEY: undefined,
        ANTHROPIC_API_KEY: undefined,
        GEMINI_API_KEY: undefined,
        GOOGLE_API_KEY: undefined,
      },
    });
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(`[lengthwise-desktop] ${e.message ?? e}`);
  process.exit(1);
});
