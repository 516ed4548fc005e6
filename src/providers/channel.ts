// The event channel of an adapter: a single-consumer async queue between the SDK loop and the caller.
import type { ProviderEvent } from '../core/protocol/request';
import { nextTurn } from '../core/turn';

/**
 * A single-consumer async queue: producers push events, the adapter's caller iterates them. The consumer is woken
 * once per turn of the event loop (core's nextTurn: setImmediate on Node), not per event, and text deltas that arrive in the same turn are
 * joined into one `text` event: an SDK parses a whole network read into dozens of chunks at once, and handing each
 * on as its own event (an object, a promise, a meter update, a sink call) cost the stream path a third more CPU
 * than the SDK loop itself. The text and the order of events are unchanged.
 */
export class EventChannel implements AsyncIterable<ProviderEvent> {
  private buffer: ProviderEvent[] = [];
  /** The buffered text event still open for appending (the last one in the buffer). */
  private openText: { type: 'text'; text: string } | undefined;
  private wake: (() => void) | undefined;
  private wakeScheduled = false;
  private closed = false;

  push(e: ProviderEvent): void {
    if (this.closed) return;
    this.openText = undefined;
    this.buffer.push(e);
    this.schedule();
  }

  /** Appends a text delta: to the last buffered event when it is text, else as a new event. */
  pushText(delta: string): void {
    if (this.closed || !delta) return;
    if (this.openText) this.openText.text += delta;
    else {
      this.openText = { type: 'text', text: delta };
      this.buffer.push(this.openText);
    }
    this.schedule();
  }

  close(): void {
    this.closed = true;
    this.schedule();
  }

  private schedule(): void {
    if (this.wakeScheduled || !this.wake) return;
    this.wakeScheduled = true;
    nextTurn(() => {
      this.wakeScheduled = false;
      const w = this.wake;
      this.wake = undefined;
      w?.();
    });
  }

  [Symbol.asyncIterator](): AsyncIterator<ProviderEvent> {
    let pending: ProviderEvent[] = [];
    let at = 0;
    const next = async (): Promise<IteratorResult<ProviderEvent>> => {
      for (;;) {
        if (at < pending.length) return { value: pending[at++], done: false };
        if (this.buffer.length) {
          // Take the whole buffer: what is handed out can no longer be appended to.
          pending = this.buffer;
          at = 0;
          this.buffer = [];
          this.openText = undefined;
          continue;
        }
        if (this.closed) return { value: undefined, done: true };
        await new Promise<void>((r) => (this.wake = r));
      }
    };
    return { next };
  }
}
