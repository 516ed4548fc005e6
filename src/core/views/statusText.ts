// The words and numbers of the status bar item and its tooltip. Pure, so every number shown is unit-tested.
import { formatUsd, type ModelPrice } from '../pricing/cost';
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
  const tok = `${s.outputExact ? '' : '≈'}${fmtInt(s.outputTokens)}/${fmtInt(s.maxTokens)} tok`;
  const cost = s.costUsd === null ? 'price unknown' : `${s.outputExact ? '' : '≈'}${formatUsd(s.costUsd)}`;
  const parts = [`$(sync~spin) ${prefix}${tok}`, cost];
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
}

export function doneText(d: DoneInfo): string {
  const est = d.source === 'estimate' ? '≈' : '';
  const tok = `${est}${fmtInt(d.outputTokens)} tok`;
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
  session: { usd: number | null; requests: number };
  workspace: { usd: number | null; requests: number; unknownCost?: number };
  budget?: { usd: number; action: string };
  notes?: string[];
}

const row = (a: string, b: string) => `| ${a} | ${b} |`;

/** Markdown for the status bar tooltip (a table; numbers say whether they are the provider's or estimates). */
export function tooltipMarkdown(t: TooltipInfo): string {
  const lines = [`**${t.title}**`, ''];
  if (t.usage) {
    lines.push('| | tokens |', '|---|---:|');
    lines.push(row('input', fmtInt(t.usage.inputTokens)));
    if (t.usage.cacheReadTokens) lines.push(row('↳ cache read', fmtInt(t.usage.cacheReadTokens)));
    if (t.usage.cacheWriteTokens) lines.push(row('↳ cache write', fmtInt(t.usage.cacheWriteTokens)));
    lines.push(row('output', fmtInt(t.usage.outputTokens)));
    if (t.usage.reasoningTokens) lines.push(row('↳ reasoning', fmtInt(t.usage.reasoningTokens)));
    lines.push(row('cost', t.costUsd === null || t.costUsd === undefined ? 'price unknown' : formatUsd(t.costUsd)));
    lines.push(row('source', t.source === 'provider' ? 'provider-reported usage' : 'local estimate (≈)'));
    if (t.estimate && t.source === 'provider') {
      lines.push(row('local estimate', `${fmtInt(t.estimate.inputTokens)} in / ${fmtInt(t.estimate.outputTokens)} out`));
    }
    lines.push('');
  }
  if (t.model) {
    if (t.price) {
      const p = t.price;
      const extra = [p.cacheReadPerM !== undefined ? `cache read $${p.cacheReadPerM}` : '', p.cacheWritePerM !== undefined ? `cache write $${p.cacheWritePerM}` : '']
        .filter(Boolean)
        .join(', ');
      lines.push(`Prices for \`${t.model}\` per million tokens: input $${p.inputPerM}, output $${p.outputPerM}${extra ? `, ${extra}` : ''} — ${p.source}, ${p.date}.`, '');
    } else {
      lines.push(`No price known for \`${t.model}\`: costs show as *price unknown*. Add it in \`lengthwise.pricing\`.`, '');
    }
  }
  lines.push('| totals | USD | requests |', '|---|---:|---:|');
  lines.push(`| this session | ${formatUsd(t.session.usd)} | ${t.session.requests} |`);
  lines.push(`| this workspace | ${formatUsd(t.workspace.usd)} | ${t.workspace.requests} |`);
  if (t.workspace.unknownCost) lines.push('', `${t.workspace.unknownCost} request(s) with unknown price are not in the USD totals.`);
  if (t.budget) lines.push('', `Budget: ${formatUsd(t.budget.usd)} (${t.budget.action}).`);
  for (const n of t.notes ?? []) lines.push('', n);
  lines.push('', '[Open dashboard](command:lengthwise.showDashboard) · [Select preset](command:lengthwise.selectPreset)');
  return lines.join('\n');
}
