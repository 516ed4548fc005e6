// Everything checked before a request goes out: the prompt, the effective settings, the input count and plan,
// the API key and the budget. Each refusal is told to the user here and thrown as a RefusedError (nothing sent).
import { logError } from '../logError';
import * as vscode from 'vscode';
import { planRequest, type Plan } from '../../core/generation/plan';
import { RefusedError } from '../../core/generation/summary';
import type { Ledger } from '../../core/ledger/ledger';
import { API_KEY_ENV, providerLabel, type ChatMessage, type ProviderId } from '../../core/protocol/request';
import type { LengthwiseSettings, ResolvedSettings, ValidationIssue } from '../../core/settings/settings';
import { estimateTokensFromChars } from '../../core/tokens/estimate';
import { loadTokenizer, tokenizerFor, type Tokenizer } from '../../core/tokens/tokens';
import { countChatInput } from '../../core/tokens/chatInput';
import type { BudgetGuard, Reservation } from '../../core/pricing/budget';
import { restrictedWorkspaceSettings, type ConfigRead, type Configuration } from '../config/configuration';
import type { KeyStore } from '../secrets';
import type { Notifier } from './notifier';

export interface SendOptions {
  text?: string;
  preset?: string;
  overrides?: Record<string, unknown>;
}

export interface InputCount {
  tokens: number;
  exact: boolean;
  tokenizer: Tokenizer | undefined;
}

export interface PreflightDeps {
  config: Configuration;
  keys: KeyStore;
  ledger: () => Promise<Ledger>;
  workspaceId: string;
  log: vscode.LogOutputChannel;
  tell: Notifier;
  /** Worst-case holds of running requests (shared with the controller's runs). */
  budget: BudgetGuard;
}

/** The prompt: the given text, else the selection, else the cursor's line. */
export function readPrompt(opts: SendOptions): { editor: vscode.TextEditor | undefined; prompt: string } {
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
  return { editor, prompt };
}

export class Preflight {
  constructor(private readonly d: PreflightDeps) {}

  /** The effective settings for the document; tells what an untrusted workspace had ignored; refuses invalid ones. */
  async settings(editor: vscode.TextEditor | undefined, opts: SendOptions): Promise<{ cfg: ConfigRead; resolved: ResolvedSettings; s: LengthwiseSettings }> {
    const { cfg, resolved } = this.d.config.resolve(editor?.document.uri, { preset: opts.preset, overrides: opts.overrides });
    const ignored = [...new Set([...cfg.ignored, ...(await restrictedWorkspaceSettings())])].sort();
    if (ignored.length) this.d.tell.once(`untrusted:${ignored.join()}`, `Lengthwise: this workspace is not trusted, so its values of ${ignored.join(', ')} are ignored (your user settings apply).`, 'warn');
    if (resolved.errors.length) throw this.invalid(resolved.errors);
    for (const w of resolved.warnings) this.d.tell.once(`w:${w}`, `Lengthwise: ${w}`, 'warn');
    return { cfg, resolved, s: resolved.settings };
  }

  /** The request for `prompt`; refuses what cannot be sent, tells the plan's notes and warnings. */
  plan(s: LengthwiseSettings, prompt: string, counted: InputCount, resolved: ResolvedSettings): Plan & { request: NonNullable<Plan['request']> } {
    const plan = planRequest({ settings: s, prompt, inputTokens: counted.tokens, inputTokensExact: counted.exact, sources: resolved.sources });
    if (plan.errors.length || !plan.request) throw this.invalid(plan.errors);
    for (const n of plan.notes) this.d.tell.once(`n:${n}`, `Lengthwise: ${n}`, 'info');
    for (const w of plan.warnings) this.d.tell.once(`w:${w}`, `Lengthwise: ${w}`, 'warn');
    return plan as Plan & { request: NonNullable<Plan['request']> };
  }

  /** Input tokens of the system prompt and `messages` with the chat framing: the model's tokenizer, else ~4 characters a token. */
  async countInput(s: LengthwiseSettings, messages: ChatMessage[]): Promise<InputCount> {
    const choice = tokenizerFor(s.provider, s.model);
    try {
      const tok = await loadTokenizer(choice.id);
      return { tokens: countChatInput(s.provider, s.systemPrompt, messages, (t) => tok.count(t)), exact: choice.exact, tokenizer: tok };
    } catch (e) {
      this.d.log.warn(`tokenizer unavailable (${e instanceof Error ? e.message : String(e)}); using ~4 characters a token`);
      const chars = messages.reduce((a, m) => a + m.content.length, s.systemPrompt.length);
      return { tokens: estimateTokensFromChars(chars), exact: false, tokenizer: undefined };
    }
  }

