// Node 24 for the VS Code 1.139 host (code-server 4.139.1's postinstall accepts only Node 24; these machines have
// Node 20 and no internet beyond npm and Debian). Debian sid's `nodejs` package is downloaded with its libraries and
// unpacked, not installed (test/host/debianSid.mjs: a private sources list, the system stays on its release), into
// <cache>/node-24 (cache: LENGTHWISE_HOST_CACHE, default ~/.cache/lengthwise-host). Then:
// - bin/node is a copy of sid's usr/bin/node whose ELF interpreter and library path point at the unpacked glibc and
//   libraries (`patchelf`). Running it through the unpacked ld.so instead is not enough: VS Code forks its extension
//   host with process.execPath, which would then be the loader.
// - Debian's node loads a few JavaScript builtins (undici, acorn) from fixed paths under /usr/share/nodejs; those files
//   are copied there from the unpacked node-undici / node-acorn packages (as root; files already there are left alone).
// - headers/include/node holds Node 24's headers (libnode-dev, with uv.h from libuv1-dev and OpenSSL's from
//   libssl-dev) for node-gyp: without it node-gyp builds the host's native modules against whatever headers the
//   system's Node has (here Node 20's), and the non-N-API ones then fail to load in Node 24.
// Idempotent: a marker is written only after the node runs; later calls only re-copy missing builtins and re-check.
// Used by install.mjs (which holds the install lock and apt-installs patchelf first).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { cacheRoot, unpackFromSid } from './debianSid.mjs';

export const NODE_MAJOR_24 = 24;

// sid's nodejs (24.22.2 when this was written) and the libraries it links (libnode137: ABI 137); node-undici and
// node-acorn carry the externalized builtins; the last three the headers.
const RUNTIME = [
  'nodejs', 'libnode137', 'libada-url0-3', 'libbrotli1', 'libc6', 'libcares2', 'libgcc-s1', 'libhdr-histogram6',
  'libicu78', 'libllhttp9.4', 'libnghttp2-14', 'libsimdjson33', 'libsimdutf35', 'libsqlite3-0', 'libssl3t64',
  'libstdc++6', 'libuv1t64', 'libzstd1', 'zlib1g',
];
const BUILTINS = ['node-undici', 'node-acorn'];
const HEADERS = ['libnode-dev', 'libuv1-dev', 'libssl-dev'];
export const NODE24_PACKAGES = [...RUNTIME, ...BUILTINS, ...HEADERS];

const ARCH = {
  x64: { triplet: 'x86_64-linux-gnu', loader: 'ld-linux-x86-64.so.2' },
  arm64: { triplet: 'aarch64-linux-gnu', loader: 'ld-linux-aarch64.so.1' },
};

const MARKER = '.lengthwise-node-ok';
const SHARE = '/usr/share/nodejs';

export function node24Dir() {
  return path.join(cacheRoot(), `node-${NODE_MAJOR_24}`);
}

function arch() {
  const a = ARCH[process.arch];
  if (!a) throw new Error(`Node 24 from Debian: no library layout known for ${process.arch}`);
  return a;
}

function layout(dir) {
  const root = path.join(dir, 'root');
  const libDir = path.join(root, 'usr', 'lib', arch().triplet);
  return { dir, root, libDir, node: path.join(dir, 'bin', 'node'), nodedir: path.join(dir, 'headers') };
}

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 60_000, ...opts });
  if (r.error) throw new Error(`${cmd} could not run: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ').slice(0, 200)} failed (exit ${r.status ?? r.signal}):\n${(r.stderr || r.stdout || '').slice(-2000)}`);
  return r.stdout;
}

/**
 * The builtins this libnode loads from disk, read from its configure flags embedded in the library
 * (NODE_SHARED_BUILTIN_<NAME>_PATH=/usr/share/nodejs/…), so a newer sid build that externalizes more is covered.
 */
function externalizedBuiltins(libDir) {
  const lib = fs.readdirSync(libDir).find((f) => /^libnode\.so\.\d+$/.test(f));
  if (!lib) throw new Error(`no libnode.so.N in ${libDir}`);
  const text = fs.readFileSync(path.join(libDir, lib)).toString('latin1');
  const files = new Set();
  for (const m of text.matchAll(/NODE_SHARED_BUILTIN_\w+_PATH=(\/usr\/share\/nodejs\/[\w./-]+\.js)/g)) files.add(m[1]);
  if (files.size === 0) throw new Error(`${lib} names no externalized builtins: the search for them needs updating`);
  return [...files].sort();
}

/**
 * Puts each builtin at its fixed path. A file already there (from the system or an earlier run) is left alone: if it
 * does not suit this node, the run check below says so.
 */
function ensureBuiltins(root, files, log) {
  const missing = files.filter((f) => !fs.existsSync(f));
  if (missing.length === 0) return;
  for (const f of missing) {
    if (!fs.existsSync(path.join(root, f))) throw new Error(`${f} is not in the unpacked packages (${BUILTINS.join(', ')})`);
  }
  if (!isRoot()) {
    const cmds = missing.map((f) => `sudo install -D -m 644 ${path.join(root, f)} ${f}`).join('\n');
    throw new Error(`Debian's Node 24 loads these files from fixed paths; copy them there (as root):\n${cmds}`);
  }
  for (const f of missing) {
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.copyFileSync(path.join(root, f), f);
    fs.chmodSync(f, 0o644);
  }
  log(`copied ${missing.length} JavaScript builtin(s) of Debian's node into ${SHARE}: ${missing.map((f) => path.relative(SHARE, f)).join(', ')}`);
}

