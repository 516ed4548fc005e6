import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Tiktoken } from 'js-tiktoken/lite';
import { asciiPattern, loadRanks, loadTokenizer, nonCapturing, type TokenizerId } from '../../../src/core/tokens/tokens';
import { mixedCorpus, realCorpus, rng } from '../../bench/corpus';

const IDS: TokenizerId[] = ['o200k_base', 'cl100k_base'];

// js-tiktoken's own encode is the reference: the heap merge must give the same count on every piece.
test('the heap merge counts like js-tiktoken on fuzzed text and on long runs without a break', async () => {
  for (const id of IDS) {
    const reference = new Tiktoken(await loadRanks(id));
    const tok = await loadTokenizer(id);
    const r = rng(id === 'o200k_base' ? 11 : 12);
    const corpus = mixedCorpus(120_000, 3);
    for (let i = 0; i < 400; i++) {
      const at = Math.floor(r() * (corpus.length - 400));
      const text = corpus.slice(at, at + 1 + Math.floor(r() * 400));
      assert.equal(tok.count(text), reference.encode(text, [], []).length, `${id}: ${JSON.stringify(text)}`);
    }
    // One long piece each: the shapes that made js-tiktoken's merge quadratic (kept short enough for the reference).
    const runs = ['a'.repeat(700), '東京大阪名古屋横浜神戸京都札幌福岡'.repeat(25), '='.repeat(500), 'ab'.repeat(300), '\u{1F600}'.repeat(120), ' '.repeat(900) + 'x'];
    for (const text of runs) assert.equal(tok.count(text), reference.encode(text, [], []).length, `${id}: run of ${text.length}`);
  }
});

// The split patterns run without capturing groups: no group is left, and the pieces are the same.
test('nonCapturing: the split patterns lose their groups, not their pieces', async () => {
  const groups = (pat: string, flags: string) => (new RegExp(`${pat}|`, flags).exec('') ?? []).length - 1;
  for (const id of IDS) {
    const { pat_str } = await loadRanks(id);
    const ascii = asciiPattern(pat_str)!;
    assert.ok(groups(pat_str, 'u') > 0, `${id}: the pattern as shipped has groups`);
    assert.equal(groups(nonCapturing(pat_str), 'u'), 0, id);
    assert.equal(groups(nonCapturing(ascii), ''), 0, id);
    const text = mixedCorpus(100_000, 7);
    assert.deepEqual(text.match(new RegExp(nonCapturing(pat_str), 'ug')), text.match(new RegExp(pat_str, 'ug')), id);
    const asciiText = realCorpus(100_000).replace(/[^\x00-\x7f]/g, ' ');
    assert.deepEqual(asciiText.match(new RegExp(nonCapturing(ascii), 'g')), asciiText.match(new RegExp(ascii, 'g')), id);
  }
  // Escapes and classes are copied as they are: only a bare "(" opens a group.
  assert.equal(nonCapturing(String.raw`\(a\)[(]x(?=y)(z)`), String.raw`\(a\)[(]x(?=y)(?:z)`);
});

// Mostly-ASCII text goes through the ASCII split pattern between safe cuts: same pieces, same count.
test('the ASCII split pattern matches ASCII text like the Unicode one; mixed text counts like js-tiktoken', async () => {
  for (const id of IDS) {
    const { pat_str } = await loadRanks(id);
    const ascii = asciiPattern(pat_str);
    assert.ok(ascii, `${id}: the pattern has an ASCII form`);
    let printable = '';
    for (let c = 0; c < 128; c++) printable += String.fromCharCode(c);
    const r = rng(5);
    const asciiText = realCorpus(200_000).replace(/[^\x00-\x7f]/g, () => printable[Math.floor(r() * 128)]);
    const pieces = (re: RegExp) => asciiText.match(re) ?? [];
    assert.deepEqual(pieces(new RegExp(ascii, 'g')), pieces(new RegExp(pat_str, 'ug')), id);

    const reference = new Tiktoken(await loadRanks(id));
    const tok = await loadTokenizer(id);
    const corpus = realCorpus(300_000); // code and prose with lines of other scripts between
    for (let i = 0; i < 60; i++) {
      const at = Math.floor(r() * (corpus.length - 5000));
      const text = corpus.slice(at, at + 1 + Math.floor(r() * 5000));
      assert.equal(tok.count(text), reference.encode(text, [], []).length, `${id} at ${at}`);
    }
  }
  assert.equal(asciiPattern('\\p{Greek}+'), undefined, 'an unknown class: no ASCII form');
});
