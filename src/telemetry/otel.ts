// The OpenTelemetry side: a MeterProvider with the OTLP/HTTP protobuf exporter, fed metric points. This module
// and the OpenTelemetry packages form their own chunk in the bundle (esbuild.js), loaded only when export is on.
// Exports happen on the reader's timer, off any request's path: a collector that is down costs a failed HTTP call
// per interval, logged once, and never touches a send.
import type { Counter, Histogram } from '@opentelemetry/api';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { METRICS, type MetricName, type MetricPoint } from './metrics';
import type { PointSink } from './feed';

export interface OtelOptions {
  /** OTLP/HTTP metrics URL, used as given (e.g. http://collector:4318/v1/metrics). */
  endpoint: string;
  headers: Record<string, string>;
  intervalMs: number;
  resource: Record<string, string>;
  log: { info(msg: string): void; warn(msg: string): void };
  /** Called when exports start failing (once until one works again), with the reason. */
  onFailing?(error: string): void;
}

export interface FlushResult {
  ok: boolean;
  /** Why the export failed (never contains header values). */
  error?: string;
}

export interface OtelExport extends PointSink {
  /** Exports now; resolves with the outcome and never throws. */
  flush(): Promise<FlushResult>;
  shutdown(): Promise<void>;
}

const EXPORT_TIMEOUT_MS = 10_000;

/** Says once that exports fail and once that they work again; a failing collector is not news every minute. */
class LoggingExporter implements PushMetricExporter {
  private failing = false;
  lastError: string | undefined;

  constructor(
    private readonly inner: OTLPMetricExporter,
    private readonly endpoint: string,
    private readonly log: OtelOptions['log'],
    private readonly onFailing: OtelOptions['onFailing'],
  ) {}

  export(metrics: ResourceMetrics, done: Parameters<PushMetricExporter['export']>[1]): void {
    this.inner.export(metrics, (result) => {
      if (result.code === 0) {
        this.lastError = undefined;
        if (this.failing) this.log.info(`telemetry: ${this.endpoint} accepts metrics again; the totals are up to date.`);
        this.failing = false;
      } else {
        this.lastError = result.error?.message ?? 'export failed';
        if (!this.failing) {
          this.log.warn(`telemetry: could not export metrics to ${this.endpoint} (${this.lastError}). Nothing is lost: the totals are sent when the collector answers again. Said once until then.`);
          this.onFailing?.(this.lastError);
        }
        this.failing = true;
      }
      done(result);
    });
  }
  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }
  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
  selectAggregationTemporality(t: Parameters<NonNullable<PushMetricExporter['selectAggregationTemporality']>>[0]) {
    return this.inner.selectAggregationTemporality(t);
  }
  selectAggregation(t: Parameters<NonNullable<PushMetricExporter['selectAggregation']>>[0]) {
    return this.inner.selectAggregation(t);
  }
}

export function startOtelExport(o: OtelOptions): OtelExport {
  const exporter = new LoggingExporter(
    new OTLPMetricExporter({ url: o.endpoint, headers: o.headers, timeoutMillis: EXPORT_TIMEOUT_MS }),
    o.endpoint,
    o.log,
    o.onFailing,
  );
  const reader = new PeriodicExportingMetricReader({
    exporter,
    exportIntervalMillis: o.intervalMs,
    exportTimeoutMillis: Math.min(o.intervalMs, EXPORT_TIMEOUT_MS + 1000),
  });
  const provider = new MeterProvider({ resource: resourceFromAttributes(o.resource), readers: [reader] });
  const meter = provider.getMeter('lengthwise', o.resource['service.version']);
  const instruments = new Map<MetricName, Counter | Histogram>();
  for (const m of METRICS) {
    const opts = { unit: m.unit, description: m.description };
    instruments.set(
      m.name,
      m.kind === 'histogram' ? meter.createHistogram(m.name, { ...opts, advice: { explicitBucketBoundaries: m.buckets } }) : meter.createCounter(m.name, opts),
    );
  }
  return {
    add(points: MetricPoint[]) {
      for (const p of points) {
        const i = instruments.get(p.metric);
        if (!i) continue;
        if ('record' in i) i.record(p.value, p.attributes);
        else i.add(p.value, p.attributes);
      }
    },
    async flush() {
      try {
        await provider.forceFlush();
        return exporter.lastError ? { ok: false, error: exporter.lastError } : { ok: true };
      } catch (e) {
        return { ok: false, error: exporter.lastError ?? (e instanceof Error ? e.message : String(e)) };
      }
    },
    async shutdown() {
      await provider.shutdown().catch(() => undefined);
    },
  };
}
