// Send, Continue and Count Selection Tokens Exactly, each as its steps in order: the prompt and settings, the
// input count and plan, the key, the endpoint approval, the budget, the target, then the run. The controller
// emits run events (send/events.ts); the status bar, markers, dashboard, log and notifications subscribe.
import { MAX_UNCUT_RUN } from '../../core/tokens/safeCuts';
import { logError } from '../logError';
import * as vscode from 'vscode';
import type { Plan } from '../../core/generation/plan';
import type { InputParts } from '../../core/generation/countedPlan';
import type { DiscoveredLimits } from '../../core/models/discovery';
import { chooseStrategy as chooseContinuation, continuationMessages } from '../../core/generation/continuation';
import { findModel } from '../../core/models/models';
import { profileOf } from '../../core/providers';
import { RefusedError, type ResultSummary } from '../../core/generation/summary';
import type { Ledger } from '../../core/ledger/ledger';
import { presetValues } from '../../core/settings/settings';
import { worstCaseCost } from '../../core/pricing/cost';
import { tierPricer } from '../../core/pricing/serviceTier';
import { fitCapToBudget } from '../../core/pricing/budgetFit';
import { sentTier } from '../../core/providers/tiers';
import { cacheMinimumNote } from '../../core/generation/cacheMinimum';
import { countTokensRemote, NoCountEndpoint } from '../../providers/countTokens';
import type { LimitDiscovery } from '../../providers/discovery';
import type { ServerCounts } from '../../providers/serverTokens';
import { serverFacts, type ServerFacts, type ServerFactsDeps } from './serverFacts';
import { endpointScope } from '../config/configuration';
import type { Truncations, TruncatedAnswer } from '../codeActions';
import type { Door } from '../door/door';
import type { RunEvents } from './events';
import { readPrompt, type Preflight, type SendOptions } from './preflight';
import { reportRun, thisCall } from './report';
import { Run, type Outcome, type RunInput } from './run';
import type { SessionTotals } from '../../core/generation/sessionTotals';
import type { BudgetGuard } from '../../core/pricing/budget';
import { openTarget } from './target';
import { recordId, sessionId } from './ids';
import { chooseStrategy, planChoices } from './job';
import type { FailedParts } from './failedParts';
import { JobRunner, type JobContext } from './jobRunner';
import { settleAfter } from './settle';
import { jobRoom } from '../../core/generation/jobs/jobPlan';
import { ESTIMATE_MARGIN } from '../../core/generation/jobs/fitParts';
import { preview, type Preview } from './preview';
import type { InputRoom } from '../../core/generation/jobs/jobPlan';
import type { LengthwiseSettings, ResolvedSettings } from '../../core/settings/settings';
import type { ConfigRead } from '../config/configuration';
import type { InputCount } from './preflight';

export type { SendOptions } from './preflight';

export interface ContinueOptions {
  id?: string;
  maxTokensFactor?: number;
}

export interface ExactCount {
  inputTokens: number;
  source: string;
  localEstimate: number;
  localExact: boolean;
  /** What the local count is made of (the selection, the system prompt with its hint, the framing). */
  parts?: InputParts;
}

/**
 * The count made on this machine: exact with the model's own tokenizer (OpenAI's Chat models), unless a run cut
 * by the counter's bound or another model's tokenizer makes it ≈. `why`: why no provider count was asked for.
 */
function localCount(model: string, c: InputCount, why?: string): ExactCount {
  const tokenizer = c.tokenizer?.id ?? 'local';
  const source = !c.tokenizerExact
    ? vscode.l10n.t('{0} tokenizer (≈: not the tokenizer of {1})', tokenizer, model)
    : c.exact
      ? vscode.l10n.t('{0} tokenizer (exact for {1})', tokenizer, model)
      : vscode.l10n.t('{0} tokenizer (≈ for {1}: runs of over {2} characters without a break are cut)', tokenizer, model, MAX_UNCUT_RUN);
  return { inputTokens: c.tokens, source: why ? `${source}; ${why}` : source, localEstimate: c.tokens, localExact: c.exact && c.tokenizerExact, parts: c.parts };
}

