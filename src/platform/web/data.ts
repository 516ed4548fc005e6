// Big data in a browser, loaded on first use without running any text as code: the tokenizer ranks are JSON files
// (dist/web/ranks/<id>.json, written by esbuild.js), read asynchronously by the host (vscode.workspace.fs from the
// shell, or the host's answer to the counting Web Worker) and parsed. Code (the price library, OpenTelemetry) is
// bundled into the web build instead (src/extension/host/web.ts).
import type { DataLoader } from '../../core/lazyData';

/** Ranks from `readJson` (a chunk name such as "ranks/o200k_base" → its JSON text); `other` for any other chunk. */
export function jsonRanksLoader(readJson: (chunk: string) => Promise<string>, other: (chunk: string) => Promise<unknown> = noChunk): DataLoader {
  return async <T>(chunk: string) => (chunk.startsWith('ranks/') ? (JSON.parse(await readJson(chunk)) as T) : ((await other(chunk)) as T));
}

async function noChunk(chunk: string): Promise<never> {
  throw new Error(`${chunk} is not in this build`);
}
