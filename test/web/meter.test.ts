// The status bar counts the selection before sending, exactly (o200k) and priced; big selections are counted in a
// Web Worker, and the extension host's thread keeps turning meanwhile (figures printed, not timed).
import * as vscode from 'vscode';
import { InThreadCounter } from '../../src/core/tokens/counting';
import { loadTokenizer } from '../../src/core/tokens/tokens';
import { chatFramingTokens } from '../../src/core/tokens/chatInput';
import { webDataLoader, webWorkerSource } from '../../src/extension/host/web';
import { WebWorkerCounter } from '../../src/platform/web/countWorker';
import { useWebHost } from '../../src/platform/web/host';
import * as assert from './assert';
import { api, closeAll, extension, openDoc, resetSettings, selectAll, stats, useLlama, waitFor } from './util';

const fmt = (n: number) => n.toLocaleString('en-US');

interface Stall<T> {
  value: T;
  stallMs: number;
  ms: number;
}

/**
 * Longest gap between two turns of a message ping-pong on this thread while `fn` runs (and until the turn after it):
 * how long the extension host could not handle a message — the workbench talks to it by messages. (A timer would
 * not do: a worker's timers wait behind message tasks, so they show gaps where messages still flow.) The median of
 * three runs by that gap: the machine is shared.
 */
async function stall3<T>(fn: () => Promise<T>): Promise<Stall<T>> {
  const one = async (): Promise<Stall<T>> => {
    const channel = new MessageChannel();
    let last = performance.now();
    let worst = 0;
    let on = true;
    channel.port1.onmessage = () => {
      const now = performance.now();
      worst = Math.max(worst, now - last);
      last = now;
      if (on) channel.port2.postMessage(null);
    };
    channel.port2.postMessage(null);
    const t0 = performance.now();
    try {
      const value = await fn();
      const ms = performance.now() - t0;
      await new Promise((r) => setTimeout(r, 5)); // the turn that was late because of a stall comes after it
      return { value, stallMs: worst, ms };
    } finally {
      on = false;
      channel.port1.close();
    }
  };
  const runs = [await one(), await one(), await one()];
  return runs.sort((a, b) => a.stallMs - b.stallMs)[1]!;
}

let sourceText: string | undefined;
/** Real code to count: the extension's own web bundle (2.7 MB of JavaScript), repeated as needed. */
async function corpus(chars: number): Promise<string> {
  sourceText ??= new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extension().extensionUri, 'dist', 'web', 'extension.js')));
  // A flat copy, as document.getText() returns.
  return JSON.parse(JSON.stringify(sourceText.repeat(Math.ceil(chars / sourceText.length)).slice(0, chars))) as string;
}

/** The status bar counts what Send sends: the selection and OpenAI's chat framing around one message. */
const FRAMING = chatFramingTokens('openai', 1);

/** Registered by index.ts once mocha is set up. */
export function registerMeter(): void {
  describe('web: the meter', function () {
    this.timeout(120_000);
    before(() => {
      // The test's own copy of core counts the same texts, with the extension's own chunks.
      useWebHost(webDataLoader(extension().extensionUri));
    });
    beforeEach(async () => {
      await resetSettings();
      await useLlama();
    });
    afterEach(() => closeAll());

    it('counts the selection before sending: exact o200k tokens and the worst case priced', async () => {
      const a = await api();
      const text = 'Write a haiku about the sea, please.';
      const ed = await openDoc(text);
      selectAll(ed);
      const tokens = (await loadTokenizer('o200k_base')).count(text) + FRAMING;
      const status = await waitFor(() => a.statusText(), (t) => t.includes(`${fmt(tokens)} tok`), 'the selection counted');
      assert.match(status, new RegExp(`${fmt(tokens)} tok · ≤ \\$0\\.\\d+`), 'exact (no ≈) and a worst case from the bundled price');
      assert.ok(!status.includes('≈'), status);
    });

    it('counts a 1 MB selection in a Web Worker: the same count as in the thread, the host keeps turning', async () => {
      const a = await api();
      const text = await corpus(1 << 20);
      const expected = await new InThreadCounter().count('o200k_base', text);
      const before = (await stats()).countWorkers;
      const ed = await openDoc(text);
      selectAll(ed);
      await waitFor(() => a.statusText(), (t) => t.includes(`${fmt(expected.tokens + FRAMING)} tok`), 'the big selection counted', 60_000);
      assert.ok((await stats()).countWorkers >= Math.max(1, before), 'the extension started its counting worker');
    });

    it('figures: the host thread\'s longest stall while 1 and 5 MB are counted in a Web Worker, and in slices on it', async () => {
      // The same counter code as the extension's, in this web worker: a new Web Worker each time (its start and the
      // ranks it is sent included), against a new in-thread counter (its block cache empty, the tables loaded).
      const fresh = () => new WebWorkerCounter(webWorkerSource(extension().extensionUri), new InThreadCounter(), (m) => console.log(m));
      const start = await stall3(async () => {
        const w = fresh();
        await w.count('o200k_base', 'warm up');
        w.dispose();
      });
      console.log(`      a Web Worker's start with the o200k ranks: longest stall ${start.stallMs.toFixed(1)} ms, ${Math.round(start.ms)} ms in all`);
      for (const mb of [1, 5]) {
        const big = await corpus(mb << 20);
        const viaWorker = await stall3(async () => {
          const w = fresh();
          try {
            return await w.count('o200k_base', big);
          } finally {
            w.dispose();
          }
        });
        const inThread = await stall3(() => new InThreadCounter().count('o200k_base', big));
        assert.deepEqual(viaWorker.value, inThread.value, `${mb} MB: the worker counts as the thread does`);
        console.log(`      ${mb} MB (${fmt(inThread.value.tokens)} tokens): Web Worker: longest stall ${viaWorker.stallMs.toFixed(1)} ms, ${Math.round(viaWorker.ms)} ms in all; in slices on the host thread: ${inThread.stallMs.toFixed(1)} ms, ${Math.round(inThread.ms)} ms`);
      }
    });

    it('follows the selection as it changes', async () => {
      const a = await api();
      const tok = await loadTokenizer('o200k_base');
      const text = 'one two three\nfour five six seven eight';
      const ed = await openDoc(text);
      ed.selection = new vscode.Selection(0, 0, 0, 13);
      await waitFor(() => a.statusText(), (t) => t.includes(` ${tok.count('one two three') + FRAMING} tok `), 'the first line counted');
      selectAll(ed);
      await waitFor(() => a.statusText(), (t) => t.includes(` ${tok.count(text) + FRAMING} tok `), 'the whole text counted');
    });
  });
}
