// The skeleton every adapter shares: run the SDK call, forward its events, and always end with exactly one
// `finish` (after an `error` event when something went wrong). Text already received is never withdrawn.
import { brokenOff, cancelled } from '../core/protocol/finish';
import type { Finish, GenerationRequest, ProviderAdapter, ProviderEvent, ProviderId, StreamOptions } from '../core/protocol/request';
import { providerLabel } from '../core/providers/index';
import { EventChannel } from './channel';
import { toProviderError } from './errors';
import { observingFetch } from './retries';
import { keyFetch } from './keyFetch';
import { DEFAULT_MAX_RETRIES } from '../core/generation/plan';
import { modelName } from '../core/protocol/guards';
import { nextTurn } from '../core/turn';

export interface AdapterContext {
  request: GenerationRequest;
  apiKey: string;
  signal: AbortSignal;
  /** fetch that reports retry waits as `retry` events. */
  fetch: typeof fetch;
  maxRetries: number;
  timeoutMs: number;
  emit(e: ProviderEvent): void;
  text(delta: string): void;
  /** The model the response names: reported once (a later different name replaces it), unreadable names dropped. */
  model(name: unknown): void;
  /** The answer started without a fetch (an adapter inside the editor): watch it for stalls from now on. */
  started(): void;
  /**
   * Called once for every event the SDK hands out: marks the stream alive for the idle watchdog, and returns a
   * promise to await when the loop has run PACE_MS without a break, else undefined. An SDK hands out the chunks
   * of a network read already received through microtasks only, so a fast stream would hold the extension host's
   * thread for as long as one read takes to parse (seconds for a big burst): the loops await this once a chunk.
   */
  pace(): Promise<void> | undefined;
}

/** Longest run of an adapter's loop before it lets the event loop turn. */
const PACE_MS = 8;

/** Returns the finish value the provider reported, or undefined when the stream ended without one. */
export type AdapterBody = (ctx: AdapterContext) => Promise<Finish | undefined>;

const DEFAULT_TIMEOUT_MS = 600_000;


class StreamTimeout extends Error {}

/**
 * The SDKs' own timeout ends when the response headers arrive: a stream that stalls afterwards would hang forever.
 * This watchdog stops a started stream that sends nothing for timeoutMs (lengthwise.requestTimeoutSeconds). One
 * timer re-armed for the remaining quiet time; an event only stores the time pace() reads anyway (one clock read
 * per event, thousands per answer).
 */
class Watchdog {
  timedOut = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastActivity = 0;

  constructor(
    private readonly timeoutMs: number,
    private readonly stop: () => void,
  ) {}

  /** The stream started (a response arrived): watch it from now on. */
  start(): void {
    this.lastActivity = performance.now();
    this.timer ??= setTimeout(this.check, this.timeoutMs);
  }

  /** An event arrived (only once started: the SDK's own timeout covers the wait for the first response). */
  alive(now: number): void {
    if (this.timer) this.lastActivity = now;
  }

  private readonly check = (): void => {
    const quiet = performance.now() - this.lastActivity;
    if (quiet >= this.timeoutMs) {
      this.timedOut = true;
      this.stop();
    } else this.timer = setTimeout(this.check, this.timeoutMs - quiet);
  };

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
  }
}

/** One stream of one request: the SDK call in `body`, its events on the channel, always one finish at the end. */
class AdapterRun {
  readonly channel = new EventChannel();
  private readonly controller = new AbortController();
  private readonly watchdog: Watchdog;
  private readonly maxRetries: number;
  private readonly timeoutMs: number;
  private hadText = false;
  private answeredBy: string | undefined;
  /** The raw name the SDK gave last (checked once, not on every chunk). */
  private lastModelName: unknown;
  private lastBreak = performance.now();
  private readonly onOuterAbort = () => this.controller.abort();

  constructor(
    private readonly id: ProviderId,
    private readonly request: GenerationRequest,
    private readonly options: StreamOptions,
    private readonly defaultWaitSeconds: (attempt: number) => number,
  ) {
    const outer = options.signal;
    if (outer) {
      if (outer.aborted) this.controller.abort();
      else outer.addEventListener('abort', this.onOuterAbort, { once: true });
    }
    this.maxRetries = request.maxRetries ?? DEFAULT_MAX_RETRIES;
    this.timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.watchdog = new Watchdog(this.timeoutMs, () => this.controller.abort());
  }

