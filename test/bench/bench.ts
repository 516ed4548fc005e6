// `npm run bench`: prints figures (not a timed test).
// (1) full pipeline (adapter → counter → cost → status text) vs a raw SDK loop over the same ~100,000-token local
//     stream, CPU time of this process only (the server runs in a child process);
// (2)+(3) token counter and 1 MB selection figures (core-bench.ts); seam joiner on a long restart (seam-bench.ts);
// (4) activation time in the real VS Code host and dist/extension.js size; (5) .vsix size; (11) the stall of Send's
// preparation for 1, 5 and 8 MB beside the meter's (send-bench.ts).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import OpenAI from 'openai';
import { findPrice } from '../../src/core/pricing/cost';
import { Ledger } from '../../src/core/ledger/ledger';
import { memoryStorage } from '../ledgerDouble';
import { runRound } from '../../src/core/generation/pipeline';
import { streamingText } from '../../src/core/views/statusText';
import { loadTokenizer } from '../../src/core/tokens/tokens';
import { createAdapter } from '../../src/providers';
import { boundedReads } from '../../src/providers/boundedReads';
import { runCoreBench } from './core-bench';
import { runOffThreadBench } from './offthread-bench';
import { runSeamBench } from './seam-bench';
import { runSendBench } from './send-bench';
import { realCorpus } from './corpus';

const REPO = path.resolve(__dirname, '..', '..');
const figures: [string, string | number][] = [];
const put = (k: string, v: string | number) => {
  figures.push([k, v]);
  console.log(`${k.padEnd(58)} ${v}`);
};

/** aimock in a child process, so its CPU is not counted against the client. */
async function startServer(content: string): Promise<{ url: string; child: ChildProcess }> {
  const fixture = path.join(REPO, 'out', 'bench-fixture.json');
  fs.mkdirSync(path.dirname(fixture), { recursive: true });
  fs.writeFileSync(fixture, JSON.stringify({ content }));
  const script = `
    const { LLMock } = require('@copilotkit/aimock');
    const { content } = require(${JSON.stringify(fixture)});
    const m = new LLMock({ port: 0, host: '127.0.0.1' });
    m.onMessage('bench', { content, usage: { prompt_tokens: 5, completion_tokens: 100000 } }, { chunkSize: 20 });
    m.start().then(() => console.log('URL ' + m.url));
    process.stdin.on('end', () => m.stop().then(() => process.exit(0)));
    process.stdin.resume();`;
  const child = spawn(process.execPath, ['-e', script], { cwd: REPO, stdio: ['pipe', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('bench server did not start')), 20_000);
    child.stdout!.on('data', (d: Buffer) => {
      const m = /URL (\S+)/.exec(d.toString());
      if (m) {
        clearTimeout(t);
        resolve(m[1]);
      }
    });
  });
  return { url, child };
}

function cpuMs<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const c0 = process.cpuUsage();
  return fn().then((value) => {
    const c = process.cpuUsage(c0);
    return { ms: (c.user + c.system) / 1000, value };
  });
}

