// The dashboard page's building blocks (the spend view and the Trials tab): formatting by core's money rules
// (unknown is never $0), DOM built with textContent only, and charts with a text summary and a table.
import { formatUsd } from '../core/pricing/money';

const SVG_NS = 'http://www.w3.org/2000/svg';
/** The charts' drawing width (they scale to the page). */
export const W = 760;

// ---- formatting: core/pricing/money.ts rules (unknown is never $0); "unknown" fits the table cells ----
export const usd = (v: number | null): string => (v === null || !Number.isFinite(v) ? 'unknown' : formatUsd(v));
export const int = (n: number): string => Math.round(n).toLocaleString('en-US');
export const pct = (x: number): string => (x > 0 && x < 0.005 ? '<1%' : `${Math.round(x * 100)}%`);
export const plural = (n: number, one: string, many = `${one}s`): string => `${int(n)} ${n === 1 ? one : many}`;

// ---- DOM helpers ----

export type Child = Node | string | null | undefined | false;
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) if (c !== null && c !== undefined && c !== false) e.append(c);
  return e;
}
export function svg(tag: string, attrs: Record<string, string | number> = {}, ...children: (SVGElement | string)[]): SVGElement {
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
/** Ids start again with each drawing of the page. */
export function resetIds(): void {
  idSeq = 0;
}

export function table(caption: string, head: string[], rows: string[][], cls = ''): HTMLTableElement {
  return el(
    'table',
    { class: cls },
    el('caption', {}, caption),
    el('thead', {}, el('tr', {}, ...head.map((h, i) => el('th', { scope: 'col', class: i ? 'num' : '' }, h)))),
    el('tbody', {}, ...rows.map((r) => el('tr', {}, ...r.map((c, i) => (i === 0 ? el('th', { scope: 'row' }, c) : el('td', { class: 'num' }, c)))))),
  );
}

/** A chart with its text summary (which labels it for screen readers) and its table behind a disclosure. */
export function figure(title: string, chart: SVGElement, summary: string, tableEl: HTMLTableElement | null, legend?: HTMLElement): HTMLElement {
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
export function ticks(max: number, count = 4): number[] {
  if (!(max > 0)) return [0];
  const raw = max / count;
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
  const out: number[] = [];
  for (let v = 0; v <= max + step * 0.999; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}
