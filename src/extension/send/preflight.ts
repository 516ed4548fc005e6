// Everything checked before a request goes out, up to the door (door/door.ts: the key, the endpoint, the plan of a
// job, the budget): the prompt, the effective settings, the input count and the plan. Each refusal is told to the
// user here and thrown as a RefusedError (nothing sent).
import * as vscode from 'vscode';
import { planRequest, type Plan } from '../../core/generation/plan';
import type { DiscoveredLimits } from '../../core/models/discovery';
import { profileOf } from '../../core/providers';
import { countMessages, lmMessages } from '../lm/adapter';
import { lmLimits, resolveModel } from '../lm/models';
import { RefusedError } from '../../core/generation/summary';
import type { Ledger } from '../../core/ledger/ledger';
import type { ChatMessage } from '../../core/protocol/request';
import type { LengthwiseSettings, ResolvedSettings, ValidationIssue } from '../../core/settings/settings';
import { estimateTokensFromChars } from '../../core/tokens/estimate';
import { chatFramingTokens } from '../../core/tokens/chatInput';
import { countAll, type TextCounter } from '../../core/tokens/counting';
import { loadTokenizer, tokenizerFor, type Tokenizer } from '../../core/tokens/tokens';
import type { BudgetGuard, Reservation } from '../../core/pricing/budget';
import { restrictedWorkspaceSettings, type ConfigRead, type Configuration } from '../config/configuration';
import type { Notifier } from './notifier';

export interface SendOptions {
  text?: string;
  preset?: string;
  overrides?: Record<string, unknown>;
}

export interface InputCount {
  tokens: number;
  /** The count is exact: the model's own tokenizer, and no run over MAX_UNCUT_RUN characters cut. */
  exact: boolean;
  tokenizer: Tokenizer | undefined;
  /** The model's own tokenizer (exact for its output), whatever this input's count. */
  tokenizerExact: boolean;
}

export interface PreflightDeps {
  config: Configuration;
  log: vscode.LogOutputChannel;
  tell: Notifier;
  /** The session's counter: big texts are counted off this thread (src/platform/node/countWorker.ts). */
  counter: TextCounter;
}

/** The prompt: the given text, else the selection, else the cursor's line. */
export function readPrompt(opts: SendOptions): { editor: vscode.TextEditor | undefined; prompt: string } {
  const editor = vscode.window.activeTextEditor;
  let prompt: string;
  if (opts.text !== undefined) prompt = opts.text;
  else {
    if (!editor) throw new RefusedError(vscode.l10n.t('Open a document and select the text to send.'), 'no-target');
    const sel = editor.selection;
    prompt = sel.isEmpty ? editor.document.lineAt(sel.active.line).text : editor.document.getText(sel);
  }
  if (!prompt.trim()) {
    throw new RefusedError(vscode.l10n.t('Nothing to send: the selection (or the current line) is empty. Select some text first.'), 'empty');
  }
  return { editor, prompt };
}

export class Preflight {
  constructor(private readonly d: PreflightDeps) {}

  /** The effective settings for the document; tells what an untrusted workspace had ignored; refuses invalid ones. */
  async settings(editor: vscode.TextEditor | undefined, opts: SendOptions): Promise<{ cfg: ConfigRead; resolved: ResolvedSettings; s: LengthwiseSettings }> {
    const { cfg, resolved } = this.d.config.resolve(editor?.document.uri, { preset: opts.preset, overrides: opts.overrides });
    const ignored = [...new Set([...cfg.ignored, ...(await restrictedWorkspaceSettings())])].sort();
    if (ignored.length) this.d.tell.once(`untrusted:${ignored.join()}`, vscode.l10n.t('Lengthwise: this workspace is not trusted, so its values of {0} are ignored (your user settings apply).', ignored.join(', ')), 'warn');
    if (resolved.errors.length) throw this.invalid(resolved.errors);
    for (const w of resolved.warnings) this.d.tell.once(`w:${w}`, vscode.l10n.t('Lengthwise: {0}', w), 'warn');
    return { cfg, resolved, s: resolved.settings };
  }

