// What a new user meets in the first minutes: a local server without a key or a question, one notification per
// cause, errors that open the right settings scope, readable continuation figures, onboarding.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { FaultServer } from './faultServer';
import { answeringModals, api, closeAll, lanHost, resetSettings, setSettings } from './util';

const WS = vscode.ConfigurationTarget.Workspace;

async function dropKeys(): Promise<void> {
  for (const p of ['openai-compatible', 'openai']) await vscode.commands.executeCommand('lengthwise.setApiKey', p, '');
}

describe('native: a local server without friction', function () {
  this.timeout(30_000);
  let f: FaultServer | undefined;
  afterEach(async () => {
    await f?.stop();
    f = undefined;
    await closeAll();
    await resetSettings();
  });

  it('openai-compatible with no key stored: sent without an Authorization header, no endpoint question', async () => {
    await dropKeys();
    f = await new FaultServer().start();
    f.plans = [{ chunks: ['local answer'] }];
    // Set by the workspace, as a cloned repo with a llama-server setup would.
    await setSettings({ provider: 'openai-compatible', model: 'llama3.1:8b', baseUrl: `${f.url}/v1` }, WS);
    const r = await answeringModals(undefined, () => api().then((a) => a.send({ text: 'hello local' })));
    assert.equal(r.error, undefined, r.error?.message);
    assert.deepEqual(r.asked, [], 'no question');
    assert.equal(r.result?.text, 'local answer');
    assert.equal(f.requests.length, 1);
    assert.equal(f.requests[0].headers.authorization, undefined, 'no Authorization header');
  });

  it('a workspace loopback endpoint with a key is not asked about (localhost and 127.0.0.1)', async () => {
    f = await new FaultServer().start();
    f.plans = [{ chunks: ['ok'] }];
    await vscode.commands.executeCommand('lengthwise.setApiKey', 'openai', 'sk-test-loopback-0000');
    const port = new URL(f.url).port;
    for (const host of ['127.0.0.1', 'localhost']) {
      await setSettings({ provider: 'openai', model: 'gpt-4.1-mini', baseUrl: `http://${host}:${port}/v1` }, WS);
      const r = await answeringModals(undefined, () => api().then((a) => a.send({ text: `via ${host}` })));
      assert.equal(r.error, undefined, r.error?.message);
      assert.deepEqual(r.asked, [], host);
    }
    assert.equal(f.requests.length, 2);
  });

  it('a workspace remote host: asked when the key goes there, not when no key is sent', async () => {
    f = await new FaultServer().start(lanHost());
    f.plans = [{ chunks: ['ok'] }];
    await dropKeys();
    await setSettings({ provider: 'openai-compatible', model: 'llama3.1:8b', baseUrl: `${f.url}/v1` }, WS);
    const keyless = await answeringModals(undefined, () => api().then((a) => a.send({ text: 'no key' })));
    assert.equal(keyless.error, undefined, keyless.error?.message);
    assert.deepEqual(keyless.asked, [], 'no key, no question');
    await vscode.commands.executeCommand('lengthwise.setApiKey', 'openai-compatible', 'sk-test-remote-0000');
    const keyed = await answeringModals(undefined, () => api().then((a) => a.send({ text: 'with key' })));
    assert.equal(keyed.asked.length, 1, 'the key would leave the machine: asked');
    assert.match(keyed.error?.message ?? '', /declined/);
    assert.equal(f.requests.length, 1, 'the declined request was not sent');
  });
});