export interface ControllerDeps {
  preflight: Preflight;
  door: Door;
  events: RunEvents;
  truncations: Truncations;
  ledger: () => Promise<Ledger>;
  session: SessionTotals;
  budget: BudgetGuard;
  workspaceId: string;
  log: vscode.LogOutputChannel;
  /** Limits OpenAI-compatible servers report (asked once per base URL + model, at most 1 s per send). */
  discovery: LimitDiscovery;
  /** How a server's own counts compared with the local estimate (the meter scales by it). */
  serverCounts: ServerCounts;
  /** Parts of jobs that got no answer: marked in place, named once, retried from there. */
  failedParts: FailedParts;
}



export class SendController implements vscode.Disposable {
  private readonly inFlight = new Map<string, AbortController>();
  private readonly idleWaiters: (() => void)[] = [];
  private readonly prefillRefused = new Set<string>();
  /** Models told this session that their prompts were too short to cache. */
  private readonly toldCacheMinimum = new Set<string>();

  /** Live jobs: run, followed, marked where parts got no answer, retried (jobRunner.ts). */
  private readonly jobs: JobRunner;

  constructor(private readonly d: ControllerDeps) {
    this.jobs = new JobRunner({ ...d, track: (id) => this.track(id), untrack: (id) => this.untrack(id) });
  }

  /** Send the selection / current line / given text. Rejects with RefusedError when nothing was sent. */
  async send(opts: SendOptions = {}): Promise<ResultSummary> {
    const { preflight } = this.d;
    const { editor, prompt } = readPrompt(opts);
    const { cfg, resolved, s } = await preflight.settings(editor, opts);
    const messages = [{ role: 'user' as const, content: prompt }];
    const scope = endpointScope(cfg, resolved.sources.baseUrl);
    let counted = await preflight.countInput(s, messages);
    // Invalid settings are refused before any question or request (input over a known window is a job instead).
    if (!jobRoom(s, counted)) await preflight.plan(s, prompt, counted, resolved, { quiet: true });
    // A server that reports its limits is asked first (once the door approved its endpoint, with its key), and
    // counts the input with its own tokenizer where it has one.
    const server = await serverFacts(this.serverDeps(), s, scope, s.systemPrompt, messages, counted);
    if (server) counted = server.counted;
    const room = jobRoom(s, counted, server?.discovered);
    if (room) return this.sendJob({ editor, opts, cfg, resolved, s, prompt, counted, room, server });
    const input = counted;
    const priceOf = tierPricer(s);
    type Planned = { plan: Plan & { request: NonNullable<Plan['request']> }; counted: InputCount; discovered: DiscoveredLimits | undefined };
    const worstOf = (p: Planned) => worstCaseCost(p.counted.tokens, p.plan.request.maxTokens, priceOf(p.plan.request.serviceTier ?? 'standard'));
    let planned: Planned | undefined;
    const pass = await this.d.door.authorize({
      settings: s,
      scope,
      key: 'required',
      // Only once the endpoint is approved: the server is asked about its model (with the same key). The worst case
      // counts the request as planned: its length hint and framing included.
      worstUsd: async (key) => {
        const discovered = server ? server.discovered : await this.limitsOf(s, key);
        planned = { ...(await preflight.plan(s, prompt, input, resolved, { discovered })), discovered };
        return worstOf(planned);
      },
      // A "block" budget short of the worst case: the cap is lowered to what its rest buys (said in a note).
      fit: (roomUsd) => {
        const p = preflight.planNow(s, prompt, input, resolved, { discovered: planned?.discovered, budgetRoomUsd: roomUsd });
        if (p.plan.budgetShort) return { short: p.plan.budgetShort };
        planned = { ...p, discovered: planned?.discovered };
        return { worstUsd: worstOf(planned) ?? Number.POSITIVE_INFINITY };
      },
    });
    const { plan, counted: sent, discovered } = planned!;
    // The worst case stays held until the run's spend is in the ledger (or nothing was sent).
    return settleAfter(pass.hold, async () => this.execute({
      kind: 'send',
      settings: s,
      sources: resolved.sources,
      presetName: resolved.presetName,
      fromPreset: presetValues(resolved),
      endpointScope: scope,
      notes: [...plan.notes, ...plan.warnings, ...plan.lint],
      apiKey: pass.key,
      inserter: await openTarget(editor, s.output, opts.text !== undefined),
      tokenizer: sent.tokenizer,
      tokenizerExact: sent.tokenizerExact,
      discovered,
      first: { request: plan.request, inputTokens: plan.inputTokens ?? sent.tokens, inputExact: sent.exact && !plan.request.lengthHint, messages, chainId: recordId('c') },
      hold: pass.hold,
      cap: plan.budgetCapped ? 'budget cap' : undefined,
      retry: { text: prompt, ...(opts.preset !== undefined ? { preset: opts.preset } : {}), ...(opts.overrides ? { overrides: opts.overrides } : {}) },
    }));
  }

