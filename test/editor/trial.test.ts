// Try Preset on Examples in the real host, against the real llama-server (test/servers/llama.mjs: its model answers
// " Hello from llama." over and over, and the server applies max_tokens and stop itself): a roomy preset (the stop
// ends every answer at 4 tokens: nothing cut, a recommendation just above the longest answer), a tight one (cut at
// 3: no recommendation from cut lengths, the offer, then the cut ones again at twice the cap), cancel mid-trial,
// Apply into the preset where it is defined, two presets side by side with the answers in a diff editor, the
// dashboard's Trials tab and its filter; a batch at half price against aimock; and the README's screenshot.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PendingBatch } from '../../src/core/generation/jobs/pending';
import type { TrialResult } from '../../src/core/views/trialReport';
import type { TrialsData } from '../../src/core/views/trialProtocol';
import type { ClickTarget } from '../../src/core/views/dashboardProtocol';
import type { DashboardHandle, DashboardState } from '../../src/extension/dashboard';
import { batchPrice } from '../../src/core/pricing/batch';
import { costOf, findPrice } from '../../src/core/pricing/cost';
import { ensureLlama, startLlama } from '../servers/llama.mjs';
import { ledgerLineCount, ledgerLines, poll, waitForUi } from './harness';
import { closeAll, ledgerFile, resetSettings, setSettings, startProvider, usage, type Provider } from './util';

const workspace = () => vscode.workspace.workspaceFolders![0].uri.fsPath;
const tryPreset = async (args: unknown) => (await vscode.commands.executeCommand('lengthwise.tryPreset', args)) as TrialResult | undefined;
const trials = async () => (await vscode.commands.executeCommand('lengthwise.internal.trials')) as TrialsData;
const click = async (control: ClickTarget) => (await vscode.commands.executeCommand('lengthwise.internal.dashboardClick', control)) as DashboardState;
const cfg = () => vscode.workspace.getConfiguration('lengthwise');
/**
 * Opens the dashboard on a trial and resolves once the page shows it: a redraw already on its way (a trial that just
 * ended redraws the panel) may come first, so `ready` alone can be the drawing before.
 */
async function showTrial(id: string): Promise<NonNullable<NonNullable<DashboardState['rendered']>['trials']>> {
  await vscode.commands.executeCommand('lengthwise.showDashboard', { trial: id });
  const s = await poll(async () => vscode.commands.executeCommand<DashboardState>('lengthwise.internal.dashboardState'), (x) => x.rendered?.trials?.shown === id, `the page showing trial ${id}`);
  return s.rendered!.trials!;
}
/** lengthwise.pricing for the local model, so the costs are figures (per million tokens). */
const PRICE = { input: 1, output: 2 };
const costOfTokens = (input: number, output: number) => (input * PRICE.input + output * PRICE.output) / 1e6;
const near = (a: number | null, b: number | null, what: string) => assert.ok(a !== null && b !== null && Math.abs(a - b) < 1e-15, `${what}: ${a} vs ${b}`);

type End = { kind: string; id: string; jobId?: string; part?: number; trial?: boolean; preset?: string; batch?: boolean; maxTokens: number; usage: { inputTokens: number; outputTokens: number }; costUsd: number | null; finish: { reason: string } };
const trialEnds = (file: string, from: number, jobId: string) => (ledgerLines(file, from) as End[]).filter((l) => l.kind === 'end' && l.jobId === jobId);

/** Writes the prompt files under the workspace folder; returns their workspace-relative paths. */
function writePrompts(dir: string, texts: string[]): string[] {
  fs.mkdirSync(path.join(workspace(), dir), { recursive: true });
  return texts.map((t, i) => {
    const rel = `${dir}/p${String(i + 1).padStart(2, '0')}.md`;
    fs.writeFileSync(path.join(workspace(), rel), t);
    return rel;
  });
}

