// The expected cost of a request beside its worst case: from this workspace's ledger, the median and 95th
// percentile output length of answers to the same model and preset that were not cut (the model alone when the
// preset has too few), priced at the request's input and the tier's rates. A cap of 4,096 on a model whose answers
// run 300 tokens makes the worst case 13× the likely one; the expected figure says so.
import type { LedgerRecord } from '../ledger/record';
import { worstCaseCost, type ModelPrice } from '../pricing/cost';
import type { ProviderId } from '../protocol/request';
import { lengthSamples, percentile } from './lengths';

/** Answers needed before an expected figure is shown. */
export const MIN_EXPECTED_BASIS = 3;

export interface Expected {
  usd: number;
  p95Usd: number;
  /** Answers it rests on. */
  basis: number;
  /** Output tokens of those answers (median, 95th percentile), capped at the request's max tokens. */
  p50Tokens: number;
  p95Tokens: number;
  /** Whose answers: this preset's, or the model's under any preset (the preset had fewer than MIN_EXPECTED_BASIS). */
  scope: 'preset' | 'model';
}

export interface ExpectedQuery {
  workspace: string;
  provider: ProviderId;
  model: string;
  preset: string | undefined;
  /** Every input token the request would send. */
  inputTokens: number;
  maxTokens: number;
  /** The price of the tier asked for; undefined: unknown (no expected figure, as no worst case). */
  price: ModelPrice | undefined;
}

/**
 * Answers that say how long this model's answers run: first rounds that ended and were not cut, of this workspace,
 * provider and model; no parts of a live job (their cap is a summary's or a chunk's).
 */
function uncut(records: readonly LedgerRecord[], q: ExpectedQuery): LedgerRecord[] {
  const mine = records.filter((r) => r.workspace === q.workspace && r.provider === q.provider && r.model === q.model && (r.jobId === undefined || r.batch));
  return lengthSamples(mine).filter((r) => !r.finish.truncated);
}

/** The expected cost, or null below MIN_EXPECTED_BASIS answers or without a price. */
export function expectedCost(records: readonly LedgerRecord[], q: ExpectedQuery): Expected | null {
  if (!q.price) return null;
  const all = uncut(records, q);
  const own = all.filter((r) => r.preset === q.preset);
  const scope = own.length >= MIN_EXPECTED_BASIS ? 'preset' : 'model';
  const basis = scope === 'preset' ? own : all;
  if (basis.length < MIN_EXPECTED_BASIS) return null;
  const outputs = basis.map((r) => r.usage.outputTokens);
  const p50Tokens = Math.min(q.maxTokens, percentile(outputs, 50)!);
  const p95Tokens = Math.min(q.maxTokens, percentile(outputs, 95)!);
  const usd = worstCaseCost(q.inputTokens, p50Tokens, q.price);
  const p95Usd = worstCaseCost(q.inputTokens, p95Tokens, q.price);
  if (usd === null || p95Usd === null) return null;
  return { usd, p95Usd, basis: basis.length, p50Tokens, p95Tokens, scope };
}
