// The dashboard's Trials tab (in the page): the kept trials, newest first, and the one shown — its recommendation
// with what can follow (Apply, the cut ones again, the answers, a comparison), the length distribution, the examples
// and, for two trials on the same examples, both side by side. It draws what the extension computed
// (core/views/trialReport.ts), with textContent only.
import type { CompareCell, TrialComparison } from '../core/views/trialCompare';
import type { TrialAction, TrialsData, TrialsRendered } from '../core/views/trialProtocol';
import type { TrialExampleRow, TrialReport } from '../core/views/trialReport';
import { el, figure, int, pct, plural, table, usd } from './dom';
import { lengthChart, type Marker } from './lengthChart';

const ms = (n: number): string => (n >= 10_000 ? `${Math.round(n / 1000)} s` : n >= 1000 ? `${(n / 1000).toFixed(1)} s` : `${Math.round(n)} ms`);
const STATE: Record<TrialReport['state'], string> = { running: 'running', pending: 'batch: results not in yet', done: 'done', cancelled: 'cancelled' };

function finishCell(e: TrialExampleRow): string {
  if (e.status === 'not run' || e.status === 'pending') return e.status;
  if (e.status === 'failed') return `failed: ${e.error ?? e.finish?.raw ?? ''}`;
  if (e.status === 'cut') return `${e.finish?.reason} (${e.finish?.raw}): cut`;
  return e.finish ? `${e.finish.reason}${e.finish.raw !== e.finish.reason ? ` (${e.finish.raw})` : ''}` : '';
}

function exampleRows(r: TrialReport): string[][] {
  return r.examples.map((e) => [
    e.file,
    e.outputTokens === null ? '—' : `${int(e.outputTokens)}${e.estimated ? ' (estimate)' : ''}`,
    finishCell(e),
    e.maxTokens === null ? '—' : int(e.maxTokens),
    usd(e.costUsd),
    e.attempts ? ms(e.durationMs) : '—',
    String(e.attempts),
  ]);
}

const action = (a: TrialAction, id: string, text: string, primary = false) => el('button', { type: 'button', class: primary ? 'apply' : 'secondary', 'data-trial-action': a, 'data-trial': id }, text);

function buttons(r: TrialReport, comparedIn: boolean): HTMLElement[] {
  const rec = r.recommendation;
  const busy = r.state === 'running' || r.state === 'pending';
  const out: HTMLElement[] = [];
  if (!busy && rec.maxTokens !== null && !r.otherModel && r.applied?.maxTokens !== rec.maxTokens) {
    out.push(action('apply', r.id, `Set max tokens to ${int(rec.maxTokens)} in ${r.preset === '' ? 'lengthwise.maxTokens' : `"${r.preset}"`}`, true));
  }
  if (!busy && rec.rerun) out.push(action('rerun', r.id, `Run the ${plural(rec.rerun.examples.length, 'cut example')} again at max tokens ${int(rec.rerun.maxTokens)}`, rec.maxTokens === null));
  out.push(action('answers', r.id, 'Show the answers'));
  if (comparedIn) out.push(action('diff', r.id, 'Answers side by side'));
  if (!busy) out.push(action('compare', r.id, 'Compare with another preset or model…'));
  out.push(action('remove', r.id, 'Remove'));
  return out;
}

function stats(r: TrialReport): string {
  const c = r.counts;
  const missing = [c.failed ? `${c.failed} failed` : '', c.cancelled ? `${c.cancelled} cancelled` : '', c['not run'] ? `${c['not run']} not sent` : '', c.pending ? `${c.pending} waiting` : ''].filter(Boolean);
  const L = r.lengths;
  const lengths = L ? `${plural(c.answered, 'answer')}: p50 ${int(L.p50)}, p95 ${int(L.p95)}, longest ${int(L.max)} output tokens; ${pct(r.truncatedShare ?? 0)} cut (${c.cut})` : 'No answers';
  const cost = r.costUsd !== null ? usd(r.costUsd) : r.knownCostUsd > 0 ? `${usd(r.knownCostUsd)} + ${plural(r.unknownCostExamples, 'example')} of unknown price` : 'unknown (no price)';
  return `${lengths}${missing.length ? `; without an answer: ${missing.join(', ')}` : ''}. Cost ${cost}${r.mode === 'batch' ? ' at batch prices' : ''}; request time ${ms(r.durationMs)} in all.`;
}

function chart(r: TrialReport): HTMLElement | null {
  const L = r.lengths;
  if (!L) return null;
  const rec = r.recommendation;
  const markers: Marker[] = [
    [rec.basis?.kind === 'p95' ? 'p95' : 'longest', rec.basis?.tokens ?? null, 'marker p95'],
    ['max tokens', r.presetMaxTokens, 'marker cap'],
    ['recommended', rec.maxTokens, 'marker p50'],
  ];
  const summary = `Output lengths of ${plural(r.counts.answered, 'answer')} in ${L.histogram.length} bins of ${int(L.histogram[0].to - L.histogram[0].from)} tokens; longest ${int(L.max)}, ${r.counts.cut} cut; max tokens ${int(r.presetMaxTokens)}${rec.maxTokens !== null ? `, recommended ${int(rec.maxTokens)}` : ''}.`;
  const rows = L.histogram.filter((b) => b.count > 0).map((b) => [`${int(b.from)}–${int(b.to - 1)}`, int(b.count), int(b.truncated)]);
  return figure(`Output length distribution: ${r.label}`, lengthChart(L.histogram, markers), summary, table(`Output tokens of ${r.label} answers`, ['Output tokens', 'Answers', 'of which cut'], rows));
}

