// Try Preset on Examples (lengthwise.tryPreset): a preset run on a set of examples, live a few at a time or as a
// batch, its report (per example, the share cut, the distribution, the cost, the recommended max tokens) in the
// dashboard's Trials tab and as the command's result; a run again of the cut ones with a higher cap, a second preset
// or model on the same examples with the answers in a diff editor, and Apply into the preset where it is defined.
import * as vscode from 'vscode';
import { batchAttempts } from '../../core/generation/trial/batch';
import type { TrialExample } from '../../core/generation/trial/plan';
import { TRIAL_LIMITS, type TrialMode, type TrialRecord } from '../../core/generation/trial/record';
import type { BatchItemResult, BatchState } from '../../core/generation/jobs/batch';
import type { PendingBatch } from '../../core/generation/jobs/pending';
import { RefusedError } from '../../core/generation/summary';
import type { LedgerRecord } from '../../core/ledger/record';
import { allPresets } from '../../core/settings/presets';
import { trialLabel, trialReport, trialResult, type TrialResult } from '../../core/views/trialReport';
import { compareTrials } from '../../core/views/trialCompare';
import type { TrialAction, TrialsData } from '../../core/views/trialProtocol';
import type { Configuration } from '../config/configuration';
import { definedIn, writeMaxTokens } from '../config/presetWrite';
import { recordId } from '../send/ids';
import { TrialAnswers } from './answers';
import { parseArgs } from './args';
import { askPlan, pickPresets } from './ask';
import { submitTrialBatch, type BatchDeps } from './batch';
import { examplesFrom, pickExamples, readExample } from './examples';
import { runLive, type LiveDeps } from './live';
import { authorize, plans, prepare, type PrepareDeps, type Prepared, type TrialChange } from './prepare';
import { TrialStore } from './store';
import { pickComparison, refused, tellDone, tellSkipped, tellSubmitted } from './tell';

export interface TrialsDeps extends PrepareDeps, Omit<LiveDeps, 'store'>, Omit<BatchDeps, 'store'> {
  config: Configuration;
  state: vscode.Memento;
  /** Opens the dashboard on the Trials tab, at this trial. */
  showReport(id: string): void;
}

const declined = () => new RefusedError(vscode.l10n.t('Cancelled: nothing was chosen. Nothing was sent.'), 'declined');

export class Trials implements vscode.Disposable {
  readonly store: TrialStore;
  readonly answers: TrialAnswers;
  /** Trials sent as a batch in this window, resolved when their results are in. */
  private readonly waiting = new Map<string, (t: TrialRecord) => void>();
  private readonly subs: vscode.Disposable[];

  constructor(private readonly d: TrialsDeps) {
    this.store = new TrialStore(d.state);
    this.answers = new TrialAnswers(this.store);
    this.subs = [this.store, this.answers, vscode.workspace.registerTextDocumentContentProvider('lengthwise-trial', this.answers)];
  }

  private get deps(): TrialsDeps & { store: TrialStore } {
    return { ...this.d, store: this.store };
  }

  /** lengthwise.tryPreset: from the palette (asks), the Explorer (asks for the preset), or a script (asks nothing but the job rule). */
  async command(raw: unknown, more: unknown): Promise<TrialResult> {
    const args = parseArgs(raw, more);
    if (args.rerun !== undefined) return this.rerun(args.rerun, args.maxTokens, false);
    const fromScript = args.examples !== undefined;
    const ex = fromScript ? await examplesFrom(args.examples!) : args.uris ? await examplesFrom(args.uris) : await pickExamples();
    if (!ex) throw declined();
    tellSkipped(ex.skipped);
    let preset = args.preset;
    let compare = args.compareWith;
    if (!fromScript) {
      const p = await pickPresets(this.d.config);
      if (!p) throw declined();
      preset = p.first;
      if (p.second !== undefined) compare = { preset: p.second };
    }
    const first = await this.trial(ex.examples, preset, {}, { mode: args.mode, ask: !fromScript });
    if (!compare) {
      if (!fromScript) this.d.showReport(first.id);
      return first;
    }
    const second = await this.trial(ex.examples, compare.preset ?? first.preset, compare.model !== undefined ? { model: compare.model } : {}, { mode: first.mode, ask: !fromScript, comparedWith: first.id });
    await this.diff(second.id);
    if (!fromScript) this.d.showReport(second.id);
    return { ...first, comparison: second };
  }

