// The counting worker's thread (started by countWorker.ts; bundled as dist/countWorker.js). It counts with core's
// in-thread counter, in slices, so a 'cancel' message for a running count is read between two slices.
import { parentPort } from 'node:worker_threads';
import { InThreadCounter } from '../../core/tokens/counting';
import { useNodeHost } from './host';
import type { ToWorker, FromWorker } from './countProtocol';

useNodeHost();
const counter = new InThreadCounter({ sliceMs: 10 });
const running = new Map<number, AbortController>();
const parts = new Map<number, string[]>();
const port = parentPort;
if (!port) throw new Error('countWorkerEntry runs only as a worker thread');
const reply = (m: FromWorker) => port.postMessage(m);

port.on('message', (m: ToWorker) => {
  if (m.type === 'cancel') {
    parts.delete(m.job);
    const ac = running.get(m.job);
    // A running count answers when it stops; one that never started (or already answered) is answered here.
    if (ac) ac.abort();
    else reply({ job: m.job, error: 'cancelled' });
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
  counter.count(m.tokenizer, text, { signal: ac.signal }).then(
    (r) => reply({ job: m.job, tokens: r.tokens, exact: r.exact }),
    (e: unknown) => reply({ job: m.job, error: ac.signal.aborted ? 'cancelled' : String(e) }),
  ).finally(() => running.delete(m.job));
});
