// Shared helpers for the editor host: the two VS Code hosts (their code-server versions, Node runtimes and cached
// install folders), fresh temp dirs, and starting/stopping VS Code's own server (lib/vscode/out/server-main.js) in its
// own process group with the host's Node.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { cacheRoot } from './debianSid.mjs';

/**
 * The VS Code hosts the editor tests run in. Each is the server build inside one npm code-server version, and needs
 * the Node major that version's postinstall accepts:
 * - 1.139 (current VS Code): the whole suite. code-server 4.139.1 needs Node 24, which this project's machines only
 *   have as Debian sid's nodejs, unpacked and patched by test/host/node24.mjs.
 * - 1.100 (the oldest `engines.vscode` allows, ^1.100.0): a smoke pass. code-server 4.100.3 is the newest that runs
 *   on Node 20, the Node that runs the tests themselves (process.execPath).
 */
// How the extension under development gets into the workbench: not through the URL payload (extensionDevelopmentPath,
// extensionTestsPath), which a built VS Code 1.139 takes only with --enable-smoke-test-driver — a flag that there also
// hides every notification toast, turns off modal editors and dialogs' real behaviour in other ways, and sets
// inAutomationContext — but through the page's own configuration (developmentOptions.extensions /
// extensionTestsPath, what @vscode/test-web does), which 1.100 and 1.139 both read: withDevelopmentOptions below,
// applied by run.mjs (a browser route) and start.mjs (pageProxy). No server here runs with the smoke-test driver.
export const HOSTS = {
  '1.139': { id: '1.139', vscode: '1.139.1', codeServer: '4.139.1', nodeMajor: 24 },
  '1.100': { id: '1.100', vscode: '1.100.3', codeServer: '4.100.3', nodeMajor: 20 },
};
export const CURRENT_HOST = '1.139';
export const OLDEST_HOST = '1.100';

/**
 * The host named by `--host` / LENGTHWISE_VSCODE: "1.139", "1.139.1", "1.100", "1.100.3" (also "current", "oldest").
 * @returns {typeof HOSTS[keyof typeof HOSTS]}
 */
export function hostFor(name) {
  const n = String(name).trim();
  if (n === 'current') return HOSTS[CURRENT_HOST];
  if (n === 'oldest') return HOSTS[OLDEST_HOST];
  const h = Object.values(HOSTS).find((x) => x.id === n || x.vscode === n || `code-server@${x.codeServer}` === n);
  if (!h) throw new Error(`unknown VS Code host "${n}": use ${Object.keys(HOSTS).join(' or ')}`);
  return h;
}

export function log(msg) {
  console.log(`[lengthwise-host] ${msg}`);
}

/** The cached install folder of one host: <cache>/code-server-<version> (cache: LENGTHWISE_HOST_CACHE). */
export function hostDir(host) {
  if (process.env.LENGTHWISE_HOST_DIR) {
    // It named the one install folder when there was one host; two hosts live side by side under the cache root.
    throw new Error('LENGTHWISE_HOST_DIR is no longer read: set LENGTHWISE_HOST_CACHE (the folder that holds every host, default ~/.cache/lengthwise-host)');
  }
  return path.join(cacheRoot(), `code-server-${host.codeServer}`);
}

/**
 * Where a host's files are. `node` is the Node that runs its server (and, through process.execPath, its extension
 * host): filled in by ensureHost (install.mjs) — this process's Node for 1.100, the patched Node 24 for 1.139.
 */
export function hostPaths(host, node) {
  const dir = hostDir(host);
  const codeServerDir = path.join(dir, 'node_modules', 'code-server');
  const vscodeDir = path.join(codeServerDir, 'lib', 'vscode');
  return { host, node, hostDir: dir, codeServerDir, vscodeDir, serverMain: path.join(vscodeDir, 'out', 'server-main.js') };
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Fresh folders for one server run: server/user data, extensions, and HOME/XDG dirs so that neither the server nor
 * Chromium writes to the person's ~/.config or ~/.local/share. `persistentUserData` keeps user data elsewhere (npm start).
 */
export function makeTempDirs(prefix, { persistentUserData } = {}) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const d = (name) => {
    const p = path.join(root, name);
    fs.mkdirSync(p, { recursive: true, mode: 0o700 });
    return p;
  };
  const dirs = {
    root,
    serverData: persistentUserData ? path.join(persistentUserData, 'server') : d('server'),
    userData: persistentUserData ? path.join(persistentUserData, 'user') : d('user'),
    extensions: persistentUserData ? path.join(persistentUserData, 'extensions') : d('extensions'),
    home: d('home'),
    xdgConfig: d('xdg/config'),
    xdgData: d('xdg/data'),
    xdgCache: d('xdg/cache'),
    xdgState: d('xdg/state'),
    xdgRuntime: d('xdg/runtime'),
    workspace: d('workspace'),
    logFile: path.join(root, 'server.log'),
  };
  for (const p of [dirs.serverData, dirs.userData, dirs.extensions]) fs.mkdirSync(p, { recursive: true });
  // A settings file the tests may rewrite (workspace-scoped settings).
  fs.mkdirSync(path.join(dirs.workspace, '.vscode'));
  fs.writeFileSync(path.join(dirs.workspace, '.vscode', 'settings.json'), '{}\n');
  return dirs;
}