  private serverDeps(): ServerFactsDeps {
    return { door: this.d.door, discovery: this.d.discovery, counts: this.d.serverCounts, log: this.d.log };
  }

  /** Send of an input larger than one request takes: planned, offered (or as lengthwise.chunking.strategy says), run live. */
  private async sendJob(j: { editor: vscode.TextEditor | undefined; opts: SendOptions; cfg: ConfigRead; resolved: ResolvedSettings; s: LengthwiseSettings; prompt: string; counted: InputCount; room: InputRoom; server?: ServerFacts }): Promise<ResultSummary> {
    const { s } = j;
    const choices = await planChoices(s, j.prompt, j.counted, j.room, j.editor?.document.languageId, j.server?.tokenizer, (t) => this.d.preflight.countOffThread(s, t));
    const choice = await chooseStrategy(s, j.counted, j.room, choices, await this.budgetRoom(s));
    if (!choice) throw new RefusedError(vscode.l10n.t('Cancelled: the selection is larger than one request and no plan was chosen. Nothing was sent.'), 'declined');
    const job: JobContext = { choice, s, scope: endpointScope(j.cfg, j.resolved.sources.baseUrl), counted: j.counted, room: j.room, discovered: j.server?.discovered, presetName: j.resolved.presetName };
    // "ask" showed the plans and the user chose one; "chunks" and "summarizeFirst" are asked by the door when large.
    return this.jobs.run(job, { askedUser: s['chunking.strategy'] === 'ask', target: () => openTarget(j.editor, s.output, j.opts.text !== undefined) });
  }

  /** The API's preview(): this selection and these settings planned as Send would, nothing sent (send/preview.ts). */
  preview(opts: SendOptions = {}): Promise<Preview> {
    return preview({ preflight: this.d.preflight, ledger: this.d.ledger, budget: this.d.budget, workspaceId: this.d.workspaceId, discovery: this.d.discovery }, opts);
  }

  /** What a "block" budget has left now (for showing it beside a plan); undefined without one or without a ledger. */
  private async budgetRoom(s: LengthwiseSettings): Promise<number | undefined> {
    if (s['budget.usd'] === null || s['budget.action'] !== 'block') return undefined;
    const ledger = await this.d.ledger().catch(() => undefined);
    if (!ledger) return undefined;
    return this.d.budget.room({ usd: s['budget.usd'], action: 'block' }, ledger.totals({ workspace: this.d.workspaceId }).budgetUsd);
  }

  /**
   * Continue a truncated answer (from the code action, the palette or the keybinding) at the answer's end, with the
   * settings in force now (the user may have raised max tokens after the truncation) for the chain's provider,
   * model and endpoint.
   */
  async continue(opts: ContinueOptions = {}): Promise<ResultSummary> {
    const c = await this.continuation(opts, true);
    const { t, now, textSoFar, counted, server, conversation } = c;
    let { s, factor } = c;
    let capped: string | undefined;
    const price = tierPricer(s)(sentTier(s.provider, s.model, s.serviceTier));
    const { key: apiKey, hold } = await this.d.door.authorize({
      settings: s,
      scope: t.endpointScope,
      key: 'required',
      worstUsd: c.worstUsd,
      // A "block" budget short of the round's worst case: its cap is lowered to what the rest buys, as for a Send.
      fit: (roomUsd) => {
        const fit = price ? fitCapToBudget(price, counted.tokens, c.maxTokens, roomUsd) : undefined;
        if (!fit || 'short' in fit) return { short: fit?.short ?? vscode.l10n.t('The price is unknown.') };
        if (fit.fits) return { worstUsd: c.worstUsd ?? Number.POSITIVE_INFINITY };
        s = { ...s, maxTokens: fit.maxTokens };
        factor = 1;
        capped = fit.note;
        return { worstUsd: worstCaseCost(counted.tokens, fit.maxTokens, price) ?? Number.POSITIVE_INFINITY };
      },
    });
    const discovered = profileOf(s.provider).transport === 'editor' ? await this.d.preflight.modelLimits(s) : (server?.discovered ?? (profileOf(s.provider).serverLimits && s.baseUrl ? this.d.discovery.known(s.baseUrl, s.model) : undefined));
    // The answer's own inserter writes at its end, wherever the cursor is, and its range keeps covering the whole
    // answer (a fresh inserter would cover only this round: the next round would send only this round's text).
    this.d.truncations.take(t.id);
    return settleAfter(hold, () => this.execute({
      kind: 'continue',
      settings: s,
      sources: now.resolved.sources,
      presetName: t.presetName,
      endpointScope: t.endpointScope,
      notes: capped ? [capped] : [],
      cap: capped ? 'budget cap' : undefined,
      apiKey,
      inserter: t.inserter,
      tokenizer: counted.tokenizer,
      tokenizerExact: counted.tokenizerExact,
      countScale: counted.by && counted.local ? counted.tokens / counted.local : undefined,
      counted: counted.by ? { messages: conversation, tokens: counted.tokens } : undefined,
      discovered,
      resume: { chain: { ...t.chain, textSoFar }, factor, message: t.message },
      hold,
    }));
  }

