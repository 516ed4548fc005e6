// The Marketplace package: every image the README and the walkthrough show ships in the .vsix (the details page
// showed broken images when the screenshots were left out), and the contributions a user meets first are complete.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

/** What `vsce ls` says the package would hold (it reads .vscodeignore; no build needed). */
function packagedFiles(): Set<string> {
  const out = execFileSync(process.execPath, [path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'), 'ls', '--no-dependencies'], { cwd: ROOT, encoding: 'utf8' });
  return new Set(out.split('\n').map((l) => l.trim()).filter(Boolean));
}

/** Relative image paths in Markdown (![alt](path)) and HTML (<img src="path">). */
function imagesIn(markdown: string): string[] {
  const found = [...markdown.matchAll(/!\[[^\]]*\]\(([^)\s]+)[^)]*\)/g), ...markdown.matchAll(/<img[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]);
  return found.filter((p) => !/^[a-z]+:/i.test(p)).map((p) => path.posix.normalize(p.replace(/^\.\//, '')));
}

test('package: every image the README shows is in the .vsix', () => {
  const files = packagedFiles();
  const images = imagesIn(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8'));
  assert.ok(images.length > 0, 'the README shows screenshots');
  assert.deepEqual(images.filter((i) => !files.has(i)), [], 'images missing from the package');
  // The README links to the user docs; the details page resolves those links inside the package.
  const docs = [...fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8').matchAll(/\]\(((?:docs\/)?[\w.-]+\.md)(?:#[^)]*)?\)/g)].map((m) => m[1]);
  assert.ok(docs.length >= 3, 'the README links to its docs');
  assert.deepEqual(docs.filter((d) => !files.has(d)), [], 'linked docs missing from the package');
});

test('package: walkthrough pages and their images ship; metadata for the Marketplace is set', () => {
  const files = packagedFiles();
  const steps = pkg.contributes.walkthroughs.flatMap((w: { steps: { media: Record<string, string> }[] }) => w.steps);
  assert.ok(steps.length >= 4, 'key or local server, send, presets, budget');
  for (const s of steps) {
    const page = s.media.markdown ?? s.media.image;
    assert.ok(files.has(page), `${page} is packaged`);
    if (s.media.markdown) for (const img of imagesIn(fs.readFileSync(path.join(ROOT, page), 'utf8'))) assert.ok(files.has(path.posix.join(path.posix.dirname(page), img)), img);
  }
  for (const f of ['README.md', 'CHANGELOG.md', 'LICENSE', 'package.json', 'dist/extension.js', 'dist/countWorker.js']) {
    if (f.startsWith('dist/') && !fs.existsSync(path.join(ROOT, f))) continue; // built by the editor tests / package
    assert.ok(files.has(f), `${f} is packaged`);
  }
  assert.ok(pkg.repository?.url && pkg.bugs?.url && pkg.galleryBanner?.color, 'repository, bugs, galleryBanner');
  assert.ok(![...files].some((f) => /^(src|test|out|node_modules)\//.test(f)), 'no sources or tests in the package');
});

test('package: Cancel, Continue and the pending batches show in the palette only when they apply; Send, Count and Send as Batch in the context menu', () => {
  const palette = new Map<string, string>(pkg.contributes.menus.commandPalette.map((m: { command: string; when: string }) => [m.command, m.when]));
  assert.equal(palette.get('lengthwise.cancel'), 'lengthwise.running');
  assert.equal(palette.get('lengthwise.continue'), 'lengthwise.hasTruncated');
  assert.equal(palette.get('lengthwise.showBatches'), 'lengthwise.batchesPending');
  const context = pkg.contributes.menus['editor/context'].map((m: { command: string }) => m.command);
  assert.deepEqual(context.sort(), ['lengthwise.countTokens', 'lengthwise.send', 'lengthwise.sendBatch']);
});

test('package: the Settings UI groups every setting in titled sections, in order', () => {
  const sections = pkg.contributes.configuration as { id: string; title: string; order: number; properties: Record<string, { order?: number }> }[];
  assert.ok(Array.isArray(sections) && sections.length >= 6, 'sections: model and provider, length, stops, cost, continuation, …');
  assert.deepEqual(sections.map((s) => s.order), sections.map((_, i) => i));
  for (const s of sections) {
    assert.ok(s.title && s.id.startsWith('lengthwise.'), s.id);
    assert.deepEqual(Object.values(s.properties).map((p) => p.order), Object.keys(s.properties).map((_, i) => i), `${s.title}: every setting has its order`);
  }
  assert.ok(!sections.some((s) => s.title === 'Other'), 'no setting left outside a section');
});

test('package: every user-facing manifest string is in package.nls.json (ready for translations)', () => {
  const nls = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.nls.json'), 'utf8')) as Record<string, string>;
  const used = [...JSON.stringify(pkg).matchAll(/"%([\w.-]+)%"/g)].map((m) => m[1]);
  assert.ok(used.length >= 20, 'command titles, sections and the walkthrough are placeholders');
  assert.deepEqual(used.filter((k) => !(k in nls)), [], 'placeholders without a string');
  assert.deepEqual(Object.keys(nls).filter((k) => !used.includes(k)), [], 'strings nothing uses');
  for (const c of pkg.contributes.commands) assert.match(c.title, /^%command\.[\w]+\.title%$/, c.command);
  assert.ok(packagedFiles().has('package.nls.json'), 'the strings ship');
  assert.ok(packagedFiles().has('l10n/bundle.l10n.json'), 'the runtime strings ship (package.json "l10n")');
});
