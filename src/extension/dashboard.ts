// The spend and length dashboard: one webview panel (revived after a reload by a serializer). The numbers come from
// core/views/dashboardData.ts; this file adapts them to the editor: settings in, panel messages, apply, export.
import { logError } from './logError';
import * as vscode from 'vscode';
import { isPlainObject } from '../core/protocol/guards';
import { findPrice, type PricingOverride } from '../core/pricing/cost';
import { NO_PRESET, RANGES, SCOPES, buildDashboard, filterRecords, type DashboardData, type RangeFilter, type ScopeFilter } from '../core/views/dashboardData';
import { parseFromWebview, type ClickTarget, type FromWebview, type RenderedSummary, type ToWebview } from '../core/views/dashboardProtocol';
import { toCsv, toJsonl } from '../core/views/export';
import { TRIAL_ACTIONS, type TrialAction, type TrialsData } from '../core/views/trialProtocol';
import type { Ledger } from '../core/ledger/ledger';
import type { ProviderId } from '../core/protocol/request';
import { maxTokensByPreset } from '../core/settings/settings';
import type { Configuration } from './config/configuration';
import { writeMaxTokens } from './config/presetWrite';
import type { RunEvents } from './send/events';
import { plural } from '../core/protocol/plural';

const DASHBOARD_VIEW_TYPE = 'lengthwise.dashboard';

export interface DashboardDeps {
  context: vscode.ExtensionContext;
  config: Configuration;
  ledger: () => Promise<Ledger>;
  log: vscode.LogOutputChannel;
  workspaceId: string;
  /** Test runs: the page accepts the `click` message (tests press its controls). */
  testMode: boolean;
}

/** The last data posted and what the page drew: what `show().ready` resolves with, and what the tests read. */
export interface DashboardState {
  open: boolean;
  posted?: DashboardData;
  applicable?: string[];
  rendered?: RenderedSummary;
  lastNotice?: string;
}

/** lengthwise.showDashboard resolves to this: `ready` settles once the page has drawn the data posted to it. */
export interface DashboardHandle {
  panel: vscode.WebviewPanel;
  ready: Promise<DashboardState>;
}

interface ViewState {
  range: RangeFilter;
  scope: ScopeFilter;
  hideTrials: boolean;
}

/** The Trials tab's source (trial/trials.ts): the reports, a button of a trial, and when they change. */
export interface TrialsSource {
  view(): TrialsData;
  act(action: TrialAction, id: string): Promise<string | undefined>;
  onDidChange: vscode.Event<void>;
}


/**
 * A per-page script nonce from a cryptographic source (Math.random is predictable): Web Crypto, which Node and a
 * browser's web worker both have.
 */
function nonce(): string {
  // 24 bytes: 32 base64 characters, no padding; base64url as before.
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(24));
  return btoa(String.fromCharCode(...bytes)).replace(/[+/]/g, (c) => (c === '+' ? '-' : '_'));
}

