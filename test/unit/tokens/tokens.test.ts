import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { Tiktoken } from 'js-tiktoken/lite';
import { buildTiktoken, loadRanks, loadTokenizer, tokenizerFor, type Tokenizer, type TokenizerId } from '../../../src/core/tokens/tokens';
import { BlockCounter } from '../../../src/core/tokens/blockCounter';
import { MAX_UNCUT_RUN, isSafeCut, splitBlocks } from '../../../src/core/tokens/safeCuts';
import { StreamCounter } from '../../../src/core/tokens/streamCounter';
import { chunkPath, nodeDataLoader, resolveChunk } from '../../../src/platform/node/lazyChunk';
import { useDataLoader } from '../../../src/core/lazyData';
import { mixedCorpus, rng } from '../../bench/corpus';

const IDS: TokenizerId[] = ['o200k_base', 'cl100k_base'];

test('tokenizerFor: o200k for current OpenAI models, cl100k for older ones, estimates for everyone else', () => {
  const exact = (id: TokenizerId) => ({ id, exact: true });
  assert.deepEqual(tokenizerFor('openai', 'gpt-4o'), exact('o200k_base'));
  assert.deepEqual(tokenizerFor('openai', 'gpt-4o-mini-2024-07-18'), exact('o200k_base'));
  assert.deepEqual(tokenizerFor('openai', 'gpt-4.1-mini'), exact('o200k_base'));
  assert.deepEqual(tokenizerFor('openai', 'gpt-4.5-preview'), exact('o200k_base'));
  assert.deepEqual(tokenizerFor('openai', 'gpt-5.2'), exact('o200k_base'));
  assert.deepEqual(tokenizerFor('openai', 'o1'), exact('o200k_base'));
  assert.deepEqual(tokenizerFor('openai', 'o3-mini'), exact('o200k_base'));
  assert.deepEqual(tokenizerFor('openai', 'o4-mini'), exact('o200k_base'));
  assert.deepEqual(tokenizerFor('openai', 'chatgpt-4o-latest'), exact('o200k_base'));
  assert.deepEqual(tokenizerFor('openai', 'GPT-4o'), exact('o200k_base'));
  assert.deepEqual(tokenizerFor('openai', 'gpt-4'), exact('cl100k_base'));
  assert.deepEqual(tokenizerFor('openai', 'gpt-4-turbo-2024-04-09'), exact('cl100k_base'));
  assert.deepEqual(tokenizerFor('openai', 'gpt-3.5-turbo'), exact('cl100k_base'));
  assert.deepEqual(tokenizerFor('openai-compatible', 'openai/gpt-4o'), exact('o200k_base'));
  for (const [p, m] of [
    ['anthropic', 'claude-sonnet-4-5'],
    ['gemini', 'gemini-2.5-pro'],
    ['openai-compatible', 'llama3.1:8b'],
    ['openai', 'o10-future'],
    ['openai', 'gpt-4olike'],
  ] as const) {
    assert.deepEqual(tokenizerFor(p, m), { id: 'o200k_base', exact: false }, `${p} ${m}`);
  }
});

test('loadTokenizer: lazy, cached, and special-token strings are plain text', async () => {
  // The ranks are read through the host's loader: once, on the first loadTokenizer (none at import time).
  const loads: string[] = [];
  useDataLoader((chunk, fallback) => {
    loads.push(chunk);
    return nodeDataLoader(chunk, fallback);
  });
  const [a, b] = await Promise.all([loadTokenizer('cl100k_base'), loadTokenizer('cl100k_base')]);
  assert.equal(a, b);
  assert.equal(await loadTokenizer('cl100k_base'), a);
  useDataLoader(nodeDataLoader);
  assert.deepEqual(loads, ['ranks/cl100k_base'], 'nothing is loaded at import time; loaded once');
  assert.equal(a.id, 'cl100k_base');
  assert.equal(a.count(''), 0);
  assert.equal(a.count('hello world'), 2);
  const o = await loadTokenizer('o200k_base');
  assert.ok(o.count('<|endoftext|>') > 1, 'counted as ordinary text, not one special token, and no throw');
  assert.deepEqual(o.encode('hello world'), [24912, 2375]);
});

