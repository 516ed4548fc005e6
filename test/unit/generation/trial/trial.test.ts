// Try Preset below the editor: the stored trial read back within bounds, the examples planned like a Send of each,
// the job rule's view of them, and a batch's results as the examples' attempts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { current, parseTrial, parseTrialList, TRIAL_LIMITS, type TrialAttempt, type TrialRecord } from '../../../../src/core/generation/trial/record';
import { planExamples } from '../../../../src/core/generation/trial/plan';
import { batchAttempts } from '../../../../src/core/generation/trial/batch';
import { mustAsk, multipliedOf } from '../../../../src/core/generation/jobs/consent';
import { batchRecords } from '../../../../src/core/generation/jobs/batchResults';
import { fingerprint, parsePending, type PendingBatch } from '../../../../src/core/generation/jobs/pending';
import type { BatchItemResult } from '../../../../src/core/generation/jobs/batch';
import { findPrice, worstCaseCost } from '../../../../src/core/pricing/cost';
import { DEFAULT_SETTINGS, type LengthwiseSettings } from '../../../../src/core/settings/settings';

const attempt = (over: Partial<TrialAttempt> = {}): TrialAttempt => ({ maxTokens: 300, inputTokens: 40, outputTokens: 120, finish: { raw: 'stop', reason: 'stop', truncated: false }, costUsd: 0.0001, usageSource: 'provider', durationMs: 900, ...over });

const record: TrialRecord = {
  v: 1,
  id: 'tmabc1',
  time: '2026-12-01T10:00:00.000Z',
  workspace: 'file:///ws',
  preset: 'quick answer',
  provider: 'openai',
  sentModel: 'gpt-4.1-mini',
  maxTokens: 300,
  mode: 'live',
  state: 'done',
  applied: { maxTokens: 150, where: 'user' },
  examples: [
    { name: 'prompts/a.md', uri: 'file:///ws/prompts/a.md', attempts: [attempt()] },
    { name: 'selection 1 (notes.md:3)', attempts: [attempt({ outputTokens: 300, finish: { raw: 'length', reason: 'length', truncated: true }, costUsd: null }), attempt({ maxTokens: 600, batch: true })] },
  ],
};

describe('trial records in the workspace state', () => {
  it('read back as written', () => {
    assert.deepEqual(parseTrial(JSON.parse(JSON.stringify(record))), record);
  });

  it('a damaged record is dropped, not guessed', () => {
    const bad = (over: Record<string, unknown>) => parseTrial({ ...JSON.parse(JSON.stringify(record)), ...over });
    assert.equal(bad({ provider: 'nope' }), undefined);
    assert.equal(bad({ state: 'finished' }), undefined);
    assert.equal(bad({ maxTokens: -1 }), undefined);
    assert.equal(bad({ examples: [{ name: 'a', attempts: [{ ...attempt(), outputTokens: 'many' }] }] }), undefined);
    assert.equal(bad({ examples: [{ name: 'a', attempts: Array.from({ length: TRIAL_LIMITS.attempts + 1 }, () => attempt()) }] }), undefined);
    assert.equal(bad({ examples: [{ name: 'x'.repeat(TRIAL_LIMITS.nameChars + 1), attempts: [] }] }), undefined);
    assert.equal(bad({ examples: [{ name: 'a', attempts: [{ ...attempt(), costUsd: -0.1 }] }] }), undefined);
  });

  it('the list keeps the newest TRIAL_LIMITS.trials and drops what it cannot read', () => {
    const many = Array.from({ length: TRIAL_LIMITS.trials + 5 }, (_, i) => ({ ...record, id: `t${i}` }));
    const list = parseTrialList([...many.slice(0, -1), 'junk']);
    assert.equal(list.length, TRIAL_LIMITS.trials - 1);
    assert.equal(list.at(-1)!.id, `t${TRIAL_LIMITS.trials + 3}`);
    assert.deepEqual(parseTrialList({ not: 'a list' }), []);
  });

  it("an example's figures come from its latest answer: a run again that was cancelled leaves the cut answer standing", () => {
    const cut = attempt({ outputTokens: 300, finish: { raw: 'length', reason: 'length', truncated: true } });
    const cancelled = attempt({ outputTokens: 12, finish: { raw: 'cancelled', reason: 'cancelled', truncated: false } });
    assert.equal(current({ name: 'a', attempts: [cut, cancelled] }), cut);
    assert.equal(current({ name: 'a', attempts: [cancelled] }), cancelled);
    assert.equal(current({ name: 'a', attempts: [] }), undefined);
  });
});

