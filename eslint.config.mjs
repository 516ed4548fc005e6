// ESLint (flat config) for src/ and test/. Layer boundaries are also checked by dependency-cruiser
// (.dependency-cruiser.cjs); here they are repeated as import rules so an editor shows them while typing.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const noVscode = { name: 'vscode', message: 'This layer must not use the editor API (only src/extension may).' };
/** A string or template literal with at least two words of its own. */
const WORDS = ':matches(Literal[value=/[a-z]{2,} +[a-z]/i], TemplateLiteral:has(TemplateElement[value.raw=/[a-z]{2,} +[a-z]/i]))';
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
    // What the shell shows goes through vscode.l10n.t (l10n/bundle.l10n.json is generated from these calls by
    // @vscode/l10n-dev; test/unit/l10n.test.ts checks the bundle is current). Placeholders are {0}, {1}: a template
    // literal inside t() would make every value a different key.
    files: ['src/extension/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
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
      ],
    },
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
