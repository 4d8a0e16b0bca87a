// Lint enforces the layer rules of STYLE.md and DESIGN.md §1, so they cannot rot:
// the engine is pure (no DOM, React, idb, comlink, ambient time or randomness);
// state-idb and workers never reach into the UI; the UI never reaches into state-idb.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const uiAndHosts = ['**/ui/**', '**/workers/**', '**/state-idb/**'];
const engineForbiddenModules = [
  'react', 'react-dom', 'react-dom/*', 'idb', 'comlink', '@xyflow/react', 'd3', 'd3-*',
  'zustand', 'zustand/*', 'elkjs', 'elkjs/*', 'lz-string',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', {
        selector: "CallExpression[callee.property.name='innerHTML'], AssignmentExpression[left.property.name='innerHTML']",
        message: 'Labels are rendered as text, never as HTML.',
      }],
    },
  },
  {
    files: ['src/engine/**/*.ts'],
    languageOptions: { globals: { ...globals.es2021 } },
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: engineForbiddenModules, message: 'src/engine is pure TypeScript (DESIGN.md §1): no UI, storage or worker libraries.' },
          { group: uiAndHosts, message: 'src/engine imports nothing from ui, workers or state-idb (STYLE.md).' },
        ],
      }],
      'no-restricted-globals': ['error',
        ...['window', 'document', 'navigator', 'indexedDB', 'localStorage', 'sessionStorage', 'Worker',
          'SharedWorker', 'MessageChannel', 'postMessage', 'self', 'performance', 'fetch', 'setTimeout',
          'setInterval', 'requestAnimationFrame'].map((name) => ({
          name, message: `src/engine reaches the world only through injected ports; '${name}' is not allowed here (STYLE.md habit 1).`,
        })),
      ],
      'no-restricted-properties': ['error',
        { object: 'Date', property: 'now', message: 'Use the injected clock (virtual time), not Date.now.' },
        { object: 'Math', property: 'random', message: 'Use the run\'s seeded PRNG, not Math.random.' },
        { object: 'performance', property: 'now', message: 'Use the injected clock, not performance.now.' },
      ],
      'no-restricted-syntax': ['error', {
        selector: "NewExpression[callee.name='Date']",
        message: 'No ambient time in the engine: use the injected clock.',
      }],
    },
  },
  {
    files: ['src/state-idb/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/ui/**', '**/workers/**', 'react', 'react-dom', '@xyflow/react', 'zustand'], message: 'src/state-idb implements the engine state port; it may import engine types and idb only.' },
        ],
      }],
    },
  },
  {
    files: ['src/workers/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/ui/**', 'react', 'react-dom', '@xyflow/react', 'zustand'], message: 'Workers are thin hosts: engine, state-idb and comlink only (STYLE.md).' },
        ],
      }],
    },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/state-idb/**'], message: 'The UI talks to state through the workers, never to state-idb directly.' },
        ],
      }],
    },
  },
);
