// Everything checked before a request goes out, up to the door (door/door.ts: the key, the endpoint, the plan of a
// job, the budget): the prompt, the effective settings, the input count and the plan. Each refusal is told to the
// user here and thrown as a RefusedError (nothing sent).
import * as vscode from 'vscode';
import type { Plan } from '../../core/generation/plan';
import { countedPlanAsync, countedPlanSync, type CountedPlan, type InputParts } from '../../core/generation/countedPlan';
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

/** The notice of the last refusal (invalid settings, a prompt the model cannot take): one at a time. */
const REFUSAL = 'refusal';

export interface SendOptions {
  text?: string;
  preset?: string;
  overrides?: Record<string, unknown>;
}

export interface InputCount {
  /** Every input token of the request: the messages, the system prompt as sent and the chat framing. */
  tokens: number;
  /** The messages' own tokens (the selection, or the conversation so far). */
  messageTokens: number;
  /** What `tokens` is made of, once the request is planned (core/generation/countedPlan.ts). */
  parts?: InputParts;
  /** The count is exact: the model's own tokenizer (or the server's), and no run over MAX_UNCUT_RUN characters cut. */
  exact: boolean;
  tokenizer: Tokenizer | undefined;
  /** The model's own tokenizer (exact for its output), whatever this input's count. */
  tokenizerExact: boolean;
  /** Who counted `tokens` when it was not the local tokenizer: "llama-server's own tokenizer". */
  by?: string;
  /** The local count, when the server's replaced it (the meter's estimate is scaled by their ratio). */
  local?: number;
  /** An estimate for a tokenizer Lengthwise cannot see: the share jobs keep free (stated in the plan). */
  margin?: number;
}

