// The words and numbers of the status bar item and its tooltip. Pure, so every number shown is unit-tested.
import { cacheSavingUsd, costBreakdown, formatUsd, type ModelPrice } from '../pricing/cost';
import type { MeterSnapshot } from '../generation/meter';
import type { SessionView } from '../generation/sessionTotals';
import type { ServiceTier, Usage, UsageSource } from '../protocol/request';
import { describeCostSource, type CostSource } from '../pricing/reported';
import { fitStatus, MAX_PRESET_CHARS, MAX_STATUS_CHARS, shortName, visibleLength } from './statusFit';
import { MIN_EXPECTED_BASIS, type Expected } from './expected';

const nf = new Intl.NumberFormat('en-US');
const fmtInt = (n: number) => nf.format(Math.round(n));

/** Spend of this window's session (SessionTotals.view()), kept in the status text (not only the tooltip). */
export type SessionInfo = Pick<SessionView, 'usd' | 'requests'> & Partial<Pick<SessionView, 'unknownRequests' | 'localRequests'>>;

/**
 * "session $0.0123", "session ≥ $0.0123" (some prices unknown), "session price unknown", "session local" (every
 * request ran on this machine, nothing billed); '' before any request.
 */
export function sessionText(s: SessionInfo | undefined): string {
  if (!s || s.requests === 0) return '';
  if (s.usd === null) return 'session price unknown';
  if (s.localRequests === s.requests) return 'session local';
  return `session ${s.unknownRequests ? '≥ ' : ''}${formatUsd(s.usd)}`;
}
/** The session total goes last, when it fits (statusFit.ts); the tooltip always has it. */
const withSession = (text: string, s: SessionInfo | undefined): string => fitStatus([text], [sessionText(s)]);

/** A request's cost as the status bar says it: "local" for a model on this machine nobody prices, else dollars or "price unknown". */
function costWord(usd: number | null, local: boolean | undefined, mark = ''): string {
  if (local && usd === 0) return 'local';
  return usd === null ? 'price unknown' : `${mark}${formatUsd(usd)}`;
}

export interface IdleInfo {
  session?: SessionInfo;
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
  /** Several selections: how many (the count is the primary one's, which Send sends). */
  selections?: number;
  /** The model runs on this machine and nobody prices it: costs show as "local". */
  local?: boolean;
  /** From this workspace's uncut answers (views/expected.ts); shown beside the worst case: "≈ $x · ≤ $y". */
  expected?: Pick<Expected, 'usd'> | null;
}

export function idleText(i: IdleInfo): string {
  if (i.setup) return `$(key) Lengthwise: ${i.setup}`;
  const figures: string[] = [];
  if (i.budgetSpent) figures.push('$(error) budget spent');
  if (i.selectionTokens !== undefined) {
    if (i.selections && i.selections > 1) figures.push(`sel 1/${i.selections}`);
    figures.push(`${i.selectionExact ? '' : '≈'}${fmtInt(i.selectionTokens)} tok`);
    // A local model's worst case is $0: nothing to expect beside it.
    if (i.expected && !i.local && i.worstCaseUsd !== undefined && i.worstCaseUsd !== null) figures.push(`≈ ${formatUsd(i.expected.usd)}`);
    if (i.worstCaseUsd !== undefined) figures.push(costWord(i.worstCaseUsd, i.local, '≤ '));
  }
  // A long preset name is cut (further when the figures need the room); the tooltip names it in full.
  let text = '';
  for (const max of [MAX_PRESET_CHARS, 8, 0]) {
    const name = max === 0 ? '' : ` ${i.preset !== undefined ? shortName(i.preset, max) : 'Lengthwise'}`;
    text = withSession([`$(symbol-ruler)${name}`, ...figures].join(' · '), i.session);
    if (visibleLength(text) <= MAX_STATUS_CHARS) break;
  }
  return text;
}

/** "≈ $0.0021 expected (p95 $0.0049) · ≤ $0.0157 worst": the tooltip's line of what a send would cost. */
export function expectedLine(e: Pick<Expected, 'usd' | 'p95Usd'>, worstUsd: number): string {
  return `≈ ${formatUsd(e.usd)} expected (p95 ${formatUsd(e.p95Usd)}) · ≤ ${formatUsd(worstUsd)} worst`;
}