test('buildTiktoken (sliced) builds the same tables and encodings as the js-tiktoken constructor', async () => {
  const ranks = await loadRanks('cl100k_base');
  // The instance loadTokenizer built with buildTiktoken (its private field, read for this comparison only).
  const ours = (await loadTokenizer('cl100k_base')) as unknown as { tk: Tiktoken };
  assert.ok(ours.tk instanceof Tiktoken);
  const stock = new Tiktoken(ranks);
  const a = (ours.tk as unknown as { rankMap: Map<string, number> }).rankMap;
  const b = (stock as unknown as { rankMap: Map<string, number> }).rankMap;
  assert.equal(a.size, b.size);
  assert.ok(a.size > 100_000);
  for (const [k, v] of b) if (a.get(k) !== v) assert.fail(`rank of ${k}: ${a.get(k)} != ${v}`);
  const ta = (ours.tk as unknown as { textMap: Map<number, Uint8Array> }).textMap;
  const tb = (stock as unknown as { textMap: Map<number, Uint8Array> }).textMap;
  assert.equal(ta.size, tb.size);
  for (const [k, v] of tb) if (ta.get(k)?.join(',') !== v.join(',')) assert.fail(`bytes of rank ${k}`);
  const text = mixedCorpus(20_000, 3);
  assert.deepEqual(ours.tk.encode(text, [], []), stock.encode(text, [], []));
  assert.equal(ours.tk.decode(ours.tk.encode(text, [], [])), stock.decode(stock.encode(text, [], [])));
  // The sliced builder itself, on a small synthetic rank file.
  const tiny = await buildTiktoken({ pat_str: ranks.pat_str, special_tokens: {}, bpe_ranks: '! 0 YQ== Yg== YWI=\n! 3 Yw==' }, 0);
  assert.deepEqual(tiny.encode('abc', [], []), [2, 3]);
});

// Additivity at a cut: count(left + right) === count(left) + count(right) for random left/right context.
function mismatchesAt(tok: Tokenizer, text: string, cuts: number[], seed: number): { checked: number; bad: string[] } {
  const r = rng(seed);
  const bad: string[] = [];
  for (const i of cuts) {
    const left = text.slice(Math.max(0, i - 1 - Math.floor(r() * 30)), i);
    const right = text.slice(i, i + 1 + Math.floor(r() * 30));
    if (tok.count(left + right) !== tok.count(left) + tok.count(right)) bad.push(JSON.stringify([left, right]));
  }
  return { checked: cuts.length, bad };
}

test('safe cuts: additive on both encodings for every safe cut of a mixed corpus; an unsafe rule is caught', async () => {
  const text = mixedCorpus(16_000, 11);
  const safe: number[] = [];
  const afterSpace: number[] = [];
  for (let i = 1; i < text.length; i++) {
    if (isSafeCut(text, i)) safe.push(i);
    else if (/\s/.test(text[i - 1]) && /\S/.test(text[i])) afterSpace.push(i);
  }
  assert.ok(safe.length > 2000, `enough safe cuts (${safe.length})`);
  for (const id of IDS) {
    const tok = await loadTokenizer(id);
    const { checked, bad } = mismatchesAt(tok, text, safe, 5);
    assert.deepEqual(bad.slice(0, 5), [], `${id}: ${bad.length} of ${checked} safe cuts not additive`);
    // The same check on a known-unsafe rule (cut after whitespace) must find mismatches: the test can fail.
    assert.ok(mismatchesAt(tok, text, afterSpace.slice(0, 1000), 5).bad.length > 0, `${id}: unsafe rule not detected`);
  }
  // Never inside a surrogate pair, never before a combining mark or an apostrophe after a letter.
  assert.equal(isSafeCut('a😀b', 2), false);
  assert.equal(isSafeCut('e\u0301 ', 1), false);
  assert.equal(isSafeCut("it's", 2), false);
  assert.equal(isSafeCut('ab cd', 2), true);
  assert.equal(isSafeCut('ab\n/x', 3), false);
});

