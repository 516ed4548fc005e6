// One run (a send or a continue) while it streams: the abort controller, the ledger, the round dependencies for
// core's pipeline, and the rounds themselves. Emits progress, request and round events; draws nothing.
import * as vscode from 'vscode';
import type { MeterSnapshot } from '../../core/generation/meter';
import { continuationLimitsText, continueChain, planContinuationRequest, runRound, type ChainState, type NoProgress, type RoundDeps, type RoundResult } from '../../core/generation/pipeline';
import type { Ledger } from '../../core/ledger/ledger';
import type { BudgetGuard, Reservation } from '../../core/pricing/budget';
import { findModel } from '../../core/models/models';
import type { DiscoveredLimits } from '../../core/models/discovery';
import { priceFor, type ModelPrice } from '../../core/pricing/cost';
import { tierPricer } from '../../core/pricing/serviceTier';
import type { ChatMessage, GenerationRequest, ProviderError } from '../../core/protocol/request';
import type { LengthwiseSettings, SettingSources } from '../../core/settings/settings';
import { estimateTokensFromChars } from '../../core/tokens/estimate';
import type { Tokenizer } from '../../core/tokens/tokens';
import { createAdapter } from '../../providers';
import type { AnchoredInserter } from '../editorStream';
import type { EndpointScope } from '../config/configuration';
import type { RunEvents } from './events';
import { budgetStopsRound } from './preflight';

/** What the controller hands to a run once every check has passed. */
export interface RunInput {
  kind: 'send' | 'continue';
  /** The effective settings (for a continue: resolved now, for the chain's provider, model and endpoint). */
  settings: LengthwiseSettings;
  /** Where each value came from (names the setting in what a continuation round reports it used). */
  sources?: SettingSources;
  presetName?: string;
  /** The values the active preset set over the user's settings (for the tooltip). */
  fromPreset?: { preset: string; values: string[] };
  endpointScope: EndpointScope;
  notes: string[];
  apiKey: string;
  inserter: AnchoredInserter;
  tokenizer: Tokenizer | undefined;
  tokenizerExact: boolean;
  /** Limits the OpenAI-compatible server reported, for planning continuation rounds. */
  discovered?: DiscoveredLimits;
  first?: { request: GenerationRequest; inputTokens: number; inputExact: boolean; messages: ChatMessage[]; chainId: string };
  /** `message`: the truncation marker's text, kept when no round runs; `factor` 2 = Continue with 2× max tokens. */
  resume?: { chain: ChainState; factor: number; message: string };
  /** This run's worst-case budget hold (settled by the controller when the run ends). */
  hold?: Reservation;
  /** Why max tokens is lower than set, for the status bar ("budget cap": a "block" budget's rest bought no more). */
  cap?: string;
  /** The send as it was asked for (the prompt as text), for a retry at the standard tier after a tier refusal. */
  retry?: { text: string; preset?: string; overrides?: Record<string, unknown> };
}

export interface Outcome {
  chain: ChainState;
  error?: ProviderError;
  stoppedBecause?: string;
  /** A round added nothing new: the chain stopped with this (what happened, its cost, what to do). */
  noProgress?: NoProgress;
}

const WAITING: MeterSnapshot = { state: 'waiting', outputTokens: 0, outputExact: true, inputTokens: 0, maxTokens: 0, costUsd: null, tokensPerSecond: 0, chars: 0 };

type Progress = vscode.Progress<{ message?: string }>;

export class Run {
  readonly ac = new AbortController();
  /** The standard price; rounds are priced by the tier that served them (priceOf). */
  readonly price: ModelPrice | undefined;
  readonly priceOf: ReturnType<typeof tierPricer>;
  readonly startText: string;
  /** This call's local counts next to the provider's numbers, for the tooltip. */
  readonly estimate = { inputTokens: 0, outputTokens: 0 };
  /** The last round's result: the marker reports that round ("1024/1024"), not the chain's summed output. */
  lastRound: RoundResult | undefined;
  /** Usage a server reported that was not believed (not plain token counts): said in the summary and tooltip. */
  readonly usageNotes = new Set<string>();
  /** What each continuation round used ("round 2: max tokens 100 (lengthwise.maxTokens; …) · stop sequences none"). */
  readonly limits: string[] = [];
  documentClosed = false;
  private latest: (() => MeterSnapshot) | undefined;
  private readonly closedSub: vscode.Disposable;

  constructor(
    readonly id: string,
    readonly x: RunInput,
    readonly ledger: Ledger | undefined,
    private readonly env: { events: RunEvents; workspaceId: string; prefillRefused: Set<string>; budget: BudgetGuard },
  ) {
    this.price = priceFor(x.settings);
    this.priceOf = tierPricer(x.settings);
    this.startText = x.inserter.written;
    this.closedSub = vscode.workspace.onDidCloseTextDocument((d) => {
      if (d !== x.inserter.document) return;
      this.documentClosed = true;
      this.ac.abort(); // the target is gone: cancel; the spend stays in the ledger
    });
  }

  /** The live numbers of the round in flight. */
  readonly snapshot = (): MeterSnapshot => this.latest?.() ?? WAITING;

