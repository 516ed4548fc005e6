// The cap and the stop sequences Lengthwise holds on a stream whose model takes neither (VS Code's language models).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OutputGuard } from '../../../src/core/generation/outputGuard';
import { loadTokenizer } from '../../../src/core/tokens/tokens';

/** A model whose tokenizer counts words (and records how often it was asked). */
function wordModel() {
  const calls: number[] = [];
  return {
    calls,
    count: async (t: string) => {
      const n = t.split(/\s+/).filter(Boolean).length;
      calls.push(n);
      return n;
    },
  };
}

async function run(guard: OutputGuard, pieces: string[]) {
  let out = '';
  for (const p of pieces) {
    const step = await guard.push(p);
    out += step.emit;
    if (step.stop) return { out, stop: step.stop };
  }
  return { out: out + guard.flush(), stop: undefined };
}

test('the cap holds to within one streamed piece, counted by the model near the cap only (a bounded number of counts)', async () => {
  const tok = await loadTokenizer('o200k_base');
  const m = wordModel();
  const guard = new OutputGuard({ maxTokens: 300, stop: [], countModel: m.count, tokenizer: tok });
  const pieces = Array.from({ length: 5_000 }, (_, i) => `word${i} `);
  const { out, stop } = await run(guard, pieces);
  assert.deepEqual(stop?.kind, 'length');
  const words = out.split(/\s+/).filter(Boolean).length;
  assert.ok(words === 300 || words === 301, `${words} words: stopped within one piece of the cap`);
  assert.ok(m.calls.length <= 12, `${m.calls.length} model counts for a cap of 300: ${m.calls.join(', ')}`);
  assert.equal(guard.modelCalls, m.calls.length);
});

test('a model that counts far fewer tokens than the local estimate still gets its whole cap (the projection is recalibrated)', async () => {
  const tok = await loadTokenizer('o200k_base');
  // One model token per 10 words.
  const calls: number[] = [];
  const countModel = async (t: string) => {
    const n = Math.floor(t.split(/\s+/).filter(Boolean).length / 10);
    calls.push(n);
    return n;
  };
  const guard = new OutputGuard({ maxTokens: 50, stop: [], countModel, tokenizer: tok });
  const { out, stop } = await run(guard, Array.from({ length: 5_000 }, () => 'a b c '));
  assert.equal(stop?.kind, 'length');
  assert.equal(Math.floor(out.split(/\s+/).filter(Boolean).length / 10), 50);
  assert.ok(calls.length <= 14, `${calls.length} counts`);
});

test('a stop sequence split across pieces is found; the text before it goes through, the rest does not', async () => {
  const guard = new OutputGuard({ maxTokens: 10_000, stop: ['```', 'END'], countModel: wordModel().count });
  const { out, stop } = await run(guard, ['Here is code:\n', '``', '`js\nconst x = 1;', 'more']);
  assert.deepEqual(stop, { kind: 'stop', sequence: '```' });
  assert.equal(out, 'Here is code:\n');
});

test('the earliest stop wins; among stops starting at the same place, the longest', async () => {
  const guard = new OutputGuard({ maxTokens: 10_000, stop: ['\n', '\n\n', 'x'], countModel: wordModel().count });
  const r = await run(guard, ['ab\n\ncd x']);
  assert.deepEqual(r, { out: 'ab', stop: { kind: 'stop', sequence: '\n\n' } });
});

test('no stop and no cap reached: every character goes through unchanged, the held-back tail at the end', async () => {
  const guard = new OutputGuard({ maxTokens: 10_000, stop: ['STOP'], countModel: wordModel().count });
  const pieces = ['Hello, ', 'wor', 'ld. S', 'TO', 'P is not split here: ST', 'OPS'];
  // "STOP" spans pieces 3-5: found.
  const r = await run(guard, pieces);
  assert.deepEqual(r, { out: 'Hello, world. ', stop: { kind: 'stop', sequence: 'STOP' } });
  const clean = new OutputGuard({ maxTokens: 10_000, stop: ['STOP'], countModel: wordModel().count });
  const text = ['Nothing to ', 'see; ST', 'O', 'RY: S', 'T'];
  assert.deepEqual(await run(clean, text), { out: text.join(''), stop: undefined });
});

test('a stop sequence and a 100,000-character piece: linear (one scan a piece)', async () => {
  const guard = new OutputGuard({ maxTokens: 1_000_000, stop: ['a'.repeat(50) + 'b'], countModel: async () => 0 });
  const t0 = performance.now();
  for (let i = 0; i < 20; i++) await guard.push('a'.repeat(100_000));
  assert.ok(performance.now() - t0 < 2_000, 'hang guard');
});

test('a piece of hundreds of tokens that crosses the cap is cut within a word of it (a host delivers big pieces)', async () => {
  const tok = await loadTokenizer('o200k_base');
  const m = wordModel();
  const guard = new OutputGuard({ maxTokens: 20, stop: [], countModel: m.count, tokenizer: tok });
  const big = Array.from({ length: 400 }, (_, i) => `w${i}`).join(' ');
  const { out, stop } = await run(guard, [big, big]);
  assert.equal(stop?.kind, 'length');
  const words = out.split(/\s+/).filter(Boolean).length;
  assert.ok(words >= 20 && words <= 21, `${words} words for a cap of 20`);
  assert.ok(big.startsWith(out.trimEnd()), 'the start of the piece, in order');
  assert.ok(m.calls.length <= 12, `${m.calls.length} counts`);
});
