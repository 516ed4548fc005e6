// Presets in the real host: presets switched with the command change what goes over the wire, workspace presets
// override built-ins, clamps and dropped parameters are reported, and invalid settings send nothing.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ResultSummary } from '../../src/core/generation/summary';
import { answeringModals, api, remoteHostAlias, closeAll, openDoc, recordNotices, resetSettings, select, setSettings, startProvider, usage, waitFor, type Provider } from './util';

/** Resolves when `predicate()` is true (polled every 20 ms), or rejects after `ms` with `what` in the message. */

/** Opens `prompt` in a document, selects it and sends through the exported API. */
async function sendSelection(prompt: string): Promise<ResultSummary> {
  const ed = await openDoc(prompt);
  select(ed, 0, 0, 0, prompt.length);
  return (await api()).send();
}

/** Body of the last POST the provider received. */
function lastBody(p: Provider): Record<string, unknown> {
  const posts = p.posts();
  assert.ok(posts.length > 0, 'a request reached aimock');
  return posts.at(-1)!.body;
}

/**
 * Collects the messages the extension shows (showInformationMessage/showWarningMessage, and notices) while `fn` runs.
 * Test code and the extension share one `vscode` API object in the host (same extension folder), so wrapping
 * the window functions sees what the user would see; the originals are restored afterwards.
 */
async function captureMessages<T>(fn: () => Promise<T>): Promise<{ result: T; messages: string[] }> {
  const messages: string[] = [];
  const win = vscode.window as unknown as Record<string, (...a: unknown[]) => unknown>;
  const originals = { info: win.showInformationMessage, warn: win.showWarningMessage };
  // Notes and warnings are notices (progress notifications that close with their cause).
  const notices = recordNotices((n) => messages.push(n.message));
  win.showInformationMessage = (...a: unknown[]) => {
    messages.push(String(a[0]));
    return originals.info.apply(vscode.window, a);
  };
  win.showWarningMessage = (...a: unknown[]) => {
    messages.push(String(a[0]));
    return originals.warn.apply(vscode.window, a);
  };
  try {
    return { result: await fn(), messages };
  } finally {
    notices.restore();
    win.showInformationMessage = originals.info;
    win.showWarningMessage = originals.warn;
  }
}

/** Answers modal warnings (the endpoint question) with `answer` while `fn` runs; other calls pass through. */
async function withModalAnswer<T>(answer: string | undefined, fn: () => Promise<T>): Promise<T> {
  const win = vscode.window as unknown as Record<string, (...a: unknown[]) => unknown>;
  const original = win.showWarningMessage;
  win.showWarningMessage = (...a: unknown[]) => {
    const opts = a[1] as { modal?: boolean } | undefined;
    if (typeof opts === 'object' && opts?.modal) return Promise.resolve(answer);
    return original.apply(vscode.window, a);
  };
  try {
    return await fn();
  } finally {
    win.showWarningMessage = original;
  }
}

