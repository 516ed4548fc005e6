// Security: a recognisable fake key goes through every path (success, errors that echo it, truncation,
// cancel) and must not appear in the logs, the ledger, the settings files, the notifications or the test output;
// a workspace that points the key at its own server is asked about first (real modal, in a second window).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ResultSummary } from '../../src/core/generation/summary';
import { FaultServer } from '../servers/faultServer';
import { harness, poll, waitForUi, type UiState } from './harness';
import { answeringModals, closeAll, remoteHostAlias, openDoc, resetSettings, select, setSettings, startProvider, usage } from './util';

// Recognisable fake keys in each provider's format; the tail is what a partial leak would still show.
const KEYS = {
  openai: 'sk-proj-LEAKCHECK0penai7f3a9c2e5b1d4068a9e2c7f1b3d5',
  anthropic: 'sk-ant-api03-LEAKCHECKanthropic4b8e1f6a2d9c7e3b5a0f8d2c',
  gemini: 'AIzaLEAKCHECKgemini9d2f7b4e1a6c3f8e5d0b7a2c9',
};
const TAILS = Object.values(KEYS).map((k) => k.slice(-16));

/** Every file under `dir` (bounded), for the leak scan. */
function filesUnder(dir: string, out: string[] = []): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const f = path.join(dir, e.name);
    if (e.isDirectory()) filesUnder(f, out);
    else if (e.isFile() && fs.statSync(f).size < 50 * 1024 * 1024) out.push(f);
  }
  return out;
}

function leaksIn(text: string): string[] {
  const found: string[] = [];
  for (const k of Object.values(KEYS)) if (text.includes(k)) found.push(k);
  for (const t of TAILS) if (text.includes(t)) found.push(`…${t}`);
  return found;
}

