// The exporter against a real VictoriaMetrics (test/host/victoria.mjs): what the database holds after an export
// equals the ledger; a collector that is down is logged once and caught up when it returns; a restarted exporter
// rebuilds the same totals instead of adding them again; nothing but numbers and names is stored.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ledger } from '../../src/core/ledger/ledger';
import { type LedgerRecord } from '../../src/core/ledger/record';
import { totalsOf } from '../../src/core/ledger/totals';
import { memoryStorage, newRecordId } from '../ledgerDouble';
import { startTelemetry, type Telemetry, type TelemetryConfig } from '../../src/telemetry/telemetry';
import { loadOtelChunk } from '../../src/platform/node/lazyChunk';
import { SETTLE_MS } from '../../src/telemetry/metrics';
import { startVictoria, type Victoria } from '../host/victoria.mjs';

const WORKSPACE = 'file:///home/ana/acme-secret-project';
const COLLECTOR_KEY = 'sk-collector-0b5e1d7c';
/** The README's query for spend per model per day. */
const SPEND_PER_MODEL_PER_DAY = 'sum by (gen_ai_request_model) (increase(lengthwise_cost_usd_total[1d]))';

let vm: Victoria;
let ledger: Ledger;
const logs: { level: string; msg: string }[] = [];
const log = { info: (msg: string) => logs.push({ level: 'info', msg }), warn: (msg: string) => logs.push({ level: 'warn', msg }) };

function record(over: Partial<LedgerRecord> = {}): LedgerRecord {
  return {
    v: 1,
    id: newRecordId(),
    time: new Date().toISOString(),
    durationMs: 1800,
    workspace: WORKSPACE,
    provider: 'openai',
    model: 'gpt-4.1-mini',
    usage: { inputTokens: 120, outputTokens: 300 },
    usageSource: 'provider',
    costUsd: 0.000528,
    priceSource: '@pydantic/genai-prices 0.1.8 (OpenAI · gpt-4.1-mini)',
    finish: { raw: 'stop', reason: 'stop', truncated: false },
    maxTokens: 1024,
    ...over,
  };
}

const config = (): TelemetryConfig => ({
  endpoint: vm.otlpUrl,
  headers: { Authorization: `Bearer ${COLLECTOR_KEY}` },
  intervalSeconds: 3600, // exports in this test are the explicit flushes
  attributes: { team: 'core', project: 'lengthwise' },
  instanceId: 'test-instance-1',
  version: '0.1.0',
  workspace: WORKSPACE,
});

/** One value of an instant query that sums everything (0 when there is no series). */
async function scalar(promql: string): Promise<number> {
  const r = await vm.query(promql);
  return r.reduce((s, x) => s + x.value, 0);
}

/**
 * Waits (bounded) until the database shows the ledger's request count: VictoriaMetrics ingests asynchronously,
 * and there is no event to await.
 */
async function untilRequests(expected: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  let seen = NaN;
  while (Date.now() < deadline) {
    await vm.flush();
    seen = await scalar('sum(lengthwise_requests_total)');
    if (seen === expected) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`VictoriaMetrics shows ${seen} requests, the ledger ${expected}`);
}

const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-9, `${what}: database ${a}, ledger ${b}`);

