import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeWhitespace, openFence, SeamJoiner, type SeamOptions } from '../../../src/core/generation/seam';
import { joinSeam } from './joinSeam';

interface Case {
  name: string;
  soFar: string;
  continuation: string;
  /** soFar + what the joiner appends. */
  joined: string;
  removed?: string;
  /** The continuation started the answer over. */
  restarted?: boolean;
  opts?: SeamOptions;
}

// About 330 characters without internal repetition.
const long = Array.from({ length: 12 }, (_, i) => `Point ${i + 1} covers topic ${String.fromCharCode(65 + i)}.`).join(' ') + ' ';

// Fifteen words: long enough for a restart of the answer to be told apart from an overlap.
const restartText = 'The capital of France is Paris. It is known for the Eiffel Tower, the Seine and';

const CASES: Case[] = [
  // prose
  { name: 'prose mid-word', soFar: 'The weather today is wonder', continuation: 'ful, with clear skies.', joined: 'The weather today is wonderful, with clear skies.' },
  { name: 'prose mid-word, model restates the partial word', soFar: 'The weather today is wonde', continuation: 'wonderful, with clear skies.', joined: 'The weather today is wonderful, with clear skies.', removed: 'wonde' },
  { name: 'mid-sentence, model starts with the space', soFar: 'The results show that the', continuation: ' new method is faster.', joined: 'The results show that the new method is faster.' },
  { name: 'mid-sentence, model restarts the sentence', soFar: 'It rained all day. The river rose and the', continuation: 'The river rose and the bridge closed.', joined: 'It rained all day. The river rose and the bridge closed.', removed: 'The river rose and the' },
  { name: 'sentence end gets a space before a capital', soFar: 'It rained all day.', continuation: 'The river rose.', joined: 'It rained all day. The river rose.' },
  { name: 'sentence end inside quotes gets a space', soFar: 'She said "stop."', continuation: 'Then she left.', joined: 'She said "stop." Then she left.' },
  { name: 'sentence end before an opening quote and a capital gets a space', soFar: 'He left.', continuation: '"Wait," she said.', joined: 'He left. "Wait," she said.' },
  { name: 'colon before a capital gets a space, :: does not', soFar: 'Note:', continuation: 'This is final.', joined: 'Note: This is final.' },
  { name: 'scope operator stays glued', soFar: 'use std::', continuation: 'Vec;', joined: 'use std::Vec;' },
  { name: 'comma gets a space when the line already uses ", "', soFar: 'We bought apples, pears,', continuation: 'plums.', joined: 'We bought apples, pears, plums.' },
  { name: 'CSV comma stays glued', soFar: 'id,name,city\n2,Bob,', continuation: 'Rome', joined: 'id,name,city\n2,Bob,Rome' },
  { name: 'decimal point stays glued', soFar: 'Pi is about 3.', continuation: '14159.', joined: 'Pi is about 3.14159.' },
  { name: 'new paragraph', soFar: 'First paragraph ends here.', continuation: '\n\nSecond paragraph.', joined: 'First paragraph ends here.\n\nSecond paragraph.' },
  { name: 'new paragraph: no doubled blank line', soFar: 'First paragraph ends here.\n\n', continuation: '\n\nSecond paragraph.', joined: 'First paragraph ends here.\n\nSecond paragraph.' },
  { name: 'trailing newline in the text so far, none in the continuation', soFar: 'Line one\n', continuation: 'Line two', joined: 'Line one\nLine two' },
  { name: 'trailing newline: a prefill continuation re-emits the trimmed newline once', soFar: 'Line one\n', continuation: '\nLine two', joined: 'Line one\nLine two' },
  { name: 'blank line trimmed from a prefill, model emits one newline', soFar: 'Intro:\n\n', continuation: '\n- item', joined: 'Intro:\n\n- item' },
  { name: 'CRLF seam', soFar: 'Line one\r\n', continuation: '\r\nLine two', joined: 'Line one\r\nLine two' },
  { name: 'restated words where the text so far broke the line', soFar: 'He left early.\n', continuation: 'early. Then it rained.', joined: 'He left early.\nThen it rained.', removed: 'early.' },
  // whitespace
  { name: 'leading whitespace: indentation is kept', soFar: 'def double(x):\n', continuation: '    return x * 2', joined: 'def double(x):\n    return x * 2' },
  { name: 'leading whitespace: no doubled space', soFar: 'The quick brown ', continuation: ' fox', joined: 'The quick brown fox' },
  { name: 'leading whitespace: indentation already in the text so far', soFar: 'if x:\n    ', continuation: '    y = 1', joined: 'if x:\n    y = 1' },
  // code
  { name: 'code mid-line, model restates the call', soFar: 'const total = compute(items, ', continuation: 'compute(items, taxRate);', joined: 'const total = compute(items, taxRate);', removed: 'compute(items,' },
  { name: 'code mid-identifier stays glued', soFar: 'const total = comp', continuation: 'ute(items);', joined: 'const total = compute(items);' },
  { name: 'inside a fenced block: no space after a dot', soFar: '```csharp\nvar line = Console.', continuation: 'ReadLine();\n```', joined: '```csharp\nvar line = Console.ReadLine();\n```' },
  { name: 'inside a fenced block, model restates the last lines', soFar: 'Code:\n```python\ndef f(x):\n    y = x + 1\n    retu', continuation: '    y = x + 1\n    return y\n```', joined: 'Code:\n```python\ndef f(x):\n    y = x + 1\n    return y\n```', removed: 'y = x + 1\n    retu' },
  { name: 're-opened fence line is dropped', soFar: 'Here:\n\n```python\ndef area(r):\n    pi = 3.14159\n', continuation: '```python\n    return pi * r * r\n```', joined: 'Here:\n\n```python\ndef area(r):\n    pi = 3.14159\n    return pi * r * r\n```', removed: '```python\n' },
  { name: 're-opened fence and restated line', soFar: '```js\nconst a = 1;\nconst b', continuation: '```js\nconst b = 2;\n```', joined: '```js\nconst a = 1;\nconst b = 2;\n```', removed: '```js\nconst b' },
  { name: 're-opened fence right after a line without newline', soFar: '```py\ndef f():', continuation: '```py\n    return 1\n```', joined: '```py\ndef f():\n    return 1\n```', removed: '```py\n' },
  { name: 're-opened fence with another tag, text so far ending in indentation', soFar: '```js\nif (a) {\n    ', continuation: '```javascript\n    b();\n}\n```', joined: '```js\nif (a) {\n    b();\n}\n```', removed: '```javascript\n' },
  { name: 're-opened fence with overlap removal switched off', soFar: '```js\nif (a) {\n    ', continuation: '```javascript\n    b();\n}\n```', joined: '```js\nif (a) {\n    b();\n}\n```', removed: '```javascript\n', opts: { maxOverlap: 0 } },
  { name: 're-opened ~~~ fence', soFar: '~~~sh\nnpm install\n', continuation: '~~~sh\nnpm test\n~~~', joined: '~~~sh\nnpm install\nnpm test\n~~~', removed: '~~~sh\n' },
  { name: 'fence that is not open is kept', soFar: 'Example:\n\n', continuation: '```python\nprint(1)\n```', joined: 'Example:\n\n```python\nprint(1)\n```' },
  { name: 'bare ``` closing an open fence is kept', soFar: '```py\nx = 1\n', continuation: '```\nDone.', joined: '```py\nx = 1\n```\nDone.' },
  { name: 'model restates the unterminated fence line itself', soFar: 'Here:\n```python', continuation: '```python\nprint(1)\n```', joined: 'Here:\n```python\nprint(1)\n```', removed: '```python' },
  // lines
  { name: 'full-line repeat of a partial last line', soFar: 'Step 1: install the package\nStep 2: configure the', continuation: 'Step 2: configure the settings\nStep 3: run it', joined: 'Step 1: install the package\nStep 2: configure the settings\nStep 3: run it', removed: 'Step 2: configure the' },
  { name: 'full-line repeat of a complete line', soFar: 'Step 1: install\nStep 2: configure settings\n', continuation: 'Step 2: configure settings\nStep 3: run', joined: 'Step 1: install\nStep 2: configure settings\nStep 3: run', removed: 'Step 2: configure settings' },
  { name: 'full-line repeat after a leading newline', soFar: 'Step 1: install\nStep 2: configure settings', continuation: '\nStep 2: configure settings\nStep 3: run', joined: 'Step 1: install\nStep 2: configure settings\nStep 3: run', removed: 'Step 2: configure settings' },
  { name: 'short repeated line is legitimate (end)', soFar: 'def a\n  if b\n    c\n  end', continuation: '\nend', joined: 'def a\n  if b\n    c\n  end\nend' },
  { name: 'short repeated line is legitimate (closing tag)', soFar: '<div>\n  <div>\n    <p>hi</p>\n  </div>', continuation: '\n</div>', joined: '<div>\n  <div>\n    <p>hi</p>\n  </div>\n</div>' },
  { name: 'short repeated line is legitimate (brace)', soFar: 'if (a) {\n  if (b) {\n    f();\n  }\n', continuation: '}', joined: 'if (a) {\n  if (b) {\n    f();\n  }\n}' },
  // overlap bounds
  { name: 'no overlap', soFar: 'Alpha beta', continuation: ' gamma delta', joined: 'Alpha beta gamma delta' },
  { name: 'continuation entirely overlap', soFar: 'And then the story ends.', continuation: 'the story ends.', joined: 'And then the story ends.', removed: 'the story ends.' },
  { name: 'continuation entirely overlap with whitespace around', soFar: 'And then the story ends.\n', continuation: '\nthe story ends.\n', joined: 'And then the story ends.\n', removed: 'the story ends.' },
  { name: 'short accidental overlap is kept', soFar: 'He said no', continuation: ' no, no, no.', joined: 'He said no no, no, no.' },
  { name: 'match starting inside a word is kept', soFar: 'Press the megaphone', continuation: 'phone button', joined: 'Press the megaphonephone button' },
  { name: 'a repeat of the whole answer longer than maxOverlap is a restart: only what follows it is kept', soFar: long.trimEnd(), continuation: long + 'Next.', joined: long + 'Next.', removed: long.trimEnd(), restarted: true },
  { name: 'repetition longer than maxOverlap of a text too short for a restart is not looked for', soFar: long.slice(0, 47).trimEnd(), continuation: long.slice(0, 47) + 'Next.', joined: long.slice(0, 47) + ' ' + long.slice(0, 47) + 'Next.', opts: { maxOverlap: 10 } },
  { name: 'a restated sentence within maxOverlap is removed', soFar: 'Intro. ' + long.slice(0, 150), continuation: long.slice(0, 150) + 'X', joined: 'Intro. ' + long.slice(0, 150) + 'X', removed: long.slice(0, 150).trimEnd() },
  { name: 'maxOverlap option bounds the search (and the words are not glued)', soFar: 'It rained all day. The river rose and the', continuation: 'The river rose and the bridge closed.', joined: 'It rained all day. The river rose and the The river rose and the bridge closed.', opts: { maxOverlap: 10 } },
  // word boundaries
  { name: 'a capitalised word after a lowercase word gets a space (no "theThe")', soFar: 'The report covers the', continuation: 'The results follow.', joined: 'The report covers the The results follow.' },
  { name: 'a word cut in the middle still joins in lowercase', soFar: 'The report covers the resul', continuation: 'ts of the year.', joined: 'The report covers the results of the year.' },
  { name: 'camelCase inside a fence stays glued', soFar: '```js\nconst v = get', continuation: 'Value();\n```', joined: '```js\nconst v = getValue();\n```' },
  { name: 'camelCase inside inline code stays glued', soFar: 'Call `get', continuation: 'Value()` first.', joined: 'Call `getValue()` first.' },
  { name: 'all-caps after a lowercase word stays glued (an acronym may go on)', soFar: 'The value is in', continuation: 'XML format.', joined: 'The value is inXML format.' },
  // restarts of the whole answer
  {
    name: 'the same answer again within maxOverlap is an overlap, then the missing rest',
    soFar: restartText,
    continuation: restartText + ' the Louvre, which holds the Mona Lisa.',
    joined: restartText + ' the Louvre, which holds the Mona Lisa.',
    removed: restartText,
  },
  {
    name: 'restart: the same answer again with its first word changed',
    soFar: restartText,
    continuation: 'Paris: the capital of France is Paris. It is known for the Eiffel Tower, the Seine and the Louvre.',
    joined: restartText + ' the Louvre.',
    removed: 'Paris: the capital of France is Paris. It is known for the Eiffel Tower, the Seine and',
    restarted: true,
  },
  { name: 'an overlap after a trailing space ends on a word boundary', soFar: 'We went to see the ', continuation: 'see theatre tonight.', joined: 'We went to see the see theatre tonight.' },
  {
    name: 'restart reworded in its first words, cut mid-word before',
    soFar: restartText + ' the Lou',
    continuation: "France's capital is Paris. It is known for the Eiffel Tower, the Seine and the Louvre, which holds the Mona Lisa.",
    joined: restartText + ' the Louvre, which holds the Mona Lisa.',
    removed: "France's capital is Paris. It is known for the Eiffel Tower, the Seine and the Lou",
    restarted: true,
  },
  {
    name: 'restart that never reaches the end of the text so far adds nothing',
    soFar: restartText,
    continuation: 'The capital of France is Paris. It is famous for its museums.',
    joined: restartText,
    removed: 'The capital of France is Paris. It is famous for its museums.',
    restarted: true,
  },
  {
    name: 'restart with a trailing space: the last word must end where it ended',
    soFar: restartText + ' the ',
    continuation: restartText + ' theatre and the opera.',
    joined: restartText + ' the ',
    removed: restartText + ' theatre and the opera.',
    restarted: true,
  },
  {
    name: 'a continuation that mentions the opening words later is not a restart',
    soFar: restartText,
    continuation: ' the bridges. Visitors say the capital of France is Paris at its best in spring.',
    joined: restartText + ' the bridges. Visitors say the capital of France is Paris at its best in spring.',
  },
  { name: 'no restart is looked for in a short text so far', soFar: 'The capital of France', continuation: 'The capital of France is Paris.', joined: 'The capital of France is Paris.', removed: 'The capital of France' },
  // Unicode
  { name: 'CJK restated after a full stop', soFar: '今天天气很好。然后我们去', continuation: '然后我们去公园散步。', joined: '今天天气很好。然后我们去公园散步。', removed: '然后我们去' },
  { name: 'CJK restated inside a run (no spaces between words)', soFar: '我喜欢吃苹果和香蕉', continuation: '苹果和香蕉还有橙子。', joined: '我喜欢吃苹果和香蕉还有橙子。', removed: '苹果和香蕉' },
  { name: 'CJK continuation gets no space after 。', soFar: '今天天气很好。', continuation: '我们去公园。', joined: '今天天气很好。我们去公园。' },
  { name: 'emoji with skin tone restated', soFar: 'Great job 👍🏽 see you', continuation: '👍🏽 see you tomorrow!', joined: 'Great job 👍🏽 see you tomorrow!', removed: '👍🏽 see you' },
  { name: 'repeated emoji is not an overlap (too short)', soFar: 'So happy 😀', continuation: '😀😀 yes', joined: 'So happy 😀😀😀 yes' },
  { name: 'overlap never starts inside a ZWJ emoji', soFar: 'go 👨‍👩‍👧 team win', continuation: '👩‍👧 team win!', joined: 'go 👨‍👩‍👧 team win👩‍👧 team win!' },
  { name: 'combining marks restated', soFar: 'Un cafe\u0301 cre\u0300me', continuation: 'cafe\u0301 cre\u0300me bru\u0302le\u0301e.', joined: 'Un cafe\u0301 cre\u0300me bru\u0302le\u0301e.', removed: 'cafe\u0301 cre\u0300me' },
  { name: 'combining mark continuing the last letter', soFar: 'Un cafe', continuation: '\u0301 noir.', joined: 'Un cafe\u0301 noir.' },
  { name: 'capital after a sentence end, astral letter', soFar: 'End.', continuation: '𝐀 bold start', joined: 'End. 𝐀 bold start' },
  // ends
  { name: 'continuation shorter than the hold window, a prefix of a possible overlap', soFar: 'The quick brown fox jumps over the lazy dog.', continuation: 'The quick', joined: 'The quick brown fox jumps over the lazy dog. The quick' },
  { name: 'empty continuation', soFar: 'Almost done', continuation: '', joined: 'Almost done' },
  { name: 'whitespace-only continuation', soFar: 'Done.', continuation: '\n', joined: 'Done.\n' },
  { name: 'empty text so far', soFar: '', continuation: 'Hello there.', joined: 'Hello there.' },
];

