// The dashboard panel's messages (extension host ⇄ webview), imported by both sides; what the page sends is
// checked before it is used.
import { RANGES, SCOPES, type DashboardData, type RangeFilter, type ScopeFilter } from './dashboardData';
import { parseTrialMessage, type DashboardTab, type TrialAction, type TrialMessage, type TrialsData, type TrialsRendered } from './trialProtocol';


/** What the extension posts to the webview. */
export type ToWebview =
  /** `trials`: the Trials tab's reports; `focus`: the tab opens on this trial. */
  | { type: 'data'; data: DashboardData; applicable: string[]; workspaceLabel: string; trials?: TrialsData; focus?: string }
  | { type: 'notice'; text: string; kind: 'info' | 'error' }
  /** A trial changed: the Trials tab's reports again. */
  | { type: 'trials'; data: TrialsData; focus?: string }
  /** Tests: press a control in the page as a user would. */
  | { type: 'click'; control: ClickTarget };

export type ClickTarget =
  | { apply: string }
  | { range: RangeFilter }
  | { scope: ScopeFilter }
  | { refresh: true }
  | { scrollTo: 'top' | 'tables' | 'lengths' | 'trial' }
  | { tab: DashboardTab }
  | { trial: { action: TrialAction; id: string } }
  | { trialFilter: true };

/** What the page reports after drawing: the texts a reader sees, so tests can compare them with the data. */
export interface RenderedSummary {
  range: RangeFilter;
  scope: ScopeFilter;
  shownRecords: number;
  summaryText: string;
  dayRows: string[][];
  modelRows: string[][];
  presetRows: string[][];
  recommendations: { preset: string; text: string; canApply: boolean }[];
  charts: { spendBars: number; histograms: number; budgetLine: boolean; labelled: number; total: number };
  /** The page's theme classes (vscode-light / vscode-dark / vscode-high-contrast…), reported again when they change. */
  theme: string;
  /** The Trials tab as drawn (absent in a page without trials data yet). */
  trials?: TrialsRendered;
}

/** What the webview posts to the extension; validated there (see parseFromWebview). */
export type FromWebview =
  | { type: 'ready' }
  | { type: 'query'; range: RangeFilter; scope: ScopeFilter }
  | { type: 'refresh' }
  | { type: 'apply'; preset: string }
  | { type: 'export'; format: 'csv' | 'jsonl' }
  | { type: 'rendered'; summary: RenderedSummary }
  | TrialMessage;

const isStrArr2 = (x: unknown): x is string[][] => Array.isArray(x) && x.every((r) => Array.isArray(r) && r.every((c) => typeof c === 'string'));

/** A message from the page, or undefined when it is not one of ours (the page is not trusted to be well formed). */
export function parseFromWebview(m: unknown): FromWebview | undefined {
  if (typeof m !== 'object' || m === null) return undefined;
  const x = m as Record<string, unknown>;
  switch (x.type) {
    case 'ready':
    case 'refresh':
      return { type: x.type };
    case 'query':
      return RANGES.includes(x.range as RangeFilter) && SCOPES.includes(x.scope as ScopeFilter) ? { type: 'query', range: x.range as RangeFilter, scope: x.scope as ScopeFilter } : undefined;
    case 'apply':
      return typeof x.preset === 'string' && x.preset.length <= 200 ? { type: 'apply', preset: x.preset } : undefined;
    case 'export':
      return x.format === 'csv' || x.format === 'jsonl' ? { type: 'export', format: x.format } : undefined;
    case 'rendered': {
      const s = x.summary as Record<string, unknown> | undefined;
      if (typeof s !== 'object' || s === null) return undefined;
      if (!RANGES.includes(s.range as RangeFilter) || !SCOPES.includes(s.scope as ScopeFilter) || typeof s.shownRecords !== 'number' || typeof s.summaryText !== 'string') return undefined;
      if (!isStrArr2(s.dayRows) || !isStrArr2(s.modelRows) || !isStrArr2(s.presetRows) || !Array.isArray(s.recommendations)) return undefined;
      if (typeof s.charts !== 'object' || s.charts === null || typeof s.theme !== 'string') return undefined;
      return { type: 'rendered', summary: s as unknown as RenderedSummary };
    }
    default:
      return parseTrialMessage(x);
  }
}
