// The words and numbers of the status bar item and its tooltip. Pure, so every number shown is unit-tested.
import { cacheSavingUsd, formatUsd, type ModelPrice } from '../pricing/cost';
import { plural } from './plural';
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
  /** Nothing to send with yet (no key, no local server): what to do, e.g. "set an API key or a local server". */
  setup?: string;
  /** A "block" budget is spent: the next send will be refused. */
  budgetSpent?: boolean;
}

export function idleText(i: IdleInfo): string {
  if (i.setup) return `$(key) Lengthwise: ${i.setup}`;
  const parts = [`$(symbol-ruler) ${i.preset ?? 'Lengthwise'}`];
  if (i.budgetSpent) parts.push('$(error) budget spent');
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
  /** Rounds of the chain; outputTokens and costUsd are the chain's totals. */
  rounds: number;
  /** The last round's output, measured against maxTokens (one round's cap); defaults to outputTokens. */
  roundOutputTokens?: number;
}

/**
 * A chain of several rounds says its total and its rounds ("96 tok in 4 rounds"); a cut is told against the
 * one round it applies to ("last round 16/16 tok"), never a chain total against one round's cap.
 */
export function doneText(d: DoneInfo): string {
  const est = d.source === 'estimate' ? '≈' : '';
  const tok = `${est}${fmtInt(d.outputTokens)} tok${d.rounds > 1 ? ` in ${d.rounds} rounds` : ''}`;
  const cost = d.costUsd === null ? 'price unknown' : `${est}${formatUsd(d.costUsd)}`;
  if (d.truncated) {
    if (d.rounds <= 1) return `$(warning) truncated at ${fmtInt(d.outputTokens)}/${fmtInt(d.maxTokens)} tok · ${cost}`;
    return `$(warning) truncated: last round ${fmtInt(d.roundOutputTokens ?? d.outputTokens)}/${fmtInt(d.maxTokens)} tok · ${tok} · ${cost}`;
  }
  if (d.reason === 'cancelled') return `$(circle-slash) cancelled · ${tok} · ${cost}`;
  if (d.reason === 'error') return `$(error) failed · ${tok} · ${cost}`;
  if (d.reason === 'content_filter') return `$(shield) filtered · ${tok} · ${cost}`;
  return `$(check) ${tok} · ${cost}`;
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
  budget?: { usd: number; action: string; spent?: boolean };
  /** The values the active preset set over the user's own settings, e.g. ["max tokens 300"]. */
  fromPreset?: { preset: string; values: string[] };
  notes?: string[];
}

/** A total's cost cell: "—" with no requests (never $0.00 beside an unknown price), "price unknown" when unknown. */
const totalUsd = (usd: number | null, requests: number) => (requests === 0 ? '—' : usd === null ? 'price unknown' : formatUsd(usd));

const row = (a: string, b: string) => `| ${a} | ${b} |`;

/** Markdown for the status bar tooltip (a table; numbers say whether they are the provider's or estimates). */
export function tooltipMarkdown(t: TooltipInfo): string {
  const lines = [`**${t.title}**`, ''];
  if (t.usage) {
    lines.push('| | tokens |', '|---|---:|');
    lines.push(row('input', fmtInt(t.usage.inputTokens)));
    if (t.usage.cacheReadTokens) {
      lines.push(row('↳ cache read', fmtInt(t.usage.cacheReadTokens)));
      const saved = cacheSavingUsd(t.usage, t.price);
      if (saved) lines.push(row('↳ saved by the cache', `${t.source === 'estimate' ? '≈' : ''}${formatUsd(saved)}`));
    }
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
  if (t.fromPreset?.values.length) {
    lines.push(`From the preset "${t.fromPreset.preset}" (over your settings): ${t.fromPreset.values.join(', ')}.`, '');
  }
  lines.push('| totals | requests | cost (USD) |', '|---|---:|---:|');
  lines.push(`| this session | ${t.session.requests} | ${totalUsd(t.session.usd, t.session.requests)} |`);
  lines.push(`| this workspace | ${t.workspace.requests} | ${totalUsd(t.workspace.usd, t.workspace.requests)} |`);
  if (t.workspace.unknownCost) {
    const n = t.workspace.unknownCost;
    lines.push('', `${plural(n, 'request')} with an unknown price ${n === 1 ? 'is' : 'are'} not in the cost totals.`);
  }
  if (t.budget) lines.push('', `Budget: ${formatUsd(t.budget.usd)} (${t.budget.action})${t.budget.spent ? ' — spent: the next send is refused' : ''}.`);
  for (const n of t.notes ?? []) lines.push('', n);
  lines.push('', '[Open dashboard](command:lengthwise.showDashboard) · [Select preset](command:lengthwise.selectPreset)');
  return lines.join('\n');
}
