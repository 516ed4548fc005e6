// What a local tokenizer offers (tokens.ts loads them; the counters take any).
import type { TokenizerId } from '../providers';

export interface Tokenizer {
  readonly id: TokenizerId;
  count(text: string): number;
  encode(text: string): number[];
}