// Deterministic PRNG so a failure can be reproduced.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Split at random UTF-16 positions (surrogate pairs included), with empty deltas now and then. */
function chunk(text: string, rand: () => number, maxLen: number): string[] {
  const parts: string[] = [];
  let i = 0;
  while (i < text.length) {
    const n = Math.floor(rand() * (maxLen + 1));
    parts.push(text.slice(i, i + n));
    i += n;
  }
  return parts;
}

function stream(soFar: string, parts: string[], opts?: SeamOptions): { append: string; removed: string; restarted: boolean } {
  const j = new SeamJoiner(soFar, opts);
  let append = '';
  for (const p of parts) append += j.push(p);
  append += j.flush();
  return { append, removed: j.removed, restarted: j.restarted };
}

for (const c of CASES) {
  test(`seam: ${c.name}`, () => {
    const batch = joinSeam(c.soFar, c.continuation, c.opts);
    assert.equal(c.soFar + batch.append, c.joined);
    assert.equal(batch.removed, c.removed ?? '');
    assert.equal(batch.restarted, c.restarted ?? false);

    const rand = rng(c.name.length * 7919 + c.continuation.length);
    const chunkings: string[][] = [[...c.continuation].map((ch) => ch), c.continuation.split('')];
    for (let k = 0; k < 40; k++) chunkings.push(chunk(c.continuation, rand, 1 + (k % 6)));
    for (const parts of chunkings) {
      assert.deepEqual(stream(c.soFar, parts, c.opts), batch, `chunks ${JSON.stringify(parts)}`);
    }
    // A tiny hold window forces early decisions; streaming must still equal batch with the same options.
    for (const holdChars of [1, 3, 8]) {
      const opts = { ...c.opts, holdChars };
      const small = joinSeam(c.soFar, c.continuation, opts);
      for (let k = 0; k < 10; k++) {
        const parts = chunk(c.continuation, rand, 1 + (k % 4));
        assert.deepEqual(stream(c.soFar, parts, opts), small, `hold ${holdChars}, chunks ${JSON.stringify(parts)}`);
      }
    }
  });
}