function chunked(text: string, r: () => number, min: number, max: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; ) {
    const n = min + Math.floor(r() * (max - min + 1));
    out.push(text.slice(i, i + n));
    i += n;
  }
  return out;
}

test('StreamCounter: random chunkings of a mixed corpus always total a full encode (both encodings)', async () => {
  for (const id of IDS) {
    const tok = await loadTokenizer(id);
    for (let seed = 1; seed <= 5; seed++) {
      const r = rng(seed * 97);
      const text = mixedCorpus(seed === 1 ? 2_000 : 5_000, seed);
      const sc = new StreamCounter(tok);
      // Chunk sizes vary per run: 1 char (splits surrogate pairs), 3–8 like real streams, up to 300.
      const [min, max] = [
        [1, 1],
        [3, 8],
        [1, 40],
        [3, 8],
        [50, 300],
      ][seed - 1];
      let sent = '';
      let maxTail = 0;
      const checkAt = new Set([3, 50, 300]);
      chunked(text, r, min, max).forEach((c, n) => {
        const total = sc.push(c);
        sent += c;
        maxTail = Math.max(maxTail, sc.tailLength);
        if (checkAt.has(n)) assert.equal(total, tok.count(sent), `${id} seed ${seed}: prefix after ${n + 1} chunks`);
      });
      assert.equal(sc.total, tok.count(text), `${id} seed ${seed} [${min},${max}]`);
      assert.equal(sc.exact, true);
      assert.equal(sc.textLength, text.length);
      assert.ok(maxTail <= MAX_UNCUT_RUN, `tail stayed bounded (${maxTail})`);
    }
  }
});

test('StreamCounter: long runs without spaces stay exact when they have safe cuts (base64, CJK with punctuation)', async () => {
  const tok = await loadTokenizer('o200k_base');
  const r = rng(42);
  const b64 = Buffer.from(Array.from({ length: 15_000 }, () => Math.floor(r() * 256))).toString('base64');
  const cjk = '日本語の文章です。これはテスト、です！'.repeat(200);
  for (const text of [b64, cjk]) {
    const sc = new StreamCounter(tok);
    let maxTail = 0;
    for (const c of chunked(text, r, 3, 8)) {
      sc.push(c);
      maxTail = Math.max(maxTail, sc.tailLength);
    }
    assert.equal(sc.total, tok.count(text));
    assert.equal(sc.exact, true);
    assert.ok(maxTail < 64, `tail ${maxTail}`);
  }
});

test('StreamCounter: a run with no safe cut is cut by force, stays bounded and is flagged as an estimate', async () => {
  const tok = await loadTokenizer('o200k_base');
  // The tail is re-counted at every read: the stream keeps it to 256 characters (blocks keep MAX_UNCUT_RUN).
  const STREAM_TAIL = 256;
  const over = MAX_UNCUT_RUN * 2 + 300;
  for (const text of ['a'.repeat(over), '東京大阪名古屋横浜神戸京都札幌福岡'.repeat(Math.ceil(over / 16)), '='.repeat(over)]) {
    const sc = new StreamCounter(tok);
    let maxTail = 0;
    for (const c of chunked(text, rng(1), 20, 40)) {
      sc.push(c);
      maxTail = Math.max(maxTail, sc.tailLength);
    }
    assert.ok(maxTail <= STREAM_TAIL, `tail ${maxTail}`);
    assert.equal(sc.exact, false);
    const full = tok.count(text);
    assert.ok(Math.abs(sc.total - full) <= Math.ceil(text.length / STREAM_TAIL) + 1, `${sc.total} vs ${full}`);
  }
  // One huge delta is counted in bounded pieces too (a single 20,000-char piece would take minutes).
  const sc = new StreamCounter(tok);
  const t0 = performance.now();
  sc.push('x'.repeat(MAX_UNCUT_RUN * 3) + ' done');
  assert.ok(performance.now() - t0 < 3000);
  assert.equal(sc.exact, false);
  assert.ok(sc.tailLength <= STREAM_TAIL);
});

