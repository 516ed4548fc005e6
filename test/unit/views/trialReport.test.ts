import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TrialAttempt, TrialRecord } from '../../../src/core/generation/trial/record';
import { trialRecommendation, trialReport, trialResult } from '../../../src/core/views/trialReport';
import { compareTrials } from '../../../src/core/views/trialCompare';

function attempt(out: number, over: Partial<TrialAttempt> = {}): TrialAttempt {
  const cap = over.maxTokens ?? 300;
  const cut = out >= cap;
  return { maxTokens: cap, inputTokens: 50, outputTokens: out, finish: { raw: cut ? 'length' : 'stop', reason: cut ? 'length' : 'stop', truncated: cut }, costUsd: 0.001, usageSource: 'provider', durationMs: 100, ...over };
}

function trial(outputs: (number | TrialAttempt[] | undefined)[], over: Partial<TrialRecord> = {}): TrialRecord {
  return {
    v: 1,
    id: 't1',
    time: '2026-12-01T10:00:00.000Z',
    workspace: 'file:///ws',
    preset: 'quick answer',
    provider: 'openai',
    sentModel: 'gpt-4.1-mini',
    maxTokens: 300,
    mode: 'live',
    state: 'done',
    examples: outputs.map((o, i) => ({ name: `prompts/p${i}.md`, attempts: o === undefined ? [] : Array.isArray(o) ? o : [attempt(o)] })),
    ...over,
  };
}

const samples = (outs: number[], cap = 300) => outs.map((output, index) => ({ index, output, cut: output >= cap, cap }));

