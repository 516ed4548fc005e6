// Parts sized by the tokenizer that will read them: the server's own counts when it has them, else a stated margin;
// and how far a part the server refused for length is cut.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ESTIMATE_MARGIN, fitParts, resplitSize } from '../../../../src/core/generation/jobs/fitParts';

// A "server" whose tokenizer counts 4 tokens per word and 1 per other character; the local count is a word a token.
const local = (t: string) => (t.match(/\S+/g) ?? []).length;
const server = async (t: string) => (t.match(/\S+/g) ?? []).reduce((a, w) => a + 4 + (w.length > 6 ? 3 : 0), 0);
const text = Array.from({ length: 60 }, (_, i) => `Paragraph ${i} ` + Array.from({ length: 30 }, (_, w) => (w % 5 === 0 ? 'extraordinary' : `w${w}`)).join(' ') + '.').join('\n\n');

test("with the server's counts: every part fits by the server's count, and says so", async () => {
  let calls = 0;
  const r = await fitParts(text, { maxTokens: 500, count: local, exact: async (t) => (calls++, server(t)) });
  assert.ok(r.exact);
  assert.equal(r.margin, 0);
  for (const p of r.parts) {
    assert.equal(p.tokens, await server(p.text), 'the part carries the server count');
    assert.ok(p.tokens <= 500, String(p.tokens));
  }
  assert.ok(r.ratio > 4, String(r.ratio));
  assert.equal(r.parts.map((p) => text.slice(p.contentStart, p.end)).join(''), text, 'the parts tile the input');
  assert.ok(calls <= 1 + 3 * r.parts.length, `${calls} server counts`);
});

test('without them: parts sized by the local count with the stated margin', async () => {
  const r = await fitParts(text, { maxTokens: 230, count: local, estimateMargin: ESTIMATE_MARGIN });
  assert.equal(r.exact, false);
  assert.equal(r.margin, ESTIMATE_MARGIN);
  assert.ok(r.parts.every((p) => p.tokens <= Math.floor(230 / 1.15)));
  const none = await fitParts(text, { maxTokens: 230, count: local, exact: async () => undefined, estimateMargin: 0 });
  assert.equal(none.exact, false, 'a server that does not answer: estimates');
});

test('a refused part: cut to what the server says fits, else in half; never below 32 tokens', () => {
  // The server counted 4,223 (prompt and 8 max tokens) where we counted 1,000 input (900 of them the part): 4.2×.
  const size = resplitSize({ textTokens: 900, inputTokens: 1000, maxTokens: 8, context: { requestTokens: 4223, window: 2048 } })!;
  assert.ok(size > 300 && size < 400, String(size));
  assert.equal(resplitSize({ textTokens: 900, inputTokens: 1000, maxTokens: 8 }), 450);
  assert.equal(resplitSize({ textTokens: 40, inputTokens: 60, maxTokens: 8 }), undefined);
  assert.equal(resplitSize({ textTokens: 900, inputTokens: 1000, maxTokens: 3000, context: { requestTokens: 4223, window: 2048 } }), undefined, 'max tokens alone over the window: cutting cannot help');
});
