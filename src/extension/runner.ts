// Send and Continue in the editor: gathers the prompt and settings, refuses bad input before anything is sent,
// then runs the core pipeline with the document as the text sink. Numbers come from core; this file adapts.
import * as vscode from 'vscode';
import { priceFor, worstCaseCost } from '../core/pricing/cost';
import { describeFinish } from '../core/protocol/finish';
import { budgetState, type Ledger } from '../core/ledger/ledger';
import { findModel } from '../core/models/models';
import { continueChain, planContinuationRequest, runRound, type ChainState, type RoundResult } from '../core/generation/pipeline';
import { planRequest } from '../core/generation/plan';
import { providerLabel, type ChatMessage, type Finish, type GenerationRequest, type ProviderEvent, type ProviderId, type Usage } from '../core/protocol/request';
import { resolveSettings, type LengthwiseSettings, type ValidationIssue } from '../core/settings/settings';
import { buildSummary, RefusedError, type ResultSummary } from '../core/generation/summary';
import { loadTokenizer, tokenizerFor, type Tokenizer } from '../core/tokens/tokens';
import { estimateTokensFromChars } from '../core/tokens/estimate';
import { createAdapter } from '../providers';
import { countTokensRemote } from '../providers/countTokens';
import { endpointScope, readConfig, restrictedWorkspaceSettings } from './config';
import { AnchoredInserter } from './editorStream';
import type { Truncations, TruncatedAnswer } from './codeActions';
import type { KeyStore } from './secrets';
import type { StatusBar } from './statusBar';

export interface SendOptions {
  text?: string;
  preset?: string;
  overrides?: Record<string, unknown>;
}

export interface ContinueOptions {
  id?: string;
  maxTokensFactor?: number;
}

export interface RunnerDeps {
  log: vscode.LogOutputChannel;
  keys: KeyStore;
  ledger: () => Promise<Ledger>;
  status: StatusBar;
  truncations: Truncations;
  workspaceId: string;
  workspaceState: vscode.Memento;
  onFinish(r: ResultSummary): void;
  session: { usd: number; unknown: number; requests: number };
}

const PROVIDER_HOSTS: Record<ProviderId, RegExp | undefined> = {
  openai: /(^|\.)openai\.com$/,
  anthropic: /(^|\.)anthropic\.com$/,
  gemini: /(^|\.)googleapis\.com$/,
  'openai-compatible': undefined,
};

let runCounter = 0;

export class Runner implements vscode.Disposable {
  private readonly running = new Map<string, AbortController>();
  private readonly told = new Set<string>();
  private readonly prefillRefused = new Set<string>();

  constructor(private readonly d: RunnerDeps) {}

  get runningCount(): number {
    return this.running.size;
  }

  cancelAll(): number {
    const n = this.running.size;
    for (const ac of this.running.values()) ac.abort();
    return n;
  }

  private readonly idleWaiters: (() => void)[] = [];

