// The stream path in the real host: a 100,000-token answer streamed into a document. Prints the longest stall of
// the extension host's event loop and its CPU against the same stream read into a string by the raw SDK loop
// (`npm run bench` collects the line); asserts only behaviour: order, one undo step, edits throttled.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import * as vscode from 'vscode';
import OpenAI from 'openai';
import type { ResultSummary } from '../../src/core/generation/summary';
import { closeAll, openDoc, resetSettings, select, setSettings, usage } from './util';

/** aimock in a child process: its own writing of 21,000 chunks must not count as a stall of this host. */
async function serveOutOfProcess(fixtures: { match: string; content: string }[]): Promise<{ url: string; stop(): void }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lengthwise-stream-'));
  const file = path.join(dir, 'fixtures.json');
  fs.writeFileSync(file, JSON.stringify(fixtures));
  const script = `
    const { LLMock } = require(${JSON.stringify(require.resolve('@copilotkit/aimock'))});
    const m = new LLMock({ port: 0, host: '127.0.0.1' });
    for (const f of require(${JSON.stringify(file)})) m.onMessage(f.match, { content: f.content, usage: ${JSON.stringify(usage(5, 100_000))} }, { chunkSize: 20 });
    m.start().then(() => console.log('URL ' + m.url));
    process.stdin.on('end', () => m.stop().then(() => process.exit(0)));
    process.stdin.resume();`;
  const child: ChildProcess = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
  const url = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('the stream server did not start')), 20_000);
    child.stdout?.on('data', (d: Buffer) => {
      const m = /URL (\S+)/.exec(d.toString());
      if (m) {
        clearTimeout(t);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`the stream server exited (${code})`)));
  });
  return {
    url,
    stop: () => {
      child.stdin?.end();
      child.kill();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** ~420,000 characters of prose, code and numbers (about 100,000 o200k tokens). */
function longAnswer(): string {
  const words = ['the', 'value', 'function', 'returns', 'a', 'list', 'of', 'items', 'and', 'their', 'counts', 'per', 'day'];
  const lines: string[] = [];
  for (let i = 0, len = 0; len < 420_000; i++) {
    const line =
      i % 5 === 4
        ? `    const item${i} = compute(${(i * 37) % 1000}, "${words[i % words.length]}");`
        : `Line ${i}: ${words[i % words.length]} ${words[(i * 3) % words.length]} ${words[(i * 7) % words.length]} is ${(i * 13) % 997}.`;
    lines.push(line);
    len += line.length + 1;
  }
  return lines.join('\n');
}

const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;

describe('stream path: a long answer in the real host', () => {
  let server: { url: string; stop(): void } | undefined;
  const content = longAnswer();
  beforeEach(async () => {
    await resetSettings();
    server = await serveOutOfProcess([
      { match: 'a long answer please', content },
      { match: 'warm up', content: 'ready' },
    ]);
    await setSettings({ provider: 'openai', model: 'gpt-4.1-mini', baseUrl: `${server.url}/v1`, maxTokens: 32768 });
    await vscode.commands.executeCommand('lengthwise.setApiKey', 'openai', 'sk-test-lengthwise-0000');
  });
  afterEach(async () => {
    server?.stop();
    await closeAll();
    await resetSettings();
  });

  /**
   * Sends the long prompt from a new document of `language` and measures the host's thread meanwhile: the longest
   * event-loop stall, the longest garbage-collection pause (V8's, whoever allocated), CPU and the edits made.
   */
  async function streamIntoDocument(language: string) {
    const ed = await openDoc('a long answer please', language);
    select(ed, 0, 0, 0, 20);
    let edits = 0;
    const sub = vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document === ed.document && e.contentChanges.length) edits++;
    });
    let gcMs = 0;
    const gc = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) gcMs = Math.max(gcMs, e.duration);
    });
    gc.observe({ entryTypes: ['gc'] });
    const h = monitorEventLoopDelay({ resolution: 5 });
    h.enable();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const r = (await vscode.commands.executeCommand('lengthwise.send')) as ResultSummary;
    const seconds = (performance.now() - t0) / 1000;
    const cpu = cpuMs(process.cpuUsage(c0));
    await new Promise((resolve) => setTimeout(resolve, 10)); // a late delay sample lands on the next tick
    h.disable();
    gc.disconnect();
    sub.dispose();
    return { ed, r, edits, seconds, cpu, stallMs: h.max / 1e6, gcMs };
  }

  it('100,000 tokens land in order as one undo step, at most 20 edits a second (prints the longest stall)', async function () {
    this.timeout(180_000);
    // Warm up: the tokenizer tables load on the first send of a session (in slices), not part of a stream's cost.
    const warm = await openDoc('warm up');
    select(warm, 0, 0, 0, 7);
    await vscode.commands.executeCommand('lengthwise.send');
    // Markdown, as users write; VS Code's own markdown extension re-parses the document after edits (in this host).
    const md = await streamIntoDocument('markdown');
    assert.equal(md.ed.document.getText(), `a long answer please\n${content}`);
    assert.equal(md.r.text, content);
    assert.ok(md.edits <= Math.ceil(md.seconds * 20) + 2, `${md.edits} edits in ${md.seconds.toFixed(1)} s`);
    await vscode.commands.executeCommand('undo');
    assert.equal(md.ed.document.getText(), 'a long answer please', 'one answer is one undo step');
    // Plain text: no language extension reacts to the edits.
    const plain = await streamIntoDocument('plaintext');
    assert.equal(plain.ed.document.getText(), `a long answer please\n${content}`);

    // The same stream read into a string by the SDK alone, in the same host.
    const client = new OpenAI({ apiKey: 'sk-test-lengthwise-0000', baseURL: `${server!.url}/v1`, maxRetries: 0 });
    const hr = monitorEventLoopDelay({ resolution: 5 });
    hr.enable();
    const c1 = process.cpuUsage();
    const stream = await client.chat.completions.create({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'a long answer please' }], stream: true });
    let text = '';
    for await (const ch of stream) text += ch.choices[0]?.delta?.content ?? '';
    const rawCpu = cpuMs(process.cpuUsage(c1));
    await new Promise((resolve) => setTimeout(resolve, 10));
    hr.disable();
    assert.equal(text, content);
    const ms = (x: number) => `${x.toFixed(1)} ms`;
    console.log(
      `      stream of 100,000 tokens into a document: longest stall ${ms(md.stallMs)} in markdown (longest GC pause ${ms(md.gcMs)}), ` +
        `${ms(plain.stallMs)} in plain text (GC ${ms(plain.gcMs)}); ${md.edits} edits in ${md.seconds.toFixed(1)} s; ` +
        `host CPU ${md.cpu.toFixed(0)} / ${plain.cpu.toFixed(0)} ms vs ${rawCpu.toFixed(0)} ms for the SDK loop into a string ` +
        `(${(md.cpu / rawCpu).toFixed(2)}× / ${(plain.cpu / rawCpu).toFixed(2)}×, its longest stall ${ms(hr.max / 1e6)})`,
    );
  });
});
