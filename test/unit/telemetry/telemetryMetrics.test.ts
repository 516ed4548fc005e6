import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { type LedgerRecord } from '../../../src/core/ledger/record';
import { totalsOf } from '../../../src/core/ledger/totals';
import { newRecordId } from '../../ledgerDouble';
import { OVERRIDE_SOURCE } from '../../../src/core/pricing/cost';
import { GEN_AI, LW, METRICS, SETTLE_MS, isSettled, providerName, recordPoints, resourceAttributes, type ExportRecord, type MetricPoint } from '../../../src/telemetry/metrics';
import { LedgerFeed } from '../../../src/telemetry/feed';
import { parseCollectorHeaders } from '../../../src/telemetry/headers';

function record(over: Partial<LedgerRecord> = {}): LedgerRecord {
  return {
    v: 1,
    id: newRecordId(),
    time: '2026-11-20T10:00:00.000Z',
    durationMs: 2500,
    workspace: 'file:///home/ana/secret-project',
    provider: 'openai',
    model: 'gpt-4o',
    preset: 'quick answer',
    usage: { inputTokens: 1000, outputTokens: 500, cacheReadTokens: 200, cacheWriteTokens: 0, reasoningTokens: 40 },
    usageSource: 'provider',
    costUsd: 0.0075,
    priceSource: '@pydantic/genai-prices 0.1.8 (OpenAI · gpt-4o)',
    finish: { raw: 'stop', reason: 'stop', truncated: false },
    maxTokens: 1024,
    ...over,
  };
}

const find = (ps: MetricPoint[], metric: string, attr: Record<string, unknown> = {}) =>
  ps.filter((p) => p.metric === metric && Object.entries(attr).every(([k, v]) => p.attributes[k] === v));

test('the GenAI names are the ones @opentelemetry/semantic-conventions defines', () => {
  // The incubating entry is resolved at run time only (its exports map is not visible to this tsconfig).
  const sc = createRequire(__filename)('@opentelemetry/semantic-conventions/incubating') as Record<string, string>;
  assert.equal(GEN_AI.tokenUsage, sc.METRIC_GEN_AI_CLIENT_TOKEN_USAGE);
  assert.equal(GEN_AI.operationDuration, sc.METRIC_GEN_AI_CLIENT_OPERATION_DURATION);
  assert.equal(GEN_AI.operationName, sc.ATTR_GEN_AI_OPERATION_NAME);
  assert.equal(GEN_AI.providerName, sc.ATTR_GEN_AI_PROVIDER_NAME);
  assert.equal(GEN_AI.requestModel, sc.ATTR_GEN_AI_REQUEST_MODEL);
  assert.equal(GEN_AI.responseModel, sc.ATTR_GEN_AI_RESPONSE_MODEL);
  assert.equal(GEN_AI.tokenType, sc.ATTR_GEN_AI_TOKEN_TYPE);
  assert.equal(GEN_AI.errorType, sc.ATTR_ERROR_TYPE);
  assert.equal('chat', sc.GEN_AI_OPERATION_NAME_VALUE_CHAT);
  assert.equal(providerName('openai'), sc.GEN_AI_PROVIDER_NAME_VALUE_OPENAI);
  assert.equal(providerName('anthropic'), sc.GEN_AI_PROVIDER_NAME_VALUE_ANTHROPIC);
  assert.equal(providerName('gemini'), sc.GEN_AI_PROVIDER_NAME_VALUE_GCP_GEMINI);
  assert.equal('input', sc.GEN_AI_TOKEN_TYPE_VALUE_INPUT);
  assert.equal('output', sc.GEN_AI_TOKEN_TYPE_VALUE_OUTPUT);
});

test('units and kinds: token histograms in {token}, duration in s, cost a counter in {USD}', () => {
  const spec = Object.fromEntries(METRICS.map((m) => [m.name, m]));
  assert.deepEqual([spec[GEN_AI.tokenUsage].kind, spec[GEN_AI.tokenUsage].unit], ['histogram', '{token}']);
  assert.deepEqual([spec[GEN_AI.operationDuration].kind, spec[GEN_AI.operationDuration].unit], ['histogram', 's']);
  assert.deepEqual([spec[LW.cost].kind, spec[LW.cost].unit], ['counter', '{USD}']);
  assert.deepEqual([spec[LW.unpriced].kind, spec[LW.tokens].kind, spec[LW.requests].kind], ['counter', 'counter', 'counter']);
  for (const m of METRICS.filter((x) => x.kind === 'histogram')) assert.ok(m.buckets && m.buckets.every((b, i, a) => i === 0 || b > a[i - 1]), m.name);
});

