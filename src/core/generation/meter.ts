// Live numbers of one request: output tokens counted incrementally while the answer streams, replaced by the
// provider's usage when it arrives; cost so far; tokens per second; retry waits. Pure: fed ProviderEvent values.
import { estimateTokensFromChars } from '../tokens/estimate';
import { costOf, type ModelPrice } from '../pricing/cost';
import { OPTIONAL_USAGE_KEYS, type Finish, type GenerationRequest, type ProviderEvent, type Usage, type UsageSource } from '../protocol/request';
import type { ModelInfo } from '../models/types';
import { checkUsage } from '../protocol/usage';
import { type Tokenizer } from '../tokens/tokens';
import { StreamCounter } from '../tokens/streamCounter';

export type MeterState = 'waiting' | 'streaming' | 'retrying' | 'done';

export interface MeterSnapshot {
  state: MeterState;
  outputTokens: number;
  /** True when outputTokens is the provider's number or an exact local count for this model's tokenizer. */
  outputExact: boolean;
  /** The model reasons in tokens the stream does not show and the provider has not reported yet: outputTokens and
   * costUsd are lower bounds ("≥"). */
  reasoningHidden?: boolean;
  /** The provider's reasoning/thinking tokens (part of outputTokens), once reported. */
  reasoningTokens?: number;
  inputTokens: number;
  maxTokens: number;
  costUsd: number | null;
  tokensPerSecond: number;
  /** While retrying: when the SDK will try again (ms since epoch). */
  retryAt?: number;
  retryStatus?: number;
  finish?: Finish;
  chars: number;
}

export interface MeterInit {
  inputTokens: number;
  inputExact: boolean;
  maxTokens: number;
  price: ModelPrice | undefined;
  /** Exact tokenizer for the model (OpenAI) or an estimating one (Claude, Gemini). */
  tokenizer: Tokenizer | undefined;
  tokenizerExact: boolean;
  /** The model may spend output tokens on reasoning that is not streamed as text (see reasoningHiddenFor). */
  hiddenReasoning?: boolean;
  now?: () => number;
}

export class RunMeter {
  private readonly counter: StreamCounter | undefined;
  private readonly now: () => number;
  private readonly startedAt: number;
  private firstTextAt: number | undefined;
  private lastTextAt: number | undefined;
  private provider: Partial<Usage> = {};
  private sawProviderOutput = false;
  private sawProviderInput = false;
  /** Fields of the provider's usage that were not plain counts: never believed again in this run. */
  private readonly rejectedFields = new Set<keyof Usage>();
  /** What was rejected, for the user ("inputTokens "10000" (text)"). */
  readonly rejected: string[] = [];
  private state: MeterState = 'waiting';
  private retryAt: number | undefined;
  private retryStatus: number | undefined;
  private finish: Finish | undefined;
  private chars = 0;
  /** Text not yet given to the counter: counted in one batch when a number is read (≤ ~10 times a second),
   * because js-tiktoken's per-call overhead dominates on thousands of tiny deltas (5× a single full encode). */
  private pending = '';
  /** The "provider" figures were counted by the model's own tokenizer (VS Code's language models), not billed. */
  private modelCounted = false;

  private price: ModelPrice | undefined;

  constructor(private readonly init: MeterInit) {
    this.price = init.price;
    this.now = init.now ?? Date.now;
    this.startedAt = this.now();
    this.counter = init.tokenizer ? new StreamCounter(init.tokenizer) : undefined;
  }

