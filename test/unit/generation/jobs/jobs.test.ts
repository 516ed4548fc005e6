import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadTokenizer, type Tokenizer } from '../../../../src/core/tokens/tokens';
import { isSafeCut } from '../../../../src/core/tokens/safeCuts';
import { splitTextAsync, checkSplitOptions, type TextPart } from '../../../../src/core/generation/jobs/split';
import { inputRoom, planJob } from '../../../../src/core/generation/jobs/jobPlan';
import { customIdFor, matchBatchResults, pollDelayMs, type BatchItemResult } from '../../../../src/core/generation/jobs/batch';
import { runJob, separatorBefore } from '../../../../src/core/generation/jobs/runJob';
import { fingerprint, landing, parsePending, parsePendingList, pendingText, type PendingBatch } from '../../../../src/core/generation/jobs/pending';
import { batchPrice } from '../../../../src/core/pricing/batch';
import { costOf, findPrice, worstCaseCost, type ModelPrice } from '../../../../src/core/pricing/cost';
import { findModel } from '../../../../src/core/models/models';
import { planPartRequest } from '../../../../src/core/generation/jobs/liveJob';
import { mapSystem, reduceSystem } from '../../../../src/core/generation/jobs/prompts';
import { hintFigures } from '../../../../src/core/generation/lengthHint';
import { countChatInput } from '../../../../src/core/tokens/chatInput';
import { DEFAULT_SETTINGS } from '../../../../src/core/settings/settings';
import { mixedCorpus, rng } from '../../../bench/corpus';

let tok: Tokenizer;
const count = (t: string) => tok.count(t);
test.before(async () => {
  tok = await loadTokenizer('o200k_base');
});

function checkParts(text: string, parts: TextPart[], max: number) {
  assert.equal(parts.map((p) => text.slice(p.contentStart, p.end)).join(''), text, 'the parts’ own content tiles the input');
  for (const p of parts) {
    assert.equal(p.text, text.slice(p.start, p.end));
    assert.equal(p.tokens, tok.encode(p.text).length, 'token counts are exact (o200k encode)');
    assert.ok(p.tokens <= max, `part ${p.index} has ${p.tokens} > ${max} tokens`);
    assert.ok(p.start <= p.contentStart && p.contentStart < p.end);
  }
  parts.forEach((p, i) => assert.equal(p.index, i));
}

const para = (n: number, words = 40) =>
  Array.from({ length: n }, (_, i) => `Paragraph ${i} ` + Array.from({ length: words }, (_, w) => `word${(i * 7 + w) % 13}`).join(' ') + '.').join('\n\n');

test('split: text that fits is one part; empty text is no part', async () => {
  assert.deepEqual(await splitTextAsync('', { maxTokens: 10, count }), []);
  const parts = await splitTextAsync('Hello world.', { maxTokens: 10, count });
  assert.equal(parts.length, 1);
  assert.equal(parts[0]!.tokens, count('Hello world.'));
});

test('split: paragraphs stay whole when they fit, cuts fall on blank lines', async () => {
  const text = para(12);
  const one = count(para(1));
  const max = one * 3 + 10;
  const parts = await splitTextAsync(text, { maxTokens: max, count });
  checkParts(text, parts, max);
  assert.ok(parts.length >= 4 && parts.length <= 6, `${parts.length} parts`);
  for (const p of parts.slice(0, -1)) assert.match(text.slice(p.end - 2, p.end), /\n\n$/, 'each cut is right after a blank line');
});

// Issue 28: Send on a 5 MB selection stalled the editor 273-300 ms — the split counted the whole selection (and each
// part whose cuts are not all safe) again on the editor's thread. Given the worker's count and a way to count long
// texts there, it counts no text of 64 KB or more itself, and cuts the same parts (failed before: no such options;
// the whole text was counted here).
test('split: with the count known and long texts counted elsewhere, no long text is counted on this thread; same parts', async () => {
  const text = mixedCorpus(400_000, 7);
  const max = 30_000;
  const here: number[] = [];
  const spy = (t: string) => {
    here.push(t.length);
    return count(t);
  };
  const elsewhere: number[] = [];
  const before = await splitTextAsync(text, { maxTokens: max, overlapTokens: 200, count, isSafeCut });
  const now = await splitTextAsync(text, {
    maxTokens: max,
    overlapTokens: 200,
    count: spy,
    isSafeCut,
    wholeTokens: count(text),
    countAsync: async (t) => {
      elsewhere.push(t.length);
      return count(t);
    },
  });
  assert.ok(before.length >= 3, `${before.length} parts`);
  assert.deepEqual(now.map((p) => [p.start, p.end, p.tokens]), before.map((p) => [p.start, p.end, p.tokens]));
  assert.deepEqual(here.filter((n) => n >= 64 * 1024), [], 'no long text counted on this thread');
  // An inexact count from elsewhere (undefined) is made here instead: the parts stay exact.
  const fallback = await splitTextAsync(text, { maxTokens: max, overlapTokens: 200, count, isSafeCut, countAsync: async () => undefined });
  assert.deepEqual(fallback.map((p) => p.tokens), before.map((p) => p.tokens));
});

