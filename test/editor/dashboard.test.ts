// The dashboard in the real host: a ledger seeded by real sends (aimock), the dashboard panel, the page's round trip,
// applying a recommendation to the workspace settings, export, and light/dark screenshots for the README.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DashboardData } from '../../src/core/views/dashboardData';
import type { ClickTarget } from '../../src/core/views/dashboardProtocol';
import type { DashboardHandle, DashboardState } from '../../src/extension/dashboard';
import { api, closeAll, openDoc, resetSettings, startProvider, usage, type Provider } from './util';

const SHORT = 'dash short';
const LONG = 'dash long';
/** Output tokens of the "dash short" answers: p95 (nearest rank of 12) = 260 → 260 × 1.2 = 312 → 320. */
const SHORT_OUTPUTS = [150, 160, 170, 180, 190, 200, 210, 220, 230, 240, 250, 260];

const state = async () => (await vscode.commands.executeCommand('lengthwise.internal.dashboardState')) as DashboardState;
const click = async (control: ClickTarget) => (await vscode.commands.executeCommand('lengthwise.internal.dashboardClick', control)) as DashboardState;
const section = (d: DashboardData | undefined, key: string) => d?.presets.find((p) => p.key === key);

/** Formats like the page (core/pricing/money.ts formatUsd rules) for the few values compared here. */
function rowOf(rows: string[][], first: string): string[] {
  const r = rows.find((x) => x[0] === first);
  assert.ok(r, `a table row for ${first}; rows: ${JSON.stringify(rows.map((x) => x[0]))}`);
  return r;
}