test('splitBlocks: blocks tile the text, end at safe cuts, ~2 KB, and resynchronize after an edit', () => {
  const text = mixedCorpus(200_000, 5);
  const blocks = [...splitBlocks(text)];
  assert.equal(blocks[0].start, 0);
  assert.equal(blocks[blocks.length - 1].end, text.length);
  for (let i = 1; i < blocks.length; i++) {
    assert.equal(blocks[i].start, blocks[i - 1].end);
    assert.ok(isSafeCut(text, blocks[i].start) || blocks[i - 1].forced);
  }
  const avg = text.length / blocks.length;
  assert.ok(avg > 1000 && avg < 5000, `average block ${avg}`);
  const mid = text.indexOf('\n', 100_000);
  const edited = text.slice(0, mid) + '\nconst inserted = "one new line";' + text.slice(mid);
  const before = new Set(blocks.map((b) => text.slice(b.start, b.end)));
  const after = [...splitBlocks(edited)].map((b) => edited.slice(b.start, b.end));
  const changed = after.filter((s) => !before.has(s)).length;
  assert.ok(changed <= 3, `${changed} blocks changed after a one-line edit`);
});

test('BlockCounter: equals a full count (sync and async), re-count after an edit hits the cache', async () => {
  for (const id of IDS) {
    const tok = await loadTokenizer(id);
    const text = mixedCorpus(40_000, 8);
    const full = tok.count(text);
    const bc = new BlockCounter(tok);
    assert.equal(bc.count(text), full);
    assert.equal(bc.exact, true);
    const misses = bc.stats.misses;
    assert.ok(misses > 10);
    assert.equal(await new BlockCounter(tok).countAsync(text, { sliceMs: 5 }), full);

    const mid = text.indexOf('\n', 20_000);
    const edited = text.slice(0, mid) + '\n  return sum(values) + 1;' + text.slice(mid);
    const t0 = performance.now();
    const recount = bc.count(edited);
    const ms = performance.now() - t0;
    assert.equal(recount, tok.count(edited));
    assert.ok(bc.stats.misses - misses <= 3, `${bc.stats.misses - misses} blocks re-encoded`);
    assert.ok(ms < 200, `re-count took ${ms} ms`);
  }
});

test('BlockCounter.countAsync yields to the event loop and can be cancelled', async () => {
  const tok = await loadTokenizer('o200k_base');
  const text = mixedCorpus(40_000, 9);
  let ticks = 0;
  const timer = setInterval(() => ticks++, 0);
  try {
    await new BlockCounter(tok).countAsync(text, { sliceMs: 2 });
  } finally {
    clearInterval(timer);
  }
  assert.ok(ticks > 0, 'timers ran while counting');

  const ac = new AbortController();
  const p = new BlockCounter(tok).countAsync(text, { sliceMs: 1, signal: ac.signal });
  setImmediate(() => ac.abort());
  await assert.rejects(p, (e: Error) => e.name === 'AbortError');
  const pre = new AbortController();
  pre.abort();
  await assert.rejects(new BlockCounter(tok).countAsync('abc', { signal: pre.signal }), (e: Error) => e.name === 'AbortError');
});

test('BlockCounter: the cache is bounded (LRU) and does not change results', async () => {
  const tok = await loadTokenizer('o200k_base');
  const bc = new BlockCounter(tok, { maxEntries: 4 });
  const text = mixedCorpus(20_000, 2);
  assert.equal(bc.count(text), tok.count(text));
  assert.ok(bc.cachedBlocks <= 4);
  assert.equal(bc.count(text), tok.count(text));
});

