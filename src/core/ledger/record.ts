// What the ledger keeps of one request: numbers and ids only, never prompt text or keys.
import type { PaidTier, ProviderId, ServiceTier, Usage, UsageSource } from '../protocol/request';

export interface LedgerRecord {
  v: 1;
  id: string;
  /** Continuation chain the request belongs to, and its round (1 = the first request). */
  chainId?: string;
  round?: number;
  /** Job (many requests planned together: chunks, summarize-first, a batch) and the part this request served. */
  jobId?: string;
  part?: number;
  /** Sent through the provider's batch API (billed at batch prices). */
  batch?: boolean;
  /** ISO time the request started. */
  time: string;
  durationMs: number;
  workspace: string;
  provider: ProviderId;
  model: string;
  preset?: string;
  usage: Usage;
  usageSource: UsageSource;
  costUsd: number | null;
  /** Where costUsd comes from: reported by the server, lengthwise.pricing, the bundled table (absent = unknown). */
  costSource?: 'provider' | 'prices' | 'override';
  /** With a server's reported cost where a price is known: the price's figure for the same usage (budgetCost). */
  pricedUsd?: number;
  priceSource?: string;
  finish: { raw: string; reason: string; truncated: boolean };
  maxTokens: number;
  /** Whether a length hint went with the request (absent in records written before hints existed: none went). */
  lengthHint?: boolean;
  /** Recovered after a crash / reload mid-stream: usage is the last checkpoint's estimate. */
  interrupted?: boolean;
  /** The processing tier that served it, as the response said (absent: a tier was asked for and not said, or an old record). */
  serviceTier?: ServiceTier;
  /** The tier asked for, when not standard (lengthwise.serviceTier). */
  tierAsked?: PaidTier;
  /** What the prompt cache saved (cache reads at their rate instead of the input rate), when above 0. */
  cacheSavedUsd?: number;
}

/** What begin() takes: the record's known-at-start fields, plus an optional first estimate (e.g. input tokens). */
export type LedgerBegin = Omit<LedgerRecord, 'durationMs' | 'usage' | 'usageSource' | 'costUsd' | 'finish' | 'interrupted' | 'serviceTier' | 'cacheSavedUsd'> & {
  usage?: Usage;
  costUsd?: number | null;
};

export interface LedgerStorage {
  readAll(): Promise<string>;
  append(text: string): Promise<void>;
}
