// Ensures the editor test hosts (see HOSTS in server.mjs): VS Code 1.139 (npm code-server@4.139.1 on Node 24 from
// Debian sid, test/host/node24.mjs) for the whole suite and VS Code 1.100.3 (code-server@4.100.3 on this Node 20) for
// the smoke pass on the oldest supported version; plus Debian's chromium, ripgrep, kerberos headers, a compiler and
// patchelf. Each code-server is installed in its own cached folder (<cache>/code-server-<version>, cache:
// LENGTHWISE_HOST_CACHE, default ~/.cache/lengthwise-host), outside the extension's dependencies.
// Idempotent: a marker file is written only after a verified install (native modules load with the host's Node, the
// server starts and is the expected VS Code), so a broken half-install is redone. Downloads come only from the npm
// registry and Debian's archive.
// Usage: node test/host/install.mjs [--host 1.139|1.100] [--no-browser]
//        (no --host: both hosts, and the telemetry tests' VictoriaMetrics, test/host/victoria.mjs — what CI runs)
//        Also imported by run.mjs / start.mjs as ensureHost(host).
// Needs root for what is missing of: apt-get install of the Debian packages, copying Debian's node builtins into
// /usr/share/nodejs (node24.mjs). Without root it says what to install.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { HOSTS, CURRENT_HOST, OLDEST_HOST, hostFor, hostPaths, startServer, makeTempDirs, log } from './server.mjs';
import { installNode24, node24Dir, node24Ready, NODE_MAJOR_24 } from './node24.mjs';
import { ensureVictoria } from './victoria.mjs';

const NODE_MAJOR = Number(process.versions.node.split('.')[0]);

// What @vscode/ripgrep 1.15.11 (the version pinned in code-server 4.100.3's lib/vscode/npm-shrinkwrap.json) downloads
// from GitHub in its postinstall (lib/postinstall.js VERSION, lib/download.js cache dir). We seed that cache with
// Debian's rg because GitHub is not reachable here. VS Code 1.139 uses @vscode/ripgrep-universal, which carries its
// binaries in the npm package.
const RIPGREP_PACKAGE_VERSION = '1.15.11';
const RIPGREP_ASSET_VERSION = 'v13.0.0-10';
const RIPGREP_TARGETS = { x64: 'x86_64-unknown-linux-musl', arm64: 'aarch64-unknown-linux-musl' };
const RG_BINARY = {
  '1.100': () => 'node_modules/@vscode/ripgrep/bin/rg',
  '1.139': () => `node_modules/@vscode/ripgrep-universal/bin/linux-${process.arch}/rg`,
};

// Native modules the server loads; each must load with the host's Node after the install (proves the build scripts
// ran, against that Node's headers).
const COMMON_NATIVE = ['node-pty', 'kerberos', '@vscode/spdlog', '@parcel/watcher', '@vscode/deviceid'];
const NATIVE_CHECKS = {
  '1.100': [...COMMON_NATIVE, 'native-watchdog'],
  '1.139': [...COMMON_NATIVE, '@vscode/native-watchdog', '@vscode/sqlite3'],
};

const MARKER = '.lengthwise-host-ok';

