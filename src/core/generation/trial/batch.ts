// A trial sent as a batch: when the batch ends, each request's result becomes its example's attempt, with the
// figures of its ledger record (at the batch price). Nothing lands in a document: a trial's examples are files.
import type { LedgerRecord } from '../../ledger/record';
import type { BatchItemResult, BatchState } from '../jobs/batch';
import type { TrialAttempt } from './record';

/**
 * The attempt of every request of the batch (item i is example `examples[i]`), from its result and its ledger
 * record (batchRecords: id "<job>-<i+1>"). A request the batch never ran is an attempt without an answer or cost
 * (nothing was billed for it).
 */
export function batchAttempts(jobId: string, maxTokens: readonly number[], byItem: readonly (BatchItemResult | undefined)[], records: readonly LedgerRecord[], ended: BatchState): { attempts: TrialAttempt[]; texts: (string | undefined)[] } {
  const byId = new Map(records.map((r) => [r.id, r]));
  const attempts = byItem.map((r, i): TrialAttempt => {
    const rec = byId.get(`${jobId}-${i + 1}`);
    const base = { maxTokens: maxTokens[i] ?? 0, batch: true as const };
    if (!r) {
      return { ...base, inputTokens: 0, outputTokens: 0, finish: { raw: ended, reason: ended === 'cancelled' ? 'cancelled' : 'error', truncated: false }, costUsd: 0, usageSource: 'provider', durationMs: 0, error: `no answer: the batch ended ${ended} before this request ran` };
    }
    const usage = rec?.usage ?? { inputTokens: 0, outputTokens: 0 };
    const a: TrialAttempt = {
      ...base,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      finish: r.ok ? { ...r.finish } : { raw: r.unread ? 'unread' : 'error', reason: 'error', truncated: false },
      // Billed without a usage that can be believed: unknown, never $0.
      costUsd: rec ? rec.costUsd : r.ok ? null : 0,
      usageSource: rec?.usageSource ?? 'provider',
      durationMs: rec?.durationMs ?? 0,
    };
    if (!r.ok) a.error = r.error.message;
    return a;
  });
  return { attempts, texts: byItem.map((r) => (r?.ok ? r.text : undefined)) };
}
