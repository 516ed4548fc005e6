// ESLint (flat config) for src/ and test/. Layer boundaries are also checked by dependency-cruiser
// (.dependency-cruiser.cjs); here they are repeated as import rules so an editor shows them while typing.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const noVscode = { name: 'vscode', message: 'This layer must not use the editor API (only src/extension may).' };
const noNode = { group: ['node:*'], message: 'This layer must not use Node APIs (Node I/O goes to src/platform/node).' };

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'esbuild.js', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-control-regex': 'off',
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths: [noVscode], patterns: [noNode] }] },
  },
  {
    files: ['src/providers/**/*.ts', 'src/telemetry/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths: [noVscode] }] },
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
