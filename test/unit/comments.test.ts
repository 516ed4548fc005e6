// A comment that names a file names one that exists: a rename or a move that leaves a comment pointing at the old
// place fails here (esbuild.js cited the tokenizer module at its old place long after it moved into src/core/tokens/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const CODE = /\.(ts|mts|mjs|cjs|js)$/;

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(path.join(dir, e.name)) : CODE.test(e.name) ? [path.join(dir, e.name)] : []));
}

/** The text of a file's comments, line by line (string contents are not comments; good enough for these files). */
function commentLines(text: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  let inBlock = false;
  text.split('\n').forEach((l, i) => {
    if (inBlock) {
      out.push({ line: i + 1, text: l });
      if (l.includes('*/')) inBlock = false;
      return;
    }
    const m = /(?:^|\s)(\/\/|\/\*)(.*)$/.exec(l);
    if (!m) return;
    out.push({ line: i + 1, text: m[2]! });
    if (m[1] === '/*' && !m[2]!.includes('*/')) inBlock = true;
  });
  return out;
}

/** Paths outside this repository that comments name on purpose (a workspace's, a package's own files). */
const ELSEWHERE = /^(\.vscode|lib|dist|out|node_modules|defaultsettings)\//;

test('every file a comment names in src/, test/ and the build scripts exists', () => {
  const files = [...sources(path.join(ROOT, 'src')), ...sources(path.join(ROOT, 'test')), ...['esbuild.js', 'eslint.config.mjs', '.dependency-cruiser.cjs'].map((f) => path.join(ROOT, f))];
  const names = new Set(files.map((f) => path.basename(f)));
  const missing: string[] = [];
  for (const file of files) {
    const rel = path.relative(ROOT, file);
    // Where a path in a comment may be relative to: the repository, src/ and its layers, test/, the file's folder.
    const bases = [ROOT, 'src', 'src/core', 'src/extension', 'src/platform', 'test'].map((b) => path.resolve(ROOT, b)).concat(path.dirname(file));
    for (const c of commentLines(fs.readFileSync(file, 'utf8'))) {
      for (const m of c.text.matchAll(/(?<![\w/.@:-])((?:[\w.-]+\/)+[\w.-]+\.(?:ts|mjs|cjs|js|json|md|css))(?![\w/])/g)) {
        const p = m[1]!;
        if (ELSEWHERE.test(p)) continue;
        if (!bases.some((b) => fs.existsSync(path.join(b, p)))) missing.push(`${rel}:${c.line}: ${p}`);
      }
      for (const m of c.text.matchAll(/(?<![\w/.@:-])([A-Za-z][\w-]*\.(?:ts|mts|mjs|cjs))(?![\w/])/g)) {
        if (!names.has(m[1]!)) missing.push(`${rel}:${c.line}: ${m[1]}`);
      }
    }
  }
  assert.deepEqual(missing, []);
});
