// The one door for every paid or keyed request: Send, Continue, Count, live jobs, batches (submit, check, cancel,
// results), limit discovery and the telemetry collector all get their key here and nowhere else. In order: the key
// (or the refusal that says how to set one), the endpoint question when someone other than the user chose where the
// key goes, the plan question when the request multiplies (core/generation/jobs/consent.ts), then the budget hold of
// the worst case. Each refusal is told to the user and thrown as a RefusedError: nothing was sent.
import * as vscode from 'vscode';
import { mustAsk, type MultipliedRequest } from '../../core/generation/jobs/consent';
import { RefusedError } from '../../core/generation/summary';
import type { Ledger } from '../../core/ledger/ledger';
import type { BudgetFit, BudgetGuard, Reservation } from '../../core/pricing/budget';
import type { ProviderId } from '../../core/protocol/request';
import { profileOf, providerLabel } from '../../core/providers';
import type { LengthwiseSettings } from '../../core/settings/settings';
import type { EndpointScope } from '../config/configuration';
import { logError } from '../logError';
import type { Notifier } from '../send/notifier';
import { readCollectorHeaders, readKey } from './keyRead';
import { approveCollector, approveEndpoint, approvePlan } from './questions';
import { isLoopbackUrl } from '../../core/protocol/loopback';

/** "127.0.0.1:8080" of a base URL, for messages. */
function localHost(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}

export interface DoorDeps {
  secrets: vscode.SecretStorage;
  workspaceState: vscode.Memento;
  ledger: () => Promise<Ledger>;
  /** Worst-case holds of running requests and pending batches. */
  budget: BudgetGuard;
  workspaceId: string;
  log: vscode.LogOutputChannel;
  tell: Notifier;
  /** Keys may come from environment variables (the desktop); VS Code for the Web has none to read. */
  environmentKeys: boolean;
}

export interface DoorRequest {
  settings: Pick<LengthwiseSettings, 'provider' | 'baseUrl' | 'model'> & Partial<Pick<LengthwiseSettings, 'budget.usd' | 'budget.action'>>;
  /**
   * Who chose the endpoint: the user or nobody (never asked), the workspace or a caller (asked once), or
   * 'approved': it passed this door when the work began (a pending batch checked later).
   */
  scope: EndpointScope | 'approved';
  /** 'required': refused without one. 'optional': '' when none is stored (a server without auth, discovery). */
  key: 'required' | 'optional';
  /**
   * The worst case to hold against the budget (null = price unknown); absent for what is not billed (a count, a
   * check). A function when it needs what only the approved endpoint can tell (a server's limits): called with the
   * key once the endpoint is approved.
   */
  worstUsd?: number | null | ((key: string) => Promise<number | null>);
  /**
   * A "block" budget that cannot take the worst case offers the rest (USD) here, synchronously between its check and
   * its hold: the request may lower its max tokens to fit (its new worst case) or say why not even a useful answer
   * fits (generation/steps/budgetFit.ts). Without it, such a request is refused.
   */
  fit?: (roomUsd: number) => BudgetFit;
  /** Background work (a scheduled batch check): a missing key is thrown, not shown in a notification. */
  quiet?: boolean;
  /** A request that multiplies: asked about every time when core's job rule says so, unless `askedUser` (the plan was just shown). */
  plan?: MultipliedRequest & { askedUser?: boolean };
}

export interface Pass {
  /** '' = no key: the request goes without an Authorization header. */
  key: string;
  keyLabel: string;
  /** The held worst case; settle it once the spend is in the ledger (or nothing was sent). */
  hold: Reservation;
}

/** Nothing held (no budget, nothing billed, or a "warn" budget without a ledger). */
const NO_HOLD: Reservation = { usd: 0, settle: () => undefined };

export class Door {
  constructor(private readonly d: DoorDeps) {}

  async authorize(r: DoorRequest): Promise<Pass> {
    const { provider, baseUrl } = r.settings;
    const key = await this.key(provider, r.key, r.quiet === true, baseUrl);
    if (r.scope !== 'approved') await approveEndpoint(this.d.workspaceState, provider, baseUrl, r.scope, key);
    if (r.plan && !r.plan.askedUser) {
      const why = mustAsk(r.plan);
      if (why) await approvePlan(r.plan, why);
    }
    const worst = typeof r.worstUsd === 'function' ? await r.worstUsd(key.key) : r.worstUsd;
    const hold = worst === undefined ? NO_HOLD : await this.holdBudget(r.settings, worst, r.fit);
    return { key: key.key, keyLabel: key.label, hold };
  }

  /** Whether a key would be found for `provider` (the meter's hint); never the key itself. */
  async hasKey(provider: ProviderId): Promise<boolean> {
    return (await readKey(this.d.secrets, provider, this.d.environmentKeys)) !== undefined;
  }

  /** The telemetry collector's headers once its endpoint is approved; undefined when declined or unreadable (logged). */
  async collector(endpoint: string, scope: EndpointScope): Promise<Record<string, string> | undefined> {
    if (!(await approveCollector(this.d.workspaceState, endpoint, scope))) {
      this.d.log.info(`telemetry: not exporting — you declined the workspace's collector ${endpoint}.`);
      return undefined;
    }
    const h = await readCollectorHeaders(this.d.secrets);
    if ('error' in h) {
      this.d.log.warn(`telemetry: not exporting — ${h.error} (Lengthwise: Set API Key → Telemetry collector).`);
      return undefined;
    }
    return h.headers;
  }

