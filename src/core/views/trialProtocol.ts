// The dashboard's Trials tab in the panel's message protocol (dashboardProtocol.ts): what the extension posts
// (every kept trial's report and each comparison) and what the page may ask for (a button of a trial, the filter
// that shows or hides trial requests in the spend and length views); checked before use.
import type { TrialComparison } from './trialCompare';
import type { TrialReport } from './trialReport';

export const TRIAL_ACTIONS = ['apply', 'rerun', 'compare', 'answers', 'diff', 'remove'] as const;
export type TrialAction = (typeof TRIAL_ACTIONS)[number];

export type DashboardTab = 'spend' | 'trials';

export interface TrialsData {
  /** Oldest first. */
  reports: TrialReport[];
  comparisons: TrialComparison[];
}

/** What the page reports of the Trials tab after drawing (the tests compare it with the data). */
export interface TrialsRendered {
  tab: DashboardTab;
  /** The trial shown, its summary, its example rows and its recommendation as a reader sees them. */
  shown?: string;
  summary: string;
  rows: string[][];
  recommendation: string;
  buttons: string[];
  histogram: boolean;
  comparisonRows: string[][];
}

export type TrialMessage = { type: 'trial'; action: TrialAction; id: string } | { type: 'trialFilter'; hide: boolean };

const isId = (x: unknown): x is string => typeof x === 'string' && x.length > 0 && x.length <= 100;

/** One of the Trials tab's messages from the page, or undefined. */
export function parseTrialMessage(x: Record<string, unknown>): TrialMessage | undefined {
  if (x.type === 'trial' && TRIAL_ACTIONS.includes(x.action as TrialAction) && isId(x.id)) return { type: 'trial', action: x.action as TrialAction, id: x.id };
  if (x.type === 'trialFilter' && typeof x.hide === 'boolean') return { type: 'trialFilter', hide: x.hide };
  return undefined;
}
