// The counting Web Worker in a browser (started by countWorker.ts from dist/web/countWorker.js): the shared service
// (../countService.ts) over the worker's own message port. A Web Worker cannot read the extension's files: its data
// (the tokenizer ranks' JSON) comes from the host on request.
import { serveCounts } from '../countService';
import type { FromWorker, ToWorker } from '../countProtocol';
import { jsonRanksLoader } from './data';
import { useWebHost } from './host';

/** The worker's global scope, as far as it is used here (the DOM typings describe a window). */
const scope = globalThis as unknown as { postMessage(m: FromWorker): void; addEventListener(type: 'message', h: (e: { data: ToWorker }) => void): void };

const waiting = new Map<string, { resolve(source: string): void; reject(e: Error): void }>();
const utf8 = new TextDecoder();
useWebHost(
  jsonRanksLoader(
    (chunk) =>
      new Promise<string>((resolve, reject) => {
        // core loads each chunk once (lazyData.ts): one request per chunk is enough.
        waiting.set(chunk, { resolve, reject });
        scope.postMessage({ dataRequest: chunk });
      }),
  ),
);
serveCounts({
  post: (m) => scope.postMessage(m),
  onMessage: (handler) =>
    scope.addEventListener('message', (e) => {
      const m = e.data;
      if (m.type !== 'data') return handler(m);
      const w = waiting.get(m.chunk);
      waiting.delete(m.chunk);
      if (m.bytes !== undefined) w?.resolve(utf8.decode(m.bytes));
      else w?.reject(new Error(m.error ?? `no data for ${m.chunk}`));
    }),
});
