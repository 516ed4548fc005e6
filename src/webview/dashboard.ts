// The dashboard page (runs in the webview, bundled to dist/webview/dashboard.js). It draws what the extension
// computed — it never computes a number of its own beyond layout — and builds the DOM with textContent only,
// so model and preset names cannot inject markup. Every chart has a text summary and a table.
import { allCostsUnknown, formatUsd } from '../core/pricing/money';
import type { DashboardData, DayBar, GroupRow, PresetSection, RangeFilter, ScopeFilter } from '../core/views/dashboardData';
import type { ClickTarget, FromWebview, RenderedSummary, ToWebview } from '../core/views/dashboardProtocol';
import type { HistogramBin, TruncatedShare } from '../core/views/lengths';

declare function acquireVsCodeApi(): { postMessage(m: FromWebview): void; getState(): unknown; setState(s: unknown): void };

const vscode = acquireVsCodeApi();
const app = document.getElementById('app') as HTMLElement;
const SVG_NS = 'http://www.w3.org/2000/svg';
/** Series colors (classes s0…s5 in media/dashboard.css); further models are grouped as "other" (s6). */
/** Only test runs may press the page's controls by message (the extension marks the body then). */
const TEST_MODE = document.body.dataset.testMode === '1';
const SERIES = 6;

// ---- formatting: core/pricing/money.ts rules (unknown is never $0); "unknown" fits the table cells ----
const usd = (v: number | null): string => (v === null || !Number.isFinite(v) ? 'unknown' : formatUsd(v));
const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const pct = (x: number): string => (x > 0 && x < 0.005 ? '<1%' : `${Math.round(x * 100)}%`);
const plural = (n: number, one: string, many = `${one}s`): string => `${int(n)} ${n === 1 ? one : many}`;
const rangeText = (r: RangeFilter): string => (r === 'all' ? 'all time' : `the last ${r} days`);

/** Known cost, plus how many requests had no known price (never folded in as $0). */
function costCell(t: { knownCostUsd: number; unknownCostRequests: number; requests: number }): string {
  if (allCostsUnknown(t)) return 'unknown';
  return t.unknownCostRequests ? `${usd(t.knownCostUsd)} + ${t.unknownCostRequests} unknown` : usd(t.knownCostUsd);
}

// ---- DOM helpers ----

type Child = Node | string | null | undefined | false;
function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) if (c !== null && c !== undefined && c !== false) e.append(c);
  return e;
}
function svg(tag: string, attrs: Record<string, string | number> = {}, ...children: (SVGElement | string)[]): SVGElement {
  const e = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  for (const c of children) {
    if (typeof c === 'string') e.textContent = c;
    else e.append(c);
  }
  return e;
}
let idSeq = 0;
const newId = (p: string) => `${p}-${++idSeq}`;

function table(caption: string, head: string[], rows: string[][], cls = ''): HTMLTableElement {
  return el(
    'table',
    { class: cls },
    el('caption', {}, caption),
    el('thead', {}, el('tr', {}, ...head.map((h, i) => el('th', { scope: 'col', class: i ? 'num' : '' }, h)))),
    el('tbody', {}, ...rows.map((r) => el('tr', {}, ...r.map((c, i) => (i === 0 ? el('th', { scope: 'row' }, c) : el('td', { class: 'num' }, c)))))),
  );
}

/** A chart with its text summary (which labels it for screen readers) and its table behind a disclosure. */
function figure(title: string, chart: SVGElement, summary: string, tableEl: HTMLTableElement | null, legend?: HTMLElement): HTMLElement {
  const sid = newId('summary');
  chart.setAttribute('role', 'img');
  chart.setAttribute('aria-labelledby', sid);
  return el(
    'figure',
    {},
    el('figcaption', {}, title),
    legend ?? null,
    chart,
    el('p', { id: sid, class: 'chart-summary' }, summary),
    tableEl && el('details', {}, el('summary', {}, `Table: ${title}`), tableEl),
  );
}

