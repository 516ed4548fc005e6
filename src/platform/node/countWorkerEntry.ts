// The counting worker thread on Node (started by countWorker.ts; bundled as dist/countWorker.js): the shared
// service (../countService.ts) over the thread's parent port, with the Node host's data loader.
import { parentPort } from 'node:worker_threads';
import { serveCounts } from '../countService';
import type { ToWorker } from '../countProtocol';
import { useNodeHost } from './host';

useNodeHost();
const port = parentPort;
if (!port) throw new Error('countWorkerEntry runs only as a worker thread');
serveCounts({ post: (m) => port.postMessage(m), onMessage: (h) => port.on('message', (m: ToWorker) => h(m)) });