test('a priced record: input/output token points, cost with its source, duration in seconds, one request', () => {
  const ps = recordPoints(record());
  const base = { [GEN_AI.operationName]: 'chat', [GEN_AI.providerName]: 'openai', [GEN_AI.requestModel]: 'gpt-4o', [LW.preset]: 'quick answer' };
  assert.deepEqual(find(ps, GEN_AI.tokenUsage, { ...base, [GEN_AI.tokenType]: 'input', [LW.usageSource]: 'provider' }).map((p) => p.value), [1000]);
  assert.deepEqual(find(ps, GEN_AI.tokenUsage, { ...base, [GEN_AI.tokenType]: 'output' }).map((p) => p.value), [500]);
  assert.deepEqual(find(ps, LW.cost, { ...base, [LW.costSource]: 'prices' }).map((p) => p.value), [0.0075]);
  assert.deepEqual(find(ps, GEN_AI.operationDuration, base).map((p) => p.value), [2.5]);
  assert.deepEqual(find(ps, LW.requests, { ...base, [LW.finishReason]: 'stop', [LW.truncated]: false }).map((p) => p.value), [1]);
  assert.equal(find(ps, LW.unpriced).length, 0);
  // Zero cache writes add no point; cache reads and reasoning do.
  assert.deepEqual(find(ps, LW.tokens).map((p) => [p.attributes[LW.tokenType], p.value]), [['cache_read', 200], ['reasoning', 40]]);
  assert.equal(find(ps, GEN_AI.operationDuration)[0].attributes[GEN_AI.errorType], undefined);
  // No response model in the ledger: the attribute is left out rather than guessed.
  assert.ok(ps.every((p) => !(GEN_AI.responseModel in p.attributes)));
  assert.equal(find(recordPoints({ ...record(), responseModel: 'gpt-4o-2024-08-06' }), LW.cost)[0].attributes[GEN_AI.responseModel], 'gpt-4o-2024-08-06');
});

test('an unknown price is not added as 0: no cost point, one unpriced request', () => {
  const ps = recordPoints(record({ costUsd: null, priceSource: undefined, provider: 'openai-compatible', model: 'llama3.1:8b' }));
  assert.equal(find(ps, LW.cost).length, 0);
  assert.deepEqual(find(ps, LW.unpriced, { [GEN_AI.providerName]: 'openai_compatible', [GEN_AI.requestModel]: 'llama3.1:8b' }).map((p) => p.value), [1]);
  assert.equal(find(ps, GEN_AI.tokenUsage).length, 2, 'its tokens still count');
});

test('truncation, errors and estimates are visible in the attributes', () => {
  const cut = recordPoints(record({ finish: { raw: 'length', reason: 'length', truncated: true } }));
  assert.deepEqual(find(cut, LW.requests).map((p) => [p.attributes[LW.finishReason], p.attributes[LW.truncated]]), [['length', true]]);
  const failed = recordPoints(record({ finish: { raw: 'error', reason: 'error', truncated: false }, usageSource: 'estimate' }));
  assert.equal(find(failed, GEN_AI.operationDuration)[0].attributes[GEN_AI.errorType], '_OTHER');
  assert.equal(find(failed, LW.cost)[0].attributes[LW.usageSource], 'estimate');
  const noPreset = recordPoints(record({ preset: undefined }));
  assert.ok(noPreset.every((p) => !(LW.preset in p.attributes)));
});

test('cost source: the record\'s own (a gateway\'s report beats the price the request also named), else from its price', () => {
  const src = (over: Partial<LedgerRecord>) => find(recordPoints(record(over)), LW.cost)[0].attributes[LW.costSource];
  // A cost OpenRouter reported, on a request that also carried the bundled price: the server's figure is what counts.
  assert.equal(src({ costSource: 'provider', priceSource: '@pydantic/genai-prices 0.1.8 (OpenAI · gpt-4o)' }), 'provider');
  assert.equal(src({ costSource: undefined, priceSource: `${OVERRIDE_SOURCE} over @pydantic/genai-prices 0.1.8 (OpenAI · gpt-4o)` }), 'override');
  // Records written before costSource existed: from their price (a cost then was always computed from one).
  assert.equal(src({ costSource: undefined, priceSource: '@pydantic/genai-prices 0.1.8 (Anthropic · claude-sonnet-4-5)' }), 'prices');
  assert.equal(providerName('something-new'), '_OTHER');
});

test('only numbers, model and preset names leave: no workspace path, id or price text in any attribute', () => {
  const r = record();
  const text = JSON.stringify(recordPoints(r));
  for (const secret of [r.workspace, r.id, 'genai-prices', 'secret-project']) assert.ok(!text.includes(secret), secret);
  const allowed = new Set([...Object.values(GEN_AI), ...Object.values(LW)]);
  for (const p of recordPoints(r)) for (const k of Object.keys(p.attributes)) assert.ok(allowed.has(k as never), k);
});

