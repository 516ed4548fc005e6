// ESLint (flat config) for src/ and test/. Layer boundaries are also checked by dependency-cruiser
// (.dependency-cruiser.cjs); here they are repeated as import rules so an editor shows them while typing.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const noVscode = { name: 'vscode', message: 'This layer must not use the editor API (only src/extension may).' };
/** A string or template literal with at least two words of its own. */
const WORDS = ':matches(Literal[value=/[a-z]{2,} +[a-z]/i], TemplateLiteral:has(TemplateElement[value.raw=/[a-z]{2,} +[a-z]/i]))';
const NODE_MESSAGE = 'This layer must not use Node APIs (Node I/O goes to src/platform/node).';
const noNode = { group: ['node:*'], message: NODE_MESSAGE };
/** Node's built-in modules by their bare names too (`fs`, `path`, `worker_threads`), not only as `node:fs`. */
const noBareNode = builtinModules.map((name) => ({ name, message: NODE_MESSAGE }));
/** Node's own globals, refused where code must also run in a browser's web worker (the web extension host). */
const NODE_GLOBALS = ['Buffer', 'process', 'global', 'setImmediate', 'clearImmediate', 'require', 'module', 'exports', '__dirname', '__filename'];
const CORE_MESSAGE = 'src/core runs in a web worker too: no Node globals (Node I/O goes to src/platform/node; core takes what it needs from its host, as lazyData.ts and turn.ts do).';
/** What runs in VS Code for the Web's extension host as well (a browser's web worker: no Node). */
const WEB_MESSAGE = 'This code runs in VS Code for the Web too (a browser\'s web worker, no Node): Node I/O goes to src/platform/node behind an interface, chosen by src/extension/host.';
/** Globals a bundle cannot stand in for (require/module/exports are esbuild's own in a bundle). */
const WEB_NODE_GLOBALS = ['Buffer', 'process', 'global', 'setImmediate', 'clearImmediate', '__dirname', '__filename'];
/** Files that run only on the desktop (Node): its entry and host, and the key reader's environment fallback. */
const DESKTOP_ONLY = ['src/extension/desktop.ts', 'src/extension/host/desktop.ts', 'src/platform/node/**'];
/** Settings are read in one place, with the document's scope and workspace trust (src/extension/config/). */
const noGetConfiguration = {
  property: 'getConfiguration',
  message: 'Read lengthwise.* through the Configuration service (src/extension/config/configuration.ts): it applies the scope and workspace trust.',
};
/** The tests' hooks live in src/extension/testHooks.ts, which activate() registers only in test runs. */
const TEST_HOOKS_MESSAGE = 'Test hooks (lengthwise.internal.*, the dashboard\'s forTests) belong in src/extension/testHooks.ts, registered only in ExtensionMode.Test.';
const noForTests = { property: 'forTests', message: TEST_HOOKS_MESSAGE };
const noTestHooks = ['Literal[value=/^lengthwise\\.internal\\./]', 'TemplateElement[value.raw=/^lengthwise\\.internal\\./]'].map((selector) => ({ selector, message: TEST_HOOKS_MESSAGE }));
// What the shell shows goes through vscode.l10n.t (l10n/bundle.l10n.json is generated from these calls by
// @vscode/l10n-dev; test/unit/l10n.test.ts checks the bundle is current). Placeholders are {0}, {1}: a template
// literal inside t() would make every value a different key.
const L10N = [
  ...[
    'CallExpression[callee.property.name=/^show(Information|Warning|Error)Message$/] > :matches(Literal, TemplateLiteral)',
    'CallExpression[callee.property.name=/^(showQuickPick|showInputBox|withProgress|showSaveDialog|showOpenDialog)$/] Property[key.name=/^(title|placeHolder|prompt|saveLabel|openLabel)$/] > :matches(Literal, TemplateLiteral)',
    // Words, not a format of other values (`$(clock) ${text}`).
    `Property[key.name=/^(detail|description)$/] > ${WORDS}`,
    `AssignmentExpression[left.property.name=/^(tooltip|text|name)$/] > ${WORDS}`,
    `AssignmentExpression[left.property.name=/^(tooltip|text|name)$/] > ConditionalExpression > ${WORDS}`,
  ].map((selector) => ({ selector, message: 'Text shown to the user goes through vscode.l10n.t(...) so it can be translated.' })),
  {
    selector: 'CallExpression[callee.object.property.name="l10n"][callee.property.name="t"] > TemplateLiteral.arguments:first-child',
    message: 'vscode.l10n.t takes a plain string with {0} placeholders (a template literal cannot be extracted into the bundle).',
  },
  {
    selector: 'NewExpression[callee.name="RefusedError"] > :matches(Literal, TemplateLiteral).arguments:first-child',
    message: 'A refusal is shown to the user: its text goes through vscode.l10n.t(...).',
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'esbuild.js', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Everything but core and the page runs on Node (the extension host, the tests, the counting worker).
    ignores: ['src/core/**', 'src/webview/**'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-control-regex': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/extension/config/**', 'src/extension/testHooks.ts'],
    rules: { 'no-restricted-properties': ['error', noGetConfiguration, noForTests] },
  },
  {
    files: ['src/extension/testHooks.ts'],
    rules: { 'no-restricted-properties': ['error', noGetConfiguration] },
  },
  {
    // Core runs in Node and in a browser's web worker: it sees a worker's globals only (not Node's, not a page's
    // window or document). no-undef is on here (typescript-eslint turns it off because tsc checks names, but tsc
    // sees @types/node everywhere, so it accepts Buffer in core).
    files: ['src/core/**/*.ts'],
    languageOptions: { globals: { ...globals.worker } },
    rules: {
      'no-undef': 'error',
      'no-restricted-globals': ['error', ...NODE_GLOBALS.map((name) => ({ name, message: CORE_MESSAGE }))],
      'no-restricted-properties': [
        'error',
        noGetConfiguration,
        ...NODE_GLOBALS.flatMap((property) => ['globalThis', 'self'].map((object) => ({ object, property, message: CORE_MESSAGE }))),
      ],
      '@typescript-eslint/no-restricted-imports': ['error', { paths: [noVscode, ...noBareNode], patterns: [noNode] }],
    },
  },
  {
    files: ['src/extension/**/*.ts'],
    ignores: ['src/extension/testHooks.ts'],
    rules: { 'no-restricted-syntax': ['error', ...L10N, ...noTestHooks] },
  },
  {
    files: ['src/extension/testHooks.ts'],
    rules: { 'no-restricted-syntax': ['error', ...L10N] },
  },
  {
    files: ['src/providers/**/*.ts', 'src/telemetry/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths: [noVscode] }] },
  },
  {
    // The web platform (and what both platforms share) runs in a browser's web worker: a worker's globals only,
    // no Node module, no editor.
    files: ['src/platform/web/**/*.ts', 'src/platform/*.ts'],
    languageOptions: { globals: { ...globals.worker } },
    rules: {
      'no-undef': 'error',
      'no-restricted-globals': ['error', ...NODE_GLOBALS.map((name) => ({ name, message: WEB_MESSAGE }))],
      '@typescript-eslint/no-restricted-imports': ['error', { paths: [noVscode, ...noBareNode.map((p) => ({ ...p, message: WEB_MESSAGE }))], patterns: [{ ...noNode, message: WEB_MESSAGE }] }],
    },
  },
  {
    // The shell, the adapters and telemetry run on both platforms: no Node global (the desktop's own files aside;
    // door/keyRead.ts reads `process.env` only where the host says there is an environment).
    files: ['src/extension/**/*.ts', 'src/providers/**/*.ts', 'src/telemetry/**/*.ts'],
    ignores: [...DESKTOP_ONLY, 'src/extension/door/keyRead.ts'],
    rules: { 'no-restricted-globals': ['error', ...WEB_NODE_GLOBALS.map((name) => ({ name, message: WEB_MESSAGE }))] },
  },
  {
    files: ['src/webview/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [noVscode],
          // Types only from core; the one exception is the dollar formatter (core/pricing/money.ts imports nothing),
          // so the page and the status bar can never format a cost differently.
          patterns: [noNode, { regex: '^\\.\\./core/(?!pricing/money$)', allowTypeImports: true, message: 'The webview takes only types from core (and core/pricing/money).' }],
        },
      ],
    },
  },
);