describe('trial plans', () => {
  const settings = (over: Partial<LengthwiseSettings> = {}): LengthwiseSettings => ({ ...DEFAULT_SETTINGS, stopSequences: [], pricing: {}, models: {}, 'telemetry.attributes': {}, maxTokens: 300, ...over });

  it('every example planned as a Send of it: its input, the cap, the preset\'s system prompt', () => {
    const r = planExamples({ settings: settings({ systemPrompt: 'Be kind.' }), examples: [{ name: 'a.md', text: 'first', inputTokens: 20 }, { name: 'b.md', text: 'second', inputTokens: 31 }], exact: true });
    assert.ok('planned' in r);
    assert.deepEqual(r.planned.map((p) => [p.request.maxTokens, p.inputTokens, p.request.system]), [[300, 20, 'Be kind.'], [300, 31, 'Be kind.']]);
  });

  it('an example too large for the model refuses the whole trial, naming it; nothing is sent', () => {
    const r = planExamples({ settings: settings({ model: 'gpt-4o-mini' }), examples: [{ name: 'a.md', text: 'ok', inputTokens: 10 }, { name: 'huge.md', text: 'x', inputTokens: 200_000 }], exact: true });
    assert.ok('error' in r);
    assert.match(r.error, /^huge\.md: .*Nothing was sent\.$/);
  });

  it('more than 500 examples are refused with the cap', () => {
    const r = planExamples({ settings: settings(), examples: Array.from({ length: 501 }, (_, i) => ({ name: `${i}`, text: 'x', inputTokens: 5 })), exact: true });
    assert.ok('error' in r);
    assert.match(r.error, /This would take 501 requests; Lengthwise sends at most 500 in one job\. Try fewer examples at a time\./);
  });

  it('the job rule sees every request at its price next to the largest one: 11 alike are asked about, 10 are not', () => {
    const price = findPrice('openai', 'gpt-4.1-mini');
    const reqs = (n: number) => Array.from({ length: n }, () => ({ request: { maxTokens: 300 }, inputTokens: 50 }));
    const m = multipliedOf('Try Preset', reqs(10), price);
    assert.deepEqual([m.requests, m.inputTokens, m.worstTokens, m.oneWorstTokens], [10, 500, 3500, 350]);
    assert.ok(Math.abs(m.worstUsd! - 10 * worstCaseCost(50, 300, price)!) < 1e-15);
    assert.equal(mustAsk(m), undefined);
    assert.match(mustAsk(multipliedOf('Try Preset', reqs(11), price))!, /worst case is 11× that of one request/);
    assert.equal(multipliedOf('Try Preset', reqs(2), undefined).worstUsd, null, 'unknown price: unknown, never $0');
  });
});

describe('a trial sent as a batch', () => {
  const p: PendingBatch = {
    v: 1,
    jobId: 'bt1',
    handle: { provider: 'openai', id: 'batch_9', model: 'gpt-4.1-mini', customIds: ['bt1-0', 'bt1-1', 'bt1-2'], submittedAt: '2026-12-01T10:00:00.000Z' },
    anchors: ['a', 'b', 'c'].map((t) => ({ uri: `file:///ws/${t}.md`, start: 0, end: 1, fingerprint: fingerprint(t) })),
    worstCaseUsd: 0.001,
    maxTokens: 300,
    workspace: 'file:///ws',
    polls: 0,
    nextPollAt: 0,
    trial: { id: 'tm1', examples: [0, 2, 5], maxTokens: [300, 300, 280] },
  };

  it('the pending batch keeps its trial across a reload; a link that does not fit its items is dropped', () => {
    assert.deepEqual(parsePending(JSON.parse(JSON.stringify(p))), p);
    assert.equal(parsePending({ ...p, trial: { ...p.trial, examples: [0, 1] } })?.trial, undefined);
  });

  it('ledger records tagged as a trial, each with its example as the part; results become attempts with the records\' figures', () => {
    const ok: BatchItemResult = { customId: 'bt1-0', ok: true, text: 'answer', finish: { raw: 'length', reason: 'length', truncated: true }, usage: { inputTokens: 40, outputTokens: 300 } };
    const failed: BatchItemResult = { customId: 'bt1-1', ok: false, error: { kind: 'bad_request', message: 'nope' } };
    const byItem = [ok, failed, undefined];
    const price = findPrice('openai', 'gpt-4.1-mini');
    const records = batchRecords(p, byItem, price, Date.parse('2026-12-01T10:05:00.000Z'));
    assert.equal(records.length, 1, 'only the billed request is recorded');
    assert.deepEqual([records[0].trial, records[0].batch, records[0].part], [true, true, 1]);
    const { attempts, texts } = batchAttempts(p.jobId, p.trial!.maxTokens, byItem, records, 'completed');
    assert.deepEqual(texts, ['answer', undefined, undefined]);
    assert.deepEqual(attempts[0], { maxTokens: 300, batch: true, inputTokens: 40, outputTokens: 300, finish: ok.finish, costUsd: records[0].costUsd, usageSource: 'provider', durationMs: 300_000 });
    assert.deepEqual([attempts[1].error, attempts[1].costUsd], ['nope', 0]);
    assert.deepEqual([attempts[2].error, attempts[2].costUsd, attempts[2].maxTokens], ['no answer: the batch ended completed before this request ran', 0, 280]);
  });
});