  /**
   * What Continue would send for a truncated answer, and its worst case (the status bar's menu shows it before
   * anything is spent): the settings in force now, for the chain's provider, model and endpoint. After a round that
   * added nothing, a Continue without a factor doubles the cap unless max tokens were raised since: the same cap
   * would repeat that round.
   */
  async continuation(opts: ContinueOptions = {}, askServer = false) {
    const { preflight } = this.d;
    const t = this.truncatedAnswer(opts.id);
    const now = await preflight.settings(vscode.window.visibleTextEditors.find((e) => e.document === t.document), {});
    const s = { ...now.s, provider: t.settings.provider, model: t.settings.model, baseUrl: t.settings.baseUrl };
    // The answer as it stands in the document (the user may have edited it), with LF line breaks as the model
    // wrote them, so a repeated line at the seam is recognised in CRLF documents too.
    const textSoFar = lf(t.document.getText(t.inserter.range()));
    const asked = opts.maxTokensFactor && opts.maxTokensFactor > 1 ? opts.maxTokensFactor : undefined;
    const factor = asked ?? (t.noProgress && s.maxTokens <= t.chain.lastRequest.maxTokens ? 2 : 1);
    // What the first round will send; the chain's own system prompt (its length hint included) goes with every
    // round: the worst case counts it. With `askServer` (a Continue, not the menu's look), a local server counts it
    // with its own tokenizer (exact for that round); its ratio to the local count scales any later round.
    const strategy = chooseContinuation({ provider: s.provider, model: s.model, modelSupportsPrefill: findModel(s.provider, s.model, s.models)?.supportsPrefill, prefillRefused: this.prefillRefused, finishRaw: t.chain.finish.raw });
    const conversation = continuationMessages(t.chain.messages, textSoFar, strategy);
    const system = t.chain.lastRequest.system ?? '';
    const local = await preflight.countInput({ ...s, systemPrompt: system }, conversation, system);
    const server = askServer ? await serverFacts(this.serverDeps(), s, t.endpointScope, system, conversation, local, false) : undefined;
    const counted = server?.counted ?? local;
    const maxTokens = s.maxTokens * factor;
    return { t, now, s, textSoFar, factor, counted, maxTokens, server, conversation, worstUsd: worstCaseCost(counted.tokens, maxTokens, tierPricer(s)(sentTier(s.provider, s.model, s.serviceTier))) };
  }

  /** Requests (and live jobs) running now. */
  get running(): number {
    return this.inFlight.size;
  }

