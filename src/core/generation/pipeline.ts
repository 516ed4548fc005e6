// One request round and a continuation chain, without the editor: provider events → meter (tokens, cost) →
// text sink + ledger. The adapter, key, ledger and sink are injected, so this runs the same in the extension,
// in node tests and in the benchmark.
import { plural } from '../protocol/plural';
import { addRound, chooseStrategy, continuationMessages, isPrefillRefusal, prefillKey, SeamJoiner, type ContinuationStrategy } from './continuation';
import { cacheSavingUsd, costOf, type ModelPrice } from '../pricing/cost';
import { billedPrice } from '../pricing/serviceTier';
import { servedTier } from '../providers/tiers';
import { resolveCost, type CostSource } from '../pricing/reported';
import type { LedgerRecord } from '../ledger/record';
import { reasoningHiddenFor, RunMeter, type MeterSnapshot } from './meter';
import { planRequest } from './plan';
import { MAX_TOKENS_LIMIT, settingLabel, type LengthwiseSettings, type SettingSources } from '../settings/settings';
import { formatUsd } from '../pricing/money';
import type { DiscoveredLimits } from '../models/discovery';
import type { ChatMessage, Finish, GenerationRequest, ProviderAdapter, ProviderError, ProviderEvent, ServiceTier, Usage, UsageSource } from '../protocol/request';
import type { Tokenizer } from '../tokens/tokens';
import { providerLabel } from '../providers/index';
import { rejectedUsageNote } from '../protocol/usage';
import { serverText } from '../protocol/serverText';
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
  /** The standard price (of the tier asked for when `priceOf` is not given). */
  price?: ModelPrice;
  priceSource?: string;
  /**
   * Prices by processing tier (pricing/serviceTier.ts tierPricer): a request is priced by the tier the response says
   * served it. Without it every round is priced at `price`.
   */
  priceOf?: (tier: ServiceTier) => ModelPrice | undefined;
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
  usageSource: UsageSource;
  costUsd: number | null;
  /** Where costUsd comes from: the server's report, lengthwise.pricing, the bundled table; null = unknown. */
  costSource: CostSource | null;
  /** For the log: a reported cost that was refused, or one that differs from the price's figure by more than 1%. */
  costNotes: string[];
  error?: ProviderError;
  durationMs: number;
  ledgerId: string;
  /** The local count of the same round (input as counted before sending, output as counted while streaming). */
  estimate: { inputTokens: number; outputTokens: number };
  /** Set when the server's usage was not believed (not plain token counts): what to tell the user. */
  usageNote?: string;
  /** The tier that served the round, as the response said; null: a tier was asked for and the response did not say. */
  serviceTier: ServiceTier | null;
  /** The price the round was billed at (the served tier's), for the tooltip. */
  price?: ModelPrice;
  /** What the cache saved on this round (reads at the cache-read rate instead of the input rate), when known and above 0. */
  cacheSavedUsd?: number;
  /** With a cost the server reported, where a price is known: what the price gives for the same tokens. */
  pricedUsd?: number;
  /** Said when the tier that served is not the one asked for (a downgrade, or a response that did not say). */
  tierNote?: string;
}