/** HOME/XDG pointing into the temp dirs; used for the server and for Chromium. */
export function isolatedHomeEnv(dirs) {
  return {
    HOME: dirs.home,
    XDG_CONFIG_HOME: dirs.xdgConfig,
    XDG_DATA_HOME: dirs.xdgData,
    XDG_CACHE_HOME: dirs.xdgCache,
    XDG_STATE_HOME: dirs.xdgState,
    XDG_RUNTIME_DIR: dirs.xdgRuntime,
  };
}

// Removed from the server's environment: real provider keys would make tests non-deterministic (the extension falls
// back to these variables), and VS Code / npm variables from an outer process would confuse the server.
const DROPPED_ENV = /^(OPENAI_API_KEY|ANTHROPIC_API_KEY|GEMINI_API_KEY|GOOGLE_API_KEY|VSCODE_.*|ELECTRON_RUN_AS_NODE|npm_.*)$/i;

// Runs server-main.js as its child and kills the whole process group when its stdin (a pipe from the runner) closes:
// even if the runner is killed with SIGKILL and cannot clean up, the kernel closes the pipe and the server goes.
const GUARD = `
const { spawn } = require('child_process');
const child = spawn(process.execPath, process.argv.slice(1), { stdio: ['ignore', 'inherit', 'inherit'] });
const killGroup = () => { try { process.kill(-process.pid, 'SIGKILL'); } catch {} };
process.stdin.on('end', killGroup);
process.stdin.on('close', killGroup);
process.stdin.on('error', killGroup);
process.stdin.resume();
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
`;

/**
 * Starts `node server-main.js` with the host's Node (paths.node) detached (= its own process group via setsid), waits for
 * "Extension host agent listening". The server's environment reaches the extension host (verified by the smoke test),
 * which is how run.mjs passes LENGTHWISE_* values to the tests.
 * @param {{ paths: ReturnType<typeof hostPaths>, dirs: ReturnType<typeof makeTempDirs>, port?: number,
 *   trust?: boolean, connectionToken?: string, env?: Record<string,string>, quiet?: boolean,
 *   onOutput?: (text: string) => void, readyTimeoutMs?: number }} o
 *   trust: true = run WITHOUT --disable-workspace-trust (restricted mode possible).
 */
export async function startServer(o) {
  if (!o.paths.node) throw new Error(`no Node given for the VS Code ${o.paths.host?.vscode} server (ensureHost fills in paths.node)`);
  const port = o.port ?? (await freePort());
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!DROPPED_ENV.test(k)) env[k] = v;
  Object.assign(env, isolatedHomeEnv(o.dirs), o.env ?? {});
  const args = [
    o.paths.serverMain,
    '--host', '127.0.0.1',
    '--port', String(port),
    ...(o.connectionToken ? ['--connection-token', o.connectionToken] : ['--without-connection-token']),
    '--accept-server-license-terms',
    '--disable-telemetry',
    ...(o.trust ? [] : ['--disable-workspace-trust']),
    '--server-data-dir', o.dirs.serverData,
    '--user-data-dir', o.dirs.userData,
    '--extensions-dir', o.dirs.extensions,
  ];
  const logStream = fs.createWriteStream(o.dirs.logFile, { flags: 'a' });
  // The guard leads the new process group (detached = setsid) and runs the server as its child.
  const proc = spawn(o.paths.node, ['-e', GUARD, ...args], { detached: true, env, stdio: ['pipe', 'pipe', 'pipe'], cwd: o.dirs.workspace });
  const pgid = proc.pid;
  let tail = '';
  let exited = false;
  const exitPromise = new Promise((resolve) => proc.on('exit', (code, signal) => ((exited = true), resolve({ code, signal }))));

  const killGroup = (signal) => {
    try {
      process.kill(-pgid, signal);
      return true;
    } catch {
      return false; // ESRCH: the group is gone
    }
  };
  const killNow = () => killGroup('SIGKILL');
  // Last resort: if this Node process exits by any path, the server group does not outlive it.
  process.on('exit', killNow);

  let stopped;
  const stop = () =>
    (stopped ??= (async () => {
      if (killGroup('SIGTERM') && !exited) {
        await Promise.race([exitPromise, new Promise((r) => setTimeout(r, 5000).unref())]);
      }
      // The leader may be gone while file-watcher / pty children of the group still run: kill the whole group.
      killGroup('SIGKILL');
      proc.stdin.destroy();
      process.off('exit', killNow);
      logStream.end();
    })());

  const ready = new Promise((resolve, reject) => {
    const onData = (chunk) => {
      const s = chunk.toString();
      logStream.write(s);
      tail = (tail + s).slice(-8000);
      if (!o.quiet) o.onOutput?.(s);
      if (tail.includes('Extension host agent listening')) resolve();
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.on('error', reject);
    exitPromise.then(({ code, signal }) => reject(new Error(`server exited early (${signal ?? `exit ${code}`}):\n${tail}`)));
    const t = setTimeout(() => reject(new Error(`server not listening after ${(o.readyTimeoutMs ?? 60_000) / 1000} s:\n${tail}`)), o.readyTimeoutMs ?? 60_000);
    t.unref();
  });
  try {
    await ready;
  } catch (e) {
    await stop();
    throw e;
  }
  return { port, pid: pgid, proc, stop, killNow, logFile: o.dirs.logFile, tail: () => tail };
}