  /** One trial: prepared, its plan shown (`ask`), through the door, then run; resolves when its results are in. */
  private async trial(examples: TrialExample[], preset: string | undefined, change: TrialChange, o: { mode?: TrialMode; ask: boolean; comparedWith?: string }): Promise<TrialResult> {
    const p = await prepare(this.d, examples, preset, change);
    let mode = o.mode ?? 'live';
    if (o.ask) {
      const { live, batch } = plans(p);
      const m = await askPlan(vscode.l10n.t('Lengthwise: try {0} on {1} examples?', trialLabel(p.preset, change.model), examples.length), live, batch);
      if (!m) throw declined();
      mode = m;
    }
    const pass = await authorize(this.d, p, mode, o.ask);
    const t: TrialRecord = {
      v: 1,
      id: recordId('t'),
      time: new Date().toISOString(),
      workspace: this.d.workspaceId,
      preset: p.preset,
      provider: p.s.provider,
      sentModel: p.s.model,
      maxTokens: p.s.maxTokens,
      mode,
      state: 'running',
      examples: examples.map((e) => ({ name: e.name, ...(e.uri ? { uri: e.uri } : {}), attempts: [] })),
    };
    if (change.model !== undefined) t.model = change.model;
    if (o.comparedWith) t.comparedWith = o.comparedWith;
    this.store.keepTexts(t.id, examples.map((e) => (e.uri ? undefined : e.text)));
    return this.execute(p, pass, t, examples.map((_, i) => i), mode);
  }

  /** Runs (live) or submits (batch) `p`'s requests for the examples `indexes` of `t`; resolves once their results are in. */
  private async execute(p: Prepared, pass: Awaited<ReturnType<typeof authorize>>, t: TrialRecord, indexes: number[], mode: TrialMode): Promise<TrialResult> {
    if (mode === 'live') {
      t.state = 'running';
      await runLive(this.deps, p, pass, t, indexes);
      this.d.events.fire('trial', { id: t.id });
      tellDone(t, (a) => this.act(a, t.id));
      return trialResult(trialReport(t));
    }
    const landed = new Promise<TrialRecord>((resolve) => this.waiting.set(t.id, resolve));
    try {
      await submitTrialBatch(this.deps, p, pass, t, indexes);
    } catch (e) {
      this.waiting.delete(t.id);
      throw e;
    }
    tellSubmitted(t, indexes.length);
    return trialResult(trialReport(await landed));
  }

  /** The cut examples of trial `id` again, at `maxTokens` (else twice the cap they were cut at). */
  async rerun(id: string, maxTokens: number | undefined, ask: boolean): Promise<TrialResult> {
    const t = this.find(id);
    if (t.state === 'running' || t.state === 'pending') throw refused(vscode.l10n.t('The trial of {0} is still running: wait for its results. Nothing was sent.', trialLabel(t.preset, t.model)));
    const report = trialReport(t);
    const offer = report.recommendation.rerun;
    if (!offer) throw refused(vscode.l10n.t('No answer of the trial of {0} was cut: there is nothing to run again.', trialLabel(t.preset, t.model)));
    const cap = maxTokens ?? offer.maxTokens;
    const p = await prepare(this.d, await this.examplesOf(t, offer.examples), t.preset, { ...(t.model !== undefined ? { model: t.model } : {}), maxTokens: cap });
    const before = Math.max(...offer.examples.map((i) => report.examples[i]!.maxTokens ?? 0));
    if (p.planned.every((x) => x.request.maxTokens <= before)) {
      throw refused(vscode.l10n.t('{0} cannot write more than {1} tokens in one answer: the cut examples cannot be run with a higher cap. Nothing was sent.', p.s.model, before));
    }
    let mode = t.mode;
    if (ask) {
      const { live, batch } = plans(p);
      const m = await askPlan(vscode.l10n.t('Lengthwise: run the {0} cut examples of {1} again at max tokens {2}?', offer.examples.length, trialLabel(t.preset, t.model), cap), live, batch);
      if (!m) throw declined();
      mode = m;
    }
    const pass = await authorize(this.d, p, mode, ask);
    return this.execute(p, pass, t, offer.examples, mode);
  }

  /** The examples of `t` at `indexes`, read again (files) or from this session's memory (selections). */
  private async examplesOf(t: TrialRecord, indexes: readonly number[]): Promise<TrialExample[]> {
    const out: TrialExample[] = [];
    for (const i of indexes) {
      const e = t.examples[i]!;
      const text = e.uri ? await readExample(vscode.Uri.parse(e.uri, true)) : this.store.textOf(t.id, i);
      if (text === undefined) throw refused(vscode.l10n.t('{0} was a selection, and its text is kept only in the window that ran the trial: select it again and run a new trial. Nothing was sent.', e.name));
      out.push({ name: e.name, ...(e.uri ? { uri: e.uri } : {}), text });
    }
    return out;
  }

  /** Another preset or model on the same examples (asked); the answers side by side in a diff editor. */
  async compare(id: string): Promise<TrialResult | undefined> {
    const t = this.find(id);
    const other = await pickComparison(this.d.config, t);
    if (!other) return undefined;
    const examples = await this.examplesOf(t, t.examples.map((_, i) => i));
    const r = await this.trial(examples, other.preset ?? t.preset, other.model !== undefined ? { model: other.model } : {}, { mode: t.mode, ask: true, comparedWith: t.id });
    await this.diff(r.id);
    this.d.showReport(r.id);
    return r;
  }