let idCounter = 0;
const defaultId = () => `${Date.now().toString(36)}-${(idCounter++).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

type RoundInput = { inputTokens: number; inputExact: boolean; chainId?: string; round?: number; jobId?: string; part?: number };

/**
 * A round's ledger record: begun when the request starts, checkpointed while text arrives (throttled, plus a
 * trailing one: text that arrived since the last checkpoint is written at most checkpointMs later, so a crash after
 * the stream pauses or stalls loses none of the spend), finished with the usage and cost.
 */
class RoundRecord {
  readonly id: string;
  readonly started: number;
  readonly base: Omit<LedgerRecord, 'v' | 'durationMs' | 'usage' | 'usageSource' | 'costUsd' | 'finish'>;
  private lastCheckpoint: number;
  private trailing: ReturnType<typeof setTimeout> | undefined;
  private readonly checkpointMs: number;

  constructor(
    request: GenerationRequest,
    input: RoundInput,
    private readonly deps: RoundDeps,
    private readonly meter: RunMeter,
    private readonly now: () => number,
  ) {
    this.id = (deps.newId ?? defaultId)();
    this.started = this.lastCheckpoint = now();
    this.checkpointMs = deps.checkpointMs ?? 2000;
    this.base = {
      id: this.id,
      time: new Date(this.started).toISOString(),
      workspace: deps.workspace,
      provider: request.provider,
      model: request.model,
      preset: deps.preset,
      maxTokens: request.maxTokens,
      lengthHint: request.lengthHint !== undefined,
      chainId: input.chainId,
      round: input.round,
      jobId: input.jobId,
      part: input.part,
      ...(request.serviceTier ? { tierAsked: request.serviceTier } : {}),
    };
  }

  begin(): Promise<void> | undefined {
    return this.deps.ledger?.begin(this.base);
  }

  /** Text arrived: a checkpoint now, or one scheduled for when checkpointMs have passed. */
  textArrived(): void {
    if (!this.deps.ledger) return;
    const since = this.now() - this.lastCheckpoint;
    if (since >= this.checkpointMs) this.checkpoint();
    else this.trailing ??= setTimeout(() => this.checkpoint(), this.checkpointMs - since);
  }

  private checkpoint(): void {
    this.stopTimer();
    this.lastCheckpoint = this.now();
    const u = this.meter.usage().usage;
    void this.deps.ledger?.checkpoint(this.id, u, costOf(u, this.meter.currentPrice)).catch(() => undefined);
  }

  stopTimer(): void {
    if (this.trailing) clearTimeout(this.trailing);
    this.trailing = undefined;
  }

  finish(rec: Pick<LedgerRecord, 'durationMs' | 'usage' | 'usageSource' | 'costUsd' | 'finish'> & Partial<LedgerRecord>): Promise<void> | undefined {
    return this.deps.ledger?.finish({ v: 1, ...this.base, priceSource: this.deps.priceSource, ...rec });
  }
}

/** The provider events of one round, read into the meter, the text sink and what the round reports. */
class RoundReader {
  text = '';
  error: ProviderError | undefined;
  finish: Finish = { raw: 'error', reason: 'error', truncated: false };
  reported: { value: unknown; via: string } | undefined;
  served: ServiceTier | undefined;
  servedRaw: string | undefined;

  constructor(
    private readonly request: GenerationRequest,
    private readonly meter: RunMeter,
    private readonly deps: RoundDeps,
    private readonly record: RoundRecord,
  ) {}

  read(e: ProviderEvent): void {
    this.meter.onEvent(e);
    if (e.type === 'text') {
      this.text += e.text;
      this.deps.onText(e.text);
      this.record.textArrived();
    } else if (e.type === 'error') this.error = e.error;
    else if (e.type === 'finish') this.finish = e.finish;
    // A later report replaces an earlier one (a body's usage.cost arrives after a header's).
    else if (e.type === 'cost') this.reported = { value: e.reported, via: e.via };
    else if (e.type === 'tier') {
      // A server's word, shown in a note: bounded and cleaned like any server text.
      this.servedRaw = serverText(e.raw, undefined, 40);
      this.served = servedTier(this.request.provider, e.raw);
      // The live cost follows the tier that is serving, once the response says it.
      if (this.served && this.deps.priceOf) this.meter.setPrice(this.deps.priceOf(this.served));
    }
  }

  /** The tier that served: as the response said; standard when nothing was asked and nothing said; else unknown. */
  servedTier(): ServiceTier | null {
    if (this.served) return this.served;
    return this.request.serviceTier ? null : 'standard';
  }
}

export async function runRound(request: GenerationRequest, input: RoundInput, deps: RoundDeps): Promise<RoundResult> {
  const now = deps.now ?? Date.now;
  const asked: ServiceTier = request.serviceTier ?? 'standard';
  const meter = new RunMeter({
    inputTokens: input.inputTokens,
    inputExact: input.inputExact,
    maxTokens: request.maxTokens,
    price: deps.priceOf ? deps.priceOf(asked) : deps.price,
    tokenizer: deps.tokenizer,
    tokenizerExact: deps.tokenizerExact,
    hiddenReasoning: reasoningHiddenFor(request, deps.thinking),
    now,
  });
  const record = new RoundRecord(request, input, deps, meter, now);
  await record.begin();
  const r = new RoundReader(request, meter, deps, record);
  try {
    for await (const e of deps.adapter.stream(request, { apiKey: deps.apiKey, signal: deps.signal })) {
      r.read(e);
      deps.onEvent?.(e, () => meter.snapshot());
    }
  } finally {
    record.stopTimer();
  }
  const { usage, source } = meter.usage();
  const serviceTier = r.servedTier();
  const price = deps.priceOf ? billedPrice(deps.priceOf, asked, serviceTier ?? undefined, usage) : deps.price;
  const cost = resolveCost(usage, costOf(usage, price), price, r.reported);
  const saved = cacheSavingUsd(usage, price);
  const durationMs = now() - record.started;
  await record.finish({
    durationMs,
    usage,
    usageSource: source,
    costUsd: cost.usd,
    ...(cost.source ? { costSource: cost.source } : {}),
    ...(cost.pricedUsd !== undefined ? { pricedUsd: cost.pricedUsd } : {}),
    finish: { raw: r.finish.raw, reason: r.finish.reason, truncated: r.finish.truncated },
    ...(deps.priceOf ? { priceSource: price?.source } : {}),
    ...(serviceTier ? { serviceTier } : {}),
    ...(saved ? { cacheSavedUsd: saved } : {}),
  });
  const estimate = { inputTokens: input.inputTokens, outputTokens: meter.countedOutput };
  const result: RoundResult = { text: r.text, finish: r.finish, usage, usageSource: source, costUsd: cost.usd, costSource: cost.source, costNotes: cost.notes, durationMs, ledgerId: record.id, estimate, serviceTier };
  if (price) result.price = price;
  if (saved) result.cacheSavedUsd = saved;
  if (cost.pricedUsd !== undefined) result.pricedUsd = cost.pricedUsd;
  if (request.serviceTier && serviceTier !== request.serviceTier) result.tierNote = tierNote(request.serviceTier, serviceTier, r.servedRaw, request.provider);
  if (r.error) result.error = r.error;
  if (meter.rejected.length) result.usageNote = rejectedUsageNote(providerLabel(request.provider), meter.rejected);
  return result;
}

/** What is said when the tier that served is not the one asked for (a downgrade, or a response that did not say). */
function tierNote(asked: ServiceTier, served: ServiceTier | null, raw: string | undefined, provider: GenerationRequest['provider']): string {
  if (served) return `Asked for the ${asked} tier; ${providerLabel(provider)} served it at ${served}${raw && raw.toLowerCase() !== served ? ` ("${raw}")` : ''}, and it is priced at ${served}.`;
  const said = raw ? `named a tier Lengthwise does not know ("${raw}")` : 'did not say which tier served it';
  return `Asked for the ${asked} tier; the response ${said}, so it is priced at the dearer of ${asked} and standard.`;
}

export interface ChainState {
  chainId: string;
  /** The conversation of round 1 (the user's prompt), kept for every continuation round. */
  messages: ChatMessage[];
  /** The whole answer so far, as it stands in the document. */
  textSoFar: string;
  rounds: number;
  usage: Usage;
  usageSource: UsageSource;
  costUsd: number | null;
  /** Where the chain's cost comes from (the least trusted source among its rounds); null = unknown. */
  costSource?: CostSource | null;
  finish: Finish;
  /** The tier that served the last round (null: asked for one, not said). */
  serviceTier?: ServiceTier | null;
  /** The price the last round was billed at. */
  price?: ModelPrice;
  /** The request of the last round (its system prompt, stops and temperature stay in force). */
  lastRequest: GenerationRequest;
  strategies: ContinuationStrategy[];
}

export interface ChainDeps extends Omit<RoundDeps, 'onText'> {
  onText(delta: string): void;
  /** Builds the request of a continuation round with the limits in force now (see planContinuationRequest). */
  planContinuation(messages: ChatMessage[]): { request: GenerationRequest; inputTokens: number; inputExact: boolean } | { error: string };
  modelSupportsPrefill: boolean | undefined;
  prefillRefused: Set<string>;
  /** Asked before every automatic round: false stops the chain (budget, user cancel). */
  mayContinue?(state: ChainState): boolean | string;
  onRound?(state: ChainState, result: RoundResult): void;
}

/** What a continuation round sent, for the marker, the result and the log. */
export interface ContinuationLimits {
  maxTokens: number;
  stop: string[];
  /** Where the max tokens came from ("lengthwise.maxTokens", "preset \"x\" → maxTokens"), and the factor applied. */
  maxTokensFrom: string;
  factor: number;
  /** The round before sent this many. */
  previousMaxTokens: number;
  /** Clamped to the model's limits (then maxTokens is below factor × the setting). */
  clamped: boolean;
}

export type PlannedContinuation =
  | { request: GenerationRequest; inputTokens: number; inputExact: boolean; limits: ContinuationLimits; notes: string[] }
  | { error: string };

/**
 * The request of a continuation round. Its limits are the ones in force now: `current` is the effective settings
 * resolved at continue time (the user may have raised max tokens or changed stops after the truncation), planned
 * for the chain's provider, model and endpoint, so a raised or doubled max tokens is clamped to that model's limits
 * again. The chain's system prompt (with its length hint) and sampling are kept: the answer goes on as it started.
 * `factor` 2 = "Continue with 2× max tokens". `count` gives the input tokens of a text (a tokenizer, or an
 * estimate when `exact` is false).
 */
export function planContinuationRequest(
  current: { settings: LengthwiseSettings; sources?: SettingSources },
  last: GenerationRequest,
  messages: ChatMessage[],
  factor: number,
  count: (text: string) => number,
  exact: boolean,
  discovered?: DiscoveredLimits,
): PlannedContinuation {
  const inputTokens = countChatInput(last.provider, last.system, messages, count);
  const base = current.settings;
  const maxTokens = Math.min(MAX_TOKENS_LIMIT, Math.max(1, Math.round(base.maxTokens * factor)));
  const settings: LengthwiseSettings = { ...base, provider: last.provider, model: last.model, baseUrl: last.baseUrl ?? '', maxTokens };
  const sources: SettingSources = { ...current.sources };
  for (const k of ['provider', 'model', 'baseUrl'] as const) delete sources[k];
  const plan = planRequest({ settings, sources, prompt: messages[0]?.content ?? '', inputTokens, inputTokensExact: exact, messages, discovered });
  if (!plan.request) return { error: plan.errors.map((e) => e.message).join(' ') || 'the continuation request could not be built' };
  // The conversation start is identical in every round, so the provider may serve it from its prompt cache.
  const request: GenerationRequest = { ...plan.request, cachePrefix: true };
  for (const k of ['system', 'lengthHint', 'temperature', 'topP'] as const) {
    if (last[k] === undefined) delete request[k];
    else (request as unknown as Record<string, unknown>)[k] = last[k];
  }
  const limits: ContinuationLimits = {
    maxTokens: request.maxTokens,
    stop: [...request.stop],
    maxTokensFrom: settingLabel('maxTokens', current.sources?.maxTokens),
    factor,
    previousMaxTokens: last.maxTokens,
    clamped: plan.clamped,
  };
  return { request, inputTokens, inputExact: exact, limits, notes: plan.notes };
}

/** "max tokens 100 (lengthwise.maxTokens; the round before had 12) · stops "###"" — what a continuation used. */
export function continuationLimitsText(l: ContinuationLimits): string {
  const from = l.factor === 1 ? l.maxTokensFrom : `${l.factor}× ${l.maxTokensFrom}`;
  const clamp = l.clamped ? ', clamped to the model' : '';
  const before = l.previousMaxTokens !== l.maxTokens ? `; the round before had ${l.previousMaxTokens}` : '';
  const stops = l.stop.length ? l.stop.map((x) => JSON.stringify(x)).join(' ') : 'none';
  return `max tokens ${l.maxTokens} (${from}${clamp}${before}) · stop sequences ${stops}`;
}

/** A round that added nothing after the seam: what happened, what it cost, what to do. */
export interface NoProgress {
  round: number;
  why: 'restarted' | 'repeated' | 'empty';
  message: string;
}

function noProgressMessage(x: {
  round: number;
  why: NoProgress['why'];
  dropped: number;
  result: Pick<RoundResult, 'usage' | 'usageSource' | 'costUsd'>;
  strategy: ContinuationStrategy;
  maxTokens: number;
  model: string;
}): string {
  const what =
    x.why === 'restarted'
      ? `the model started the answer over instead of continuing it (${x.dropped} repeated characters were not inserted)`
      : x.why === 'repeated'
        ? `the model only repeated the end of the answer (${x.dropped} characters, not inserted)`
        : 'the model returned no text';
  const est = x.result.usageSource !== 'provider' ? '≈' : '';
  const cost = x.result.costUsd === null ? 'price unknown' : `${est}${formatUsd(x.result.costUsd)}`;
  const switchTo =
    x.strategy === 'prefill'
      ? `set "supportsPrefill": false for "${x.model}" in lengthwise.models to continue with a "continue" request instead of prefill`
      : `if the server continues a trailing assistant message, set "supportsPrefill": true for "${x.model}" in lengthwise.models to continue by prefill`;
  return (
    `Continuation round ${x.round} added no new text: ${what}. It cost ${est}${x.result.usage.outputTokens} output tokens (${cost}). ` +
    `The chain stopped here. To go on, raise max tokens above ${x.maxTokens} (or use Continue with 2× max tokens) so a repeat fits and the answer can get further, ` +
    `or switch the continuation strategy: ${switchTo}.`
  );
}

type ChainOptions = { auto: boolean; maxRounds: number; explicit?: boolean };
type ChainOutcome = { state: ChainState; stoppedBecause?: string; lastError?: ProviderError; noProgress?: NoProgress };

/** Why the chain goes no further before the next round (undefined: it goes on); `first`: no round run yet. */
function stopBefore(s: ChainState, opts: ChainOptions, first: boolean, deps: ChainDeps): { stop: true; why?: string } | undefined {
  const wantsMore = s.finish.truncated || s.finish.reason === 'pause';
  if (!wantsMore) return { stop: true };
  if (!first && !opts.auto && s.finish.reason !== 'pause') return { stop: true };
  if (s.rounds >= opts.maxRounds && !(first && opts.explicit)) {
    // After a round the user asked for, the cap only ends the automatic rounds: nothing to report.
    return { stop: true, why: opts.explicit ? undefined : `automatic continuation stopped at lengthwise.continuation.maxRounds (${plural(opts.maxRounds, 'round')}); Continue goes on` };
  }
  if (deps.signal?.aborted) return { stop: true, why: 'cancelled' };
  const may = deps.mayContinue?.(s) ?? true;
  if (may !== true) return { stop: true, why: typeof may === 'string' ? may : 'stopped' };
  return undefined;
}

/**
 * One continuation round: by prefill where the model takes it, else a "continue" request; a prefill the provider
 * refuses is tried once more the other way (its spend still counts). The answer's new text goes through the seam.
 */
async function continuationRound(state: ChainState, deps: ChainDeps): Promise<{ state: ChainState; result?: RoundResult; joiner?: SeamJoiner; added: string; error?: string }> {
  let s = state;
  let strategy = chooseStrategy({
    provider: s.lastRequest.provider,
    model: s.lastRequest.model,
    modelSupportsPrefill: deps.modelSupportsPrefill,
    prefillRefused: deps.prefillRefused,
    finishRaw: s.finish.raw,
  });
  for (let attempt = 0; attempt < 2; attempt++) {
    const messages = continuationMessages(s.messages, s.textSoFar, strategy);
    const planned = deps.planContinuation(messages);
    if ('error' in planned) return { state: s, added: '', error: planned.error };
    const joiner = new SeamJoiner(s.textSoFar);
    let appended = '';
    const emit = (out: string) => {
      if (!out) return;
      appended += out;
      deps.onText(out);
    };
    const result = await runRound(
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
    s = { ...s, textSoFar: s.textSoFar + appended, finish: result.finish, serviceTier: result.serviceTier, price: result.price, lastRequest: planned.request, strategies: [...s.strategies, strategy] };
    return { state: s, result, joiner, added: appended };
  }
  return { state: s, added: '' };
}

/** A round that added nothing after the seam: another would most likely do the same and cost as much again. */
function noProgressOf(s: ChainState, result: RoundResult, joiner: SeamJoiner): NoProgress {
  const why: NoProgress['why'] = joiner.restarted ? 'restarted' : joiner.removed.trim() !== '' ? 'repeated' : 'empty';
  const message = noProgressMessage({
    round: s.rounds,
    why,
    dropped: joiner.removed.length,
    result,
    strategy: s.strategies[s.strategies.length - 1] ?? 'user-continue',
    maxTokens: s.lastRequest.maxTokens,
    model: s.lastRequest.model,
  });
  return { round: s.rounds, why, message };
}

/**
 * Continues a truncated (or paused) answer, automatically when `auto`, else exactly one round; pause (Anthropic
 * pause_turn) always resumes. Automatic rounds stop when the chain has `maxRounds` rounds (counting those in
 * `state`); `explicit` = the user asked for this continuation, so its first round runs even past the cap (otherwise
 * the "Continue" quick fix of a chain that reached the cap would do nothing).
 */
export async function continueChain(state: ChainState, opts: ChainOptions, deps: ChainDeps): Promise<ChainOutcome> {
  let s = state;
  let lastError: ProviderError | undefined;
  for (let first = true; ; first = false) {
    const stop = stopBefore(s, opts, first, deps);
    if (stop) return stop.why === undefined ? { state: s, lastError } : { state: s, stoppedBecause: stop.why, lastError };
    const r = await continuationRound(s, deps);
    s = r.state;
    if (r.error !== undefined) return { state: s, stoppedBecause: r.error, lastError };
    const { result, joiner } = r;
    if (!result) return { state: s, lastError };
    deps.onRound?.(s, result);
    if (result.error) {
      lastError = result.error;
      if (result.error.kind === 'cancelled' || result.finish.reason === 'cancelled') return { state: s, stoppedBecause: 'cancelled', lastError };
      return { state: s, stoppedBecause: result.error.message, lastError };
    }
    if (r.added.trim() === '' && joiner) {
      const noProgress = noProgressOf(s, result, joiner);
      return { state: s, stoppedBecause: noProgress.message, lastError, noProgress };
    }
  }
}
