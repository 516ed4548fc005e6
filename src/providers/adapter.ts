// The skeleton every adapter shares: run the SDK call, forward its events, and always end with exactly one
// `finish` (after an `error` event when something went wrong). Text already received is never withdrawn.
import { brokenOff, cancelled } from '../core/protocol/finish';
import type { Finish, GenerationRequest, ProviderAdapter, ProviderEvent, ProviderId, StreamOptions } from '../core/protocol/request';
import { providerLabel } from '../core/providers/index';
import { EventChannel, observingFetch, toProviderError } from './common';
import { keyFetch } from './keyFetch';
import { DEFAULT_MAX_RETRIES } from '../core/generation/plan';

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

export function makeAdapter(
  id: ProviderId,
  body: AdapterBody,
  defaultWaitSeconds: (attempt: number) => number = (a) => Math.min(8, 0.5 * 2 ** (a - 1)),
): ProviderAdapter {
  return {
    id,
    stream(request: GenerationRequest, options: StreamOptions): AsyncIterable<ProviderEvent> {
      const channel = new EventChannel();
      const controller = new AbortController();
      const outer = options.signal;
      const onAbort = () => controller.abort();
      if (outer) {
        if (outer.aborted) controller.abort();
        else outer.addEventListener('abort', onAbort, { once: true });
      }
      const maxRetries = request.maxRetries ?? DEFAULT_MAX_RETRIES;
      const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      let hadText = false;
      // The SDKs' own timeout ends when the response headers arrive: a stream that stalls afterwards would hang
      // forever. This watchdog stops a started stream that sends nothing for timeoutMs (lengthwise.requestTimeoutSeconds).
      // One timer re-armed for the remaining quiet time; an event only stores the time pace() reads anyway (one
      // clock read per event, thousands per answer).
      let timedOut = false;
      let idle: ReturnType<typeof setTimeout> | undefined;
      let lastActivity = 0;
      let lastBreak = performance.now();
      const check = () => {
        const quiet = performance.now() - lastActivity;
        if (quiet >= timeoutMs) {
          timedOut = true;
          controller.abort();
        } else idle = setTimeout(check, timeoutMs - quiet);
      };
      const watch = () => {
        lastActivity = performance.now();
        idle ??= setTimeout(check, timeoutMs);
      };
      const observed = observingFetch(
        keyFetch(id, request.baseUrl),
        maxRetries,
        (status, waitSeconds, attempt) => channel.push({ type: 'retry', status, waitSeconds, attempt }),
        defaultWaitSeconds,
      );
      const ctx: AdapterContext = {
        request,
        apiKey: options.apiKey,
        signal: controller.signal,
        maxRetries,
        timeoutMs,
        fetch: async (input, init) => {
          const res = await observed(input, init);
          if (res.ok) watch();
          return res;
        },
        emit: (e) => channel.push(e),
        pace: () => {
          const now = performance.now();
          if (idle) lastActivity = now;
          if (now - lastBreak < PACE_MS) return undefined;
          return new Promise<void>((resolve) =>
            setImmediate(() => {
              lastBreak = performance.now();
              resolve();
            }),
          );
        },
        text: (delta) => {
          if (!delta) return;
          hadText = true;
          channel.pushText(delta);
        },
      };
      // A cancel (or the watchdog) ends the stream at once, even while the SDK sleeps before a retry (its sleep does
      // not listen to the signal): the SDK finds the signal aborted when it wakes and sends nothing more.
      const STOPPED = Symbol('stopped');
      const stopped = new Promise<typeof STOPPED>((resolve) => {
        if (controller.signal.aborted) resolve(STOPPED);
        else controller.signal.addEventListener('abort', () => resolve(STOPPED), { once: true });
      });
      (async () => {
        let finish: Finish;
        try {
          const running = body(ctx);
          running.catch(() => undefined); // settles after a stop too; nobody listens then
          const reported = await Promise.race([running, stopped]);
          if (timedOut) throw new StreamTimeout();
          if (reported === STOPPED || controller.signal.aborted) finish = cancelled();
          else if (reported) finish = reported;
          else {
            channel.push({
              type: 'error',
              error: { kind: 'network', message: 'The stream ended before the provider said why it stopped. The text received so far is kept.' },
            });
            finish = brokenOff(hadText);
          }
        } catch (err) {
          const error = timedOut
            ? { kind: 'timeout' as const, message: `${providerLabel(id)} sent nothing for ${Math.round(timeoutMs / 1000)} s (lengthwise.requestTimeoutSeconds), so the request was stopped. The text received so far is kept.` }
            : toProviderError(id, err, controller.signal.aborted, Math.round(timeoutMs / 1000), options.apiKey);
          // A cancel is the user's choice, not an error: it shows only in the finish.
          if (error.kind !== 'cancelled') channel.push({ type: 'error', error });
          finish = error.kind === 'cancelled' ? cancelled() : brokenOff(hadText);
        } finally {
          if (idle) clearTimeout(idle);
          outer?.removeEventListener('abort', onAbort);
        }
        channel.push({ type: 'finish', finish });
        channel.close();
      })();
      return channel;
    },
  };
}