/** Peak heap above the starting point while fn runs (sampled every 2 ms after a full GC; needs --expose-gc). */
async function peakHeapMb(fn: () => Promise<unknown>): Promise<number> {
  (globalThis as { gc?: () => void }).gc?.();
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 2);
  try {
    await fn();
  } finally {
    clearInterval(sample);
  }
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  return (peak - base) / 1024 / 1024;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function pipelineVsRaw(): Promise<void> {
  const tok = await loadTokenizer('o200k_base');
  // ~100,000 tokens of mixed code and prose.
  let content = realCorpus(420_000);
  while (tok.count(content) > 100_000) content = content.slice(0, Math.floor(content.length * 0.98));
  const tokens = tok.count(content);
  const { url, child } = await startServer(content);
  const baseURL = `${url}/v1`;
  const price = findPrice('openai', 'gpt-4.1-mini');
  try {
    // The same loop with the body handed to the SDK as the adapter hands it (boundedReads): what is left between
    // this and the full pipeline is the pipeline's own work.
    const rawLoop = (bounded: boolean) => async () => {
      const fetchOpt = bounded ? { fetch: (async (i, init) => boundedReads(await fetch(i, init))) as typeof fetch } : {};
      const client = new OpenAI({ apiKey: 'bench', baseURL, maxRetries: 0, ...fetchOpt });
      const stream = await client.chat.completions.create({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'bench' }], stream: true, max_tokens: 200_000 });
      let text = '';
      for await (const ch of stream) text += ch.choices[0]?.delta?.content ?? '';
      return text.length;
    };
    const raw = rawLoop(false);
    const rawBounded = rawLoop(true);
    // `counting` false: the same pipeline without a tokenizer (the meter estimates from characters), which shows
    // what the live count costs apart from the rest of the pipeline's work.
    const pipeline = (counting: boolean) => async () => {
      const { ledger } = await Ledger.open(memoryStorage());
      let text = '';
      let redraws = 0;
      let lastDraw = 0;
      let status = '';
      const r = await runRound(
        { provider: 'openai', model: 'gpt-4.1-mini', baseUrl: baseURL, messages: [{ role: 'user', content: 'bench' }], maxTokens: 200_000, stop: [], maxRetries: 0 },
        { inputTokens: 1, inputExact: true },
        {
          adapter: createAdapter('openai'),
          apiKey: 'bench',
          tokenizer: counting ? tok : undefined,
          tokenizerExact: counting,
          price,
          ledger,
          workspace: 'bench',
          onText: (d) => (text += d),
          // The status bar redraws at most every 100 ms.
          onEvent: (_e, snap) => {
            const now = performance.now();
            if (now - lastDraw >= 100) {
              lastDraw = now;
              status = streamingText(snap(), 1);
              redraws++;
            }
          },
        },
      );
      if (r.text !== content) throw new Error('pipeline lost text');
      return { chars: text.length, redraws, status, out: r.usage.outputTokens };
    };
    const full = pipeline(true);
    const uncounted = pipeline(false);
    // Warm up every path once, then alternate.
    await raw();
    await rawBounded();
    await full();
    await uncounted();
    const rawMs: number[] = [];
    const boundedMs: number[] = [];
    const fullMs: number[] = [];
    const uncountedMs: number[] = [];
    let last: Awaited<ReturnType<typeof full>> | undefined;
    for (let i = 0; i < 5; i++) {
      rawMs.push((await cpuMs(raw)).ms);
      boundedMs.push((await cpuMs(rawBounded)).ms);
      uncountedMs.push((await cpuMs(uncounted)).ms);
      const f = await cpuMs(full);
      fullMs.push(f.ms);
      last = f.value;
    }
    put('(1) stream size', `${tokens} tokens, ${content.length} chars, ~${Math.ceil(content.length / 20)} chunks`);
    put('(1) raw SDK loop, CPU ms (median of 5)', median(rawMs).toFixed(1));
    put('(1) full pipeline, CPU ms (median of 5)', median(fullMs).toFixed(1));
    put('(1) pipeline / raw CPU ratio (target ≤ 1.05)', (median(fullMs) / median(rawMs)).toFixed(3));
    put('(1) raw SDK loop with bounded reads, CPU ms (median of 5)', median(boundedMs).toFixed(1));
    put('(1) pipeline / raw loop with bounded reads (own work)', (median(fullMs) / median(boundedMs)).toFixed(3));
    put('(1) pipeline without the live count / raw loop with bounded reads', (median(uncountedMs) / median(boundedMs)).toFixed(3));
    // The pipeline's biggest own cost: the exact count of the answer (the live counter does this work once).
    const countMs: number[] = [];
    for (let i = 0; i < 5; i++) countMs.push((await cpuMs(async () => tok.count(content))).ms);
    put('(1) exact count of the same answer alone, CPU ms (median of 5)', median(countMs).toFixed(1));
    put('(1) counted output tokens (provider reported 100000)', last?.out ?? 0);
    const rawHeap = await peakHeapMb(raw);
    const fullHeap = await peakHeapMb(full);
    put('(1) peak heap above start: raw loop / full pipeline, MB', `${rawHeap.toFixed(1)} / ${fullHeap.toFixed(1)}`);
    put('(1) status redraws in the last run', last?.redraws ?? 0);
  } finally {
    child.stdin!.end();
    child.kill();
  }
}