describe('presets: switching with lengthwise.selectPreset changes what is sent', () => {
  let p: Provider;
  beforeEach(async () => {
    await resetSettings();
    p = await startProvider('openai', { maxTokens: 256 });
  });
  afterEach(async () => {
    await p.stop();
    await closeAll();
    await resetSettings();
  });

  it('numbered list of 10 → quick answer → no preset: max_tokens and stop on the wire follow the preset', async () => {
    const a = await api();
    p.mock.onMessage('List ten rivers.', { content: '1. Nile\n2. Amazon', usage: usage(10, 8) });
    p.mock.onMessage('Name one river.', { content: 'The Nile.', usage: usage(10, 3) });
    p.mock.onMessage('Name one lake.', { content: 'Lake Baikal.', usage: usage(10, 4) });

    assert.equal(await vscode.commands.executeCommand('lengthwise.selectPreset', 'numbered list of 10'), 'numbered list of 10');
    // The choice is stored for the workspace (.vscode/settings.json), not in the user settings.
    const stored = vscode.workspace.getConfiguration('lengthwise').inspect<string>('preset');
    assert.equal(stored?.workspaceValue, 'numbered list of 10');
    assert.equal(stored?.globalValue, undefined);
    await waitFor(() => a.statusText(), (t) => t.includes('numbered list of 10'), 5000, 'the status bar to show "numbered list of 10"');

    const r1 = await sendSelection('List ten rivers.');
    let body = lastBody(p);
    assert.equal(body.max_tokens, 1000);
    assert.deepEqual(body.stop, ['11.']);
    assert.equal(r1.preset, 'numbered list of 10');
    assert.deepEqual(r1.sent, { maxTokens: 1000, stop: ['11.'] });
    assert.equal((body.messages as { role: string; content: string }[])[0].role, 'system', 'the preset system prompt is sent');

    await vscode.commands.executeCommand('lengthwise.selectPreset', 'quick answer');
    await waitFor(() => a.statusText(), (t) => t.includes('quick answer'), 5000, 'the status bar to show "quick answer"');
    const r2 = await sendSelection('Name one river.');
    body = lastBody(p);
    assert.equal(body.max_tokens, 300);
    assert.equal(body.stop, undefined, 'quick answer sets no stop sequence');
    assert.equal(r2.preset, 'quick answer');
    assert.deepEqual(r2.sent, { maxTokens: 300, stop: [] });

    // "" = no preset: the plain settings apply again.
    await vscode.commands.executeCommand('lengthwise.selectPreset', '');
    await waitFor(() => a.statusText(), (t) => t.startsWith('$(symbol-ruler) Lengthwise'), 5000, 'the status bar to show no preset');
    const r3 = await sendSelection('Name one lake.');
    assert.equal(lastBody(p).max_tokens, 256);
    assert.equal(r3.preset, undefined);
    assert.equal(p.posts().length, 3);
  });

  it('an unknown preset name given to the command is refused and the stored choice stays', async () => {
    await vscode.commands.executeCommand('lengthwise.selectPreset', 'JSON');
    assert.equal(await vscode.commands.executeCommand('lengthwise.selectPreset', 'no such preset'), undefined);
    assert.equal(vscode.workspace.getConfiguration('lengthwise').inspect<string>('preset')?.workspaceValue, 'JSON');
  });

  it('a workspace preset in .vscode/settings.json overrides a built-in (and a user preset) of the same name', async () => {
    await setSettings({ presets: { 'quick answer': { maxTokens: 999 } } }, vscode.ConfigurationTarget.Global);
    await setSettings({ presets: { 'quick answer': { maxTokens: 120, stopSequences: ['\n\n'] } } }, vscode.ConfigurationTarget.Workspace);
    const file = path.join(process.env.LENGTHWISE_TEST_WORKSPACE ?? '', '.vscode', 'settings.json');
    assert.match(fs.readFileSync(file, 'utf8'), /"lengthwise\.presets"/, 'written to the workspace settings file');

    await vscode.commands.executeCommand('lengthwise.selectPreset', 'quick answer');
    p.mock.onMessage('Say hi.', { content: 'Hi.', usage: usage(5, 2) });
    const r = await sendSelection('Say hi.');
    const body = lastBody(p);
    assert.equal(body.max_tokens, 120);
    assert.deepEqual(body.stop, ['\n\n']);
    assert.deepEqual(r.sent, { maxTokens: 120, stop: ['\n\n'] });
    assert.equal(r.preset, 'quick answer');
  });

  it('a clamp is reported in the ResultSummary and to the user', async () => {
    // GPT-4.1 mini outputs at most 32,768 tokens.
    await setSettings({ maxTokens: 100_001 });
    p.mock.onMessage('Write a long essay.', { content: 'An essay.', usage: usage(6, 3) });
    const { result: r, messages } = await captureMessages(() => sendSelection('Write a long essay.'));
    const note = 'max tokens 100001 → 32768: GPT-4.1 mini outputs at most 32K';
    assert.equal(r.sent.maxTokens, 32_768);
    assert.equal(lastBody(p).max_tokens, 32_768);
    assert.ok(r.notes?.includes(note), `notes: ${JSON.stringify(r.notes)}`);
    assert.ok(messages.includes(`Lengthwise: ${note}`), `shown: ${JSON.stringify(messages)}`);
  });

  it('a reasoning model (gpt-5.2) gets max_completion_tokens and no stop, with the note', async () => {
    await setSettings({ model: 'gpt-5.2', maxTokens: 700, stopSequences: ['END'], temperature: 0.3 });
    p.mock.onMessage('Think about it.', { content: 'Thought.', usage: usage(4, 2) });
    const r = await sendSelection('Think about it.');
    const body = lastBody(p);
    assert.equal(body.max_completion_tokens, 700);
    assert.equal('max_tokens' in body, false);
    assert.equal('stop' in body, false);
    assert.equal('temperature' in body, false);
    assert.deepEqual(r.sent, { maxTokens: 700, stop: [] });
    assert.ok(r.notes?.some((n) => /^stop sequences not sent: GPT-5\.2 does not support them, so "END" will not apply/.test(n)), JSON.stringify(r.notes));
    assert.ok(r.notes?.some((n) => /^temperature not sent: GPT-5\.2/.test(n)), JSON.stringify(r.notes));
  });

  it('a Claude model after Opus 4.6 gets no temperature on the wire, with the note', async () => {
    await p.stop();
    await resetSettings();
    p = await startProvider('anthropic', { model: 'claude-opus-4-7', maxTokens: 400, temperature: 0.5 });
    p.mock.onMessage('Be creative.', { content: 'Done.', usage: usage(3, 1) });
    const r = await sendSelection('Be creative.');
    const body = lastBody(p);
    assert.equal(body.max_tokens, 400);
    // aimock's journal normalizes Anthropic bodies (an absent field becomes an undefined key): compare the value.
    assert.equal(body.temperature, undefined, JSON.stringify(body));
    assert.ok(r.notes?.some((n) => /^temperature not sent: Claude Opus 4\.7 accepts only the default temperature 1\.0/.test(n)), JSON.stringify(r.notes));
  });
});