describe('trial report: the max tokens the answers call for', () => {
  it('nothing cut, a small set: the longest complete answer + 20%, rounded up to two significant digits', () => {
    const r = trialRecommendation(samples([120, 180, 240]), 300);
    assert.equal(r.maxTokens, 290); // 240 × 1.2 = 288 → 290
    assert.deepEqual(r.basis, { tokens: 240, kind: 'longest', rank: 3, of: 3 });
    assert.equal(r.rerun, null);
    assert.match(r.text, /^Recommended max tokens: 290 = the longest complete answer \(240 tokens of 3 answers\) \+ 20%, rounded up\. The preset's cap is 300 now\.$/);
  });

  it("the guide's example: an answer of about 800 tokens calls for about 1,000", () => {
    assert.equal(trialRecommendation(samples([500, 800], 2000), 2000).maxTokens, 960);
  });

  it('a tiny answer: just above it (4 tokens → 5)', () => {
    assert.equal(trialRecommendation(samples([4, 4, 4], 200), 200).maxTokens, 5);
  });

  it('20 answers and more: the 95th percentile (nearest rank), not the single longest', () => {
    const outs = Array.from({ length: 20 }, (_, i) => 100 + i * 10); // 100 … 290
    const r = trialRecommendation(samples(outs), 300);
    assert.deepEqual(r.basis, { tokens: 280, kind: 'p95', rank: 19, of: 20 });
    assert.equal(r.maxTokens, 340); // 280 × 1.2 = 336 → 340
    assert.match(r.text, /the 95th percentile \(280 tokens: answer 19 of 20 by length\)/);
  });

  it('every answer cut: no recommendation from cut lengths, the offer to run them again at twice the cap', () => {
    const r = trialRecommendation(samples([3, 3, 3], 3), 3);
    assert.equal(r.maxTokens, null);
    assert.equal(r.basis, null);
    assert.deepEqual(r.rerun, { examples: [0, 1, 2], maxTokens: 6 });
    assert.equal(r.text, '3 of 3 answers were cut at max tokens 3: their true length is unknown (at least 3 tokens), so nothing is recommended from cut lengths. Run the cut examples again at max tokens 6 to measure them.');
  });

  it('one cut in a small set: the longest is unknown, so still no recommendation', () => {
    const r = trialRecommendation(samples([100, 120, 300]), 300);
    assert.equal(r.maxTokens, null);
    assert.deepEqual(r.rerun, { examples: [2], maxTokens: 600 });
    assert.match(r.text, /^1 of 3 answers was cut at max tokens 300/);
  });

  it('one cut among 40: the 95th percentile is a complete answer, so it is known; the cut one is still offered again', () => {
    const outs = [...Array.from({ length: 39 }, (_, i) => 50 + i), 300];
    const r = trialRecommendation(samples(outs), 300);
    assert.equal(r.basis?.kind, 'p95');
    assert.equal(r.basis?.tokens, 87); // rank 38 of 40
    assert.equal(r.maxTokens, 110); // 104.4 → 110
    assert.match(r.text, /1 cut answer is longer and does not move the 95th percentile/);
    assert.deepEqual(r.rerun, { examples: [39], maxTokens: 600 });
  });

  it('caps that differ after a run again: a cut answer shorter than the complete one at the rank makes it unknown', () => {
    // Example 0 was cut at 100 (never run again); example 1 ran again at 400 and ended at 150.
    const r = trialRecommendation([{ index: 0, output: 100, cut: true, cap: 100 }, { index: 1, output: 150, cut: false, cap: 400 }], 100);
    assert.equal(r.maxTokens, null);
  });

  it('no answers at all', () => {
    assert.equal(trialRecommendation([], 300).text, 'No example has an answer: nothing to recommend.');
  });
});

describe('trial report: rows, shares, cost', () => {
  it('per example status, the truncated share over answered examples, the total of every attempt', () => {
    const t = trial([100, 300, [attempt(20, { error: 'cancelled', finish: { raw: 'cancelled', reason: 'cancelled', truncated: false }, costUsd: 0.0002 })], undefined], { state: 'cancelled' });
    const r = trialReport(t);
    assert.deepEqual(r.examples.map((e) => e.status), ['complete', 'cut', 'cancelled', 'not run']);
    assert.deepEqual([r.counts.answered, r.counts.cut], [2, 1]);
    assert.equal(r.truncatedShare, 0.5);
    assert.equal(r.costUsd, 0.001 + 0.001 + 0.0002);
    assert.equal(r.lengths?.max, 300);
    assert.equal(r.recommendation.maxTokens, null);
    assert.match(r.summary, /^quick answer on 4 examples \(cancelled\): 1 of 2 cut \(50%\), 2 without an answer; \$0\.0022; no recommendation\.$/);
    const res = trialResult(r);
    assert.deepEqual(res.examples[3], { file: 'prompts/p3.md', outputTokens: 0, finish: { reason: 'cancelled', truncated: false }, costUsd: 0, durationMs: 0, maxTokens: null, attempts: 0 });
    assert.deepEqual(res.rerun, { examples: 1, maxTokens: 600 });
  });

  it('an unknown price is unknown, never $0: the total is null and the summary names what is known', () => {
    const r = trialReport(trial([[attempt(10, { costUsd: null })], 20]));
    assert.equal(r.costUsd, null);
    assert.equal(r.unknownCostExamples, 1);
    assert.match(r.summary, /\$0\.001 \+ 1 example of unknown price/);
    assert.equal(trialResult(r).costUsd, null);
  });

  it('a run again: the latest attempt gives the length, the cost adds every attempt', () => {
    const r = trialReport(trial([[attempt(3, { maxTokens: 3 }), attempt(4, { maxTokens: 6 })]], { maxTokens: 3 }));
    assert.equal(r.examples[0].status, 'complete');
    assert.equal(r.examples[0].outputTokens, 4);
    assert.equal(r.examples[0].attempts, 2);
    assert.equal(r.costUsd, 0.002);
    assert.equal(r.recommendation.maxTokens, 5);
  });

  it('two trials side by side, matched by example', () => {
    const a = trialReport(trial([100, 300]));
    const b = trialReport(trial([150, 200, 90], { id: 't2', preset: 'detailed explanation', maxTokens: 1500 }));
    const c = compareTrials(a, b);
    assert.deepEqual(c.labels, ['quick answer', 'detailed explanation']);
    assert.deepEqual(c.rows.map((x) => [x.file, x.a?.outputTokens ?? null, x.b?.outputTokens ?? null]), [['prompts/p0.md', 100, 150], ['prompts/p1.md', 300, 200], ['prompts/p2.md', null, 90]]);
    assert.equal(c.text, 'quick answer: 1 of 2 cut, mean 200 output tokens, $0.002, no recommendation. detailed explanation: 0 of 3 cut, mean 147 output tokens, $0.003, recommends 240.');
  });
});
