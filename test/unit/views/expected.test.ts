// The expected cost beside the worst case: from this workspace's uncut answers of the same model and preset (the
// model alone when the preset has too few), null below three answers or without a price.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LedgerRecord } from '../../../src/core/ledger/record';
import { findPrice, worstCaseCost } from '../../../src/core/pricing/cost';
import { expectedCost, type ExpectedQuery } from '../../../src/core/views/expected';
import { expectedLine, idleText, tooltipMarkdown } from '../../../src/core/views/statusText';

const price = findPrice('openai', 'gpt-4.1-mini')!;
let n = 0;
const rec = (output: number, over: Partial<LedgerRecord> = {}): LedgerRecord => ({
  v: 1,
  id: `r${n++}`,
  time: '2026-12-01T10:00:00.000Z',
  durationMs: 10,
  workspace: 'ws',
  provider: 'openai',
  model: 'gpt-4.1-mini',
  usage: { inputTokens: 50, outputTokens: output },
  usageSource: 'provider',
  costUsd: 0.001,
  finish: { raw: 'stop', reason: 'stop', truncated: false },
  maxTokens: 4096,
  ...over,
});
const Q: ExpectedQuery = { workspace: 'ws', provider: 'openai', model: 'gpt-4.1-mini', preset: 'qa', inputTokens: 100, maxTokens: 4096, price };

describe('expectedCost', () => {
  it('below three uncut answers: null (two answers, and a cut one, are not enough)', () => {
    assert.equal(expectedCost([rec(300, { preset: 'qa' }), rec(320, { preset: 'qa' }), rec(4096, { preset: 'qa', finish: { raw: 'length', reason: 'length', truncated: true } })], Q), null);
  });
  it("the preset's answers: median and p95 priced at the request's input — 4,096 cap, answers of ~300", () => {
    const rs = [280, 300, 310, 320, 900].map((o) => rec(o, { preset: 'qa' }));
    const e = expectedCost(rs, Q)!;
    assert.deepEqual([e.basis, e.scope, e.p50Tokens, e.p95Tokens], [5, 'preset', 310, 900]);
    assert.equal(e.usd, worstCaseCost(100, 310, price));
    assert.equal(e.p95Usd, worstCaseCost(100, 900, price));
    const worst = worstCaseCost(100, 4096, price)!;
    assert.ok(worst / e.usd > 10, `the worst case is ${(worst / e.usd).toFixed(1)}× the expected one`);
  });
  it('a preset with little history: the model alone (any preset), said in the scope', () => {
    const rs = [rec(100, { preset: 'qa' }), rec(200, { preset: 'code' }), rec(300), rec(400, { preset: 'code' })];
    const e = expectedCost(rs, Q)!;
    assert.deepEqual([e.basis, e.scope, e.p50Tokens], [4, 'model', 200]);
  });
  it('other workspaces, models, continuation rounds, failures and live-job parts are not answers', () => {
    const rs = [
      rec(100, { workspace: 'other' }),
      rec(100, { model: 'gpt-4o' }),
      rec(100, { round: 2 }),
      rec(100, { finish: { raw: 'error', reason: 'error', truncated: false } }),
      rec(100, { jobId: 'j1', part: 0 }),
      rec(100, { interrupted: true }),
    ];
    assert.equal(expectedCost(rs, Q), null);
    assert.equal(expectedCost([rec(10, { jobId: 'b1', batch: true }), rec(20, { jobId: 'b1', batch: true }), rec(30, { jobId: 'b1', batch: true })], Q)!.basis, 3, 'batch answers are answers');
  });
  it('capped at max tokens, and null without a price', () => {
    const rs = [500, 600, 700].map((o) => rec(o));
    assert.equal(expectedCost(rs, { ...Q, maxTokens: 400 })!.p95Tokens, 400);
    assert.equal(expectedCost(rs, { ...Q, price: undefined }), null);
  });
});

describe('the status bar with the expected figure', () => {
  it('idle: "≈ $x · ≤ $y" beside the tokens; only the worst case without history', () => {
    const base = { preset: 'qa', selectionTokens: 1204, selectionExact: true, worstCaseUsd: 0.0157 };
    assert.equal(idleText({ ...base, expected: { usd: 0.0021 } }), '$(symbol-ruler) qa · 1,204 tok · ≈ $0.0021 · ≤ $0.0157');
    assert.equal(idleText({ ...base, expected: null }), '$(symbol-ruler) qa · 1,204 tok · ≤ $0.0157');
    assert.equal(idleText({ ...base, worstCaseUsd: null, expected: { usd: 0.0021 } }), '$(symbol-ruler) qa · 1,204 tok · price unknown');
  });
  it('tooltip: expected, p95 and worst, and what it rests on', () => {
    assert.equal(expectedLine({ usd: 0.0021, p95Usd: 0.0049 }, 0.0157), '≈ $0.0021 expected (p95 $0.0049) · ≤ $0.0157 worst');
    const md = tooltipMarkdown({
      title: 't',
      session: { usd: 0, requests: 0 },
      workspace: { usd: 0, requests: 0 },
      expected: { expected: { usd: 0.0021, p95Usd: 0.0049, basis: 12, p50Tokens: 300, p95Tokens: 700, scope: 'preset' }, worstUsd: 0.0157, maxTokens: 4096, model: 'gpt-4.1-mini', preset: 'qa' },
    });
    assert.match(md, /≈ \$0\.0021 expected \(p95 \$0\.0049\) · ≤ \$0\.0157 worst — from 12 uncut answers of gpt-4\.1-mini with the preset "qa" in this workspace \(median 300, p95 700 output tokens\)\./);
    const none = tooltipMarkdown({ title: 't', session: { usd: 0, requests: 0 }, workspace: { usd: 0, requests: 0 }, expected: { expected: null, worstUsd: 0.0157, maxTokens: 4096, model: 'gpt-4.1-mini' } });
    assert.match(none, /≤ \$0\.0157 worst \(max tokens 4,096\); no expected figure yet: it needs 3 uncut answers of gpt-4\.1-mini in this workspace\./);
  });
});
