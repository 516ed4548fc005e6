// Idle status: active preset · selection tokens · worst-case cost, recounted (debounced, in slices, cached by
// block) when the selection changes. The tokenizer ranks load on the first non-empty selection, not at activation.
import { logError } from './logError';
import * as vscode from 'vscode';
import { priceFor, worstCaseCost } from '../core/pricing/cost';
import type { Ledger } from '../core/ledger/ledger';
import type { SessionView } from '../core/generation/sessionTotals';
import { planRequest } from '../core/generation/plan';
import { BlockCounter, loadTokenizer, tokenizerFor, type TokenizerId } from '../core/tokens/tokens';
import type { Configuration } from './config/configuration';
import type { StatusBar } from './statusBar';

const DEBOUNCE_MS = 200;

export class SelectionMeter implements vscode.Disposable {
  private readonly subs: vscode.Disposable[];
  private timer: NodeJS.Timeout | undefined;
  private abort: AbortController | undefined;
  private readonly counters = new Map<TokenizerId, BlockCounter>();

  constructor(
    private readonly config: Configuration,
    private readonly status: StatusBar,
    private readonly log: vscode.LogOutputChannel,
    private readonly totals: () => { session: SessionView; ledger: Ledger | undefined; workspaceId: string },
  ) {
    this.subs = [
      vscode.window.onDidChangeTextEditorSelection(() => this.schedule()),
      vscode.window.onDidChangeActiveTextEditor(() => this.schedule()),
      // A changed preset or model must show at once, even over the last answer's numbers.
      config.onDidChange(() => this.schedule(true)),
    ];
    this.schedule();
  }

  private forceNext = false;

  private schedule(force = false): void {
    this.forceNext ||= force;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const force = this.forceNext;
      this.forceNext = false;
      void this.update(force).catch((e) => {
        if (!(e instanceof Error && e.name === 'AbortError')) logError(this.log, 'selection meter', e);
      });
    }, DEBOUNCE_MS);
  }

  private async update(force: boolean): Promise<void> {
    this.abort?.abort();
    const ac = new AbortController();
    this.abort = ac;
    const editor = vscode.window.activeTextEditor;
    const { resolved } = this.config.resolve(editor?.document.uri);
    const preset = resolved.presetName;
    const t = this.totals();
    const wsTotals = t.ledger?.totals({ workspace: t.workspaceId });
    const tooltipBase = {
      title: resolved.errors.length ? `Lengthwise — settings need fixing: ${resolved.errors[0].message}` : `Lengthwise — ${resolved.settings.provider} · ${resolved.settings.model}`,
      model: resolved.settings.model,
      price: priceFor(resolved.settings),
      session: t.session,
      workspace: { usd: wsTotals?.usd ?? null, requests: wsTotals?.requests ?? 0, unknownCost: wsTotals?.unknownCostRequests },
    };
    const sel = editor?.selection;
    if (!editor || !sel || sel.isEmpty) {
      this.status.setIdle({ preset, selectionExact: true }, tooltipBase, force);
      return;
    }
    const s = resolved.settings;
    const text = editor.document.getText(sel);
    const choice = tokenizerFor(s.provider, s.model);
    const tok = await loadTokenizer(choice.id);
    let counter = this.counters.get(choice.id);
    if (!counter) this.counters.set(choice.id, (counter = new BlockCounter(tok)));
    const tokens = await counter.countAsync(text, { signal: ac.signal });
    if (ac.signal.aborted) return;
    const price = tooltipBase.price;
    let worst: number | null | undefined;
    let maxTokens: number | undefined;
    if (!resolved.errors.length) {
      const plan = planRequest({ settings: s, prompt: text.length > 100_000 ? '' : text, inputTokens: tokens, inputTokensExact: choice.exact, sources: resolved.sources });
      if (plan.request) {
        maxTokens = plan.request.maxTokens;
        worst = worstCaseCost(tokens, maxTokens, price);
      }
    }
    this.status.setIdle({ preset, selectionTokens: tokens, selectionExact: choice.exact, worstCaseUsd: worst, maxTokens }, tooltipBase, force);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.abort?.abort();
    for (const s of this.subs) s.dispose();
  }
}
