// One source for the keys (issue 28: the README said Continue is Cmd+Alt+C on macOS while package.json bound
// cmd+alt+shift+.; Cancel was Cmd+Alt+Esc, macOS's Force Quit). The README's command table and every chord the
// docs name must be the manifest's keybindings, and no macOS chord of ours may be one macOS keeps for itself.
// (VS Code's own defaults are checked in the real host: test/editor/keybindings.test.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
interface Binding {
  command: string;
  key: string;
  mac?: string;
}
const bindings = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { contributes: { keybindings: Binding[] } }).contributes.keybindings;

/** "ctrl+alt+shift+enter" as the docs write it: "Ctrl+Alt+Shift+Enter". */
function shown(chord: string): string {
  return chord
    .split('+')
    .map((k) => (k.length === 1 ? k.toUpperCase() : k[0].toUpperCase() + k.slice(1)))
    .join('+');
}

/** The README's command table: id → [key, macOS key] as written (backticks removed, '' when empty). */
function readmeTable(): Map<string, [string, string]> {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const rows = new Map<string, [string, string]>();
  for (const line of readme.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const id = /^`(lengthwise\.\w+)`$/.exec(cells[2] ?? '')?.[1];
    if (id && cells.length >= 6) rows.set(id, [cells[3].replace(/`/g, ''), cells[4].replace(/`/g, '')]);
  }
  return rows;
}

/**
 * Chords macOS reserves for itself (Apple's list of reserved shortcuts, as quoted in "Reserved Mac Shortcuts",
 * tutorialtactic.com): a binding on one of them never reaches VS Code, or does something else first.
 */
const MACOS_RESERVED = [
  'cmd+alt+escape', // Force Quit
  'cmd+alt+shift+escape', // force quit the frontmost app (held)
  'cmd+space',
  'cmd+shift+space',
  'cmd+alt+space',
  'ctrl+cmd+space',
  'cmd+tab',
  'cmd+shift+tab',
  'ctrl+cmd+q',
  'cmd+shift+q',
  'cmd+alt+d',
  'cmd+h',
  'cmd+m',
  'cmd+shift+3',
  'cmd+shift+4',
  'cmd+shift+5',
];
const norm = (c: string) => c.toLowerCase().split('+').sort().join('+');

test('the README command table names every keybinding of the manifest, for both platforms', () => {
  const table = readmeTable();
  assert.ok(table.size >= 8, `the README has its command table (${table.size} rows)`);
  for (const b of bindings) {
    assert.ok(table.has(b.command), `${b.command} is in the README table`);
    assert.deepEqual(table.get(b.command), [shown(b.key), shown(b.mac ?? b.key)], `${b.command}: the README says what package.json binds`);
  }
  for (const [id, keys] of table) {
    if (!bindings.some((b) => b.command === id)) assert.deepEqual(keys, ['', ''], `${id} has no default key, and the README names none`);
  }
});

test('every key chord the README and the docs name is one the manifest binds (or a VS Code key named as such)', () => {
  const ours = new Set(bindings.flatMap((b) => [shown(b.key), shown(b.mac ?? b.key)]));
  // VS Code's own keys the docs name: Quick Fix, next / previous problem.
  const vscodeKeys = new Set(['Ctrl+.', 'Cmd+.', 'F8', 'Alt+F8']);
  const files = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
  const wrong: string[] = [];
  for (const f of files) {
    const text = fs.readFileSync(path.join(ROOT, f), 'utf8');
    for (const m of text.matchAll(/\b(?:Ctrl|Cmd|Alt|Shift)(?:\+(?:Ctrl|Cmd|Alt|Shift))*\+(?:[A-Z][a-z]*\d*|\.|F\d{1,2})(?![\w+])/g)) {
      if (!ours.has(m[0]) && !vscodeKeys.has(m[0])) wrong.push(`${f}: ${m[0]}`);
    }
  }
  assert.deepEqual(wrong, []);
});

test('no macOS keybinding of ours is a chord macOS keeps for itself (Cmd+Alt+Esc is Force Quit)', () => {
  const reserved = new Set(MACOS_RESERVED.map(norm));
  const taken = bindings.filter((b) => reserved.has(norm(b.mac ?? b.key))).map((b) => `${b.command}: ${b.mac ?? b.key}`);
  assert.deepEqual(taken, []);
});