function commandExists(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Debian packages the host needs, with the probe that says whether each is there. */
function missingPackages({ needBrowser, needBuild, needPatchelf }) {
  const missing = [];
  if (needPatchelf && !commandExists('patchelf')) missing.push('patchelf'); // node24.mjs: Debian's node made runnable
  if (needBrowser && !process.env.LENGTHWISE_CHROMIUM && !fs.existsSync('/usr/bin/chromium')) missing.push('chromium');
  if (needBuild) {
    if (!commandExists('rg')) missing.push('ripgrep');
    if (!fs.existsSync('/usr/include/gssapi/gssapi.h')) missing.push('libkrb5-dev'); // kerberos module build
    // node-gyp builds node-pty, kerberos, spdlog, argon2 …: a clean image may lack a compiler.
    if (!commandExists('make') || !commandExists('g++')) missing.push('build-essential');
    if (!commandExists('python3')) missing.push('python3');
  }
  return missing;
}

function ensureDebianPackages(opts) {
  const missing = missingPackages(opts);
  if (missing.length === 0) return;
  if (!isRoot() || !commandExists('apt-get')) {
    throw new Error(`missing system packages: ${missing.join(' ')} (install them, e.g. sudo apt-get install -y ${missing.join(' ')})`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  log(`install: apt-get update && apt-get install -y ${missing.join(' ')}`);
  for (const args of [['update'], ['install', '-y', ...missing]]) {
    const r = spawnSync('apt-get', args, { stdio: ['ignore', 'inherit', 'inherit'], env, timeout: 15 * 60_000 });
    if (r.status !== 0) throw new Error(`apt-get ${args[0]} failed (exit ${r.status})`);
  }
  const still = missingPackages(opts);
  if (still.length) throw new Error(`still missing after apt-get: ${still.join(' ')}`);
}

function seedRipgrepCache() {
  const target = RIPGREP_TARGETS[process.arch];
  if (!target) throw new Error(`no ripgrep target known for ${process.arch}`);
  const dir = path.join(os.tmpdir(), `vscode-ripgrep-cache-${RIPGREP_PACKAGE_VERSION}`);
  const file = path.join(dir, `ripgrep-${RIPGREP_ASSET_VERSION}-${target}.tar.gz`);
  if (fs.existsSync(file) && fs.statSync(file).size > 0) {
    log(`install: ripgrep cache already seeded: ${file}`);
    return;
  }
  const rg = spawnSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).stdout.trim();
  if (!rg) throw new Error('rg (ripgrep) not found');
  fs.mkdirSync(dir, { recursive: true });
  // The package untars the asset into its bin/ and expects `rg` at the archive's top level.
  const r = spawnSync('tar', ['czf', file, '-C', path.dirname(fs.realpathSync(rg)), path.basename(fs.realpathSync(rg))], {
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error('could not create the ripgrep cache tarball');
  log(`install: seeded ripgrep cache ${file} from ${rg}`);
}

/**
 * Environment for the install. npm 11 skips dependency install scripts that no allowScripts policy covers, but
 * code-server's postinstall (which runs two nested `npm install`s in lib/vscode and lib/vscode/extensions) and the
 * native builds (node-pty, kerberos, spdlog, argon2 …) and @vscode/ripgrep's download must run. An allowlist cannot
 * reach the nested installs: --allow-scripts/npm_config_allow_scripts is refused in project installs
 * (EALLOWSCRIPTS), and an .npmrc allow-scripts is exported by npm into the scripts' environment, where the nested
 * npm then refuses it the same way. So this one install, of a pinned package whose dependency trees are locked by its
 * own npm-shrinkwrap.json files, in a folder of its own, runs with dangerously-allow-all-scripts (what npm < 11 did).
 * An outer `npm run` exports its project's state (npm_config_local_prefix, npm_package_*, npm_lifecycle_* …) that
 * would point this npm at the repo: those are dropped; other npm_config_* (registry, cache, proxy …) stay.
 */
function npmEnv({ nodedir, binDir } = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^npm_/i.test(k) && !/^npm_config_/i.test(k)) continue;
    if (/^npm_config_(local_prefix|allow_scripts|global|prefix|ignore_scripts)$/i.test(k)) continue;
    env[k] = v;
  }
  Object.assign(env, {
    npm_config_dangerously_allow_all_scripts: 'true',
    npm_config_unsafe_perm: 'true', // code-server's postinstall refuses to run as root otherwise
    npm_config_yes: 'true', // node-pty's postinstall calls npx (node-gyp)
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  });
  // node-gyp must find the host Node's headers locally (no internet to download them): Node 24's come with
  // node24.mjs; this Node 20's own package ships them.
  const ownDir = path.dirname(path.dirname(process.execPath));
  if (nodedir) env.npm_config_nodedir = nodedir;
  else if (fs.existsSync(path.join(ownDir, 'include/node/node_api.h'))) env.npm_config_nodedir = ownDir;
  // Install scripts run `node`: the host's Node comes first on PATH.
  if (binDir) env.PATH = `${binDir}${path.delimiter}${env.PATH ?? ''}`;
  return env;
}

/** npm's own CLI script (this machine's npm), to run it with another Node. */
function npmCli() {
  const candidates = [process.env.npm_execpath, path.join(path.dirname(path.dirname(process.execPath)), 'lib/node_modules/npm/bin/npm-cli.js')];
  const which = spawnSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).stdout.trim();
  if (which) candidates.push(fs.realpathSync(which));
  const cli = candidates.find((c) => c && /npm-cli\.js$/.test(c) && fs.existsSync(c));
  if (!cli) throw new Error(`npm-cli.js not found (tried ${candidates.filter(Boolean).join(', ')})`);
  return cli;
}

/** npm install in `dir`, run by `node` (the host's Node: its postinstall checks the major version). Bounded. */
function runNpmInstall(dir, env, node) {
  return new Promise((resolve, reject) => {
    const args = ['install', '--foreground-scripts', '--no-package-lock'];
    log(`install: (cd ${dir} && ${node} npm-cli.js ${args.join(' ')})   [about 1-2 min]`);
    const child = spawn(node, [npmCli(), ...args], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), 20 * 60_000);
    timer.unref();
    let skipped = false;
    const watch = (chunk, out) => {
      const s = chunk.toString();
      if (/not yet covered by allowScripts|install scripts? (were|was) skipped/i.test(s)) skipped = true;
      out.write(s);
    };
    child.stdout.on('data', (c) => watch(c, process.stdout));
    child.stderr.on('data', (c) => watch(c, process.stderr));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`npm install failed (${signal ?? `exit ${code}`})`));
      if (skipped) log('install: WARNING npm skipped some install scripts (see above); the checks below decide');
      resolve();
    });
  });
}

