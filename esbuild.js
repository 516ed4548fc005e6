// Bundles the extension (and, with --tests, the editor-host test suite).
// Usage: node esbuild.js [--production] [--watch] [--tests]
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');
const { builtinModules } = require('module');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const tests = process.argv.includes('--tests');

/** @type {import('esbuild').BuildOptions} */
const extension = {
  // The desktop entry (package.json "main"); countWorker: the token-counting worker thread
  // (src/platform/node/countWorker.ts starts it from beside extension.js).
  entryPoints: { extension: 'src/extension/desktop.ts', countWorker: 'src/platform/node/countWorkerEntry.ts' },
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

// VS Code for the Web (package.json "browser"): the same shell built for a browser's web worker into dist/web/, the
// price library and OpenTelemetry bundled in (no text is run as code there), the tokenizer ranks as JSON files
// (webRanks below: read by src/extension/host/webFiles.ts, parsed by src/platform/web/data.ts) and the counting Web
// Worker's script (src/platform/web/countWorker.ts starts it from its text). No Node built-in may be in any of them
// (checkNoNode below; lint keeps src/platform/web free of Node too).
const WEB_COMMON = {
  bundle: true,
  platform: 'browser',
  target: 'es2022',
  outdir: 'dist/web',
  minify: production,
  logLevel: 'warning',
  metafile: true,
};
/** @type {import('esbuild').BuildOptions} */
const webExtension = {
  ...WEB_COMMON,
  entryPoints: { extension: 'src/extension/web.ts' },
  format: 'cjs',
  external: ['vscode'],
  sourcemap: !production,
  sourcesContent: false,
};
/** @type {import('esbuild').BuildOptions} */
const webWorker = { ...WEB_COMMON, entryPoints: { countWorker: 'src/platform/web/countWorkerEntry.ts' }, format: 'iife' };
const WEB_BUILDS = [webExtension, webWorker];

/** dist/web/ranks/<id>.json: the ranks as data, parsed (never run) in the browser. */
function webRanks() {
  fs.mkdirSync('dist/web/ranks', { recursive: true });
  for (const id of ['o200k_base', 'cl100k_base']) {
    const file = `dist/web/ranks/${id}.json`;
    fs.writeFileSync(file, JSON.stringify(require(`js-tiktoken/ranks/${id}`)));
    console.log(`[esbuild] ${file} ${(fs.statSync(file).size / 1024).toFixed(1)} KB`);
  }
}

const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
/** A require of a Node built-in left in the output text (a package's own `require('fs')` behind a platform check). */
const NODE_REQUIRE = new RegExp(`\\brequire\\(\\s*["'](node:[\\w/]+|${builtinModules.filter((m) => !m.startsWith('_')).map((m) => m.replace(/[/]/g, '\\/')).join('|')})["']\\s*\\)`);

/** Fails the build when a web bundle imports or requires a Node built-in: it would break only at run time there. */
function checkNoNode(result) {
  const found = [];
  for (const [input, info] of Object.entries(result.metafile.inputs)) {
    for (const imp of info.imports) if (NODE_BUILTINS.has(imp.path)) found.push(`${input} imports ${imp.path}`);
  }
  for (const file of Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.js'))) {
    const m = NODE_REQUIRE.exec(fs.readFileSync(file, 'utf8'));
    if (m) found.push(`${file} requires ${m[1]}`);
  }
  if (found.length) throw new Error(`the web bundle uses Node built-ins (VS Code for the Web has none):\n  ${found.join('\n  ')}`);
}

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

// The web pass's tests (test/web, run by test/host/run.mjs in VS Code for the Web's extension host): one bundle for a
// browser's web worker with mocha's browser build inside (test/host/webPass.mjs copies it into the web extension).
/** @type {import('esbuild').BuildOptions} */
const webTests = {
  entryPoints: { index: 'test/web/index.ts' },
  bundle: true,
  format: 'cjs',
  platform: 'browser',
  target: 'es2022',
  outdir: 'out/test/web',
  external: ['vscode'],
  define: { global: 'globalThis' },
  sourcemap: 'inline',
  logLevel: 'warning',
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
// The same fixture for the web pass, built for a browser's web worker (its manifest gets "browser" and no "main",
// test/host/lmProvider.mjs), as a model extension runs on vscode.dev.
/** @type {import('esbuild').BuildOptions} */
const lmProviderWeb = { ...lmProvider, platform: 'browser', target: 'es2022', outdir: 'out/test/lmProviderWeb', define: { global: 'globalThis' } };

async function main() {
  // A production build starts from an empty dist/ so no stale source maps or chunks end up in the .vsix.
  if (production) fs.rmSync('dist', { recursive: true, force: true });
  const configs = [extension, lazyChunks, webview, ...WEB_BUILDS, ...(tests ? [editorTests, webTests, lmProvider, lmProviderWeb] : [])];
  if (tests) {
    fs.mkdirSync('out/test/lmProvider', { recursive: true });
    fs.copyFileSync('test/lmProvider/package.json', 'out/test/lmProvider/package.json');
  }
  webRanks();
  if (watch) {
    for (const c of configs) (await esbuild.context(c)).watch();
    console.log('[esbuild] watching…');
    return;
  }
  for (const c of configs) {
    const result = await esbuild.build(c);
    if (WEB_BUILDS.includes(c)) checkNoNode(result);
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