/** Every sum the database holds equals the ledger's, per model where it matters. */
async function assertMatchesLedger(): Promise<void> {
  const mine = ledger.records().filter((r) => r.workspace === WORKSPACE && !r.interrupted);
  const t = totalsOf(mine);
  await untilRequests(t.requests);
  close(await scalar('sum(gen_ai_client_token_usage_sum{gen_ai_token_type="input"})'), t.inputTokens, 'input tokens');
  close(await scalar('sum(gen_ai_client_token_usage_sum{gen_ai_token_type="output"})'), t.outputTokens, 'output tokens');
  close(await scalar('sum(gen_ai_client_token_usage_count{gen_ai_token_type="input"})'), t.requests, 'token usage count');
  close(await scalar('sum(lengthwise_tokens_total{lengthwise_token_type="cache_read"})'), t.cacheReadTokens, 'cache read tokens');
  close(await scalar('sum(lengthwise_tokens_total{lengthwise_token_type="reasoning"})'), t.reasoningTokens, 'reasoning tokens');
  close(await scalar('sum(lengthwise_cost_usd_total)'), t.knownCostUsd, 'cost');
  close(await scalar('sum(lengthwise_requests_unpriced_total)'), t.unknownCostRequests, 'unpriced requests');
  close(await scalar('sum(lengthwise_requests_total{lengthwise_finish_reason="length",lengthwise_truncated="true"})'), mine.filter((r) => r.finish.reason === 'length').length, 'truncated');
  for (const model of new Set(mine.map((r) => r.model))) {
    const m = totalsOf(mine.filter((r) => r.model === model));
    close(await scalar(`sum(lengthwise_cost_usd_total{gen_ai_request_model="${model}"})`), m.knownCostUsd, `cost of ${model}`);
  }
}

before(async () => {
  vm = await startVictoria();
  ({ ledger } = await Ledger.open(memoryStorage()));
  for (const r of [
    record(),
    record({ model: 'claude-sonnet-4-5', provider: 'anthropic', preset: 'quick answer', usage: { inputTokens: 2000, outputTokens: 150, cacheReadTokens: 1500, cacheWriteTokens: 100 }, costUsd: 0.00585 }),
    record({ model: 'gpt-5-mini', usage: { inputTokens: 50, outputTokens: 1024, reasoningTokens: 700 }, costUsd: 0.0020605, finish: { raw: 'length', reason: 'length', truncated: true } }),
    record({ provider: 'openai-compatible', model: 'llama3.1:8b', costUsd: null, priceSource: undefined }),
    record({ workspace: 'file:///home/ana/other', costUsd: 5 }), // another workspace: not this window's to export
  ]) {
    await ledger.finish(r);
  }
});

after(async () => {
  await vm?.dispose();
});

let telemetry: Telemetry;

test('after a flush the database holds the ledger: tokens, cost per model, unpriced and truncated requests, resource attributes', async () => {
  telemetry = startTelemetry(config(), ledger, log, loadOtelChunk());
  assert.equal(telemetry.exportedRecords, 4);
  assert.deepEqual(await telemetry.flush(), { ok: true });
  await assertMatchesLedger();
  const labels = (await vm.query('lengthwise_cost_usd_total'))[0].metric;
  assert.equal(labels.team, 'core');
  assert.equal(labels.project, 'lengthwise');
  assert.equal(labels.service_name, 'lengthwise');
  assert.equal(labels.service_instance_id, 'test-instance-1');
  assert.equal(labels.gen_ai_operation_name, 'chat');
  assert.equal(labels.lengthwise_cost_source, 'prices');
});

test('collector down: the failure is logged once; when it returns the totals catch up', async () => {
  await vm.stop();
  await ledger.finish(record({ costUsd: 0.25, usage: { inputTokens: 1000, outputTokens: 2000 } }));
  await ledger.finish(record({ model: 'claude-sonnet-4-5', provider: 'anthropic', costUsd: 0.5, finish: { raw: 'max_tokens', reason: 'length', truncated: true } }));
  telemetry.update();
  const warnsBefore = logs.filter((l) => l.level === 'warn').length;
  const first = await telemetry.flush();
  const second = await telemetry.flush();
  assert.equal(first.ok, false);
  assert.equal(second.ok, false);
  const warns = logs.filter((l) => l.level === 'warn').slice(warnsBefore);
  assert.equal(warns.length, 1, 'one warning for the whole outage');
  assert.match(warns[0].msg, /Nothing is lost/);
  assert.ok(!warns[0].msg.includes(COLLECTOR_KEY));

  await vm.start();
  assert.deepEqual(await telemetry.flush(), { ok: true });
  assert.ok(logs.some((l) => /accepts metrics again/.test(l.msg)));
  await assertMatchesLedger();
});