describe('security: API keys never leak', function () {
  this.timeout(60_000);
  const printed: string[] = [];
  const originals: { target: Record<string, unknown>; name: string; fn: unknown }[] = [];
  /** Records everything the extension host prints (what reaches the test output) while the flow runs. */
  function capturePrinting(): void {
    const hook = (target: Record<string, unknown>, name: string) => {
      const fn = target[name] as (...a: unknown[]) => unknown;
      originals.push({ target, name, fn });
      target[name] = (...a: unknown[]) => {
        printed.push(a.map((x) => (typeof x === 'string' ? x : (() => { try { return JSON.stringify(x); } catch { return String(x); } })())).join(' '));
        return fn.apply(target === (console as unknown) ? console : (target as object), a);
      };
    };
    for (const m of ['log', 'info', 'warn', 'error', 'debug', 'trace']) hook(console as unknown as Record<string, unknown>, m);
    hook(process.stdout as unknown as Record<string, unknown>, 'write');
    hook(process.stderr as unknown as Record<string, unknown>, 'write');
  }
  function restorePrinting(): void {
    for (const o of originals.splice(0).reverse()) o.target[o.name] = o.fn;
  }

  after(async () => {
    restorePrinting();
    await closeAll();
    await resetSettings();
  });

  it('a full flow with recognisable fake keys leaves zero occurrences in logs, ledger, settings, notifications and output', async () => {
    await resetSettings();
    await vscode.commands.executeCommand('notifications.clearAll');
    capturePrinting();
    const summaries: ResultSummary[] = [];
    const shown: UiState[] = [];
    const run = async (text: string) => {
      const ed = await openDoc(text);
      select(ed, 0, 0, 0, text.length);
      summaries.push((await vscode.commands.executeCommand('lengthwise.send')) as ResultSummary);
      shown.push(await harness<UiState>('GET', '/ui'));
    };

    // OpenAI through aimock: success, truncation + Continue, an auth error that echoes the key (as real APIs and
    // proxies do), a rate limit.
    const oa = await startProvider('openai', { maxTokens: 5 });
    await vscode.commands.executeCommand('lengthwise.setApiKey', 'openai', KEYS.openai);
    oa.mock.onMessage('leak one', { content: 'fine', usage: usage(3, 1) });
    oa.mock.onMessage('leak two', { content: 'one two three four five', finishReason: 'length', usage: usage(3, 5) });
    oa.mock.onMessage('continue', { content: ' six', usage: usage(9, 1) });
    await run('leak one');
    await run('leak two');
    summaries.push((await vscode.commands.executeCommand('lengthwise.continue')) as ResultSummary);
    oa.mock.nextRequestError(401, { message: `Incorrect API key provided: ${KEYS.openai}. You can find your API key at https://platform.openai.com/account/api-keys.` });
    oa.mock.onMessage('leak three', { content: 'never' });
    await run('leak three');
    oa.mock.nextRequestError(400, { message: `Invalid request made with key ${KEYS.openai}` });
    oa.mock.onMessage('leak five', { content: 'never' });
    await run('leak five');
    await oa.stop();

    // A server that drops the connection after echoing the key in a header and the stream.
    const f = await new FaultServer().start();
    f.plans = [{ chunks: ['partial '], paceMs: 20, then: 'drop', headers: { 'x-echo': KEYS.openai } }];
    await setSettings({ provider: 'openai', baseUrl: `${f.url}/v1` });
    await run('leak four');
    await f.stop();

    // Anthropic and Gemini through aimock, each with an error that echoes the key.
    for (const provider of ['anthropic', 'gemini'] as const) {
      const pm = await startProvider(provider);
      await vscode.commands.executeCommand('lengthwise.setApiKey', provider, KEYS[provider]);
      pm.mock.onMessage(`${provider} ok`, { content: 'ok', usage: usage(2, 1) });
      await run(`${provider} ok`);
      pm.mock.nextRequestError(403, { message: `API key ${KEYS[provider]} is not valid for this project (key=${KEYS[provider]})` });
      pm.mock.onMessage(`${provider} denied`, { content: 'never' });
      await run(`${provider} denied`);
      // The key did go over the wire (aimock's journal shows the header, redacted), so the scan below is meaningful.
      const req = pm.mock.getRequests().find((q) => q.method === 'POST')!;
      assert.equal(req.headers[provider === 'anthropic' ? 'x-api-key' : 'x-goog-api-key'], '[REDACTED]', `${provider}: the key header was sent`);
      await pm.stop();
    }
    await new Promise((r) => setTimeout(r, 1500)); // the log channel writes its file asynchronously
    restorePrinting();

    assert.equal(summaries.length, 10);
    assert.ok(summaries.some((s) => s.error?.kind === 'auth'), 'the auth errors happened');
    // The echoed key reached a message the user sees, redacted (the key in use is replaced wherever it appears): the
    // scan below looks at places the key really got to.
    assert.ok(summaries.some((s) => s.error?.kind === 'bad_request' && s.error.message.includes('made with key (your key)')), JSON.stringify(summaries.map((s) => s.error)));
    const root = path.dirname(process.env.LENGTHWISE_TEST_WORKSPACE!);
    const stats = (await vscode.commands.executeCommand('lengthwise.internal.stats')) as { ledgerFile: string };
    const places: Record<string, string> = {
      'extension output channel (Lengthwise.log)': filesUnder(path.join(root, 'user', 'logs')).filter((x) => x.endsWith('Lengthwise.log')).map((x) => fs.readFileSync(x, 'utf8')).join('\n'),
      'all host logs': filesUnder(path.join(root, 'user', 'logs')).map((x) => fs.readFileSync(x, 'utf8')).join('\n'),
      'server log': fs.existsSync(path.join(root, 'server.log')) ? fs.readFileSync(path.join(root, 'server.log'), 'utf8') : '',
      ledger: fs.readFileSync(stats.ledgerFile, 'utf8'),
      'workspace settings': fs.readFileSync(path.join(process.env.LENGTHWISE_TEST_WORKSPACE!, '.vscode', 'settings.json'), 'utf8'),
      'user settings and state': filesUnder(path.join(root, 'user', 'User')).filter((x) => /settings\.json$|\.json$/.test(x)).map((x) => fs.readFileSync(x, 'utf8')).join('\n'),
      'test output (everything the extension host printed)': printed.join('\n'),
      'notifications and status bar': JSON.stringify(shown),
      'result summaries': JSON.stringify(summaries),
    };
    assert.ok(places['extension output channel (Lengthwise.log)'].includes('request round 1'), 'the log file was found and has the flow in it');
    assert.ok(places.ledger.length > 0);
    const leaks = Object.entries(places)
      .map(([where, text]) => ({ where, found: leaksIn(text) }))
      .filter((x) => x.found.length);
    console.log(`      scanned ${Object.keys(places).length} places for ${Object.keys(KEYS).length} keys: ${leaks.length} leak(s)`);
    assert.deepEqual(leaks, [], 'zero occurrences of any key or its tail');

    // Keys are never settings: no contributed setting can hold one.
    const sections = vscode.extensions.getExtension('lengthwise.lengthwise')!.packageJSON.contributes.configuration as { properties: object }[];
    const props = sections.flatMap((section) => Object.keys(section.properties));
    assert.deepEqual(props.filter((k) => /key|secret|token$/i.test(k)), []);
  });
});

