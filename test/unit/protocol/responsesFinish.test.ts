import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KNOWN_RESPONSES_INCOMPLETE_REASONS, RESPONSES_STATUSES, describeFinish, mapResponsesFinish } from '../../../src/core/protocol/finish';

// Every status of the Responses API (openai 6.30.1 ResponseStatus) and every documented incomplete reason.
const CASES: [string, string | undefined, boolean, { raw: string; reason: string; truncated: boolean }][] = [
  ['completed', undefined, true, { raw: 'completed', reason: 'stop', truncated: false }],
  ['incomplete', 'max_output_tokens', true, { raw: 'incomplete:max_output_tokens', reason: 'length', truncated: true }],
  ['incomplete', 'max_output_tokens', false, { raw: 'incomplete:max_output_tokens', reason: 'length', truncated: true }],
  ['incomplete', 'content_filter', true, { raw: 'incomplete:content_filter', reason: 'content_filter', truncated: false }],
  // No reason (aimock sends none), or one OpenAI adds later: still incomplete, so it can be continued; raw kept.
  ['incomplete', undefined, true, { raw: 'incomplete', reason: 'other', truncated: true }],
  ['incomplete', 'some_new_reason', true, { raw: 'incomplete:some_new_reason', reason: 'other', truncated: true }],
  ['failed', undefined, true, { raw: 'failed', reason: 'error', truncated: true }],
  ['failed', undefined, false, { raw: 'failed', reason: 'error', truncated: false }],
  ['cancelled', undefined, true, { raw: 'cancelled', reason: 'cancelled', truncated: false }],
  ['queued', undefined, false, { raw: 'queued', reason: 'other', truncated: false }],
  ['in_progress', undefined, true, { raw: 'in_progress', reason: 'other', truncated: true }],
];

for (const [status, why, hadText, expected] of CASES) {
  test(`Responses finish: ${status}${why ? ` + ${why}` : ''}${hadText ? ' after text' : ''} → ${expected.raw} / ${expected.reason}`, () => {
    assert.deepEqual(mapResponsesFinish(status, why, hadText), expected);
  });
}

test('Responses finish: the tables cover every status and documented incomplete reason', () => {
  assert.deepEqual([...RESPONSES_STATUSES].sort(), [...new Set(CASES.map((c) => c[0]))].sort());
  assert.deepEqual([...KNOWN_RESPONSES_INCOMPLETE_REASONS].sort(), ['content_filter', 'max_output_tokens']);
});

test('Responses finish: a missing status is "unknown", never a natural end', () => {
  assert.deepEqual(mapResponsesFinish(undefined), { raw: 'unknown', reason: 'other', truncated: false });
  assert.deepEqual(mapResponsesFinish(null, null, true), { raw: 'unknown', reason: 'other', truncated: true });
});

test('Responses finish: the sentence for a person names the raw value', () => {
  assert.equal(describeFinish(mapResponsesFinish('incomplete', 'max_output_tokens')), 'truncated at max tokens (incomplete:max_output_tokens)');
  assert.match(describeFinish(mapResponsesFinish('incomplete')), /incomplete for another reason \(incomplete\); it can be continued/);
  assert.equal(describeFinish(mapResponsesFinish('incomplete', 'content_filter')), "blocked by the provider's content filter (incomplete:content_filter)");
});
