// What an ended batch leaves behind: the text that lands at each anchor (parts of one selection joined in order,
// a cut or failed request noted in its place), one ledger record per billed request at the batch price, and the
// result summary the API reports.
import type { LedgerRecord } from '../../ledger/record';
import { costOf, formatUsd, type ModelPrice } from '../../pricing/cost';
import { priceOrigin } from '../../pricing/reported';
import { addRound, type ChainTotals } from '../continuation';
import type { Usage } from '../../protocol/request';
import type { ResultSummary } from '../summary';
import type { BatchItemResult, BatchState } from './batch';
import type { BatchAnchor, PendingBatch } from './pending';
import { separatorBefore } from './runJob';

export interface LandingGroup {
  anchor: BatchAnchor;
  /** Item indexes (positions in handle.customIds) whose answers land here, in order. */
  items: number[];
  text: string;
}

const anchorKey = (a: BatchAnchor) => `${a.uri}\n${a.start}\n${a.end}\n${a.fingerprint}`;

/** One item's text: the answer, or a line saying why there is none; a cut answer gets a note (it cannot be continued in place). */
function itemText(r: BatchItemResult | undefined, p: PendingBatch, ended: BatchState, label: string): string {
  if (!r) return `[${label}no answer: the batch ended ${ended} before this request ran]`;
  if (!r.ok) return `[${label}no answer: ${r.error.message}]`;
  return r.finish.truncated ? `${r.text}\n[${label}cut at max tokens (${p.maxTokens}): send it again with a higher lengthwise.maxTokens]` : r.text;
}

/** Groups the items by anchor (the chunks of one selection share it) and joins each group's answers in order. */
export function landingGroups(p: PendingBatch, byItem: readonly (BatchItemResult | undefined)[], ended: BatchState): LandingGroup[] {
  const groups = new Map<string, LandingGroup>();
  p.anchors.forEach((anchor, i) => {
    const key = anchorKey(anchor);
    const g = groups.get(key) ?? { anchor, items: [], text: '' };
    g.items.push(i);
    groups.set(key, g);
  });
  for (const g of groups.values()) {
    const total = g.items.length;
    g.text = g.items
      .map((item, k) => {
        const label = total > 1 ? `part ${k + 1}: ` : '';
        return separatorBefore(k, total) + itemText(byItem[item], p, ended, label);
      })
      .join('');
  }
  return [...groups.values()];
}

/**
 * One ledger record per request the provider billed (an answer, or an error that reports usage), at the batch
 * price. Ids are derived from the batch, so recording the same results twice (a reload between landing and
 * forgetting the batch) replaces rather than adds.
 */
export function batchRecords(p: PendingBatch, byItem: readonly (BatchItemResult | undefined)[], price: ModelPrice | undefined, endedAt: number): LedgerRecord[] {
  const out: LedgerRecord[] = [];
  const started = Date.parse(p.handle.submittedAt);
  byItem.forEach((r, i) => {
    // An answer is billed even when its usage is missing: recorded with unknown figures, never as a provider's $0.
    // So is one that was not read (too large): it may have been billed.
    if (!r || (!r.ok && !r.usage && !r.unread)) return;
    const usage: Usage | undefined = r.usage;
    const costUsd = usage ? costOf(usage, price) : null;
    const rec: LedgerRecord = {
      v: 1,
      id: `${p.jobId}-${i + 1}`,
      jobId: p.jobId,
      part: p.trial ? (p.trial.examples[i] ?? i) + 1 : i + 1,
      batch: true,
      time: p.handle.submittedAt,
      durationMs: Math.max(0, endedAt - (Number.isFinite(started) ? started : endedAt)),
      workspace: p.workspace,
      provider: p.handle.provider,
      model: p.handle.model,
      usage: usage ? { ...usage } : { inputTokens: 0, outputTokens: 0 },
      usageSource: usage ? 'provider' : 'estimate',
      costUsd,
      finish: r.ok ? { ...r.finish } : { raw: r.unread ? 'unread' : 'error', reason: 'error', truncated: false },
      maxTokens: p.maxTokens,
    };
    if (costUsd !== null && price) rec.costSource = priceOrigin(price);
    if (price) rec.priceSource = price.source;
    if (p.preset) rec.preset = p.preset;
    if (p.trial) rec.trial = true;
    out.push(rec);
  });
  return out;
}

/** The API's summary of a landed batch: every answer's text in order, the summed usage and batch-priced cost. */
export function batchSummary(p: PendingBatch, groups: readonly LandingGroup[], records: readonly LedgerRecord[], byItem: readonly (BatchItemResult | undefined)[], ended: BatchState): ResultSummary {
  let t: ChainTotals | undefined;
  for (const r of records) t = addRound(t, { usage: r.usage, costUsd: r.costUsd, usageSource: r.usageSource, costSource: r.costSource ?? null });
  const usage: Usage = t?.usage ?? { inputTokens: 0, outputTokens: 0 };
  const cost = t ? t.costUsd : null;
  const answered = byItem.filter((r) => r?.ok).length;
  const truncated = byItem.some((r) => r?.ok && r.finish.truncated);
  const notes = [`batch ${p.handle.id} ${ended}: ${answered} of ${byItem.length} requests answered, ${formatUsd(cost)} at batch prices (submitted worst case ${formatUsd(p.worstCaseUsd)})`];
  const s: ResultSummary = {
    provider: p.handle.provider,
    model: p.handle.model,
    text: groups.map((g) => g.text).join('\n\n'),
    finish: ended === 'completed' ? { raw: ended, reason: truncated ? 'length' : 'stop', truncated } : { raw: ended, reason: ended === 'cancelled' ? 'cancelled' : 'error', truncated: false },
    usage: { ...usage, source: t?.usageSource ?? 'provider' },
    costUsd: cost,
    costSource: cost === null ? null : (t?.costSource ?? null),
    sent: { maxTokens: p.maxTokens, stop: [] },
    rounds: byItem.length,
    job: { id: p.jobId, parts: byItem.length, strategy: 'batch' },
    notes,
  };
  if (p.preset) s.preset = p.preset;
  return s;
}