  /**
   * The request for `prompt`; refuses what cannot be sent, tells the plan's notes and warnings (unless `quiet`: a
   * first check before the server's own limits are known). `discovered`: limits an OpenAI-compatible server reported.
   */
  plan(s: LengthwiseSettings, prompt: string, counted: InputCount, resolved: ResolvedSettings, opts: { discovered?: DiscoveredLimits; quiet?: boolean; budgetRoomUsd?: number } = {}): Plan & { request: NonNullable<Plan['request']> } {
    const tok = counted.tokenizer;
    const plan = planRequest({
      settings: s,
      prompt,
      inputTokens: counted.tokens,
      inputTokensExact: counted.exact,
      sources: resolved.sources,
      discovered: opts.discovered,
      budgetRoomUsd: opts.budgetRoomUsd,
      // The length hint is one sentence: counted here, on this thread.
      countText: tok ? (t) => tok.count(t) : undefined,
    });
    if (plan.errors.length || !plan.request) throw this.invalid(plan.errors);
    if (opts.quiet) return plan as Plan & { request: NonNullable<Plan['request']> };
    for (const n of plan.notes) this.d.tell.once(`n:${n}`, vscode.l10n.t('Lengthwise: {0}', n), 'info');
    for (const w of plan.warnings) this.d.tell.once(`w:${w}`, vscode.l10n.t('Lengthwise: {0}', w), 'warn');
    // Stop lint was shown when the setting changed (settingsNotices.ts); at send it goes to the log and tooltip.
    for (const l of plan.lint) this.d.log.warn(`stop lint: ${l}`);
    return plan as Plan & { request: NonNullable<Plan['request']> };
  }

  /**
   * Input tokens of the system prompt and `messages` with the chat framing, the model's tokenizer (through the
   * session's counter: bounded, off this thread for big texts), else ~4 characters a token. Never refused for
   * taking long.
   */
  async countInput(s: LengthwiseSettings, messages: ChatMessage[]): Promise<InputCount> {
    if (profileOf(s.provider).transport === 'editor') return this.countWithModel(s, messages);
    const choice = tokenizerFor(s.provider, s.model);
    try {
      // The live output counter needs the tokenizer here too; the input may be counted in the worker meanwhile.
      const [tok, counted] = await Promise.all([loadTokenizer(choice.id), countAll(this.d.counter, choice.id, [s.systemPrompt, ...messages.map((m) => m.content)])]);
      const tokens = counted.tokens + chatFramingTokens(s.provider, messages.length + (s.systemPrompt ? 1 : 0));
      return { tokens, exact: choice.exact && counted.exact, tokenizer: tok, tokenizerExact: choice.exact };
    } catch (e) {
      this.d.log.warn(`tokenizer unavailable (${e instanceof Error ? e.message : String(e)}); using ~4 characters a token`);
      const chars = messages.reduce((a, m) => a + m.content.length, s.systemPrompt.length);
      return { tokens: estimateTokensFromChars(chars), exact: false, tokenizer: undefined, tokenizerExact: false };
    }
  }

  /**
   * A VS Code language model's input, counted by the model itself (countTokens: exact for that model; a few round
   * trips to its extension, one per message). The local o200k tokenizer still counts the answer live while it
   * streams (an estimate until the model counts it at the end). Refuses a model name that names no model or several.
   */
  private async countWithModel(s: LengthwiseSettings, messages: ChatMessage[]): Promise<InputCount> {
    const model = await resolveModel(s.model).catch((e: unknown) => {
      if (e instanceof RefusedError) {
        const pick = vscode.l10n.t('Select Model');
        void vscode.window.showErrorMessage(vscode.l10n.t('Lengthwise: {0}', e.message), pick).then((a) => {
          if (a === pick) void vscode.commands.executeCommand('lengthwise.selectModel');
        });
      }
      throw e;
    });
    const [tokens, tok] = await Promise.all([countMessages(model, lmMessages({ system: s.systemPrompt || undefined, messages })), loadTokenizer('o200k_base')]);
    return { tokens, exact: true, tokenizer: tok, tokenizerExact: false };
  }

