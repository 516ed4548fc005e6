// Layer rules the build enforces (npm run lint): the pure core, the editor-free providers and telemetry, the
// browser-only webview, and no import cycles anywhere in src/.
// `vscode` resolves to its type package (the editor provides the module at run time).
const VSCODE = '^vscode$|node_modules/@types/vscode/';

/**
 * The folders of src/core from the ground up: each may import only its own folder and those listed before it, so no
 * import runs back up (a rule for core's shared words lives low, never in the folder that happens to use it first).
 */
const CORE_FLOORS = [
  ['protocol'],
  ['providers'],
  ['tokens', 'models'],
  ['pricing'],
  ['settings', 'ledger'],
  ['generation'],
  ['views'],
];
const coreOrder = CORE_FLOORS.flatMap((floor, i) => {
  const below = CORE_FLOORS.slice(0, i).flat();
  return floor.map((room) => ({
    name: `core-order-${room}`,
    severity: 'error',
    comment: `src/core/${room} may import only ${[room, ...below].join(', ')} (and the host hooks core/lazyData.ts and core/turn.ts): the floors of core run one way.`,
    from: { path: `^src/core/${room}/` },
    to: { path: '^src/core/', pathNot: `^src/core/(${[room, ...below].join('|')})/|^src/core/(lazyData|turn)\\.ts$` },
  }));
});

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...coreOrder,
    {
      name: 'core-folders-known',
      severity: 'error',
      comment: 'Every folder of src/core has its floor in CORE_FLOORS (a new one is placed there first).',
      from: { path: '^src/core/[^/]+/' , pathNot: `^src/core/(${CORE_FLOORS.flat().join('|')})/` },
      to: {},
    },
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'Import cycles make load order matter and hide layering mistakes.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'core-no-vscode',
      severity: 'error',
      comment: 'src/core is pure TypeScript: no editor API.',
      from: { path: '^src/core/' },
      to: { path: VSCODE },
    },
    {
      name: 'core-no-node',
      severity: 'error',
      comment: 'src/core runs in a browser as well: Node I/O lives in src/platform/node.',
      from: { path: '^src/core/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'core-only-core',
      severity: 'error',
      comment: 'src/core depends on nothing else in src/ (the other layers depend on it).',
      from: { path: '^src/core/' },
      to: { path: '^src/', pathNot: '^src/core/' },
    },
    {
      name: 'providers-no-vscode',
      severity: 'error',
      comment: 'Providers adapt SDKs; the editor is the extension layer\'s business.',
      from: { path: '^src/(providers|telemetry|platform)/' },
      to: { path: VSCODE },
    },
    {
      name: 'web-platform-no-node',
      severity: 'error',
      comment: 'src/platform/web and the code shared by both platforms (src/platform/*.ts) run in a browser\'s web worker: no Node built-ins.',
      from: { path: '^src/platform/(web/|[^/]+$)' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'web-platform-not-node-platform',
      severity: 'error',
      comment: 'The web platform and the shared platform code never reach into the Node platform (and Node\'s never into the web\'s).',
      from: { path: '^src/platform/(web/|[^/]+$)' },
      to: { path: '^src/platform/node/' },
    },
    {
      name: 'node-platform-not-web-platform',
      severity: 'error',
      from: { path: '^src/platform/node/' },
      to: { path: '^src/platform/web/' },
    },
    {
      name: 'shell-runs-on-both-platforms',
      severity: 'error',
      comment: 'The shell, the adapters and telemetry run on the desktop and in VS Code for the Web: only the desktop entry and its host (src/extension/desktop.ts, src/extension/host/desktop.ts) take Node\'s platform or built-ins.',
      from: { path: '^src/(extension|providers|telemetry)/', pathNot: '^src/extension/(desktop|host/desktop)\\.ts$' },
      to: { path: '^src/platform/node/' },
    },
    {
      name: 'shell-no-node-builtins',
      severity: 'error',
      comment: 'A Node built-in in the shared shell would break VS Code for the Web at run time (esbuild.js checks the web bundle too).',
      from: { path: '^src/(extension|providers|telemetry)/', pathNot: '^src/extension/(desktop|host/desktop)\\.ts$' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'webview-no-vscode-no-node',
      severity: 'error',
      comment: 'The dashboard page runs in a browser sandbox.',
      from: { path: '^src/webview/' },
      to: { path: VSCODE },
    },
    {
      name: 'webview-no-node-builtins',
      severity: 'error',
      from: { path: '^src/webview/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'webview-types-only-from-core',
      severity: 'error',
      comment: 'The page takes only types from core (the one exception: the dollar formatter, which imports nothing).',
      from: { path: '^src/webview/' },
      to: { path: '^src/core/', pathNot: '^src/core/pricing/money\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-extension-outside-extension',
      severity: 'error',
      comment: 'Only the extension shell may depend on the extension shell.',
      from: { path: '^src/', pathNot: '^src/extension/' },
      to: { path: '^src/extension/' },
    },
    {
      name: 'key-read-only-in-door',
      severity: 'error',
      comment: 'A key is read only by the door (src/extension/door/door.ts), which hands it out after the endpoint, plan and budget checks.',
      from: { path: '^src/', pathNot: '^src/extension/door/door\\.ts$' },
      to: { path: '^src/extension/door/keyRead\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|out)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
