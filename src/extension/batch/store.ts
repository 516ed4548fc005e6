// The pending batches of this workspace, in workspaceState: they survive a window reload and a restart. What is
// stored holds ids, anchors and figures, never a key or the prompt text. This store is the key's only writer, so the
// list is parsed once (on first use, not at activation) and kept in memory.
import type * as vscode from 'vscode';
import { parsePendingList, type PendingBatch } from '../../core/generation/jobs/pending';

const KEY = 'lengthwise.pendingBatches';

export class PendingStore {
  private cached: PendingBatch[] | undefined;

  constructor(private readonly state: vscode.Memento) {}

  /** Well-formed records only (a damaged one is dropped, not guessed). */
  list(): readonly PendingBatch[] {
    this.cached ??= parsePendingList(this.state.get<unknown>(KEY));
    return this.cached;
  }

  find(jobId: string): PendingBatch | undefined {
    return this.list().find((x) => x.jobId === jobId);
  }

  /** Adds or replaces a batch. */
  put(p: PendingBatch): Promise<void> {
    return this.save([...this.list().filter((x) => x.jobId !== p.jobId), p]);
  }

  /** Replaces a batch that is still pending (one that landed meanwhile stays gone). */
  async update(p: PendingBatch): Promise<void> {
    if (this.find(p.jobId)) await this.put(p);
  }

  remove(jobId: string): Promise<void> {
    return this.save(this.list().filter((x) => x.jobId !== jobId));
  }

  private async save(list: PendingBatch[]): Promise<void> {
    this.cached = list;
    await this.state.update(KEY, list);
  }
}
