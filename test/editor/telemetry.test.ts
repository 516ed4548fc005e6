// Team spend export in the real VS Code host, against a real VictoriaMetrics (test/host/victoria.mjs) and aimock with
// known usage: the database's token and cost sums equal the ledger's; a stopped collector neither slows nor fails a
// send, and the totals catch up when it returns; nothing the user typed and no key reaches it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Ledger } from '../../src/core/ledger/ledger';
import { totalsOf } from '../../src/core/ledger/totals';
import { fileStorage } from '../../src/platform/node/ledgerFile';
import { startVictoria, type Victoria } from '../host/victoria.mjs';
import { answeringModals, api, resetSettings, setSettings, startProvider, type Provider } from './util';

const PROMPT = 'Summarize the quarterly numbers of project Bluebird';
const PROVIDER_KEY = 'sk-test-lengthwise-0000';
const COLLECTOR_KEY = 'sk-collector-7f3a9c';

type Flush = { ok: boolean; error?: string; exportedRecords: number };
const flush = () => vscode.commands.executeCommand<Flush>('lengthwise.internal.telemetryFlush');

describe('telemetry: spend exported to a real VictoriaMetrics', function () {
  this.timeout(180_000);
  let vm: Victoria;
  let p: Provider;
  let dir: string;
  let ledgerFile: string;
  let previousLedger: string;

  const ledgerTotals = async () => {
    const { ledger } = await Ledger.open(fileStorage(ledgerFile));
    return totalsOf(ledger.records());
  };
  const sum = async (q: string) => (await vm.query(q)).reduce((s, x) => s + x.value, 0);
  /** VictoriaMetrics ingests asynchronously; wait (bounded) until it shows `n` requests. */
  const untilRequests = async (n: number) => {
    const deadline = Date.now() + 15_000;
    let seen = NaN;
    while (Date.now() < deadline) {
      await vm.flush();
      seen = await sum('sum(lengthwise_requests_total)');
      if (seen === n) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail(`the database shows ${seen} requests, the ledger ${n}`);
  };
  const assertDatabaseEqualsLedger = async () => {
    const t = await ledgerTotals();
    await untilRequests(t.requests);
    const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-9, `${what}: database ${a}, ledger ${b}`);
    close(await sum('sum(gen_ai_client_token_usage_sum{gen_ai_token_type="input"})'), t.inputTokens, 'input tokens');
    close(await sum('sum(gen_ai_client_token_usage_sum{gen_ai_token_type="output"})'), t.outputTokens, 'output tokens');
    close(await sum('sum(lengthwise_cost_usd_total)'), t.knownCostUsd, 'cost');
    return t;
  };
  const sendOne = async (i: number) => {
    p.mock.onMessage(`${PROMPT} #${i}`, { content: `Answer ${i}: revenue rose.`, usage: { prompt_tokens: 40 + i, completion_tokens: 9 + i, total_tokens: 49 + 2 * i } });
    const r = await (await api()).send({ text: `${PROMPT} #${i}` });
    assert.equal(r.error, undefined, JSON.stringify(r.error));
    assert.equal(r.usage.inputTokens, 40 + i);
    return r;
  };

  before(async () => {
    vm = await startVictoria();
    p = await startProvider('openai');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lw-telemetry-'));
    ledgerFile = path.join(dir, 'ledger.jsonl');
    previousLedger = (await vscode.commands.executeCommand<string>('lengthwise.internal.useLedgerFile', ledgerFile))!;
    await vscode.commands.executeCommand('lengthwise.setApiKey', 'telemetry', `Authorization=Bearer ${COLLECTOR_KEY}`);
    await setSettings({ 'telemetry.otlpEndpoint': vm.otlpUrl, 'telemetry.attributes': { team: 'core', project: 'checkout' } });
  });

  after(async () => {
    await resetSettings();
    await vscode.commands.executeCommand('lengthwise.setApiKey', 'telemetry', '');
    if (previousLedger) await vscode.commands.executeCommand('lengthwise.internal.useLedgerFile', previousLedger);
    await p?.stop();
    await vm?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('after several sends and a flush, the token and cost sums in the database equal the ledger', async () => {
    for (let i = 1; i <= 3; i++) await sendOne(i);
    const f = await flush();
    assert.equal(f.ok, true, f.error);
    const t = await assertDatabaseEqualsLedger();
    assert.equal(t.requests, 3);
    assert.equal(t.inputTokens, 41 + 42 + 43);
    assert.ok(t.knownCostUsd > 0, 'gpt-4.1-mini has a price');
    const stats = (await vscode.commands.executeCommand('lengthwise.internal.stats')) as { activateMs: number; telemetryStartMs?: number };
    assert.ok(stats.telemetryStartMs !== undefined, 'the export started');
    console.log(`      telemetry export started in ${stats.telemetryStartMs.toFixed(1)} ms, after activate() (${stats.activateMs.toFixed(1)} ms)`);
    const labels = (await vm.query('lengthwise_cost_usd_total'))[0].metric;
    assert.deepEqual([labels.team, labels.project, labels.gen_ai_request_model, labels.gen_ai_provider_name], ['core', 'checkout', 'gpt-4.1-mini', 'openai']);
  });

  it('collector stopped: sends work as before; restarted: the totals catch up', async () => {
    await vm.stop();
    for (let i = 4; i <= 5; i++) await sendOne(i);
    const down = await flush();
    assert.equal(down.ok, false, 'the export fails while the database is down');
    await vm.start();
    const up = await flush();
    assert.equal(up.ok, true, up.error);
    const t = await assertDatabaseEqualsLedger();
    assert.equal(t.requests, 5);
  });

  it('the database holds neither the prompt, the answer, the keys nor the workspace path', async () => {
    const stored = await vm.exportAll();
    assert.ok(stored.includes('lengthwise_cost_usd_total'), 'the export has the metrics');
    const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '/nonexistent';
    for (const secret of [PROMPT, 'Bluebird', 'revenue rose', PROVIDER_KEY, COLLECTOR_KEY, workspace]) {
      assert.ok(!stored.includes(secret), `"${secret}" must not reach the collector`);
    }
  });

  it('a collector set by the workspace is asked about first: declined exports nothing, approved exports', async () => {
    await setSettings({ 'telemetry.otlpEndpoint': undefined });
    const before = await sum('sum(lengthwise_requests_total)');
    const declined = await answeringModals(undefined, async () => {
      await setSettings({ 'telemetry.otlpEndpoint': vm.otlpUrl }, vscode.ConfigurationTarget.Workspace);
      return flush();
    });
    assert.equal(declined.asked.length, 1, 'the question was asked');
    assert.ok(declined.asked[0].includes(vm.otlpUrl) && /no text, no keys/.test(declined.asked[0]), declined.asked[0]);
    assert.deepEqual(declined.result, { ok: false, error: 'telemetry export is off', exportedRecords: 0 });
    await sendOne(6); // spent while declined: still in the ledger, exported once approved
    const approved = await answeringModals('Export', async () => {
      await setSettings({ 'telemetry.exportIntervalSeconds': 30 }, vscode.ConfigurationTarget.Workspace);
      return flush();
    });
    assert.equal(approved.asked.length, 1);
    assert.equal(approved.result?.ok, true, approved.result?.error);
    const t = await assertDatabaseEqualsLedger();
    assert.equal(t.requests, before + 1);
    const again = await answeringModals('Export', async () => {
      await setSettings({ 'telemetry.exportIntervalSeconds': 40 }, vscode.ConfigurationTarget.Workspace);
      return flush();
    });
    assert.deepEqual([again.asked.length, again.result?.ok], [0, true], 'asked once per workspace and endpoint');
  });
});