  /** Writes the recommendation into the preset where it is defined (user or workspace settings). */
  async apply(id: string): Promise<string> {
    const t = this.find(id);
    const label = trialLabel(t.preset, t.model);
    const value = trialReport(t).recommendation.maxTokens;
    if (value === null) throw new Error(vscode.l10n.t('the trial of {0} has no recommendation to apply.', label));
    if (t.model !== undefined) throw new Error(vscode.l10n.t("this trial sent the model {0}, not the preset's own: its lengths say nothing about the preset as it is.", t.model));
    const cfg = this.d.config.read();
    if (t.preset !== '' && !allPresets(cfg.userPresets).presets.some((p) => p.name === t.preset)) throw new Error(vscode.l10n.t('the preset "{0}" is no longer defined.', t.preset));
    const before = this.d.config.resolve(undefined, { preset: t.preset }).resolved.settings.maxTokens;
    const where = definedIn(this.d.config, t.preset);
    await writeMaxTokens(this.d.config, t.preset, value, where);
    const place = where === 'user' ? vscode.l10n.t('your user settings') : vscode.l10n.t("this workspace's settings (.vscode/settings.json)");
    const text = t.preset === '' ? vscode.l10n.t('lengthwise.maxTokens {0} → {1} in {2}.', before, value, place) : vscode.l10n.t('preset "{0}": max tokens {1} → {2} in {3} (lengthwise.presets).', t.preset, before, value, place);
    t.applied = { maxTokens: value, where };
    await this.store.put(t);
    this.d.log.info(`try preset: applied ${text}`);
    void vscode.window.showInformationMessage(vscode.l10n.t('Lengthwise: {0}', text));
    return text;
  }

  /** The answers of `id` beside those of the trial it was compared with. */
  async diff(id: string): Promise<void> {
    const b = this.find(id);
    const a = b.comparedWith ? this.store.get(b.comparedWith) : undefined;
    if (!a) throw new Error(vscode.l10n.t('the trial of {0} was not compared with another.', trialLabel(b.preset, b.model)));
    await this.answers.diff(a, b);
  }

  /** A button of the dashboard's Trials tab or of a notification; resolves with what to tell. */
  async act(action: TrialAction, id: string): Promise<string | undefined> {
    switch (action) {
      case 'apply':
        return this.apply(id);
      case 'rerun':
        return (await this.rerun(id, undefined, true)).text;
      case 'compare':
        return (await this.compare(id))?.text;
      case 'answers':
        await this.answers.open(this.find(id));
        return undefined;
      case 'diff':
        await this.diff(id);
        return undefined;
      case 'remove':
        await this.store.remove(id);
        return undefined;
    }
  }

  /** What the dashboard's Trials tab shows: every kept trial's report, and each comparison. */
  view(): TrialsData {
    const reports = this.store.list().map(trialReport);
    const byId = new Map(reports.map((r) => [r.id, r]));
    const comparisons = reports.flatMap((b) => {
      const a = b.comparedWith ? byId.get(b.comparedWith) : undefined;
      return a ? [compareTrials(a, b)] : [];
    });
    return { reports, comparisons };
  }

  /** The tracker ended a trial's batch: its results become the examples' attempts. */
  landed(p: PendingBatch, byItem: readonly (BatchItemResult | undefined)[], records: readonly LedgerRecord[], ended: BatchState): void {
    const link = p.trial!;
    const t = this.store.get(link.id);
    if (!t) {
      this.d.log.warn(`try preset: the results of batch ${p.handle.id} arrived for trial ${link.id}, which is no longer kept; they are in the ledger`);
      return;
    }
    const { attempts, texts } = batchAttempts(p.jobId, link.maxTokens, byItem, records, ended);
    link.examples.forEach((example, i) => {
      t.examples[example]?.attempts.push(attempts[i]!);
      this.store.setAnswer(t.id, example, texts[i]);
    });
    t.state = ended === 'cancelled' ? 'cancelled' : 'done';
    delete t.batchJobId;
    for (const r of records) this.d.session.add(1, r.costUsd, r.costSource);
    void this.store.put(t).then(() => {
      this.d.events.fire('trial', { id: t.id });
      tellDone(t, (a) => this.act(a, t.id));
      this.waiting.get(t.id)?.(t);
      this.waiting.delete(t.id);
    });
  }

  private find(id: string): TrialRecord {
    const t = this.store.get(id);
    if (!t) throw refused(vscode.l10n.t('There is no trial "{0}" (the {1} newest are kept).', id, TRIAL_LIMITS.trials));
    return t;
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
  }
}
