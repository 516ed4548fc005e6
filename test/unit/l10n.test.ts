// Runtime strings of the extension shell are prepared for translation: l10n/bundle.l10n.json (the English source a
// translator starts from, and the file VS Code reads through package.json "l10n") must be what @vscode/l10n-dev
// extracts from the vscode.l10n.t calls in src today. A string added or changed without `npm run l10n` fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const BUNDLE = path.join(ROOT, 'l10n', 'bundle.l10n.json');

test('l10n: bundle.l10n.json is the export of the current sources (run `npm run l10n` after changing a string)', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  assert.equal(pkg.l10n, './l10n', 'package.json points VS Code at the bundles');
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'lengthwise-l10n-'));
  try {
    // The same command as `npm run l10n`, into a temp folder.
    execFileSync(process.execPath, [path.join(ROOT, 'node_modules', '@vscode', 'l10n-dev', 'dist', 'cli.js'), 'export', '--outDir', out, './src'], { cwd: ROOT, stdio: 'pipe' });
    const fresh = fs.readFileSync(path.join(out, 'bundle.l10n.json'), 'utf8');
    const committed = fs.readFileSync(BUNDLE, 'utf8');
    const a = JSON.parse(committed) as Record<string, string>;
    const b = JSON.parse(fresh) as Record<string, string>;
    assert.deepEqual(Object.keys(a).filter((k) => !(k in b)), [], 'strings in the bundle that src no longer has');
    assert.deepEqual(Object.keys(b).filter((k) => !(k in a)), [], 'strings in src missing from the bundle');
    assert.equal(committed, fresh, 'same strings, same order');
    assert.ok(Object.keys(b).length >= 50, 'the shell\'s messages, buttons and pickers are wrapped');
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

test('l10n: every placeholder is numbered and used in order from {0} (no template literal slipped into a key)', () => {
  const bundle = JSON.parse(fs.readFileSync(BUNDLE, 'utf8')) as Record<string, string>;
  for (const [key, value] of Object.entries(bundle)) {
    assert.equal(value, key, 'the English bundle maps each string to itself');
    assert.doesNotMatch(key, /\$\{[^}0-9]/, `template literal text in ${key}`);
    const used = [...new Set([...key.matchAll(/\{(\d+)\}/g)].map((m) => Number(m[1])))].sort((x, y) => x - y);
    assert.deepEqual(used, used.map((_, i) => i), `placeholders of ${key}`);
  }
});
