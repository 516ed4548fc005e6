// A job against the rest of a "block" budget: how many of its requests fit at the full cap, and the cap at which the
// whole plan fits (down to a useful answer), found by bisection over the same plan.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fitJob, planJob, requestsThatFit, type JobPlanInput } from '../../../../src/core/generation/jobs/jobPlan';
import { findPrice } from '../../../../src/core/pricing/cost';

const price = findPrice('openai', 'gpt-4.1-mini')!; // $0.40 / $1.60 per million
const chunks: JobPlanInput = { strategy: 'chunks', partTokens: Array(12).fill(1000), overheadTokens: 20, maxTokens: 1024, summaryMaxTokens: 256, room: 8000, price };

describe('a job fitted to the budget', () => {
  const full = planJob(chunks);
  it('12 chunks at 1,024: how many fit $0.004 (each ≤ $0.002046)', () => {
    assert.ok(Math.abs(full.worstCaseUsd! - 12 * (1020 * 0.4 + 1024 * 1.6) / 1e6) < 1e-12);
    assert.equal(requestsThatFit(full, 0.004), 1);
    assert.equal(requestsThatFit(full, 0.0125), 6);
    assert.equal(requestsThatFit(full, 1), 12);
  });
  it('the largest cap at which all 12 fit; one token more does not', () => {
    const room = 0.015;
    const f = fitJob(chunks, room, 16);
    assert.ok('plan' in f);
    if (!('plan' in f)) return;
    assert.ok(f.plan.worstCaseUsd! <= room);
    assert.ok(planJob({ ...chunks, maxTokens: f.maxTokens + 1 }).worstCaseUsd! > room);
    // 12 × 1,020 inputs at $0.40 = $0.004896; the rest buys 12 × cap × $1.60: cap = ⌊0.010104 / 0.0000192⌋ = 526.
    assert.equal(f.maxTokens, 526);
  });
  it('no lower cap reaches a useful answer: why', () => {
    const f = fitJob(chunks, 0.005, 16);
    assert.ok('short' in f);
    assert.match((f as { short: string }).short, /^Even at 16 output tokens an answer, its 12 requests could cost up to \$0\.0052, more than the \$0\.005 left\.$/);
  });
  it('summarize-first: the summaries keep their budget, only the final answer\'s cap is lowered', () => {
    const sf = { ...chunks, strategy: 'summarizeFirst' as const };
    const room = planJob({ ...sf, maxTokens: 100 }).worstCaseUsd! + 1e-9;
    const f = fitJob(sf, room, 16);
    assert.ok('plan' in f && f.maxTokens === 100);
    if ('plan' in f) assert.ok(f.plan.requests.filter((r) => r.kind === 'map').every((r) => r.maxTokens === 256));
  });
  it('within the rest already, or the price unknown: the plan as it is', () => {
    assert.equal((fitJob(chunks, 1, 16) as { maxTokens: number }).maxTokens, 1024);
    assert.equal((fitJob({ ...chunks, price: undefined }, 0.001, 16) as { maxTokens: number }).maxTokens, 1024);
  });
});
