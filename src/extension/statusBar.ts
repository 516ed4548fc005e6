// Draws the status bar item: idle (preset · selection tokens · worst-case cost), streaming (tokens/max · cost ·
// tok/s, at most ~10 updates a second), finished (provider numbers, warning look when truncated).
// Every number comes from core; this file only decides when to draw.
import * as vscode from 'vscode';
import type { MeterSnapshot } from '../core/generation/meter';
import type { RunEvents } from './send/events';
import { doneText, idleText, streamingText, tooltipMarkdown, type DoneInfo, type IdleInfo, type TooltipInfo } from '../core/views/statusText';

const STREAM_REDRAW_MS = 100;

export class StatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly live = new Map<string, () => MeterSnapshot>();
  private latest: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private idle: IdleInfo = { selectionExact: true };
  private done: DoneInfo | undefined;
  private tooltip: TooltipInfo | undefined;

  constructor() {
    this.item = vscode.window.createStatusBarItem('lengthwise.meter', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'Lengthwise';
    this.item.command = 'lengthwise.selectPreset';
    this.drawIdle();
    this.item.show();
  }

  get text(): string {
    return this.item.text;
  }

  /** `force`: the settings changed (preset, model), so the idle text replaces the last answer's numbers. */
  setIdle(info: IdleInfo, tooltip?: TooltipInfo, force = false): void {
    this.idle = info;
    if (this.live.size) return;
    // The last answer's numbers (and its truncation warning) stay until the user selects something to measure.
    if (this.done && info.selectionTokens === undefined && !force) return;
    if (tooltip) this.tooltip = tooltip;
    this.done = undefined;
    this.drawIdle();
  }

  /** A request started: `snap` is read at redraw time (throttled). */
  startRun(id: string, snap: () => MeterSnapshot): void {
    this.live.set(id, snap);
    this.latest = id;
    this.done = undefined;
    this.redrawLive();
    this.timer ??= setInterval(() => this.redrawLive(), STREAM_REDRAW_MS);
  }

  /** Redraw soon (a retry wait starts, the first token arrives). */
  poke(): void {
    if (this.live.size) this.redrawLive();
  }

  endRun(id: string, done: DoneInfo, tooltip: TooltipInfo): void {
    this.live.delete(id);
    this.tooltip = tooltip;
    if (this.latest === id) this.latest = [...this.live.keys()].pop();
    if (this.live.size === 0) {
      if (this.timer) clearInterval(this.timer);
      this.timer = undefined;
      this.done = done;
      this.drawDone();
    } else this.redrawLive();
  }

  /** A run failed without a summary: drop its live numbers. */
  dropRun(id: string): void {
    if (!this.live.delete(id)) return;
    if (this.latest === id) this.latest = [...this.live.keys()].pop();
    if (this.live.size) return this.redrawLive();
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.drawIdle();
  }

  /** Draws every run the controller reports: live while streaming, the provider numbers when it ends. */
  follow(events: RunEvents): vscode.Disposable {
    return vscode.Disposable.from(
      events.on('started', (e) => this.startRun(e.runId, e.snapshot)),
      events.on('progress', (e) => {
        if (e.event.type === 'retry') this.poke();
      }),
      events.on('finished', (e) => this.endRun(e.runId, e.done, e.tooltip)),
      events.on('failed', (e) => this.dropRun(e.runId)),
    );
  }

  private redrawLive(): void {
    const id = this.latest ?? [...this.live.keys()].pop();
    const snap = id ? this.live.get(id) : undefined;
    if (!snap) return;
    this.item.text = streamingText(snap(), this.live.size);
    this.item.backgroundColor = undefined;
    this.item.command = 'lengthwise.cancel';
    this.item.tooltip = this.live.size > 1 ? `Lengthwise: ${this.live.size} requests running — click to cancel all` : 'Lengthwise: click to cancel';
  }

  private drawIdle(): void {
    this.item.text = idleText(this.idle);
    this.item.backgroundColor = undefined;
    this.item.command = 'lengthwise.selectPreset';
    this.item.tooltip = this.tooltip ? markdown(tooltipMarkdown(this.tooltip)) : 'Lengthwise: click to select a preset';
  }

  private drawDone(): void {
    const d = this.done!;
    this.item.text = doneText(d);
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