describe('presets: a workspace preset that sets baseUrl', () => {
  let p: Provider;
  beforeEach(async () => {
    await resetSettings();
    p = await startProvider('openai', {}, remoteHostAlias()); // another host: loopback endpoints are not asked about
  });
  afterEach(async () => {
    await p.stop();
    await closeAll();
    await resetSettings();
  });

  it('is asked about before the key goes there, like a workspace lengthwise.baseUrl', async () => {
    // The endpoint comes only from the workspace preset (the user's own baseUrl is the same server, so a request
    // that slipped through unasked would show in the journal).
    const endpoint = `${p.mock.url}/v1`;
    await setSettings({ presets: { proxy: { baseUrl: endpoint } }, preset: 'proxy' }, vscode.ConfigurationTarget.Workspace);
    p.mock.onMessage('via proxy', { content: 'ok' });

    const declined = await answeringModals(undefined, () => (api().then((a) => a.send({ text: 'via proxy' }))));
    assert.match(declined.error?.message ?? '', /Not sent: you declined the workspace endpoint/);
    assert.equal(declined.asked.length, 1);
    assert.ok(declined.asked[0].includes(endpoint), declined.asked[0]);
    assert.deepEqual(p.posts(), [], 'nothing was sent while the question was declined');

    const accepted = await answeringModals('Send', () => api().then((a) => a.send({ text: 'via proxy' })));
    assert.equal(accepted.error, undefined);
    assert.equal(accepted.asked.length, 1);
    assert.equal(p.posts().length, 1);
    // Asked once per workspace and endpoint.
    const again = await answeringModals(undefined, () => api().then((a) => a.send({ text: 'via proxy' })));
    assert.equal(again.error, undefined);
    assert.deepEqual(again.asked, []);
    assert.equal(p.posts().length, 2);
  });
});

describe('presets: restricted mode keeps workspace presets away from baseUrl/provider', () => {
  // Runs in both modes: trusted (default run) and restricted (`run.mjs --trust --grep restricted`).
  it('an untrusted workspace preset cannot redirect the key; a trusted one can, after the question', async () => {
    await resetSettings();
    const user = await startProvider('openai');
    const { LLMock } = await import('@copilotkit/aimock');
    const other = new LLMock({ port: 0, host: '127.0.0.1' } as ConstructorParameters<typeof LLMock>[0]);
    await other.start();
    try {
      user.mock.onMessage('where to?', { content: 'user endpoint' });
      other.onMessage('where to?', { content: 'workspace endpoint' });
      await setSettings({ presets: { elsewhere: { baseUrl: `${other.url}/v1`, maxTokens: 77 } }, preset: 'elsewhere' }, vscode.ConfigurationTarget.Workspace);
      const { result: r, messages } = await captureMessages(() => withModalAnswer('Send', () => api().then((a) => a.send({ text: 'where to?' }))));
      const otherPosts = other.getRequests().filter((q) => q.method === 'POST');
      assert.equal(r.sent.maxTokens, 77, 'the rest of the preset applies in both modes');
      if (vscode.workspace.isTrusted) {
        assert.equal(r.text, 'workspace endpoint');
        assert.equal(otherPosts.length, 1);
        assert.equal(user.posts().length, 0);
      } else {
        assert.equal(r.text, 'user endpoint');
        assert.equal(otherPosts.length, 0, 'nothing went to the workspace preset\'s endpoint');
        assert.ok(messages.some((m) => m.includes('lengthwise.presets["elsewhere"].baseUrl')), JSON.stringify(messages));
      }
    } finally {
      await other.stop();
      await user.stop();
      await closeAll();
      await resetSettings();
    }
  });
});

