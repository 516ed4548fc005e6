// Runs the editor test suite (out/test/editor/index.js, built by `node esbuild.js --tests`) inside a real VS Code
// extension host: VS Code's server build from npm code-server, opened in headless Debian Chromium via playwright-core.
// This is the mechanism VS Code uses for its own browser integration tests (codeAutomationLog / codeAutomationExit).
//
// Where it runs (hosts: server.mjs HOSTS, installed and cached by install.mjs):
//   VS Code 1.139.1 (code-server 4.139.1 on Node 24 from Debian sid): the whole suite, in passes main, restricted, window;
//   then the web pass: the suites of test/web in VS Code for the Web's extension host (a browser's web worker, no
//   Node), against the real llama-server (webPass.mjs);
//   VS Code 1.100.3 (code-server 4.100.3 on Node 20), the oldest `engines.vscode` (^1.100.0) allows: the smoke pass —
//   smoke.test.ts (activation, commands, the meter in the workbench's status bar) and a send and a streaming meter test
//   picked by title (SMOKE_GREP).
// Each pass reports the VS Code and Node versions its extension host ran in (vscode.version, process.version, with
// mocha's counts); a pass that ran in another VS Code than its host's fails, so a silent fallback cannot pass.
//
// Usage:  node esbuild.js --tests && node test/host/run.mjs [--host 1.139|1.100] [--grep <regexp>] [--trust]
//                                                          [--pass <name>] [--keep]
//   (no options)      the four passes in 1.139, then the smoke pass in 1.100; each pass in a fresh server + browser
//                     (see passesFor): "main" (every suite, workspace trust disabled), "restricted" (trust ON, titles
//                     with "restricted mode"), "window" (titles "window:…": a window reload mid-stream and a second
//                     window with real modal dialogs), "web" (test/web in the web-worker host), "smoke" (SMOKE_GREP,
//                     trust disabled).
//   --host <version>  (or LENGTHWISE_VSCODE) only that VS Code: 1.139 or 1.100 (also 1.139.1, 1.100.3, current,
//                     oldest): its three passes (the whole suite), or with --pass / --grep / --trust just those.
//   --grep <regexp>   only the main pass (in 1.139 unless --host), only tests whose full title matches (also env
//                     LENGTHWISE_GREP); reaches mocha in the host as LENGTHWISE_GREP.
//   --trust           (or LENGTHWISE_TRUST=1) only the restricted pass: the server runs WITHOUT
//                     --disable-workspace-trust, so the test workspace opens in restricted mode (untrusted).
//   --pass <name>     (or LENGTHWISE_PASS) only that pass: main | restricted | window | web (in 1.139 unless --host) |
//                     smoke (in 1.100 unless --host). With --grep: within that pass.
//   --from-vsix <f>   the web pass runs the extension unpacked from that .vsix (npm run package) instead of dist/.
//   --keep            (or LENGTHWISE_KEEP=1) keep the temp dirs (server log, user data, workspace) and print where.
//
// Environment (read here):
//   LENGTHWISE_TIMEOUT_S      global time limit for everything, default 1500 (25 min); exit code 124 when hit
//   LENGTHWISE_SCREENSHOT_DIR where POST /screenshot writes PNGs, relative to the repo (default out/screenshots;
//                             e.g. `media` to refresh documentation images)
//   LENGTHWISE_HOST_CACHE     folder of the cached hosts (see install.mjs; default ~/.cache/lengthwise-host)
//   LENGTHWISE_CHROMIUM       browser binary (default /usr/bin/chromium)
//   LENGTHWISE_DEBUG=1        also print the server log and the page's console/errors
// Environment the tests see: the server's environment reaches the extension host (the smoke test checks it), so every
// variable set when calling run.mjs reaches the tests, minus provider API keys (OPENAI/ANTHROPIC/GEMINI/GOOGLE_API_KEY:
// tests must never hit a real provider) and VSCODE_*/npm_* variables. run.mjs adds:
//   LENGTHWISE_HOST_KIND=server, LENGTHWISE_TEST_WORKSPACE (the opened folder; its .vscode/settings.json is writable),
//   LENGTHWISE_HARNESS_URL (http://127.0.0.1:<port>; POST /screenshot?name=<[\w.-]+> answers {"path"} once the PNG of
//   the real workbench page is written; GET /ui, POST /keys, /reload, /window: see uiEndpoints), LENGTHWISE_GREP,
//   LENGTHWISE_TRUST ('1' = workspace trust enforced, so the workspace is untrusted: the trust prompt is refused in test
//   mode), LENGTHWISE_PASS (main | restricted | window | smoke), LENGTHWISE_VSCODE_EXPECTED (the host's VS Code version:
//   the smoke test asserts vscode.version equals it).
// Output: the host's test output, then per pass one line "N passed, N failed" from mocha's own counts and the versions;
// the exit code is the suite's (0 = all passed). If mocha never reported (host crashed, timeout) that line is not
// printed and the exit code is non-zero. Always kills the server's whole process group and the browser (also on
// errors, timeout, Ctrl-C).
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import util from 'node:util';
import { fileURLToPath } from 'node:url';
import { ensureHost } from './install.mjs';
import { ensureVictoria } from './victoria.mjs';
import { hostServesModels, installLmProvider, LM_VENDOR, packageLmProvider } from './lmProvider.mjs';
import { ensureLlama } from '../servers/llama.mjs';
import { prepareWebExtension, startWebServers, writeWebConfig } from './webPass.mjs';
import { CONFIG_ELEMENT_ID, CURRENT_HOST, OLDEST_HOST, developmentOptions, hostFor, isolatedHomeEnv, log, makeTempDirs, startServer, workbenchUrl } from './server.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const TESTS_INDEX = path.join(REPO, 'out', 'test', 'editor', 'index.js');
const RESULT_MARKER = '[lengthwise-editor-results] '; // printed by test/editor/index.ts when mocha ends
const TEST_MARKER = '[lengthwise-editor-test] '; // printed by test/editor/index.ts as each test ends
// The smoke pass in the oldest VS Code: every smoke test, one send into the document, the meter while streaming.
const SMOKE_TITLES = [
  'smoke: ',
  'send: selection → answer streamed into the document insertAfter: ',
  'meter: status bar and ledger while streaming: ',
];
const SMOKE_GREP = SMOKE_TITLES.map((t) => `^${t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`).join('|');
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
    host: process.env.LENGTHWISE_VSCODE || '',
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--grep' || a === '-g') o.grep = argv[++i] ?? '';
    else if (a.startsWith('--grep=')) o.grep = a.slice(7);
    else if (a === '--trust') o.trust = true;
    else if (a === '--keep') o.keep = true;
    else if (a === '--pass') o.pass = argv[++i] ?? '';
    else if (a === '--host') o.host = argv[++i] ?? '';
    else if (a === '--from-vsix') o.vsix = argv[++i] ?? '';
    else if (a.startsWith('--host=')) o.host = a.slice(7);
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
// extension gallery, the service worker the dev server does not serve, connection set-up, 1.139's chat start-up.
const NOISE = [
  /ENOTFOUND open-vsx\.org/,
  /^\[Service Worker\] registration/,
  /^(Resolving|Resolved) connection token/,
  /^Creating a socket \(/,
  /^Updating additional builtin extensions cache/,
  /^ChatSessionStore: Migrating 0 chat sessions/,
  // VS Code 1.139's chat and agent-host start-up without a signed-in account (hundreds of lines a run).
  /^\[ChatModelSelection\] event=no-model/,
  /^\[AgentHost\] No signed-in session resolved/,
  /^\[AgentHost:remote\] (Initializing|Connecting to remote agent host|Connected;)/,
  /^\[AccountPolicyGate\] apply: state=inactive/,
  // The browser's own web-extension scanner also looks at developmentOptions.extensions and declines this extension
  // (it has no `browser` entry); the server's extension host runs it.
  /^Error while fetching the extension under development .*is not a web extension\.$/,
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
      // An open quick pick (its rows' labels and descriptions), else null.
      const qi = [...document.querySelectorAll('.quick-input-widget')].find((e) => getComputedStyle(e).display !== 'none');
      const quickPick = qi ? [...qi.querySelectorAll('.monaco-list-row')].map(text).filter(Boolean) : null;
      return { notifications, dialog, statusbar, quickPick };
    }),
  /** Clicks the status bar item whose text contains `item=` (or whose id ends with `id=`), as a person does. */
  'POST /click': async (pass, q) => {
    const page = pageOf(pass, q);
    const id = q.get('id');
    const item = q.get('item') ?? '';
    const target = id ? page.locator(`.statusbar-item[id$="${id.replace(/[^\w.-]/g, '')}"]`).first() : page.locator('.statusbar-item', { hasText: item }).first();
    await target.click({ timeout: 10_000 });
    return { ok: true };
  },
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
    // From elsewhere first: a pointer already over the item (a click before) raises no new hover.
    await page.mouse.move(0, 0);
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
      await withExtension(pass.page2, pass.url, undefined, pass.extensionPath);
      await pass.page2.goto(pass.url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
      await pass.page2.waitForSelector('.monaco-workbench .part.editor', { timeout: 60_000 });
    }
    return { opened: true };
  },
};