/** `cap`: why max tokens is lower than set ("budget cap"), shown after the count. */
export function streamingText(s: MeterSnapshot, running: number, now: number = Date.now(), cap?: string): string {
  const prefix = running > 1 ? `${running} running · ` : '';
  if (s.state === 'retrying' && s.retryAt !== undefined) {
    const secs = Math.max(0, Math.ceil((s.retryAt - now) / 1000));
    const why = s.retryStatus === 429 ? 'rate limited' : s.retryStatus === 529 || s.retryStatus === 503 ? 'overloaded' : `error ${s.retryStatus ?? ''}`.trim();
    return `$(watch) ${prefix}${why} — retrying in ${secs} s`;
  }
  if (s.state === 'waiting') return `$(sync~spin) ${prefix}waiting for the first token…`;
  // Hidden reasoning: the count so far is a floor (the provider reports reasoning tokens only at the end).
  const mark = s.reasoningHidden ? '≥ ' : s.outputExact ? '' : '≈';
  const tok = `${mark}${fmtInt(s.outputTokens)}/${fmtInt(s.maxTokens)} tok${cap ? ` (${cap})` : ''}`;
  const share = reasoningShare(s.reasoningTokens);
  const cost = costWord(s.costUsd, s.local, mark);
  // What does not fit goes to the tooltip: the reasoning note, then the speed.
  const optional = [s.reasoningHidden ? 'reasoning not visible yet' : '', s.tokensPerSecond > 0 ? `${fmtInt(s.tokensPerSecond)} tok/s` : ''];
  const withShare = fitStatus([`$(sync~spin) ${prefix}${tok}${share}`, cost], optional);
  return visibleLength(withShare) <= MAX_STATUS_CHARS ? withShare : fitStatus([`$(sync~spin) ${prefix}${tok}`, cost], optional);
}

export interface DoneInfo {
  outputTokens: number;
  maxTokens: number;
  costUsd: number | null;
  source: UsageSource;
  truncated: boolean;
  reason: string;
  /** Rounds of the chain; outputTokens and costUsd are the chain's totals. */
  rounds: number;
  session?: SessionInfo;
  /** The last round's output, measured against maxTokens (one round's cap); defaults to outputTokens. */
  roundOutputTokens?: number;
  /** Reasoning/thinking tokens in outputTokens, when the provider reported them. */
  reasoningTokens?: number;
  /** Where costUsd comes from ('local': a model on this machine, shown as "local"). */
  costSource?: CostSource | null;
  /** A live job: its parts (requests sent for them are `rounds`) and how many got no answer. */
  job?: { parts: number; failed: number };
  /** Why max tokens was lower than set ("budget cap"), shown with a cut. */
  cap?: string;
}

/** " (2,500 reasoning)": how much of an output count went to reasoning the user never saw as text. */
function reasoningShare(n: number | undefined): string {
  return n ? ` (${fmtInt(n)} reasoning)` : '';
}

/**
 * A chain of several rounds says its total and its rounds ("96 tok in 4 rounds"); a cut is told against the
 * one round it applies to ("last round 16/16 tok"), never a chain total against one round's cap.
 */
/** A live job in the status bar: "$(sync~spin) chunk 7/12 · $0.031 so far" (the progress notification's message). */
export function jobText(progress: string, running: number): string {
  return `$(sync~spin) ${running > 1 ? `${running} running · ` : ''}${progress}`;
}

export function doneText(d: DoneInfo): string {
  // The longest form that fits (the tooltip has every figure), then the session total when it fits too.
  const forms = answerForms(d);
  const text = forms.find((f) => visibleLength(f) <= MAX_STATUS_CHARS) ?? forms[forms.length - 1];
  return withSession(text, d.session);
}