describe('presets: invalid settings and presets send nothing', () => {
  let p: Provider;
  let anthropicBase: string;
  before(async () => {
    await resetSettings();
  });
  beforeEach(async () => {
    p = await startProvider('openai');
    anthropicBase = p.mock.url;
    // A valid key for Anthropic too, so a case that slipped through validation would really send.
    await vscode.commands.executeCommand('lengthwise.setApiKey', 'anthropic', 'sk-test-lengthwise-0000');
    p.mock.onMessage('ping', { content: 'pong' });
  });
  afterEach(async () => {
    await p.stop();
    await closeAll();
    await resetSettings();
  });

  const claude = () => ({ provider: 'anthropic', model: 'claude-sonnet-4-5', baseUrl: anthropicBase });
  // [title, user settings, workspace settings, message pattern naming the setting]
  const CASES: [string, () => Record<string, unknown>, Record<string, unknown>, RegExp][] = [
    ['maxTokens 0', () => ({ maxTokens: 0 }), {}, /lengthwise\.maxTokens is 0: use at least 1/],
    ['maxTokens "100" (text)', () => ({ maxTokens: '100' }), {}, /lengthwise\.maxTokens is the text "100".*write 100 without quotes/],
    ['maxTokens 1.5', () => ({ maxTokens: 1.5 }), {}, /lengthwise\.maxTokens is 1\.5: tokens are whole numbers/],
    ['temperature 3', () => ({ temperature: 3 }), {}, /lengthwise\.temperature is 3/],
    ['topP 0', () => ({ topP: 0 }), {}, /lengthwise\.topP is 0: use a number above 0/],
    ['5 stop sequences for OpenAI', () => ({ stopSequences: ['a1', 'b2', 'c3', 'd4', 'e5'] }), {}, /lengthwise\.stopSequences has 5 stop sequences but GPT-4\.1 mini accepts at most 4/],
    ['whitespace-only stop for Anthropic', () => ({ ...claude(), stopSequences: ['END', '   '] }), {}, /lengthwise\.stopSequences\[1\] is " {3}", whitespace only: Anthropic refuses/],
    ['unknown provider', () => ({ provider: 'mistral' }), {}, /lengthwise\.provider is the text "mistral": use one of/],
    ['malformed baseUrl', () => ({ baseUrl: 'localhost:11434/v1' }), {}, /lengthwise\.baseUrl is "localhost:11434\/v1", not an http\(s\) URL/],
    ['unknown preset name', () => ({}), { preset: 'quick anwser' }, /lengthwise\.preset is "quick anwser", which is not a preset/],
    ['a workspace preset with a bad field', () => ({}), { presets: { terse: { maxTokens: -5 } }, preset: 'terse' }, /preset "terse" → maxTokens is -5/],
    ['a preset with an unknown field', () => ({}), { presets: { terse: { maxToken: 50 } }, preset: 'terse' }, /preset "terse" → maxToken is not a Lengthwise setting: did you mean maxTokens\?/],
    ['thinkingBudget ≥ maxTokens (Anthropic)', () => ({ ...claude(), maxTokens: 2000, thinkingBudget: 3000 }), {}, /lengthwise\.thinkingBudget is 3000, not below lengthwise\.maxTokens \(2000\)/],
    ['a models override with a negative window', () => ({ models: { 'gpt-4.1-mini': { contextWindow: -1000 } } }), {}, /lengthwise\.models\["gpt-4\.1-mini"\]\.contextWindow is -1000: use a positive whole number/],
  ];

  for (const [title, user, workspace, pattern] of CASES) {
    it(`${title}: api.send() rejects naming the setting, and no request reaches the provider`, async () => {
      await setSettings(user());
      await setSettings(workspace, vscode.ConfigurationTarget.Workspace);
      await assert.rejects(
        (await api()).send({ text: 'ping' }),
        (e: Error) => {
          assert.match(e.message, pattern);
          return true;
        },
      );
      assert.deepEqual(p.posts(), [], 'aimock journal is empty');
    });
  }

  it('the same settings made valid do send (the cases above fail only on their bad value)', async () => {
    await setSettings({ ...claude(), stopSequences: ['END'], maxTokens: 4000, thinkingBudget: 3000 });
    const r = await (await api()).send({ text: 'ping' });
    assert.equal(r.sent.maxTokens, 4000);
    assert.equal(p.posts().length, 1);
  });
});