test('seam: streaming equals batch on random texts built to overlap', () => {
  const rand = rng(42);
  const pieces = ['a', 'bc', 'Ab', '.', ' ', '\n', '\n\n', '```', '```py\n', '~~~', '😀', 'é', 'e\u0301', ',', ': ', '\t', 'B.', '好'];
  const gen = (n: number): string => {
    let s = '';
    for (let k = Math.floor(rand() * n); k > 0; k--) s += pieces[Math.floor(rand() * pieces.length)];
    return s;
  };
  for (let it = 0; it < 3000; it++) {
    const soFar = gen(14);
    const cut = Math.floor(rand() * (soFar.length + 1));
    const continuation = (rand() < 0.6 ? soFar.slice(cut) : '') + gen(10);
    const opts: SeamOptions = { holdChars: rand() < 0.3 ? 1 + Math.floor(rand() * 12) : undefined, maxOverlap: rand() < 0.2 ? 6 : undefined };
    const batch = joinSeam(soFar, continuation, opts);
    const parts = chunk(continuation, rand, 4);
    assert.deepEqual(stream(soFar, parts, opts), batch, JSON.stringify({ soFar, parts, opts }));
  }
});

test('seam: the joiner holds a possible overlap back and releases it at the end of the stream', () => {
  const j = new SeamJoiner('The quick brown fox jumps over the lazy dog.');
  assert.equal(j.push('The '), '');
  assert.equal(j.push('quick'), '');
  assert.equal(j.flush(), ' The quick');
  assert.equal(j.push(' more'), ' more', 'after the decision deltas pass through');
});

