// Loads big data modules (tokenizer ranks, price tables) and optional code (OpenTelemetry) only when first needed, so they stay out of the
// extension's start-up path. The bundle ships them as separate files beside dist/extension.js (esbuild.js,
// "lazy chunks"); running from source (tsx tests, benchmarks) they come straight from node_modules.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import type { OtelModule } from '../../telemetry/telemetry';

// A require that esbuild does not follow: the chunks must not be inlined into the main bundle.
const runtimeRequire = createRequire(__filename);

/** Where a chunk is looked for: `<dir>/<chunk>.js`, dir = the directory of the running bundle. */
export function chunkPath(chunk: string, dir: string = __dirname): string {
  return path.join(dir, `${chunk}.js`);
}

/** The chunk file when it exists beside the bundle, otherwise the package module (development). */
export function resolveChunk(chunk: string, fallbackModule: string, dir: string = __dirname): string {
  const file = chunkPath(chunk, dir);
  return fs.existsSync(file) ? file : fallbackModule;
}

export function requireChunk<T>(chunk: string, fallbackModule: string, dir: string = __dirname): T {
  const mod = runtimeRequire(resolveChunk(chunk, fallbackModule, dir)) as T & { default?: T };
  // An ES-module-shaped chunk exposes its value as `default`.
  return (mod && typeof mod === 'object' && 'default' in mod && mod.default ? mod.default : mod) as T;
}

/** The loader core's lazy data uses on Node (src/core/lazyData.ts). */
export const nodeDataLoader = <T>(chunk: string, fallbackModule: string): T => requireChunk<T>(chunk, fallbackModule);

/** The OpenTelemetry chunk, dist/telemetry/otel.js (from source: src/telemetry/otel.ts, relative to this file). */
export function loadOtelChunk(): OtelModule {
  return requireChunk<OtelModule>('telemetry/otel', '../../telemetry/otel');
}
