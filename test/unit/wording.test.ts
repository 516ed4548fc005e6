// Plain-text messages (notifications, errors, log lines) show backticks and "(s)" literally: neither belongs there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// The status bar tooltip is Markdown (backticks render as code); the seam reads Markdown fences in answers.
const MARKDOWN_OR_FENCES = new Set(['src/core/views/statusText.ts', 'src/core/generation/seam.ts']);

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

test('wording: no Markdown backticks and no "(s)" plurals in the messages of core and the shell', () => {
  const found: string[] = [];
  for (const f of [...files('src/core'), ...files('src/extension'), ...files('src/providers')]) {
    const lines = readFileSync(f, 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (/^\s*(\/\/|\*|\/\*\*)/.test(line)) return; // comments
      const code = line.replace(/\/\/ .*$/, '');
      // A `word` quoted in backticks inside a string: an escaped backtick in a template, or backticks in '…'.
      if (!MARKDOWN_OR_FENCES.has(f) && (/\\`[\w.]+\\`/.test(code) || /'[^']*`[\w.]+`[^']*'/.test(code))) found.push(`${f}:${i + 1}: backtick: ${line.trim()}`);
      // "request(s) with", "line(s) (", "message(s)`" — not calls such as includes(s).
      if (/[a-z]{3,}\(s\)(?= [a-z(]|`)/.test(code) && !/http\(s\)/.test(code)) found.push(`${f}:${i + 1}: "(s)": ${line.trim()}`);
    });
  }
  assert.deepEqual(found, []);
});