  onEvent(e: ProviderEvent): void {
    switch (e.type) {
      case 'text': {
        const t = this.now();
        this.firstTextAt ??= t;
        this.lastTextAt = t;
        this.state = 'streaming';
        this.retryAt = undefined;
        this.chars += e.text.length;
        if (this.counter) this.pending += e.text;
        break;
      }
      case 'usage': {
        const { usage, rejected } = checkUsage(e.usage);
        for (const r of rejected) {
          this.rejectedFields.add(r.field);
          if (!this.rejected.includes(r.shown)) this.rejected.push(r.shown);
        }
        this.provider = { ...this.provider, ...usage };
        for (const f of this.rejectedFields) delete this.provider[f];
        if ((this.provider.outputTokens ?? 0) > 0) this.sawProviderOutput = true;
        if ((this.provider.inputTokens ?? 0) > 0) this.sawProviderInput = true;
        if (this.rejectedFields.has('outputTokens')) this.sawProviderOutput = false;
        if (this.rejectedFields.has('inputTokens')) this.sawProviderInput = false;
        if (e.source === 'model') {
          // The model's own count: a 0 is a real count (a request refused before it was sent costs nothing).
          this.modelCounted = true;
          if (usage.inputTokens !== undefined && !this.rejectedFields.has('inputTokens')) this.sawProviderInput = true;
          if (usage.outputTokens !== undefined && !this.rejectedFields.has('outputTokens')) this.sawProviderOutput = true;
        }
        break;
      }
      case 'retry':
        this.state = 'retrying';
        this.retryAt = this.now() + e.waitSeconds * 1000;
        this.retryStatus = e.status;
        break;
      case 'error':
        break;
      case 'finish':
        this.finish = e.finish;
        this.state = 'done';
        this.retryAt = undefined;
        break;
    }
  }

  /** The price of the tier that is serving, once the response says it (the live cost follows it). */
  setPrice(price: ModelPrice | undefined): void {
    this.price = price;
  }

  get currentPrice(): ModelPrice | undefined {
    return this.price;
  }

  /** Output tokens counted locally so far (exact with the model's tokenizer; ~4 characters a token without one). */
  get countedOutput(): number {
    if (!this.counter) return estimateTokensFromChars(this.chars);
    if (this.pending) {
      this.counter.push(this.pending);
      this.pending = '';
    }
    return this.counter.total;
  }

  /** The usage to record: the provider's where it reported, local counts for what it did not. */
  usage(): { usage: Usage; source: UsageSource } {
    const fromProvider = this.sawProviderOutput && this.sawProviderInput;
    const usage: Usage = {
      inputTokens: this.sawProviderInput ? this.provider.inputTokens ?? 0 : this.init.inputTokens,
      outputTokens: this.sawProviderOutput ? this.provider.outputTokens ?? 0 : this.countedOutput,
    };
    for (const k of OPTIONAL_USAGE_KEYS) {
      if (this.provider[k]) usage[k] = this.provider[k];
    }
    return { usage, source: !fromProvider ? 'estimate' : this.modelCounted ? 'model' : 'provider' };
  }

  snapshot(): MeterSnapshot {
    const { usage } = this.usage();
    const t = this.now();
    const streamingFor = this.firstTextAt !== undefined ? ((this.lastTextAt ?? t) - this.firstTextAt) / 1000 : 0;
    const out = usage.outputTokens;
    const snap: MeterSnapshot = {
      state: this.state,
      outputTokens: out,
      // A forced cut in a very long run without a safe cut makes the local count an estimate (StreamCounter.exact).
      outputExact: this.sawProviderOutput || (this.init.tokenizerExact && !!this.counter && this.counter.exact),
      inputTokens: usage.inputTokens,
      maxTokens: this.init.maxTokens,
      costUsd: costOf(usage, this.price),
      tokensPerSecond: streamingFor > 0.2 ? out / streamingFor : 0,
      chars: this.chars,
    };
    if (this.retryAt !== undefined) {
      snap.retryAt = this.retryAt;
      snap.retryStatus = this.retryStatus;
    }
    if (this.finish) snap.finish = this.finish;
    if (usage.reasoningTokens) snap.reasoningTokens = usage.reasoningTokens;
    if (this.init.hiddenReasoning && !this.sawProviderOutput) snap.reasoningHidden = true;
    return snap;
  }

  get durationMs(): number {
    return this.now() - this.startedAt;
  }
}

/**
 * Whether a request's model may reason in tokens its stream does not show: OpenAI reasoning models (reasoning is
 * never streamed), Anthropic extended thinking, models that think by default, and Gemini thinking models unless
 * the budget is 0 (the adapters pass on answer text only).
 */
export function reasoningHiddenFor(
  req: Pick<GenerationRequest, 'reasoningModel' | 'thinkingBudget'>,
  model?: Pick<ModelInfo, 'thinking' | 'thinkingByDefault'>,
): boolean {
  if (req.reasoningModel || model?.thinkingByDefault) return true;
  if (req.thinkingBudget !== undefined) return req.thinkingBudget > 0;
  return model?.thinking === 'gemini-budget';
}
