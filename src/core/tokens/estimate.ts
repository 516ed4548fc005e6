// The one fallback when no tokenizer is available: about 4 characters a token (English prose with OpenAI-style
// BPE). Every figure made with it is labelled an estimate.
const CHARS_PER_TOKEN_ESTIMATE = 4;

export function estimateTokensFromChars(chars: number): number {
  return Math.ceil(chars / CHARS_PER_TOKEN_ESTIMATE);
}
