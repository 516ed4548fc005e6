// One request round and a continuation chain, without the editor: provider events → meter (tokens, cost) →
// text sink + ledger. The adapter, key, ledger and sink are injected, so this runs the same in the extension,
// in node tests and in the benchmark.
import { addRound, chooseStrategy, continuationMessages, isPrefillRefusal, prefillKey, SeamJoiner, type ContinuationStrategy } from './continuation';
import { costOf, type ModelPrice } from '../pricing/cost';
import type { LedgerRecord } from '../ledger/ledger';
import { reasoningHiddenFor, RunMeter, type MeterSnapshot } from './meter';
import { planRequest } from './plan';
import type { LengthwiseSettings } from '../settings/settings';
import type { ChatMessage, Finish, GenerationRequest, ProviderAdapter, ProviderError, ProviderEvent, Usage } from '../protocol/request';
import type { Tokenizer } from '../tokens/tokens';
import type { ModelInfo } from '../models/types';
import { countChatInput } from '../tokens/chatInput';

/** The part of the ledger the pipeline writes to (structurally the Ledger class). */
export interface LedgerSink {
  begin(rec: Partial<LedgerRecord> & Pick<LedgerRecord, 'id' | 'time' | 'workspace' | 'provider' | 'model' | 'maxTokens'>): Promise<void>;
  checkpoint(id: string, usage: Usage, costUsd: number | null): Promise<void>;
  finish(rec: LedgerRecord): Promise<void>;
}

export interface RoundDeps {
  adapter: ProviderAdapter;
  apiKey: string;
  signal?: AbortSignal;
  tokenizer?: Tokenizer;
  tokenizerExact: boolean;
  /** How the model thinks (catalog): with the request, whether live counts are floors (reasoningHiddenFor). */
  thinking?: Pick<ModelInfo, 'thinking' | 'thinkingByDefault'>;
  price?: ModelPrice;
  priceSource?: string;
  ledger?: LedgerSink;
  workspace: string;
  preset?: string;
  /** Receives the answer text as it arrives (after seam de-duplication in continuation rounds). */
  onText(delta: string): void;
  /** Every provider event, with the meter already updated (status bar, retry notices). */
  onEvent?(e: ProviderEvent, snapshot: () => MeterSnapshot): void;
  now?: () => number;
  newId?: () => string;
  /** Checkpoint the ledger at most this often while streaming (ms); a reload mid-stream keeps the spend. */
  checkpointMs?: number;
}

export interface RoundResult {
  text: string;
  finish: Finish;
  usage: Usage;
  usageSource: 'provider' | 'estimate';
  costUsd: number | null;
  error?: ProviderError;
  durationMs: number;
  ledgerId: string;
  /** The local count of the same round (input as counted before sending, output as counted while streaming). */
  estimate: { inputTokens: number; outputTokens: number };
}

