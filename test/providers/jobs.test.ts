// Live jobs below the editor: a selection larger than a tiny model's window split by the core, every request
// through the real OpenAI adapter over HTTP to aimock, the ledger one record per request linked by the job id.
import { beforeEach, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LedgerRecord } from '../../src/core/ledger/record';
import { totalsOf } from '../../src/core/ledger/totals';
import { findModel } from '../../src/core/models/models';
import type { LedgerSink } from '../../src/core/generation/pipeline';
import { DEFAULT_SETTINGS, type LengthwiseSettings } from '../../src/core/settings/settings';
import { loadTokenizer, type Tokenizer } from '../../src/core/tokens/tokens';
import { isSafeCut } from '../../src/core/tokens/safeCuts';
import { splitTextAsync } from '../../src/core/generation/jobs/split';
import { inputRoom, planJob } from '../../src/core/generation/jobs/jobPlan';
import { runLiveJob, type PartResult } from '../../src/core/generation/jobs/liveJob';
import { separatorBefore } from '../../src/core/generation/jobs/runJob';
import type { ModelPrice } from '../../src/core/pricing/cost';
import { createAdapter } from '../../src/providers';
import { baseUrlFor, useMock, type Mock } from './mock';

const getMock = useMock();
let mock: Mock;
let tok: Tokenizer;
beforeEach(async () => {
  mock = getMock();
  tok ??= await loadTokenizer('o200k_base');
});

function memoryLedger(): LedgerSink & { records: LedgerRecord[] } {
  const records: LedgerRecord[] = [];
  return { records, begin: async () => undefined, checkpoint: async () => undefined, finish: async (r) => void records.push(r) };
}

const price: ModelPrice = { model: 'tiny', inputPerM: 1, outputPerM: 4, source: 'lengthwise.pricing (your setting)', date: '' };
const models = { tiny: { contextWindow: 400, maxOutputTokens: 64 } };

function settings(over: Partial<LengthwiseSettings> = {}): LengthwiseSettings {
  return { ...DEFAULT_SETTINGS, provider: 'openai-compatible', model: 'tiny', baseUrl: baseUrlFor(mock, 'openai'), maxTokens: 40, models, systemPrompt: 'Translate to French.', ...over };
}

const paragraph = (i: number) => `Section ${i}. ` + Array.from({ length: 30 }, (_, w) => `item${i}x${w}`).join(' ') + '.';
const input = Array.from({ length: 12 }, (_, i) => paragraph(i)).join('\n\n');

function userText(body: Record<string, unknown>): string {
  const msgs = body.messages as { role: string; content: string }[];
  return msgs.filter((m) => m.role === 'user').map((m) => m.content).join('');
}

it('chunks: a selection 3× the window is answered part by part, in order, one ledger record per request', async () => {
  const s = settings();
  const count = (t: string) => tok.count(t);
  const room = inputRoom(findModel('openai-compatible', 'tiny', models), s.maxTokens, true, null)!;
  const overhead = count(s.systemPrompt) + 8;
  assert.ok(count(input) > 3 * 400, 'the input is more than 3× the window');
  const parts = await splitTextAsync(input, { maxTokens: room.tokens - overhead, count, isSafeCut });
  // Each part answers with the number of its first section.
  mock.aimock.on(
    { predicate: (req) => /Section \d+/.test(JSON.stringify(req.messages)) },
    (req) => {
      const first = /Section (\d+)/.exec(JSON.stringify(req.messages))![1];
      return { content: `answer-from-section-${first}`, usage: { prompt_tokens: 100, completion_tokens: 7 } };
    },
  );
  const plan = planJob({ strategy: 'chunks', partTokens: parts.map((p) => p.tokens), overheadTokens: overhead, maxTokens: room.maxTokens, summaryMaxTokens: 0, room: room.tokens, price });
  const ledger = memoryLedger();
  const delivered: PartResult[] = [];
  const progress: string[] = [];
  const res = await runLiveJob({
    strategy: 'chunks',
    jobId: 'job-1',
    parts,
    settings: s,
    count,
    countExact: true,
    maxInputTokens: room.tokens,
    deps: { adapter: createAdapter('openai-compatible'), apiKey: 'k', tokenizer: tok, tokenizerExact: true, price, priceSource: price.source, ledger, workspace: 'w' },
    onAnswer: (r) => delivered.push(r),
    onProgress: (p) => progress.push(p.stage),
  });
  assert.equal(res.requests, parts.length);
  assert.equal(mock.wire().length, parts.length, 'one HTTP request per part');
  assert.deepEqual(delivered.map((r) => r.index), parts.map((_, i) => i), 'answers delivered in part order');
  // Each request carried exactly its part, with the user's system prompt.
  const sent = mock.wire().map((w) => userText(w.body)).sort();
  assert.deepEqual(sent, parts.map((p) => p.text).sort());
  for (const w of mock.wire()) assert.equal((w.body.messages as { role: string; content: string }[])[0]!.content, 'Translate to French.');
  // Joined as Send lands them (src/extension/send/job.ts).
  const joined = res.answers.map((a, i) => separatorBefore(i, res.answers.length) + (a?.text ?? '')).join('');
  const firsts = parts.map((p) => /Section (\d+)/.exec(p.text)![1]);
  assert.equal(joined.match(/answer-from-section-\d+/g)!.join(','), firsts.map((f) => `answer-from-section-${f}`).join(','));
  assert.equal(ledger.records.length, parts.length);
  assert.ok(ledger.records.every((r) => r.jobId === 'job-1'));
  assert.deepEqual(ledger.records.map((r) => r.part).sort((a, b) => a! - b!), parts.map((_, i) => i));
  const t = totalsOf(ledger.records);
  assert.equal(t.jobs, 1, 'the dashboard counts the job once');
  assert.equal(t.jobRequests, parts.length);
  assert.ok(Math.abs(res.costUsd! - t.knownCostUsd) < 1e-12);
  assert.ok(res.costUsd! <= plan.worstCaseUsd!, `actual ${res.costUsd} ≤ planned worst case ${plan.worstCaseUsd}`);
  assert.equal(progress.at(-1), `chunk ${parts.length}/${parts.length}`);
});

