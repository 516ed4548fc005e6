// Starts and stops the team spend export (src/telemetry) from the settings, and hands it each ledger record as a
// run writes it. The OpenTelemetry code is loaded after activate() has returned and only when an endpoint is set;
// nothing here is on a send's path (update() is a synchronous hand-over, exports run on their own timer).
import * as vscode from 'vscode';
import type { Ledger } from '../core/ledger/ledger';
import type { Configuration } from './config/configuration';
import type { Door } from './door/door';
import type { RunEvents } from './send/events';
import { logError } from './logError';
import { startTelemetry, type OtelModule, type Telemetry } from '../telemetry/telemetry';

const INSTANCE_KEY = 'lengthwise.telemetry.instanceId';

export interface TelemetryExportDeps {
  context: vscode.ExtensionContext;
  config: Configuration;
  door: Door;
  events: RunEvents;
  ledger: () => Promise<Ledger>;
  log: vscode.LogOutputChannel;
  workspaceId: string;
  /** The OpenTelemetry chunk, as this platform loads it (src/extension/host). */
  loadOtel(): Promise<OtelModule>;
  /** Hears when exports to `endpoint` start failing (the web says what a browser needs of a collector). */
  onFailing?(endpoint: string, error: string): void;
}

export class TelemetryExport implements vscode.Disposable {
  private running: Telemetry | undefined;
  /** The current (re)start; flush() and dispose() wait for it. */
  private starting: Promise<void> = Promise.resolve();
  private readonly subs: vscode.Disposable[];
  /** How long the last start took (OpenTelemetry chunk load included), for the benchmark. */
  startMs: number | undefined;

  constructor(private readonly d: TelemetryExportDeps) {
    this.subs = [
      d.config.onDidChange((e) => {
        if (e.keys.some((k) => k.startsWith('telemetry.'))) this.restart();
      }),
      // Every round writes a ledger record (continuations included); hand it over as soon as it is there.
      d.events.on('round', () => this.running?.update()),
      d.events.on('finished', () => this.running?.update()),
      d.events.on('job', () => this.running?.update()),
      d.events.on('trial', () => this.running?.update()),
    ];
    // After activate() has returned: loading OpenTelemetry must not lengthen activation.
    setTimeout(() => this.restart(), 0);
  }

  /** Exports now (tests): the outcome and how many ledger records the export holds. */
  async flush(): Promise<{ ok: boolean; error?: string; exportedRecords: number }> {
    await this.starting;
    if (!this.running) return { ok: false, error: 'telemetry export is off', exportedRecords: 0 };
    return { ...(await this.running.flush()), exportedRecords: this.running.exportedRecords };
  }

  private restart(): void {
    this.starting = this.starting.then(async () => {
      await this.stop();
      try {
        await this.start();
      } catch (e) {
        logError(this.d.log, 'telemetry', e);
      }
    });
  }

  private async start(): Promise<void> {
    const t0 = performance.now();
    const { cfg, resolved } = this.d.config.resolve(undefined);
    const s = resolved.settings;
    const endpoint = s['telemetry.otlpEndpoint'];
    // Invalid telemetry values are warnings (they never block a send) and leave the defaults, i.e. no export.
    const problems = resolved.warnings.filter((w) => w.startsWith('lengthwise.telemetry.'));
    if (problems.length) {
      this.d.log.warn(`telemetry: ${problems.join(' ')}`);
      void vscode.window.showWarningMessage(vscode.l10n.t('Lengthwise: {0}', problems.join(' ')));
      return;
    }
    if (!endpoint) return;
    if (cfg.ignored.includes('lengthwise.telemetry.otlpEndpoint')) this.d.log.info('telemetry: the workspace endpoint is ignored in this untrusted workspace.');
    // The collector's headers are a key: the door hands them out once the endpoint is approved.
    // Whether the endpoint comes from the workspace (asked about once) or from the user's own settings.
    const headers = await this.d.door.collector(endpoint, this.d.config.setBy('telemetry.otlpEndpoint'));
    if (!headers) return;
    const ledger = await this.d.ledger();
    const otel = await this.d.loadOtel();
    this.running = startTelemetry(
      {
        endpoint,
        headers,
        intervalSeconds: s['telemetry.exportIntervalSeconds'],
        attributes: s['telemetry.attributes'],
        instanceId: await this.instanceId(),
        version: String(this.d.context.extension.packageJSON.version ?? ''),
        workspace: this.d.workspaceId,
        onFailing: (error) => this.d.onFailing?.(endpoint, error),
      },
      ledger,
      this.d.log,
      otel,
    );
    this.startMs = performance.now() - t0;
  }

  private async stop(): Promise<void> {
    const r = this.running;
    this.running = undefined;
    if (r) await r.stop();
  }

  /** Random, kept per workspace on this machine: series stay apart without naming a folder or a person. */
  private async instanceId(): Promise<string> {
    const state = this.d.context.workspaceState;
    let id = state.get<string>(INSTANCE_KEY);
    if (!id) {
      id = globalThis.crypto.randomUUID();
      await state.update(INSTANCE_KEY, id);
    }
    return id;
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    void this.starting.then(() => this.stop());
  }
}
