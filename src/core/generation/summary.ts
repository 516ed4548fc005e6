// The ResultSummary of the exported API (README, "API"), built from a finished chain.
import type { Finish, GenerationRequest, ServiceTier, Usage, UsageSource } from '../protocol/request';
import type { CostSource } from '../pricing/reported';

export interface ResultSummary {
  provider: string;
  model: string;
  preset?: string;
  /** What this call inserted into the document. */
  text: string;
  finish: { raw: string; reason: string; truncated: boolean };
  usage: Usage & { source: UsageSource };
  /** null = price unknown, never 0 for unknown. */
  costUsd: number | null;
  /** Reported by the server, the bundled table, lengthwise.pricing; null = unknown. */
  costSource: CostSource | null;
  /** The processing tier that served the request, where the provider says (null: a tier was asked for and not said). */
  serviceTier?: ServiceTier | null;
  /** What actually went over the wire, after clamping and translation. */
  sent: { maxTokens: number; stop: string[] };
  rounds: number;
  /** Present when the call ran as a job of many requests (input larger than one request can take, or a batch). */
  job?: { id: string; parts: number; strategy: 'chunks' | 'summarizeFirst' | 'batch' };
  /** Extras beyond the contract: notes shown to the user, the error if any. */
  notes?: string[];
  error?: { kind: string; message: string };
}

export function buildSummary(x: {
  request: GenerationRequest;
  preset?: string;
  text: string;
  finish: Finish;
  usage: Usage;
  usageSource: UsageSource;
  costUsd: number | null;
  costSource?: CostSource | null;
  rounds: number;
  serviceTier?: ServiceTier | null;
  notes?: string[];
  error?: { kind: string; message: string };
}): ResultSummary {
  const s: ResultSummary = {
    provider: x.request.provider,
    model: x.request.model,
    text: x.text,
    finish: { raw: x.finish.raw, reason: x.finish.reason, truncated: x.finish.truncated },
    usage: { ...x.usage, source: x.usageSource },
    costUsd: x.costUsd,
    costSource: x.costUsd === null ? null : (x.costSource ?? null),
    sent: { maxTokens: x.request.maxTokens, stop: [...x.request.stop] },
    rounds: x.rounds,
  };
  if (x.preset) s.preset = x.preset;
  if (x.serviceTier !== undefined) s.serviceTier = x.serviceTier;
  if (x.notes?.length) s.notes = x.notes;
  if (x.error) s.error = x.error;
  return s;
}

/** A send that was refused before anything went over the wire (invalid settings, no key, budget). */
export class RefusedError extends Error {
  constructor(
    message: string,
    readonly reason: 'invalid' | 'no-key' | 'budget' | 'empty' | 'declined' | 'no-target',
    readonly issues: { setting: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'RefusedError';
  }
}
