// Ensures the editor test host: Debian's chromium/ripgrep/kerberos headers, and npm `code-server` (which carries the
// VS Code server build) installed in its own cached folder, outside the extension's dependencies.
// Idempotent: a marker file is written only after a verified install, so a broken half-install is redone.
// Usage: node test/host/install.mjs            (also imported by run.mjs / start.mjs as ensureHost()); the CLI also
//        unpacks the telemetry tests' VictoriaMetrics (test/host/victoria.mjs)
// Env: LENGTHWISE_HOST_DIR  install folder (default ~/.cache/lengthwise-host/code-server-<version>)
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { HOST_VERSION, hostDir, hostPaths, startServer, makeTempDirs, log } from './server.mjs';
import { ensureVictoria } from './victoria.mjs';

const NODE_MAJOR = Number(process.versions.node.split('.')[0]);
// code-server 4.100.x's postinstall accepts only Node 20.
const REQUIRED_NODE_MAJOR = 20;

// What @vscode/ripgrep 1.15.11 (the version pinned in code-server 4.100.3's lib/vscode/npm-shrinkwrap.json) downloads
// from GitHub in its postinstall (lib/postinstall.js VERSION, lib/download.js cache dir). We seed that cache with
// Debian's rg because GitHub is not reachable here.
const RIPGREP_PACKAGE_VERSION = '1.15.11';
const RIPGREP_ASSET_VERSION = 'v13.0.0-10';
const RIPGREP_TARGETS = { x64: 'x86_64-unknown-linux-musl', arm64: 'aarch64-unknown-linux-musl' };

// Native modules the server loads; each must load after the install (proves the build scripts ran).
const NATIVE_CHECKS = ['node-pty', 'kerberos', '@vscode/spdlog', 'native-watchdog', '@parcel/watcher', '@vscode/deviceid'];

const MARKER = '.lengthwise-host-ok';

function commandExists(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Debian packages the host needs, with the probe that says whether each is there. */
function missingPackages({ needBrowser, needBuild }) {
  const missing = [];
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
    const r = spawnSync('apt-get', args, { stdio: ['ignore', 'inherit', 'inherit'], env });
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
function npmEnv() {
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
  // node-gyp must find Node's headers locally (no internet to download them); Debian's nodejs ships them.
  const nodeDir = path.dirname(path.dirname(process.execPath));
  if (fs.existsSync(path.join(nodeDir, 'include/node/node_api.h'))) env.npm_config_nodedir = nodeDir;
  return env;
}

function runNpmInstall(dir, env) {
  return new Promise((resolve, reject) => {
    const args = ['install', '--foreground-scripts', '--no-package-lock'];
    log(`install: (cd ${dir} && npm ${args.join(' ')})   [about 1 min]`);
    const child = spawn('npm', args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
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
      if (code !== 0) return reject(new Error(`npm install failed (${signal ?? `exit ${code}`})`));
      if (skipped) log('install: WARNING npm skipped some install scripts (see above); the checks below decide');
      resolve();
    });
  });
}

/** Load each native module in a fresh Node, as the server will. */
function verifyNativeModules(paths) {
  const req = createRequire(path.join(paths.vscodeDir, 'package.json'));
  const script = NATIVE_CHECKS.map((m) => `require(${JSON.stringify(req.resolve(m))});`).join('\n');
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`native modules do not load:\n${r.stderr}`);
  const rg = path.join(paths.vscodeDir, 'node_modules/@vscode/ripgrep/bin/rg');
  if (!fs.existsSync(rg)) throw new Error(`ripgrep binary missing: ${rg}`);
  const argon = createRequire(path.join(paths.codeServerDir, 'package.json')).resolve('argon2');
  const a = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(argon)})`], { encoding: 'utf8' });
  if (a.status !== 0) throw new Error(`argon2 does not load:\n${a.stderr}`);
  log(`install: native modules load (${NATIVE_CHECKS.join(', ')}, argon2) and rg is in place`);
}

/** Start the freshly installed server once and stop it: the marker promises a host that starts. */
async function verifyServerStarts(paths) {
  const tmp = makeTempDirs('lengthwise-host-check-');
  try {
    const server = await startServer({ paths, dirs: tmp, quiet: true });
    log(`install: server started on port ${server.port}; stopping it`);
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

function isInstalled(paths) {
  const m = readMarker(paths.hostDir);
  // Native modules are built for one Node ABI: a different Node major means a reinstall.
  return !!m && m.version === HOST_VERSION && m.nodeMajor === NODE_MAJOR && fs.existsSync(paths.serverMain);
}

/**
 * Makes sure the host is installed and returns its paths.
 * @param {{ needBrowser?: boolean }} [opts] needBrowser: also require chromium (tests; not `npm start`).
 */
export async function ensureHost({ needBrowser = true } = {}) {
  const paths = hostPaths(hostDir());
  if (isInstalled(paths)) {
    ensureDebianPackages({ needBrowser, needBuild: false });
    log(`install: host ready (cached) at ${paths.hostDir}`);
    return paths;
  }
  if (NODE_MAJOR !== REQUIRED_NODE_MAJOR) {
    throw new Error(`code-server ${HOST_VERSION} needs Node ${REQUIRED_NODE_MAJOR}; this is Node ${process.versions.node}`);
  }
  return withLock(paths.hostDir, async () => {
    if (isInstalled(paths)) {
      log(`install: host ready (installed by another process) at ${paths.hostDir}`);
      return paths;
    }
    const started = Date.now();
    ensureDebianPackages({ needBrowser, needBuild: true });
    log(`install: code-server@${HOST_VERSION} into ${paths.hostDir}`);
    fs.rmSync(paths.hostDir, { recursive: true, force: true }); // a half-install is redone from scratch
    fs.mkdirSync(paths.hostDir, { recursive: true });
    fs.writeFileSync(
      path.join(paths.hostDir, 'package.json'),
      JSON.stringify(
        {
          name: 'lengthwise-editor-host',
          private: true,
          description: 'VS Code server build (inside npm code-server) for the Lengthwise editor tests; made by test/host/install.mjs',
          dependencies: { 'code-server': HOST_VERSION },
        },
        null,
        2,
      ) + '\n',
    );
    seedRipgrepCache();
    await runNpmInstall(paths.hostDir, npmEnv());
    if (!fs.existsSync(paths.serverMain)) throw new Error(`install finished but ${paths.serverMain} is missing`);
    verifyNativeModules(paths);
    await verifyServerStarts(paths);
    const seconds = Math.round((Date.now() - started) / 1000);
    fs.writeFileSync(
      path.join(paths.hostDir, MARKER),
      JSON.stringify({ version: HOST_VERSION, nodeMajor: NODE_MAJOR, installedAt: new Date().toISOString(), seconds }) + '\n',
    );
    log(`install: done in ${seconds} s`);
    return paths;
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  ensureHost({ needBrowser: !process.argv.includes('--no-browser') })
    // The telemetry tests' collector (a Debian sid package, unpacked into the same cache).
    .then(() => log(`install: VictoriaMetrics ready at ${ensureVictoria()}`))
    .catch((e) => {
      console.error(`[lengthwise-host] install failed: ${e.message}`);
      process.exit(1);
    });
}
