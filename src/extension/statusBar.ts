// Draws the status bar item: idle (preset · selection tokens · worst-case cost), streaming (tokens/max · cost ·
// tok/s, at most ~10 updates a second), finished (provider numbers, warning look when truncated).
// Every number comes from core; this file only decides when to draw.
import * as vscode from 'vscode';
import type { MeterSnapshot } from '../core/generation/meter';
import type { RunEvents } from './send/events';
import { doneText, idleText, jobText, streamingText, tooltipMarkdown, type DoneInfo, type IdleInfo, type SessionInfo, type TooltipInfo } from '../core/views/statusText';
import { AnswerHold } from '../core/views/answerHold';

const STREAM_REDRAW_MS = 100;

/** The walkthrough in package.json contributes.walkthroughs, as `publisher.name#id`. */
export const WALKTHROUGH = 'lengthwise.lengthwise#lengthwise.start';

export class StatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly live = new Map<string, () => MeterSnapshot>();
  /** Why a run's max tokens is lower than set ("budget cap"), by run. */
  private readonly caps = new Map<string, string>();
  /** Live jobs (chunks, summarize-first): their progress message. */
  private readonly jobs = new Map<string, string>();
  private latest: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private idle: IdleInfo = { selectionExact: true };
  private done: DoneInfo | undefined;
  private tooltip: TooltipInfo | undefined;
  /** Keeps the last answer's numbers until the user selects or edits something after it ended. */
  private readonly hold = new AnswerHold();

  constructor(private readonly session: () => SessionInfo = () => ({ usd: null, requests: 0 })) {
    this.item = vscode.window.createStatusBarItem('lengthwise.meter', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'Lengthwise';
    this.item.command = 'lengthwise.selectPreset';
    this.drawIdle();
    this.item.show();
  }

  get text(): string {
    return this.item.text;
  }

  setIdle(info: IdleInfo, tooltip?: TooltipInfo): void {
    this.idle = info;
    if (this.live.size || this.jobs.size) return;
    // The last answer's numbers (and its truncation warning) stay until the user selects or edits something, or
    // changes the settings, after it ended (noteSelection, noteEdit, noteSettings).
    if (this.done && this.hold.holding) return;
    if (tooltip) this.tooltip = tooltip;
    this.done = undefined;
    this.hold.release();
    this.drawIdle();
  }

  /** A selection change the editor reported at `at`; true when it gives the meter back (then re-measure). */
  noteSelection(at: number, editor: vscode.TextEditor | undefined): boolean {
    return this.hold.selectionChanged(at, selectionKeys(editor));
  }

  /** A document edit reported at `at`; true when it ended a hold (then re-measure). */
  noteEdit(at: number): boolean {
    return this.hold.holding && this.hold.edited(at);
  }

  /** The settings changed at `at`: a changed preset or model replaces the last answer's numbers. */
  noteSettings(at: number): void {
    this.hold.settingsChanged(at);
  }

  /** A request started: `snap` is read at redraw time (throttled). */
  startRun(id: string, snap: () => MeterSnapshot, cap?: string): void {
    this.live.set(id, snap);
    if (cap) this.caps.set(id, cap);
    this.latest = id;
    this.done = undefined;
    this.hold.release();
    this.redrawLive();
    this.timer ??= setInterval(() => this.redrawLive(), STREAM_REDRAW_MS);
  }

  /** Redraw soon (a retry wait starts, the first token arrives). */
  poke(): void {
    if (this.live.size) this.redrawLive();
  }

  endRun(id: string, done: DoneInfo, tooltip: TooltipInfo): void {
    this.live.delete(id);
    this.caps.delete(id);
    this.tooltip = tooltip;
    if (this.latest === id) this.latest = [...this.live.keys()].pop();
    if (this.live.size === 0) {
      if (this.timer) clearInterval(this.timer);
      this.timer = undefined;
      this.done = done;
      // Send leaves the prompt selected: that selection (and any event from before now) does not end the hold.
      this.hold.ended(Date.now(), selectionKeys(vscode.window.activeTextEditor));
      this.drawDone();
    } else this.redrawLive();
  }

  /** A run failed without a summary: drop its live numbers. */
  dropRun(id: string): void {
    if (!this.live.delete(id)) return;
    this.caps.delete(id);
    if (this.latest === id) this.latest = [...this.live.keys()].pop();
    if (this.live.size) return this.redrawLive();
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.drawIdle();
  }

  /** Draws every run the controller reports: live while streaming, the provider numbers when it ends. */
  follow(events: RunEvents): vscode.Disposable {
    return vscode.Disposable.from(
      events.on('started', (e) => this.startRun(e.runId, e.snapshot, e.cap)),
      events.on('retry', () => this.poke()),
      events.on('finished', (e) => this.endRun(e.runId, e.done, e.tooltip)),
      events.on('failed', (e) => this.dropRun(e.runId)),
      events.on('jobProgress', (e) => this.jobProgress(e.runId, e.text)),
    );
  }

  /** A live job's progress; undefined: it ended (its total is in the session figure of the idle text). */
  private jobProgress(id: string, text: string | undefined): void {
    if (text !== undefined) this.jobs.set(id, text);
    else if (!this.jobs.delete(id)) return;
    if (this.live.size) return this.redrawLive();
    const last = [...this.jobs.values()].pop();
    if (last === undefined) return this.drawIdle();
    this.item.text = jobText(last, this.jobs.size);
    this.item.backgroundColor = undefined;
    this.item.command = 'lengthwise.cancel';
    this.item.tooltip = vscode.l10n.t('Lengthwise: click to cancel');
  }

  private redrawLive(): void {
    const id = this.latest ?? [...this.live.keys()].pop();
    const snap = id ? this.live.get(id) : undefined;
    if (!snap) return;
    this.item.text = streamingText(snap(), this.live.size, Date.now(), this.caps.get(id!));
    this.item.backgroundColor = undefined;
    this.item.command = 'lengthwise.cancel';
    this.item.tooltip = this.live.size > 1 ? vscode.l10n.t('Lengthwise: {0} requests running — click to cancel all', this.live.size) : vscode.l10n.t('Lengthwise: click to cancel');
  }

  private drawIdle(): void {
    this.item.text = idleText({ ...this.idle, session: this.session() });
    this.item.backgroundColor = this.idle.budgetSpent ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    // Nothing set up yet: the item opens the walkthrough (a key or a local server).
    this.item.command = this.idle.setup ? { title: vscode.l10n.t('Get started'), command: 'workbench.action.openWalkthrough', arguments: [WALKTHROUGH, false] } : 'lengthwise.selectPreset';
    if (this.idle.setup) {
      this.item.tooltip = vscode.l10n.t('Lengthwise: no API key for this provider and no local server — click to set one up.');
      return;
    }
    this.item.tooltip = this.tooltip ? markdown(tooltipMarkdown(this.tooltip)) : vscode.l10n.t('Lengthwise: click to select a preset');
  }

  private drawDone(): void {
    const d = this.done!;
    this.item.text = doneText({ ...d, session: this.session() });
    this.item.backgroundColor = d.truncated ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.command = d.truncated ? 'lengthwise.continue' : 'lengthwise.selectPreset';
    this.item.tooltip = this.tooltip ? markdown(tooltipMarkdown(this.tooltip)) : undefined;
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.item.dispose();
  }
}

function markdown(text: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString(text);
  // Only our own two commands may run from the tooltip links.
  md.isTrusted = { enabledCommands: ['lengthwise.showDashboard', 'lengthwise.selectPreset'] };
  md.supportThemeIcons = true;
  return md;
}

/** The editor's selections as keys (document and both ends), for telling a changed selection from a kept one. */
function selectionKeys(editor: vscode.TextEditor | undefined): string[] {
  if (!editor) return [];
  const uri = editor.document.uri.toString();
  return editor.selections.map((x) => `${uri}#${x.anchor.line}:${x.anchor.character}-${x.active.line}:${x.active.character}`);
}
