// Runs the editor test suite (out/test/editor/index.js, built by `node esbuild.js --tests`) inside a real VS Code
// extension host: VS Code's server build from npm code-server, opened in headless Debian Chromium via playwright-core.
// This is the mechanism VS Code uses for its own browser integration tests (codeAutomationLog / codeAutomationExit).
//
// Usage:  node esbuild.js --tests && node test/host/run.mjs [--grep <regexp>] [--trust] [--pass <name>] [--keep]
//   (no options)      three passes, each in a fresh server + browser (see passesFor): "main" (every suite, workspace
//                     trust disabled), "restricted" (trust ON, titles with "restricted mode"), "window" (titles "window:…":
//                     a window reload mid-stream and a second window with real modal dialogs).
//   --grep <regexp>   only the main pass, only tests whose full title matches (also env LENGTHWISE_GREP); reaches mocha
//                     in the host as LENGTHWISE_GREP.
//   --trust           (or LENGTHWISE_TRUST=1) only the restricted pass: the server runs WITHOUT
//                     --disable-workspace-trust, so the test workspace opens in restricted mode (untrusted).
//   --pass <name>     (or LENGTHWISE_PASS) only that pass: main | restricted | window (with --grep: within that pass).
//   --keep            (or LENGTHWISE_KEEP=1) keep the temp dirs (server log, user data, workspace) and print where.
//
// Environment (read here):
//   LENGTHWISE_TIMEOUT_S      global time limit for everything, default 900 (15 min); exit code 124 when hit
//   LENGTHWISE_SCREENSHOT_DIR where POST /screenshot writes PNGs, relative to the repo (default out/screenshots;
//                             e.g. `media` to refresh documentation images)
//   LENGTHWISE_HOST_DIR       code-server install folder (see install.mjs)
//   LENGTHWISE_CHROMIUM       browser binary (default /usr/bin/chromium)
//   LENGTHWISE_DEBUG=1        also print the server log and the page's console/errors
// Environment the tests see: the server's environment reaches the extension host (the smoke test checks it), so every
// variable set when calling run.mjs reaches the tests, minus provider API keys (OPENAI/ANTHROPIC/GEMINI/GOOGLE_API_KEY:
// tests must never hit a real provider) and VSCODE_*/npm_* variables. run.mjs adds:
//   LENGTHWISE_HOST_KIND=server, LENGTHWISE_TEST_WORKSPACE (the opened folder; its .vscode/settings.json is writable),
//   LENGTHWISE_HARNESS_URL (http://127.0.0.1:<port>; POST /screenshot?name=<[\w.-]+> answers {"path"} once the PNG of
//   the real workbench page is written; GET /ui, POST /keys, /reload, /window: see uiEndpoints), LENGTHWISE_GREP,
//   LENGTHWISE_TRUST ('1' = workspace trust enforced, so the workspace is untrusted: the trust prompt is refused in test
//   mode), LENGTHWISE_PASS (main | restricted | window).
// Output: the host's test output, then one line "N passed, N failed" from mocha's own counts; the exit code is the
// suite's (0 = all passed). If mocha never reported (host crashed, timeout) that line is not printed and the exit code
// is non-zero. Always kills the server's whole process group and the browser (also on errors, timeout, Ctrl-C).
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import util from 'node:util';
import { fileURLToPath } from 'node:url';
import { ensureHost } from './install.mjs';
import { ensureVictoria } from './victoria.mjs';
import { ensureLlama } from '../servers/llama.mjs';
import { isolatedHomeEnv, log, makeTempDirs, startServer, workbenchUrl } from './server.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const TESTS_INDEX = path.join(REPO, 'out', 'test', 'editor', 'index.js');
const RESULT_MARKER = '[lengthwise-editor-results] '; // printed by test/editor/index.ts
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

function parseArgs(argv) {
  const o = {
    grep: process.env.LENGTHWISE_GREP || '',
    trust: process.env.LENGTHWISE_TRUST === '1',
    keep: process.env.LENGTHWISE_KEEP === '1',
    pass: process.env.LENGTHWISE_PASS || '',
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--grep' || a === '-g') o.grep = argv[++i] ?? '';
    else if (a.startsWith('--grep=')) o.grep = a.slice(7);
    else if (a === '--trust') o.trust = true;
    else if (a === '--keep') o.keep = true;
    else if (a === '--pass') o.pass = argv[++i] ?? '';
    else throw new Error(`unknown argument ${a}`);
  }
  return o;
}