/** The finished answer's text, from the fullest form to the shortest: the reasoning share and the rounds can go. */
function answerForms(d: DoneInfo): string[] {
  // Anything not billed by the provider is an estimate of the bill (a model's own count is exact tokens, not a bill).
  const est = d.source !== 'provider' ? '≈' : '';
  const cost = costWord(d.costUsd, d.costSource === 'local', est);
  const total = `${est}${fmtInt(d.outputTokens)} tok`;
  if (d.job) {
    if (d.reason === 'cancelled') return [`$(circle-slash) cancelled · ${d.job.parts} parts · ${total} · ${cost}`];
    if (d.job.failed) return [`$(warning) ${d.job.failed} of ${d.job.parts} parts failed · ${total} · ${cost}`];
    return [`$(check) ${d.job.parts} parts · ${total} · ${cost}`];
  }
  if (d.truncated) {
    const cap = d.cap ? ` (${d.cap})` : '';
    if (d.rounds <= 1) return [`$(warning) truncated at ${fmtInt(d.outputTokens)}/${fmtInt(d.maxTokens)} tok${cap} · ${cost}`, `$(warning) truncated at ${fmtInt(d.outputTokens)}/${fmtInt(d.maxTokens)} tok · ${cost}`];
    // The cut is the last round's, against its cap; the chain's total and rounds follow.
    const cut = `$(warning) truncated ${fmtInt(d.roundOutputTokens ?? d.outputTokens)}/${fmtInt(d.maxTokens)}`;
    return [`${cut}${cap} · ${d.rounds} rounds, ${total} · ${cost}`, `${cut} · ${d.rounds} rounds, ${total} · ${cost}`, `${cut} · ${cost}`];
  }
  const rounds = d.rounds > 1 ? ` in ${d.rounds} rounds` : '';
  const head = d.reason === 'cancelled' ? '$(circle-slash) cancelled · ' : d.reason === 'error' ? '$(error) failed · ' : d.reason === 'content_filter' ? '$(shield) filtered · ' : '$(check) ';
  return [`${head}${total}${reasoningShare(d.reasoningTokens)}${rounds} · ${cost}`, `${head}${total}${rounds} · ${cost}`, `${head}${total} · ${cost}`];
}

export interface TooltipInfo {
  title: string;
  usage?: Usage;
  source?: UsageSource;
  estimate?: { inputTokens: number; outputTokens: number };
  costUsd?: number | null;
  /** Where costUsd comes from (reported by the server, the price table, lengthwise.pricing). */
  costSource?: CostSource | null;
  price?: ModelPrice;
  model?: string;
  /** Rounds summed in usage (a continuation chain): the tier of a summed usage is not the tier of its rounds. */
  rounds?: number;
  /** SessionTotals.view(). */
  session: { usd: number | null; requests: number; unknownRequests?: number };
  workspace: { usd: number | null; requests: number; unknownCost?: number };
  budget?: { usd: number; action: string; spent?: boolean };
  /** hintNote() of the request: the length hint sent, or why none was. */
  lengthHint?: string;
  /** inputLine(): what the idle count is made of (views/inputLine.ts). */
  input?: string;
  /** The values the active preset set over the user's own settings, e.g. ["max tokens 300"]. */
  fromPreset?: { preset: string; values: string[] };
  /** The processing tier asked for and the one that served (null: the response did not say). */
  tier?: { asked: ServiceTier; served: ServiceTier | null };
  /** With a cost the server reported: what the prices give for the same tokens (a gateway's margin shows here). */
  pricedUsd?: number;
  /** Before sending: the expected cost from this workspace's answers beside the worst case. */
  expected?: { expected: Expected | null; worstUsd: number | null; maxTokens: number; model: string; preset?: string };
  notes?: string[];
}

const row = (a: string, b: string) => `| ${a} | ${b} |`;

/** The active preset's values in the tooltip: at most this many, each cut to this length (a value can be a whole system prompt). */
const MAX_PRESET_VALUES = 12;
const MAX_PRESET_VALUE_CHARS = 80;

/**
 * Text from outside (model ids, finish reasons a server sent, messages naming settings values) as literal text in
 * the tooltip, which is trusted Markdown: no [link](command:…), ![image](https://…) or <autolink> can form, and no
 * line break can start a block of its own. Bounded, so a long value cannot fill the hover.
 */
