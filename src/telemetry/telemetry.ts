// Team spend export: the ledger, fed to OpenTelemetry. The OpenTelemetry packages are loaded here, on start, from
// their own chunk (dist/telemetry/otel.js): with export off nothing of them is read. Sends never wait on this: new
// records are handed over in memory, and exports run on a timer.
import type { Ledger } from '../core/ledger/ledger';
import { LedgerFeed } from './feed';
import { resourceAttributes } from './metrics';
import type { FlushResult, OtelExport, OtelOptions } from './otel';

export interface TelemetryConfig {
  /** OTLP/HTTP metrics URL, as set in lengthwise.telemetry.otlpEndpoint (non-empty). */
  endpoint: string;
  headers: Record<string, string>;
  intervalSeconds: number;
  /** lengthwise.telemetry.attributes: extra resource attributes (team, project). */
  attributes: Record<string, string>;
  /** Opaque, stable per workspace and machine: keeps each ledger's series apart without naming a path or a person. */
  instanceId: string;
  version: string;
  /** The ledger's workspace id: only this workspace's records carry this workspace's attributes. */
  workspace: string;
  /** Hears when exports start failing (once until one works again). */
  onFailing?(error: string): void;
}

export interface Telemetry {
  /** Hands over records the ledger gained (call after a request finished). Synchronous and cheap. */
  update(): void;
  /** Re-reads the ledger (other windows append to it) and exports now; never throws. */
  flush(): Promise<FlushResult>;
  stop(): Promise<void>;
  readonly exportedRecords: number;
}

/** The OpenTelemetry chunk (dist/telemetry/otel.js, src/telemetry/otel.ts), as the host loads it. */
export type OtelModule = { startOtelExport(o: OtelOptions): OtelExport };

/** Starts the export with the OpenTelemetry chunk the host loaded (src/extension/host: Node's require, or the web's reader). */
export function startTelemetry(cfg: TelemetryConfig, ledger: Ledger, log: OtelOptions['log'], otelChunk: OtelModule): Telemetry {
  const otel = otelChunk.startOtelExport({
    endpoint: cfg.endpoint,
    headers: cfg.headers,
    intervalMs: cfg.intervalSeconds * 1000,
    resource: resourceAttributes({ version: cfg.version, instanceId: cfg.instanceId, extra: cfg.attributes }),
    log,
    onFailing: cfg.onFailing,
  });
  const feed = new LedgerFeed(otel, cfg.workspace);
  // The whole ledger at start: the counters begin at the ledger's totals, so nothing spent before is missing.
  feed.offer(ledger.records());
  const refresh = async () => {
    try {
      await ledger.refresh();
    } catch (e) {
      log.warn(`telemetry: could not re-read the ledger (${e instanceof Error ? e.message : String(e)}); exporting what is in memory.`);
    }
    feed.offer(ledger.records());
  };
  // Other windows' records and crashed requests that have settled, once per export interval.
  const timer = setInterval(() => void refresh(), cfg.intervalSeconds * 1000);
  timer.unref?.();
  log.info(`telemetry: exporting this workspace's spend to ${cfg.endpoint} every ${cfg.intervalSeconds} s (${feed.size} ledger records so far).`);
  return {
    update: () => void feed.offer(ledger.records()),
    async flush() {
      await refresh();
      return otel.flush();
    },
    async stop() {
      clearInterval(timer);
      await otel.shutdown();
    },
    get exportedRecords() {
      return feed.size;
    },
  };
}
