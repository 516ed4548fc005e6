// The input tokens of a chat request: its messages' text plus the framing the chat format adds around them.
// OpenAI's published counting rule for its chat models (the "How to count tokens with tiktoken" guide): every
// message costs 3 tokens beyond its content (role and separators) and every reply is primed with 3 more
// (<|start|>assistant<|message|>). Without them the "exact" count of a one-line prompt is short by 7-10 tokens.
// Other providers' framing is not published; their local counts are estimates anyway.
import type { ChatMessage, ProviderId } from '../protocol/request';

const OPENAI_TOKENS_PER_MESSAGE = 3;
const OPENAI_REPLY_PRIMING_TOKENS = 3;

/** Framing tokens of a request with `messageCount` messages (a system prompt is one more message). */
export function chatFramingTokens(provider: ProviderId, messageCount: number): number {
  if (provider !== 'openai' && provider !== 'openai-compatible') return 0;
  return messageCount * OPENAI_TOKENS_PER_MESSAGE + OPENAI_REPLY_PRIMING_TOKENS;
}

/** Every input token of a chat request as the model sees it: the system prompt, the messages and their framing. */
export function countChatInput(
  provider: ProviderId,
  system: string | undefined,
  messages: readonly ChatMessage[],
  count: (text: string) => number,
): number {
  let n = system ? count(system) : 0;
  for (const m of messages) n += count(m.content);
  return n + chatFramingTokens(provider, messages.length + (system ? 1 : 0));
}