test('split: prefers the strongest boundary in the second half of a part', async () => {
  // One paragraph of 3 lines, then many single lines: the part should close at the blank line, not mid-lines.
  const lines = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag} line ${i} with some words in it`).join('\n');
  const text = `${lines(6, 'A')}\n\n${lines(30, 'B')}`;
  const max = count(lines(8, 'A'));
  const parts = await splitTextAsync(text, { maxTokens: max, count });
  checkParts(text, parts, max);
  assert.equal(parts[0]!.end, text.indexOf('\n\n') + 2, 'first part ends at the blank line');
  for (const p of parts.slice(1, -1)) assert.equal(text[p.end - 1], '\n', 'then at line ends');
});

test('split: sentences, then spaces, then forced cuts — never over the limit', async () => {
  const sentences = Array.from({ length: 50 }, (_, i) => `Sentence number ${i} says something about item ${i * 3}.`).join(' ');
  let parts = await splitTextAsync(sentences, { maxTokens: 40, count });
  checkParts(sentences, parts, 40);
  for (const p of parts.slice(0, -1)) assert.match(sentences.slice(p.contentStart, p.end), /\.\s$/, 'cut after a sentence end');

  const noSentences = Array.from({ length: 300 }, (_, i) => `w${i}`).join(' ');
  parts = await splitTextAsync(noSentences, { maxTokens: 25, count });
  checkParts(noSentences, parts, 25);
  for (const p of parts.slice(0, -1)) assert.equal(noSentences[p.end - 1], ' ');

  const run = 'x'.repeat(5000) + '日本語のテキスト'.repeat(200) + '😀'.repeat(300);
  parts = await splitTextAsync(run, { maxTokens: 50, count });
  checkParts(run, parts, 50);
  for (const p of parts) assert.ok(!/^[\udc00-\udfff]/.test(p.text), 'no part starts inside a surrogate pair');
});

test('split: overlap repeats the end of the previous part and stays within the limit', async () => {
  const text = para(20, 30);
  const max = 200;
  const parts = await splitTextAsync(text, { maxTokens: max, overlapTokens: 60, count });
  checkParts(text, parts, max);
  assert.equal(parts[0]!.start, 0);
  let overlapped = 0;
  for (const p of parts.slice(1)) {
    const prev = parts[p.index - 1]!;
    assert.ok(p.start >= prev.contentStart && p.start <= p.contentStart);
    if (p.start < p.contentStart) {
      overlapped++;
      assert.ok(count(text.slice(p.start, p.contentStart)) <= 60, 'overlap within its budget');
      assert.ok(prev.text.endsWith(text.slice(p.start, p.contentStart)));
    }
  }
  assert.ok(overlapped >= parts.length - 2, 'most parts carry an overlap');
  assert.match(checkSplitOptions({ maxTokens: 100, overlapTokens: 60, count }) ?? '', /at most half/);
  await assert.rejects(splitTextAsync(text, { maxTokens: 100, overlapTokens: 60, count }), /at most half/);
});

test('split: code is cut between top-level blocks', async () => {
  const fn = (i: number) => `function f${i}(a, b) {\n  const x = a + b;\n\n  return x * ${i};\n}\n`;
  const text = Array.from({ length: 20 }, (_, i) => fn(i)).join('\n');
  const max = count(fn(0)) * 3;
  const parts = await splitTextAsync(text, { maxTokens: max, count, code: true });
  checkParts(text, parts, max);
  for (const p of parts.slice(1)) assert.match(p.text, /^function f\d+/, 'each part starts at a function');
});

test('split: fuzz — random mixed text, limits and overlaps: exact, tiled, never over', async () => {
  const r = rng(7);
  const corpus = mixedCorpus(60_000);
  for (let n = 0; n < 25; n++) {
    const a = Math.floor(r() * (corpus.length - 8000));
    const text = corpus.slice(a, a + 1000 + Math.floor(r() * 7000));
    const max = 20 + Math.floor(r() * 400);
    const overlapTokens = r() < 0.5 ? 0 : Math.floor(r() * (max / 2));
    const opts = { maxTokens: max, overlapTokens, count, code: r() < 0.3 };
    const parts = await splitTextAsync(text, opts);
    checkParts(text, parts, max);
    // Summing atom counts at safe cuts instead of recounting gives the same, exact parts.
    const fast = await splitTextAsync(text, { ...opts, isSafeCut }, 1);
    checkParts(text, fast, max);
    assert.deepEqual(fast.map((p) => [p.start, p.end]), parts.map((p) => [p.start, p.end]));
  }
});

test('inputRoom: window minus answer and margin, the model input limit, the setting', () => {
  const models = { tiny: { contextWindow: 1000, maxOutputTokens: 200 } };
  const tiny = findModel('openai-compatible', 'tiny', models);
  const r = inputRoom(tiny, 100, true, null)!;
  assert.equal(r.tokens, 1000 - 100 - 64);
  assert.equal(r.maxTokens, 100);
  assert.equal(inputRoom(tiny, 500, true, null)!.maxTokens, 200, 'answer capped by the model');
  const est = inputRoom(tiny, 100, false, null)!;
  assert.ok(est.tokens < r.tokens && est.tokens + 100 + 64 + Math.ceil(est.tokens * 0.05) <= 1000, 'estimates keep the 5% margin');
  const set = inputRoom(tiny, 100, true, 300)!;
  assert.equal(set.tokens, 300);
  assert.match(set.limitedBy, /lengthwise\.chunking\.maxInputTokens/);
  const gpt5 = inputRoom(findModel('openai', 'gpt-5', {}), 1024, true, null)!;
  assert.equal(gpt5.tokens, 272_000);
  assert.equal(inputRoom(undefined, 100, true, null), undefined);
  assert.equal(inputRoom(undefined, 100, true, 5000)!.tokens, 5000);
});

const price: ModelPrice = { model: 'm', inputPerM: 2, outputPerM: 8, source: 'test', date: '' };

test('planJob: chunks = one request per part at the same worst case the meter uses', () => {
  const plan = planJob({ strategy: 'chunks', partTokens: [100, 200, 50], overheadTokens: 10, maxTokens: 300, summaryMaxTokens: 64, room: 400, price });
  assert.equal(plan.requests.length, 3);
  assert.equal(plan.inputTokens, 380);
  assert.equal(plan.maxOutputTokens, 900);
  const expected = [110, 210, 60].reduce((s, t) => s + worstCaseCost(t, 300, price)!, 0);
  assert.ok(Math.abs(plan.worstCaseUsd! - expected) < 1e-12);
  assert.ok(Math.abs(plan.worstCaseUsd! - (380 * 2 + 900 * 8) / 1e6) < 1e-12);
  assert.equal(planJob({ strategy: 'chunks', partTokens: [1], overheadTokens: 0, maxTokens: 1, summaryMaxTokens: 1, room: 10, price: undefined }).worstCaseUsd, null, 'unknown price stays unknown');
});

test('planJob: summarize-first maps, then reduces once when the summaries fit', () => {
  const plan = planJob({ strategy: 'summarizeFirst', partTokens: [300, 300, 300, 300], overheadTokens: 20, maxTokens: 500, summaryMaxTokens: 80, room: 400, price: undefined });
  assert.deepEqual(plan.requests.map((r) => r.kind), ['map', 'map', 'map', 'map', 'final']);
  assert.equal(plan.reduceLevels, 1);
  const final = plan.requests[4]!;
  assert.equal(final.inputTokens, 4 * 80 + 20);
  assert.deepEqual(final.inputs, [0, 1, 2, 3]);
});

test('planJob: summarize-first recurses while the summaries are too large, and refuses a tree that cannot shrink', () => {
  // 30 summaries of 100 tokens, room 420 with 20 overhead: 4 per request → 8 → 2 → final.
  const plan = planJob({ strategy: 'summarizeFirst', partTokens: Array(30).fill(400), overheadTokens: 20, maxTokens: 300, summaryMaxTokens: 100, room: 420, price });
  const kinds = plan.requests.map((r) => `${r.kind}${r.level}`);
  assert.equal(kinds.filter((k) => k === 'map0').length, 30);
  assert.equal(kinds.filter((k) => k === 'reduce1').length, 8);
  assert.equal(kinds.filter((k) => k === 'reduce2').length, 2);
  assert.deepEqual(kinds.slice(-1), ['final3']);
  assert.equal(plan.reduceLevels, 3);
  for (const r of plan.requests) assert.ok(r.inputTokens <= 420, `${r.kind} ${r.inputTokens}`);
  const sum = plan.requests.reduce((s, r) => s + worstCaseCost(r.inputTokens, r.maxTokens, price)!, 0);
  assert.ok(Math.abs(plan.worstCaseUsd! - sum) < 1e-12);
  assert.throws(
    () => planJob({ strategy: 'summarizeFirst', partTokens: Array(5).fill(400), overheadTokens: 20, maxTokens: 300, summaryMaxTokens: 300, room: 420, price }),
    /fewer than 2 per request/,
  );
});

test('batch price: half of every rate, tiers included, with the source; unknown stays unknown', () => {
  const sonnet = findPrice('anthropic', 'claude-sonnet-4-5')!;
  const b = batchPrice(sonnet, 'anthropic')!;
  assert.equal(b.inputPerM, sonnet.inputPerM / 2);
  assert.equal(b.outputPerM, sonnet.outputPerM / 2);
  assert.equal(b.cacheReadPerM, sonnet.cacheReadPerM! / 2);
  assert.equal(b.tiers![0]!.inputPerM, sonnet.tiers![0]!.inputPerM / 2);
  // Every rate of a tier too, the 1-hour cache write included (a tiered price the user sets may have one).
  const tiered = batchPrice({ ...sonnet, tiers: [{ aboveInputTokens: 200_000, inputPerM: 6, outputPerM: 22.5, cacheReadPerM: 0.6, cacheWritePerM: 7.5, cacheWrite1hPerM: 12 }] }, 'anthropic')!;
  assert.deepEqual(tiered.tiers, [{ aboveInputTokens: 200_000, inputPerM: 3, outputPerM: 11.25, cacheReadPerM: 0.3, cacheWritePerM: 3.75, cacheWrite1hPerM: 6 }]);
  assert.match(b.source, /genai-prices.*Message Batches: 50% off/);
  const u = { inputTokens: 250_000, outputTokens: 1000 };
  assert.ok(Math.abs(costOf(u, b)! - costOf(u, sonnet)! / 2) < 1e-12, 'the tier applies to batch requests too');
  assert.equal(batchPrice(undefined, 'openai'), undefined);
  assert.equal(batchPrice(price, 'openai-compatible'), undefined, 'no batch API, no batch price');
  assert.equal(batchPrice({ ...price, batchDiscount: 0.25 }, 'openai-compatible')!.inputPerM, 1.5, "the price's own discount wins");
});

test('batch matching: by custom id in any order, by position for inline results; missing and unexpected reported', () => {
  const ids = [customIdFor('job 1/x', 0), customIdFor('job 1/x', 1), customIdFor('job 1/x', 2)];
  assert.deepEqual(ids, ['job1x-0', 'job1x-1', 'job1x-2']);
  const ok = (customId: string | undefined, text: string, index?: number): BatchItemResult => ({
    ...(customId ? { customId } : {}),
    ...(index !== undefined ? { index } : {}),
    ok: true,
    text,
    finish: { raw: 'stop', reason: 'stop', truncated: false },
    usage: { inputTokens: 1, outputTokens: 1 },
  });
  const m = matchBatchResults(ids, [ok('job1x-2', 'c'), ok('job1x-0', 'a'), ok('nope', 'x'), ok('job1x-0', 'dup')]);
  assert.deepEqual(m.byItem.map((r) => (r?.ok ? r.text : undefined)), ['a', undefined, 'c']);
  assert.deepEqual(m.missing, ['job1x-1']);
  assert.equal(m.unexpected.length, 2);
  const g = matchBatchResults(ids, [ok(undefined, 'a', 0), ok(undefined, 'b', 1), ok(undefined, 'c', 2), ok(undefined, 'z')]);
  assert.deepEqual(g.byItem.map((r) => (r?.ok ? r.text : undefined)), ['a', 'b', 'c']);
  assert.equal(g.unexpected.length, 1, 'a result with neither id nor position is never guessed');
  assert.equal(pollDelayMs(0), 5000);
  assert.equal(pollDelayMs(3), 40_000);
  assert.equal(pollDelayMs(50), 600_000);
});

test('runJob: concurrency limit, results in order, failed part retried then reported, finished parts kept on cancel', async () => {
  let running = 0;
  let peak = 0;
  const attempts: number[] = [];
  const parts = [30, 5, 20, 1, 10];
  const res = await runJob({
    parts,
    concurrency: 2,
    async run(ms, i, attempt) {
      attempts.push(i);
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, ms));
      running--;
      if (i === 3) return { value: `p${i}`, error: { kind: 'overloaded', message: 'busy' } };
      if (i === 2 && attempt === 0) return { value: '', error: { kind: 'network', message: 'broke' } };
      return { value: `p${i}` };
    },
  });
  assert.equal(peak, 2);
  assert.deepEqual(res.outcomes.map((o) => o?.value), ['p0', 'p1', 'p2', 'p3', 'p4']);
  assert.deepEqual(res.failed, [3]);
  assert.equal(attempts.filter((i) => i === 2).length, 2, 'a failed part is retried');
  assert.equal(attempts.filter((i) => i === 3).length, 2, 'and reported after its last attempt');

  const ctl = new AbortController();
  const progress: string[] = [];
  const cancelled = await runJob({
    parts: [1, 2, 3, 4, 5, 6],
    concurrency: 2,
    signal: ctl.signal,
    onProgress: (p) => progress.push(`${p.done}/${p.total}`),
    async run(_p, i, _a, signal) {
      if (i === 2) ctl.abort();
      if (signal.aborted) return { value: `cancelled${i}`, error: { kind: 'cancelled', message: 'Cancelled.' } };
      await new Promise((r) => setTimeout(r, 5));
      return { value: `p${i}` };
    },
  });
  assert.equal(cancelled.cancelled, true);
  assert.equal(cancelled.outcomes[0]!.value, 'p0');
  assert.equal(cancelled.outcomes[1]!.value, 'p1');
  assert.equal(cancelled.outcomes[5], undefined, 'parts after the cancel never start');
  assert.deepEqual(cancelled.failed, [], 'a cancelled part is not a failure');
});

test('separatorBefore: answers in order with a visible separator; a lone answer has none', () => {
  // As Send lands a chunks job (src/extension/send/job.ts) and a batch's answers (batchResults.ts).
  const s = ['A', 'B', 'C'].map((a, i) => separatorBefore(i, 3) + a).join('');
  assert.match(s, /^───── part 1\/3 ─────\n\nA\n\n───── part 2\/3 ─────\n\nB\n\n───── part 3\/3 ─────\n\nC$/);
  assert.equal(separatorBefore(0, 1) + 'only', 'only');
});

test('pending batches: round trip, bad records dropped, status text, landing', () => {
  const p: PendingBatch = {
    v: 1,
    jobId: 'j1',
    handle: { provider: 'openai', id: 'batch_1', model: 'gpt-4.1-mini', customIds: ['j1-0'], submittedAt: '2026-01-01T00:00:00Z' },
    anchors: [{ uri: 'untitled:1', start: 0, end: 5, fingerprint: fingerprint('hello') }],
    worstCaseUsd: 0.25,
    maxTokens: 100,
    workspace: 'w',
    polls: 0,
    nextPollAt: 1,
  };
  assert.deepEqual(parsePending(JSON.parse(JSON.stringify(p))), p);
  assert.deepEqual(parsePendingList([p, { ...p, anchors: [] }, 'x', { ...p, handle: { ...p.handle, provider: 'nope' } }]), [p]);
  assert.equal(pendingText([]), '');
  assert.equal(pendingText([p, { ...p, worstCaseUsd: 0.16 }]), '2 batches pending · ≤ $0.41');
  assert.equal(pendingText([p, { ...p, worstCaseUsd: null }]), '2 batches pending · price unknown');
  assert.deepEqual(landing(p.anchors[0]!, 'hello'), { at: 'anchor' });
  assert.equal(landing(p.anchors[0]!, 'hellO').at, 'newDocument');
  assert.equal(landing(p.anchors[0]!, undefined).at, 'newDocument');
});

test('a job request counts its input as a single Send does: system prompt, prompt and the provider\'s message framing', async () => {
  const tok = await loadTokenizer('o200k_base');
  const count = (t: string) => tok.count(t);
  const settings = { ...DEFAULT_SETTINGS, provider: 'openai' as const, model: 'gpt-4.1-mini' };
  const planned = planPartRequest(settings, 'Summarize this part.', 'Be brief.', 100, count, true);
  assert.ok('request' in planned);
  assert.equal(planned.inputTokens, countChatInput('openai', 'Be brief.', [{ role: 'user', content: 'Summarize this part.' }], count));
  assert.ok(planned.inputTokens > count('Summarize this part.') + count('Be brief.'), 'framing included');
});

test('summary requests state their word budget by the length hint\'s rule', () => {
  assert.equal(hintFigures(512).words, 300);
  assert.match(mapSystem('Translate.', 1, 4, 512), /part 2 of 4\. Do not answer yet: summarize this part in at most about 300 words/);
  assert.match(reduceSystem(undefined, 512), /of at most about 300 words/);
});
