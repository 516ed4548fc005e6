// What Lengthwise exports over OpenTelemetry, and the pure mapping from a ledger record to metric points.
// Names follow the OpenTelemetry GenAI semantic conventions where they have one (gen_ai.*); the rest is under
// lengthwise.*. The GenAI names are still "development" in @opentelemetry/semantic-conventions, which therefore
// advises copying them rather than importing its `incubating` entry; test/unit/telemetry/telemetryMetrics.test.ts checks the
// copies against the installed package. Only the attributes listed here leave the machine: numbers, model and
// preset names, never prompt or answer text, file names or keys.
import { type LedgerRecord } from '../core/ledger/record';
import { costSourceOf, tierOf } from '../core/ledger/totals';
import type { ProviderId } from '../core/protocol/request';
import { PROFILES } from '../core/providers';
import { ATTR_SERVICE_INSTANCE_ID, ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';

export const GEN_AI = {
  tokenUsage: 'gen_ai.client.token.usage',
  operationDuration: 'gen_ai.client.operation.duration',
  operationName: 'gen_ai.operation.name',
  providerName: 'gen_ai.provider.name',
  requestModel: 'gen_ai.request.model',
  responseModel: 'gen_ai.response.model',
  tokenType: 'gen_ai.token.type',
  errorType: 'error.type',
} as const;

export const LW = {
  cost: 'lengthwise.cost.usd',
  unpriced: 'lengthwise.requests.unpriced',
  tokens: 'lengthwise.tokens',
  requests: 'lengthwise.requests',
  preset: 'lengthwise.preset',
  costSource: 'lengthwise.cost.source',
  usageSource: 'lengthwise.usage.source',
  tokenType: 'lengthwise.token.type',
  finishReason: 'lengthwise.finish.reason',
  truncated: 'lengthwise.truncated',
  /** The processing tier that served the request (standard, flex, priority; unknown when asked and not said). */
  serviceTier: 'lengthwise.service_tier',
} as const;

export type MetricName =
  | typeof GEN_AI.tokenUsage
  | typeof GEN_AI.operationDuration
  | typeof LW.cost
  | typeof LW.unpriced
  | typeof LW.tokens
  | typeof LW.requests;

export interface MetricSpec {
  name: MetricName;
  kind: 'histogram' | 'counter';
  unit: string;
  description: string;
  /** Explicit bucket boundaries (histograms), as the conventions advise. */
  buckets?: number[];
}

/** Every exported metric (the README lists the same). */
export const METRICS: readonly MetricSpec[] = [
  {
    name: GEN_AI.tokenUsage,
    kind: 'histogram',
    unit: '{token}',
    description: 'Input and output tokens per request (gen_ai.token.type input / output).',
    buckets: [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864],
  },
  {
    name: GEN_AI.operationDuration,
    kind: 'histogram',
    unit: 's',
    description: 'Duration of a request, first byte sent to last byte received.',
    buckets: [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92],
  },
  { name: LW.cost, kind: 'counter', unit: '{USD}', description: 'Cost in US dollars of requests with a known price, by lengthwise.cost.source.' },
  { name: LW.unpriced, kind: 'counter', unit: '{request}', description: 'Requests whose price is unknown: their cost is not in lengthwise.cost.usd (never counted as $0).' },
  { name: LW.tokens, kind: 'counter', unit: '{token}', description: 'Cache read, cache write (parts of input) and reasoning tokens (part of output), by lengthwise.token.type.' },
  { name: LW.requests, kind: 'counter', unit: '{request}', description: 'Requests by normalized finish reason (length = cut at max tokens) and whether the answer was truncated.' },
];

type Attributes = Record<string, string | boolean>;

export interface MetricPoint {
  metric: MetricName;
  value: number;
  attributes: Attributes;
}

/** gen_ai.provider.name of the conventions (each profile's telemetryName); a record of an unknown provider: _OTHER. */
export function providerName(p: string): string {
  return Object.prototype.hasOwnProperty.call(PROFILES, p) ? PROFILES[p as ProviderId].telemetryName : '_OTHER';
}

/** A record as the exporter takes it: the ledger record, optionally with the model the server answered with. */
export type ExportRecord = LedgerRecord & { responseModel?: string };

/** The attributes every metric of a record carries. */
function baseAttributes(r: ExportRecord): Attributes {
  const a: Attributes = {
    [GEN_AI.operationName]: 'chat',
    [GEN_AI.providerName]: providerName(r.provider),
    [GEN_AI.requestModel]: r.model,
  };
  if (r.responseModel) a[GEN_AI.responseModel] = r.responseModel;
  if (r.preset) a[LW.preset] = r.preset;
  return a;
}

const count = (n: number | undefined) => (typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0);

/** The points one finished request adds. Pure: the same record always gives the same points. */
export function recordPoints(r: ExportRecord): MetricPoint[] {
  const base = baseAttributes(r);
  const usage = { ...base, [LW.usageSource]: r.usageSource };
  const points: MetricPoint[] = [
    { metric: GEN_AI.tokenUsage, value: count(r.usage.inputTokens), attributes: { ...usage, [GEN_AI.tokenType]: 'input' } },
    { metric: GEN_AI.tokenUsage, value: count(r.usage.outputTokens), attributes: { ...usage, [GEN_AI.tokenType]: 'output' } },
  ];
  const extra: [string, number | undefined][] = [
    ['cache_read', r.usage.cacheReadTokens],
    ['cache_write', r.usage.cacheWriteTokens],
    ['reasoning', r.usage.reasoningTokens],
  ];
  for (const [type, n] of extra) {
    if (count(n) > 0) points.push({ metric: LW.tokens, value: count(n), attributes: { ...usage, [LW.tokenType]: type } });
  }
  const duration: Attributes = { ...base };
  if (r.finish.reason === 'error') duration[GEN_AI.errorType] = '_OTHER';
  points.push({ metric: GEN_AI.operationDuration, value: count(r.durationMs) / 1000, attributes: duration });
  const tier = tierOf(r);
  if (r.costUsd !== null && Number.isFinite(r.costUsd)) {
    points.push({ metric: LW.cost, value: Math.max(0, r.costUsd), attributes: { ...usage, [LW.costSource]: costSourceOf(r)!, [LW.serviceTier]: tier } });
  } else {
    points.push({ metric: LW.unpriced, value: 1, attributes: { ...usage, [LW.serviceTier]: tier } });
  }
  points.push({
    metric: LW.requests,
    value: 1,
    attributes: { ...base, [LW.finishReason]: r.finish.reason, [LW.truncated]: r.finish.truncated, [LW.serviceTier]: tier },
  });
  return points;
}

/**
 * A request cut off by a crash or reload has no final line in the ledger yet; another window may still be running
 * it. It is exported (with its estimated usage) only once it is this old, so a counter never has to go back.
 */
export const SETTLE_MS = 6 * 60 * 60 * 1000;

/** Whether a ledger record is final and can be exported. */
export function isSettled(r: LedgerRecord, nowMs: number): boolean {
  if (!r.interrupted) return true;
  const started = Date.parse(r.time);
  return Number.isFinite(started) && nowMs - started >= SETTLE_MS;
}

/** Resource attributes: who exports (service, version, an opaque instance id) plus the user's own (team, project). */
export function resourceAttributes(x: { version: string; instanceId: string; extra: Record<string, string> }): Record<string, string> {
  return {
    ...x.extra,
    [ATTR_SERVICE_NAME]: 'lengthwise',
    [ATTR_SERVICE_VERSION]: x.version,
    [ATTR_SERVICE_INSTANCE_ID]: x.instanceId,
  };
}