  /** The key for `provider`; without one, the error with a "Set API Key" button, and nothing is sent. */
  async requireKey(provider: ProviderId): Promise<string> {
    const key = await this.d.keys.get(provider);
    if (key) return key.key;
    const msg = `No API key for ${providerLabel(provider)}. Run "Lengthwise: Set API Key" (stored in Secret Storage) or set ${API_KEY_ENV[provider]}. Nothing was sent.`;
    void vscode.window.showErrorMessage(`Lengthwise: ${msg}`, 'Set API Key').then((a) => {
      if (a) void vscode.commands.executeCommand('lengthwise.setApiKey', provider);
    });
    throw new RefusedError(msg, 'no-key');
  }

  /**
   * The budget check (rules in core/pricing/budget.ts): refuses when a "block" budget cannot take this request's
   * worst case (`worstUsd`, null = price unknown) on top of the spend and the holds of running requests, or cannot
   * be checked (the ledger did not open): fails closed. When the request may go, its worst case is held until the
   * caller settles the returned reservation (at the end of the run).
   */
  async checkBudget(s: LengthwiseSettings, worstUsd: number | null): Promise<Reservation> {
    const budget = { usd: s['budget.usd'], action: s['budget.action'] };
    if (budget.usd === null) return NO_HOLD;
    let ledger: Ledger;
    try {
      ledger = await this.d.ledger();
    } catch (e) {
      logError(this.d.log, 'ledger unavailable for the budget check', e);
      if (budget.action !== 'block') return NO_HOLD;
      const why = e instanceof Error ? e.message : String(e);
      throw this.refuseBudget(`The workspace budget (lengthwise.budget.action "block") cannot be checked: the spend ledger did not open (${why}). Nothing was sent.`);
    }
    // From here to the hold nothing is awaited: sends started together see each other's holds.
    const spent = ledger.totals({ workspace: this.d.workspaceId }).usd ?? 0;
    const d = this.d.budget.reserve(budget, spent, worstUsd, s.model);
    if (!d.ok) throw this.refuseBudget(d.message);
    if (d.warning) this.d.tell.once(`budget:unknown:${s.model}`, `Lengthwise: ${d.warning}`, 'warn');
    if (d.state.level !== 'ok' && d.state.message) this.d.tell.once(`budget:${d.state.level}:${budget.usd}`, `Lengthwise: ${d.state.message}`, 'warn');
    return d.reservation;
  }

  private refuseBudget(msg: string): RefusedError {
    void vscode.window.showErrorMessage(`Lengthwise: ${msg}`, 'Raise budget').then((a) => {
      if (a) void vscode.commands.executeCommand('workbench.action.openSettings', 'lengthwise.budget.usd');
    });
    return new RefusedError(msg, 'budget');
  }

  /** Shows the first issue (with "Open Settings" on it) and returns the refusal to throw. */
  invalid(issues: ValidationIssue[]): RefusedError {
    const text = issues.map((i) => i.message).join('\n');
    this.d.log.warn(`refused (nothing sent): ${text}`);
    const first = issues[0];
    const more = issues.length > 1;
    void vscode.window.showErrorMessage(`Lengthwise: ${more ? `${issues.length} settings need fixing. ` : ''}${first?.message ?? 'invalid settings'}${more ? ' (details in the Lengthwise output)' : ''} Nothing was sent.`, 'Open Settings').then((a) => {
      if (a) void vscode.commands.executeCommand('workbench.action.openSettings', first?.setting?.startsWith('lengthwise.') ? first.setting.split(' ')[0] : 'lengthwise');
    });
    return new RefusedError(text, 'invalid', issues.map((i) => ({ setting: i.setting, message: i.message })));
  }
}

/** Nothing held (no budget, or a "warn" budget without a ledger). */
const NO_HOLD: Reservation = { usd: 0, settle: () => undefined };

/** Whether a "block" budget stops the next round: spent (with other running requests' holds), or no ledger to check it with (fails closed). */
export function budgetStopsRound(s: LengthwiseSettings, ledger: Ledger | undefined, workspaceId: string, guard: BudgetGuard, own: Reservation | undefined): string | undefined {
  if (s['budget.usd'] === null || s['budget.action'] !== 'block') return undefined;
  if (!ledger) return 'the spend ledger is unavailable, so the budget cannot be checked';
  const spent = ledger.totals({ workspace: workspaceId }).usd ?? 0;
  const may = guard.mayContinue({ usd: s['budget.usd'], action: s['budget.action'] }, spent, own);
  return may.ok ? undefined : may.message;
}