  /**
   * The exact input token count of the selection as Send would send it (system prompt, length hint and framing
   * included): asked of the provider where it counts (Anthropic, Gemini, OpenAI's Responses API), else counted on
   * this machine (OpenAI's Chat models exactly) — only when the user asks, never on selection changes.
   */
  async countExactly(opts: SendOptions = {}): Promise<ExactCount> {
    const { preflight } = this.d;
    const { editor, prompt } = readPrompt(opts);
    const { cfg, resolved, s } = await preflight.settings(editor, opts);
    const messages = [{ role: 'user' as const, content: prompt }];
    const { plan, counted } = await preflight.plan(s, prompt, await preflight.countInput(s, messages), resolved, { quiet: true });
    const profile = profileOf(s.provider);
    if (profile.transport === 'editor') {
      // Counted by the model itself (countTokens through VS Code): exact for that model, nothing to ask elsewhere.
      return { inputTokens: counted.tokens, source: `${s.model}'s own countTokens (VS Code; the system prompt counted as a message)`, localEstimate: counted.tokens, localExact: true, parts: counted.parts };
    }
    // A local server with its own tokenizer counts exactly for itself (asked with its key, like a send).
    const server = await serverFacts(this.serverDeps(), s, endpointScope(cfg, resolved.sources.baseUrl), s.systemPrompt, messages, counted);
    if (server?.counted.by) return { inputTokens: server.counted.tokens, source: `${server.counted.by} (exact for this server)`, localEstimate: counted.tokens, localExact: false };
    if (server && !counted.tokenizerExact) return { inputTokens: counted.tokens, source: `${counted.tokenizer?.id ?? 'local'} estimate: the server has no tokenizer endpoint Lengthwise can ask (jobs keep ${ESTIMATE_MARGIN * 100}% free)`, localEstimate: counted.tokens, localExact: false, parts: counted.parts };
    const responses = plan.request.api === 'responses' && profile.responsesInputCount;
    if (!responses && profile.exactCount === 'local') return localCount(s.model, counted);
    // The count goes over the network with the key, through the same door as a send (nothing is billed: no hold).
    const { key: apiKey } = await this.d.door.authorize({ settings: s, scope: endpointScope(cfg, resolved.sources.baseUrl), key: 'required' });
    try {
      const remote = await countTokensRemote(plan.request, apiKey);
      this.d.log.info(`exact count: ${remote.inputTokens} input tokens (${remote.source}); local count ${counted.tokens}`);
      return { ...remote, localEstimate: counted.tokens, localExact: false, parts: counted.parts };
    } catch (e) {
      if (!(e instanceof NoCountEndpoint)) throw e;
      this.d.log.info(`exact count: ${e.message} Counted on this machine instead.`);
      return localCount(s.model, counted, vscode.l10n.t('the server has no input-token count endpoint'));
    }
  }

