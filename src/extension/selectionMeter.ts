// Idle status: active preset · selection tokens · worst-case cost, recounted (debounced; big selections in the
// counting worker, cached by block there; a newer selection cancels the running count) when the selection changes. The tokenizer ranks load on the first non-empty selection, not at activation.
import { logError } from './logError';
import * as vscode from 'vscode';
import { priceFor, worstCaseCost } from '../core/pricing/cost';
import { tierPricer } from '../core/pricing/serviceTier';
import { expectedCost, type Expected } from '../core/views/expected';
import type { Ledger } from '../core/ledger/ledger';
import type { SessionView } from '../core/generation/sessionTotals';
import { countedPlanAsync } from '../core/generation/countedPlan';
import { chatFramingTokens } from '../core/tokens/chatInput';
import { inputLine } from '../core/views/inputLine';
import { hintNote } from '../core/generation/lengthHint';
import type { TooltipInfo } from '../core/views/statusText';
import type { DiscoveredLimits } from '../core/models/discovery';
import type { TextCounter } from '../core/tokens/counting';
import { loadTokenizer, tokenizerFor } from '../core/tokens/tokens';
import { budgetState, type BudgetSettings } from '../core/pricing/budget';
import type { ProviderId } from '../core/protocol/request';
import { presetValues, type LengthwiseSettings, type ResolvedSettings } from '../core/settings/settings';
import type { Configuration } from './config/configuration';
import type { StatusBar } from './statusBar';
import { asksServer, profileOf } from '../core/providers';

const DEBOUNCE_MS = 200;

export class SelectionMeter implements vscode.Disposable {
  private readonly subs: vscode.Disposable[];
  private timer: NodeJS.Timeout | undefined;
  private abort: AbortController | undefined;
  private readonly hasKey = new Map<ProviderId, boolean>();

