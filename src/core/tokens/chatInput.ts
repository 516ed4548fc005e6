// The input tokens of a chat request: its messages' text plus the framing the chat format adds around them, by the
// counting rule the provider's profile gives (OpenAI publishes one; without it the "exact" count of a one-line
// prompt is short by 7-10 tokens). Providers without a published rule add none: their local counts are estimates.
import type { ChatMessage, ProviderId } from '../protocol/request';
import { profileOf } from '../providers';

/** Framing tokens of a request with `messageCount` messages (a system prompt is one more message). */
export function chatFramingTokens(provider: ProviderId, messageCount: number): number {
  const f = profileOf(provider).framing;
  return f ? messageCount * f.perMessage + f.replyPriming : 0;
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
