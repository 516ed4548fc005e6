// The counting worker in a browser: a Web Worker started from dist/web/countWorker.js (countWorkerEntry.ts) behind
// the shared counter (../portCounter.ts). The script and the data it asks for are read by the host (the shell reads
// the extension's files with vscode.workspace.fs); the worker runs from a blob URL of the script's text, which a
// web-worker extension host may start (its origin is the workbench's own).
import type { CountOptions, CountResult, TextCounter } from '../../core/tokens/counting';
import type { TokenizerId } from '../../core/tokens/tokens';
import { nextTurn } from '../../core/turn';
import { PortCounter, type WorkerPort } from '../portCounter';
import type { FromWorker, ToWorker } from '../countProtocol';

export interface WebWorkerSource {
  /** The worker script's text. */
  script(): Promise<string>;
  /** A data chunk's file (the ranks' JSON), for the worker's requests (its buffer is transferred to the worker). */
  chunk(name: string): Promise<Uint8Array>;
}

/** The host gives no Web Workers (or refused this one): counting goes on in slices on the host's thread. */
class CannotStart extends Error {}

function webPort(src: WebWorkerSource): WorkerPort {
  let worker: Worker | undefined;
  let url: string | undefined;
  let gone = false;
  const queued: ToWorker[] = [];
  const messageHandlers: ((m: FromWorker) => void)[] = [];
  const lostHandlers: ((e: Error) => void)[] = [];
  const lost = (e: Error) => {
    if (gone) return;
    gone = true;
    for (const h of lostHandlers) h(e);
  };
  const answerData = (w: Worker, chunk: string) =>
    src.chunk(chunk).then(
      (bytes) => w.postMessage({ type: 'data', chunk, bytes } satisfies ToWorker, [bytes.buffer]),
      (e: unknown) => w.postMessage({ type: 'data', chunk, error: e instanceof Error ? e.message : String(e) } satisfies ToWorker),
    );
  const start = (text: string) => {
    url = URL.createObjectURL(new Blob([text], { type: 'text/javascript' }));
    const w = new Worker(url, { name: 'lengthwise-count' });
    w.onmessage = (e: MessageEvent<FromWorker>) => {
      const m = e.data;
      if ('dataRequest' in m) void answerData(w, m.dataRequest);
      else for (const h of messageHandlers) h(m);
    };
    w.onerror = (e) => lost(new Error(`the counting worker stopped (${e.message || 'error'})`));
    worker = w;
    flush();
  };
  // What was posted while the script was read goes over one message a turn, as the counter sends its slices: posted
  // at once, the slices of 5 MB held this thread ~60 ms (the web pass's figures).
  const flush = () => {
    const m = queued.shift();
    if (!m || !worker || gone) return;
    worker.postMessage(m);
    if (queued.length) nextTurn(flush);
  };
  src
    .script()
    .then((text) => gone || start(text))
    .catch((e: unknown) => lost(new CannotStart(e instanceof Error ? e.message : String(e))));
  return {
    post: (m) => {
      if (worker && queued.length === 0) worker.postMessage(m);
      else queued.push(m); // before the worker runs, or behind what is still queued: in order
    },
    onMessage: (h) => messageHandlers.push(h),
    onLost: (h) => lostHandlers.push(h),
    terminate: () => {
      gone = true;
      worker?.terminate();
      if (url) URL.revokeObjectURL(url);
    },
    // A Web Worker never keeps a page alive: nothing to do.
    ref: () => undefined,
    unref: () => undefined,
  };
}

/**
 * The session's off-thread counter in a browser: a Web Worker, or, where the host cannot start one, the same
 * counts in slices on this thread (`inThread`), said once through `warn`.
 */
export class WebWorkerCounter implements TextCounter {
  readonly worker: PortCounter;
  private fallback = false;

  constructor(
    src: WebWorkerSource,
    private readonly inThread: TextCounter,
    private readonly warn: (message: string) => void,
  ) {
    this.worker = new PortCounter(() => {
      if (typeof Worker !== 'function') throw new CannotStart('this host has no Web Workers');
      return webPort(src);
    });
  }

  async count(id: TokenizerId, text: string, opts?: CountOptions): Promise<CountResult> {
    if (this.fallback) return this.inThread.count(id, text, opts);
    try {
      return await this.worker.count(id, text, opts);
    } catch (e) {
      if (!(e instanceof CannotStart)) throw e;
      this.fallback = true;
      this.warn(`counting: no Web Worker (${e.message}); big texts are counted in slices on the extension host's thread.`);
      return this.inThread.count(id, text, opts);
    }
  }

  /** Workers started (the tests' check that big counts left this thread). */
  get started(): number {
    return this.worker.started;
  }

  dispose(): void {
    this.worker.dispose();
  }
}
