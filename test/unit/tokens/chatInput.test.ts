// Input tokens of a chat request: content plus OpenAI's published framing (3 a message + 3 reply priming).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chatFramingTokens, countChatInput } from '../../../src/core/tokens/chatInput';
import { loadTokenizer } from '../../../src/core/tokens/tokens';
import { planContinuationRequest } from '../../../src/core/generation/pipeline';

describe('chat input count', () => {
  it('OpenAI: system + user message = content + 2 × 3 + 3 (the cookbook example counts)', async () => {
    const tok = await loadTokenizer('o200k_base');
    const c = (t: string) => tok.count(t);
    // Two messages: 2 × 3 framing + 3 reply priming.
    const n = countChatInput('openai', 'You are a helpful assistant.', [{ role: 'user', content: 'Hello' }], c);
    assert.equal(n, c('You are a helpful assistant.') + c('Hello') + 9);
    assert.equal(chatFramingTokens('openai', 1), 6);
    assert.equal(chatFramingTokens('openai-compatible', 3), 12);
  });
  it('Anthropic and Gemini: no published framing, content only', () => {
    const c = (t: string) => t.length;
    assert.equal(countChatInput('anthropic', 'sys', [{ role: 'user', content: 'hello' }], c), 8);
    assert.equal(chatFramingTokens('gemini', 4), 0);
  });
  it('continuation rounds count their input with the framing too', async () => {
    const tok = await loadTokenizer('o200k_base');
    const { resolveSettings } = await import('../../../src/core/settings/settings');
    const s = resolveSettings({ configured: { provider: 'openai', model: 'gpt-4.1-mini', maxTokens: 100 } }).settings;
    const last = { provider: 'openai' as const, model: 'gpt-4.1-mini', messages: [{ role: 'user' as const, content: 'q' }], maxTokens: 100, stop: [], system: 'Be brief.' };
    const messages = [
      { role: 'user' as const, content: 'Tell me a story.' },
      { role: 'assistant' as const, content: 'Once upon a time' },
    ];
    const planned = planContinuationRequest({ settings: s }, last, messages, 1, (t) => tok.count(t), true);
    assert.ok('request' in planned, JSON.stringify(planned));
    assert.equal(planned.inputTokens, tok.count('Be brief.') + tok.count('Tell me a story.') + tok.count('Once upon a time') + 3 * 3 + 3);
  });
});