describe('try preset: a preset on examples, against the real llama-server', function () {
  this.timeout(180_000);
  let llama: { url: string; stop(): Promise<void> };
  let file: string;
  let from: number;
  let files: string[];

  before(async () => {
    await ensureLlama();
    llama = await startLlama({ ctxSize: 2048 });
    await resetSettings();
    files = writePrompts('trial-prompts', ['Summarise the refund policy for a customer.', 'Write a short welcome message for a new user.', 'Explain what a token is, in one sentence.']);
    await setSettings({
      provider: 'openai-compatible',
      baseUrl: `${llama.url}/v1`,
      model: 'tiny',
      pricing: { tiny: PRICE },
      presets: {
        roomy: { maxTokens: 200, stopSequences: ['llama.'], description: 'trial test: room to end' },
        tight: { maxTokens: 3, stopSequences: ['llama.'] },
        endless: { maxTokens: 1500 },
      },
    });
  });

  beforeEach(async () => {
    file = await ledgerFile();
    from = ledgerLineCount(file);
  });

  after(async () => {
    await llama?.stop();
    fs.rmSync(path.join(workspace(), 'trial-prompts'), { recursive: true, force: true });
    await closeAll();
    await resetSettings();
  });

  it('a roomy preset: nothing is cut, the recommendation is just above the longest answer, every request is in the ledger as a trial', async () => {
    const r = (await tryPreset({ examples: files, preset: 'roomy' }))!;
    assert.equal(r.state, 'done');
    assert.deepEqual(r.examples.map((e) => [e.file, e.outputTokens, e.finish]), files.map((f) => [f, 4, { reason: 'stop', truncated: false }]));
    assert.equal(r.truncatedShare, 0);
    // The longest complete answer is 4 tokens: 4 × 1.2 = 4.8 → 5.
    assert.equal(r.recommendedMaxTokens, 5);
    assert.match(r.text, /^Recommended max tokens: 5 = the longest complete answer \(4 tokens of 3 answers\) \+ 20%, rounded up\. The preset's cap is 200 now\.$/);
    assert.equal(r.rerun, null);
    const ends = trialEnds(file, from, r.id);
    assert.equal(ends.length, 3, 'one ledger record per example');
    for (const e of ends) {
      assert.equal(e.trial, true, 'tagged as a trial');
      assert.equal(e.preset, 'roomy');
      assert.equal(e.maxTokens, 200);
      near(e.costUsd, costOfTokens(e.usage.inputTokens, e.usage.outputTokens), 'the cost at lengthwise.pricing');
    }
    // The figures of the report are the ledger's.
    assert.deepEqual(r.examples.map((e) => e.costUsd), ends.map((e) => e.costUsd));
    assert.ok(Math.abs(r.costUsd! - ends.reduce((a, e) => a + e.costUsd!, 0)) < 1e-15);
    await waitForUi((u) => u.notifications.some((n) => n.message.startsWith('Lengthwise: roomy on 3 examples: 0 of 3 cut (0%); ') && n.buttons.includes('Apply 5')), 'the outcome with Apply');
  });

  it('a tight preset: every answer is cut, nothing is recommended from cut lengths, the offer runs them again at twice the cap', async () => {
    const r = (await tryPreset({ examples: ['trial-prompts/*.md'], preset: 'tight' }))!;
    assert.deepEqual(r.examples.map((e) => [e.outputTokens, e.finish.truncated, e.maxTokens]), files.map(() => [3, true, 3]));
    assert.equal(r.truncatedShare, 1);
    assert.equal(r.recommendedMaxTokens, null);
    assert.match(r.text, /^3 of 3 answers were cut at max tokens 3: their true length is unknown \(at least 3 tokens\), so nothing is recommended from cut lengths\. Run the cut examples again at max tokens 6/);
    assert.deepEqual(r.rerun, { examples: 3, maxTokens: 6 });
    await waitForUi((u) => u.notifications.some((n) => n.buttons.includes('Run the 3 cut again at 6')), 'the offer to run the cut ones again');
    const again = (await tryPreset({ rerun: r.id }))!;
    assert.equal(again.id, r.id, 'the same trial, measured again');
    assert.deepEqual(again.examples.map((e) => [e.outputTokens, e.finish, e.maxTokens, e.attempts]), files.map(() => [4, { reason: 'stop', truncated: false }, 6, 2]));
    assert.equal(again.recommendedMaxTokens, 5);
    const ends = trialEnds(file, from, r.id);
    assert.deepEqual(ends.map((e) => e.maxTokens).sort(), [3, 3, 3, 6, 6, 6], 'both runs are in the ledger');
    assert.ok(Math.abs(again.costUsd! - ends.reduce((a, e) => a + e.costUsd!, 0)) < 1e-15, 'the cost counts both runs');
  });

  it('cancel mid-trial: the finished example is kept, the running ones end cancelled with their spend recorded, the rest are not sent', async () => {
    const four = writePrompts('trial-prompts/long', ['one', 'two', 'three', 'four']);
    const running = tryPreset({ examples: four, preset: 'endless' });
    // The first answer (1,500 tokens, about 3 s) ends; then cancel, as the keybinding would.
    const first = await poll(() => (ledgerLines(file, from) as End[]).filter((l) => l.kind === 'end' && l.trial && l.preset === 'endless'), (l) => l.length >= 1, 'the first finished example', 60_000, 50);
    assert.equal(await vscode.commands.executeCommand('lengthwise.cancel'), 1);
    const r = (await running)!;
    assert.equal(r.state, 'cancelled');
    const done = r.examples.filter((e) => e.finish.reason === 'length');
    assert.equal(done.length, 1, JSON.stringify(r.examples));
    assert.deepEqual(done[0], { file: done[0].file, outputTokens: 1500, finish: { reason: 'length', truncated: true }, costUsd: first[0].costUsd, durationMs: done[0].durationMs, maxTokens: 1500, attempts: 1 });
    const cancelled = r.examples.filter((e) => e.finish.reason === 'cancelled' && e.attempts === 1);
    const notSent = r.examples.filter((e) => e.attempts === 0);
    assert.ok(cancelled.length >= 1 && notSent.length >= 1, JSON.stringify(r.examples));
    for (const e of notSent) assert.deepEqual([e.outputTokens, e.costUsd], [0, 0], 'never sent: nothing spent');
    const ends = await poll(() => trialEnds(file, from, r.id), (l) => l.length === 1 + cancelled.length, 'a record for every request that went out');
    for (const c of cancelled) {
      const rec = ends.find((e) => e.part === r.examples.indexOf(c) + 1)!;
      assert.equal(rec?.finish.reason, 'cancelled', 'the cancelled request is in the ledger');
      near(c.costUsd, costOfTokens(rec.usage.inputTokens, rec.usage.outputTokens), 'the cancelled request costs what it used');
    }
    // The report says what happened and recommends nothing from the one (cut) answer.
    assert.equal(r.recommendedMaxTokens, null);
    const report = (await trials()).reports.find((x) => x.id === r.id)!;
    assert.equal(report.counts.cancelled + report.counts['not run'], 3);
  });

  it('apply: the recommendation goes into the preset where it is defined — the user settings, or the workspace for a workspace preset', async () => {
    const r = (await tryPreset({ examples: files, preset: 'roomy' }))!;
    const shown = await showTrial(r.id);
    assert.equal(shown.tab, 'trials');
    assert.ok(shown.buttons.includes('apply'), shown.buttons.join());
    await click({ trial: { action: 'apply', id: r.id } });
    await poll(() => cfg().inspect<Record<string, { maxTokens?: number }>>('presets')?.globalValue?.roomy?.maxTokens, (v) => v === 5, 'the user preset written');
    const user = cfg().inspect<Record<string, Record<string, unknown>>>('presets')!;
    assert.deepEqual(user.globalValue!.roomy, { maxTokens: 5, stopSequences: ['llama.'], description: 'trial test: room to end' }, 'only maxTokens changes');
    assert.equal(user.workspaceValue, undefined, 'nothing written to the workspace');
    // The panel says what changed (once the write is done).
    await poll(async () => (await vscode.commands.executeCommand<DashboardState>('lengthwise.internal.dashboardState')).lastNotice ?? '', (t) => t.includes('preset "roomy": max tokens 200 → 5 in your user settings (lengthwise.presets).'), 'the notice of what changed');
    await waitForUi((u) => u.notifications.some((n) => n.message === 'Lengthwise: preset "roomy": max tokens 200 → 5 in your user settings (lengthwise.presets).'), 'the notification of what changed');
    // A preset the workspace defines is written there.
    await setSettings({ presets: { 'ws roomy': { maxTokens: 300, stopSequences: ['llama.'] } } }, vscode.ConfigurationTarget.Workspace);
    const w = (await tryPreset({ examples: files, preset: 'ws roomy' }))!;
    // The tab shows one trial at a time: this one, then its Apply.
    await showTrial(w.id);
    await click({ trial: { action: 'apply', id: w.id } });
    await poll(() => cfg().inspect<Record<string, { maxTokens?: number }>>('presets')?.workspaceValue?.['ws roomy']?.maxTokens, (v) => v === 5, 'the workspace preset written');
    const settings = JSON.parse(fs.readFileSync(path.join(workspace(), '.vscode', 'settings.json'), 'utf8'));
    assert.equal(settings['lengthwise.presets']['ws roomy'].maxTokens, 5);
    assert.equal(cfg().inspect<Record<string, unknown>>('presets')!.globalValue!['ws roomy'], undefined);
    await cfg().update('presets', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('two presets on the same examples, side by side, with the answers in a diff editor', async () => {
    const r = (await tryPreset({ examples: files, preset: 'roomy', compareWith: { preset: 'tight' } }))!;
    assert.equal(r.recommendedMaxTokens !== null, true);
    assert.equal(r.comparison?.preset, 'tight');
    assert.equal(r.comparison?.truncatedShare, 1);
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab?.input instanceof vscode.TabInputTextDiff, `a diff editor: ${tab?.label}`);
    const input = tab.input as vscode.TabInputTextDiff;
    assert.equal(input.original.scheme, 'lengthwise-trial');
    const left = (await vscode.workspace.openTextDocument(input.original)).getText();
    const right = (await vscode.workspace.openTextDocument(input.modified)).getText();
    assert.match(left, /## trial-prompts\/p01\.md — 4 output tokens, stop\n\n Hello from \n/);
    // The cut answer ends where the server stopped sending: it holds back "llama", which could start the stop "llama.".
    assert.match(right, /## trial-prompts\/p01\.md — 3 output tokens, cut at max tokens \(3\)\n\n Hello from\n/);
    const shown = await showTrial(r.comparison!.id);
    assert.deepEqual(shown.comparisonRows.map((x) => [x[0], x[1], x[3]]), files.map((f) => [f, '4', '3']));
  });

  it('from the palette: the examples by a pattern, two presets picked to compare, the plan shown first with live or batch; the report opens', async () => {
    // The questions are answered in code (the test window refuses modal dialogs); what they asked is recorded.
    const asked: string[] = [];
    const win = vscode.window as unknown as Record<string, (...a: unknown[]) => unknown>;
    const original = { quick: win.showQuickPick, input: win.showInputBox, info: win.showInformationMessage };
    win.showQuickPick = async (items: unknown, o: unknown) => {
      const list = (await items) as (vscode.QuickPickItem & { preset?: string; source?: string })[];
      asked.push(`pick: ${(o as vscode.QuickPickOptions).title}`);
      if ((o as vscode.QuickPickOptions).canPickMany) return list.filter((i) => i.preset === 'roomy' || i.preset === 'tight');
      return list.find((i) => i.source === 'glob');
    };
    win.showInputBox = async (o: unknown) => {
      asked.push(`input: ${(o as vscode.InputBoxOptions).prompt} [${(o as vscode.InputBoxOptions).value}]`);
      return 'trial-prompts/*.md';
    };
    win.showInformationMessage = (...a: unknown[]) => {
      const o = a[1] as { modal?: boolean; detail?: string } | undefined;
      if (typeof o !== 'object' || !o?.modal) return original.info.apply(vscode.window, a);
      asked.push(`plan: ${String(a[0])}\n${o.detail}\n[${a.slice(2).join(' | ')}]`);
      return Promise.resolve('Run live');
    };
    let r: TrialResult;
    try {
      r = (await vscode.commands.executeCommand<TrialResult>('lengthwise.tryPreset'))!;
    } finally {
      Object.assign(win, { showQuickPick: original.quick, showInputBox: original.input, showInformationMessage: original.info });
    }
    assert.equal(asked[0], 'pick: Lengthwise: Try Preset on Examples — which examples?');
    assert.equal(asked[1], 'input: Files to try the preset on, each one prompt: a glob relative to the workspace folder. [prompts/**/*.md]');
    assert.equal(asked[2], 'pick: Lengthwise: Try Preset on Examples — which preset? (pick two to compare them)');
    // The plan of each preset before anything is sent: requests, tokens, worst case; no batch API on this server.
    const plans = asked.filter((q) => q.startsWith('plan: '));
    assert.equal(plans.length, 2);
    assert.match(plans[0], /^plan: Lengthwise: try roomy on 3 examples\?\nLive: Try Preset: 3 requests, [\d,]+ input tokens, worst case \$[\d.]+\.\n\nThis provider has no batch API Lengthwise can use: live only\.\n\nEvery request goes into the spend ledger, tagged as a trial\.\n\[Run live\]$/);
    assert.match(plans[1], /^plan: Lengthwise: try tight on 3 examples\?/);
    assert.deepEqual([r.preset, r.recommendedMaxTokens, r.comparison?.preset, r.comparison?.recommendedMaxTokens], ['roomy', 5, 'tight', null]);
    // The report opens on the second trial, side by side with the first.
    const state = await poll(async () => vscode.commands.executeCommand<DashboardState>('lengthwise.internal.dashboardState'), (x) => x.rendered?.trials?.shown === r.comparison!.id, 'the report of the comparison');
    assert.equal(state.rendered!.trials!.comparisonRows.length, 3);
  });

  it("the dashboard's filter leaves trial requests out of the spend and length views; the budget still counts them", async () => {
    await setSettings({ 'budget.usd': 10 });
    await ((await vscode.commands.executeCommand('lengthwise.showDashboard')) as DashboardHandle).ready;
    await click({ tab: 'spend' });
    await click({ range: 'all' });
    // Other redraws (a trial's) may come first: wait for the one of each press.
    const posted = (pred: (d: NonNullable<DashboardState['posted']>) => boolean, what: string) =>
      poll(async () => (await vscode.commands.executeCommand<DashboardState>('lengthwise.internal.dashboardState')).posted!, (d) => !!d && pred(d), what);
    const before = await posted((d) => d.range === 'all', 'all time');
    assert.ok(before.trials.requests > 0 && !before.trials.hidden, JSON.stringify(before.trials));
    await click({ trialFilter: true });
    const hidden = await posted((d) => d.trials.hidden, 'trials hidden');
    assert.equal(hidden.shownRecords, before.shownRecords - before.trials.requests);
    assert.equal(hidden.trials.requests, before.trials.requests, 'still counted, to say how many are left out');
    assert.ok(before.budget && before.budget.spentUsd > 0);
    assert.equal(hidden.budget?.spentUsd, before.budget.spentUsd, 'the budget counts the trials whatever the view');
    // The page says how many it leaves out.
    await poll(
      async () => (await vscode.commands.executeCommand<DashboardState>('lengthwise.internal.dashboardState')).rendered?.summaryText ?? '',
      (t) => t.endsWith(`; ${before.trials.requests} requests of Try Preset left out (Include trial requests shows them).`),
      'the summary naming the trial requests left out',
    );
    await click({ trialFilter: true });
    const shown = await posted((d) => !d.trials.hidden, 'trials shown again');
    assert.equal(shown.shownRecords, before.shownRecords);
    await setSettings({ 'budget.usd': undefined });
  });
});

describe('try preset: as a batch at half price', function () {
  this.timeout(90_000);
  let p: Provider;
  let files: string[];
  const batches = async () => (await vscode.commands.executeCommand('lengthwise.internal.batches')) as { pending: PendingBatch[] };

  before(async () => {
    await resetSettings();
    // A batch is its own tier: lengthwise.serviceTier "flex" must not go with its requests (as with Send as Batch).
    p = await startProvider('openai', { maxTokens: 100, serviceTier: 'flex' });
    files = writePrompts('trial-batch', ['first prompt', 'second prompt']);
  });
  after(async () => {
    await p.stop();
    fs.rmSync(path.join(workspace(), 'trial-batch'), { recursive: true, force: true });
    await resetSettings();
  });

  it('the results arrive later and complete the report; recorded at the batch price, tagged as a trial; nothing lands in a document', async () => {
    const file = await ledgerFile();
    const from = ledgerLineCount(file);
    const running = tryPreset({ examples: files, preset: '', mode: 'batch' });
    const pending = await poll(batches, (b) => b.pending.some((x) => x.trial), 'the pending trial batch', 20_000, 50);
    const batch = pending.pending.find((x) => x.trial)!;
    assert.deepEqual(batch.trial!.examples, [0, 1]);
    // The uploaded request lines, read back from aimock's file store: no service_tier in any.
    const listed = (await (await fetch(`${p.mock.url}/v1/files?purpose=batch`)).json()) as { data: { id: string }[] };
    const uploaded = await Promise.all(listed.data.map(async (f) => (await fetch(`${p.mock.url}/v1/files/${f.id}/content`)).text()));
    // The emulator's file store may hold earlier suites' batches too: this trial's lines carry its two prompts.
    const ours = (l: string) => l.includes('first prompt') || l.includes('second prompt');
    const lines = uploaded.flatMap((t) => t.split('\n').filter(ours)).map((l) => JSON.parse(l) as { body: Record<string, unknown> });
    assert.equal(lines.length, 2);
    assert.deepEqual(lines.map((l) => l.body.service_tier), [undefined, undefined]);
    // aimock ends a batch on its second retrieve: check until it lands.
    await poll(async () => (await vscode.commands.executeCommand('lengthwise.showBatches', batch.jobId, 'check'), (await batches()).pending.length), (n) => n === 0, 'the batch landed', 30_000, 200);
    const r = (await running)!;
    assert.equal(r.mode, 'batch');
    assert.equal(r.state, 'done');
    assert.deepEqual(r.examples.map((e) => [e.file, e.outputTokens, e.finish]), files.map((f) => [f, 1, { reason: 'stop', truncated: false }]));
    const half = batchPrice(findPrice('openai', 'gpt-4.1-mini'), 'openai');
    const ends = trialEnds(file, from, batch.jobId);
    assert.equal(ends.length, 2);
    for (const e of ends) {
      assert.deepEqual([e.trial, e.batch], [true, true]);
      assert.equal(e.costUsd, costOf(e.usage, half));
    }
    assert.deepEqual(r.examples.map((e) => e.costUsd), ends.map((e) => e.costUsd));
    assert.equal(r.recommendedMaxTokens, 2);
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.getText().includes('Mock batch completion') && d.uri.scheme !== 'lengthwise-trial'), 'no answer was inserted anywhere');
  });
});

if (process.env.LENGTHWISE_HARNESS_URL) {
  describe('try preset: the report for the README', function () {
    this.timeout(120_000);
    let p: Provider;
    // Ten prompts of a support assistant whose answers run from 150 to 610 output tokens (more would be a job the
    // door asks about: its worst case over 10× one request's).
    const outputs = [150, 190, 240, 280, 310, 340, 390, 450, 520, 610];

    before(async () => {
      await resetSettings();
      p = await startProvider('openai', { presets: { 'support reply': { maxTokens: 1024, systemPrompt: 'Answer the customer kindly.' } } });
    });
    after(async () => {
      await p.stop();
      fs.rmSync(path.join(workspace(), 'prompts'), { recursive: true, force: true });
      await vscode.workspace.getConfiguration('workbench').update('colorTheme', undefined, vscode.ConfigurationTarget.Global);
      await closeAll();
      await resetSettings();
    });

    it('screenshot of a trial report (media/trial-report.png with LENGTHWISE_SCREENSHOT_DIR=media)', async () => {
      const { screenshot } = await import('.');
      const texts = outputs.map((_, i) => `Customer question #${i + 1}: where is my order?`);
      outputs.forEach((out, i) => p.mock.onMessage(texts[i]!, { content: `Reply ${i + 1}`, usage: usage(120, out) }));
      const prompts = writePrompts('prompts', texts);
      const r = (await tryPreset({ examples: prompts, preset: 'support reply' }))!;
      assert.equal(r.recommendedMaxTokens, 740); // 610 × 1.2 = 732 → 740
      await vscode.commands.executeCommand('workbench.action.closeSidebar');
      await vscode.commands.executeCommand('workbench.action.closePanel');
      await vscode.commands.executeCommand('notifications.clearAll');
      await vscode.workspace.getConfiguration('workbench').update('colorTheme', 'Default Dark Modern', vscode.ConfigurationTarget.Global);
      await showTrial(r.id);
      await poll(async () => vscode.commands.executeCommand<DashboardState>('lengthwise.internal.dashboardState'), (s) => s.rendered?.theme.includes('vscode-dark') === true, 'the dark theme on the page');
      // The trial's own section at the top: its recommendation, the chart, the first examples.
      await click({ scrollTo: 'trial' });
      await vscode.commands.executeCommand('notifications.clearAll');
      await waitForUi((u) => u.notifications.length === 0, 'no notification over the report');
      const shot = await screenshot('trial-report');
      assert.ok(shot && fs.statSync(shot).size > 10_000, `${shot} written`);
      await vscode.commands.executeCommand('workbench.view.explorer');
    });
  });
}