let idCounter = 0;
const defaultId = () => `${Date.now().toString(36)}-${(idCounter++).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

export async function runRound(
  request: GenerationRequest,
  input: { inputTokens: number; inputExact: boolean; chainId?: string; round?: number; jobId?: string; part?: number },
  deps: RoundDeps,
): Promise<RoundResult> {
  const now = deps.now ?? Date.now;
  const id = (deps.newId ?? defaultId)();
  const meter = new RunMeter({
    inputTokens: input.inputTokens,
    inputExact: input.inputExact,
    maxTokens: request.maxTokens,
    price: deps.price,
    tokenizer: deps.tokenizer,
    tokenizerExact: deps.tokenizerExact,
    hiddenReasoning: reasoningHiddenFor(request, deps.thinking),
    now,
  });
  const started = now();
  const base = {
    id,
    time: new Date(started).toISOString(),
    workspace: deps.workspace,
    provider: request.provider,
    model: request.model,
    preset: deps.preset,
    maxTokens: request.maxTokens,
    chainId: input.chainId,
    round: input.round,
    jobId: input.jobId,
    part: input.part,
  };
  await deps.ledger?.begin(base);
  let text = '';
  let error: ProviderError | undefined;
  let finish: Finish = { raw: 'error', reason: 'error', truncated: false };
  let lastCheckpoint = started;
  const checkpointMs = deps.checkpointMs ?? 2000;
  const snapshot = () => meter.snapshot();
  // Throttled checkpoints, plus a trailing one: text that arrived since the last checkpoint is written at most
  // checkpointMs later, so a crash after the stream pauses or stalls loses none of the spend.
  let trailing: ReturnType<typeof setTimeout> | undefined;
  const writeCheckpoint = () => {
    if (trailing) clearTimeout(trailing);
    trailing = undefined;
    lastCheckpoint = now();
    const u = meter.usage().usage;
    void deps.ledger?.checkpoint(id, u, costOf(u, deps.price)).catch(() => undefined);
  };
  try {
    for await (const e of deps.adapter.stream(request, { apiKey: deps.apiKey, signal: deps.signal })) {
      meter.onEvent(e);
      if (e.type === 'text') {
        text += e.text;
        deps.onText(e.text);
        const since = now() - lastCheckpoint;
        if (deps.ledger && since >= checkpointMs) writeCheckpoint();
        else if (deps.ledger) trailing ??= setTimeout(writeCheckpoint, checkpointMs - since);
      } else if (e.type === 'error') error = e.error;
      else if (e.type === 'finish') finish = e.finish;
      deps.onEvent?.(e, snapshot);
    }
  } finally {
    if (trailing) clearTimeout(trailing);
  }
  const { usage, source } = meter.usage();
  const costUsd = costOf(usage, deps.price);
  const durationMs = now() - started;
  await deps.ledger?.finish({
    v: 1,
    ...base,
    durationMs,
    usage,
    usageSource: source,
    costUsd,
    priceSource: deps.priceSource,
    finish: { raw: finish.raw, reason: finish.reason, truncated: finish.truncated },
  });
  const estimate = { inputTokens: input.inputTokens, outputTokens: meter.countedOutput };
  const result: RoundResult = { text, finish, usage, usageSource: source, costUsd, durationMs, ledgerId: id, estimate };
  if (error) result.error = error;
  return result;
}

export interface ChainState {
  chainId: string;
  /** The conversation of round 1 (the user's prompt), kept for every continuation round. */
  messages: ChatMessage[];
  /** The whole answer so far, as it stands in the document. */
  textSoFar: string;
  rounds: number;
  usage: Usage;
  usageSource: 'provider' | 'estimate';
  costUsd: number | null;
  finish: Finish;
  /** The request of the last round (its system prompt, stops and temperature stay in force). */
  lastRequest: GenerationRequest;
  strategies: ContinuationStrategy[];
}

export interface ChainDeps extends Omit<RoundDeps, 'onText'> {
  onText(delta: string): void;
  /** Builds the request of a continuation round (re-validated and re-clamped by the caller's planner). */
  planContinuation(messages: ChatMessage[], maxTokens: number): { request: GenerationRequest; inputTokens: number; inputExact: boolean } | { error: string };
  modelSupportsPrefill: boolean | undefined;
  prefillRefused: Set<string>;
  /** Asked before every automatic round: false stops the chain (budget, user cancel). */
  mayContinue?(state: ChainState): boolean | string;
  onRound?(state: ChainState, result: RoundResult): void;
}

/**
 * The request of a continuation round, planned like the first one from the chain's settings (so a doubled max
 * tokens is clamped to the model's limits again), with the chain's system prompt, stops and sampling kept.
 * `count` gives the input tokens of a text (a tokenizer, or an estimate when `exact` is false).
 */
export function planContinuationRequest(
  settings: LengthwiseSettings,
  last: GenerationRequest,
  messages: ChatMessage[],
  maxTokens: number,
  count: (text: string) => number,
  exact: boolean,
): { request: GenerationRequest; inputTokens: number; inputExact: boolean } | { error: string } {
  const inputTokens = countChatInput(last.provider, last.system, messages, count);
  const plan = planRequest({ settings: { ...settings, maxTokens }, prompt: messages[0]?.content ?? '', inputTokens, inputTokensExact: exact, messages });
  if (!plan.request) return { error: plan.errors.map((e) => e.message).join(' ') || 'the continuation request could not be built' };
  const request: GenerationRequest = { ...plan.request, stop: last.stop };
  for (const k of ['system', 'temperature', 'topP'] as const) {
    if (last[k] === undefined) delete request[k];
    else (request as unknown as Record<string, unknown>)[k] = last[k];
  }
  return { request, inputTokens, inputExact: exact };
}

/**
 * Continues a truncated (or paused) answer, automatically when `auto`, else exactly one round; pause (Anthropic
 * pause_turn) always resumes. Automatic rounds stop when the chain has `maxRounds` rounds (counting those in
 * `state`); `explicit` = the user asked for this continuation, so its first round runs even past the cap (otherwise
 * the "Continue" quick fix of a chain that reached the cap would do nothing).
 */
export async function continueChain(
  state: ChainState,
  opts: { auto: boolean; maxRounds: number; maxTokens: number; explicit?: boolean },
  deps: ChainDeps,
): Promise<{ state: ChainState; stoppedBecause?: string; lastError?: ProviderError }> {
  let s = state;
  let lastError: ProviderError | undefined;
  let first = true;
  for (;;) {
    const wantsMore = s.finish.truncated || s.finish.reason === 'pause';
    if (!wantsMore) return { state: s, lastError };
    if (s.rounds >= opts.maxRounds && !(first && opts.explicit)) {
      return { state: s, stoppedBecause: `reached lengthwise.continuation.maxRounds (${opts.maxRounds})`, lastError };
    }
    if (!first && !opts.auto && s.finish.reason !== 'pause') return { state: s, lastError };
    if (deps.signal?.aborted) return { state: s, stoppedBecause: 'cancelled', lastError };
    const may = deps.mayContinue?.(s) ?? true;
    if (may !== true) return { state: s, stoppedBecause: typeof may === 'string' ? may : 'stopped', lastError };
    first = false;

    let strategy = chooseStrategy({
      provider: s.lastRequest.provider,
      model: s.lastRequest.model,
      modelSupportsPrefill: deps.modelSupportsPrefill,
      prefillRefused: deps.prefillRefused,
      finishRaw: s.finish.raw,
    });
    let result: RoundResult | undefined;
    for (let attempt = 0; attempt < 2; attempt++) {
      const messages = continuationMessages(s.messages, s.textSoFar, strategy);
      const planned = deps.planContinuation(messages, opts.maxTokens);
      if ('error' in planned) return { state: s, stoppedBecause: planned.error, lastError };
      const joiner = new SeamJoiner(s.textSoFar);
      let appended = '';
      const emit = (out: string) => {
        if (!out) return;
        appended += out;
        deps.onText(out);
      };
      result = await runRound(
        planned.request,
        { inputTokens: planned.inputTokens, inputExact: planned.inputExact, chainId: s.chainId, round: s.rounds + 1 },
        { ...deps, onText: (d) => emit(joiner.push(d)) },
      );
      emit(joiner.flush());
      const refused =
        result.error?.kind === 'bad_request' && result.text === '' && strategy === 'prefill' && (result.error.prefillRefused || isPrefillRefusal(result.error.status, result.error.message));
      // Spend of a refused attempt is still added (it is in the ledger too).
      const totals = addRound(s, result);
      s = { ...s, ...totals, rounds: refused ? s.rounds : totals.rounds };
      if (refused) {
        deps.prefillRefused.add(prefillKey(s.lastRequest.provider, s.lastRequest.model));
        strategy = 'user-continue';
        continue;
      }
      s = {
        ...s,
        textSoFar: s.textSoFar + appended,
        finish: result.finish,
        lastRequest: planned.request,
        strategies: [...s.strategies, strategy],
      };
      break;
    }
    if (!result) return { state: s, lastError };
    deps.onRound?.(s, result);
    if (result.error) {
      lastError = result.error;
      if (result.error.kind === 'cancelled' || result.finish.reason === 'cancelled') return { state: s, stoppedBecause: 'cancelled', lastError };
      return { state: s, stoppedBecause: result.error.message, lastError };
    }
  }
}