function mdText(text: string, max = 300): string {
  const t = text.length > max ? `${text.slice(0, max - 1)}…` : text;
  return t.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/[\\`*_[\]<>&|#~]/g, '\\$&');
}

/**
 * A USD total: "—" with no requests (never $0.00 beside an unknown price), "price unknown" when nothing in it is
 * known, the known sum with a "*" when a part is unknown.
 */
function totalUsd(usd: number | null, unknown: number | undefined, requests: number): string {
  if (requests === 0) return '—';
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
    out.push(`Billed at the tier above ${fmtInt(b.tier.aboveInputTokens)} input tokens: input $${mdText(String(b.tier.inputPerM))}, output $${mdText(String(b.tier.outputPerM))} per million.`, '');
  }
  for (const n of b.notes) if (!(b.tier && n.startsWith('Input above'))) out.push(mdText(n, 1000), '');
  return out;
}

/** "$0.0045 (reported 8.9% lower)": the price's figure next to what a gateway reported. */
export function reportedVsComputed(reported: number, computed: number): string {
  if (!(computed > 0)) return formatUsd(computed);
  const pct = ((reported - computed) / computed) * 100;
  const diff = Math.abs(pct) < 0.05 ? 'the same' : `reported ${Math.abs(pct).toFixed(1)}% ${pct > 0 ? 'higher' : 'lower'}`;
  return `${formatUsd(computed)} (${diff})`;
}

function tierCell(t: NonNullable<TooltipInfo['tier']>): string {
  if (t.served === null) return `${t.asked} asked; the response did not say which served (priced at the dearer of ${t.asked} and standard)`;
  return t.served === t.asked ? t.served : `served at ${t.served} (asked ${t.asked})`;
}

/** The expected cost before sending, and what it rests on. */
function expectedLines(e: NonNullable<TooltipInfo['expected']>): string[] {
  if (e.worstUsd === null) return [];
  if (!e.expected) return [`≤ ${formatUsd(e.worstUsd)} worst (max tokens ${fmtInt(e.maxTokens)}); no expected figure yet: it needs ${MIN_EXPECTED_BASIS} uncut answers of ${mdText(e.model)} in this workspace.`, ''];
  const x = e.expected;
  const whose = x.scope === 'preset' && e.preset ? `of ${mdText(e.model)} with the preset "${mdText(e.preset, 100)}"` : `of ${mdText(e.model)}`;
  return [`${expectedLine(x, e.worstUsd)} — from ${x.basis} uncut answers ${whose} in this workspace (median ${fmtInt(x.p50Tokens)}, p95 ${fmtInt(x.p95Tokens)} output tokens).`, ''];
}

/** Markdown for the status bar tooltip (a table; numbers say whether they are the provider's or estimates). */
export function tooltipMarkdown(t: TooltipInfo): string {
  const lines = [`**${mdText(t.title)}**`, ''];
  if (t.usage) {
    lines.push('| | tokens |', '|---|---:|');
    lines.push(row('input', fmtInt(t.usage.inputTokens)));
    if (t.usage.cacheReadTokens) {
      lines.push(row('↳ cache read', fmtInt(t.usage.cacheReadTokens)));
      const saved = cacheSavingUsd(t.usage, t.price);
      if (saved) lines.push(row('↳ saved by the cache', `${t.source !== 'provider' ? '≈' : ''}${formatUsd(saved)}`));
    }
    if (t.usage.cacheWriteTokens) lines.push(row('↳ cache write', fmtInt(t.usage.cacheWriteTokens)));
    if (t.usage.cacheWrite1hTokens) lines.push(row('&nbsp;&nbsp;↳ 1-hour', fmtInt(t.usage.cacheWrite1hTokens)));
    lines.push(row('output', fmtInt(t.usage.outputTokens)));
    if (t.usage.reasoningTokens) lines.push(row('↳ reasoning', fmtInt(t.usage.reasoningTokens)));
    const known = t.costUsd !== null && t.costUsd !== undefined;
    lines.push(row('cost', known ? (t.costSource === 'local' && t.costUsd === 0 ? 'local ($0)' : formatUsd(t.costUsd as number)) : 'price unknown'));
    if (known && t.costSource !== undefined) lines.push(row('cost source', mdText(describeCostSource(t.costSource, t.price?.source))));
    if (known && t.costSource === 'provider' && t.pricedUsd !== undefined) lines.push(row('computed from prices', reportedVsComputed(t.costUsd as number, t.pricedUsd)));
    if (t.tier) lines.push(row('tier', tierCell(t.tier)));
    lines.push(row('source', t.source === 'provider' ? 'provider-reported usage' : t.source === 'model' ? "the model's own token count (VS Code reports no billed usage: the cost is an estimate, ≈)" : 'local estimate (≈)'));
    if (t.estimate && t.source === 'provider') {
      lines.push(row('local count', `${fmtInt(t.estimate.inputTokens)} in / ${fmtInt(t.estimate.outputTokens)} out`));
    }
    lines.push('');
    lines.push(...chargeNotes(t.usage, t.price, t.rounds ?? 1));
  }
  if (t.expected) lines.push(...expectedLines(t.expected));
  if (t.model) {
    if (t.price?.local) {
      lines.push(`${mdText(t.model)} runs on this machine (${mdText(t.price.source)}): nothing is billed, so its requests cost $0 (*local*). If that server forwards to a paid service, set its price in \`lengthwise.pricing\`.`, '');
    } else if (t.price) {
      const p = t.price;
      const extra = [p.cacheReadPerM !== undefined ? `cache read $${p.cacheReadPerM}` : '', p.cacheWritePerM !== undefined ? `cache write $${p.cacheWritePerM}` : '']
        .filter(Boolean)
        .join(', ');
      lines.push(`Prices for ${mdText(t.model)} per million tokens: input $${mdText(String(p.inputPerM))}, output $${mdText(String(p.outputPerM))}${extra ? `, ${mdText(extra)}` : ''} — ${mdText(p.source)}${p.date ? `, ${mdText(p.date)}` : ''}.`, '');
    } else {
      lines.push(`No price known for ${mdText(t.model)}: costs show as *price unknown*. Add it in \`lengthwise.pricing\`.`, '');
    }
  }
  if (t.fromPreset?.values.length) {
    // A workspace names its presets and writes their values (a whole system prompt among them): text, each bounded.
    const values = t.fromPreset.values.slice(0, MAX_PRESET_VALUES).map((v) => mdText(v, MAX_PRESET_VALUE_CHARS));
    const more = t.fromPreset.values.length - values.length;
    lines.push(`From the preset "${mdText(t.fromPreset.preset, 100)}" (over your settings): ${values.join(', ')}${more > 0 ? ` and ${more} more` : ''}.`, '');
  }
  lines.push('| totals | USD | requests |', '|---|---:|---:|');
  lines.push(`| this session | ${totalUsd(t.session.usd, t.session.unknownRequests, t.session.requests)} | ${t.session.requests} |`);
  lines.push(`| this workspace | ${totalUsd(t.workspace.usd, t.workspace.unknownCost, t.workspace.requests)} | ${t.workspace.requests} |`);
  const unknown = (t.session.unknownRequests ?? 0) + (t.workspace.unknownCost ?? 0);
  if (unknown) lines.push('', '\\* Requests with an unknown price are not in that USD total (counted, never as $0): session ' + `${t.session.unknownRequests ?? 0}, workspace ${t.workspace.unknownCost ?? 0}.`);
  if (t.budget) lines.push('', `Budget: ${formatUsd(t.budget.usd)} (${mdText(t.budget.action, 20)})${t.budget.spent ? ' — spent: the next send is refused' : ''}.`);
  if (t.input) lines.push('', mdText(t.input, 1000));
  if (t.lengthHint) lines.push('', mdText(t.lengthHint.charAt(0).toUpperCase() + t.lengthHint.slice(1) + (t.lengthHint.endsWith('.') || t.lengthHint.endsWith('"') ? '' : '.'), 1000));
  for (const n of t.notes ?? []) lines.push('', mdText(n, 1000));
  lines.push('', 'A click on the item opens a menu (Continue with its worst case, Select Preset, Dashboard); nothing is sent from a click.', '', '[Open dashboard](command:lengthwise.showDashboard) · [Select preset](command:lengthwise.selectPreset)');
  return lines.join('\n');
}