  /** Round 1 of a send, then continuation rounds while wanted (auto-continue, pause_turn, an explicit continue). */
  async stream(progress: Progress): Promise<Outcome> {
    const s = this.x.settings;
    let chain: ChainState;
    if (this.x.first) {
      const r = await this.firstRound(progress);
      if (r.error) return { chain: r.chain, error: r.error };
      const wantsAuto = (r.chain.finish.truncated && r.chain.finish.reason === 'length' && s['continuation.auto']) || r.chain.finish.reason === 'pause';
      if (!wantsAuto) return { chain: r.chain };
      chain = r.chain;
    } else chain = this.x.resume!.chain;
    progress.report({ message: 'continuing…' });
    const res = await continueChain(
      chain,
      // auto: only the setting (a resumed pause_turn must not turn on auto-continue); explicit: the user asked.
      { auto: s['continuation.auto'], maxRounds: s['continuation.maxRounds'], explicit: !!this.x.resume },
      this.chainDeps(chain, progress),
    );
    return { chain: res.state, error: res.lastError, stoppedBecause: res.stoppedBecause, noProgress: res.noProgress };
  }

  private async firstRound(progress: Progress): Promise<{ chain: ChainState; error?: ProviderError }> {
    const f = this.x.first!;
    this.env.events.fire('request', { runId: this.id, request: f.request, round: 1 });
    progress.report({ message: `max ${f.request.maxTokens} tokens…` });
    const r = await runRound(f.request, { inputTokens: f.inputTokens, inputExact: f.inputExact, chainId: f.chainId, round: 1 }, this.roundDeps());
    this.noteRound(r, 1);
    const chain: ChainState = {
      chainId: f.chainId,
      messages: f.messages,
      textSoFar: r.text,
      rounds: 1,
      usage: r.usage,
      usageSource: r.usageSource,
      costUsd: r.costUsd,
      costSource: r.costSource,
      finish: r.finish,
      serviceTier: r.serviceTier,
      price: r.price,
      lastRequest: f.request,
      strategies: [],
    };
    return { chain, error: r.error };
  }

  private roundDeps(): RoundDeps {
    const s = this.x.settings;
    return {
      adapter: createAdapter(s.provider),
      apiKey: this.x.apiKey,
      signal: this.ac.signal,
      tokenizer: this.x.tokenizer,
      tokenizerExact: this.x.tokenizerExact,
      thinking: findModel(s.provider, s.model, s.models),
      price: this.price,
      priceSource: this.price?.source,
      priceOf: this.priceOf,
      ledger: this.ledger,
      workspace: this.env.workspaceId,
      preset: this.x.presetName,
      onText: (delta) => this.x.inserter.write(delta),
      onEvent: (event, snapshot) => {
        this.latest = snapshot;
        if (event.type === 'retry') this.env.events.fire('retry', { runId: this.id, provider: s.provider, retry: event });
      },
    };
  }

  private chainDeps(start: ChainState, progress: Progress): Parameters<typeof continueChain>[2] {
    const s = this.x.settings;
    const tok = this.x.tokenizer;
    let done = start.rounds;
    return {
      ...this.roundDeps(),
      modelSupportsPrefill: findModel(s.provider, s.model, s.models)?.supportsPrefill,
      prefillRefused: this.env.prefillRefused,
      // The limits in force now (this.x.settings was resolved when this run started), not those of round 1.
      planContinuation: (messages) => {
        const count = (t: string) => (tok ? tok.count(t) : estimateTokensFromChars(t.length));
        const planned = planContinuationRequest({ settings: s, sources: this.x.sources }, start.lastRequest, messages, this.x.resume?.factor ?? 1, count, this.x.tokenizerExact, this.x.discovered);
        if ('request' in planned) {
          this.limits.push(`round ${done + 1}: ${continuationLimitsText(planned.limits)}`);
          this.env.events.fire('request', { runId: this.id, request: planned.request, round: done + 1 });
        }
        return planned;
      },
      mayContinue: () => (this.ac.signal.aborted ? 'cancelled' : (budgetStopsRound(s, this.ledger, this.env.workspaceId, this.env.budget, this.x.hold) ?? true)),
      onRound: (st, r) => {
        done = st.rounds;
        this.noteRound(r, st.rounds);
        progress.report({ message: `round ${st.rounds}` });
      },
    };
  }

  private noteRound(r: RoundResult, round: number): void {
    this.lastRound = r;
    if (r.usageNote) this.usageNotes.add(r.usageNote);
    if (r.tierNote) this.usageNotes.add(r.tierNote);
    this.estimate.inputTokens += r.estimate.inputTokens;
    this.estimate.outputTokens += r.estimate.outputTokens;
    this.env.events.fire('round', { runId: this.id, result: r, round });
  }

  /** includeStopSequence: append the matched stop when it is known; otherwise say why not. */
  async appendStopSequence(chain: ChainState): Promise<string | undefined> {
    const stops = chain.lastRequest.stop;
    if (!this.x.settings.includeStopSequence || chain.finish.reason !== 'stop' || !stops.length) return undefined;
    const matched = chain.finish.stopSequence ?? (stops.length === 1 ? stops[0] : undefined);
    if (matched === undefined) return vscode.l10n.t('includeStopSequence: the provider did not say which stop sequence matched, so none was appended.');
    this.x.inserter.write(matched);
    await this.x.inserter.flush().catch(() => undefined);
    return undefined;
  }

  dispose(): void {
    this.closedSub.dispose();
  }
}