/** Load each native module in a fresh process of the host's Node, as the server will. */
function verifyNativeModules(paths) {
  const checks = NATIVE_CHECKS[paths.host.id];
  const req = createRequire(path.join(paths.vscodeDir, 'package.json'));
  const script = checks.map((m) => `require(${JSON.stringify(req.resolve(m))});`).join('\n');
  const r = spawnSync(paths.node, ['-e', script], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`native modules do not load in ${paths.node}:\n${r.stderr}`);
  const rg = path.join(paths.vscodeDir, RG_BINARY[paths.host.id]());
  if (!fs.existsSync(rg)) throw new Error(`ripgrep binary missing: ${rg}`);
  const argon = createRequire(path.join(paths.codeServerDir, 'package.json')).resolve('argon2');
  const a = spawnSync(paths.node, ['-e', `require(${JSON.stringify(argon)})`], { encoding: 'utf8', timeout: 60_000 });
  if (a.status !== 0) throw new Error(`argon2 does not load:\n${a.stderr}`);
  log(`install: native modules load (${checks.join(', ')}, argon2) and rg is in place`);
}

/** The VS Code version the installed server build says it is. */
function installedVscode(paths) {
  try {
    return JSON.parse(fs.readFileSync(path.join(paths.vscodeDir, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

/** Start the freshly installed server once and stop it: the marker promises a host that starts. */
async function verifyServerStarts(paths) {
  const tmp = makeTempDirs('lengthwise-host-check-');
  try {
    const server = await startServer({ paths, dirs: tmp, quiet: true });
    log(`install: VS Code ${paths.host.vscode} server started on port ${server.port}; stopping it`);
    await server.stop();
  } finally {
    fs.rmSync(tmp.root, { recursive: true, force: true });
  }
}

/** Simple cross-process lock: two test runs must not install into the same folder at once. */
async function withLock(dir, fn) {
  const lock = `${dir}.lock`;
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      let holder = NaN;
      try {
        holder = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
      } catch {}
      let alive = false;
      try {
        if (holder) process.kill(holder, 0), (alive = true);
      } catch {}
      let age = 0;
      try {
        age = Date.now() - fs.statSync(lock).mtimeMs;
      } catch {}
      // Stale: its process is gone, or it never wrote its pid (died right after mkdir).
      if ((!alive && holder) || (!holder && age > 60_000)) {
        log(`install: removing stale lock ${lock} (${holder ? `process ${holder} is gone` : 'no pid'})`);
        fs.rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for the install lock ${lock}`);
      if (!withLock.told) log(`install: another process (${holder || '?'}) is installing the host; waiting`), (withLock.told = true);
      // Polling is the only way to wait for another process's lock here.
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

function readMarker(dir) {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, MARKER), 'utf8'));
  } catch {
    return undefined;
  }
}

/** The Node that runs this host, with its ABI (native modules are built for one): this one, or node24.mjs's. */
async function runtimeFor(host, opts) {
  if (host.nodeMajor === NODE_MAJOR) return { node: process.execPath, abi: process.versions.modules, version: process.version };
  if (host.nodeMajor === NODE_MAJOR_24) return ensureNode24(opts);
  throw new Error(`code-server ${host.codeServer} needs Node ${host.nodeMajor}; this is Node ${process.versions.node}`);
}

function isInstalled(paths, abi) {
  const m = readMarker(paths.hostDir);
  // Native modules are built for one Node ABI: another Node means a reinstall. (Markers written before the ABI was
  // recorded have only the major.)
  const sameNode = m?.nodeAbi ? m.nodeAbi === abi : m?.nodeMajor === paths.host.nodeMajor;
  return !!m && m.version === paths.host.codeServer && sameNode && fs.existsSync(paths.serverMain) && installedVscode(paths) === paths.host.vscode;
}

/** Node 24 for the 1.139 host (node24.mjs), installed once under its own lock. */
async function ensureNode24({ needBrowser }) {
  const quiet = (msg) => log(`node24: ${msg}`);
  const ready = node24Ready(quiet);
  if (ready) return ready;
  return withLock(node24Dir(), async () => {
    const again = node24Ready(quiet);
    if (again) return again;
    ensureDebianPackages({ needBrowser, needBuild: false, needPatchelf: true });
    return installNode24(quiet);
  });
}

/**
 * Makes sure a host is installed and returns its paths (with `node`, the Node that runs its server).
 * @param {string | typeof HOSTS[keyof typeof HOSTS]} which "1.139" / "1.100" (server.mjs hostFor) or a HOSTS entry
 * @param {{ needBrowser?: boolean }} [opts] needBrowser: also require chromium (tests; not `npm start`).
 */
export async function ensureHost(which = CURRENT_HOST, { needBrowser = true } = {}) {
  const host = typeof which === 'string' ? hostFor(which) : which;
  const runtime = await runtimeFor(host, { needBrowser });
  const paths = hostPaths(host, runtime.node);
  if (isInstalled(paths, runtime.abi)) {
    ensureDebianPackages({ needBrowser, needBuild: false });
    log(`install: VS Code ${host.vscode} host ready (cached) at ${paths.hostDir}, Node ${runtime.version}`);
    return paths;
  }
  return withLock(paths.hostDir, async () => {
    if (isInstalled(paths, runtime.abi)) {
      log(`install: VS Code ${host.vscode} host ready (installed by another process) at ${paths.hostDir}`);
      return paths;
    }
    const started = Date.now();
    ensureDebianPackages({ needBrowser, needBuild: true });
    log(`install: code-server@${host.codeServer} (VS Code ${host.vscode}) into ${paths.hostDir} with Node ${runtime.version}`);
    fs.rmSync(paths.hostDir, { recursive: true, force: true }); // a half-install is redone from scratch
    fs.mkdirSync(paths.hostDir, { recursive: true });
    fs.writeFileSync(
      path.join(paths.hostDir, 'package.json'),
      JSON.stringify(
        {
          name: 'lengthwise-editor-host',
          private: true,
          description: `VS Code ${host.vscode} server build (inside npm code-server) for the Lengthwise editor tests; made by test/host/install.mjs`,
          dependencies: { 'code-server': host.codeServer },
        },
        null,
        2,
      ) + '\n',
    );
    if (host.id === '1.100') seedRipgrepCache();
    const own = runtime.node === process.execPath;
    await runNpmInstall(paths.hostDir, npmEnv(own ? {} : { nodedir: runtime.nodedir, binDir: path.dirname(runtime.node) }), runtime.node);
    if (!fs.existsSync(paths.serverMain)) throw new Error(`install finished but ${paths.serverMain} is missing`);
    const v = installedVscode(paths);
    if (v !== host.vscode) throw new Error(`code-server@${host.codeServer} carries VS Code ${v}, expected ${host.vscode}`);
    verifyNativeModules(paths);
    await verifyServerStarts(paths);
    const seconds = Math.round((Date.now() - started) / 1000);
    fs.writeFileSync(
      path.join(paths.hostDir, MARKER),
      JSON.stringify({
        version: host.codeServer,
        vscode: host.vscode,
        nodeMajor: host.nodeMajor,
        nodeAbi: runtime.abi,
        node: runtime.version,
        installedAt: new Date().toISOString(),
        seconds,
      }) + '\n',
    );
    log(`install: VS Code ${host.vscode} done in ${seconds} s`);
    return paths;
  });
}

function cliHosts(argv) {
  const i = argv.indexOf('--host');
  const name = i >= 0 ? argv[i + 1] : process.env.LENGTHWISE_VSCODE;
  return name ? [hostFor(name)] : [HOSTS[CURRENT_HOST], HOSTS[OLDEST_HOST]];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  (async () => {
    const argv = process.argv.slice(2);
    for (const host of cliHosts(argv)) {
      const t = Date.now();
      await ensureHost(host, { needBrowser: !argv.includes('--no-browser') });
      log(`install: VS Code ${host.vscode}: ${((Date.now() - t) / 1000).toFixed(1)} s`);
    }
    // The telemetry tests' collector (a Debian sid package, unpacked into the same cache).
    log(`install: VictoriaMetrics ready at ${ensureVictoria()}`);
  })().catch((e) => {
    console.error(`[lengthwise-host] install failed: ${e.message}`);
    process.exit(1);
  });
}
