import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Packages that must run in browsers and in Node alike: no Node built-ins, no I/O libraries. */
const portable = [
  'packages/core/src/**/*.ts',
  'packages/sync/src/**/*.ts',
  'packages/web-provider/src/**/*.ts',
];

const nodeOnlyImports = {
  patterns: [
    { group: ['node:*'], message: 'portable code: no Node built-ins.' },
    {
      group: ['fs', 'path', 'http', 'https', 'net', 'crypto', 'ws', 'eventsource', 'lru-cache'],
      message: 'portable code: no Node modules or server-only libraries (inject them instead).',
    },
  ],
};

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/coverage/**', '**/.turbo/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    files: portable,
    languageOptions: { globals: { ...globals['shared-node-browser'] } },
    rules: {
      'no-restricted-imports': ['error', nodeOnlyImports],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'portable code: no process.' },
        { name: 'Buffer', message: 'portable code: no Buffer.' },
      ],
    },
  },
  {
    // Core is also pure: no I/O and no timers (its evaluator is a synchronous function).
    files: ['packages/core/src/**/*.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'core is portable: no process.' },
        { name: 'Buffer', message: 'core is portable: no Buffer.' },
        { name: 'fetch', message: 'core does no I/O.' },
        { name: 'setTimeout', message: 'core is synchronous and has no timers.' },
      ],
    },
  },
  {
    files: ['packages/web-provider/src/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  prettier,
);
