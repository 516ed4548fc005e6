// `npm start`: try the extension in a browser-based VS Code on this machine (no desktop VS Code needed).
// Builds the extension (a development bundle into dist/, replacing a production build: it says so), ensures the host
// (install.mjs), starts VS Code's server on 127.0.0.1 (a port of its own) behind a small proxy on --port that puts this
// repo's extension under development into the workbench page (server.mjs pageProxy), and prints the URL that opens a
// folder in an Extension Development Host with the extension loaded. Runs until Ctrl-C.
//
// It runs in VS Code 1.139.1 (code-server 4.139.1 on Node 24, the host of the editor suite); `--host 1.100` runs it in
// VS Code 1.100.3, the oldest version the extension supports (the smoke pass's host). See server.mjs HOSTS.
//
// Usage:  npm start [-- [folder] [--port N] [--host 1.139|1.100]]      folder: default the directory npm was started in
// Env:    LENGTHWISE_PORT (default 8765), LENGTHWISE_VSCODE (same as --host), LENGTHWISE_TRUST=1 (keep workspace
//         trust on: untrusted folders open in restricted mode), LENGTHWISE_DEBUG=1 (print the server log),
//         LENGTHWISE_HOST_CACHE (see install.mjs).
// Settings, state and secrets survive restarts in ~/.cache/lengthwise-host/user-data (user-data-1.100 for the old
// host: its VS Code must not open state a newer one wrote).
// The server only listens on 127.0.0.1 and requires a random connection token (in the printed URL): other local
// users cannot reach its terminals. From another machine: `ssh -L 8765:127.0.0.1:8765 <this host>`, same URL.
// Rebuild while it runs with `npm run watch`, then "Developer: Reload Window" in the page.
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureHost } from './install.mjs';
import { CURRENT_HOST, freePort, hostFor, log, makeTempDirs, pageProxy, startServer, workbenchUrl } from './server.mjs';
import { cacheRoot } from './debianSid.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function parseArgs(argv) {
  const o = { folder: undefined, port: Number(process.env.LENGTHWISE_PORT || 8765), host: process.env.LENGTHWISE_VSCODE || CURRENT_HOST };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--port') o.port = Number(argv[++i]);
    else if (a.startsWith('--port=')) o.port = Number(a.slice(7));
    else if (a === '--host') o.host = argv[++i] ?? '';
    else if (a.startsWith('--host=')) o.host = a.slice(7);
    else if (!a.startsWith('-') && !o.folder) o.folder = a;
    else throw new Error(`unknown argument ${a}`);
  }
  if (!Number.isInteger(o.port) || o.port < 1 || o.port > 65535) throw new Error(`bad port ${o.port}`);
  o.host = hostFor(o.host);
  // npm runs scripts in the package root; INIT_CWD is where the person typed `npm start`.
  const base = process.env.INIT_CWD || process.cwd();
  o.folder = path.resolve(base, o.folder ?? '.');
  return o;
}

function portFree(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!fs.statSync(opts.folder, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`not a folder: ${opts.folder}`);

  // The development bundle (unminified, with source maps) goes where the production one lives: say so, so nobody
  // packages it by mistake (`npm run package` builds the production bundle again before packaging).
  log('building a DEVELOPMENT bundle into dist/ (node esbuild.js: unminified, source maps); it replaces any production build there — `npm run package` rebuilds the production one');
  const build = spawnSync(process.execPath, ['esbuild.js'], { cwd: REPO, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('build failed');

  const paths = await ensureHost(opts.host, { needBrowser: false });
  if (!(await portFree(opts.port))) throw new Error(`port ${opts.port} is in use on 127.0.0.1 (use --port N or LENGTHWISE_PORT)`);

  const persistent = path.join(cacheRoot(), opts.host.id === CURRENT_HOST ? 'user-data' : `user-data-${opts.host.id}`);
  const dirs = makeTempDirs('lengthwise-start-', { persistentUserData: persistent });
  const token = randomBytes(16).toString('hex');
  // The server listens on a port of its own; the browser talks to pageProxy on opts.port, which puts the extension under
  // development into the workbench page (server.mjs: the URL payload way needs the smoke-test driver in 1.139).
  const server = await startServer({
    paths,
    dirs,
    port: await freePort(),
    trust: process.env.LENGTHWISE_TRUST === '1',
    connectionToken: token,
    onOutput: process.env.LENGTHWISE_DEBUG === '1' ? (s) => process.stdout.write(s) : undefined,
  });

  const proxy = await pageProxy({ port: opts.port, target: server.port, extensionDevelopmentPath: REPO }).catch(async (e) => {
    await server.stop();
    throw e;
  });

  let stopping = false;
  const stop = async (code) => {
    if (stopping) return;
    stopping = true;
    log('stopping the server');
    proxy.close();
    proxy.closeAllConnections();
    await server.stop();
    fs.rmSync(dirs.root, { recursive: true, force: true });
    process.exit(code);
  };
  for (const [sig, code] of [['SIGINT', 0], ['SIGTERM', 143], ['SIGHUP', 129]]) process.on(sig, () => stop(code));
  server.proc.on('exit', () => {
    if (stopping) return;
    console.error(`[lengthwise-host] the server exited:\n${server.tail()}`);
    stop(1);
  });

  const url = workbenchUrl({ origin: `http://127.0.0.1:${opts.port}`, folder: opts.folder, token });
  log(`VS Code ${opts.host.vscode} (code-server ${opts.host.codeServer}) on Node from ${paths.node}`);
  log(`server log: ${server.logFile}`);
  log(`user data (kept between runs): ${persistent}`);
  console.log(`\nOpen this URL in a browser (folder ${opts.folder}):\n\n  ${url}\n\nCtrl-C stops the server.`);
}

main().catch((e) => {
  console.error(`[lengthwise-host] ${e.message}`);
  process.exit(1);
});
