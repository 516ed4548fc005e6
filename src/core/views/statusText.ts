// The words and numbers of the status bar item and its tooltip. Pure, so every number shown is unit-tested.
import { costBreakdown, formatUsd, type ModelPrice } from '../pricing/cost';
import type { MeterSnapshot } from '../generation/meter';
import type { Usage } from '../protocol/request';

const nf = new Intl.NumberFormat('en-US');
const fmtInt = (n: number) => nf.format(Math.round(n));

export interface IdleInfo {
  preset?: string;
  selectionTokens?: number;
  selectionExact: boolean;
  worstCaseUsd?: number | null;
  /** Effective max tokens for the worst case (after clamping). */
  maxTokens?: number;
}

export function idleText(i: IdleInfo): string {
  const parts = [`$(symbol-ruler) ${i.preset ?? 'Lengthwise'}`];
  if (i.selectionTokens !== undefined) {
    parts.push(`${i.selectionExact ? '' : '≈'}${fmtInt(i.selectionTokens)} tok`);
    if (i.worstCaseUsd !== undefined) parts.push(i.worstCaseUsd === null ? 'price unknown' : `≤ ${formatUsd(i.worstCaseUsd)}`);
  }
  return parts.join(' · ');
}

export function streamingText(s: MeterSnapshot, running: number, now: number = Date.now()): string {
  const prefix = running > 1 ? `${running} running · ` : '';
  if (s.state === 'retrying' && s.retryAt !== undefined) {
    const secs = Math.max(0, Math.ceil((s.retryAt - now) / 1000));
    const why = s.retryStatus === 429 ? 'rate limited' : s.retryStatus === 529 || s.retryStatus === 503 ? 'overloaded' : `error ${s.retryStatus ?? ''}`.trim();
    return `$(watch) ${prefix}${why} — retrying in ${secs} s`;
  }
  if (s.state === 'waiting') return `$(sync~spin) ${prefix}waiting for the first token…`;
  // Hidden reasoning: the count so far is a floor (the provider reports reasoning tokens only at the end).
  const mark = s.reasoningHidden ? '≥ ' : s.outputExact ? '' : '≈';
  const tok = `${mark}${fmtInt(s.outputTokens)}/${fmtInt(s.maxTokens)} tok${reasoningShare(s.reasoningTokens)}`;
  const cost = s.costUsd === null ? 'price unknown' : `${mark}${formatUsd(s.costUsd)}`;
  const parts = [`$(sync~spin) ${prefix}${tok}`, cost];
  if (s.reasoningHidden) parts.push('reasoning not visible yet');
  if (s.tokensPerSecond > 0) parts.push(`${fmtInt(s.tokensPerSecond)} tok/s`);
  return parts.join(' · ');
}

export interface DoneInfo {
  outputTokens: number;
  maxTokens: number;
  costUsd: number | null;
  source: 'provider' | 'estimate';
  truncated: boolean;
  reason: string;
  rounds: number;
  /** Reasoning/thinking tokens in outputTokens, when the provider reported them. */
  reasoningTokens?: number;
}

/** " (2,500 reasoning)": how much of an output count went to reasoning the user never saw as text. */
function reasoningShare(n: number | undefined): string {
  return n ? ` (${fmtInt(n)} reasoning)` : '';
}

export function doneText(d: DoneInfo): string {
  const est = d.source === 'estimate' ? '≈' : '';
  const tok = `${est}${fmtInt(d.outputTokens)} tok${reasoningShare(d.reasoningTokens)}`;
  const cost = d.costUsd === null ? 'price unknown' : `${est}${formatUsd(d.costUsd)}`;
  const rounds = d.rounds > 1 ? ` · ${d.rounds} rounds` : '';
  if (d.truncated) return `$(warning) truncated at ${fmtInt(d.outputTokens)}/${fmtInt(d.maxTokens)} tok · ${cost}${rounds}`;
  if (d.reason === 'cancelled') return `$(circle-slash) cancelled · ${tok} · ${cost}`;
  if (d.reason === 'error') return `$(error) failed · ${tok} · ${cost}`;
  if (d.reason === 'content_filter') return `$(shield) filtered · ${tok} · ${cost}`;
  return `$(check) ${tok} · ${cost}${rounds}`;
}

export interface TooltipInfo {
  title: string;
  usage?: Usage;
  source?: 'provider' | 'estimate';
  estimate?: { inputTokens: number; outputTokens: number };
  costUsd?: number | null;
  price?: ModelPrice;
  model?: string;
  /** Rounds summed in usage (a continuation chain): the tier of a summed usage is not the tier of its rounds. */
  rounds?: number;
  /** SessionTotals.view(). */
  session: { usd: number | null; requests: number; unknownRequests?: number };
  workspace: { usd: number | null; requests: number; unknownCost?: number };
  budget?: { usd: number; action: string };
  notes?: string[];
}

