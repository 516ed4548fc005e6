// The skeleton every adapter shares: run the SDK call, forward its events, and always end with exactly one
// `finish` (after an `error` event when something went wrong). Text already received is never withdrawn.
import { brokenOff, cancelled } from '../core/finish';
import type { Finish, GenerationRequest, ProviderAdapter, ProviderEvent, ProviderId, StreamOptions } from '../core/request';
import { EventChannel, observingFetch, toProviderError } from './common';

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
}

/** Returns the finish value the provider reported, or undefined when the stream ended without one. */
export type AdapterBody = (ctx: AdapterContext) => Promise<Finish | undefined>;

export const DEFAULT_TIMEOUT_MS = 600_000;
export const DEFAULT_MAX_RETRIES = 2;

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
      const ctx: AdapterContext = {
        request,
        apiKey: options.apiKey,
        signal: controller.signal,
        maxRetries,
        timeoutMs,
        fetch: observingFetch(
          maxRetries,
          (status, waitSeconds, attempt) => channel.push({ type: 'retry', status, waitSeconds, attempt }),
          defaultWaitSeconds,
        ),
        emit: (e) => channel.push(e),
        text: (delta) => {
          if (!delta) return;
          hadText = true;
          channel.push({ type: 'text', text: delta });
        },
      };
      (async () => {
        let finish: Finish;
        try {
          const reported = await body(ctx);
          if (controller.signal.aborted) finish = cancelled();
          else if (reported) finish = reported;
          else {
            channel.push({
              type: 'error',
              error: { kind: 'network', message: 'The stream ended before the provider said why it stopped. The text received so far is kept.' },
            });
            finish = brokenOff(hadText);
          }
        } catch (err) {
          const aborted = controller.signal.aborted;
          const error = toProviderError(id, err, aborted, Math.round(timeoutMs / 1000));
          // A cancel is the user's choice, not an error: it shows only in the finish.
          if (error.kind !== 'cancelled') channel.push({ type: 'error', error });
          finish = error.kind === 'cancelled' ? cancelled() : brokenOff(hadText);
        } finally {
          outer?.removeEventListener('abort', onAbort);
        }
        channel.push({ type: 'finish', finish });
        channel.close();
      })();
      return channel;
    },
  };
}