function sizes(): void {
  const kb = (f: string) => (fs.existsSync(f) ? `${(fs.statSync(f).size / 1024).toFixed(1)} KB` : 'missing');
  put('(4) dist/extension.js (production)', kb(path.join(REPO, 'dist', 'extension.js')));
  put('(4) dist/ranks/o200k_base.js (lazy)', kb(path.join(REPO, 'dist', 'ranks', 'o200k_base.js')));
  const vsce = spawnSync(process.execPath, [path.join(REPO, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--no-rewrite-relative-links', '-o', path.join(REPO, 'out', 'bench.vsix')], { cwd: REPO, encoding: 'utf8' });
  put('(5) .vsix', vsce.status === 0 ? kb(path.join(REPO, 'out', 'bench.vsix')) : `vsce failed: ${vsce.stderr.slice(0, 200)}`);
}

function activation(): void {
  if (process.env.LENGTHWISE_BENCH_SKIP_HOST === '1') return;
  const build = spawnSync(process.execPath, ['esbuild.js', '--tests', '--production'], { cwd: REPO, encoding: 'utf8' });
  if (build.status !== 0) return put('(4) activation', 'build failed');
  const run = spawnSync(process.execPath, ['test/host/run.mjs', '--grep', 'activate\\(\\) is quick|telemetry: spend exported|100,000 tokens land'], { cwd: REPO, encoding: 'utf8', timeout: 900_000 });
  const m = /activate\(\) took ([\d.]+) ms/.exec(run.stdout ?? '');
  put('(4) activate() in the real VS Code host', m ? `${m[1]} ms` : `not measured (exit ${run.status})`);
  // With export on, activate() only schedules the start; the OpenTelemetry chunk loads after it has returned.
  const t = /telemetry export started in ([\d.]+) ms, after activate\(\) \(([\d.]+) ms\)/.exec(run.stdout ?? '');
  put('(4) export on: activate() / telemetry start after it, in the host', t ? `${t[2]} ms / ${t[1]} ms` : `not measured (exit ${run.status})`);
  const st = /stream of 100,000 tokens into a document: (.*)/.exec(run.stdout ?? '');
  put('(10) real host, 100,000 tokens streamed into a document', st ? st[1] : `not measured (exit ${run.status})`);
}

/**
 * (6) What turning telemetry export on costs, in a fresh Node process: reading the OpenTelemetry chunk
 * (dist/telemetry/otel.js) and starting the exporter. The extension does this after activate() returns, only when
 * lengthwise.telemetry.otlpEndpoint is set; with export off neither happens.
 */
function telemetryStart(): void {
  const chunk = path.join(REPO, 'dist', 'telemetry', 'otel.js');
  const script = `
    const t0 = performance.now();
    const otel = require(${JSON.stringify(chunk)});
    const t1 = performance.now();
    const ex = otel.startOtelExport({ endpoint: 'http://127.0.0.1:9/v1/metrics', headers: {}, intervalMs: 60000,
      resource: { 'service.name': 'lengthwise' }, log: { info() {}, warn() {} } });
    const t2 = performance.now();
    console.log(JSON.stringify({ load: t1 - t0, start: t2 - t1 }));
    ex.shutdown().then(() => process.exit(0));`;
  const runs: { load: number; start: number }[] = [];
  for (let i = 0; i < 5; i++) {
    const r = spawnSync(process.execPath, ['-e', script], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0) return put('(6) telemetry export on: OTel chunk load + exporter start', `failed: ${r.stderr.slice(0, 200)}`);
    runs.push(JSON.parse(r.stdout.trim().split('\n').pop()!));
  }
  put('(6) telemetry export on: OTel chunk load / exporter start, median of 5', `${median(runs.map((r) => r.load)).toFixed(1)} ms / ${median(runs.map((r) => r.start)).toFixed(1)} ms (off: 0, not loaded)`);
  put('(6) dist/telemetry/otel.js (lazy chunk)', `${(fs.statSync(chunk).size / 1024).toFixed(1)} KB`);
}

async function main(): Promise<void> {
  console.log(`Lengthwise benchmark — node ${process.version}, ${new Date().toISOString()}`);
  await pipelineVsRaw();
  // `--pipeline`: only the stream path (for node --cpu-prof).
  if (process.argv.includes('--pipeline')) return;
  const core = await runCoreBench();
  for (const [k, v] of Object.entries(core)) put(k, v);
  for (const [k, v] of Object.entries(await runOffThreadBench())) put(k, v);
  for (const [k, v] of Object.entries(await runSendBench())) put(k, v);
  for (const [k, v] of Object.entries(runSeamBench())) put(k, v);
  sizes();
  telemetryStart();
  activation();
  fs.writeFileSync(path.join(REPO, 'out', 'bench.json'), JSON.stringify(Object.fromEntries(figures), null, 2));
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