const row = (a: string, b: string) => `| ${a} | ${b} |`;

/** A USD total: "price unknown" when nothing in it is known, the known sum with a "*" when a part is unknown. */
function totalUsd(usd: number | null, unknown: number | undefined): string {
  if (usd === null) return 'price unknown';
  return unknown ? `${formatUsd(usd)} + unknown\\*` : formatUsd(usd);
}

/** What the charge rests on: the tier in effect and the rates assumed, as costBreakdown computed them. */
function chargeNotes(usage: Usage, price: ModelPrice | undefined, rounds: number): string[] {
  const b = costBreakdown(usage, price);
  if (!b) return [];
  const out: string[] = [];
  // The tier of summed rounds is not the tier any round was billed at: tiers are shown for one round only.
  if (b.tier && rounds === 1) {
    out.push(`Billed at the tier above ${fmtInt(b.tier.aboveInputTokens)} input tokens: input $${b.tier.inputPerM}, output $${b.tier.outputPerM} per million.`, '');
  }
  for (const n of b.notes) if (!(b.tier && n.startsWith('Input above'))) out.push(n, '');
  return out;
}

/** Markdown for the status bar tooltip (a table; numbers say whether they are the provider's or estimates). */
export function tooltipMarkdown(t: TooltipInfo): string {
  const lines = [`**${t.title}**`, ''];
  if (t.usage) {
    lines.push('| | tokens |', '|---|---:|');
    lines.push(row('input', fmtInt(t.usage.inputTokens)));
    if (t.usage.cacheReadTokens) lines.push(row('↳ cache read', fmtInt(t.usage.cacheReadTokens)));
    if (t.usage.cacheWriteTokens) lines.push(row('↳ cache write', fmtInt(t.usage.cacheWriteTokens)));
    if (t.usage.cacheWrite1hTokens) lines.push(row('&nbsp;&nbsp;↳ 1-hour', fmtInt(t.usage.cacheWrite1hTokens)));
    lines.push(row('output', fmtInt(t.usage.outputTokens)));
    if (t.usage.reasoningTokens) lines.push(row('↳ reasoning', fmtInt(t.usage.reasoningTokens)));
    lines.push(row('cost', t.costUsd === null || t.costUsd === undefined ? 'price unknown' : formatUsd(t.costUsd)));
    lines.push(row('source', t.source === 'provider' ? 'provider-reported usage' : 'local estimate (≈)'));
    if (t.estimate && t.source === 'provider') {
      lines.push(row('local count', `${fmtInt(t.estimate.inputTokens)} in / ${fmtInt(t.estimate.outputTokens)} out`));
    }
    lines.push('');
    lines.push(...chargeNotes(t.usage, t.price, t.rounds ?? 1));
  }
  if (t.model) {
    if (t.price) {
      const p = t.price;
      const extra = [p.cacheReadPerM !== undefined ? `cache read $${p.cacheReadPerM}` : '', p.cacheWritePerM !== undefined ? `cache write $${p.cacheWritePerM}` : '']
        .filter(Boolean)
        .join(', ');
      lines.push(`Prices for \`${t.model}\` per million tokens: input $${p.inputPerM}, output $${p.outputPerM}${extra ? `, ${extra}` : ''} — ${p.source}${p.date ? `, ${p.date}` : ''}.`, '');
    } else {
      lines.push(`No price known for \`${t.model}\`: costs show as *price unknown*. Add it in \`lengthwise.pricing\`.`, '');
    }
  }
  lines.push('| totals | USD | requests |', '|---|---:|---:|');
  lines.push(`| this session | ${totalUsd(t.session.usd, t.session.unknownRequests)} | ${t.session.requests} |`);
  lines.push(`| this workspace | ${totalUsd(t.workspace.usd, t.workspace.unknownCost)} | ${t.workspace.requests} |`);
  const unknown = (t.session.unknownRequests ?? 0) + (t.workspace.unknownCost ?? 0);
  if (unknown) lines.push('', '\\* Requests with an unknown price are not in that USD total (counted, never as $0): session ' + `${t.session.unknownRequests ?? 0}, workspace ${t.workspace.unknownCost ?? 0}.`);
  if (t.budget) lines.push('', `Budget: ${formatUsd(t.budget.usd)} (${t.budget.action}).`);
  for (const n of t.notes ?? []) lines.push('', n);
  lines.push('', '[Open dashboard](command:lengthwise.showDashboard) · [Select preset](command:lengthwise.selectPreset)');
  return lines.join('\n');
}