  constructor(
    private readonly config: Configuration,
    private readonly status: StatusBar,
    private readonly log: vscode.LogOutputChannel,
    private readonly totals: () => { session: SessionView; ledger: Ledger | undefined; workspaceId: string; room(budget: BudgetSettings, spentUsd: number): number | undefined },
    /** The session's counter: small selections here in slices, big ones in the worker; cancelled on a change. */
    private readonly counter: TextCounter,
    /** Whether a key is stored for a provider, and when stored keys change (the idle text says what to set up). */
    private readonly keys: { has(provider: ProviderId): Promise<boolean>; onDidChange: vscode.Event<unknown> },
    /** Limits a compatible server already reported this session (never asked from here: no request per selection). */
    private readonly discovered: (baseUrl: string, model: string) => DiscoveredLimits | undefined = () => undefined,
    /** How the server's own count compared with the local one at the last Send (never asked from here either). */
    private readonly serverRatio: (baseUrl: string, model: string) => { ratio: number; label: string } | undefined = () => undefined,
  ) {
    this.subs = [
      keys.onDidChange(() => {
        this.hasKey.clear();
        this.schedule();
      }),
      // The time is taken when the editor reports the change: a debounced update must not count as "after".
      vscode.window.onDidChangeTextEditorSelection((e) => {
        status.noteSelection(Date.now(), e.textEditor);
        this.schedule();
      }),
      vscode.window.onDidChangeActiveTextEditor((e) => {
        status.noteSelection(Date.now(), e);
        this.schedule();
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length && e.document.uri.scheme !== 'output' && status.noteEdit(Date.now())) this.schedule();
      }),
      // A changed preset or model must show at once, even over the last answer's numbers.
      config.onDidChange(() => {
        status.noteSettings(Date.now());
        this.schedule();
      }),
    ];
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      void this.update().catch((e) => {
        if (!(e instanceof Error && e.name === 'AbortError')) logError(this.log, 'selection meter', e);
      });
    }, DEBOUNCE_MS);
  }

  private async update(): Promise<void> {
    this.abort?.abort();
    const ac = new AbortController();
    this.abort = ac;
    const editor = vscode.window.activeTextEditor;
    const { resolved } = this.config.resolve(editor?.document.uri);
    const preset = resolved.presetName;
    const t = this.totals();
    const wsTotals = t.ledger?.totals({ workspace: t.workspaceId });
    const s0 = resolved.settings;
    const budgetSpent = s0['budget.usd'] !== null && s0['budget.action'] === 'block' && wsTotals !== undefined && budgetState(wsTotals.budgetUsd, s0['budget.usd'], 'block', 0).block;
    const tooltipBase: TooltipInfo = {
      title: resolved.errors.length ? vscode.l10n.t('Lengthwise — settings need fixing: {0}', resolved.errors[0].message) : `Lengthwise — ${resolved.settings.provider} · ${resolved.settings.model}`,
      model: resolved.settings.model,
      price: priceFor(resolved.settings),
      session: t.session,
      workspace: { usd: wsTotals?.usd ?? null, requests: wsTotals?.requests ?? 0, unknownCost: wsTotals?.unknownCostRequests },
      budget: s0['budget.usd'] !== null ? { usd: s0['budget.usd'], action: s0['budget.action'], spent: budgetSpent } : undefined,
      fromPreset: presetValues(resolved),
    };
    const setup = await this.setupHint(s0);
    if (ac.signal.aborted) return;
    const sel = editor?.selection;
    if (setup || !editor || !sel || sel.isEmpty) {
      this.status.setIdle({ preset, selectionExact: true, setup, budgetSpent }, tooltipBase);
      return;
    }
    const measured = await this.measure(editor, resolved, ac.signal, wsTotals?.budgetUsd ?? 0).catch((e: unknown) => {
      if (ac.signal.aborted) return undefined; // the selection changed: the newer count draws
      throw e;
    });
    if (!measured || ac.signal.aborted) return;
    const { counted, selections, worstCaseUsd, maxTokens, lengthHint, price, expected, notes } = measured;
    tooltipBase.lengthHint = lengthHint;
    tooltipBase.input = inputLine({ parts: counted.parts, exact: counted.exact, selections });
    if (notes) tooltipBase.notes = notes;
    if (price) tooltipBase.price = price;
    // A local model is not billed: no expected or worst-case dollars in the tooltip (its price line says local).
    if (worstCaseUsd !== undefined && !price?.local) tooltipBase.expected = { expected: expected ?? null, worstUsd: worstCaseUsd, maxTokens: maxTokens!, model: resolved.settings.model, preset };
    this.status.setIdle({ preset, selectionTokens: counted.parts.total, selectionExact: counted.exact, worstCaseUsd, maxTokens, budgetSpent, selections: selections?.count, expected: expected ?? undefined, local: price?.local }, tooltipBase);
  }

  /**
   * What Send would send for the primary selection, counted by the one rule (core/generation/countedPlan.ts: the
   * system prompt as sent, the length hint included, and the chat framing), its worst case, and with several
   * selections the tokens of all of them (Send as Batch sends each).
   */
  private async measure(editor: vscode.TextEditor, resolved: ResolvedSettings, signal: AbortSignal, spent: number) {
    const s = resolved.settings;
    const text = editor.document.getText(editor.selection);
    const choice = tokenizerFor(s.provider, s.model);
    let exact = choice.exact;
    const count = async (t: string) => {
      const r = await this.counter.count(choice.id, t, { signal });
      exact &&= r.exact;
      return r.tokens;
    };
    const { tokens: messageTokens, notes } = this.serverScaled(s, choice.id, await count(text), exact);
    const selections = await this.otherSelections(editor, messageTokens, count);
    if (resolved.errors.length) {
      // Settings that cannot be planned: the selection, the system prompt and the framing, without a hint.
      const system = s.systemPrompt ? await count(s.systemPrompt) : 0;
      const framing = chatFramingTokens(s.provider, 1 + (s.systemPrompt ? 1 : 0));
      return { counted: { exact, parts: { messages: messageTokens, system, hint: false, framing, total: messageTokens + system + framing } }, selections, price: priceFor(s), notes };
    }
    const discovered = profileOf(s.provider).serverLimits && s.baseUrl ? this.discovered(s.baseUrl, s.model) : undefined;
    const t = this.totals();
    // The rest Send would be offered: the budget less the spend and what running requests and batches hold.
    const budgetRoomUsd = t.room({ usd: s['budget.usd'], action: s['budget.action'] }, spent);
    const tok = await loadTokenizer(choice.id).catch(() => undefined);
    const input = { settings: s, prompt: text.length > 100_000 ? '' : text, inputTokensExact: exact, sources: resolved.sources, discovered, budgetRoomUsd, countText: tok ? (x: string) => tok.count(x) : undefined };
    const c = await countedPlanAsync(input, messageTokens, count);
    const request = c.plan.request;
    const counted = { exact, parts: c.parts };
    // What Send would add to the system prompt for this selection.
    const lengthHint = hintNote(c.plan.lengthHint);
    if (!request) return { counted, selections, lengthHint, price: priceFor(s), notes };
    // The worst case and the expected cost at the tier asked for.
    const price = tierPricer(s)(request.serviceTier ?? 'standard');
    const maxTokens = request.maxTokens;
    const expected: Expected | null = t.ledger ? expectedCost(t.ledger.records(), { workspace: t.workspaceId, provider: s.provider, model: s.model, preset: resolved.presetName, inputTokens: c.inputTokens, maxTokens, price }) : null;
    return { counted, selections, lengthHint, price, maxTokens, expected, worstCaseUsd: worstCaseCost(c.inputTokens, maxTokens, price), notes };
  }

  /**
   * A server counts differently (often far more): its last ratio to the local count scales the estimate, and the
   * tooltip says so; Send counts exactly with the server.
   */
  private serverScaled(s: LengthwiseSettings, tokenizer: string, tokens: number, exact: boolean): { tokens: number; notes?: string[] } {
    if (!asksServer(s.provider) || exact) return { tokens };
    const server = s.baseUrl ? this.serverRatio(s.baseUrl, s.model) : undefined;
    if (!server) return { tokens, notes: [vscode.l10n.t('≈ counted with the {0} tokenizer, an estimate for this server’s model. Send asks the server’s own tokenizer where it has one (llama-server, vLLM).', tokenizer)] };
    const scaled = Math.round(tokens * server.ratio);
    return { tokens: scaled, notes: [vscode.l10n.t('≈{0} tokens: the {1} count ({2}) × {3}, the ratio {4} gave at the last Send. Send counts exactly with the server.', scaled.toLocaleString('en-US'), tokenizer, tokens.toLocaleString('en-US'), server.ratio.toFixed(2), server.label)] };
  }

  /** With more than one non-empty selection: how many, and the tokens of all their text. */
  private async otherSelections(editor: vscode.TextEditor, primaryTokens: number, count: (t: string) => Promise<number>): Promise<{ count: number; tokens: number } | undefined> {
    const others = editor.selections.filter((x) => !x.isEmpty && !x.isEqual(editor.selection));
    if (!others.length || editor.selection.isEmpty) return undefined;
    let tokens = primaryTokens;
    for (const x of others) tokens += await count(editor.document.getText(x));
    return { count: others.length + 1, tokens };
  }

  /** Nothing to send with: no key for the provider, and no local (keyless) OpenAI-compatible server set. */
  private async setupHint(s: LengthwiseSettings): Promise<string | undefined> {
    const profile = profileOf(s.provider);
    // No key needed: a local server without auth, or VS Code's own models.
    if (!profile.keyRequired && (s.baseUrl || profile.transport === 'editor')) return undefined;
    // Secret Storage is read once per provider, not on every selection change (cleared when a key changes).
    let has = this.hasKey.get(s.provider);
    if (has === undefined) this.hasKey.set(s.provider, (has = await this.keys.has(s.provider)));
    return has ? undefined : vscode.l10n.t('set an API key or a local server');
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.abort?.abort();
    for (const s of this.subs) s.dispose();
  }
}