const compareCell = (c: CompareCell | null): [string, string, string] => (c ? [c.outputTokens === null ? '—' : int(c.outputTokens), c.status, usd(c.costUsd)] : ['—', 'not in this trial', '—']);

function comparison(c: TrialComparison): HTMLElement {
  const rows = c.rows.map((x) => {
    const [at, as, ac] = compareCell(x.a);
    const [bt, bs, bc] = compareCell(x.b);
    return [x.file, at, as, bt, bs, ac, bc];
  });
  const [a, b] = c.labels;
  return el(
    'section',
    { class: 'trial-compare' },
    el('h4', {}, `Side by side: ${a} ↔ ${b}`),
    el('p', {}, c.text),
    table(`The same examples with ${a} and with ${b}`, ['Example', `${a}: tokens`, `${a}: finish`, `${b}: tokens`, `${b}: finish`, `${a}: cost`, `${b}: cost`], rows, 'trial-compare'),
  );
}

function shownTrial(r: TrialReport, data: TrialsData): HTMLElement {
  const cmp = data.comparisons.find((c) => c.a === r.id || c.b === r.id);
  const rec = r.recommendation;
  const kind = rec.maxTokens !== null ? 'lower' : rec.rerun ? 'raise' : 'insufficient';
  const applied = r.applied ? el('p', { class: 'applied' }, `Applied: max tokens ${int(r.applied.maxTokens)} written to the ${r.applied.where === 'user' ? 'user' : 'workspace'} settings.`) : null;
  return el(
    'section',
    { class: 'trial', 'aria-labelledby': 'h-trial' },
    el('h3', { id: 'h-trial' }, `${r.label} — ${r.model}, max tokens ${int(r.presetMaxTokens)} (${r.mode}, ${STATE[r.state]})`),
    el('p', { class: 'trial-summary' }, r.summary),
    el('div', { class: `recommendation ${kind}`, role: 'note' }, el('p', {}, rec.text), applied, el('div', { class: 'trial-buttons' }, ...buttons(r, !!cmp))),
    el('p', { class: 'stats' }, stats(r)),
    chart(r),
    table(`Examples of ${r.label}`, ['Example', 'Output tokens', 'Finish', 'Max tokens', 'Cost', 'Time', 'Attempts'], exampleRows(r), 'trial-examples'),
    cmp ? comparison(cmp) : null,
  );
}

/** The kept trials, newest first, as one choice (the page shows one trial at a time). */
function trialList(reports: TrialReport[], selected: string): HTMLElement {
  const options = [...reports].reverse().map((r) => {
    const o = el('option', { value: r.id }, `${r.label} · ${r.model} · ${plural(r.counts.examples, 'example')} · ${r.time.slice(0, 16).replace('T', ' ')} UTC · ${STATE[r.state]}`);
    o.selected = r.id === selected;
    return o;
  });
  return el('label', { class: 'trial-list' }, `Trial (${reports.length} kept): `, el('select', { 'data-trial-select': '1' }, ...options));
}

const RULE_TEXT =
  'Recommended max tokens = the longest complete answer (from 20 answers up: the 95th percentile, nearest rank) + 20%, rounded up to two significant digits. ' +
  'An answer cut at max tokens has an unknown true length: nothing is recommended from it. When the figure the rule needs could be a cut answer\u2019s, ' +
  'the report offers to run the cut examples again at twice their cap instead. Failed and cancelled examples are not counted.';

/** The tab's content; `selected`: the trial to show (the newest when absent or gone). */
export function trialsTab(data: TrialsData | undefined, selected: string | undefined): { parts: HTMLElement[]; shown?: TrialReport } {
  const intro = el('p', {}, 'Try a preset on the prompts your application really sends: Lengthwise: Try Preset on Examples (a folder, a glob such as prompts/**/*.md, or the selections).');
  const reports = data?.reports ?? [];
  if (!reports.length) return { parts: [el('h2', { id: 'h-trials' }, 'Trials'), intro, el('p', {}, 'No trials yet.')] };
  const shown = reports.find((r) => r.id === selected) ?? reports[reports.length - 1];
  const rule = el('details', { class: 'rule' }, el('summary', {}, 'How the recommendation works'), el('p', {}, RULE_TEXT));
  return { parts: [el('h2', { id: 'h-trials' }, 'Trials'), intro, trialList(reports, shown.id), rule, shownTrial(shown, data!)], shown };
}

const cells = (sel: string) => Array.from(document.querySelectorAll(`${sel} tbody tr`)).map((tr) => Array.from(tr.children).map((c) => (c.textContent ?? '').trim()));

/** What a reader sees of the tab (the editor tests compare it with the data). */
export function trialsRendered(tab: 'spend' | 'trials', shown: TrialReport | undefined): TrialsRendered {
  return {
    tab,
    ...(shown ? { shown: shown.id } : {}),
    summary: document.querySelector('.trial-summary')?.textContent ?? '',
    rows: cells('table.trial-examples'),
    recommendation: document.querySelector('section.trial .recommendation p')?.textContent ?? '',
    buttons: Array.from(document.querySelectorAll<HTMLElement>('button[data-trial-action]')).map((b) => b.dataset.trialAction ?? ''),
    histogram: !!document.querySelector('section.trial svg.histogram'),
    comparisonRows: cells('table.trial-compare'),
  };
}