  private context(): AdapterContext {
    const observed = observingFetch(
      keyFetch(this.id, this.request.baseUrl),
      this.maxRetries,
      (status, waitSeconds, attempt) => this.channel.push({ type: 'retry', status, waitSeconds, attempt }),
      this.defaultWaitSeconds,
    );
    return {
      request: this.request,
      apiKey: this.options.apiKey,
      signal: this.controller.signal,
      maxRetries: this.maxRetries,
      timeoutMs: this.timeoutMs,
      fetch: async (input, init) => {
        const res = await observed(input, init);
        if (res.ok) this.watchdog.start();
        return res;
      },
      emit: (e) => this.channel.push(e),
      model: (name) => {
        // Chat Completions and Gemini name the model on every chunk: the same raw name is not checked again.
        if (name === this.lastModelName) return;
        this.lastModelName = name;
        const m = modelName(name);
        if (m === undefined || m === this.answeredBy) return;
        this.answeredBy = m;
        this.channel.push({ type: 'model', model: m });
      },
      started: () => this.watchdog.start(),
      pace: () => this.pace(),
      text: (delta) => {
        if (!delta) return;
        this.hadText = true;
        this.channel.pushText(delta);
      },
    };
  }

  private pace(): Promise<void> | undefined {
    const now = performance.now();
    this.watchdog.alive(now);
    if (now - this.lastBreak < PACE_MS) return undefined;
    return new Promise<void>((resolve) =>
      nextTurn(() => {
        this.lastBreak = performance.now();
        resolve();
      }),
    );
  }

  /** Runs `body` to its finish; never throws: an error becomes an error event and a finish. */
  async run(body: AdapterBody): Promise<void> {
    const signal = this.controller.signal;
    // A cancel (or the watchdog) ends the stream at once, even while the SDK sleeps before a retry (its sleep does
    // not listen to the signal): the SDK finds the signal aborted when it wakes and sends nothing more.
    const STOPPED = Symbol('stopped');
    const stopped = new Promise<typeof STOPPED>((resolve) => {
      if (signal.aborted) resolve(STOPPED);
      else signal.addEventListener('abort', () => resolve(STOPPED), { once: true });
    });
    let finish: Finish;
    try {
      const running = body(this.context());
      running.catch(() => undefined); // settles after a stop too; nobody listens then
      const reported = await Promise.race([running, stopped]);
      if (this.watchdog.timedOut) throw new StreamTimeout();
      finish = reported === STOPPED || signal.aborted ? cancelled() : (reported ?? this.endedWithoutFinish());
    } catch (err) {
      finish = this.failed(err);
    } finally {
      this.watchdog.dispose();
      this.options.signal?.removeEventListener('abort', this.onOuterAbort);
    }
    this.channel.push({ type: 'finish', finish });
    this.channel.close();
  }

  private endedWithoutFinish(): Finish {
    this.channel.push({
      type: 'error',
      error: { kind: 'network', message: 'The stream ended before the provider said why it stopped. The text received so far is kept.' },
    });
    return brokenOff(this.hadText);
  }

  private failed(err: unknown): Finish {
    const error = this.watchdog.timedOut
      ? { kind: 'timeout' as const, message: `${providerLabel(this.id)} sent nothing for ${Math.round(this.timeoutMs / 1000)} s (lengthwise.requestTimeoutSeconds), so the request was stopped. The text received so far is kept.` }
      : toProviderError(this.id, err, this.controller.signal.aborted, Math.round(this.timeoutMs / 1000), this.options.apiKey, this.request, this.hadText);
    // A cancel is the user's choice, not an error: it shows only in the finish.
    if (error.kind !== 'cancelled') this.channel.push({ type: 'error', error });
    return error.kind === 'cancelled' ? cancelled() : brokenOff(this.hadText);
  }
}

export function makeAdapter(
  id: ProviderId,
  body: AdapterBody,
  defaultWaitSeconds: (attempt: number) => number = (a) => Math.min(8, 0.5 * 2 ** (a - 1)),
): ProviderAdapter {
  return {
    id,
    stream(request: GenerationRequest, options: StreamOptions): AsyncIterable<ProviderEvent> {
      const run = new AdapterRun(id, request, options, defaultWaitSeconds);
      void run.run(body);
      return run.channel;
    },
  };
}
