// A real VictoriaMetrics for the telemetry tests: Debian sid's `victoria-metrics` package (one static binary that
// takes OTLP/HTTP protobuf at /opentelemetry/v1/metrics and answers PromQL), unpacked into a cached folder.
// Installed by test/host/install.mjs (CI), else on first use: import { ensureVictoria, startVictoria } from './victoria.mjs'
// Env: LENGTHWISE_VICTORIA_BIN  use this binary instead (nothing is downloaded)
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cacheRoot, unpackFromSid } from './debianSid.mjs';
import { freePort } from './server.mjs';

const PACKAGE = 'victoria-metrics';
const MARKER = '.lengthwise-victoria-ok';

function log(msg) {
  console.log(`[lengthwise-victoria] ${msg}`);
}

export function victoriaDir() {
  return path.join(cacheRoot(), 'victoria-metrics');
}

function binaryIn(root) {
  return path.join(root, 'usr', 'bin', 'victoria-metrics');
}

/** Debian's build prints an empty -version, so the check is that it runs; the version is the .deb's name. */
function checkRuns(bin) {
  const r = spawnSync(bin, ['-version'], { encoding: 'utf8', timeout: 20_000 });
  if (r.status !== 0) throw new Error(`${bin} -version failed (${r.error?.message ?? `exit ${r.status}`}): ${r.stderr}`);
}

/** The victoria-metrics binary, downloaded and unpacked on first use (about 20 MB), then cached. */
export function ensureVictoria() {
  if (process.env.LENGTHWISE_VICTORIA_BIN) return process.env.LENGTHWISE_VICTORIA_BIN;
  const dir = victoriaDir();
  const bin = binaryIn(path.join(dir, 'root'));
  try {
    const m = JSON.parse(fs.readFileSync(path.join(dir, MARKER), 'utf8'));
    if (m.bin === bin && fs.existsSync(bin)) return bin;
  } catch {}
  const started = Date.now();
  fs.mkdirSync(dir, { recursive: true });
  const { debs } = unpackFromSid(dir, [PACKAGE], log);
  if (!fs.existsSync(bin)) throw new Error(`${PACKAGE} unpacked but ${bin} is missing`);
  checkRuns(bin);
  fs.writeFileSync(path.join(dir, MARKER), JSON.stringify({ bin, debs, installedAt: new Date().toISOString() }) + '\n');
  log(`installed ${debs.join(', ')} in ${Math.round((Date.now() - started) / 1000)} s`);
  return bin;
}

/**
 * Starts VictoriaMetrics on 127.0.0.1 (a free port unless given) with a data folder (a fresh temp one unless given).
 * `stop()` ends it and keeps the data; `start()` again on the same port and data (a collector that comes back);
 * `dispose()` stops it and removes a temp data folder.
 */
export async function startVictoria({ port, dataDir, args = [] } = {}) {
  const bin = ensureVictoria();
  const ownData = !dataDir;
  const data = dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'lengthwise-vm-'));
  const listenPort = port ?? (await freePort());
  const url = `http://127.0.0.1:${listenPort}`;
  let child;
  let output = '';

  const start = () =>
    new Promise((resolve, reject) => {
      output = '';
      child = spawn(
        bin,
        [
          `-httpListenAddr=127.0.0.1:${listenPort}`,
          `-storageDataPath=${data}`,
          // Queries see the newest points at once (the default hides the last 30 s).
          '-search.latencyOffset=1ms',
          '-retentionPeriod=100y',
          // Prometheus-style names (lengthwise_cost_usd_total, gen_ai_request_model), as the README's PromQL and the
          // Grafana dashboard use them.
          '-opentelemetry.usePrometheusNaming',
          '-loggerLevel=INFO',
          ...args,
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const timer = setTimeout(() => fail(new Error(`VictoriaMetrics did not start within 30 s:\n${output.slice(-2000)}`)), 30_000);
      const fail = (e) => {
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(e);
      };
      const onData = (c) => {
        output += c.toString();
        if (output.length > 200_000) output = output.slice(-100_000);
        if (/started server at http/.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.on('error', fail);
      child.on('exit', (code, signal) => {
        if (/started server at http/.test(output)) return;
        fail(new Error(`VictoriaMetrics exited (${signal ?? code}) before it started:\n${output.slice(-2000)}`));
      });
    });

  const stop = () =>
    new Promise((resolve) => {
      const c = child;
      child = undefined;
      if (!c || c.exitCode !== null || c.signalCode !== null) return resolve();
      const hard = setTimeout(() => c.kill('SIGKILL'), 10_000);
      c.once('exit', () => {
        clearTimeout(hard);
        resolve();
      });
      c.kill('SIGINT'); // graceful: it flushes its in-memory parts to disk
    });

  await start();
  return {
    url,
    port: listenPort,
    dataDir: data,
    /** The OTLP/HTTP metrics endpoint. */
    otlpUrl: `${url}/opentelemetry/v1/metrics`,
    log: () => output,
    start,
    stop,
    async dispose() {
      await stop();
      if (ownData) fs.rmSync(data, { recursive: true, force: true });
    },
    /** Makes points received so far visible to queries. */
    async flush() {
      const r = await fetch(`${url}/internal/force_flush`);
      if (!r.ok) throw new Error(`force_flush: HTTP ${r.status}`);
    },
    /** PromQL instant query: [{ metric, value }] with value a number. */
    async query(promql) {
      const r = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`);
      const body = await r.json();
      if (body.status !== 'success') throw new Error(`query ${promql}: ${JSON.stringify(body).slice(0, 500)}`);
      return body.data.result.map((x) => ({ metric: x.metric, value: Number(x.value[1]) }));
    },
    /** Every raw point stored (JSON lines), for searching what the collector received. */
    async exportAll() {
      const r = await fetch(`${url}/api/v1/export?match[]=${encodeURIComponent('{__name__=~".+"}')}`);
      if (!r.ok) throw new Error(`export: HTTP ${r.status}`);
      return r.text();
    },
  };
}