describe('security: no dynamic code', () => {
  it('no eval or new Function in the sources or the shipped bundle', () => {
    const root = vscode.extensions.getExtension('lengthwise.lengthwise')!.extensionPath;
    const files = [...filesUnder(path.join(root, 'src')).filter((f) => f.endsWith('.ts')), path.join(root, 'dist', 'extension.js'), path.join(root, 'dist', 'webview', 'dashboard.js')];
    assert.ok(files.length > 20);
    const hits = files.filter((f) => /\beval\s*\(|new\s+Function\s*\(/.test(fs.readFileSync(f, 'utf8')));
    assert.deepEqual(hits, []);
  });
});

// The workspace-endpoint question is a modal dialog; VS Code refuses every modal in a window that runs extension
// tests ("DialogService: refused to show dialog in tests"), so this runs in run.mjs's "window" pass: the harness
// opens a second window on the same folder without the test runner, and this test drives it with the keyboard.
if (process.env.LENGTHWISE_PASS === 'window') {
  describe('window: a workspace baseUrl is asked about before the key goes there', function () {
    this.timeout(90_000);
    const KEY = 'sk-test-consent-0000';
    const keys = (q: Record<string, string>) => harness('POST', `/keys?${new URLSearchParams({ window: '2', ...q })}`);
    const palette = async (command: string) => {
      await keys({ keys: 'F1', wait: '.quick-input-widget .quick-input-box input' });
      await keys({ text: command });
      await new Promise((r) => setTimeout(r, 400)); // the list filters as typed; nothing to await from here
      await keys({ keys: 'Enter' });
    };
    const ui2 = () => harness<UiState>('GET', '/ui?window=2');

    it('declined → nothing sent; approved → sent with the key; not asked again', async () => {
      await resetSettings();
      // Another host (a loopback endpoint keeps the key on this machine and is not asked about).
      const f = await new FaultServer().start(remoteHostAlias());
      try {
        f.plans = [{ chunks: ['from the workspace server'] }];
        const endpoint = `${f.url}/v1`;
        // What a cloned repository could contain: its own endpoint for your key.
        await setSettings({ provider: 'openai', model: 'gpt-4.1-mini', baseUrl: endpoint }, vscode.ConfigurationTarget.Workspace);
        await vscode.commands.executeCommand('lengthwise.setApiKey', 'openai', KEY);
        await harness('POST', '/window');
        await poll(ui2, (u) => u.statusbar.some((t) => /Lengthwise/.test(t)), 'the extension in the second window', 30_000, 200);
        // Secret Storage belongs to the window here: set the key there the way a person does.
        await palette('Lengthwise: Set API Key');
        await new Promise((r) => setTimeout(r, 300));
        await keys({ text: 'OpenAI' });
        await new Promise((r) => setTimeout(r, 300));
        await keys({ keys: 'Enter', wait: '.quick-input-widget input[type="password"]' });
        await keys({ text: KEY });
        await keys({ keys: 'Enter' });
        await waitForUi((u) => u.notifications.some((n) => /OpenAI key stored in Secret Storage/.test(n.message)), 'the key stored', { window: 2 });
        await palette('File: New Untitled Text File');
        await keys({ text: 'send this to the workspace server' });
        await keys({ keys: 'Control+a' });

        // 1. Declined.
        await palette('Lengthwise: Send Selection');
        const asked = await waitForUi((u) => u.dialog !== null, 'the endpoint question', { window: 2, ms: 20_000 });
        console.log(`      asked: ${asked.dialog!.message} | ${asked.dialog!.detail} | buttons ${JSON.stringify(asked.dialog!.buttons)}`);
        assert.ok(asked.dialog!.message.includes(endpoint), 'the question names the endpoint');
        assert.match(asked.dialog!.message, /API key/);
        assert.ok(asked.dialog!.buttons.includes('Send'));
        await keys({ keys: 'Escape' });
        await waitForUi((u) => u.notifications.some((n) => /you declined the workspace endpoint/.test(n.message)), 'the declined note', { window: 2 });
        assert.equal(f.requests.length, 0, 'declined: nothing reached the workspace server');

        // 2. Approved.
        await keys({ keys: 'Escape' }); // back to the editor
        await palette('Lengthwise: Send Selection');
        await waitForUi((u) => u.dialog !== null, 'the endpoint question again', { window: 2, ms: 20_000 });
        await keys({ keys: 'Enter' }); // the primary button: Send
        await f.until(() => f.requests.length === 1, 'the approved request', 20_000);
        assert.equal(f.requests[0].headers.authorization, `Bearer ${KEY}`, 'approved: the key went to the endpoint');

        // 3. Not asked again for this workspace and endpoint.
        let dialogSeen = false;
        await palette('Lengthwise: Send Selection');
        await poll(
          async () => {
            dialogSeen ||= (await ui2()).dialog !== null;
            return f.requests.length;
          },
          (n) => n === 2,
          'the second request, unasked',
          20_000,
          100,
        );
        assert.equal(dialogSeen, false, 'no question the second time');
      } finally {
        await f.stop();
        await resetSettings();
      }
    });
  });
}

// Finding 1 of the hostile-input review: a trusted workspace that sets its own baseUrl must not receive the user's
// key through "Count Selection Tokens Exactly" (Anthropic and Gemini count over the network) without the question.
describe('security: the exact-count command asks before the key goes to a workspace endpoint', function () {
  this.timeout(30_000);
  afterEach(async () => {
    await closeAll();
    await resetSettings();
  });

  for (const c of [
    { provider: 'anthropic', model: 'claude-sonnet-4-6', key: KEYS.anthropic, answer: { input_tokens: 11 } },
    { provider: 'gemini', model: 'gemini-2.5-flash', key: KEYS.gemini, answer: { totalTokens: 11 } },
  ] as const) {
    it(`${c.provider}: declined → nothing reaches the workspace host; approved → counted there`, async () => {
      const http = await import('node:http');
      const seen: { url: string; headers: Record<string, unknown> }[] = [];
      const server = http.createServer((req, res) => {
        seen.push({ url: req.url ?? '', headers: req.headers });
        req.resume();
        req.on('end', () => {
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify(c.answer));
        });
      });
      const host = remoteHostAlias(); // another host: a loopback endpoint is not asked about
      await new Promise<void>((r) => server.listen(0, host, r));
      try {
        const endpoint = `http://${host}:${(server.address() as { port: number }).port}`;
        // What a cloned repository could contain: the provider and its own endpoint for your key.
        await setSettings({ provider: c.provider, model: c.model, baseUrl: endpoint }, vscode.ConfigurationTarget.Workspace);
        await vscode.commands.executeCommand('lengthwise.setApiKey', c.provider, c.key);
        const ed = await openDoc('How many tokens is this?');
        select(ed, 0, 0, 0, 24);

        const declined = await answeringModals(undefined, () => Promise.resolve(vscode.commands.executeCommand('lengthwise.countTokens')));
        assert.equal(declined.result, undefined, 'declined: no count');
        assert.equal(declined.asked.length, 1, 'the endpoint question was asked');
        assert.ok(declined.asked[0].includes(endpoint), declined.asked[0]);
        assert.deepEqual(seen, [], 'declined: nothing reached the workspace host');

        const approved = await answeringModals('Send', () => Promise.resolve(vscode.commands.executeCommand('lengthwise.countTokens')));
        assert.equal((approved.result as { inputTokens: number } | undefined)?.inputTokens, 11);
        assert.equal(seen.length, 1, 'approved: counted by the workspace host');
      } finally {
        server.closeAllConnections();
        await new Promise<void>((r) => server.close(() => r()));
      }
    });
  }
});