export class Dashboard implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private panelSubs: vscode.Disposable[] = [];
  private view: ViewState = { range: '30', scope: 'workspace', hideTrials: false };
  private trials: TrialsSource | undefined;
  /**
   * The trial the page is asked to show, until it has drawn it: a message posted while the page is hidden or reloading
   * is lost, and the page asks again with "ready".
   */
  private focus: string | undefined;
  private posted: DashboardData | undefined;
  private applicable: string[] = [];
  private rendered: RenderedSummary | undefined;
  private lastNotice: string | undefined;
  private applying = false;
  /** Waiting for the page to report its next drawing. */
  private renderWaiters: ((s: DashboardState) => void)[] = [];

  constructor(private readonly d: DashboardDeps) {}

  private state(): DashboardState {
    return { open: !!this.panel, posted: this.posted, applicable: this.applicable, rendered: this.rendered, lastNotice: this.lastNotice };
  }

  /**
   * What the editor tests read and press, reached only from src/extension/testHooks.ts (lint refuses `forTests`
   * elsewhere): the state, the page's next report (e.g. after a theme change), and a control pressed in the page.
   */
  readonly forTests = {
    state: (): DashboardState => this.state(),
    nextReport: (): Promise<DashboardState> => {
      if (!this.panel) return Promise.reject(new Error('the dashboard is not open'));
      return this.nextRender();
    },
    /** Resolves when the page has drawn the data that follows. */
    click: async (control: ClickTarget): Promise<DashboardState> => {
      if (!this.panel) throw new Error('the dashboard is not open');
      const drawn = this.nextRender();
      await this.post({ type: 'click', control });
      return drawn;
    },
  };

  /** The Trials tab's reports (set once the trials exist; they redraw the tab when they change). */
  attachTrials(source: TrialsSource): vscode.Disposable {
    this.trials = source;
    return source.onDidChange(() => void this.postTrials());
  }

  /** Opens the panel or brings it forward (one instance); `o.trial`: on the Trials tab, at that trial. */
  show(o: { trial?: string } = {}): DashboardHandle {
    this.focus = o.trial;
    if (this.panel) {
      this.panel.reveal(vscode.ViewColumn.Active);
      const ready = this.nextRender();
      void this.update(true);
      return { panel: this.panel, ready };
    }
    const panel = vscode.window.createWebviewPanel(DASHBOARD_VIEW_TYPE, 'Lengthwise: Spend and Length', vscode.ViewColumn.Active, this.webviewOptions());
    const ready = this.nextRender();
    this.attach(panel);
    return { panel, ready };
  }

  /** The serializer hands back a panel after a window reload, with the page's saved filters. */
  revive(panel: vscode.WebviewPanel, saved: unknown): void {
    if (this.panel && this.panel !== panel) {
      // A second restored panel would break "one instance": keep the first.
      panel.dispose();
      return;
    }
    if (isPlainObject(saved)) {
      if (RANGES.includes(saved.range as RangeFilter)) this.view.range = saved.range as RangeFilter;
      if (SCOPES.includes(saved.scope as ScopeFilter)) this.view.scope = saved.scope as ScopeFilter;
      if (typeof saved.hideTrials === 'boolean') this.view.hideTrials = saved.hideTrials;
    }
    panel.webview.options = this.webviewOptions();
    this.attach(panel);
  }

  private webviewOptions(): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    const ext = this.d.context.extensionUri;
    return {
      enableScripts: true,
      enableCommandUris: false,
      localResourceRoots: [vscode.Uri.joinPath(ext, 'media'), vscode.Uri.joinPath(ext, 'dist', 'webview')],
      retainContextWhenHidden: false,
    };
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    panel.iconPath = vscode.Uri.joinPath(this.d.context.extensionUri, 'media', 'icon.png');
    panel.webview.html = this.html(panel.webview);
    this.panelSubs.push(
      panel.webview.onDidReceiveMessage((m) => void this.receive(m)),
      // A hidden page is discarded (no retainContextWhenHidden); shown again, it asks with "ready" and gets fresh data.
      this.d.config.onDidChange(() => {
        // While applying, apply() posts the new data itself (after its notice), so the page draws once, in order.
        if (!this.applying) void this.update(false);
      }),
      panel.onDidDispose(() => {
        this.panel = undefined;
        this.posted = undefined;
        this.rendered = undefined;
        for (const s of this.panelSubs) s.dispose();
        this.panelSubs = [];
      }),
    );
  }

  private html(webview: vscode.Webview): string {
    const ext = this.d.context.extensionUri;
    const script = webview.asWebviewUri(vscode.Uri.joinPath(ext, 'dist', 'webview', 'dashboard.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(ext, 'media', 'dashboard.css'));
    const n = nonce();
    const csp = [
      "default-src 'none'",
      `img-src ${webview.cspSource} data:`,
      `style-src ${webview.cspSource}`,
      `font-src ${webview.cspSource}`,
      `script-src 'nonce-${n}'`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>Lengthwise: Spend and Length</title>
</head>
<body${this.d.testMode ? ' data-test-mode="1"' : ''}>
<main id="app" aria-busy="true"><p>Loading the ledger…</p></main>
<script nonce="${n}" src="${script}"></script>
</body>
</html>`;
  }

  private nextRender(): Promise<DashboardState> {
    return new Promise((resolve) => this.renderWaiters.push(resolve));
  }

  private async receive(raw: unknown): Promise<void> {
    const m = parseFromWebview(raw);
    if (!m) {
      this.d.log.warn(`dashboard: ignored a malformed message from the page: ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    try {
      await this.handle(m);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      logError(this.d.log, `dashboard: ${m.type} failed`, e);
      this.notice(vscode.l10n.t('Failed: {0}', msg), 'error');
    }
  }

  private async handle(m: FromWebview): Promise<void> {
    switch (m.type) {
      case 'ready':
        return this.update(true);
      case 'refresh':
        return this.update(true);
      case 'query':
        this.view = { ...this.view, range: m.range, scope: m.scope };
        return this.update(false);
      case 'trialFilter':
        this.view.hideTrials = m.hide;
        return this.update(false);
      case 'trial': {
        const text = await this.trials?.act(m.action, m.id);
        if (text) this.notice(text);
        // The page draws again (its button was disabled while the action ran), also when nothing changed.
        return this.postTrials();
      }
      case 'apply':
        await this.apply(m.preset);
        return;
      case 'export':
        await this.export(m.format);
        return;
      case 'rendered': {
        this.rendered = m.summary;
        if (this.focus !== undefined && m.summary.trials?.shown === this.focus) this.focus = undefined;
        const waiters = this.renderWaiters;
        this.renderWaiters = [];
        for (const w of waiters) w(this.state());
        return;
      }
    }
  }

  /** Recomputes the view and posts it. `reread`: re-read the ledger file (other windows append to it too). */
  async update(reread: boolean): Promise<void> {
    if (!this.panel) return;
    const ledger = await this.d.ledger();
    if (reread) {
      const bad = await ledger.refresh();
      if (bad.length) this.d.log.warn(`dashboard: ${plural(bad.length, 'unreadable ledger line')} skipped.`);
    }
    const { data, applicable } = this.compute(ledger);
    this.posted = data;
    this.applicable = applicable;
    const folder = vscode.workspace.workspaceFolders?.[0]?.name ?? vscode.workspace.name ?? 'this window';
    // The Trials tab's reports come with the data, so the page draws both at once.
    await this.post({ type: 'data', data, applicable, workspaceLabel: folder, ...this.trialsPart() });
  }

  /** The Trials tab's reports, and the trial to show. */
  private trialsPart(): { trials?: TrialsData; focus?: string } {
    if (!this.trials) return {};
    const trials = this.trials.view();
    // A trial that is not (or no longer) there is never drawn: asking for it again would pull every redraw back here.
    const focus = this.focus;
    if (focus !== undefined && !trials.reports.some((r) => r.id === focus)) this.focus = undefined;
    return { trials, ...(this.focus ? { focus: this.focus } : {}) };
  }

  /** A trial changed (ran, landed, applied): the Trials tab redraws. */
  private async postTrials(): Promise<void> {
    const part = this.trialsPart();
    if (this.panel && this.posted && part.trials) await this.post({ type: 'trials', data: part.trials, ...(part.focus ? { focus: part.focus } : {}) });
  }

  private compute(ledger: Ledger): { data: DashboardData; applicable: string[] } {
    const cfg = this.d.config.read();
    // Presets parsed once for all of them (once per preset made this cubic in the number of presets).
    const configuredMaxTokens = maxTokensByPreset(cfg.configured, cfg.userPresets);
    const pricing = isPlainObject(cfg.configured.pricing) ? (cfg.configured.pricing as Record<string, PricingOverride>) : undefined;
    // The budget the checks use: the stricter of the user's and the workspace's.
    const budget = this.d.config.resolve(undefined).resolved.settings['budget.usd'];
    const data = buildDashboard(ledger.records(), {
      range: this.view.range,
      scope: this.view.scope,
      workspace: this.d.workspaceId,
      now: new Date(),
      utcOffsetMinutes: -new Date().getTimezoneOffset(),
      budgetUsd: typeof budget === 'number' ? budget : null,
      configuredMaxTokens,
      hideTrials: this.view.hideTrials,
      priceOf: (provider, model) => {
        try {
          const p = findPrice(provider as ProviderId, model, pricing);
          return p ? { input: p.inputPerM, output: p.outputPerM } : undefined;
        } catch {
          return undefined;
        }
      },
    });
    // The button is offered for presets that exist (a built-in or one of the settings) and for the plain settings.
    const applicable = Object.keys(configuredMaxTokens);
    return { data, applicable };
  }

  private async post(m: ToWebview): Promise<void> {
    if (!this.panel) return;
    const ok = await this.panel.webview.postMessage(m);
    if (!ok) this.d.log.debug(`dashboard: the page did not take a "${m.type}" message (hidden or reloading)`);
  }

  private notice(text: string, kind: 'info' | 'error' = 'info'): void {
    this.lastNotice = text;
    void this.post({ type: 'notice', text, kind });
  }

  /**
   * Writes the recommendation of `presetKey` into the workspace settings. The value comes from the data computed
   * here, never from the page: the page names the preset only.
   */
  async apply(presetKey: string): Promise<string> {
    const section = this.posted?.presets.find((p) => p.key === presetKey);
    const rec = section?.recommendation;
    if (!section || !rec || rec.suggested === null || (rec.kind !== 'lower' && rec.kind !== 'raise')) {
      throw new Error(vscode.l10n.t('there is no recommendation to apply for "{0}".', presetKey || vscode.l10n.t('(no preset)')));
    }
    if (!this.applicable.includes(presetKey)) throw new Error(vscode.l10n.t('the preset "{0}" is no longer defined in the settings.', presetKey));
    if (!vscode.workspace.workspaceFolders?.length) throw new Error(vscode.l10n.t('open a folder first: the recommendation is written to its .vscode/settings.json.'));
    const before = rec.current ?? 'unset';
    let text: string;
    this.applying = true;
    try {
      // Only maxTokens is written: a user preset's other fields (baseUrl, a key's destination, included) stay in
      // the user's settings (config/presetWrite.ts).
      await writeMaxTokens(this.d.config, presetKey, rec.suggested, 'workspace');
      text =
        presetKey === NO_PRESET
          ? vscode.l10n.t("lengthwise.maxTokens {0} → {1} in this workspace's settings (.vscode/settings.json).", before, rec.suggested)
          : vscode.l10n.t("preset \"{0}\": max tokens {1} → {2} in this workspace's lengthwise.presets (.vscode/settings.json).", presetKey, before, rec.suggested);
    } finally {
      this.applying = false;
    }
    this.d.log.info(`dashboard: applied ${text}`);
    void vscode.window.showInformationMessage(vscode.l10n.t('Lengthwise: {0}', text));
    this.notice(vscode.l10n.t('Applied: {0}', text));
    await this.update(false);
    return text;
  }

  /** Exports the records the panel shows; asks where unless a target is given (tests). */
  async export(format: 'csv' | 'jsonl', target?: vscode.Uri): Promise<{ uri: vscode.Uri; records: number } | undefined> {
    const ledger = await this.d.ledger();
    const records = filterRecords(ledger.records(), {
      ...this.view,
      workspace: this.d.workspaceId,
      now: new Date(),
      utcOffsetMinutes: -new Date().getTimezoneOffset(),
    });
    if (!target) {
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const name = `lengthwise-ledger-${new Date().toISOString().slice(0, 10)}.${format}`;
      target = await vscode.window.showSaveDialog({
        title: vscode.l10n.t('Export {0} ledger records as {1}', records.length, format.toUpperCase()),
        defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
        filters: format === 'csv' ? { CSV: ['csv'] } : { 'JSON Lines': ['jsonl'] },
        saveLabel: vscode.l10n.t('Export'),
      });
      if (!target) return undefined;
    }
    const text = format === 'csv' ? toCsv(records) : toJsonl(records);
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
    const what = `${plural(records.length, 'record')} (${this.view.range === 'all' ? 'all time' : `last ${this.view.range} days`}, ${this.view.scope === 'all' ? 'all workspaces' : 'this workspace'})`;
    const range = this.view.range === 'all' ? vscode.l10n.t('all time') : vscode.l10n.t('last {0} days', this.view.range);
    const scope = this.view.scope === 'all' ? vscode.l10n.t('all workspaces') : vscode.l10n.t('this workspace');
    // The count's noun comes from core's plural() (English, like every string core builds).
    this.notice(vscode.l10n.t('Exported {0} ({1}, {2}) to {3}.', plural(records.length, 'record'), range, scope, target.fsPath));
    this.d.log.info(`dashboard: exported ${what} as ${format} to ${target.toString()}`);
    return { uri: target, records: records.length };
  }

  dispose(): void {
    this.panel?.dispose();
  }
}

/** The panel, its serializer (a reload revives it), and a redraw whenever a run has been recorded. */
export function registerDashboard(deps: DashboardDeps, events: RunEvents): { dashboard: Dashboard; disposables: vscode.Disposable[] } {
  const dashboard = new Dashboard(deps);
  const disposables = [
    dashboard,
    ...(['finished', 'job', 'trial'] as const).map((name) => events.on(name, () => void dashboard.update(false).catch((e) => logError(deps.log, 'dashboard: redraw failed', e)))),
    vscode.window.registerWebviewPanelSerializer(DASHBOARD_VIEW_TYPE, {
      async deserializeWebviewPanel(panel, state) {
        dashboard.revive(panel, state);
      },
    }),
  ];
  return { dashboard, disposables };
}

export function isClickTarget(x: unknown): x is ClickTarget {
  if (!isPlainObject(x)) return false;
  if ('apply' in x) return typeof x.apply === 'string';
  if ('range' in x) return RANGES.includes(x.range as RangeFilter);
  if ('scope' in x) return SCOPES.includes(x.scope as ScopeFilter);
  if ('scrollTo' in x) return x.scrollTo === 'top' || x.scrollTo === 'tables' || x.scrollTo === 'lengths' || x.scrollTo === 'trial';
  if ('tab' in x) return x.tab === 'spend' || x.tab === 'trials';
  if ('trial' in x) return isPlainObject(x.trial) && TRIAL_ACTIONS.includes(x.trial.action as TrialAction) && typeof x.trial.id === 'string';
  if ('trialFilter' in x) return x.trialFilter === true;
  return x.refresh === true;
}
