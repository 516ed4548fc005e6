import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InThreadCounter, RoutedCounter, countAll, type CountResult, type TextCounter } from '../../../src/core/tokens/counting';
import { loadTokenizer, type TokenizerId } from '../../../src/core/tokens/tokens';
import { MAX_UNCUT_RUN } from '../../../src/core/tokens/safeCuts';
import { WorkerCounter } from '../../../src/platform/node/countWorker';
import { SLICE_CHARS } from '../../../src/platform/countProtocol';
import { mixedCorpus, realCorpus } from '../../bench/corpus';

const IDS: TokenizerId[] = ['o200k_base', 'cl100k_base'];

test('the worker gives the same counts as the in-thread counter (texts sent in several slices too)', async (t) => {
  const worker = new WorkerCounter();
  t.after(() => worker.dispose());
  const near = new InThreadCounter();
  // A surrogate pair cut by the slice boundary must arrive whole.
  const pairAtBoundary = 'x'.repeat(SLICE_CHARS - 1) + '\u{1F600} done ' + mixedCorpus(50_000, 4);
  const texts = [mixedCorpus(30_000, 9), realCorpus(SLICE_CHARS * 2 + 1234), pairAtBoundary, 'one', ''];
  for (const id of IDS) {
    const tok = await loadTokenizer(id);
    for (const text of texts) {
      const far = await worker.count(id, text);
      assert.deepEqual(far, await near.count(id, text), `${id}, ${text.length} chars`);
      if (far.exact) assert.equal(far.tokens, tok.count(text), 'exact = a whole count');
    }
  }
  assert.equal(worker.started, 1, 'one worker, reused');
});

test('a selection change cancels the running count in the worker; the worker stays usable', async (t) => {
  const worker = new WorkerCounter();
  t.after(() => worker.dispose());
  // As the selection meter (src/extension/selectionMeter.ts) does: each count carries a signal, and a new
  // selection aborts the count still running; an aborted count gives no number.
  let running: AbortController | undefined;
  const latest = (text: string): Promise<CountResult | undefined> => {
    running?.abort();
    const ac = (running = new AbortController());
    return worker.count('o200k_base', text, { signal: ac.signal }).catch((e: unknown) => {
      if (ac.signal.aborted) return undefined;
      throw e;
    });
  };
  const big = realCorpus(1 << 20).repeat(6); // seconds of counting: still running when the selection changes
  const first = latest(big);
  const second = latest('the new selection');
  assert.equal(await first, undefined, 'the superseded count gives no number');
  assert.deepEqual(await second, { tokens: 3, exact: true });
  await worker.whenAnswered();
  assert.equal(worker.stoppedEarly, 1, 'the worker stopped the cancelled count part-way');
  assert.deepEqual(await worker.count('o200k_base', 'still here'), { tokens: 2, exact: true });
  assert.equal(worker.started, 1);

  // A text of one slice goes over at once, so the worker is already counting it when the cancel arrives.
  const oneSlice = latest(realCorpus(SLICE_CHARS - 1));
  running!.abort(); // the meter is disposed
  assert.equal(await oneSlice, undefined);
  await worker.whenAnswered();
  assert.equal(worker.stoppedEarly, 2, 'a count under way in the worker is stopped too');
});

test('an aborted count rejects with the signal reason, also before it starts', async (t) => {
  const worker = new WorkerCounter();
  t.after(() => worker.dispose());
  const ac = new AbortController();
  ac.abort(new Error('selection changed'));
  await assert.rejects(worker.count('o200k_base', 'text', { signal: ac.signal }), /selection changed/);
  await assert.rejects(new InThreadCounter().count('o200k_base', 'text', { signal: ac.signal }), /selection changed/);
});

test('adversarial inputs complete: runs past the bound are estimates within a token a cut, shorter ones exact', async () => {
  const tok = await loadTokenizer('o200k_base');
  const counter: TextCounter = new InThreadCounter();
  const cases = [
    { name: 'one 8,000-character word', text: 'a'.repeat(8000) },
    { name: '2,000 CJK characters without punctuation', text: '東京大阪名古屋横浜神戸京都札幌福岡'.repeat(125) },
    { name: 'a line of 20,000 "="', text: '='.repeat(20_000) },
    { name: 'a run just at the bound', text: 'b'.repeat(MAX_UNCUT_RUN) + ' end' },
  ];
  for (const c of cases) {
    const r = await counter.count('o200k_base', c.text);
    const whole = tok.count(c.text); // the heap merge: exact, O(n log n)
    const cuts = Math.floor(c.text.length / MAX_UNCUT_RUN);
    assert.equal(r.exact, c.text.length <= MAX_UNCUT_RUN + 4, `${c.name}: labelled ${r.exact ? 'exact' : 'estimate'}`);
    assert.ok(Math.abs(r.tokens - whole) <= cuts, `${c.name}: ${r.tokens} vs ${whole}`);
  }
});

test('a request input sums its parts (a huge one-word system prompt included); one estimate makes the sum one', async (t) => {
  const worker = new WorkerCounter();
  t.after(() => worker.dispose());
  const counter = new RoutedCounter(new InThreadCounter(), worker);
  const system = 'x'.repeat(1_000_000); // a workspace can set any systemPrompt
  const r = await countAll(counter, 'o200k_base', [system, 'Summarize this.', '']);
  const tok = await loadTokenizer('o200k_base');
  assert.equal(r.exact, false);
  assert.ok(Math.abs(r.tokens - (tok.count(system) + tok.count('Summarize this.'))) <= system.length / MAX_UNCUT_RUN);
  assert.deepEqual(await countAll(counter, 'o200k_base', ['You are terse.', 'Hi']), { tokens: tok.count('You are terse.') + 1, exact: true });
  assert.equal(worker.started, 1, 'the big part went to the worker');
});
