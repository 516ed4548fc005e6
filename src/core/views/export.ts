// The ledger as CSV (cells that a spreadsheet would run as a formula are guarded) and as JSONL.
import type { LedgerRecord } from '../ledger/record';
import { costSourceOf, tierOf } from '../ledger/totals';


export const CSV_COLUMNS = [
  'id',
  'chainId',
  'round',
  'time',
  'durationMs',
  'workspace',
  'provider',
  'model',
  'preset',
  'inputTokens',
  'cacheReadTokens',
  'cacheWriteTokens',
  'cacheWrite1hTokens',
  'outputTokens',
  'reasoningTokens',
  'usageSource',
  'costUsd',
  'costSource',
  'priceSource',
  'finishRaw',
  'finishReason',
  'truncated',
  'maxTokens',
  'lengthHint',
  'interrupted',
  'jobId',
  'part',
  'batch',
  'serviceTier',
  'tierAsked',
  'cacheSavedUsd',
  'pricedUsd',
] as const;

/**
 * Text a spreadsheet would run as a formula: starting with = + - @, their full-width forms ＝ ＋ － ＠ (read as the
 * same by spreadsheets), tab or CR, also after leading spaces (which spreadsheets skip).
 */
const FORMULA_START = /^(?:[\t\r]|[\s\p{Zs}]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20])/u;

/**
 * RFC 4180 field: quoted when it holds a comma, a quote, CR or LF (quotes doubled) or leading/trailing spaces.
 * A formula (FORMULA_START) gets a leading apostrophe (OWASP's CSV injection rule). Numbers are written as numbers.
 */
export function csvField(v: unknown): string {
  if (v === undefined || v === null) return '';
  const s = typeof v === 'string' ? (FORMULA_START.test(v) ? `'${v}` : v) : String(v);
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csvRow(r: LedgerRecord): string[] {
  const u = r.usage;
  const values: Record<(typeof CSV_COLUMNS)[number], unknown> = {
    id: r.id,
    chainId: r.chainId,
    round: r.round,
    time: r.time,
    durationMs: r.durationMs,
    workspace: r.workspace,
    provider: r.provider,
    model: r.model,
    preset: r.preset,
    inputTokens: u.inputTokens,
    cacheReadTokens: u.cacheReadTokens,
    cacheWriteTokens: u.cacheWriteTokens,
    cacheWrite1hTokens: u.cacheWrite1hTokens,
    outputTokens: u.outputTokens,
    reasoningTokens: u.reasoningTokens,
    usageSource: r.usageSource,
    // Unknown price stays empty, never 0.
    costUsd: r.costUsd,
    costSource: costSourceOf(r),
    priceSource: r.priceSource,
    finishRaw: r.finish.raw,
    finishReason: r.finish.reason,
    truncated: r.finish.truncated,
    maxTokens: r.maxTokens,
    lengthHint: r.lengthHint ?? false,
    interrupted: r.interrupted ?? false,
    jobId: r.jobId,
    part: r.part,
    batch: r.batch ?? false,
    serviceTier: tierOf(r),
    tierAsked: r.tierAsked,
    cacheSavedUsd: r.cacheSavedUsd,
    // Beside a reported cost: what the prices give for the same tokens.
    pricedUsd: r.pricedUsd,
  };
  return CSV_COLUMNS.map((c) => csvField(values[c]));
}

/** CSV with a header row, CRLF line ends (RFC 4180). */
export function toCsv(records: readonly LedgerRecord[]): string {
  return [CSV_COLUMNS.join(','), ...records.map((r) => csvRow(r).join(','))].join('\r\n') + '\r\n';
}

/** One JSON record a line, as stored in the ledger. */
export function toJsonl(records: readonly LedgerRecord[]): string {
  return records.map((r) => JSON.stringify(r)).join('\n') + (records.length ? '\n' : '');
}