/**
 * Makes every load of `page` (reloads included) open the workbench with this repo's extension under development, and
 * `extensionTestsPath` to run (the test window) or none (a plain window): the page's configuration, read by the
 * workbench from its meta element, gets server.mjs developmentOptions(). Done in the page, before its scripts run, by
 * answering that one attribute read; rewriting the served HTML through a browser route instead makes Chromium treat
 * the page as not local, and its Local Network Access checks then block the WebSocket to 127.0.0.1.
 */
async function withExtension(page, url, extensionTestsPath, extensionDevelopmentPath = REPO) {
  const extra = developmentOptions({ authority: new URL(url).host, extensionDevelopmentPath, extensionTestsPath });
  await page.addInitScript(
    ({ id, extra }) => {
      const read = Element.prototype.getAttribute;
      Element.prototype.getAttribute = function (name) {
        const value = read.call(this, name);
        if (name !== 'data-settings' || this.id !== id || !value) return value;
        const config = JSON.parse(value);
        config.developmentOptions = { ...config.developmentOptions, ...extra };
        return JSON.stringify(config);
      };
    },
    { id: CONFIG_ELEMENT_ID, extra },
  );
}

function pageOf(pass, q) {
  const page = q.get('window') === '2' ? pass.page2 : pass.page;
  if (!page) throw new Error('that window is not open');
  return page;
}