  /** Work of many requests outside a send (a trial): Cancel stops it too; `work` gets the signal. */
  async tracked<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const id = sessionId('w');
    const ac = this.track(id);
    try {
      return await work(ac.signal);
    } finally {
      this.untrack(id);
    }
  }

  /** Limits the endpoint reports of its model: VS Code's language model itself, or an OpenAI-compatible server. */
  async limitsOf(s: LengthwiseSettings, key: string): Promise<DiscoveredLimits | undefined> {
    const profile = profileOf(s.provider);
    if (profile.transport === 'editor') return this.d.preflight.modelLimits(s);
    return profile.serverLimits && s.baseUrl ? this.d.discovery.limitsFor(s.baseUrl, s.model, key) : undefined;
  }

  cancelAll(): number {
    const n = this.inFlight.size;
    for (const ac of this.inFlight.values()) ac.abort();
    return n;
  }

  /**
   * The window closes or reloads: cancel every running request and resolve once their ledger records are written
   * (or after maxMs), so the spend of a request cut off by a reload is recorded with everything received.
   */
  stopAll(maxMs: number): Promise<void> {
    this.cancelAll();
    if (!this.inFlight.size) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(resolve, maxMs);
      this.idleWaiters.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  private truncatedAnswer(id: string | undefined): TruncatedAnswer {
    const editor = vscode.window.activeTextEditor;
    const tr = this.d.truncations;
    const t = id ? tr.get(id) : ((editor && tr.at(editor.document, editor.selection.active)) ?? tr.last());
    if (!t) throw new RefusedError(vscode.l10n.t('There is no truncated Lengthwise answer to continue.'), 'no-target');
    return t;
  }

  /** Streams the run under a cancellable progress notification, then reports it (events) and returns its summary. */
  private async execute(x: RunInput): Promise<ResultSummary> {
    const run = await this.begin(x);
    let outcome: Outcome;
    const notes: string[] = [];
    try {
      const title = x.presetName ? vscode.l10n.t('Lengthwise: {0} ({1})', x.settings.model, x.presetName) : vscode.l10n.t('Lengthwise: {0}', x.settings.model);
      outcome = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
        token.onCancellationRequested(() => run.ac.abort());
        return run.stream(progress);
      });
      await x.inserter.flush().catch((e) => logError(this.d.log, 'edit failed', e));
      const stopNote = await run.appendStopSequence(outcome.chain);
      if (stopNote) notes.push(stopNote);
      notes.push(...run.usageNotes);
      // The report is part of the run: if it throws (numbers no one expected), the run still ends as failed, so the
      // status bar is never left "running".
      return this.finish(run, outcome, notes);
    } catch (e) {
      this.d.events.fire('failed', { runId: run.id, error: e });
      throw e;
    } finally {
      this.end(run);
    }
  }

  private async begin(x: RunInput): Promise<Run> {
    const ledger = await this.d.ledger().catch((e) => {
      logError(this.d.log, 'ledger unavailable', e);
      return undefined;
    });
    const run = new Run(sessionId('r'), x, ledger, { events: this.d.events, workspaceId: this.d.workspaceId, prefillRefused: this.prefillRefused, budget: this.d.budget });
    this.track(run.id, run.ac);
    this.d.events.fire('started', { runId: run.id, kind: x.kind, settings: x.settings, snapshot: run.snapshot, ...(x.cap ? { cap: x.cap } : {}) });
    return run;
  }

  private end(run: Run): void {
    run.dispose();
    this.untrack(run.id);
  }

  /** Work that Cancel stops (a run, or a live job): while any is open, "lengthwise.running" enables Cancel's keybinding and palette entry. */
  private track(id: string, ac = new AbortController()): AbortController {
    this.inFlight.set(id, ac);
    void vscode.commands.executeCommand('setContext', 'lengthwise.running', true);
    return ac;
  }

  private untrack(id: string): void {
    this.inFlight.delete(id);
    if (this.inFlight.size) return;
    for (const w of this.idleWaiters.splice(0)) w();
    void Promise.resolve(vscode.commands.executeCommand('setContext', 'lengthwise.running', false)).catch(() => undefined);
  }

  /** Session totals, the report, the finished event (markers, status bar, log, dashboard follow it). */
  private finish(run: Run, o: Outcome, notes: string[]): ResultSummary {
    const { x } = run;
    if (run.documentClosed) notes.push(vscode.l10n.t('The target document was closed while streaming: the request was cancelled; its spend is recorded.'));
    notes.push(...run.limits);
    if (o.noProgress) notes.push(o.noProgress.message);
    else if (o.stoppedBecause && o.stoppedBecause !== 'cancelled' && !o.error) notes.push(vscode.l10n.t('Continuation stopped: {0}.', o.stoppedBecause));
    const cacheNote = run.lastRound && !o.error ? cacheMinimumNote(x.settings.provider, x.settings.model, run.lastRound.usage) : undefined;
    if (cacheNote && !this.toldCacheMinimum.has(`${x.settings.provider}:${x.settings.model}`)) {
      this.toldCacheMinimum.add(`${x.settings.provider}:${x.settings.model}`);
      notes.push(cacheNote);
    }
    const call = thisCall(x, o.chain);
    this.d.session.add(call.rounds, call.costUsd, o.chain.costSource);
    const report = reportRun(run, o, notes, this.d.session, this.d.workspaceId);
    const cut = o.chain.finish.truncated && !x.inserter.isClosed;
    if (!cut) x.inserter.dispose();
    this.d.events.fire('finished', {
      runId: run.id,
      summary: report.summary,
      settings: x.settings,
      presetName: x.presetName,
      endpointScope: x.endpointScope,
      chain: { ...o.chain, textSoFar: cut ? lf(x.inserter.document.getText(x.inserter.range())) : o.chain.textSoFar },
      truncationMessage: o.chain.finish.truncated ? report.truncationMessage : undefined,
      noProgress: o.noProgress?.message,
      marker: cut ? { document: x.inserter.document, inserter: x.inserter } : undefined,
      done: report.done,
      tooltip: report.tooltip,
      error: o.error,
      notes,
      ...(o.error?.tierRefused && x.retry ? { retry: x.retry } : {}),
    });
    return report.summary;
  }

  dispose(): void {
    this.cancelAll();
  }
}

const lf = (text: string) => text.replace(/\r\n/g, '\n');
