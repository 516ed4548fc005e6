// A trial run live below the editor: the examples' requests through the real OpenAI adapter over HTTP to aimock, a
// few at a time, each a ledger record tagged as a trial; a broken stream tried again (both requests count); a cancel
// that keeps the finished examples.
import { beforeEach, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LedgerRecord } from '../../src/core/ledger/record';
import type { LedgerSink } from '../../src/core/generation/pipeline';
import { planExamples, type PlannedExample } from '../../src/core/generation/trial/plan';
import { runTrialLive } from '../../src/core/generation/trial/run';
import { trialReport } from '../../src/core/views/trialReport';
import type { TrialRecord } from '../../src/core/generation/trial/record';
import type { ModelPrice } from '../../src/core/pricing/cost';
import { DEFAULT_SETTINGS, type LengthwiseSettings } from '../../src/core/settings/settings';
import { createAdapter } from '../../src/providers';
import { baseUrlFor, useMock, type Mock } from './mock';

const getMock = useMock();
let mock: Mock;
beforeEach(() => {
  mock = getMock();
});

function memoryLedger(): LedgerSink & { records: LedgerRecord[] } {
  const records: LedgerRecord[] = [];
  return { records, begin: async () => undefined, checkpoint: async () => undefined, finish: async (r) => void records.push(r) };
}

const price: ModelPrice = { model: 'tiny', inputPerM: 1, outputPerM: 4, source: 'lengthwise.pricing (your setting)', date: '' };

function planned(prompts: string[]): PlannedExample[] {
  const settings: LengthwiseSettings = { ...DEFAULT_SETTINGS, stopSequences: [], pricing: {}, 'telemetry.attributes': {}, provider: 'openai-compatible', model: 'tiny', baseUrl: baseUrlFor(mock, 'openai'), maxTokens: 64, models: { tiny: { contextWindow: 4096, maxOutputTokens: 256 } } };
  const r = planExamples({ settings, examples: prompts.map((text, i) => ({ name: `p${i}.md`, text, inputTokens: 20 })), exact: false });
  assert.ok('planned' in r);
  return r.planned;
}

const deps = (ledger: LedgerSink) => ({ adapter: createAdapter('openai-compatible'), apiKey: '', tokenizerExact: false, price, priceSource: price.source, ledger, workspace: 'w', preset: 'qa' });

it('every example once, a few at a time: its answer, finish and cost; one ledger record each, tagged and linked', async () => {
  const outputs = [12, 40, 64, 25];
  outputs.forEach((out, i) => mock.aimock.onMessage(`question ${i}`, { content: `answer ${i}`, finishReason: out === 64 ? 'length' : 'stop', usage: { prompt_tokens: 20, completion_tokens: out } }));
  const ledger = memoryLedger();
  const p = planned(outputs.map((_, i) => `question ${i}`));
  const seen: number[] = [];
  const run = await runTrialLive({ jobId: 'tm1', requests: p.map((planned, example) => ({ example, planned })), deps: deps(ledger), onExample: (i) => seen.push(i) });
  assert.equal(run.cancelled, false);
  assert.equal(run.requests, 4);
  assert.deepEqual(run.texts, ['answer 0', 'answer 1', 'answer 2', 'answer 3']);
  assert.deepEqual(run.attempts.map((a) => [a!.outputTokens, a!.finish.truncated, a!.maxTokens]), [[12, false, 64], [40, false, 64], [64, true, 64], [25, false, 64]]);
  assert.deepEqual([...seen].sort(), [0, 1, 2, 3]);
  assert.deepEqual(ledger.records.map((r) => [r.jobId, r.trial, r.preset]), outputs.map(() => ['tm1', true, 'qa']));
  assert.deepEqual(ledger.records.map((r) => r.part).sort(), [1, 2, 3, 4]);
  assert.ok(Math.abs(run.costUsd! - ledger.records.reduce((a, r) => a + r.costUsd!, 0)) < 1e-15);
  // The report over it: one answer cut at the cap, so no recommendation; the offer names that example.
  const t: TrialRecord = { v: 1, id: 'tm1', time: '2026-12-01T10:00:00.000Z', workspace: 'w', preset: 'qa', provider: 'openai-compatible', sentModel: 'tiny', maxTokens: 64, mode: 'live', state: 'done', examples: run.attempts.map((a, i) => ({ name: `p${i}.md`, attempts: [a!] })) };
  const r = trialReport(t);
  assert.equal(r.truncatedShare, 0.25);
  assert.deepEqual(r.recommendation.rerun, { examples: [2], maxTokens: 128 });
});

it('a broken stream is tried again: both requests are in the ledger and the example costs both', async () => {
  mock.aimock.onMessage('fine', { content: 'ok', usage: { prompt_tokens: 20, completion_tokens: 3 } });
  mock.aimock.onMessage('broken', { content: 'abcdefghijklmnopqrstuvwxyz0123456789' }, { chunkSize: 4, truncateAfterChunks: 3, latency: 2 });
  const ledger = memoryLedger();
  const p = planned(['fine', 'broken']);
  const run = await runTrialLive({ jobId: 'tm2', requests: p.map((planned, example) => ({ example, planned })), deps: deps(ledger) });
  assert.equal(run.requests, 3, 'the broken one twice');
  const broken = ledger.records.filter((r) => r.part === 2);
  assert.equal(broken.length, 2);
  const a = run.attempts[1]!;
  assert.ok(a.error && a.error !== 'cancelled', `failed: ${a.error}`);
  assert.ok(Math.abs(a.costUsd! - broken.reduce((s, r) => s + r.costUsd!, 0)) < 1e-15, 'both tries count');
  assert.ok(a.costUsd! > 0, 'the text that arrived before the break is paid for (estimated)');
});

it('a cancel keeps the finished examples; those never started have no attempt', async () => {
  mock.aimock.on({ predicate: () => true }, { content: 'ok', usage: { prompt_tokens: 20, completion_tokens: 2 } }, { latency: 20 });
  const ctl = new AbortController();
  const ledger = memoryLedger();
  const p = planned(Array.from({ length: 8 }, (_, i) => `q${i}`));
  const run = await runTrialLive({
    jobId: 'tm3',
    requests: p.map((planned, example) => ({ example, planned })),
    deps: deps(ledger),
    signal: ctl.signal,
    onExample: () => ctl.abort(),
  });
  assert.equal(run.cancelled, true);
  const finished = run.attempts.filter((a) => a && !a.error && a.finish.reason === 'stop');
  assert.ok(finished.length >= 1, 'the first finished example is kept');
  assert.ok(run.attempts.filter((a) => a === undefined).length >= 5, 'the rest were never sent');
  assert.equal(ledger.records.length, run.attempts.filter((a) => a !== undefined).length, 'a record for every request sent');
});
