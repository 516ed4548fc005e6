// The counting worker's side, whatever runs it (a Node worker thread: node/countWorkerEntry.ts; a browser's Web
// Worker: web/countWorkerEntry.ts). It counts with core's in-thread counter, in slices, so a 'cancel' message for a
// running count is read between two slices.
import { InThreadCounter } from '../core/tokens/counting';
import type { FromWorker, ToWorker } from './countProtocol';

export interface ServicePort {
  post(m: FromWorker): void;
  onMessage(handler: (m: ToWorker) => void): void;
}

export function serveCounts(port: ServicePort): void {
  const counter = new InThreadCounter({ sliceMs: 10 });
  const running = new Map<number, AbortController>();
  const parts = new Map<number, string[]>();
  port.onMessage((m) => {
    if (m.type === 'data') return; // the loader's business (web/countWorkerEntry.ts)
    if (m.type === 'cancel') {
      parts.delete(m.job);
      const ac = running.get(m.job);
      // A running count answers when it stops; one that never started (or already answered) is answered here.
      if (ac) ac.abort();
      else port.post({ job: m.job, error: 'cancelled' });
      return;
    }
    if (m.type === 'part') {
      const p = parts.get(m.job);
      if (p) p.push(m.text);
      else parts.set(m.job, [m.text]);
      return;
    }
    const before = parts.get(m.job);
    parts.delete(m.job);
    const text = before ? before.join('') + m.text : m.text;
    const ac = new AbortController();
    running.set(m.job, ac);
    counter
      .count(m.tokenizer, text, { signal: ac.signal })
      .then(
        (r) => port.post({ job: m.job, tokens: r.tokens, exact: r.exact }),
        (e: unknown) => port.post({ job: m.job, error: ac.signal.aborted ? 'cancelled' : String(e) }),
      )
      .finally(() => running.delete(m.job));
  });
}