  /**
   * The key for `provider` and whose it is; without one, the error with a "Set API Key" button (nothing is sent).
   * An OpenAI-compatible server often needs none: then '' and no Authorization header.
   */
  private async key(provider: ProviderId, need: DoorRequest['key'], quiet: boolean, baseUrl: string): Promise<{ key: string; label: string }> {
    const key = await readKey(this.d.secrets, provider, this.d.environmentKeys);
    if (key) return { key: key.key, label: key.label };
    if (!profileOf(provider).keyRequired || need === 'optional') {
      this.d.log.info(`no key stored for ${providerLabel(provider)}: sending without one`);
      return { key: '', label: vscode.l10n.t('no key') };
    }
    const env = profileOf(provider).keyEnv;
    let msg = !env
      ? vscode.l10n.t('No API key for {0}. Run "Lengthwise: Set API Key" (stored in Secret Storage). Nothing was sent.', providerLabel(provider))
      : this.d.environmentKeys
        ? vscode.l10n.t('No API key for {0}. Run "Lengthwise: Set API Key" (stored in Secret Storage) or set {1}. Nothing was sent.', providerLabel(provider), env)
        : vscode.l10n.t('No API key for {0}. Run "Lengthwise: Set API Key" (stored in Secret Storage): VS Code for the Web runs Lengthwise in the browser, which has no environment variables, so {1} is not read. Nothing was sent.', providerLabel(provider), env);
    // The walkthrough's old trap: a local server's address under a provider that wants its own key.
    const local = baseUrl && isLoopbackUrl(baseUrl) ? localHost(baseUrl) : undefined;
    if (local) msg += ' ' + vscode.l10n.t('lengthwise.baseUrl points at a server on this machine ({0}): for a local model, run "Lengthwise: Use a Local Server", which sets the OpenAI-compatible provider, the address and the model.', local);
    if (quiet) throw new RefusedError(msg, 'no-key');
    // Closes once a key is stored (its cause is gone).
    const setKey = { title: vscode.l10n.t('Set API Key'), command: 'lengthwise.setApiKey', args: [provider] };
    const useLocal = { title: vscode.l10n.t('Use a Local Server'), command: 'lengthwise.useLocalServer', args: [{ baseUrl }] };
    this.d.tell.notice(`refusal:key:${provider}`, vscode.l10n.t('Lengthwise: {0}', msg), {
      actions: local ? [useLocal, setKey] : [setKey],
      closeOn: [this.d.secrets.onDidChange],
    });
    throw new RefusedError(msg, 'no-key');
  }

  /**
   * The budget check (rules in core/pricing/budget.ts): when a "block" budget cannot take the worst case on top of
   * the spend and the holds of running requests, the request's `fit` is offered the rest and may come back with a
   * lower max tokens; it is refused when it cannot (or the price is unknown), or when the budget cannot be checked
   * (the ledger did not open): fails closed. When the request may go, its worst case is held until the caller
   * settles it.
   */
  private async holdBudget(s: DoorRequest['settings'], worstUsd: number | null, fit: DoorRequest['fit']): Promise<Reservation> {
    const budget = { usd: s['budget.usd'] ?? null, action: s['budget.action'] ?? 'warn' };
    if (budget.usd === null) return NO_HOLD;
    let ledger: Ledger;
    try {
      ledger = await this.d.ledger();
    } catch (e) {
      logError(this.d.log, 'ledger unavailable for the budget check', e);
      if (budget.action !== 'block') return NO_HOLD;
      const why = e instanceof Error ? e.message : String(e);
      throw this.refuseBudget(vscode.l10n.t('The workspace budget (lengthwise.budget.action "block") cannot be checked: the spend ledger did not open ({0}). Nothing was sent.', why));
    }
    // From here to the hold nothing is awaited: sends started together see each other's holds.
    const spent = ledger.totals({ workspace: this.d.workspaceId }).budgetUsd;
    const d = this.d.budget.reserve(budget, spent, worstUsd, s.model, fit);
    if (!d.ok) throw this.refuseBudget(d.message);
    // Both stay until the budget (or the price) changes.
    if (d.warning) this.d.tell.once(`budget:unknown:${s.model}`, vscode.l10n.t('Lengthwise: {0}', d.warning), 'warn', { settings: ['budget.usd', 'budget.action', 'pricing', 'model'] });
    if (d.state.level !== 'ok' && d.state.message) this.d.tell.once(`budget:${d.state.level}:${budget.usd}`, vscode.l10n.t('Lengthwise: {0}', d.state.message), 'warn', { settings: ['budget.usd', 'budget.action'] });
    return d.reservation;
  }

  /** Refused by the budget: the notice closes when the budget settings change (raised, or set to "warn"). */
  private refuseBudget(msg: string): RefusedError {
    this.d.tell.notice('refusal:budget', vscode.l10n.t('Lengthwise: {0}', msg), {
      actions: [{ title: vscode.l10n.t('Raise budget'), command: 'workbench.action.openSettings', args: ['lengthwise.budget.usd'] }],
      settings: ['budget.usd', 'budget.action'],
    });
    return new RefusedError(msg, 'budget');
  }
}
