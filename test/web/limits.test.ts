// What the browser cannot do, said once and with the fix: keys from environment variables, a server that does not
// allow the page's origin (CORS), a collector likewise. And the team export itself, through a collector that does.
import * as vscode from 'vscode';
import * as assert from './assert';
import { api, closeAll, config, resetSettings, sendDoc, setSettings, useLlama, waitFor, waitForUi } from './util';

type Flush = { ok: boolean; error?: string; exportedRecords: number };
const flush = async () => (await vscode.commands.executeCommand<Flush>('lengthwise.internal.telemetryFlush'))!;

/** Registered by index.ts once mocha is set up. */
export function registerLimits(): void {
  describe('web: what the browser cannot do is said, with the fix', function () {
    this.timeout(60_000);
    beforeEach(() => resetSettings());
    afterEach(async () => {
      await closeAll();
      await resetSettings();
    });

    it('no stored key: the refusal says environment variables are not read in the browser; nothing is sent', async () => {
      await setSettings({ provider: 'openai', model: 'gpt-4.1-mini', baseUrl: `${config().llama}/v1` });
      await vscode.commands.executeCommand('lengthwise.setApiKey', 'openai', '');
      const err = await (await api()).send({ text: 'Hello?' }).then(
        () => undefined,
        (e: Error) => e,
      );
      assert.ok(err, 'refused');
      assert.match(err.message, /No API key for OpenAI\. Run "Lengthwise: Set API Key".*VS Code for the Web .*no environment variables, so OPENAI_API_KEY is not read\. Nothing was sent\./);
    });

    it('a server that does not allow the page\'s origin: a network error, and once a notice that names CORS and the fix', async () => {
      await useLlama({ provider: 'openai-compatible', model: 'tiny', baseUrl: `${config().llamaNoCors}/v1` });
      const first = await sendDoc('Are you there?');
      assert.equal(first.r.error?.kind, 'network', JSON.stringify(first.r.error));
      assert.equal(first.r.text, '');
      const notice = /OpenAI-compatible server at http:\/\/127\.0\.0\.1:\d+ could not be reached from VS Code for the Web.*\(CORS\)\. Fix: .*Ollama needs OLLAMA_ORIGINS/;
      await waitForUi((u) => u.notifications.some((n) => notice.test(n.message)), 'the CORS notice');
      await sendDoc('Still there?');
      const ui = await waitForUi((u) => u.notifications.some((n) => notice.test(n.message)), 'the CORS notice');
      assert.equal(ui.notifications.filter((n) => notice.test(n.message)).length, 1, 'said once');
    });

    it('team export: a collector without CORS is named once with the fix; through one that allows the origin, the spend arrives', async () => {
      await useLlama({ maxTokens: 4 });
      await sendDoc('Spend something.');
      await setSettings({ 'telemetry.otlpEndpoint': `${config().victoria}/opentelemetry/v1/metrics` });
      const blocked = await waitFor(flush, (f) => f.exportedRecords > 0, 'the export to start');
      assert.equal(blocked.ok, false, 'VictoriaMetrics answers no CORS: the browser refuses the answer');
      await waitForUi((u) => u.notifications.some((n) => /telemetry collector at .* could not be reached from VS Code for the Web .*CORS.*VictoriaMetrics/.test(n.message)), 'the collector notice');
      await setSettings({ 'telemetry.otlpEndpoint': `${config().collector}/opentelemetry/v1/metrics` });
      const f = await waitFor(flush, (x) => x.ok, 'an export through the collector that allows the origin', 20_000);
      const vm = config().collector; // the same proxy answers queries with CORS
      const requests = await waitFor(
        async () => {
          await fetch(`${vm}/internal/force_flush`);
          const q = (await (await fetch(`${vm}/api/v1/query?query=${encodeURIComponent('sum(lengthwise_requests_total)')}`)).json()) as { data: { result: { value: [number, string] }[] } };
          return Number(q.data.result[0]?.value[1] ?? 0);
        },
        (n) => n > 0,
        'the requests in VictoriaMetrics',
        20_000,
      );
      console.log(`      exported from the web worker: ${f.exportedRecords} ledger records, ${requests} requests in VictoriaMetrics`);
      assert.equal(requests, f.exportedRecords);
    });
  });
}