test('a restarted exporter rebuilds the counters from the ledger: the same totals, not twice', async () => {
  await telemetry.stop();
  await ledger.finish(record({ costUsd: 0.125 })); // spent while export was off (e.g. VS Code closed)
  telemetry = startTelemetry(config(), ledger, log, loadOtelChunk());
  assert.deepEqual(await telemetry.flush(), { ok: true });
  await assertMatchesLedger();
});

test("a crashed request is exported once it has settled, with its estimated spend", async () => {
  const old = new Date(Date.now() - SETTLE_MS - 60_000).toISOString();
  const storage = memoryStorage(JSON.stringify({ kind: 'begin', v: 1, id: 'crashed-1', time: old, workspace: WORKSPACE, provider: 'openai', model: 'gpt-4.1-mini', maxTokens: 100, usage: { inputTokens: 10, outputTokens: 20 }, costUsd: 0.00004 }) + '\n');
  const { ledger: other } = await Ledger.open(storage);
  assert.equal(other.records()[0].interrupted, true);
  await telemetry.stop();
  // The same database, a second ledger (another machine): its own instance id keeps the series apart.
  const t2 = startTelemetry({ ...config(), instanceId: 'test-instance-2' }, other, log, loadOtelChunk());
  assert.deepEqual(await t2.flush(), { ok: true });
  await t2.stop();
  const all = [...ledger.records(), ...other.records()].filter((r) => r.workspace === WORKSPACE);
  await untilRequests(all.length);
  close(await scalar('sum(lengthwise_cost_usd_total{lengthwise_usage_source="estimate"})'), 0.00004, 'estimated cost of the crashed request');
  close(await scalar('sum(lengthwise_cost_usd_total)'), totalsOf(all).knownCostUsd, 'cost over both instances');
});

test("the README's spend-per-model-per-day query answers the ledger's numbers", async () => {
  const all = ledger.records().filter((r) => r.workspace === WORKSPACE);
  const answer = await vm.query(SPEND_PER_MODEL_PER_DAY);
  const got = Object.fromEntries(answer.map((x) => [x.metric.gen_ai_request_model, x.value]));
  console.log(`# ${SPEND_PER_MODEL_PER_DAY}\n# → ${JSON.stringify(got)}`);
  const models = new Set(all.filter((r) => r.costUsd !== null).map((r) => r.model));
  assert.deepEqual(new Set(Object.keys(got)), models);
  for (const m of models) {
    const extra = m === 'gpt-4.1-mini' ? 0.00004 : 0; // the crashed request of the second instance
    close(got[m], totalsOf(all.filter((r) => r.model === m)).knownCostUsd + extra, `spend of ${m} today`);
  }
});

test('every query of the Grafana dashboard (media/grafana-lengthwise.json) runs on the database and finds data', async () => {
  const dash = JSON.parse(readFileSync(join(__dirname, '../../media/grafana-lengthwise.json'), 'utf8'));
  const grafana = (e: string) =>
    e.replace(/\$__range|\$__rate_interval/g, '1d').replace(/"\$(team|project|model|preset)"/g, '".*"');
  const exprs: string[] = dash.panels.flatMap((p: { targets: { expr: string }[] }) => p.targets.map((t) => t.expr));
  exprs.push(...dash.templating.list.filter((v: { type: string }) => v.type === 'query').map((v: { definition: string }) => v.definition.replace(/^label_values\((\w+), .*\)$/, '$1')));
  assert.ok(exprs.length >= 12);
  for (const e of exprs) {
    assert.ok(!/\$\w/.test(grafana(e)), `unreplaced variable in ${e}`);
    const r = await vm.query(grafana(e));
    assert.ok(r.length > 0, `no data for ${e}`);
  }
});

test('the database holds no key, no path, no record id: only numbers and names', async () => {
  const stored = await vm.exportAll();
  assert.ok(stored.length > 1000, 'the export has content');
  for (const secret of [COLLECTOR_KEY, 'acme-secret-project', '/home/ana', ...ledger.records().map((r) => r.id), 'genai-prices']) {
    assert.ok(!stored.includes(secret), `"${secret}" must not reach the collector`);
  }
});