test('the sums of the points equal the ledger totals', () => {
  const rs = [record(), record({ costUsd: null }), record({ usage: { inputTokens: 7, outputTokens: 3, cacheWriteTokens: 5 }, costUsd: 0.125 })];
  const ps = rs.flatMap(recordPoints);
  const t = totalsOf(rs);
  const sum = (m: string, a: Record<string, unknown> = {}) => find(ps, m, a).reduce((s, p) => s + p.value, 0);
  assert.equal(sum(GEN_AI.tokenUsage, { [GEN_AI.tokenType]: 'input' }), t.inputTokens);
  assert.equal(sum(GEN_AI.tokenUsage, { [GEN_AI.tokenType]: 'output' }), t.outputTokens);
  assert.equal(sum(LW.tokens, { [LW.tokenType]: 'cache_read' }), t.cacheReadTokens);
  assert.equal(sum(LW.tokens, { [LW.tokenType]: 'cache_write' }), t.cacheWriteTokens);
  assert.equal(sum(LW.tokens, { [LW.tokenType]: 'reasoning' }), t.reasoningTokens);
  assert.equal(sum(LW.cost), t.knownCostUsd);
  assert.equal(sum(LW.unpriced), t.unknownCostRequests);
  assert.equal(sum(LW.requests), t.requests);
});

test('the feed adds each record once, only this workspace, and interrupted ones only when settled', () => {
  const got: MetricPoint[] = [];
  const feed = new LedgerFeed({ add: (p) => got.push(...p) }, 'ws-a');
  const now = Date.parse('2026-11-30T12:00:00Z');
  const a = record({ workspace: 'ws-a' });
  const other = record({ workspace: 'ws-b' });
  const running = record({ workspace: 'ws-a', interrupted: true, time: new Date(now - 60_000).toISOString() });
  const crashed = record({ workspace: 'ws-a', interrupted: true, time: new Date(now - SETTLE_MS).toISOString() });
  assert.equal(feed.offer([a, other, running, crashed], now), 2);
  assert.equal(feed.offer([a, other, running, crashed], now), 0, 'nothing twice');
  assert.equal(find(got, LW.requests).length, 2);
  assert.equal(isSettled(running, now), false);
  assert.equal(isSettled(running, now + SETTLE_MS), true);
  assert.equal(feed.offer([running], now + SETTLE_MS), 1);
  assert.equal(feed.size, 3);
});

test('resource attributes: the user\'s, then service name, version and the opaque instance id', () => {
  assert.deepEqual(resourceAttributes({ version: '0.1.0', instanceId: 'i-1', extra: { team: 'core', project: 'lw' } }), {
    team: 'core',
    project: 'lw',
    'service.name': 'lengthwise',
    'service.version': '0.1.0',
    'service.instance.id': 'i-1',
  });
});

test('collector headers: name=value pairs (URL-decoded) or a bare bearer token; messages never repeat the secret', () => {
  assert.deepEqual(parseCollectorHeaders(''), { ok: true, headers: {} });
  assert.deepEqual(parseCollectorHeaders('abc123'), { ok: true, headers: { Authorization: 'Bearer abc123' } });
  assert.deepEqual(parseCollectorHeaders('Authorization=Bearer%20k1, x-team = core'), { ok: true, headers: { Authorization: 'Bearer k1', 'x-team': 'core' } });
  for (const bad of ['two words', 'api key=sk-9', 'a=1,b', 'a=']) {
    const r = parseCollectorHeaders(bad);
    assert.equal(r.ok, false, bad);
    if (!r.ok) assert.ok(!r.message.includes('sk-9') && !r.message.includes('two words'), r.message);
  }
});

test('the tier that served is on the cost, unpriced and requests points (unknown when asked and not said)', () => {
  const r = (over: Partial<ExportRecord>): ExportRecord => ({ v: 1, id: 'x', time: '2026-12-01T00:00:00.000Z', durationMs: 1, workspace: 'w', provider: 'openai', model: 'gpt-5', usage: { inputTokens: 1, outputTokens: 1 }, usageSource: 'provider', costUsd: 0.01, finish: { raw: 'stop', reason: 'stop', truncated: false }, maxTokens: 10, ...over });
  assert.equal(find(recordPoints(r({ serviceTier: 'flex', tierAsked: 'flex' })), LW.cost)[0].attributes[LW.serviceTier], 'flex');
  assert.equal(find(recordPoints(r({ tierAsked: 'priority' })), LW.requests)[0].attributes[LW.serviceTier], 'unknown');
  assert.equal(find(recordPoints(r({ costUsd: null })), LW.unpriced)[0].attributes[LW.serviceTier], 'standard');
  assert.equal(find(recordPoints(r({})), GEN_AI.tokenUsage)[0].attributes[LW.serviceTier], undefined, 'token points keep their series');
});