  /**
   * The window closes or reloads: cancel every running request and resolve once their ledger records are written
   * (or after maxMs), so the spend of a request cut off by a reload is recorded with everything received.
   */
  stopAll(maxMs: number): Promise<void> {
    this.cancelAll();
    if (!this.running.size) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(resolve, maxMs);
      this.idleWaiters.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  /** Send the selection / current line / given text. Rejects with RefusedError when nothing was sent. */
  /** The prompt (selection, current line or given text) and the effective settings; refuses what cannot be sent. */
  private async prepare(opts: SendOptions) {
    const editor = vscode.window.activeTextEditor;
    let prompt: string;
    if (opts.text !== undefined) prompt = opts.text;
    else {
      if (!editor) throw new RefusedError('Open a document and select the text to send.', 'no-target');
      const sel = editor.selection;
      prompt = sel.isEmpty ? editor.document.lineAt(sel.active.line).text : editor.document.getText(sel);
    }
    if (!prompt.trim()) {
      throw new RefusedError('Nothing to send: the selection (or the current line) is empty. Select some text first.', 'empty');
    }

    const cfg = readConfig(editor?.document.uri);
    const ignored = [...new Set([...cfg.ignored, ...(await restrictedWorkspaceSettings())])].sort();
    if (ignored.length) this.tellOnce(`untrusted:${ignored.join()}`, `Lengthwise: this workspace is not trusted, so its values of ${ignored.join(', ')} are ignored (your user settings apply).`, 'warn');
    const resolved = resolveSettings({
      configured: cfg.configured,
      userPresets: cfg.userPresets as Record<string, unknown> | undefined,
      presetName: opts.preset ?? cfg.presetName,
      overrides: opts.overrides,
    });
    if (resolved.errors.length) throw this.invalid(resolved.errors);
    for (const w of resolved.warnings) this.tellOnce(`w:${w}`, `Lengthwise: ${w}`, 'warn');
    return { editor, prompt, cfg, resolved, s: resolved.settings };
  }

  /**
   * The exact input token count of the selection, asked of the provider (Anthropic/Gemini count endpoints) or
   * counted locally for OpenAI models — only when the user asks, never on selection changes.
   */
  async countExactly(opts: SendOptions = {}): Promise<{ inputTokens: number; source: string; localEstimate: number; localExact: boolean }> {
    const { prompt, cfg, resolved, s } = await this.prepare(opts);
    const counted = await this.countInput(s, [{ role: 'user', content: prompt }]);
    if (counted.exact) return { inputTokens: counted.tokens, source: `${counted.tokenizer?.id ?? 'local'} tokenizer (exact for ${s.model})`, localEstimate: counted.tokens, localExact: true };
    const plan = planRequest({ settings: s, prompt, inputTokens: counted.tokens, inputTokensExact: false, sources: resolved.sources });
    if (!plan.request) throw this.invalid(plan.errors);
    const key = await this.d.keys.get(s.provider);
    if (!key) throw new RefusedError(`No API key for ${providerLabel(s.provider)}. Run "Lengthwise: Set API Key". Nothing was sent.`, 'no-key');
    // The count goes over the network with the key, exactly like a send: the same endpoint question first.
    await this.confirmEndpoint(s, endpointScope(cfg, resolved.sources.baseUrl));
    const remote = await countTokensRemote(plan.request, key.key);
    this.d.log.info(`exact count: ${remote.inputTokens} input tokens (${remote.source}); local estimate ≈${counted.tokens}`);
    return { ...remote, localEstimate: counted.tokens, localExact: false };
  }

  async send(opts: SendOptions = {}): Promise<ResultSummary> {
    const { editor, prompt, cfg, resolved, s } = await this.prepare(opts);

    const counted = await this.countInput(s, [{ role: 'user', content: prompt }]);
    const plan = planRequest({ settings: s, prompt, inputTokens: counted.tokens, inputTokensExact: counted.exact, sources: resolved.sources });
    if (plan.errors.length || !plan.request) throw this.invalid(plan.errors);
    for (const n of plan.notes) this.tellOnce(`n:${n}`, `Lengthwise: ${n}`, 'info');
    for (const w of plan.warnings) this.tellOnce(`w:${w}`, `Lengthwise: ${w}`, 'warn');
    const request = plan.request;

    const key = await this.d.keys.get(s.provider);
    if (!key) {
      const msg = `No API key for ${providerLabel(s.provider)}. Run "Lengthwise: Set API Key" (stored in Secret Storage) or set ${envName(s.provider)}. Nothing was sent.`;
      void vscode.window.showErrorMessage(`Lengthwise: ${msg}`, 'Set API Key').then((a) => {
        if (a) void vscode.commands.executeCommand('lengthwise.setApiKey', s.provider);
      });
      throw new RefusedError(msg, 'no-key');
    }
    await this.confirmEndpoint(s, endpointScope(cfg, resolved.sources.baseUrl));

    const price = priceFor(s);
    await this.checkBudget(s, costOrZero(worstCaseCost(counted.tokens, request.maxTokens, price)));

    const target = await this.openTarget(editor, s.output, opts.text !== undefined);
    const chainId = `c${Date.now().toString(36)}${(runCounter++).toString(36)}`;
    const messages: ChatMessage[] = [{ role: 'user', content: prompt }];
    return this.execute({
      settings: s,
      presetName: resolved.presetName,
      notes: [...plan.notes, ...plan.warnings],
      apiKey: key.key,
      inserter: target,
      tokenizer: counted.tokenizer,
      tokenizerExact: counted.exact,
      first: { request, inputTokens: counted.tokens, inputExact: counted.exact, messages, chainId },
    });
  }

  /** Continue a truncated answer (from the code action, the palette or the keybinding). */
  async continue(opts: ContinueOptions = {}): Promise<ResultSummary> {
    const editor = vscode.window.activeTextEditor;
    const t: TruncatedAnswer | undefined = opts.id
      ? this.d.truncations.get(opts.id)
      : (editor && this.d.truncations.at(editor.document, editor.selection.active)) ?? this.d.truncations.last();
    if (!t) throw new RefusedError('There is no truncated Lengthwise answer to continue.', 'no-target');
    const s = t.settings;
    const key = await this.d.keys.get(s.provider);
    if (!key) throw new RefusedError(`No API key for ${providerLabel(s.provider)}. Run "Lengthwise: Set API Key".`, 'no-key');
    // The answer as it stands in the document (the user may have edited it), with LF line breaks as the model
    // wrote them, so a repeated line at the seam is recognised in CRLF documents too.
    const textSoFar = lf(t.document.getText(t.inserter.range()));
    const factor = opts.maxTokensFactor && opts.maxTokensFactor > 1 ? opts.maxTokensFactor : 1;
    const counted = await this.countInput(s, [...t.chain.messages, { role: 'assistant', content: textSoFar }]);
    const price = priceFor(s);
    await this.checkBudget(s, costOrZero(worstCaseCost(counted.tokens, t.chain.lastRequest.maxTokens * factor, price)));
    // The answer's own inserter writes at its end, wherever the cursor is, and its range keeps covering the whole
    // answer (a fresh inserter would cover only this round: the next round would send only this round's text).
    this.d.truncations.take(t.id);
    return this.execute({
      settings: s,
      presetName: t.presetName,
      notes: [],
      apiKey: key.key,
      inserter: t.inserter,
      tokenizer: counted.tokenizer,
      tokenizerExact: counted.exact,
      resume: { chain: { ...t.chain, textSoFar }, maxTokens: Math.round(t.chain.lastRequest.maxTokens * factor), message: t.message },
    });
  }

  private async execute(x: {
    settings: LengthwiseSettings;
    presetName?: string;
    notes: string[];
    apiKey: string;
    inserter: AnchoredInserter;
    tokenizer: Tokenizer | undefined;
    tokenizerExact: boolean;
    first?: { request: GenerationRequest; inputTokens: number; inputExact: boolean; messages: ChatMessage[]; chainId: string };
    /** `message`: the truncation marker's text, kept when no round runs. */
    resume?: { chain: ChainState; maxTokens: number; message: string };
  }): Promise<ResultSummary> {
    const s = x.settings;
    const runId = `r${(runCounter++).toString(36)}`;
    const ac = new AbortController();
    this.running.set(runId, ac);
    void vscode.commands.executeCommand('setContext', 'lengthwise.running', true);
    const inserter = x.inserter;
    const price = priceFor(s);
    const ledger = await this.d.ledger().catch((e) => {
      this.d.log.error(`ledger unavailable: ${e}`);
      return undefined;
    });
    const model = findModel(s.provider, s.model, s.models);
    let currentSnapshot: (() => ReturnType<import('../core/generation/meter').RunMeter['snapshot']>) | undefined;
    this.d.status.startRun(runId, () => currentSnapshot?.() ?? { state: 'waiting', outputTokens: 0, outputExact: true, inputTokens: 0, maxTokens: 0, costUsd: null, tokensPerSecond: 0, chars: 0 });
    let documentClosed = false;
    const closedSub = vscode.workspace.onDidCloseTextDocument((d) => {
      if (d === inserter.document) {
        documentClosed = true;
        ac.abort(); // the target is gone: cancel; the spend stays in the ledger
      }
    });
    const roundDeps = {
      adapter: createAdapter(s.provider),
      apiKey: x.apiKey,
      signal: ac.signal,
      tokenizer: x.tokenizer,
      tokenizerExact: x.tokenizerExact,
      price,
      priceSource: price?.source,
      ledger,
      workspace: this.d.workspaceId,
      preset: x.presetName,
      onText: (delta: string) => inserter.write(delta),
      onEvent: (e: ProviderEvent, snap: () => ReturnType<import('../core/generation/meter').RunMeter['snapshot']>) => {
        currentSnapshot = snap;
        if (e.type === 'retry') {
          this.d.log.warn(`${providerLabel(s.provider)} answered ${e.status}; the SDK retries in ${e.waitSeconds.toFixed(1)} s (attempt ${e.attempt})`);
          this.d.status.poke();
        }
      },
    };

    // This call's local counts next to the provider's numbers, for the tooltip.
    const estimate = { inputTokens: 0, outputTokens: 0 };
    const noteRound = (r: RoundResult) => {
      this.logResult(r);
      estimate.inputTokens += r.estimate.inputTokens;
      estimate.outputTokens += r.estimate.outputTokens;
    };
    const title = `Lengthwise: ${s.model}${x.presetName ? ` (${x.presetName})` : ''}`;
    const startText = inserter.written;
    let chain: ChainState;
    let stoppedBecause: string | undefined;
    let lastError: RoundResult['error'];
    let extraNotes: string[] = [];
    // The marker reports the last round ("1024/1024"), not the chain's summed output.
    let lastRound: RoundResult | undefined;
    try {
      const outcome = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title, cancellable: true },
        async (progress, token) => {
          token.onCancellationRequested(() => ac.abort());
          let c: ChainState;
          if (x.first) {
            const f = x.first;
            this.logRequest(f.request, 1);
            progress.report({ message: `max ${f.request.maxTokens} tokens…` });
            const r = await runRound(f.request, { inputTokens: f.inputTokens, inputExact: f.inputExact, chainId: f.chainId, round: 1 }, roundDeps);
            noteRound(r);
            lastRound = r;
            c = {
              chainId: f.chainId,
              messages: f.messages,
              textSoFar: r.text,
              rounds: 1,
              usage: r.usage,
              usageSource: r.usageSource,
              costUsd: r.costUsd,
              finish: r.finish,
              lastRequest: f.request,
              strategies: [],
            };
            if (r.error) return { c, error: r.error };
            const wantsAuto = (r.finish.truncated && r.finish.reason === 'length' && s['continuation.auto']) || r.finish.reason === 'pause';
            if (!wantsAuto) return { c };
          } else c = x.resume!.chain;
          const maxTokens = x.resume?.maxTokens ?? c.lastRequest.maxTokens;
          let done = c.rounds;
          progress.report({ message: 'continuing…' });
          const res = await continueChain(
            c,
            // auto: only the setting (a resumed pause_turn must not turn on auto-continue); explicit: the user asked.
            { auto: s['continuation.auto'], maxRounds: s['continuation.maxRounds'], explicit: !!x.resume },
            {
              ...roundDeps,
              onText: (d) => inserter.write(d),
              modelSupportsPrefill: model?.supportsPrefill,
              prefillRefused: this.prefillRefused,
              planContinuation: (messages) => {
                const planned = planContinuationRequest({ settings: s }, c.lastRequest, messages, maxTokens / c.lastRequest.maxTokens, (t) => (x.tokenizer ? x.tokenizer.count(t) : estimateTokensFromChars(t.length)), x.tokenizerExact);
                if ('request' in planned) this.logRequest(planned.request, done + 1);
                return planned;
              },
              mayContinue: () => {
                if (ac.signal.aborted) return 'cancelled';
                const over = this.budgetBlocks(s, ledger);
                return over ?? true;
              },
              onRound: (st, r) => {
                noteRound(r);
                lastRound = r;
                done = st.rounds;
                progress.report({ message: `round ${st.rounds}` });
              },
            },
          );
          return { c: res.state, error: res.lastError, stopped: res.stoppedBecause };
        },
      );
      chain = outcome.c;
      lastError = outcome.error;
      stoppedBecause = 'stopped' in outcome ? outcome.stopped : undefined;
      await inserter.flush().catch((e) => this.d.log.error(`edit failed: ${e}`));
      // includeStopSequence: append the matched stop when it is known.
      if (s.includeStopSequence && chain.finish.reason === 'stop' && chain.lastRequest.stop.length) {
        const matched = chain.finish.stopSequence ?? (chain.lastRequest.stop.length === 1 ? chain.lastRequest.stop[0] : undefined);
        if (matched !== undefined) {
          inserter.write(matched);
          await inserter.flush().catch(() => undefined);
        } else extraNotes.push('includeStopSequence: the provider did not say which stop sequence matched, so none was appended.');
      }
    } finally {
      closedSub.dispose();
      this.running.delete(runId);
      if (!this.running.size) {
        for (const w of this.idleWaiters.splice(0)) w();
        void Promise.resolve(vscode.commands.executeCommand('setContext', 'lengthwise.running', false)).catch(() => undefined);
      }
    }
    if (documentClosed) extraNotes.push('The target document was closed while streaming: the request was cancelled; its spend is recorded.');
    if (stoppedBecause && stoppedBecause !== 'cancelled' && !lastError) extraNotes.push(`Continuation stopped: ${stoppedBecause}.`);

