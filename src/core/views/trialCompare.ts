// Two trials on the same examples side by side (two presets, or one preset with two models): per example the
// lengths, truncation and cost of each, and the totals; the answers themselves go to a diff editor (the shell).
import { formatUsd } from '../pricing/money';
import type { ExampleStatus, TrialReport } from './trialReport';

export interface CompareCell {
  outputTokens: number | null;
  status: ExampleStatus;
  costUsd: number | null;
}

export interface TrialComparison {
  a: string;
  b: string;
  labels: [string, string];
  /** One row per example (matched by name), in the first trial's order; a side without the example is null. */
  rows: { file: string; a: CompareCell | null; b: CompareCell | null }[];
  /** Per side: cut share, cost, recommendation, mean output, in words. */
  text: string;
}

const cell = (r: TrialReport['examples'][number]): CompareCell => ({ outputTokens: r.outputTokens, status: r.status, costUsd: r.costUsd });

function side(r: TrialReport): string {
  const done = r.examples.filter((e) => e.status === 'complete' || e.status === 'cut');
  const mean = done.length ? Math.round(done.reduce((s, e) => s + (e.outputTokens ?? 0), 0) / done.length) : null;
  const rec = r.recommendation.maxTokens !== null ? `recommends ${r.recommendation.maxTokens.toLocaleString('en-US')}` : 'no recommendation';
  const cut = r.counts.answered ? `${r.counts.cut} of ${r.counts.answered} cut` : 'no answers';
  return `${r.label}: ${cut}, ${mean === null ? 'no lengths' : `mean ${mean.toLocaleString('en-US')} output tokens`}, ${formatUsd(r.costUsd)}, ${rec}`;
}

export function compareTrials(a: TrialReport, b: TrialReport): TrialComparison {
  const inB = new Map(b.examples.map((e) => [e.file, e]));
  const rows: TrialComparison['rows'] = a.examples.map((e) => {
    const other = inB.get(e.file);
    inB.delete(e.file);
    return { file: e.file, a: cell(e), b: other ? cell(other) : null };
  });
  for (const e of inB.values()) rows.push({ file: e.file, a: null, b: cell(e) });
  return { a: a.id, b: b.id, labels: [a.label, b.label], rows, text: `${side(a)}. ${side(b)}.` };
}