/**
 * 127.0.0.1 endpoint the tests in the host call: POST /screenshot?name=x[&window=2] → PNG of the real page; see
 * uiEndpoints.
 */
function startHarness(pass, screenshotDir) {
  // ?window=2: the second window (POST /window).
  const getPage = (q) => (q.get('window') === '2' ? pass.page2 : pass.page);
  let queue = Promise.resolve();
  const server = http.createServer((req, res) => {
    // The web pass's tests call from the browser's worker (another origin): every answer allows it.
    const cors = { 'access-control-allow-origin': '*' };
    const reply = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json', ...cors });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { ...cors, 'access-control-allow-methods': 'GET, POST', 'access-control-allow-headers': '*' });
      return res.end();
    }
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
    const page = getPage(url.searchParams);
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
 * Which runs of the suite this invocation makes, each in a fresh server and browser, and in which VS Code.
 * Without arguments: main, restricted and window in the current VS Code (1.139), then smoke in the oldest (1.100).
 * - main: every suite, workspace trust disabled;
 * - restricted: workspace trust ON (the workspace opens untrusted), titles containing "restricted mode";
 * - window: titles starting "window:" — a window reload mid-stream (the harness reloads the page, the suite runs again
 *   in the new extension host) and a second window without the test runner, where modal dialogs are real (VS Code
 *   refuses every modal dialog in a window that runs extension tests).
 * - smoke: SMOKE_GREP, trust disabled: the extension activates, sends and shows its meter in that VS Code.
 * - web: the suites of test/web (titles "web: …") in VS Code for the Web's extension host, the browser's web worker
 *   (webPass.mjs: a copy of the extension without `main`, the browser-bundled tests inside it).
 * The suites of restricted and window register only in their pass (LENGTHWISE_PASS / LENGTHWISE_TRUST).
 */
function passesFor(opts) {
  const chosen = opts.host ? hostFor(opts.host) : undefined;
  const current = chosen ?? hostFor(CURRENT_HOST);
  const main = { name: 'main', host: current, grep: opts.grep };
  const restricted = { name: 'restricted', host: current, trust: true, grep: opts.grep || 'restricted mode' };
  const window = { name: 'window', host: current, grep: opts.grep || '^window:' };
  const web = { name: 'web', host: current, web: true, grep: opts.grep };
  const smoke = { name: 'smoke', host: chosen ?? hostFor(OLDEST_HOST), grep: opts.grep || SMOKE_GREP };
  if (opts.pass === 'restricted' || opts.trust) return [restricted];
  if (opts.pass === 'window') return [window];
  if (opts.pass === 'web') return [web];
  if (opts.pass === 'smoke') return [smoke];
  if (opts.pass === 'main' || opts.grep) return [main];
  if (opts.pass) throw new Error(`unknown pass "${opts.pass}": main | restricted | window | web | smoke`);
  return chosen ? [main, restricted, window, web] : [main, restricted, window, web, smoke];
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const timeoutS = Number(process.env.LENGTHWISE_TIMEOUT_S || 1500);
  setTimeout(() => finish(124, `global timeout: ${timeoutS} s (LENGTHWISE_TIMEOUT_S)`), timeoutS * 1000).unref();

  if (!fs.existsSync(TESTS_INDEX)) throw new Error(`${TESTS_INDEX} is missing: run \`node esbuild.js --tests\` first`);
  if (!fs.existsSync(path.join(REPO, 'dist', 'extension.js'))) throw new Error('dist/extension.js is missing: run `node esbuild.js`');

  const passes = passesFor(opts);
  // Every host this run needs, installed (or found in the cache) before the first pass.
  const hostPathsById = new Map();
  for (const p of passes) if (!hostPathsById.has(p.host.id)) hostPathsById.set(p.host.id, await ensureHost(p.host, { needBrowser: true }));
  // The telemetry suite's collector, from the real cache (the host runs with a temporary HOME): installed here, out
  // of the extension host, whose thread must not wait on a download.
  process.env.LENGTHWISE_VICTORIA_BIN = ensureVictoria();
  // The language model fixture for the vscode-lm suites, on the hosts that can serve models; the llama-server behind
  // it (and behind the Try Preset suite) from the real cache too (the host's HOME is a temporary one).
  if (passes.some((p) => hostServesModels(p.host))) opts.lmVsix = packageLmProvider(REPO);
  if (passes.some((p) => p.web && hostServesModels(p.host))) opts.lmWebVsix = packageLmProvider(REPO, { web: true });
  process.env.LENGTHWISE_LLAMA_DIR = (await ensureLlama()).dir;
  let worst = 0;
  const totals = { passed: 0, failed: 0 };
  const summary = [];
  for (const p of passes) {
    if (passes.length > 1) log(`— pass "${p.name}" in VS Code ${p.host.vscode} —`);
    const t = Date.now();
    const r = await runPass(hostPathsById.get(p.host.id), p, opts);
    const ranIn = r.results?.vscode ? `VS Code ${r.results.vscode}, Node ${r.results.node}` : 'VS Code not reported';
    summary.push(`pass ${p.name}: ${r.results ? `${r.results.passed} passed, ${r.results.failed} failed` : 'no results'} in ${ranIn} (${((Date.now() - t) / 1000).toFixed(0)} s)`);
    if (r.results) {
      totals.passed += r.results.passed;
      totals.failed += r.results.failed;
    }
    if (r.exitCode !== 0 && worst === 0) worst = r.exitCode;
  }
  for (const line of summary) log(line);
  if (passes.length > 1) console.log(`editor: ${totals.passed} passed, ${totals.failed} failed`); // "one word: N passed, N failed" closes the CI log
  log(`total ${secs()}`);
  await finish(worst);
}

/** One server + browser + suite run; its cleanups run when it ends. */
async function runPass(paths, p, opts) {
  if (!paths || paths.host.id !== p.host.id) throw new Error(`no install of VS Code ${p.host.vscode} for pass ${p.name}`);
  const mark = cleanups.length;
  const dirs = makeTempDirs('lengthwise-editor-');
  cleanups.push(async () => {
    if (opts.keep) log(`kept temp dirs in ${dirs.root}`);
    else fs.rmSync(dirs.root, { recursive: true, force: true });
  });

  const pass = { page: undefined, page2: undefined, reloading: false, url: '', extensionPath: REPO };
  const screenshotDir = path.resolve(REPO, process.env.LENGTHWISE_SCREENSHOT_DIR || path.join('out', 'screenshots'));
  const harness = await startHarness(pass, screenshotDir);
  cleanups.push(() => new Promise((r) => harness.close(() => r())));
  const harnessUrl = `http://127.0.0.1:${harness.address().port}`;
  let testsIndex = TESTS_INDEX;
  if (p.web) {
    // The web-worker host has no environment: the tests read what they need from out/web-extension/test/config.json.
    pass.extensionPath = prepareWebExtension(REPO, { vsix: opts.vsix });
    testsIndex = path.join(pass.extensionPath, 'test', 'index.js');
    const servers = await startWebServers();
    cleanups.push(() => servers.stop());
    const lmVendor = opts.lmWebVsix && hostServesModels(p.host) ? LM_VENDOR : '';
    writeWebConfig(pass.extensionPath, { ...servers.urls, harness: harnessUrl, grep: p.grep ?? '', vscodeExpected: p.host.vscode, workspace: dirs.workspace, lmVendor });
    log(`web pass servers: ${Object.entries(servers.urls).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  }

  const servesModels = opts.lmVsix && hostServesModels(p.host);
  if (servesModels) installLmProvider(paths, dirs, p.web ? opts.lmWebVsix : opts.lmVsix);
  log(`starting VS Code ${p.host.vscode} server (${p.trust ? 'workspace trust ON: restricted mode' : '--disable-workspace-trust'})`);
  const server = await startServer({
    paths,
    dirs,
    trust: !!p.trust,
    env: {
      LENGTHWISE_HOST_KIND: 'server',
      LENGTHWISE_TEST_WORKSPACE: dirs.workspace,
      LENGTHWISE_HARNESS_URL: harnessUrl,
      LENGTHWISE_GREP: p.grep,
      LENGTHWISE_TRUST: p.trust ? '1' : '0',
      LENGTHWISE_PASS: p.name,
      LENGTHWISE_VSCODE_EXPECTED: p.host.vscode,
      LENGTHWISE_LM_VENDOR: servesModels ? LM_VENDOR : '',
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
  // Every test outcome of this pass, from every extension host it had (the window pass reloads and crashes them).
  const outcomes = [];
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
    const t = text.indexOf(TEST_MARKER);
    if (t >= 0) {
      try {
        const o = JSON.parse(text.slice(t + TEST_MARKER.length).trim());
        outcomes.push(o);
        // Said at once: the host that ran it may end before mocha's own report.
        if (o.state === 'failed') console.log(`[lengthwise-host] FAILED: ${o.title}\n${o.error}`);
      } catch {}
      return;
    }
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

  pass.url = workbenchUrl({ origin: `http://127.0.0.1:${server.port}`, folder: dirs.workspace });
  await withExtension(page, pass.url, testsIndex, pass.extensionPath);
  log(`opening the workbench${p.grep ? ` (grep: ${p.grep})` : ''}`);
  await page.goto(pass.url, { waitUntil: 'domcontentloaded', timeout: 60_000 });

  const { code, logs } = await Promise.race([exited, died]);
  let exitCode = Number.isInteger(code) ? code : 1;
  if (results) {
    // The last extension host's counts cover only what it ran: count every outcome reported in this pass.
    const counted = { passed: outcomes.filter((o) => o.state === 'passed').length, failed: outcomes.filter((o) => o.state === 'failed').length };
    if (counted.passed !== results.passed || counted.failed !== results.failed) {
      log(`the last extension host ran ${results.passed} passed, ${results.failed} failed; with the hosts before it: ${counted.passed} passed, ${counted.failed} failed`);
    }
    results = { ...results, ...counted };
    console.log(`${results.passed} passed, ${results.failed} failed (VS Code ${results.vscode}, Node ${results.node})`);
    if (results.failed > 0 && exitCode === 0) exitCode = 1;
    // The version the extension host itself reported: the pass counts only in the VS Code it was meant for.
    if (results.vscode !== p.host.vscode) {
      log(`pass "${p.name}" ran in VS Code ${results.vscode}, expected ${p.host.vscode}: failed`);
      if (exitCode === 0) exitCode = 1;
    }
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