    const inserted = inserter.written.slice(startText.length);
    const finish = chain.finish;
    const request = chain.lastRequest;
    const truncationMessage =
      !lastRound && x.resume ? x.resume.message : truncationText(finish, lastRound?.usage ?? chain.usage, inserted, request.maxTokens);
    if (finish.truncated && !inserter.isClosed) {
      this.d.truncations.add({
        id: chain.chainId,
        document: inserter.document,
        inserter,
        chain: { ...chain, textSoFar: lf(inserter.document.getText(inserter.range())) },
        settings: s,
        presetName: x.presetName,
        message: truncationMessage,
      });
    } else inserter.dispose();

    // Session totals (unknown prices are counted, never added as 0).
    this.d.session.requests += chain.rounds - (x.resume?.chain.rounds ?? 0);
    const thisCall = x.resume ? subtractCost(chain.costUsd, x.resume.chain.costUsd) : chain.costUsd;
    if (thisCall === null) this.d.session.unknown++;
    else this.d.session.usd += thisCall;

    const summary = buildSummary({
      request,
      preset: x.presetName,
      text: inserted,
      finish,
      usage: chain.usage,
      usageSource: chain.usageSource,
      costUsd: chain.costUsd,
      rounds: chain.rounds,
      notes: [...x.notes, ...extraNotes],
      error: lastError ? { kind: lastError.kind, message: lastError.message } : undefined,
    });
    const totals = ledger?.totals({ workspace: this.d.workspaceId });
    this.d.status.endRun(
      runId,
      { outputTokens: chain.usage.outputTokens, maxTokens: request.maxTokens, costUsd: chain.costUsd, source: chain.usageSource, truncated: finish.truncated, reason: finish.reason, rounds: chain.rounds },
      {
        title: `${s.model}: ${describeFinish(finish)}`,
        usage: chain.usage,
        // Same scope as usage only when the chain started with this call.
        estimate: x.resume ? undefined : estimate,
        source: chain.usageSource,
        costUsd: chain.costUsd,
        price,
        model: s.model,
        session: { usd: this.sessionUsd(), requests: this.d.session.requests },
        workspace: { usd: totals?.usd ?? null, requests: totals?.requests ?? 0, unknownCost: totals?.unknownCostRequests },
        budget: s['budget.usd'] !== null ? { usd: s['budget.usd'], action: s['budget.action'] } : undefined,
        notes: [...x.notes, ...extraNotes],
      },
    );
    this.d.log.info(
      `finished ${request.provider}/${request.model}: ${finish.raw} (${finish.reason}${finish.truncated ? ', truncated' : ''}), rounds ${chain.rounds}, ` +
        `usage in ${chain.usage.inputTokens} out ${chain.usage.outputTokens} (${chain.usageSource}), cost ${chain.costUsd === null ? 'unknown' : chain.costUsd.toFixed(6)}`,
    );
    if (lastError) this.showProviderError(lastError, s.provider, inserted.length > 0);
    else if (finish.truncated) {
      void vscode.window.showInformationMessage(`Lengthwise: ${truncationMessage}`, 'Continue', 'Continue with 2× max tokens').then((a) => {
        if (a) void vscode.commands.executeCommand('lengthwise.continue', { id: chain.chainId, maxTokensFactor: a === 'Continue' ? 1 : 2 });
      });
    }
    for (const n of extraNotes) this.d.log.info(n);
    this.d.onFinish(summary);
    return summary;
  }

  private async countInput(s: LengthwiseSettings, messages: ChatMessage[]): Promise<{ tokens: number; exact: boolean; tokenizer: Tokenizer | undefined }> {
    const choice = tokenizerFor(s.provider, s.model);
    try {
      const tok = await loadTokenizer(choice.id);
      let n = s.systemPrompt ? tok.count(s.systemPrompt) : 0;
      for (const m of messages) n += tok.count(m.content);
      return { tokens: n, exact: choice.exact, tokenizer: tok };
    } catch (e) {
      this.d.log.warn(`tokenizer unavailable (${e}); using ~4 characters a token`);
      const chars = messages.reduce((a, m) => a + m.content.length, s.systemPrompt.length);
      return { tokens: estimateTokensFromChars(chars), exact: false, tokenizer: undefined };
    }
  }

  private async checkBudget(s: LengthwiseSettings, worstUsd: number): Promise<void> {
    if (s['budget.usd'] === null) return;
    const ledger = await this.d.ledger().catch(() => undefined);
    if (!ledger) return;
    const spent = ledger.totals({ workspace: this.d.workspaceId }).usd ?? 0;
    const b = budgetState(spent, s['budget.usd'], s['budget.action'], worstUsd);
    if (b.block) {
      const msg = b.message ?? `The workspace budget of $${s['budget.usd']} is spent ($${spent.toFixed(4)}). Nothing was sent.`;
      void vscode.window.showErrorMessage(`Lengthwise: ${msg}`, 'Raise budget').then((a) => {
        if (a) void vscode.commands.executeCommand('workbench.action.openSettings', 'lengthwise.budget.usd');
      });
      throw new RefusedError(msg, 'budget');
    }
    if (b.level !== 'ok' && b.message) this.tellOnce(`budget:${b.level}:${s['budget.usd']}`, `Lengthwise: ${b.message}`, 'warn');
  }

  private budgetBlocks(s: LengthwiseSettings, ledger: Ledger | undefined): string | undefined {
    if (s['budget.usd'] === null || !ledger || s['budget.action'] !== 'block') return undefined;
    const spent = ledger.totals({ workspace: this.d.workspaceId }).usd ?? 0;
    const b = budgetState(spent, s['budget.usd'], s['budget.action'], 0);
    return b.block ? `the workspace budget ($${s['budget.usd']}) is spent` : undefined;
  }

  /** A workspace (not the user) pointing the key at a host other than the provider's: ask once. */
  private async confirmEndpoint(s: LengthwiseSettings, scope: 'default' | 'user' | 'workspace'): Promise<void> {
    if (scope !== 'workspace' || !s.baseUrl) return;
    let host: string;
    try {
      host = new URL(s.baseUrl).hostname;
    } catch {
      return; // validation already refused malformed URLs
    }
    const official = PROVIDER_HOSTS[s.provider];
    if (official?.test(host)) return;
    const k = `lengthwise.endpointApproved:${s.provider}:${s.baseUrl}`;
    if (this.d.workspaceState.get<boolean>(k)) return;
    const choice = await vscode.window.showWarningMessage(
      `This workspace's settings send your ${providerLabel(s.provider)} requests and API key to ${s.baseUrl}. Send them there?`,
      { modal: true, detail: 'Set by .vscode/settings.json (lengthwise.baseUrl). Lengthwise asks once per workspace and endpoint.' },
      'Send',
    );
    if (choice !== 'Send') throw new RefusedError(`Not sent: you declined the workspace endpoint ${s.baseUrl}.`, 'declined');
    await this.d.workspaceState.update(k, true);
  }

  private async openTarget(editor: vscode.TextEditor | undefined, mode: LengthwiseSettings['output'], textGiven: boolean): Promise<AnchoredInserter> {
    const onClosed = () => undefined;
    if (mode === 'newDocument' || !editor) {
      const doc = await vscode.workspace.openTextDocument({ content: '', language: editor?.document.languageId ?? 'markdown' });
      await vscode.window.showTextDocument(doc, { preview: false, viewColumn: editor ? vscode.ViewColumn.Beside : undefined });
      return new AnchoredInserter(doc, 0, onClosed);
    }
    const doc = editor.document;
    const sel = editor.selection;
    if (mode === 'replace' && !textGiven) {
      const range = sel.isEmpty ? doc.lineAt(sel.active.line).range : sel;
      const start = doc.offsetAt(range.start);
      const ok = await editor.edit((b) => b.delete(range), { undoStopBefore: true, undoStopAfter: false });
      if (!ok) throw new RefusedError('The editor refused to replace the selection.', 'no-target');
      return new AnchoredInserter(doc, start, onClosed);
    }
    // insertAfter: on a new line after the selection (or after the cursor's line).
    const lastLine = !sel.isEmpty && sel.end.character === 0 && sel.end.line > sel.start.line ? sel.end.line - 1 : sel.end.line;
    const eol = doc.lineAt(lastLine).range.end;
    const nl = doc.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
    // The line break comes with the first text: a request that fails before any text leaves the document untouched.
    return new AnchoredInserter(doc, doc.offsetAt(eol), onClosed, nl);
  }

  private invalid(issues: ValidationIssue[]): RefusedError {
    const text = issues.map((i) => i.message).join('\n');
    this.d.log.warn(`refused (nothing sent): ${text}`);
    const first = issues[0];
    void vscode.window.showErrorMessage(`Lengthwise: ${issues.length > 1 ? `${issues.length} settings need fixing. ` : ''}${first?.message ?? 'invalid settings'}${issues.length > 1 ? ' (details in the Lengthwise output)' : ''} Nothing was sent.`, 'Open Settings').then((a) => {
      if (a) void vscode.commands.executeCommand('workbench.action.openSettings', first?.setting?.startsWith('lengthwise.') ? first.setting.split(' ')[0] : 'lengthwise');
    });
    return new RefusedError(text, 'invalid', issues.map((i) => ({ setting: i.setting, message: i.message })));
  }

  private showProviderError(e: NonNullable<RoundResult['error']>, provider: ProviderId, kept: boolean): void {
    if (e.kind === 'cancelled') return;
    const suffix = kept && !/kept/.test(e.message) ? ' The text received so far is kept.' : '';
    const actions = e.kind === 'auth' ? ['Set API Key'] : kept ? ['Continue'] : [];
    void vscode.window.showErrorMessage(`Lengthwise: ${e.message}${suffix}`, ...actions).then((a) => {
      if (a === 'Set API Key') void vscode.commands.executeCommand('lengthwise.setApiKey', provider);
      if (a === 'Continue') void vscode.commands.executeCommand('lengthwise.continue');
    });
  }

  private tellOnce(key: string, message: string, level: 'info' | 'warn'): void {
    this.d.log[level === 'warn' ? 'warn' : 'info'](message);
    if (this.told.has(key)) return;
    this.told.add(key);
    if (level === 'warn') void vscode.window.showWarningMessage(message);
    else void vscode.window.showInformationMessage(message);
  }

  private logRequest(r: GenerationRequest, round: number): void {
    this.d.log.info(
      `request round ${round}: ${r.provider}/${r.model}${r.baseUrl ? ` @ ${r.baseUrl}` : ''} · max tokens ${r.maxTokens}${r.reasoningModel ? ' (max_completion_tokens)' : ''} · stop ${JSON.stringify(r.stop)}` +
        `${r.temperature !== undefined ? ` · temperature ${r.temperature}` : ''}${r.topP !== undefined ? ` · top_p ${r.topP}` : ''}${r.thinkingBudget !== undefined ? ` · thinking ${r.thinkingBudget}` : ''} · ${r.messages.length} message(s)`,
    );
  }

  private logResult(r: RoundResult): void {
    this.d.log.info(`round result: ${r.finish.raw}, ${r.text.length} chars, usage in ${r.usage.inputTokens} out ${r.usage.outputTokens} (${r.usageSource})${r.error ? `, error ${r.error.kind}: ${r.error.message}` : ''}`);
  }

  sessionUsd(): number | null {
    return this.d.session.requests > 0 && this.d.session.unknown === this.d.session.requests ? null : this.d.session.usd;
  }

  dispose(): void {
    this.cancelAll();
  }
}

const lf = (text: string) => text.replace(/\r\n/g, '\n');

function envName(p: ProviderId): string {
  return p === 'anthropic' ? 'ANTHROPIC_API_KEY' : p === 'gemini' ? 'GEMINI_API_KEY' : 'OPENAI_API_KEY';
}

function costOrZero(c: number | null): number {
  return c ?? 0;
}

function subtractCost(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : a - b;
}

/** The marker's text; `round` is the usage of the last round (the one that was cut), `maxTokens` its cap. */
function truncationText(finish: Finish, round: Usage, inserted: string, maxTokens: number): string {
  if (finish.reason === 'error') return 'Response broken off by an error — Continue?';
  if (finish.raw === 'model_context_window_exceeded') return 'Response truncated: the model context window is full — Continue?';
  if (inserted.trim() === '' && (round.reasoningTokens ?? 0) > 0) {
    return `Response truncated at max tokens: thinking used the whole budget (${round.reasoningTokens}/${maxTokens} tokens) and no answer text was produced — Continue with 2× max tokens?`;
  }
  return `Response truncated at max tokens (${round.outputTokens}/${maxTokens}) — Continue?`;
}
