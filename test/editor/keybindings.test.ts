// Default keybindings: none of Lengthwise's may take a key VS Code itself binds (Ctrl+Alt+Enter was Replace All in
// the Find widget: pressing it there sent a paid request and replaced nothing). The defaults are read from the real
// host's default keybindings document, for the platform the UI runs on.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

interface Binding {
  key: string;
  command: string;
  when?: string;
  mac?: string;
}

/** "Ctrl+Alt+Enter" and "alt+ctrl+enter" are the same key: modifiers sorted, lower case; chords kept in order. */
function normalizeKey(key: string): string {
  return key
    .trim()
    .toLowerCase()
    .split(/\s+/)
    .map((chord) => {
      const parts = chord.split('+');
      const last = parts.pop() ?? '';
      return [...parts.sort(), last].join('+');
    })
    .join(' ');
}

async function defaultKeybindings(): Promise<Binding[]> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse('vscode://defaultsettings/keybindings.json'));
  // JSON with comments: drop whole-line comments (keys and commands hold no "//").
  const text = doc.getText().replace(/^\s*\/\/.*$/gm, '');
  return JSON.parse(text) as Binding[];
}

describe('keybindings: Lengthwise takes no key VS Code binds', function () {
  this.timeout(30_000);
  const ours = (JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { contributes: { keybindings: Binding[] } }).contributes.keybindings;

  it('reads the real default keybindings (the check would be empty otherwise)', async () => {
    const defaults = await defaultKeybindings();
    assert.ok(defaults.length > 300, `${defaults.length} default keybindings`);
    assert.ok(defaults.some((b) => b.command === 'editor.action.replaceAll'), 'Replace All is among them');
  });

  it('no default keybinding of ours collides with one of VS Code (any when clause)', async () => {
    const defaults = await defaultKeybindings();
    const taken = new Map<string, string[]>();
    for (const b of defaults) {
      if (!b.key || b.command.startsWith('-') || b.command.startsWith('lengthwise.')) continue;
      const k = normalizeKey(b.key);
      taken.set(k, [...(taken.get(k) ?? []), b.command]);
    }
    const collisions = ours.filter((b) => taken.has(normalizeKey(b.key))).map((b) => `${b.key} (${b.command}) is also ${taken.get(normalizeKey(b.key))!.join(', ')}`);
    // VS Code 1.139 binds quickInput.accept to Enter with every modifier and quickInput.hide to Escape with several
    // (Ctrl+Alt+Shift+Enter was Send's, Ctrl+Alt+Escape Cancel's): keys VS Code takes anywhere are left to it.
    assert.deepEqual(collisions, []);
    // The macOS chords: VS Code's defaults are mostly one binding for both (Ctrl on Linux and Windows is Cmd on
    // macOS), so a macOS chord of ours read with Ctrl for Cmd must be free here too.
    const asHere = (mac: string) => mac.replace(/\bcmd\b/g, 'ctrl');
    const macCollisions = ours.filter((b) => b.mac && taken.has(normalizeKey(asHere(b.mac)))).map((b) => `${b.mac} (${b.command}) is also ${taken.get(normalizeKey(asHere(b.mac!)))!.join(', ')}`);
    assert.deepEqual(macCollisions, []);
  });

  it('every keybinding of ours has a when clause that keeps it out of the find widget and other inputs', () => {
    for (const b of ours) {
      assert.ok(b.when, `${b.command} has a when clause`);
      if (b.command === 'lengthwise.cancel') continue; // cancel is safe anywhere while a request runs
      assert.match(b.when, /editorTextFocus/, `${b.command}: only in a text editor`);
      assert.match(b.when, /!findWidgetVisible/, `${b.command}: not while the find widget is open (its keys win there)`);
      assert.match(b.when, /!findInputFocussed/, `${b.command}: not in the find input`);
      assert.match(b.when, /!replaceInputFocussed/, `${b.command}: not in the replace input`);
    }
  });
});
