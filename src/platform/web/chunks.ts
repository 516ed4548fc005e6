// Big data and optional code in a browser: the chunks esbuild.js builds (dist/ranks, dist/vendor: tokenizer ranks, the price
// table; dist/web/telemetry: OpenTelemetry), read asynchronously by the host (vscode.workspace.fs from the shell, or the host's answer
// to a Web Worker) and run as the CommonJS modules they are. VS Code's web-worker extension host runs the
// extension's own code the same way (its text wrapped in a function), so this is no new kind of trust: the text is
// the extension's own file.
import type { DataLoader } from '../../core/lazyData';

/** The module value of a chunk's source (its `default` when it has the shape of an ES module). */
export function evaluateChunk<T>(source: string, chunk: string): T {
  const module: { exports: unknown } = { exports: {} };
  const run = new Function('module', 'exports', `${source}\n//# sourceURL=lengthwise/${encodeURI(chunk)}.js`) as (m: typeof module, e: unknown) => void;
  run(module, module.exports);
  const mod = module.exports as T & { default?: T };
  return (mod && typeof mod === 'object' && 'default' in mod && mod.default ? mod.default : mod) as T;
}

/** core's data loader over `read` (a chunk name → its source text). */
export function chunkLoader(read: (chunk: string) => Promise<string>): DataLoader {
  return <T>(chunk: string) => read(chunk).then((source) => evaluateChunk<T>(source, chunk));
}