describe('dashboard: spend and length panel', function () {
  this.timeout(180_000);
  let p: Provider;

  before(async () => {
    await resetSettings();
    p = await startProvider('openai', {
      maxTokens: 1024,
      presets: { [SHORT]: { maxTokens: 1024, description: 'dashboard test: short answers' }, [LONG]: { maxTokens: 200 } },
      'budget.usd': 0.02,
    });
    const a = await api();
    await openDoc('dashboard seed\n');
    // Real sends through the exported API: each becomes a ledger record.
    for (const [i, out] of SHORT_OUTPUTS.entries()) {
      p.mock.onMessage(`short question #${i}#`, { content: `short answer ${i}`, usage: usage(40, out) });
      const r = await a.send({ text: `short question #${i}#`, preset: SHORT });
      assert.equal(r.usage.outputTokens, out);
    }
    for (let i = 0; i < 10; i++) {
      p.mock.onMessage(`long question #${i}#`, { content: `a long answer that was cut ${i}`, finishReason: 'length', usage: usage(60, 200) });
      const r = await a.send({ text: `long question #${i}#`, preset: LONG });
      assert.equal(r.finish.truncated, true);
    }
    p.mock.onMessage('bigger model question', { content: 'answer from gpt-4.1', usage: usage(300, 500) });
    await a.send({ text: 'bigger model question', overrides: { model: 'gpt-4.1' } });
    p.mock.onMessage('local model question', { content: 'answer of a model without a price', usage: usage(30, 40) });
    const unknown = await a.send({ text: 'local model question', overrides: { model: 'dash-local-model' } });
    assert.equal(unknown.costUsd, null);
  });

  after(async () => {
    await p.stop();
    await closeAll();
    await resetSettings();
  });

  let handle: DashboardHandle;
  let ready: DashboardState;

  it('the command opens one panel, and the page draws the data the extension posted (round trip)', async () => {
    handle = (await vscode.commands.executeCommand('lengthwise.showDashboard')) as DashboardHandle;
    assert.ok(handle?.panel, 'showDashboard returns the panel');
    assert.equal(handle.panel.viewType, 'lengthwise.dashboard');
    ready = await handle.ready;
    assert.equal(ready.open, true);
    const d = ready.posted!;
    const r = ready.rendered!;
    assert.ok(d && r, 'data posted and a drawing reported back');
    assert.equal(r.shownRecords, d.shownRecords);
    assert.ok(d.shownRecords >= 24, `the seeded sends are shown (${d.shownRecords})`);

    // Aggregates of the seeded preset.
    const short = section(d, SHORT)!;
    assert.equal(short.requests, 12);
    assert.equal(short.outputTokens, SHORT_OUTPUTS.reduce((s, x) => s + x, 0));
    assert.equal(short.inputTokens, 12 * 40);
    assert.equal(short.length.p95, 260);
    assert.equal(short.length.p50, 200);
    assert.equal(short.recommendation.kind, 'lower');
    assert.equal(short.recommendation.current, 1024);
    assert.equal(short.recommendation.suggested, 320);
    const long = section(d, LONG)!;
    assert.equal(long.length.truncatedShare, 1);
    assert.equal(long.recommendation.kind, 'raise');
    assert.equal(long.recommendation.suggested, 300);

    // What the page shows equals what was posted.
    const shortRow = rowOf(r.presetRows, SHORT);
    assert.equal(shortRow[1], '12');
    assert.equal(shortRow[4], short.outputTokens.toLocaleString('en-US'));
    assert.ok(shortRow[6].startsWith('$'), `a known cost: ${shortRow[6]}`);
    assert.deepEqual(shortRow.slice(-2), ['—', `0% of ${short.length.samples}`], 'truncated share with a length hint (none sent) and without');
    assert.deepEqual(rowOf(r.presetRows, LONG).slice(-2), ['—', `100% of ${long.length.samples}`]);
    const localRow = rowOf(r.modelRows, 'dash-local-model');
    assert.equal(localRow[6], 'unknown', 'an unknown price is shown as unknown, not $0');
    assert.equal(localRow[7], '—');
    const rec = r.recommendations.find((x) => x.preset === SHORT)!;
    assert.equal(rec.text, short.recommendation.text);
    assert.match(rec.text, /p95 is 260 tokens and nothing was truncated at 1,024 — set max tokens to 320/);
    assert.equal(rec.canApply, true);
    assert.equal(r.dayRows.length >= 1, true);
    assert.ok(r.charts.spendBars >= 2, 'bars stacked by model');
    assert.ok(r.charts.histograms >= 2, 'a histogram per preset with answers');
    assert.equal(r.charts.budgetLine, true, 'budget line drawn when lengthwise.budget.usd is set');
    assert.equal(r.charts.labelled, r.charts.total, 'every chart is labelled by its text summary');

    const again = (await vscode.commands.executeCommand('lengthwise.showDashboard')) as DashboardHandle;
    assert.equal(again.panel, handle.panel, 'one instance');
    await again.ready;
  });

  it('the range and workspace filters go through the page and back', async () => {
    const s7 = await click({ range: '7' });
    assert.equal(s7.rendered!.range, '7');
    assert.equal(s7.posted!.days.length, 7);
    const sAll = await click({ scope: 'all' });
    assert.equal(sAll.rendered!.scope, 'all');
    assert.equal(sAll.rendered!.range, '7');
    const back = await click({ scope: 'workspace' });
    assert.equal(back.rendered!.scope, 'workspace');
  });

  it('exports the shown records as CSV and JSONL', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lengthwise-export-'));
    const n = (await state()).posted!.shownRecords;
    const csv = (await vscode.commands.executeCommand('lengthwise.internal.dashboardExport', 'csv', path.join(dir, 'l.csv'))) as { path: string; records: number };
    assert.equal(csv.records, n);
    const lines = fs.readFileSync(csv.path, 'utf8').trimEnd().split('\r\n');
    assert.equal(lines.length, n + 1);
    assert.match(lines[0], /^id,chainId,round,time,/);
    assert.ok(lines.some((l) => l.includes(',dash-local-model,') && /,provider,,/.test(l)), 'unknown cost exported empty');
    const jsonl = (await vscode.commands.executeCommand('lengthwise.internal.dashboardExport', 'jsonl', path.join(dir, 'l.jsonl'))) as { path: string; records: number };
    const recs = fs.readFileSync(jsonl.path, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    assert.equal(recs.length, n);
    assert.equal(recs.filter((x) => x.preset === SHORT).length, 12);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  if (process.env.LENGTHWISE_HARNESS_URL) {
    it('screenshots in dark and light (media/dashboard-*.png with LENGTHWISE_SCREENSHOT_DIR=media)', async () => {
      const { screenshot } = await import('.');
      await vscode.commands.executeCommand('workbench.action.closeSidebar');
      await vscode.commands.executeCommand('workbench.action.closePanel');
      await vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar');
      // The seeding sends left notifications (a truncation, an unknown model): not part of the picture.
      await vscode.commands.executeCommand('notifications.clearAll');
      await click({ range: '7' });
      handle.panel.reveal(vscode.ViewColumn.One);
      for (const [theme, cls] of [
        ['Default Dark Modern', 'vscode-dark'],
        ['Default Light Modern', 'vscode-light'],
      ] as const) {
        await switchTheme(theme, cls);
        const kind = cls === 'vscode-dark' ? 'dark' : 'light';
        const files: (string | undefined)[] = [];
        for (const [at, name] of [
          ['top', `dashboard-${kind}`],
          ['tables', `dashboard-tables-${kind}`],
          ['lengths', `dashboard-lengths-${kind}`],
        ] as const) {
          await click({ scrollTo: at });
          files.push(await screenshot(name));
        }
        for (const f of files) assert.ok(f && fs.statSync(f).size > 10_000, `${f} written`);
      }
      await click({ scrollTo: 'top' });
      await vscode.workspace.getConfiguration('workbench').update('colorTheme', undefined, vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand('workbench.view.explorer'); // the layout the other suites start from
    });
  }

  it('applying a recommendation writes the workspace preset and says what changed', async () => {
    await click({ range: '30' });
    const cfg = () => vscode.workspace.getConfiguration('lengthwise');
    assert.equal(cfg().inspect<Record<string, unknown>>('presets')?.workspaceValue, undefined);
    const after = await click({ apply: SHORT });
    const ws = cfg().inspect<Record<string, { maxTokens?: number; description?: string }>>('presets')?.workspaceValue;
    assert.ok(ws, 'lengthwise.presets written to the workspace settings');
    assert.deepEqual(ws[SHORT], { maxTokens: 320 }, "only maxTokens is written: the user preset's other fields stay in the user's settings");
    assert.equal(cfg().inspect<Record<string, { description?: string }>>('presets')?.globalValue?.[SHORT].description, 'dashboard test: short answers');
    assert.equal(ws[LONG], undefined, 'other presets untouched');
    const file = JSON.parse(fs.readFileSync(path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, '.vscode', 'settings.json'), 'utf8'));
    assert.equal(file['lengthwise.presets'][SHORT].maxTokens, 320);
    assert.match(after.lastNotice ?? '', /preset "dash short": max tokens 1024 → 320/);
    // The panel now judges the new cap, from answers sent under it only (none yet): nothing left to apply.
    const s = section(after.posted, SHORT)!;
    assert.equal(s.recommendation.current, 320);
    assert.equal(s.recommendation.kind, 'insufficient');
    assert.match(s.recommendation.text, /not enough data yet at max tokens 320 — 0 of the 10 complete answers the rule needs; 12 answers under other caps \(1,024\) are not counted/);
    assert.equal(after.rendered!.recommendations.find((x) => x.preset === SHORT)!.canApply, false);
    // And the next send of the preset uses it.
    p.mock.onMessage('after apply', { content: 'ok', usage: usage(5, 5) });
    const r = await (await api()).send({ text: 'after apply', preset: SHORT });
    assert.equal(r.sent.maxTokens, 320);
    await cfg().update('presets', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('an open panel redraws when a new request is recorded', async () => {
    // The panel in front, the answer in an editor beside it (a hidden page is discarded, and redrawn when shown).
    const shown = vscode.commands.executeCommand('lengthwise.internal.dashboardNextReport') as Thenable<DashboardState>;
    handle.panel.reveal(vscode.ViewColumn.One);
    if (!handle.panel.visible) await shown;
    const doc = await vscode.workspace.openTextDocument({ content: 'beside the dashboard\n', language: 'markdown' });
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Two });
    assert.equal(handle.panel.visible, true);
    const before = (await state()).rendered!.shownRecords;
    const next = vscode.commands.executeCommand('lengthwise.internal.dashboardNextReport') as Thenable<DashboardState>;
    p.mock.onMessage('one more while the panel is open', { content: 'recorded', usage: usage(5, 5) });
    const r = await (await api()).send({ text: 'one more while the panel is open' });
    assert.equal(r.text, 'recorded');
    const after = await Promise.race([next, new Promise<never>((_, rej) => setTimeout(() => rej(new Error('the page did not redraw')), 10_000))]);
    assert.equal(after.rendered!.shownRecords, before + 1);
  });

  it('closed and opened again: a fresh single panel that draws again', async () => {
    handle.panel.dispose();
    assert.equal((await state()).open, false);
    const h = (await vscode.commands.executeCommand('lengthwise.showDashboard')) as DashboardHandle;
    assert.notEqual(h.panel, handle.panel);
    const s = await h.ready;
    assert.equal(s.open, true);
    assert.ok(s.rendered);
    h.panel.dispose();
  });
});

/** Switches the color theme and resolves when the page reports the theme's body class (VS Code sets it on a switch). */
async function switchTheme(theme: string, cls: string): Promise<void> {
  const has = (st: DashboardState) => !!st.rendered?.theme.split(/\s+/).includes(cls);
  if (has(await state())) return;
  let next = vscode.commands.executeCommand('lengthwise.internal.dashboardNextReport') as Thenable<DashboardState>;
  await vscode.workspace.getConfiguration('workbench').update('colorTheme', theme, vscode.ConfigurationTarget.Global);
  // Each report of the page is a class change; a switch may take more than one.
  for (let i = 0; i < 10; i++) {
    const st = await next;
    if (has(st)) return;
    next = vscode.commands.executeCommand('lengthwise.internal.dashboardNextReport') as Thenable<DashboardState>;
  }
  throw new Error(`the page never reported theme ${cls}`);
}
