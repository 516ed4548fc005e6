// Turns the ledger into metric points, each record exactly once. The exported counters are cumulative and start
// from the whole ledger (this workspace's records on this machine) every time export starts, so what a collector
// holds after any successful export equals the ledger at that moment: spend made while the collector was down,
// offline or closed is delivered by the next export. Every window of a workspace computes the same totals from the
// same ledger file, so their series agree instead of adding up.
import type { LedgerRecord } from '../core/ledger/record';
import { isSettled, recordPoints, type MetricPoint } from './metrics';

export interface PointSink {
  add(points: MetricPoint[]): void;
}

export class LedgerFeed {
  private readonly seen = new Set<string>();

  constructor(
    private readonly sink: PointSink,
    /** Only this workspace's records: the resource attributes (project, team) are this workspace's. */
    private readonly workspace: string,
  ) {}

  /** Adds the records not added before (final ones only); returns how many were added. Cheap when nothing is new. */
  offer(records: readonly LedgerRecord[], nowMs = Date.now()): number {
    let added = 0;
    for (const r of records) {
      if (this.seen.has(r.id) || r.workspace !== this.workspace || !isSettled(r, nowMs)) continue;
      this.seen.add(r.id);
      this.sink.add(recordPoints(r));
      added++;
    }
    return added;
  }

  get size(): number {
    return this.seen.size;
  }
}
