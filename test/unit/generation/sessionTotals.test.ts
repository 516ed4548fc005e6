// The session's spend: rounds counted, unknown prices counted per round, never added as $0.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SessionTotals } from '../../../src/core/generation/sessionTotals';

describe('SessionTotals', () => {
  it('nothing sent: $0 of 0 requests', () => {
    assert.deepEqual(new SessionTotals().view(), { usd: 0, requests: 0, unknownRequests: 0, localRequests: 0 });
  });
  it('one unknown-price call with two rounds is unknown, not "$0.00"', () => {
    const t = new SessionTotals();
    t.add(2, null);
    assert.deepEqual(t.view(), { usd: null, requests: 2, unknownRequests: 2, localRequests: 0 });
  });
  it('known and unknown mixed: the known sum, with the unknown rounds named', () => {
    const t = new SessionTotals();
    t.add(1, 0.012);
    t.add(3, null);
    t.add(2, 0.003);
    const v = t.view();
    assert.equal(v.requests, 6);
    assert.equal(v.unknownRequests, 3);
    assert.ok(Math.abs((v.usd ?? NaN) - 0.015) < 1e-12);
  });
  it('a continued chain adds only its new rounds', () => {
    const t = new SessionTotals();
    t.add(1, 0.01);
    t.add(2, 0.02); // "Continue" ran 2 more rounds of the same chain
    assert.deepEqual(t.view(), { usd: 0.03, requests: 3, unknownRequests: 0, localRequests: 0 });
  });
});