/** URL that opens `folder`; the extension comes with the page (withDevelopmentOptions). */
export function workbenchUrl({ origin, folder, token }) {
  const q = new URLSearchParams({ folder, payload: JSON.stringify([['skipWelcome', 'true']]) });
  if (token) q.set('tkn', token);
  return `${origin}/?${q}`;
}

/**
 * What the workbench's configuration gets in developmentOptions so that it loads this repo's extension under
 * development from the server (and, in a test window, runs `extensionTestsPath`): URIs on the server, `authority` being
 * the host:port the browser uses.
 */
export function developmentOptions({ authority, extensionDevelopmentPath, extensionTestsPath }) {
  const uri = (p) => ({ scheme: 'vscode-remote', authority, path: p });
  return { extensions: [uri(extensionDevelopmentPath)], ...(extensionTestsPath ? { extensionTestsPath: uri(extensionTestsPath) } : {}) };
}

// The served page carries its configuration as JSON in this element's attribute (HTML-escaped).
export const CONFIG_ELEMENT_ID = 'vscode-workbench-web-configuration';
const CONFIG_META = new RegExp(`(<meta id="${CONFIG_ELEMENT_ID}" data-settings=")([^"]*)(")`);
const unescapeAttr = (v) => v.replace(/&quot;/g, '"').replace(/&#39;|&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const escapeAttr = (v) => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Whether a served page is the workbench (its configuration can be rewritten). */
export function isWorkbenchPage(html) {
  return CONFIG_META.test(html);
}

/** The workbench page as served, with developmentOptions(o) in its configuration (pageProxy). */
export function withDevelopmentOptions(html, o) {
  const m = CONFIG_META.exec(html);
  if (!m) throw new Error(`the workbench page has no ${CONFIG_ELEMENT_ID} meta element`);
  const config = JSON.parse(unescapeAttr(m[2]));
  config.developmentOptions = { ...config.developmentOptions, ...developmentOptions(o) };
  return html.replace(CONFIG_META, (_, open, _old, close) => open + escapeAttr(JSON.stringify(config)) + close);
}

/**
 * A proxy on 127.0.0.1:`port` in front of the server on `target` for a person's own browser (start.mjs): it serves the
 * workbench page with this repo's extension under development in its configuration (withDevelopmentOptions; the
 * authority is the Host the browser used) and passes every other request and the WebSockets through unchanged.
 * Resolves with its http.Server once it listens.
 */
export function pageProxy({ port, target, extensionDevelopmentPath }) {
  const proxy = http.createServer((req, res) => {
    const isPage = req.method === 'GET' && new URL(req.url ?? '/', 'http://127.0.0.1').pathname === '/';
    const headers = { ...req.headers };
    if (isPage) delete headers['accept-encoding']; // the page is rewritten as text
    const up = http.request({ host: '127.0.0.1', port: target, method: req.method, path: req.url, headers }, (r) => {
      if (!isPage || !/text\/html/.test(r.headers['content-type'] ?? '')) {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
        return;
      }
      const chunks = [];
      r.on('data', (c) => chunks.push(c));
      r.on('end', () => {
        let html = Buffer.concat(chunks).toString('utf8');
        if (isWorkbenchPage(html)) html = withDevelopmentOptions(html, { authority: req.headers.host ?? `127.0.0.1:${port}`, extensionDevelopmentPath });
        const h = { ...r.headers };
        delete h['content-length'];
        delete h['transfer-encoding'];
        res.writeHead(r.statusCode ?? 200, h);
        res.end(html);
      });
    });
    up.on('error', (e) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`proxy: ${e.message}`);
    });
    req.pipe(up);
  });
  proxy.on('upgrade', (req, socket, head) => {
    const up = net.connect(target, '127.0.0.1', () => {
      const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      up.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length) up.write(head);
      socket.pipe(up).pipe(socket);
    });
    const close = () => (socket.destroy(), up.destroy());
    up.on('error', close);
    socket.on('error', close);
    up.on('close', close);
    socket.on('close', close);
  });
  return new Promise((resolve, reject) => {
    proxy.once('error', reject);
    proxy.listen(port, '127.0.0.1', () => resolve(proxy));
  });
}