  /** What a VS Code language model says of its limits (its maxInputTokens); undefined for other providers. */
  async modelLimits(s: LengthwiseSettings): Promise<DiscoveredLimits | undefined> {
    if (profileOf(s.provider).transport !== 'editor') return undefined;
    return lmLimits(await resolveModel(s.model));
  }

  /**
   * Shows every issue in one error (the log has them too) with "Open Settings", which opens the settings tab where
   * the bad value lives (User or Workspace) at that setting; with several issues, a pick of them first.
   */
  invalid(issues: ValidationIssue[]): RefusedError {
    const text = issues.map((i) => i.message).join('\n');
    this.d.log.warn(`refused (nothing sent): ${text}`);
    const list = issues.length > 1 ? issues.map((i, n) => `(${n + 1}) ${i.message}`).join(' ') : (issues[0]?.message ?? vscode.l10n.t('invalid settings'));
    const shown = issues.length > 1 ? vscode.l10n.t('Lengthwise: {0} settings need fixing: {1} Nothing was sent.', issues.length, list) : vscode.l10n.t('Lengthwise: {0} Nothing was sent.', list);
    void vscode.window.showErrorMessage(shown, vscode.l10n.t('Open Settings')).then(async (a) => {
      if (!a) return;
      let chosen = issues[0];
      if (issues.length > 1) {
        const pick = await vscode.window.showQuickPick(
          issues.map((i) => ({ label: i.setting ?? 'lengthwise', detail: i.message, issue: i })),
          { title: vscode.l10n.t('Lengthwise: which setting to open?'), matchOnDetail: true },
        );
        if (!pick) return;
        chosen = pick.issue;
      }
      const { command, query } = this.settingsLocation(chosen);
      await vscode.commands.executeCommand(command, query);
    });
    return new RefusedError(text, 'invalid', issues.map((i) => ({ setting: i.setting, message: i.message })));
  }

  /** The settings tab (User or Workspace) that holds the issue's value, and the search for its setting. */
  settingsLocation(issue: ValidationIssue | undefined): { command: string; query: string } {
    // "lengthwise.stopSequences[2]", "lengthwise.budget.usd": the setting's own id, without an index.
    const id = /^lengthwise\.[\w.]+/.exec(issue?.setting ?? '')?.[0]?.replace(/\.$/, '');
    // A value from a preset lives in lengthwise.presets.
    const query = issue?.preset !== undefined ? 'lengthwise.presets' : (id ?? 'lengthwise');
    const key = query.slice('lengthwise.'.length);
    const i = key ? this.d.config.section(vscode.window.activeTextEditor?.document.uri).inspect(key) : undefined;
    const inWorkspace = i !== undefined && (i.workspaceFolderValue !== undefined || i.workspaceValue !== undefined);
    return { command: inWorkspace ? 'workbench.action.openWorkspaceSettings' : 'workbench.action.openSettings', query };
  }
}

/** Whether a "block" budget stops the next round: spent (with other running requests' holds), or no ledger to check it with (fails closed). */
export function budgetStopsRound(s: LengthwiseSettings, ledger: Ledger | undefined, workspaceId: string, guard: BudgetGuard, own: Reservation | undefined): string | undefined {
  if (s['budget.usd'] === null || s['budget.action'] !== 'block') return undefined;
  if (!ledger) return 'the spend ledger is unavailable, so the budget cannot be checked';
  const spent = ledger.totals({ workspace: workspaceId }).budgetUsd;
  const may = guard.mayContinue({ usd: s['budget.usd'], action: s['budget.action'] }, spent, own);
  return may.ok ? undefined : may.message;
}
