// The counting worker on Node: a worker thread running dist/countWorker.js (countWorkerEntry.ts) behind the shared
// counter (../portCounter.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { PortCounter, type WorkerPort } from '../portCounter';
import type { FromWorker } from '../countProtocol';

/** The worker's script: dist/countWorker.js beside the bundle, or the TypeScript entry when running from source. */
function countWorkerScript(dir: string = __dirname): string {
  const bundled = path.join(dir, 'countWorker.js');
  return fs.existsSync(bundled) ? bundled : path.join(__dirname, 'countWorkerEntry.ts');
}

function threadPort(script: string): WorkerPort {
  // From source (tests, benchmark) the TypeScript entry needs the same loader as the caller.
  const fromSource = script.endsWith('.ts');
  const w = new Worker(script, { name: 'lengthwise-count', ...(fromSource ? { execArgv: ['--require', 'tsx/cjs'] } : {}) });
  return {
    post: (m) => w.postMessage(m),
    onMessage: (h) => w.on('message', (m: FromWorker) => h(m)),
    onLost: (h) => {
      w.on('error', (e) => h(e instanceof Error ? e : new Error(`the counting worker stopped (${String(e)})`)));
      w.on('exit', (code) => h(new Error(`the counting worker exited (code ${code})`)));
    },
    terminate: () => void w.terminate(),
    ref: () => w.ref(),
    unref: () => w.unref(),
  };
}

export class WorkerCounter extends PortCounter {
  constructor(script: string = countWorkerScript()) {
    super(() => threadPort(script));
  }
}