it('chunks: a cancel mid-job keeps the finished parts (and their ledger records)', async () => {
  const s = settings();
  const count = (t: string) => tok.count(t);
  const parts = await splitTextAsync(input, { maxTokens: 150, count });
  assert.ok(parts.length >= 6);
  mock.aimock.on({ predicate: () => true }, { content: 'ok', usage: { prompt_tokens: 10, completion_tokens: 1 } });
  const ctl = new AbortController();
  const ledger = memoryLedger();
  const delivered: number[] = [];
  const res = await runLiveJob({
    strategy: 'chunks',
    jobId: 'job-2',
    parts,
    settings: s,
    count,
    countExact: true,
    maxInputTokens: 300,
    signal: ctl.signal,
    deps: { adapter: createAdapter('openai-compatible'), apiKey: 'k', tokenizer: tok, tokenizerExact: true, price, ledger, workspace: 'w' },
    onAnswer: (r) => {
      delivered.push(r.index);
      if (r.index === 2) ctl.abort();
    },
  });
  assert.equal(res.cancelled, true);
  assert.ok(res.answers.slice(0, 3).every((a) => a?.text === 'ok'), 'parts finished before the cancel keep their answers');
  assert.ok(res.answers.filter((a) => a === undefined).length >= 1, 'parts after the cancel never start');
  assert.ok(ledger.records.length >= 3 && ledger.records.length < parts.length + 1);
  assert.deepEqual(delivered.slice(0, 3), [0, 1, 2]);
});

it('summarize-first: map each part, merge while too large, answer over the summaries', async () => {
  const s = settings({ 'chunking.summaryTokens': 30, maxTokens: 40 });
  const count = (t: string) => tok.count(t);
  const parts = await splitTextAsync(input, { maxTokens: 120, count });
  mock.aimock.on({ predicate: (req) => JSON.stringify(req.messages).includes('Do not answer yet: summarize') }, (req) => {
    const n = /Section (\d+)/.exec(JSON.stringify(req.messages))?.[1] ?? '?';
    return { content: `S${n} ` + 'short summary words '.repeat(4), usage: { prompt_tokens: 90, completion_tokens: 20 } };
  });
  mock.aimock.on({ predicate: (req) => JSON.stringify(req.messages).includes('Do not answer yet: merge') }, { content: 'merged summary of several parts', usage: { prompt_tokens: 80, completion_tokens: 6 } });
  mock.aimock.on({ predicate: (req) => JSON.stringify(req.messages).includes('Answer over them') }, { content: 'FINAL ANSWER', usage: { prompt_tokens: 60, completion_tokens: 2 } });
  const ledger = memoryLedger();
  let streamed = '';
  const res = await runLiveJob({
    strategy: 'summarizeFirst',
    jobId: 'job-3',
    parts,
    settings: s,
    count,
    countExact: true,
    maxInputTokens: 150, // the summaries of all parts do not fit one request: merged first
    deps: { adapter: createAdapter('openai-compatible'), apiKey: 'k', tokenizer: tok, tokenizerExact: true, price, ledger, workspace: 'w' },
    onFinalText: (d) => (streamed += d),
  });
  assert.equal(res.error, undefined);
  assert.equal(streamed, 'FINAL ANSWER');
  assert.equal(res.answers[0]!.text, 'FINAL ANSWER');
  assert.equal(res.summaries[0]!.texts.length, parts.length);
  assert.ok(res.summaries.length >= 2, 'at least one merge level');
  assert.ok(res.summaries[1]!.texts.length < parts.length);
  const finalBody = mock.wire().at(-1)!.body;
  assert.match(userText(finalBody), /\[Summary 1\/\d+\]\nmerged summary/);
  assert.equal(ledger.records.length, res.requests);
  assert.ok(ledger.records.every((r) => r.jobId === 'job-3'));
  assert.equal(new Set(ledger.records.map((r) => r.part)).size, res.requests, 'each request is its own part in the ledger');
});
