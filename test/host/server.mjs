// Shared helpers for the editor host: where code-server lives, fresh temp dirs, and starting/stopping VS Code's own
// server (lib/vscode/out/server-main.js) in its own process group.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const HOST_VERSION = '4.100.3'; // newest code-server for Node 20; carries VS Code 1.100.3

export function log(msg) {
  console.log(`[lengthwise-host] ${msg}`);
}

export function hostDir() {
  return process.env.LENGTHWISE_HOST_DIR || path.join(os.homedir(), '.cache', 'lengthwise-host', `code-server-${HOST_VERSION}`);
}

export function hostPaths(dir) {
  const codeServerDir = path.join(dir, 'node_modules', 'code-server');
  const vscodeDir = path.join(codeServerDir, 'lib', 'vscode');
  return { hostDir: dir, codeServerDir, vscodeDir, serverMain: path.join(vscodeDir, 'out', 'server-main.js') };
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
 * Starts `node server-main.js` detached (= its own process group via setsid), waits for
 * "Extension host agent listening". The server's environment reaches the extension host (verified by the smoke test),
 * which is how run.mjs passes LENGTHWISE_* values to the tests.
 * @param {{ paths: ReturnType<typeof hostPaths>, dirs: ReturnType<typeof makeTempDirs>, port?: number,
 *   trust?: boolean, testDriver?: boolean, connectionToken?: string, env?: Record<string,string>, quiet?: boolean,
 *   onOutput?: (text: string) => void, readyTimeoutMs?: number }} o
 *   trust: true = run WITHOUT --disable-workspace-trust (restricted mode possible).
 */
export async function startServer(o) {
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
    ...(o.testDriver ? ['--enable-smoke-test-driver'] : []),
    ...(o.trust ? [] : ['--disable-workspace-trust']),
    '--server-data-dir', o.dirs.serverData,
    '--user-data-dir', o.dirs.userData,
    '--extensions-dir', o.dirs.extensions,
  ];
  const logStream = fs.createWriteStream(o.dirs.logFile, { flags: 'a' });
  // The guard leads the new process group (detached = setsid) and runs the server as its child.
  const proc = spawn(process.execPath, ['-e', GUARD, ...args], { detached: true, env, stdio: ['pipe', 'pipe', 'pipe'], cwd: o.dirs.workspace });
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

/** URL that opens `folder` with the extension under development (and optionally its tests) loaded. */
export function workbenchUrl({ port, folder, extensionDevelopmentPath, extensionTestsPath, token }) {
  const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
  const payload = [['extensionDevelopmentPath', remote(extensionDevelopmentPath)]];
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  payload.push(['skipWelcome', 'true']);
  const q = new URLSearchParams({ folder, payload: JSON.stringify(payload) });
  if (token) q.set('tkn', token);
  return `http://127.0.0.1:${port}/?${q}`;
}