test('seam: the joiner releases text as soon as the overlap is decided', () => {
  const j = new SeamJoiner('It rained all day. The river rose and the');
  assert.equal(j.push('The river'), '');
  assert.equal(j.push(' rose and the bri'), ' bri');
  assert.equal(j.removed, 'The river rose and the');
  assert.equal(j.push('dge closed.'), 'dge closed.');
  assert.equal(j.flush(), '');
});

test('seam: a continuation that never resolves is released once the hold window is full', () => {
  const j = new SeamJoiner('abc', { holdChars: 10 });
  assert.equal(j.push('      '), '', 'leading whitespace alone is undecided');
  const out = j.push('      xyz');
  assert.equal(out, '            xyz', 'decided with the first 10 characters, the rest passes through');
});

test('seam: a long possible overlap is decided when the hold window is full, not at the end', () => {
  const j = new SeamJoiner('x 0123456789abcdef', { holdChars: 10 });
  // Could still be a restatement of the 16-character suffix, but only 10 characters may be held.
  assert.equal(j.push('0123456789abc'), '0123456789abc');
  assert.equal(j.flush(), '');
  const unbounded = new SeamJoiner('x 0123456789abcdef');
  assert.equal(unbounded.push('0123456789abc'), '', 'with the default hold the same text waits');
});

