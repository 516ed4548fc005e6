// Bundles the extension (and, with --tests, the editor-host test suite).
// Usage: node esbuild.js [--production] [--watch] [--tests]
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const tests = process.argv.includes('--tests');

/** @type {import('esbuild').BuildOptions} */
const extension = {
  // countWorker: the token-counting worker thread (src/platform/node/countWorker.ts starts it from beside extension.js).
  entryPoints: { extension: 'src/extension/extension.ts', countWorker: 'src/platform/node/countWorkerEntry.ts' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  outdir: 'dist',
  external: ['vscode'],
  sourcemap: !production,
  sourcesContent: false,
  minify: production,
  // Tokenizer ranks are large: they are split into their own lazily required chunk (lazyChunks below; loadRanks in
  // src/core/tokens/tokens.ts).
  logLevel: 'warning',
  metafile: true,
};

// Big data and code loaded on first use (src/platform/node/lazyChunk.ts): tokenizer ranks (3.4 MB), the price table
// (0.5 MB) and OpenTelemetry (0.26 MB) live in their own files beside extension.js, so they are neither parsed at
// activation nor inlined in the bundle.
/** @type {import('esbuild').BuildOptions} */
const lazyChunks = {
  entryPoints: {
    'ranks/o200k_base': require.resolve('js-tiktoken/ranks/o200k_base'),
    'ranks/cl100k_base': require.resolve('js-tiktoken/ranks/cl100k_base'),
    'vendor/genai-prices': require.resolve('@pydantic/genai-prices'),
    // OpenTelemetry (sdk-metrics, the OTLP protobuf exporter): loaded only when lengthwise.telemetry.otlpEndpoint is
    // set (src/telemetry/telemetry.ts).
    'telemetry/otel': 'src/telemetry/otel.ts',
  },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  outdir: 'dist',
  minify: production,
  logLevel: 'warning',
  metafile: true,
};

// The dashboard page's script (src/extension/dashboard.ts loads it into the webview): browser code, one file.
/** @type {import('esbuild').BuildOptions} */
const webview = {
  entryPoints: { 'webview/dashboard': 'src/webview/dashboard.ts' },
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
  outdir: 'dist',
  sourcemap: !production,
  sourcesContent: false,
  minify: production,
  logLevel: 'warning',
  metafile: true,
};

function editorTestEntries() {
  const dir = 'test/editor';
  const entries = {};
  for (const f of fs.readdirSync(dir)) {
    if (f.endsWith('.ts')) entries[f.replace(/\.ts$/, '')] = path.join(dir, f);
  }
  return entries;
}

/** @type {import('esbuild').BuildOptions} */
const editorTests = {
  entryPoints: tests ? editorTestEntries() : {},
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  outdir: 'out/test/editor',
  // mocha and aimock are loaded from node_modules at run time inside the extension host.
  external: ['vscode', 'mocha', '@copilotkit/aimock'],
  sourcemap: 'inline',
  logLevel: 'warning',
  // test/servers/llama.mjs runs itself when started as a script (import.meta.url); bundled for a suite, it never is.
  logOverride: { 'empty-import-meta': 'silent' },
};

// A test fixture extension that serves a vscode.lm model backed by llama-server (test/lmProvider/extension.ts):
// bundled with the openai SDK into its own folder beside its manifest; test/host/run.mjs packages and installs it.
/** @type {import('esbuild').BuildOptions} */
const lmProvider = {
  entryPoints: { extension: 'test/lmProvider/extension.ts' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  outdir: 'out/test/lmProvider',
  external: ['vscode'],
  logLevel: 'warning',
};

async function main() {
  // A production build starts from an empty dist/ so no stale source maps or chunks end up in the .vsix.
  if (production) fs.rmSync('dist', { recursive: true, force: true });
  const configs = [extension, lazyChunks, webview, ...(tests ? [editorTests, lmProvider] : [])];
  if (tests) {
    fs.mkdirSync('out/test/lmProvider', { recursive: true });
    fs.copyFileSync('test/lmProvider/package.json', 'out/test/lmProvider/package.json');
  }
  if (watch) {
    for (const c of configs) (await esbuild.context(c)).watch();
    console.log('[esbuild] watching…');
    return;
  }
  for (const c of configs) {
    const result = await esbuild.build(c);
    if (result.metafile) {
      for (const [file, info] of Object.entries(result.metafile.outputs)) {
        if (file.endsWith('.js')) console.log(`[esbuild] ${file} ${(info.bytes / 1024).toFixed(1)} KB`);
      }
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
