// Core benchmark: token counter and block cache figures (prints; not a timed test).
//   node --import tsx test/bench/core-bench.ts
// (2) live counter: p50/p99 per chunk over a 20,000-chunk stream of 3–8 characters, exactness vs a full encode;
// (3) a 1 MB selection: first count (sync and async), re-count after a one-line edit, longest blocking slice.
import { loadTokenizer, type Tokenizer } from '../../src/core/tokens/tokens';
import { BlockCounter } from '../../src/core/tokens/blockCounter';
import { StreamCounter } from '../../src/core/tokens/streamCounter';
import { useDataLoader } from '../../src/core/lazyData';
import { nodeDataLoader } from '../../src/platform/node/lazyChunk';
import { realCorpus, rng } from './corpus';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
const ms = (x: number) => Math.round(x * 100) / 100;

/** Runs fn while a setImmediate ticker measures the longest time the event loop was blocked. */
async function withBlockProbe<T>(fn: () => Promise<T>): Promise<{ value: T; longestBlockMs: number; elapsedMs: number }> {
  let last = performance.now();
  let longest = 0;
  let running = true;
  const tick = () => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  const t0 = performance.now();
  const value = await fn();
  const elapsedMs = performance.now() - t0;
  running = false;
  tick();
  return { value, longestBlockMs: longest, elapsedMs };
}

function streamFigures(tok: Tokenizer, text: string): Record<string, number | string> {
  const r = rng(2024);
  const chunks: string[] = [];
  for (let i = 0; chunks.length < 20_000 && i < text.length; ) {
    const n = 3 + Math.floor(r() * 6);
    chunks.push(text.slice(i, i + n));
    i += n;
  }
  const streamed = chunks.join('');
  const sc = new StreamCounter(tok);
  const times = new Array<number>(chunks.length);
  const t0 = performance.now();
  for (let i = 0; i < chunks.length; i++) {
    const a = performance.now();
    sc.push(chunks[i]);
    times[i] = performance.now() - a;
  }
  const total = performance.now() - t0;
  const f0 = performance.now();
  const full = tok.count(streamed);
  const fullMs = performance.now() - f0;
  times.sort((a, b) => a - b);
  return {
    'stream.chunks': chunks.length,
    'stream.chars': streamed.length,
    'stream.tokens': sc.total,
    'stream.p50Ms': ms(percentile(times, 50)),
    'stream.p99Ms': ms(percentile(times, 99)),
    'stream.maxMs': ms(times[times.length - 1]),
    'stream.totalMs': ms(total),
    'stream.fullEncodeOnceMs': ms(fullMs),
    'stream.exact': sc.total === full && sc.exact ? 'yes' : `NO (${sc.total} vs ${full})`,
  };
}

async function selectionFigures(tok: Tokenizer, text: string): Promise<Record<string, number | string>> {
  const f0 = performance.now();
  const full = tok.count(text);
  const fullMs = performance.now() - f0;

  const s0 = performance.now();
  const syncCount = new BlockCounter(tok).count(text);
  const syncMs = performance.now() - s0;

  const bc = new BlockCounter(tok);
  const first = await withBlockProbe(() => bc.countAsync(text));

  const mid = text.indexOf('\n', text.length >> 1);
  const edited = text.slice(0, mid) + '\n  const edited = computeSomething(42); // one new line' + text.slice(mid);
  const misses = bc.stats.misses;
  const e0 = performance.now();
  const recount = bc.count(edited);
  const recountMs = performance.now() - e0;
  const reencoded = bc.stats.misses - misses;
  const edited2 = edited.replace('computeSomething(42)', 'computeSomething(43)');
  const again = await withBlockProbe(() => bc.countAsync(edited2));

  return {
    'selection.chars': text.length,
    'selection.tokens': full,
    'selection.fullEncodeMs': ms(fullMs),
    'selection.firstCountSyncMs': ms(syncMs),
    'selection.firstCountAsyncMs': ms(first.elapsedMs),
    'selection.firstCountAsyncLongestBlockMs': ms(first.longestBlockMs),
    'selection.recountAfterEditMs': ms(recountMs),
    'selection.recountBlocksReencoded': reencoded,
    'selection.recountAsyncMs': ms(again.elapsedMs),
    'selection.recountAsyncLongestBlockMs': ms(again.longestBlockMs),
    'selection.exact':
      syncCount === full && first.value === full && recount === tok.count(edited) && bc.exact ? 'yes' : 'NO',
  };
}

export async function runCoreBench(): Promise<Record<string, string | number>> {
  const out: Record<string, string | number> = {};
  // A cold load only when this load reads the ranks (an earlier part of the bench may have loaded them).
  let cold = false;
  useDataLoader((chunk, fallback) => {
    if (chunk === 'ranks/o200k_base') cold = true;
    return nodeDataLoader(chunk, fallback);
  });
  const load = await withBlockProbe(() => loadTokenizer('o200k_base'));
  useDataLoader(nodeDataLoader);
  if (cold) {
    out['tokenizer.o200kColdLoadMs'] = ms(load.elapsedMs);
    out['tokenizer.o200kLoadLongestBlockMs'] = ms(load.longestBlockMs);
  }
  const tok = await loadTokenizer('o200k_base');
  const corpus = realCorpus(1024 * 1024);
  Object.assign(out, streamFigures(tok, corpus));
  Object.assign(out, await selectionFigures(tok, corpus));
  return out;
}

if (require.main === module) {
  runCoreBench().then(
    (figures) => {
      for (const [k, v] of Object.entries(figures)) console.log(`${k.padEnd(44)} ${v}`);
    },
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