/** Node's headers in the layout node-gyp expects of a --nodedir (include/node/…, as in Node's headers tarball). */
function writeHeaders(root, nodedir) {
  const inc = path.join(root, 'usr', 'include');
  const out = path.join(nodedir, 'include', 'node');
  fs.rmSync(nodedir, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  fs.cpSync(path.join(inc, 'node'), out, { recursive: true });
  fs.cpSync(path.join(inc, 'uv.h'), path.join(out, 'uv.h'));
  fs.cpSync(path.join(inc, 'uv'), path.join(out, 'uv'), { recursive: true });
  fs.cpSync(path.join(inc, 'openssl'), path.join(out, 'openssl'), { recursive: true });
  fs.cpSync(path.join(inc, arch().triplet, 'openssl'), path.join(out, 'openssl'), { recursive: true }); // opensslconf.h, configuration.h
  if (!fs.existsSync(path.join(out, 'common.gypi')) || !fs.existsSync(path.join(out, 'node_api.h'))) throw new Error(`incomplete Node headers in ${out}`);
}

/** The node runs, is Node 24, and its children see it as process.execPath (what VS Code forks its hosts with). */
function check(node) {
  const env = { ...process.env, NODE_OPTIONS: '' };
  const script = `const c = require('node:child_process').execFileSync(process.execPath, ['-p', 'process.execPath'], { encoding: 'utf8' }).trim();
    if (c !== process.execPath) throw new Error('a child sees execPath ' + c);
    if (typeof fetch !== 'function') throw new Error('no fetch');
    console.log(JSON.stringify({ version: process.version, abi: process.versions.modules }));`;
  const out = run(node, ['-e', script], { env, timeout: 30_000 });
  const info = JSON.parse(out.trim().split('\n').pop());
  if (Number(info.version.slice(1).split('.')[0]) !== NODE_MAJOR_24) throw new Error(`${node} is ${info.version}, not Node ${NODE_MAJOR_24}: Debian sid moved on; update test/host/node24.mjs`);
  return info;
}

/**
 * The cached Node 24, made ready (builtins in place, runs) — or undefined when it must be installed.
 * @returns {{ node: string, nodedir: string, version: string, abi: string } | undefined}
 */
export function node24Ready(log) {
  const l = layout(node24Dir());
  let m;
  try {
    m = JSON.parse(fs.readFileSync(path.join(l.dir, MARKER), 'utf8'));
  } catch {
    return undefined;
  }
  if (m.node !== l.node || !fs.existsSync(l.node) || !fs.existsSync(path.join(l.nodedir, 'include', 'node', 'node_api.h'))) return undefined;
  // The cache may survive on a fresh machine where /usr/share/nodejs does not.
  ensureBuiltins(l.root, m.builtins, log);
  const info = check(l.node);
  return { node: l.node, nodedir: l.nodedir, ...info };
}

/** Downloads, unpacks and patches Node 24 into node24Dir() (about 60 MB of packages, ~15 s). Needs patchelf. */
export function installNode24(log) {
  const l = layout(node24Dir());
  const started = Date.now();
  fs.rmSync(path.join(l.dir, MARKER), { force: true });
  const { debs } = unpackFromSid(l.dir, NODE24_PACKAGES, log);
  fs.rmSync(path.join(l.dir, 'debs'), { recursive: true, force: true }); // unpacked; the .deb files are not needed again
  const loader = path.join(l.libDir, arch().loader);
  for (const f of [loader, path.join(l.root, 'usr', 'bin', 'node')]) if (!fs.existsSync(f)) throw new Error(`unpacked packages lack ${f}`);

  fs.mkdirSync(path.dirname(l.node), { recursive: true });
  fs.copyFileSync(path.join(l.root, 'usr', 'bin', 'node'), l.node);
  fs.chmodSync(l.node, 0o755);
  // --force-rpath: DT_RPATH (not RUNPATH) also applies to the libraries' own dependencies (libnode → libicu …).
  run('patchelf', ['--set-interpreter', loader, '--force-rpath', '--set-rpath', l.libDir, l.node]);

  const builtins = externalizedBuiltins(l.libDir);
  ensureBuiltins(l.root, builtins, log);
  writeHeaders(l.root, l.nodedir);
  const info = check(l.node);
  const seconds = Math.round((Date.now() - started) / 1000);
  fs.writeFileSync(path.join(l.dir, MARKER), JSON.stringify({ node: l.node, ...info, builtins, debs, installedAt: new Date().toISOString(), seconds }) + '\n');
  log(`Node ${info.version} (ABI ${info.abi}) ready at ${l.node} in ${seconds} s`);
  return { node: l.node, nodedir: l.nodedir, ...info };
}
