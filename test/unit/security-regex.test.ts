// Text nobody chose (a selection, a server's answer) must not make a regex or a scan take seconds on the
// extension host's thread: the stop-sequence lint runs on every selection change, the trim before each round.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintStops, LINT_LIMITS } from '../../src/core/models/stops';
import { continuationPlan } from '../../src/core/generation/continuation';
import { withHint } from '../../src/core/generation/lengthHint';
import { HANG_BOUND_MS, MB, timed } from './adversarial';

test(`security: stop lint on 1 MB of one letter with that letter as the stop ends within ${HANG_BOUND_MS} ms`, () => {
  const { value, ms } = timed(() => lintStops(['a'], 'a'.repeat(MB)));
  assert.ok(ms < HANG_BOUND_MS, `${ms.toFixed(0)} ms`);
  assert.ok(value.some((w) => w.includes('occurs inside')), 'still warns');
});

test(`security: stop lint on 1 MB of "END" repeated, 16 stops, ends within ${HANG_BOUND_MS} ms`, () => {
  const prompt = 'END'.repeat(MB / 3);
  const { value, ms } = timed(() => lintStops(Array.from({ length: 16 }, (_, i) => (i % 2 ? 'END' : 'DE'.repeat(1 + i))), prompt));
  assert.ok(ms < HANG_BOUND_MS, `${ms.toFixed(0)} ms`);
  assert.ok(value.length > 0);
});

test('security: the stop lint names at most three words, each cut to a readable length', () => {
  const w = lintStops(['end'], 'x'.repeat(5000) + 'end' + 'y'.repeat(5000) + ' weekend legend ascend');
  const inside = w.find((x) => x.includes('occurs inside'))!;
  assert.ok(inside.length < 400, inside);
  assert.match(inside, /"…x+endy+…", "weekend", "legend"/);
});

test('security: hits past the cap are reported as a lower bound, and extra stops are named as not checked', () => {
  const w = lintStops(['.'], '. '.repeat(LINT_LIMITS.maxHits + 5));
  assert.ok(w.some((x) => x.includes(`(${LINT_LIMITS.maxHits}× or more)`)), w.join('\n'));
  const many = lintStops(Array.from({ length: 40 }, (_, i) => `stop${i}`), 'text');
  assert.ok(many.some((x) => x.startsWith(`only the first ${LINT_LIMITS.maxStops} of 40`)));
});

test(`security: 1 MB of spaces at the end of a server's answer is trimmed before a continuation within ${HANG_BOUND_MS} ms`, () => {
  const tail = ' \n\t'.repeat(1000);
  const answer = 'x' + ' '.repeat(MB) + 'y' + tail;
  const { value, ms } = timed(() => continuationPlan([{ role: 'user', content: 'q' }], answer, 'prefill'));
  assert.ok(ms < HANG_BOUND_MS, `${ms.toFixed(0)} ms`);
  assert.equal(value.messages.at(-1)!.content, 'x' + ' '.repeat(MB) + 'y');
  assert.equal(value.trimmedSuffix, tail);
});

test(`security: a system prompt with 100,000 spaces before its last word gets its length hint within ${HANG_BOUND_MS} ms`, () => {
  const system = `Be brief.${' '.repeat(100_000)}x`;
  const { value, ms } = timed(() => withHint(system, 'Answer in about 200 words.'));
  assert.ok(ms < HANG_BOUND_MS, `${ms.toFixed(0)} ms`);
  assert.ok(value.endsWith('x\n\nAnswer in about 200 words.'));
});
