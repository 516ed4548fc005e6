// Counting off the extension host's thread, whatever the worker is (a Node worker thread: node/countWorker.ts; a
// browser's Web Worker: web/countWorker.ts): one worker, started on the first big count and reused for the session.
// Texts go over by copy (postMessage), in slices; the worker keeps its own block cache, so a re-count after an edit
// only encodes the changed blocks there and costs this thread no more than the copy.
import type { CountOptions, CountResult, TextCounter } from '../core/tokens/counting';
import type { TokenizerId } from '../core/tokens/tokens';
import { nextTurn } from '../core/turn';
import { SLICE_CHARS, type FromWorker, type ToWorker } from './countProtocol';

/** A started worker as the counter sees it. */
export interface WorkerPort {
  post(m: ToWorker): void;
  /** Answers to counts (data requests are the port's own business). */
  onMessage(handler: (m: FromWorker) => void): void;
  /** The worker is gone (an error, an exit): every count it had fails, the next count starts another. */
  onLost(handler: (e: Error) => void): void;
  terminate(): void;
  /** Whether an idle worker may keep the process alive (a Node thread); no-ops where that does not apply. */
  ref(): void;
  unref(): void;
}

interface Pending {
  resolve(r: CountResult): void;
  reject(e: unknown): void;
}

export class PortCounter implements TextCounter {
  private worker: WorkerPort | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextJob = 1;
  /** Started workers, for tests and the benchmark (one per session unless a worker dies). */
  started = 0;
  /** Counts the worker stopped part-way because they were cancelled (for tests). */
  stoppedEarly = 0;
  /** Jobs the worker has not answered yet (cancelled ones included) and who waits for none to be left. */
  private readonly unanswered = new Set<number>();
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly startWorker: () => WorkerPort) {}

  count(tokenizer: TokenizerId, text: string, opts: CountOptions = {}): Promise<CountResult> {
    const signal = opts.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (!text) return Promise.resolve({ tokens: 0, exact: true });
    const w = this.start();
    const job = this.nextJob++;
    return new Promise<CountResult>((resolve, reject) => {
      const onAbort = () => {
        if (!this.pending.delete(job)) return;
        this.post({ type: 'cancel', job });
        this.idle();
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => signal?.removeEventListener('abort', onAbort);
      this.pending.set(job, {
        resolve: (r) => (done(), resolve(r)),
        reject: (e) => (done(), reject(e)),
      });
      w.ref();
      this.unanswered.add(job);
      // One slice a turn: the copy of a big text is spread over turns of this thread's event loop.
      const send = (at: number) => {
        if (!this.pending.has(job)) return; // cancelled meanwhile (the worker drops the parts it has)
        if (text.length - at > SLICE_CHARS) {
          this.post({ type: 'part', job, text: text.slice(at, at + SLICE_CHARS) });
          nextTurn(() => send(at + SLICE_CHARS));
        } else this.post({ type: 'count', job, tokenizer, text: at ? text.slice(at) : text });
      };
      send(0);
    });
  }

  dispose(): void {
    const w = this.worker;
    this.worker = undefined;
    this.failAll(new Error('the counting worker was stopped'));
    w?.terminate();
  }

  private start(): WorkerPort {
    if (this.worker) return this.worker;
    const w = this.startWorker();
    this.started++;
    w.onMessage((m) => {
      if (!('job' in m)) return;
      this.answered(m.job);
      const p = this.pending.get(m.job);
      if (!p) {
        if ('error' in m && m.error === 'cancelled') this.stoppedEarly++;
        return; // cancelled here already
      }
      this.pending.delete(m.job);
      this.idle();
      if ('error' in m) p.reject(new Error(`counting failed: ${m.error}`));
      else p.resolve({ tokens: m.tokens, exact: m.exact });
    });
    w.onLost((e) => {
      if (this.worker !== w) return;
      this.worker = undefined; // the next count starts a new one
      this.failAll(e);
    });
    w.unref();
    this.worker = w;
    return w;
  }

  /** Resolves once the worker has answered every count sent so far, cancelled ones included (tests, shutdown). */
  whenAnswered(): Promise<void> {
    if (this.unanswered.size === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  private answered(job: number): void {
    this.unanswered.delete(job);
    this.idle();
    if (this.unanswered.size === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  private post(m: ToWorker): void {
    this.worker?.post(m);
  }

  /** An idle worker (every count answered, cancelled ones too) does not keep the process alive. */
  private idle(): void {
    if (this.unanswered.size === 0) this.worker?.unref();
  }

  private failAll(e: unknown): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const job of [...this.unanswered]) this.answered(job);
    for (const p of all) p.reject(e);
  }
}
