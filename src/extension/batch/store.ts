// The pending batches of this workspace, in workspaceState: they survive a window reload and a restart. What is
// stored holds ids, anchors and figures, never a key or the prompt text.
import type * as vscode from 'vscode';
import { parsePendingList, type PendingBatch } from '../../core/generation/jobs/pending';

const KEY = 'lengthwise.pendingBatches';

export class PendingStore {
  constructor(private readonly state: vscode.Memento) {}

  /** Well-formed records only (a damaged one is dropped, not guessed). */
  list(): PendingBatch[] {
    return parsePendingList(this.state.get<unknown>(KEY));
  }

  async put(p: PendingBatch): Promise<void> {
    const rest = this.list().filter((x) => x.jobId !== p.jobId);
    await this.state.update(KEY, [...rest, p]);
  }

  async remove(jobId: string): Promise<void> {
    await this.state.update(KEY, this.list().filter((x) => x.jobId !== jobId));
  }
}
