import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeFinish } from '../../../src/core/protocol/finish';
import { KNOWN_FINISH_VALUES, mapFinish } from '../../../src/core/providers/finish';

const EXPECTED: Record<'openai' | 'anthropic' | 'gemini', Record<string, [string, boolean]>> = {
  openai: { stop: ['stop', false], length: ['length', true], tool_calls: ['tool', false], function_call: ['tool', false], content_filter: ['content_filter', false] },
  anthropic: {
    end_turn: ['stop', false], stop_sequence: ['stop', false], max_tokens: ['length', true], model_context_window_exceeded: ['length', true],
    tool_use: ['tool', false], pause_turn: ['pause', false], refusal: ['content_filter', false],
  },
  gemini: {
    FINISH_REASON_UNSPECIFIED: ['other', false], STOP: ['stop', false], MAX_TOKENS: ['length', true], SAFETY: ['content_filter', false],
    RECITATION: ['content_filter', false], LANGUAGE: ['content_filter', false], OTHER: ['other', false], BLOCKLIST: ['content_filter', false],
    PROHIBITED_CONTENT: ['content_filter', false], SPII: ['content_filter', false], MALFORMED_FUNCTION_CALL: ['tool', false],
    IMAGE_SAFETY: ['content_filter', false], IMAGE_PROHIBITED_CONTENT: ['content_filter', false], IMAGE_RECITATION: ['content_filter', false],
    IMAGE_OTHER: ['other', false], NO_IMAGE: ['other', false], UNEXPECTED_TOOL_CALL: ['tool', false], TOO_MANY_TOOL_CALLS: ['tool', false],
    CONTINUATION: ['length', true],
  },
};

describe('finish mapping', () => {
  for (const api of ['openai', 'anthropic', 'gemini'] as const) {
    it(`${api}: every documented value maps, raw kept`, () => {
      for (const [raw, [reason, truncated]] of Object.entries(EXPECTED[api])) {
        assert.deepEqual(mapFinish(api, raw), { raw, reason, truncated }, raw);
      }
      assert.deepEqual([...KNOWN_FINISH_VALUES[api]].sort(), Object.keys(EXPECTED[api]).sort(), 'table and test agree');
    });
  }
  it('counts match the providers: OpenAI 5, Anthropic 7, Gemini 18 + CONTINUATION', () => {
    assert.equal(KNOWN_FINISH_VALUES.openai.length, 5);
    assert.equal(KNOWN_FINISH_VALUES.anthropic.length, 7);
    assert.equal(KNOWN_FINISH_VALUES.gemini.length, 19);
  });
  it('unknown values never fall through to stop', () => {
    assert.deepEqual(mapFinish('openai', 'something_new'), { raw: 'something_new', reason: 'other', truncated: false });
    assert.deepEqual(mapFinish('gemini', undefined), { raw: 'unknown', reason: 'other', truncated: false });
  });
  it('keeps the matched stop sequence', () => {
    assert.equal(mapFinish('anthropic', 'stop_sequence', '\nUser:').stopSequence, '\nUser:');
    assert.match(describeFinish(mapFinish('anthropic', 'stop_sequence', 'END')), /END/);
  });
  it('describes truncation and context-window exhaustion differently', () => {
    assert.match(describeFinish(mapFinish('anthropic', 'model_context_window_exceeded')), /context window/);
    assert.match(describeFinish(mapFinish('openai', 'length')), /max tokens/);
  });
});
