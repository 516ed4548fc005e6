// The output cap and the stop sequences, held by Lengthwise on a stream whose model takes neither (VS Code's
// language models: modelOptions are model-specific and may be ignored, and there is no stop parameter). Text is let
// through piece by piece: a stop sequence is cut at its first match (a few characters are held back until they
// cannot start one), and the cap holds to within a word (a piece that crosses it is cut). The answer is counted locally as it grows and
// with the model's own tokenizer (a round trip to its extension) only near the cap: each check halves the distance
// to it, so an answer costs a bounded number of model counts (about log2 of the cap), not one per piece.
import { StreamCounter } from '../tokens/streamCounter';
import type { Tokenizer } from '../tokens/tokenizer';
import { estimateTokensFromChars } from '../tokens/estimate';

export interface GuardOptions {
  maxTokens: number;
  stop: readonly string[];
  /** The model's own count of a text (its tokenizer, through its host). */
  countModel(text: string): Promise<number>;
  /** A local tokenizer for the running estimate (o200k when the model's is not local); ~4 characters a token without. */
  tokenizer?: Tokenizer;
  /** Most model counts while streaming (the final count of the answer is not one of them). */
  maxModelCalls?: number;
}

export type GuardStop = { kind: 'length'; modelTokens: number } | { kind: 'stop'; sequence: string };

export interface GuardStep {
  /** Text to let through now (may be ''). */
  emit: string;
  /** Set when the answer must end here: the caller stops reading and cancels the request. */
  stop?: GuardStop;
}

/** Model counts while streaming when no bound is given: enough for caps up to ~1M tokens to be halved to one token. */
const MAX_MODEL_CALLS = 24;

export class OutputGuard {
  private held = '';
  private text = '';
  private readonly holdBack: number;
  private readonly local: StreamCounter | undefined;
  private chars = 0;
  /** Model tokens per local token, from the last model count. */
  private ratio = 1;
  /** The projected model count at which the model is asked next. */
  private nextCheck: number;
  private calls = 0;
  private done = false;

  constructor(private readonly o: GuardOptions) {
    this.holdBack = Math.max(0, ...o.stop.map((s) => s.length - 1));
    this.local = o.tokenizer ? new StreamCounter(o.tokenizer) : undefined;
    // The first word is counted by the model: its tokens per local token can be far from 1 (another vocabulary).
    this.nextCheck = 1;
  }

  /** Model counts made so far. */
  get modelCalls(): number {
    return this.calls;
  }

  /** Everything let through so far (the answer as inserted). */
  get emitted(): string {
    return this.text;
  }

  /**
   * One piece of the stream: what to let through, and whether the answer ends here. A piece is let through in
   * slices that stay within the next check (a host may deliver dozens of tokens at once), so the cap holds to within
   * a word, like a server's own max tokens; what comes after the cap is not kept (Continue fetches the rest).
   */
  async push(piece: string): Promise<GuardStep> {
    if (this.done || !piece) return { emit: '' };
    const buf = this.held + piece;
    const hit = this.firstStop(buf);
    if (hit) {
      this.done = true;
      this.held = '';
      return { emit: this.let(buf.slice(0, hit.at)), stop: { kind: 'stop', sequence: hit.sequence } };
    }
    const keep = Math.min(this.holdBack, buf.length);
    this.held = buf.slice(buf.length - keep);
    let rest = buf.slice(0, buf.length - keep);
    let emit = '';
    while (rest) {
      const take = this.slice(rest);
      emit += this.let(take);
      rest = rest.slice(take.length);
      const stop = await this.atCap();
      if (stop) {
        this.done = true;
        this.held = '';
        return { emit, stop };
      }
    }
    return { emit };
  }

  /** The start of `rest` that fits before the next check (at least a word): by the local count, calibrated. */
  private slice(rest: string): string {
    const room = Math.floor((this.nextCheck - this.localTokens() * this.ratio) / this.ratio);
    // ~3 characters a token keeps a slice within its room for ordinary text; its end moves to the next space.
    let end = Math.max(1, room * 3);
    if (end >= rest.length) return rest;
    const space = rest.slice(end, end + 64).search(/\s/);
    end = space >= 0 ? end + space + 1 : end;
    return rest.slice(0, end);
  }

  /** The stream ended by itself: the characters still held back (they start no stop sequence). */
  flush(): string {
    const rest = this.held;
    this.held = '';
    return this.done ? '' : this.let(rest);
  }

  private let(s: string): string {
    if (!s) return s;
    this.text += s;
    this.chars += s.length;
    this.local?.push(s);
    return s;
  }

  /** The earliest stop sequence in `buf` (the longest one where several start at the same place). */
  private firstStop(buf: string): { at: number; sequence: string } | undefined {
    let best: { at: number; sequence: string } | undefined;
    for (const s of this.o.stop) {
      if (!s) continue;
      const at = buf.indexOf(s);
      if (at >= 0 && (!best || at < best.at || (at === best.at && s.length > best.sequence.length))) best = { at, sequence: s };
    }
    return best;
  }

  private localTokens(): number {
    return this.local ? this.local.total : estimateTokensFromChars(this.chars);
  }

  /** Whether the answer so far reaches the cap: projected from the local count, confirmed by the model's. */
  private async atCap(): Promise<GuardStop | undefined> {
    const max = this.o.maxTokens;
    const localNow = this.localTokens();
    const projected = localNow * this.ratio;
    if (projected < this.nextCheck) return undefined;
    if (this.calls >= (this.o.maxModelCalls ?? MAX_MODEL_CALLS)) {
      // Out of model counts: the projection decides (it was calibrated by the last count).
      return projected >= max ? { kind: 'length', modelTokens: Math.round(projected) } : undefined;
    }
    this.calls++;
    const counted = await this.o.countModel(this.text);
    if (counted >= max) return { kind: 'length', modelTokens: counted };
    if (localNow > 0 && counted > 0) this.ratio = counted / localNow;
    // Half the remaining distance, so checks come closer together as the cap nears.
    this.nextCheck = counted + Math.max(1, Math.floor((max - counted) / 2));
    return undefined;
  }
}