/** 0, step, 2·step… with a round step, covering max. */
function ticks(max: number, count = 4): number[] {
  if (!(max > 0)) return [0];
  const raw = max / count;
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
  const out: number[] = [];
  for (let v = 0; v <= max + step * 0.999; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

// ---- charts ----

const W = 760;

function spendChart(d: DashboardData, seriesOf: (model: string) => number): SVGElement {
  const H = 200;
  const m = { l: 64, r: 12, t: 12, b: 30 };
  const days = d.days;
  const max = days.reduce((hi, x) => (x.knownCostUsd > hi ? x.knownCostUsd : hi), 0);
  const yt = ticks(max);
  const top = yt[yt.length - 1] || 1;
  const y = (v: number) => m.t + (H - m.t - m.b) * (1 - v / top);
  const slot = (W - m.l - m.r) / Math.max(1, days.length);
  const bw = Math.max(1, Math.min(40, slot * 0.75));
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart spend' });
  for (const v of yt) {
    root.append(svg('line', { x1: m.l, x2: W - m.r, y1: y(v), y2: y(v), class: 'grid' }));
    root.append(svg('text', { x: m.l - 6, y: y(v) + 4, class: 'tick', 'text-anchor': 'end' }, usd(v)));
  }
  const every = Math.ceil(days.length / 10);
  days.forEach((day, i) => {
    const x = m.l + i * slot + (slot - bw) / 2;
    let acc = 0;
    const parts = Object.entries(day.byModel).sort((a, b) => seriesOf(a[0]) - seriesOf(b[0]));
    for (const [model, cost] of parts) {
      if (!(cost > 0)) continue;
      const y0 = y(acc);
      acc += cost;
      const h = Math.max(0.5, y0 - y(acc));
      root.append(svg('rect', { x, y: y0 - h, width: bw, height: h, class: `bar s${seriesOf(model)}` }, svg('title', {}, `${day.day} · ${model}: ${usd(cost)}`)));
    }
    if (day.unknownCostRequests) {
      const mark = svg('text', { x: x + bw / 2, y: y(acc) - 4, class: 'unknown-mark', 'text-anchor': 'middle' }, '?');
      mark.append(svg('title', {}, `${day.day}: ${day.unknownCostRequests} request(s) with unknown price`));
      root.append(mark);
    }
    if (i % every === 0 || i === days.length - 1) {
      root.append(svg('text', { x: m.l + i * slot + slot / 2, y: H - m.b + 16, class: 'tick', 'text-anchor': 'middle' }, day.day.slice(5)));
    }
  });
  root.append(svg('line', { x1: m.l, x2: W - m.r, y1: y(0), y2: y(0), class: 'axis' }));
  if (max === 0) root.append(svg('text', { x: W / 2, y: H / 2, class: 'empty', 'text-anchor': 'middle' }, 'no known spend in this range'));
  return root;
}

function budgetChart(d: DashboardData): SVGElement {
  const b = d.budget!;
  const H = 160;
  const m = { l: 64, r: 12, t: 14, b: 30 };
  const pts = b.cumulative;
  const max = Math.max(b.usd, ...pts.map((p) => p.knownCostUsd));
  const yt = ticks(max * 1.05);
  const top = yt[yt.length - 1] || 1;
  const y = (v: number) => m.t + (H - m.t - m.b) * (1 - v / top);
  // The same day columns as the spend chart above it.
  const slot = (W - m.l - m.r) / Math.max(1, pts.length);
  const x = (i: number) => m.l + slot * (i + 0.5);
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart budget' });
  for (const v of yt) {
    root.append(svg('line', { x1: m.l, x2: W - m.r, y1: y(v), y2: y(v), class: 'grid' }));
    root.append(svg('text', { x: m.l - 6, y: y(v) + 4, class: 'tick', 'text-anchor': 'end' }, usd(v)));
  }
  root.append(svg('line', { x1: m.l, x2: W - m.r, y1: y(b.usd), y2: y(b.usd), class: 'budget-line' }, svg('title', {}, `budget ${usd(b.usd)}`)));
  root.append(svg('text', { x: W - m.r - 4, y: y(b.usd) - 5, class: 'budget-label', 'text-anchor': 'end' }, `budget ${usd(b.usd)}`));
  root.append(svg('polyline', { points: pts.map((p, i) => `${x(i)},${y(p.knownCostUsd)}`).join(' '), class: 'cumulative' }));
  pts.forEach((p, i) => root.append(svg('circle', { cx: x(i), cy: y(p.knownCostUsd), r: 2.5, class: 'cumulative-dot' }, svg('title', {}, `${p.day}: ${usd(p.knownCostUsd)} spent so far`))));
  const every = Math.ceil(pts.length / 10);
  pts.forEach((p, i) => {
    if (i % every === 0 || i === pts.length - 1) root.append(svg('text', { x: x(i), y: H - m.b + 16, class: 'tick', 'text-anchor': 'middle' }, p.day.slice(5)));
  });
  root.append(svg('line', { x1: m.l, x2: W - m.r, y1: y(0), y2: y(0), class: 'axis' }));
  return root;
}

function histogramChart(p: PresetSection): SVGElement {
  const markers: [string, number | null, string][] = [
    ['p50', p.length.p50, 'marker p50'],
    ['p95', p.length.p95, 'marker p95'],
    ['max tokens', p.recommendation.current, 'marker cap'],
  ];
  const shown = markers.filter((mk) => mk[1] !== null);
  // Marker labels sit in rows above the bars, so they never cover one.
  const H = 190 + 14 * shown.length;
  const m = { l: 44, r: 16, t: 10 + 14 * shown.length, b: 36 };
  const bins = p.length.histogram;
  const hi = bins.length ? bins[bins.length - 1].to : 1;
  const yt = ticks(Math.max(1, ...bins.map((b) => b.count)));
  const intTicks = yt.filter((v) => Number.isInteger(v));
  const top = yt[yt.length - 1] || 1;
  const y = (v: number) => m.t + (H - m.t - m.b) * (1 - v / top);
  const x = (tokens: number) => m.l + ((W - m.l - m.r) * tokens) / hi;
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart histogram' });
  for (const v of intTicks) {
    root.append(svg('line', { x1: m.l, x2: W - m.r, y1: y(v), y2: y(v), class: 'grid' }));
    root.append(svg('text', { x: m.l - 6, y: y(v) + 4, class: 'tick', 'text-anchor': 'end' }, int(v)));
  }
  for (const b of bins) {
    const x0 = x(b.from) + 1;
    const w = Math.max(1, x(b.to) - x(b.from) - 2);
    const complete = b.count - b.truncated;
    if (complete > 0) root.append(svg('rect', { x: x0, y: y(complete), width: w, height: y(0) - y(complete), class: 'bar complete' }, svg('title', {}, `${int(b.from)}–${int(b.to - 1)} tokens: ${complete} complete`)));
    if (b.truncated > 0) root.append(svg('rect', { x: x0, y: y(b.count), width: w, height: y(complete) - y(b.count), class: 'bar truncated' }, svg('title', {}, `${int(b.from)}–${int(b.to - 1)} tokens: ${b.truncated} truncated`)));
  }
  const every = Math.ceil(bins.length / 8);
  bins.forEach((b, i) => {
    if (i % every === 0) root.append(svg('text', { x: x(b.from), y: H - m.b + 15, class: 'tick', 'text-anchor': 'middle' }, int(b.from)));
  });
  if (bins.length % every === 0) root.append(svg('text', { x: x(hi), y: H - m.b + 15, class: 'tick', 'text-anchor': 'middle' }, int(hi)));
  root.append(svg('text', { x: W - m.r, y: H - 4, class: 'tick', 'text-anchor': 'end' }, 'output tokens'));
  shown.forEach(([name, v, cls], row) => {
    const ly = 12 + 14 * row;
    root.append(svg('line', { x1: x(v!), x2: x(v!), y1: ly + 2, y2: y(0), class: cls }));
    const anchor = x(v!) > W - 160 ? 'end' : 'start';
    root.append(svg('text', { x: x(v!) + (anchor === 'end' ? -5 : 5), y: ly + 4, class: `${cls} marker-label`, 'text-anchor': anchor }, `${name} ${int(v!)}`));
  });
  root.append(svg('line', { x1: m.l, x2: W - m.r, y1: y(0), y2: y(0), class: 'axis' }));
  return root;
}

// ---- sections ----

function legend(models: GroupRow[], seriesOf: (k: string) => number): HTMLElement {
  const shown = models.filter((mo) => mo.knownCostUsd > 0);
  const items = shown.slice(0, SERIES).map((mo) => el('li', {}, el('span', { class: `swatch s${seriesOf(mo.key)}`, 'aria-hidden': 'true' }), mo.label));
  if (shown.length > SERIES) items.push(el('li', {}, el('span', { class: `swatch s${SERIES}`, 'aria-hidden': 'true' }), `${plural(shown.length - SERIES, 'other model')}`));
  return el('ul', { class: 'legend', 'aria-label': 'Models' }, ...items);
}

function groupRows(rows: GroupRow[]): string[][] {
  return rows.map((r) => [
    r.label,
    int(r.requests),
    int(r.inputTokens),
    `${int(r.cacheReadTokens)} / ${int(r.cacheWriteTokens)}`,
    int(r.outputTokens),
    int(r.reasoningTokens),
    costCell(r),
    r.costShare === null ? '—' : pct(r.costShare),
    `${r.requests - r.estimatedRequests} / ${r.estimatedRequests}${r.estimatedRequests ? ` (${pct(r.estimatedRequests / r.requests)} estimated)` : ''}`,
    costSources(r),
    r.cacheHitShare === null ? '—' : pct(r.cacheHitShare),
    r.cacheSavedUsd > 0 ? usd(r.cacheSavedUsd) : '—',
    reportedCell(r),
    tierCell(r),
  ]);
}
/** "$0.0105 vs $0.0100 computed (+5.0%)": what gateways reported against what the prices give for the same requests. */
function reportedCell(r: GroupRow): string {
  const x = r.reported;
  if (!x.requests) return '—';
  const diff = r.reportedDifference === null ? '' : ` (${r.reportedDifference >= 0 ? '+' : '−'}${Math.abs(r.reportedDifference * 100).toFixed(1)}%)`;
  return `${usd(x.reportedUsd)} vs ${usd(x.computedUsd)} computed${diff}`;
}
/** Requests by the tier that served them: "standard 12 · flex 3". */
function tierCell(r: GroupRow): string {
  const t = r.tiers;
  const parts = (['standard', 'flex', 'priority', 'unknown'] as const).filter((k) => t[k].requests).map((k) => `${k === 'unknown' ? 'tier not said' : k} ${int(t[k].requests)}`);
  return parts.join(' · ') || '—';
}
/** "12% of 25" / "—": the truncated share of answers sent with or without a length hint. */
function shareCell(t: TruncatedShare): string {
  return t.share === null ? '—' : `${pct(t.share)} of ${int(t.samples)}`;
}
function presetRows(rows: PresetSection[]): string[][] {
  const base = groupRows(rows);
  return rows.map((r, i) => [...base[i], shareCell(r.length.byHint.withHint), shareCell(r.length.byHint.withoutHint)]);
}
/** Where the known costs come from: "reported by the server 3 · price table 2 · lengthwise.pricing 1". */
function costSources(r: GroupRow): string {
  const c = r.costSources;
  const parts = [
    c.provider ? `reported by the server ${int(c.provider)}` : '',
    c.prices ? `price table ${int(c.prices)}` : '',
    c.override ? `lengthwise.pricing ${int(c.override)}` : '',
    r.unknownCostRequests ? `unknown ${int(r.unknownCostRequests)}` : '',
  ].filter(Boolean);
  return parts.join(' · ') || '—';
}
const GROUP_HEAD = ['', 'Requests', 'Input tokens', 'Cached read / write', 'Output tokens', 'Reasoning', 'Cost', 'Share of cost', 'Usage: provider / estimate', 'Cost source', 'Cache hit', 'Saved by cache', 'Reported vs computed', 'Tier'];

function dayRows(d: DashboardData): string[][] {
  return d.days
    .filter((x) => x.requests > 0)
    .map((x: DayBar) => [x.day, int(x.requests), costCell({ ...x }), Object.entries(x.byModel).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${usd(v)}`).join(', ') || '—']);
}

function binRows(bins: HistogramBin[]): string[][] {
  return bins.filter((b) => b.count > 0).map((b) => [`${int(b.from)}–${int(b.to - 1)}`, int(b.count), int(b.truncated)]);
}

function presetBlock(p: PresetSection, canApply: boolean): HTMLElement {
  const L = p.length;
  const r = p.recommendation;
  const reasons = L.finishReasons.map((f) => `${f.reason} ${f.count}${f.raw.length ? ` (${f.raw.join(', ')})` : ''}`).join(' · ') || 'none';
  const excluded = [
    L.excluded.continuationRounds ? `${L.excluded.continuationRounds} continuation round(s)` : '',
    L.excluded.notFinished ? `${L.excluded.notFinished} cancelled, failed or interrupted` : '',
  ].filter(Boolean);
  const stats =
    L.samples === 0
      ? 'No complete answers in this range.'
      : `${plural(L.samples, 'answer')}: p50 ${int(L.p50!)}, p95 ${int(L.p95!)}, max ${int(L.max!)} output tokens; ` +
        `${pct(L.truncatedShare)} truncated (${L.truncated})${excluded.length ? `; not counted: ${excluded.join(', ')}` : ''}.`;
  const button =
    canApply && r.suggested !== null && (r.kind === 'lower' || r.kind === 'raise')
      ? el('button', { type: 'button', class: 'apply', 'data-apply': p.key }, `Set max tokens to ${int(r.suggested)} in this workspace`)
      : null;
  const rec = el('div', { class: `recommendation ${r.kind}`, role: 'note' }, el('p', {}, r.text), button);
  const block = el('section', { class: 'preset', 'aria-labelledby': `preset-${cssId(p.key)}` }, el('h3', { id: `preset-${cssId(p.key)}` }, p.label), rec, el('p', { class: 'stats' }, stats), el('p', { class: 'stats' }, `Finish reasons (all ${p.requests} requests): ${reasons}.`));
  if (L.samples > 0) {
    const summary =
      `Output lengths of ${L.samples} answers in ${L.histogram.length} bins of ${int(L.histogram[0].to - L.histogram[0].from)} tokens; ` +
      `p50 ${int(L.p50!)}, p95 ${int(L.p95!)}, max ${int(L.max!)}` +
      (r.current !== null ? `, max tokens ${int(r.current)}` : '') +
      `; ${L.truncated} truncated.`;
    block.append(figure(`Output length distribution: ${p.label} (answers per bin of output tokens)`, histogramChart(p), summary, table(`Output tokens of ${p.label} answers`, ['Output tokens', 'Answers', 'of which truncated'], binRows(L.histogram))));
  }
  return block;
}

function cssId(s: string): string {
  return Array.from(s || 'none', (c) => (/[A-Za-z0-9_-]/.test(c) ? c : `_${c.codePointAt(0)!.toString(16)}`)).join('');
}

// ---- page ----

let current: { data: DashboardData; applicable: string[]; workspaceLabel: string } | undefined;
let noticeText = '';
let noticeKind: 'info' | 'error' = 'info';

function toolbar(d: DashboardData): HTMLElement {
  const seg = <T extends string>(label: string, values: [T, string][], active: T, attr: string) =>
    el(
      'div',
      { class: 'segmented', role: 'group', 'aria-label': label },
      el('span', { class: 'seg-label' }, `${label}:`),
      ...values.map(([v, text]) => el('button', { type: 'button', [attr]: v, 'aria-pressed': String(v === active) }, text)),
    );
  return el(
    'div',
    { class: 'toolbar' },
    seg<RangeFilter>('Range', [['7', '7 days'], ['30', '30 days'], ['all', 'All']], d.range, 'data-range'),
    seg<ScopeFilter>('Workspaces', [['workspace', 'This workspace'], ['all', 'All workspaces']], d.scope, 'data-scope'),
    el('button', { type: 'button', 'data-refresh': '1', class: 'secondary' }, 'Refresh'),
    el('button', { type: 'button', 'data-export': 'csv', class: 'secondary' }, `Export CSV (${d.shownRecords})`),
    el('button', { type: 'button', 'data-export': 'jsonl', class: 'secondary' }, `Export JSONL (${d.shownRecords})`),
  );
}

function render(): void {
  if (!current) return;
  const { data: d, applicable, workspaceLabel } = current;
  idSeq = 0;
  const order = new Map(d.models.filter((mo) => mo.knownCostUsd > 0).map((mo, i) => [mo.key, Math.min(i, SERIES)]));
  const seriesOf = (k: string) => order.get(k) ?? SERIES;
  const t = d.totals;
  const where = d.scope === 'all' ? 'all workspaces' : `this workspace (${workspaceLabel})`;
  const summaryText =
    t.requests === 0
      ? `No requests in ${rangeText(d.range)} in ${where}. The ledger holds ${plural(d.ledgerRecords, 'record')}.`
      : `${plural(t.requests, 'request')} in ${rangeText(d.range)}, ${where}: ${usd(t.knownCostUsd)} known cost` +
        (t.unknownCostRequests ? ` + ${plural(t.unknownCostRequests, 'request')} with unknown price (not counted as $0)` : '') +
        (t.jobs ? ` (${plural(t.jobRequests, 'request')} of ${plural(t.jobs, 'job')}: ${plural(t.requests - t.jobRequests + t.jobs, 'send')})` : '') +
        (t.batchRequests ? `; ${plural(t.batchRequests, 'batch request')} cost ${usd(t.batchCostUsd)} at batch prices` : '') +
        (t.tiers.flex.requests || t.tiers.priority.requests ? `; ${tierCell({ tiers: t.tiers } as GroupRow)} by the tier that served them` : '') +
        (t.cacheSavedUsd > 0 ? `; the prompt cache saved ${usd(t.cacheSavedUsd)}` : '') +
        `; ${int(t.inputTokens)} input and ${int(t.outputTokens)} output tokens; ` +
        `usage reported by the provider for ${t.requests - t.estimatedRequests}, estimated for ${t.estimatedRequests}.`;

  const parts: Child[] = [el('h1', {}, 'Lengthwise: spend and length'), toolbar(d)];
  parts.push(el('div', { class: `notice ${noticeKind}`, role: 'status', 'aria-live': 'polite' }, noticeText));
  parts.push(el('p', { id: 'summary', class: 'summary' }, summaryText));

  if (d.budget) {
    const b = d.budget;
    parts.push(
      el(
        'p',
        { class: `budget-text ${b.share >= 1 ? 'over' : b.share >= 0.8 ? 'warn' : ''}` },
        `Workspace budget: ${usd(b.spentUsd)} of ${usd(b.usd)} spent (${pct(b.share)}), all time` + (b.unknownCostRequests ? `; ${plural(b.unknownCostRequests, 'request')} with unknown price not included` : '') + '.',
      ),
    );
  }

  // Spend over time
  const spend = el('section', { 'aria-labelledby': 'h-spend' }, el('h2', { id: 'h-spend' }, 'Spend over time'));
  if (d.days.length) {
    const busiest = [...d.days].sort((a, b) => b.knownCostUsd - a.knownCostUsd)[0];
    const unknownDays = d.days.filter((x) => x.unknownCostRequests > 0).length;
    const sum =
      `Known spend per day from ${d.firstDay} to ${d.lastDay}, stacked by model: ${usd(t.knownCostUsd)} in total` +
      (busiest && busiest.knownCostUsd > 0 ? `, most on ${busiest.day} (${usd(busiest.knownCostUsd)})` : '') +
      (unknownDays ? `; “?” marks ${plural(unknownDays, 'day')} with requests of unknown price` : '') +
      '.';
    spend.append(figure('Spend per day', spendChart(d, seriesOf), sum, table('Spend per day (days with requests)', ['Day', 'Requests', 'Cost', 'By model'], dayRows(d)), legend(d.models, seriesOf)));
    if (d.budget) {
      const b = d.budget;
      const lastCum = b.cumulative.at(-1)?.knownCostUsd ?? b.spentUsd;
      const bsum = `Workspace spend of all time, accumulated day by day (${usd(lastCum)} by ${d.lastDay}), against the budget line at ${usd(b.usd)}.`;
      spend.append(figure('Workspace spend against the budget', budgetChart(d), bsum, table('Cumulative workspace spend', ['Day', 'Spent so far'], b.cumulative.map((c) => [c.day, usd(c.knownCostUsd)]))));
    }
  } else spend.append(el('p', {}, 'Nothing to show yet: send something with Lengthwise and come back.'));
  parts.push(spend);

  // Tables
  parts.push(el('section', { 'aria-labelledby': 'h-tables' }, el('h2', { id: 'h-tables' }, 'By model'), table('Requests, tokens and cost per model', ['Model', ...GROUP_HEAD.slice(1)], groupRows(d.models), 'models')));
  parts.push(el('section', { 'aria-labelledby': 'h-presets' }, el('h2', { id: 'h-presets' }, 'By preset'), table('Requests, tokens and cost per preset', ['Preset', ...GROUP_HEAD.slice(1), 'Truncated with length hint', 'Truncated without'], presetRows(d.presets), 'presets')));

  // Lengths and recommendations
  const lengths = el(
    'section',
    { 'aria-labelledby': 'h-lengths' },
    el('h2', { id: 'h-lengths' }, 'Output length and max tokens, per preset'),
    el('details', { class: 'rule' }, el('summary', {}, 'How the recommendation works'), el('p', {}, d.rule.text)),
  );
  // Presets with something to do first, then the ones that fit, then those without enough data.
  const rank = { lower: 0, raise: 0, keep: 1, insufficient: 2 } as const;
  const ordered = [...d.presets].sort((a, b) => rank[a.recommendation.kind] - rank[b.recommendation.kind]);
  for (const p of ordered) lengths.append(presetBlock(p, applicable.includes(p.key)));
  parts.push(lengths);
  parts.push(
    el('p', { class: 'footnote' }, `Ledger: ${plural(d.ledgerRecords, 'record')}, ${d.shownRecords} shown. Costs of requests whose model has no known price are shown as unknown, never as $0; “estimate” means the local token count was used because the provider reported no usage (e.g. a cancelled or broken stream).`),
  );

  app.replaceChildren(...parts.filter((x): x is Node | string => !!x));
  app.setAttribute('aria-busy', 'false');
  vscode.setState({ range: d.range, scope: d.scope });
  report(d, applicable);
}

function rowsOf(selector: string): string[][] {
  return Array.from(document.querySelectorAll(`${selector} tbody tr`)).map((tr) => Array.from(tr.children).map((c) => (c.textContent ?? '').trim()));
}

/** Tells the extension what a reader sees now (the round trip the editor tests check). */
function report(d: DashboardData, applicable: string[]): void {
  const svgs = Array.from(document.querySelectorAll('svg.chart'));
  const labelled = svgs.filter((s) => {
    const id = s.getAttribute('aria-labelledby');
    return !!id && !!document.getElementById(id)?.textContent?.trim();
  }).length;
  const dayTable = document.querySelector('svg.spend')?.closest('figure')?.querySelector('table');
  const summary: RenderedSummary = {
    range: d.range,
    scope: d.scope,
    shownRecords: d.shownRecords,
    summaryText: document.getElementById('summary')?.textContent ?? '',
    dayRows: dayTable ? Array.from(dayTable.querySelectorAll('tbody tr')).map((tr) => Array.from(tr.children).map((c) => (c.textContent ?? '').trim())) : [],
    modelRows: rowsOf('table.models'),
    presetRows: rowsOf('table.presets'),
    recommendations: d.presets.map((p) => ({
      preset: p.key,
      text: document.getElementById(`preset-${cssId(p.key)}`)?.parentElement?.querySelector('.recommendation p')?.textContent ?? '',
      canApply: !!document.querySelector(`button[data-apply="${CSS.escape(p.key)}"]`) && applicable.includes(p.key),
    })),
    charts: {
      spendBars: document.querySelectorAll('svg.spend rect.bar').length,
      histograms: document.querySelectorAll('svg.histogram').length,
      budgetLine: !!document.querySelector('svg.budget line.budget-line'),
      labelled,
      total: svgs.length,
    },
    theme: document.body.className,
  };
  vscode.postMessage({ type: 'rendered', summary });
}

app.addEventListener('click', (e) => {
  const b = (e.target as HTMLElement).closest('button');
  if (!b || !current) return;
  const d = current.data;
  // A new action: the previous notice no longer applies.
  noticeText = '';
  const n = document.querySelector('.notice');
  if (n) n.textContent = '';
  if (b.dataset.range) vscode.postMessage({ type: 'query', range: b.dataset.range as RangeFilter, scope: d.scope });
  else if (b.dataset.scope) vscode.postMessage({ type: 'query', range: d.range, scope: b.dataset.scope as ScopeFilter });
  else if (b.dataset.refresh) vscode.postMessage({ type: 'refresh' });
  else if (b.dataset.export) vscode.postMessage({ type: 'export', format: b.dataset.export === 'jsonl' ? 'jsonl' : 'csv' });
  else if (b.dataset.apply !== undefined) {
    b.setAttribute('disabled', '');
    vscode.postMessage({ type: 'apply', preset: b.dataset.apply });
  }
});

function clickControl(c: ClickTarget): void {
  if ('scrollTo' in c) {
    if (c.scrollTo === 'top') window.scrollTo(0, 0);
    else document.getElementById(`h-${c.scrollTo}`)?.scrollIntoView({ block: 'start' });
    if (current) report(current.data, current.applicable);
    return;
  }
  let sel: string;
  if ('apply' in c) sel = `button[data-apply="${CSS.escape(c.apply)}"]`;
  else if ('range' in c) sel = `button[data-range="${CSS.escape(c.range)}"]`;
  else if ('scope' in c) sel = `button[data-scope="${CSS.escape(c.scope)}"]`;
  else sel = 'button[data-refresh]';
  const b = document.querySelector<HTMLButtonElement>(sel);
  if (b) b.click();
  else {
    noticeText = `No control ${sel} on the page.`;
    noticeKind = 'error';
    render();
  }
}

window.addEventListener('message', (e: MessageEvent) => {
  const m = e.data as ToWebview;
  if (!m || typeof m !== 'object') return;
  if (m.type === 'data') {
    current = { data: m.data, applicable: m.applicable, workspaceLabel: m.workspaceLabel };
    render();
  } else if (m.type === 'notice') {
    noticeText = m.text;
    noticeKind = m.kind;
    const n = document.querySelector('.notice');
    if (n) {
      n.textContent = m.text;
      n.className = `notice ${m.kind}`;
    }
  } else if (m.type === 'click' && TEST_MODE) clickControl(m.control);
});

// VS Code switches the body's theme classes when the color theme changes; the colors follow by themselves
// (var(--vscode-*)), and the extension hears about it (tests wait for it before a screenshot).
new MutationObserver(() => {
  if (current) report(current.data, current.applicable);
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });

// The filters are kept by the extension (and, through setState, by the serializer across reloads): just ask.
vscode.postMessage({ type: 'ready' });