const debug = process.env.LENGTHWISE_DEBUG === '1';
const started = Date.now();
const secs = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

// Everything that must be undone, newest first. finish() runs it exactly once, whatever ends the run.
const cleanups = [];
let finishing = false;
async function finish(code, reason) {
  if (finishing) return;
  finishing = true;
  if (reason) console.error(`[lengthwise-host] ${reason}`);
  for (const fn of cleanups.reverse()) {
    try {
      await Promise.race([fn(), new Promise((r) => setTimeout(r, 10_000).unref())]);
    } catch (e) {
      console.error(`[lengthwise-host] cleanup: ${e.message}`);
    }
  }
  process.exit(code);
}
process.on('SIGINT', () => finish(130, 'interrupted (SIGINT)'));
process.on('SIGTERM', () => finish(143, 'terminated (SIGTERM)'));
process.on('SIGHUP', () => finish(129, 'hang-up (SIGHUP)'));
process.on('uncaughtException', (e) => finish(1, `error: ${e.stack ?? e}`));
process.on('unhandledRejection', (e) => finish(1, `error: ${e?.stack ?? e}`));

/** Text of one codeAutomationLog call: a console-style (format, ...args) list; util.format drops %c CSS arguments. */
function logText(args) {
  const list = Array.isArray(args) ? args : [args];
  return typeof list[0] === 'string' ? util.format(...list) : list.map((a) => util.inspect(a)).join(' ');
}

