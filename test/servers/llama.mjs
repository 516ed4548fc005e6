// A real llama-server for provider tests (limit discovery, an OpenAI-compatible server that applies max_tokens):
// Debian sid's llama.cpp packages unpacked (not installed) into a cache folder with a private apt sources list, so
// the system stays on stable, plus a tiny GGUF model written by ./gguf.mjs (no download). Cached: a marker file is
// written only after a verified start, so a half-finished install is redone.
// Usage: node test/servers/llama.mjs   (installs; also imported by tests as ensureLlama() / startLlama())
// Env: LENGTHWISE_LLAMA_DIR  cache folder (default ~/.cache/lengthwise-llama)
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { pathToFileURL } from 'node:url';
import { writeTinyModel } from './gguf.mjs';

const PACKAGES = ['llama.cpp-tools', 'libllama0', 'libggml0', 'libc6', 'libgcc-s1', 'libstdc++6', 'libgomp1', 'libssl3t64', 'libzstd1', 'zlib1g'];
const MARKER = '.lengthwise-llama-ok';

export function llamaDir() {
  return process.env.LENGTHWISE_LLAMA_DIR || path.join(os.homedir(), '.cache', 'lengthwise-llama');
}

function paths(dir = llamaDir()) {
  const root = path.join(dir, 'root');
  const lib = path.join(root, 'usr', 'lib', 'x86_64-linux-gnu');
  return {
    dir,
    root,
    lib,
    loader: path.join(lib, 'ld-linux-x86-64.so.2'),
    server: path.join(root, 'usr', 'bin', 'llama-server'),
    backend: path.join(lib, 'ggml', 'backends0', 'libggml-cpu-x64.so'),
    model: path.join(dir, 'tiny.gguf'),
  };
}

function log(msg) {
  process.stderr.write(`[llama] ${msg}\n`);
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.slice(0, 3).join(' ')}… failed (exit ${r.status})`);
}

function unpack(p) {
  const sid = path.join(p.dir, 'sid');
  for (const d of ['lists/partial', 'cache/archives/partial', 'debs']) fs.mkdirSync(path.join(sid, d), { recursive: true });
  fs.writeFileSync(path.join(sid, 'sources.list'), 'deb http://deb.debian.org/debian sid main\n');
  const apt = [
    '-o', `Dir::Etc::SourceList=${path.join(sid, 'sources.list')}`,
    '-o', 'Dir::Etc::SourceParts=/dev/null',
    '-o', `Dir::State::Lists=${path.join(sid, 'lists')}`,
    '-o', `Dir::Cache=${path.join(sid, 'cache')}`,
  ];
  log('apt-get update (sid lists, private folder)');
  run('apt-get', [...apt, 'update', '-qq']);
  const debs = path.join(sid, 'debs');
  log(`apt-get download ${PACKAGES.join(' ')}`);
  run('apt-get', [...apt, 'download', ...PACKAGES], { cwd: debs });
  fs.rmSync(p.root, { recursive: true, force: true });
  fs.mkdirSync(p.root, { recursive: true });
  for (const f of fs.readdirSync(debs).filter((f) => f.endsWith('.deb'))) run('dpkg', ['-x', path.join(debs, f), p.root]);
}

/** Installs (once) and returns the paths; throws with the reason when it cannot. */
export async function ensureLlama() {
  const p = paths();
  if (fs.existsSync(path.join(p.dir, MARKER)) && fs.existsSync(p.server) && fs.existsSync(p.model)) return p;
  if (process.platform !== 'linux' || process.arch !== 'x64') throw new Error('llama-server from Debian sid is set up for linux x64 only');
  fs.mkdirSync(p.dir, { recursive: true });
  if (!fs.existsSync(p.server) || !fs.existsSync(p.backend)) unpack(p);
  writeTinyModel(p.model);
  const s = await startLlama({ ctxSize: 512 });
  try {
    const res = await fetch(`${s.url}/v1/models`);
    if (!res.ok) throw new Error(`llama-server answered ${res.status}`);
  } finally {
    await s.stop();
  }
  fs.writeFileSync(path.join(p.dir, MARKER), new Date().toISOString());
  log(`ready in ${p.dir}`);
  return p;
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts llama-server on 127.0.0.1 with the tiny model; resolves when /health answers (bounded), with stop().
 * `ctxSize` is the server's n_ctx (/props); the model's trained context (n_ctx_train) is fixed in gguf.mjs.
 */
export async function startLlama({ ctxSize = 1024, apiKey, alias = 'tiny' } = {}) {
  const p = paths();
  const port = await freePort();
  const args = [
    '--library-path', `${p.lib}:${path.join(p.lib, 'llama')}`,
    p.server,
    '-m', p.model,
    '--host', '127.0.0.1',
    '--port', String(port),
    '-c', String(ctxSize),
    '-np', '1',
    '-t', '1',
    '--alias', alias,
    '--no-webui',
    ...(apiKey ? ['--api-key', apiKey] : []),
  ];
  const child = spawn(p.loader, args, {
    env: { ...process.env, GGML_BACKEND_PATH: p.backend, LLAMA_ARG_NO_WEBUI: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const exited = new Promise((r) => child.once('exit', (code) => r(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const code = await Promise.race([exited.then((c) => ({ c })), new Promise((r) => setTimeout(r, 100))]);
    if (code) throw new Error(`llama-server exited (${code.c}): ${stderr}`);
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`llama-server did not become healthy in 30 s: ${stderr}`);
    }
  }
  return {
    url,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(t);
    },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  ensureLlama().then(
    (p) => log(`ok: ${p.server}`),
    (e) => {
      log(`failed: ${e.message}`);
      process.exit(1);
    },
  );
}
