// The distribution of output lengths as a histogram (complete answers, and cut ones stacked above them), with
// vertical markers (p50, p95, the cap, a recommendation) whose labels sit in rows above the bars so they never
// cover one. Used per preset in the spend view and per trial in the Trials tab.
import type { HistogramBin } from '../core/views/lengths';
import { int, svg, ticks, W } from './dom';

/** A marker: its label, its value (null: not drawn) and its classes (marker p50 / p95 / cap / rec). */
export type Marker = [string, number | null, string];

export function lengthChart(bins: readonly HistogramBin[], markers: readonly Marker[]): SVGElement {
  const shown = markers.filter((mk) => mk[1] !== null);
  const H = 190 + 14 * shown.length;
  const m = { l: 44, r: 16, t: 10 + 14 * shown.length, b: 36 };
  // The axis reaches the last bin, or a marker beyond it (a recommendation above every answer).
  const hi = Math.max(bins.length ? bins[bins.length - 1].to : 1, ...shown.map((mk) => mk[1]!));
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