type PlanOptions = { discovered?: DiscoveredLimits; quiet?: boolean; messages?: ChatMessage[]; budgetRoomUsd?: number };
type Planned = { plan: Plan & { request: NonNullable<Plan['request']> }; counted: InputCount };

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
    if (ignored.length) {
      const msg = vscode.l10n.t('Lengthwise: this workspace is not trusted, so its values of {0} are ignored (your user settings apply).', ignored.join(', '));
      this.d.tell.once(`untrusted:${ignored.join()}`, msg, 'warn', { closeOn: [vscode.workspace.onDidGrantWorkspaceTrust] });
    }
    if (resolved.errors.length) throw this.invalid(resolved.errors);
    // A warning about the settings (chunking, sampling…) stays while the settings still give it.
    const uri = editor?.document.uri;
    for (const w of resolved.warnings) this.d.tell.once(`w:${w}`, vscode.l10n.t('Lengthwise: {0}', w), 'warn', { stillTrue: () => this.d.config.resolve(uri).resolved.warnings.includes(w) });
    return { cfg, resolved, s: resolved.settings };
  }

  /**
   * The request for `prompt` and its input count by the one rule (core/generation/countedPlan.ts): the system
   * prompt as sent, the length hint included, counted in each planning pass. Refuses what cannot be sent, tells
   * the plan's notes and warnings (unless `quiet`: a first check before the server's own limits are known).
   * `discovered`: limits an OpenAI-compatible server reported; `messages`: a conversation (default: the prompt).
   */
  async plan(s: LengthwiseSettings, prompt: string, counted: InputCount, resolved: ResolvedSettings, opts: PlanOptions = {}): Promise<Planned> {
    const id = tokenizerFor(s.provider, s.model).id;
    let exact = counted.exact;
    // A tokenizer that did not load: the system prompt is estimated like the rest (~4 characters a token). VS Code's
    // models count it themselves.
    const editor = profileOf(s.provider).transport === 'editor';
    const countText = async (text: string) => {
      if (editor) return countMessages(await resolveModel(s.model), lmMessages({ system: text, messages: [] }));
      if (!counted.tokenizer) return estimateTokensFromChars(text.length);
      const r = await this.d.counter.count(id, text);
      exact &&= r.exact;
      return r.tokens;
    };
    const c = await countedPlanAsync(this.planInput(s, prompt, counted, resolved, opts), counted.messageTokens, countText);
    return this.told(c, { ...counted, exact }, opts);
  }

  /**
   * plan() on this thread, for the door's budget fit (a synchronous callback): the system prompt counted with the
   * loaded tokenizer (it is short; the selection was counted before), else estimated.
   */
  planNow(s: LengthwiseSettings, prompt: string, counted: InputCount, resolved: ResolvedSettings, opts: PlanOptions = {}): Planned {
    const tok = counted.tokenizer;
    const c = countedPlanSync(this.planInput(s, prompt, counted, resolved, opts), counted.messageTokens, (t) => (tok ? tok.count(t) : estimateTokensFromChars(t.length)));
    return this.told(c, counted, opts);
  }

  private planInput(s: LengthwiseSettings, prompt: string, counted: InputCount, resolved: ResolvedSettings, opts: PlanOptions) {
    const tok = counted.tokenizer;
    // The length hint's sentence, counted on this thread when a plan step needs it before the whole system prompt is.
    const countText = tok ? (t: string) => tok.count(t) : undefined;
    return { settings: s, prompt, inputTokensExact: counted.exact, sources: resolved.sources, discovered: opts.discovered, messages: opts.messages, budgetRoomUsd: opts.budgetRoomUsd, countText };
  }

  /** The planned request with its count; refusals thrown and told, the plan's notes and warnings told. */
  private told({ plan, inputTokens, parts }: CountedPlan, counted: InputCount, opts: PlanOptions): Planned {
    if (plan.errors.length || !plan.request) throw this.invalid(plan.errors);
    // A request could be planned: a refusal shown before is no longer the case.
    this.d.tell.close(REFUSAL);
    const planned = { plan: plan as Plan & { request: NonNullable<Plan['request']> }, counted: { ...counted, tokens: inputTokens, parts } };
    if (opts.quiet) return planned;
    // The notes and warnings of this plan; those of an earlier plan that this one no longer gives close.
    for (const n of plan.notes) this.d.tell.once(`n:${n}`, vscode.l10n.t('Lengthwise: {0}', n), 'info', { group: 'plan' });
    for (const w of plan.warnings) this.d.tell.once(`w:${w}`, vscode.l10n.t('Lengthwise: {0}', w), 'warn', { group: 'plan' });
    this.d.tell.settle('plan', [...plan.notes.map((n) => `n:${n}`), ...plan.warnings.map((w) => `w:${w}`)]);
    // Stop lint was shown when the setting changed (settingsNotices.ts); at send it goes to the log and tooltip.
    for (const l of plan.lint) this.d.log.warn(`stop lint: ${l}`);
    return planned;
  }

  /**
   * Input tokens of `messages` and a system prompt (the settings' own unless given: a continuation keeps its chain's,
   * hint included) with the chat framing, by the model's tokenizer through the session's counter (bounded, off this
   * thread for big texts), else ~4 characters a token. Never refused for taking long. A length hint the plan adds
   * is counted by plan().
   */
  async countInput(s: LengthwiseSettings, messages: ChatMessage[], system: string = s.systemPrompt): Promise<InputCount> {
    if (profileOf(s.provider).transport === 'editor') return this.countWithModel(s, messages, system);
    const choice = tokenizerFor(s.provider, s.model);
    const framing = chatFramingTokens(s.provider, messages.length + (system ? 1 : 0));
    try {
      // The live output counter needs the tokenizer here too; the input may be counted in the worker meanwhile.
      const [tok, msgs, sys] = await Promise.all([
        loadTokenizer(choice.id),
        countAll(this.d.counter, choice.id, messages.map((m) => m.content)),
        countAll(this.d.counter, choice.id, [system]),
      ]);
      return { tokens: msgs.tokens + sys.tokens + framing, messageTokens: msgs.tokens, exact: choice.exact && msgs.exact && sys.exact, tokenizer: tok, tokenizerExact: choice.exact };
    } catch (e) {
      this.d.log.warn(`tokenizer unavailable (${e instanceof Error ? e.message : String(e)}); using ~4 characters a token`);
      const messageTokens = estimateTokensFromChars(messages.reduce((a, m) => a + m.content.length, 0));
      return { tokens: messageTokens + estimateTokensFromChars(system.length) + framing, messageTokens, exact: false, tokenizer: undefined, tokenizerExact: false };
    }
  }

  /** A long text counted with the model's tokenizer off this thread (the counting worker); undefined unless exact. */
  async countOffThread(s: LengthwiseSettings, text: string): Promise<number | undefined> {
    const r = await this.d.counter.count(tokenizerFor(s.provider, s.model).id, text);
    return r.exact ? r.tokens : undefined;
  }

  /**
   * A VS Code language model's input, counted by the model itself (countTokens: exact for that model; a few round
   * trips to its extension, one per message). The local o200k tokenizer still counts the answer live while it
   * streams (an estimate until the model counts it at the end). Refuses a model name that names no model or several.
   */
  private async countWithModel(s: LengthwiseSettings, messages: ChatMessage[], system: string): Promise<InputCount> {
    const model = await resolveModel(s.model).catch((e: unknown) => {
      if (e instanceof RefusedError) {
        const pick = vscode.l10n.t('Select Model');
        void vscode.window.showErrorMessage(vscode.l10n.t('Lengthwise: {0}', e.message), pick).then((a) => {
          if (a === pick) void vscode.commands.executeCommand('lengthwise.selectModel');
        });
      }
      throw e;
    });
    const [messageTokens, sys, tok] = await Promise.all([
      countMessages(model, lmMessages({ messages })),
      system ? countMessages(model, lmMessages({ system, messages: [] })) : 0,
      loadTokenizer('o200k_base'),
    ]);
    return { tokens: messageTokens + sys, messageTokens, exact: true, tokenizer: tok, tokenizerExact: false };
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
    // One link per setting to open (where its value lives: User or Workspace). The notice closes once the settings
    // no longer give these issues (a value fixed), or when a later request is planned.
    const places = new Map<string, { command: string; query: string }>();
    for (const i of issues) {
      const at = this.settingsLocation(i);
      places.set(at.query, at);
    }
    const actions = [...places.values()].map((p) => ({ title: places.size > 1 ? vscode.l10n.t('Open {0}', p.query) : vscode.l10n.t('Open Settings'), command: p.command, args: [p.query] }));
    const messages = new Set(issues.map((i) => i.message));
    const stillTrue = () => this.d.config.resolve(vscode.window.activeTextEditor?.document.uri).resolved.errors.some((e) => messages.has(e.message));
    this.d.tell.notice(REFUSAL, shown, { actions, stillTrue });
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