// Workbench chatter seen on every run here, not about the tests (shown with LENGTHWISE_DEBUG=1): no internet for the
// extension gallery, the service worker the dev server does not serve, connection set-up.
const NOISE = [
  /ENOTFOUND open-vsx\.org/,
  /^\[Service Worker\] registration/,
  /^(Resolving|Resolved) connection token/,
  /^Creating a socket \(/,
  /^Updating additional builtin extensions cache/,
  /^ChatSessionStore: Migrating 0 chat sessions/,
];

// What a person does in the workbench that the extension host cannot do for itself (reliability/security suites):
// read the notifications and the modal dialog on screen, press keys, reload the window, open a second window.
// `?window=2` addresses the second window (POST /window opens it); the default is the test window.
const uiEndpoints = {
  /** {notifications: [{message, buttons}], dialog: {message, detail, buttons} | null, statusbar: [text]} as rendered. */
  'GET /ui': (pass, q) =>
    pageOf(pass, q).evaluate(() => {
      const text = (el) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
      const buttons = (el) => [...el.querySelectorAll('.monaco-button')].map(text).filter(Boolean);
      // Toasts, and the notification center's list when it is open (a toast can hide before a test looks).
      const notifications = [...document.querySelectorAll('.notifications-toasts .notification-list-item, .notifications-center .notification-list-item')].map((n) => ({
        message: text(n.querySelector('.notification-list-item-message')),
        buttons: buttons(n),
      }));
      const box = document.querySelector('.monaco-dialog-box');
      const dialog = box ? { message: text(box.querySelector('.dialog-message-text')), detail: text(box.querySelector('.dialog-message-detail')), buttons: buttons(box) } : null;
      const statusbar = [...document.querySelectorAll('.statusbar-item')].map(text).filter(Boolean);
      return { notifications, dialog, statusbar };
    }),
  /** Presses keys in the page (keys=F1, keys=Control+a, keys=Escape…), then types text=, then waits for wait=. */
  'POST /keys': async (pass, q) => {
    const page = pageOf(pass, q);
    for (const k of q.getAll('keys')) {
      if (!/^[\w+]{1,40}$/.test(k)) throw new Error(`bad key ${k}`);
      await page.keyboard.press(k);
    }
    const t = q.get('text');
    if (t) await page.keyboard.type(t, { delay: 5 });
    // wait=<css selector>: resolve once it is visible (e.g. the quick input after F1).
    const wait = q.get('wait');
    if (wait) await page.waitForSelector(wait, { state: 'visible', timeout: 20_000 });
    return { ok: true };
  },
  /**
   * Hovers the status bar item whose text contains `item=` and returns the hover's text as rendered (the tooltip a
   * person sees), then moves the mouse away.
   */
  'POST /hover': async (pass, q) => {
    const page = pageOf(pass, q);
    // id=: the item's id suffix (VS Code prefixes the extension id); item=: text it shows.
    const id = q.get('id');
    const item = q.get('item') ?? '';
    const target = id ? page.locator(`.statusbar-item[id$="${id.replace(/[^\w.-]/g, '')}"]`).first() : page.locator('.statusbar-item', { hasText: item }).first();
    await target.hover({ timeout: 10_000 });
    // Hidden hover elements of editors stay in the page: only a visible one is the tooltip.
    const hover = page.locator('.workbench-hover:visible, .monaco-hover:visible').filter({ hasText: /\S/ }).first();
    await hover.waitFor({ state: 'visible', timeout: 10_000 });
    const text = ((await hover.textContent()) ?? '').replace(/\s+/g, ' ').trim();
    await page.mouse.move(0, 0);
    return { text };
  },
  /** Reloads the test window (after afterMs): its extension host goes away, the suite runs again in a new one. */
  'POST /reload': async (pass, q) => {
    pass.reloading = true;
    const afterMs = Math.min(10_000, Number(q.get('afterMs') ?? 0) || 0);
    // Not awaited: the caller's extension host goes away with the page.
    setTimeout(() => {
      void pass.page
        .reload({ waitUntil: 'domcontentloaded', timeout: 60_000 })
        .then(() => (pass.reloading = false))
        .catch((e) => log(`reload: ${e.message}`));
    }, afterMs);
    return { reloading: true };
  },
  /** Opens a second window on the same folder with the extension but without the test runner (real dialogs). */
  'POST /window': async (pass) => {
    if (!pass.page2) {
      pass.page2 = await pass.page.context().newPage();
      await pass.page2.goto(pass.plainUrl, { waitUntil: 'domcontentloaded', timeout: 60_000 });
      await pass.page2.waitForSelector('.monaco-workbench .part.editor', { timeout: 60_000 });
    }
    return { opened: true };
  },
};

function pageOf(pass, q) {
  const page = q.get('window') === '2' ? pass.page2 : pass.page;
  if (!page) throw new Error('that window is not open');
  return page;
}

/** 127.0.0.1 endpoint the tests in the host call: POST /screenshot?name=x → PNG of the real page; see uiEndpoints. */
function startHarness(pass, screenshotDir) {
  const getPage = () => pass.page;
  let queue = Promise.resolve();
  const server = http.createServer((req, res) => {
    const reply = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const ui = uiEndpoints[`${req.method} ${url.pathname}`];
    if (ui) {
      if (!pass.page) return reply(503, { error: 'page not open yet' });
      queue = queue.then(async () => {
        try {
          reply(200, await ui(pass, url.searchParams));
        } catch (e) {
          reply(500, { error: e.message });
        }
      });
      return;
    }
    if (req.method !== 'POST' || url.pathname !== '/screenshot') return reply(404, { error: `POST /screenshot?name=, ${Object.keys(uiEndpoints).join(', ')}` });
    const name = url.searchParams.get('name') ?? '';
    if (!/^[\w.-]{1,80}$/.test(name)) return reply(400, { error: 'name must match [\\w.-]{1,80}' });
    const page = getPage();
    if (!page) return reply(503, { error: 'page not open yet' });
    const file = path.join(screenshotDir, `${name}.png`);
    // One screenshot at a time; each bounded.
    queue = queue.then(async () => {
      try {
        fs.mkdirSync(screenshotDir, { recursive: true });
        await page.screenshot({ path: file, timeout: 20_000 });
        log(`screenshot ${file}`);
        reply(200, { path: file });
      } catch (e) {
        reply(500, { error: e.message });
      }
    });
  });
  server.requestTimeout = 60_000;
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

/** On failure, keep the workbench's own logs (sent with codeAutomationExit) and the server log for diagnosis. */
function saveLogs(logs, serverLog) {
  const dir = path.join(REPO, 'out', 'editor-host-logs', new Date().toISOString().replace(/[:.]/g, '-'));
  fs.mkdirSync(dir, { recursive: true });
  for (const { relativePath, contents } of Array.isArray(logs) ? logs : []) {
    const p = path.join(dir, 'workbench', relativePath.replace(/\.\.(\/|\\)/g, ''));
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, contents);
  }
  if (fs.existsSync(serverLog)) fs.copyFileSync(serverLog, path.join(dir, 'server.log'));
  return dir;
}

/**
 * Which runs of the suite this invocation makes. Without arguments: all three, each in a fresh server and browser.
 * - main: every suite, workspace trust disabled;
 * - restricted: workspace trust ON (the workspace opens untrusted), titles containing "restricted mode";
 * - window: titles starting "window:" — a window reload mid-stream (the harness reloads the page, the suite runs again
 *   in the new extension host) and a second window without the test runner, where modal dialogs are real (VS Code
 *   refuses every modal dialog in a window that runs extension tests). Started without the smoke-test driver.
 * The suites of the last two register only in their pass (LENGTHWISE_PASS / LENGTHWISE_TRUST).
 */
function passesFor(opts) {
  if (opts.pass === 'restricted' || opts.trust) return [{ name: 'restricted', trust: true, grep: opts.grep || 'restricted mode' }];
  if (opts.pass === 'window') return [{ name: 'window', grep: opts.grep || '^window:', testDriver: false }];
  if (opts.pass === 'main' || opts.grep) return [{ name: 'main', grep: opts.grep }];
  return [
    { name: 'main', grep: '' },
    { name: 'restricted', trust: true, grep: 'restricted mode' },
    { name: 'window', grep: '^window:', testDriver: false },
  ];
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const timeoutS = Number(process.env.LENGTHWISE_TIMEOUT_S || 900);
  setTimeout(() => finish(124, `global timeout: ${timeoutS} s (LENGTHWISE_TIMEOUT_S)`), timeoutS * 1000).unref();

  if (!fs.existsSync(TESTS_INDEX)) throw new Error(`${TESTS_INDEX} is missing: run \`node esbuild.js --tests\` first`);
  if (!fs.existsSync(path.join(REPO, 'dist', 'extension.js'))) throw new Error('dist/extension.js is missing: run `node esbuild.js`');

  const paths = await ensureHost({ needBrowser: true });
  // The telemetry suite's collector, from the real cache (the host runs with a temporary HOME): installed here, out
  // of the extension host, whose thread must not wait on a download.
  process.env.LENGTHWISE_VICTORIA_BIN = ensureVictoria();
  // The Try Preset suite's llama-server (test/servers/llama.mjs), from the real cache likewise; where it cannot be
  // set up, that suite says why.
  process.env.LENGTHWISE_LLAMA_DIR ||= await ensureLlama().then(
    (l) => l.dir,
    (e) => log(`llama-server is not available to the editor suites: ${e.message}`) ?? '',
  );
  const passes = passesFor(opts);
  let worst = 0;
  const totals = { passed: 0, failed: 0 };
  for (const p of passes) {
    if (passes.length > 1) log(`— pass "${p.name}" —`);
    const r = await runPass(paths, p, opts);
    if (r.results) {
      totals.passed += r.results.passed;
      totals.failed += r.results.failed;
    }
    if (r.exitCode !== 0 && worst === 0) worst = r.exitCode;
  }
  if (passes.length > 1) console.log(`editor: ${totals.passed} passed, ${totals.failed} failed`); // "one word: N passed, N failed" closes the CI log
  log(`total ${secs()}`);
  await finish(worst);
}

/** One server + browser + suite run; its cleanups run when it ends. */
async function runPass(paths, p, opts) {
  const mark = cleanups.length;
  const dirs = makeTempDirs('lengthwise-editor-');
  cleanups.push(async () => {
    if (opts.keep) log(`kept temp dirs in ${dirs.root}`);
    else fs.rmSync(dirs.root, { recursive: true, force: true });
  });

  const pass = { page: undefined, page2: undefined, reloading: false, plainUrl: '' };
  const screenshotDir = path.resolve(REPO, process.env.LENGTHWISE_SCREENSHOT_DIR || path.join('out', 'screenshots'));
  const harness = await startHarness(pass, screenshotDir);
  cleanups.push(() => new Promise((r) => harness.close(() => r())));
  const harnessUrl = `http://127.0.0.1:${harness.address().port}`;

  log(`starting VS Code server (${p.trust ? 'workspace trust ON: restricted mode' : '--disable-workspace-trust'})`);
  const server = await startServer({
    paths,
    dirs,
    trust: !!p.trust,
    testDriver: p.testDriver !== false,
    env: {
      LENGTHWISE_HOST_KIND: 'server',
      LENGTHWISE_TEST_WORKSPACE: dirs.workspace,
      LENGTHWISE_HARNESS_URL: harnessUrl,
      LENGTHWISE_GREP: p.grep,
      LENGTHWISE_TRUST: p.trust ? '1' : '0',
      LENGTHWISE_PASS: p.name,
    },
    onOutput: debug ? (s) => process.stdout.write(s.replace(/^/gm, '[server] ')) : undefined,
  });
  cleanups.push(() => server.stop());
  log(`server listening on 127.0.0.1:${server.port} (pgid ${server.pid}) after ${secs()}`);

  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: process.env.LENGTHWISE_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_FLAGS,
    env: { ...process.env, ...isolatedHomeEnv(dirs) },
    // We clean up ourselves (finish()); playwright still kills the browser if this process dies.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    timeout: 60_000,
  });
  cleanups.push(() => browser.close());
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = (pass.page = await context.newPage());
  if (debug) {
    page.on('console', (m) => console.log(`[page:${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => console.log(`[page:error] ${e.message}`));
  }

  let results;
  let onExit;
  const exited = new Promise((resolve) => (onExit = resolve));
  // Fail fast instead of waiting for the global timeout when the page, the browser or the server dies.
  const died = new Promise((_, reject) => {
    page.on('crash', () => reject(new Error('the workbench page crashed')));
    browser.on('disconnected', () => reject(new Error('the browser went away')));
    server.proc.on('exit', (code, signal) => reject(new Error(`the server exited (${signal ?? code}):\n${server.tail()}`)));
  });
  // An exit reported while the page reloads belongs to the old extension host: the suite runs again after it.
  await page.exposeFunction('codeAutomationExit', (code, logs) => (pass.reloading ? log(`ignored exit ${code} during the reload`) : onExit({ code, logs })));
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    if (finishing) return; // reconnect chatter while we tear down
    const text = logText(args);
    const at = text.indexOf(RESULT_MARKER);
    if (at >= 0) {
      try {
        results = JSON.parse(text.slice(at + RESULT_MARKER.length).trim());
      } catch {}
      return;
    }
    if (!debug && NOISE.some((re) => re.test(text))) return;
    (type === 'error' ? process.stderr : process.stdout).write(text + '\n');
  });

  const common = { port: server.port, folder: dirs.workspace, extensionDevelopmentPath: REPO };
  pass.plainUrl = workbenchUrl(common);
  const url = workbenchUrl({ ...common, extensionTestsPath: TESTS_INDEX });
  log(`opening the workbench${p.grep ? ` (grep: ${p.grep})` : ''}`);
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });

  const { code, logs } = await Promise.race([exited, died]);
  let exitCode = Number.isInteger(code) ? code : 1;
  if (results) {
    console.log(`${results.passed} passed, ${results.failed} failed`);
    if (results.failed > 0 && exitCode === 0) exitCode = 1;
  } else {
    log('mocha reported no results (the test host failed before or while running the suite)');
    if (exitCode === 0) exitCode = 1;
  }
  if (exitCode !== 0) log(`logs saved in ${saveLogs(logs, server.logFile)}`);
  log(`host exit code ${code}; pass "${p.name}" done after ${secs()}`);
  // This pass's cleanups, newest first.
  for (const fn of cleanups.splice(mark).reverse()) {
    try {
      await Promise.race([fn(), new Promise((r) => setTimeout(r, 10_000).unref())]);
    } catch (e) {
      console.error(`[lengthwise-host] cleanup: ${e.message}`);
    }
  }
  return { exitCode, results };
}

main().catch((e) => finish(1, `error: ${e.stack ?? e}`));