test('seam: a plain continuation is not held back', () => {
  const j = new SeamJoiner('Alpha beta');
  assert.equal(j.push(' gam'), ' gam');
});

test('mergeWhitespace: the shared run of whitespace counts once', () => {
  assert.equal(mergeWhitespace('\n', '\n\n'), '\n');
  assert.equal(mergeWhitespace('\n\n', '\n'), '');
  assert.equal(mergeWhitespace('\n    ', '    '), '');
  assert.equal(mergeWhitespace('\n', '    '), '    ');
  assert.equal(mergeWhitespace('', ' '), ' ');
  assert.equal(mergeWhitespace(' ', '\n'), '\n');
});

test('openFence: counts fences, ignores inline triple backticks, matches the fence character', () => {
  assert.deepEqual(openFence('a\n```py\nx'), { char: '`', length: 3 });
  assert.equal(openFence('a\n```py\nx\n```\n'), null);
  assert.equal(openFence('use ```x``` inline'), null);
  assert.deepEqual(openFence('~~~\n```\n'), { char: '~', length: 3 }, '``` does not close ~~~');
  assert.deepEqual(openFence('````md\n```\n'), { char: '`', length: 4 }, 'a shorter fence does not close a longer one');
  assert.deepEqual(openFence('1. step\n    ```sh\n    ls'), { char: '`', length: 3 }, 'indented fence in a list');
});