test('lazy chunks: the bundle loads ranks from dist/ranks/<id>.js; source runs fall back to node_modules', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lw-chunk-'));
  try {
    assert.equal(chunkPath('ranks/o200k_base', dir), path.join(dir, 'ranks', 'o200k_base.js'));
    assert.equal(resolveChunk('ranks/o200k_base', 'js-tiktoken/ranks/o200k_base', dir), 'js-tiktoken/ranks/o200k_base');
    fs.mkdirSync(path.join(dir, 'ranks'));
    fs.writeFileSync(path.join(dir, 'ranks', 'o200k_base.js'), 'module.exports = {};');
    assert.equal(resolveChunk('ranks/o200k_base', 'js-tiktoken/ranks/o200k_base', dir), path.join(dir, 'ranks', 'o200k_base.js'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('lazy chunks, bundled: ranks stay out of the main bundle and load from the chunk without node_modules', async () => {
  const esbuild = await import('esbuild');
  const root = path.join(__dirname, '..', '..', '..');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lw-bundle-'));
  try {
    const entry = path.join(dir, 'entry.ts');
    fs.writeFileSync(
      entry,
      `import { useDataLoader } from ${JSON.stringify(path.join(root, 'src/core/lazyData'))};\n` +
        `import { nodeDataLoader } from ${JSON.stringify(path.join(root, 'src/platform/node/lazyChunk'))};\n` +
        `import { loadTokenizer } from ${JSON.stringify(path.join(root, 'src/core/tokens/tokens'))};\n` +
        `useDataLoader(nodeDataLoader);\n` +
        `loadTokenizer('o200k_base').then((t) => console.log(t.count('hello world, bundled')));\n`,
    );
    const common = { bundle: true, format: 'cjs', platform: 'node', target: 'node20', outdir: dir, logLevel: 'silent' } as const;
    await esbuild.build({ ...common, entryPoints: { main: entry }, absWorkingDir: root });
    await esbuild.build({ ...common, entryPoints: { 'ranks/o200k_base': require.resolve('js-tiktoken/ranks/o200k_base') } });
    const mainSize = fs.statSync(path.join(dir, 'main.js')).size;
    assert.ok(mainSize < 100_000, `main bundle ${mainSize} bytes: ranks were inlined`);
    // Run from a directory with no node_modules above it: the fallback require cannot succeed.
    const out = execFileSync(process.execPath, [path.join(dir, 'main.js')], { cwd: dir, encoding: 'utf8' });
    assert.equal(out.trim(), String((await loadTokenizer('o200k_base')).count('hello world, bundled')));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('count() (piece-cached) equals a full encode, on both encodings, for mixed text, whitespace runs and special-token text', async () => {
  const { loadTokenizer } = await import('../../../src/core/tokens/tokens');
  const extra = [
    '', ' ', '    ', '\n\n\n', ' \n \n', 'a  b   c', '<|endoftext|> is text', "it's they're we'll", '1234567 89', '日本語のテキスト、句読点。',
    '👩‍👩‍👧‍👦 emoji 🎉🎉', 'e\u0301te\u0301', '\t\tindented\n\t}', 'x'.repeat(300), '==== ---- ____',
  ];
  for (const id of ['o200k_base', 'cl100k_base'] as const) {
    const tok = await loadTokenizer(id);
    for (const t of extra) assert.equal(tok.count(t), tok.encode(t).length, `${id}: ${JSON.stringify(t.slice(0, 40))}`);
    const r = rng(7);
    const corpus = mixedCorpus(60_000, 3);
    for (let i = 0; i < 300; i++) {
      const a = Math.floor(r() * corpus.length);
      const piece = corpus.slice(a, a + 1 + Math.floor(r() * 400));
      assert.equal(tok.count(piece), tok.encode(piece).length, `${id} slice at ${a}`);
      // the second time comes from the piece cache
      assert.equal(tok.count(piece), tok.encode(piece).length);
    }
  }
});
