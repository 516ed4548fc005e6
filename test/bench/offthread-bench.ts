// Counting off the editor's thread (prints figures; not a timed test): the longest event-loop stall of this thread
// (perf_hooks.monitorEventLoopDelay, max) while the routed counter counts 1, 5 and 8 MB selections in the worker,
// against the same counts in slices on this thread; the re-count after a one-line edit in 1 MB; the hand-over
// threshold (in-thread cost of 16 KB, worker round trip of a small text); adversarial inputs.
import { monitorEventLoopDelay, performance as perf } from 'node:perf_hooks';
import { InThreadCounter, OFF_THREAD_CHARS, RoutedCounter } from '../../src/core/tokens/counting';
import { loadTokenizer } from '../../src/core/tokens/tokens';
import { MAX_UNCUT_RUN } from '../../src/core/tokens/safeCuts';
import { WorkerCounter } from '../../src/platform/node/countWorker';
import { realCorpus } from './corpus';

const MB = 1024 * 1024;
const r1 = (x: number) => Math.round(x * 10) / 10;

/** The median run of three by longest stall: the machine is shared, one run can be descheduled. */
export async function stall3<T>(fn: () => Promise<T>): Promise<Awaited<ReturnType<typeof stall<T>>>> {
  const runs = [await stall(fn), await stall(fn), await stall(fn)];
  return runs.sort((a, b) => a.stallMs - b.stallMs)[1];
}

/** A flat copy, as document.getText() returns (the corpus is built by concatenation). */
export const flat = (s: string): string => JSON.parse(JSON.stringify(s)) as string;

/** Runs fn; its result, the longest stall of this thread's event loop meanwhile, and how long this thread was busy
 * (event-loop utilization: the worker's own time is not in it). */
async function stall<T>(fn: () => Promise<T>): Promise<{ value: T; stallMs: number; ms: number; busyMs: number }> {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  const elu0 = perf.eventLoopUtilization();
  const t0 = performance.now();
  const value = await fn();
  const ms = performance.now() - t0;
  const elu = perf.eventLoopUtilization(elu0);
  await new Promise((r) => setTimeout(r, 5)); // the sample that was late because of a stall is taken on the next tick
  h.disable();
  return { value, stallMs: h.max / 1e6, ms, busyMs: elu.active };
}

export async function runOffThreadBench(): Promise<Record<string, string | number>> {
  const out: Record<string, string | number> = {};
  const tok = await loadTokenizer('o200k_base');
  const worker = new WorkerCounter();
  const routed = new RoutedCounter(new InThreadCounter(), worker);
  try {
    // Threshold: what 16 KB costs here vs a round trip to the worker.
    const small = realCorpus(OFF_THREAD_CHARS);
    const t0 = performance.now();
    tok.count(small);
    out[`(6) in-thread count of ${OFF_THREAD_CHARS} characters (the threshold) of typical text, ms`] = r1(performance.now() - t0);
    const worst = await stall3(() => new InThreadCounter().count('o200k_base', 'a'.repeat(OFF_THREAD_CHARS)));
    out['(6) in-thread count below the threshold, worst case (one long word): total / longest stall, ms'] = `${r1(worst.ms)} / ${r1(worst.stallMs)}`;
    await worker.count('o200k_base', 'warm up'); // starts the worker and loads its ranks
    const rt = await stall(() => worker.count('o200k_base', 'a short selection of a few words'));
    out['(6) worker round trip for a short text, ms'] = r1(rt.ms);

    for (const mb of [1, 5, 8]) {
      const text = flat(realCorpus(mb * MB));
      // Cold each time: a new worker (no block cached yet; the ranks load there, off this thread).
      const viaWorker = await stall3(async () => {
        const fresh = new WorkerCounter();
        try {
          return await new RoutedCounter(new InThreadCounter(), fresh).count('o200k_base', text);
        } finally {
          fresh.dispose();
        }
      });
      const inThread = await stall3(() => new InThreadCounter().count('o200k_base', text));
      out[`(7) ${mb} MB selection: tokens, exact`] = `${viaWorker.value.tokens}, ${viaWorker.value.exact && viaWorker.value.tokens === inThread.value.tokens ? 'yes, same as in-thread' : 'NO'}`;
      out[`(7) ${mb} MB selection in the worker: longest stall of this thread / its busy time / total, ms`] = `${r1(viaWorker.stallMs)} / ${r1(viaWorker.busyMs)} / ${Math.round(viaWorker.ms)}`;
      out[`(7) ${mb} MB selection in slices on this thread (before): longest stall / total, ms`] = `${r1(inThread.stallMs)} / ${Math.round(inThread.ms)}`;
    }

    // Re-count after a one-line edit in a 1 MB document: the worker's block cache re-encodes a block or two.
    const doc = flat(realCorpus(MB));
    await routed.count('o200k_base', doc);
    const mid = doc.indexOf('\n', doc.length >> 1);
    const edited = flat(doc.slice(0, mid) + '\n  const edited = computeSomething(42); // one new line' + doc.slice(mid));
    const recount = await stall3(() => routed.count('o200k_base', edited));
    out['(8) re-count after a one-line edit in 1 MB: this thread busy / longest stall / total, ms'] = `${r1(recount.busyMs)} / ${r1(recount.stallMs)} / ${r1(recount.ms)}`;
    out['(8) re-count exact'] = recount.value.tokens === tok.count(edited) ? 'yes' : 'NO';

    // Adversarial inputs: counted whole (exact) by the heap merge, and by the bounded counter (estimate past the bound).
    const cases: [string, string][] = [
      ['one 8,000-character word', 'a'.repeat(8000)],
      ['2,000 CJK characters without punctuation', '東京大阪名古屋横浜神戸京都札幌福岡'.repeat(125)],
      ['a 1 MB system prompt of one word', 'x'.repeat(MB)],
    ];
    for (const [name, text] of cases) {
      const w0 = performance.now();
      const whole = tok.count(text);
      const wholeMs = performance.now() - w0;
      const b = await stall(() => routed.count('o200k_base', text));
      out[`(9) ${name}: whole count ms (tokens) / bounded ${b.value.exact ? 'exact' : `estimate (cuts every ${MAX_UNCUT_RUN})`} (tokens), longest stall ms`] =
        `${r1(wholeMs)} (${whole}) / ${b.value.tokens}, ${r1(b.stallMs)}`;
    }
    out['(6) workers started'] = worker.started;
  } finally {
    routed.dispose();
  }
  return out;
}
