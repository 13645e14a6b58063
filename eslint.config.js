// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { fileURLToPath } from 'node:url';
import local from './eslint-rules/code-layering.js';
import { zones } from './eslint-rules/layers.js';

const root = fileURLToPath(new URL('.', import.meta.url));

const nodeBuiltins = {
  group: ['node:*'],
  message: 'This layer must not use Node built-ins (see ARCHITECTURE.md, The floors).',
};
const electron = {
  name: 'electron',
  message:
    'Only src-main/shell and src-main/preload may import electron (see ARCHITECTURE.md, Processes and trust boundaries).',
};
const electronGroup = { group: ['electron', 'electron/*'], message: electron.message };
const mainLayer = {
  group: ['**/src-main/**', '../src-main/*'],
  message: 'This layer talks to main only through the contract.',
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'artifacts/**', 'out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-restricted-imports': ['error', { paths: [electron], patterns: [electronGroup] }],
    },
  },
  {
    // The floors (eslint-rules/layers.js): each folder imports its own floor and those below it.
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { local },
    rules: { 'local/code-layering': ['error', { root, zones }] },
  },
  {
    files: ['src-shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electron],
          patterns: [
            electronGroup,
            nodeBuiltins,
            { group: ['../src-*', '../../src-*'], message: 'src-shared imports nothing of ours.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src-renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        { paths: [electron], patterns: [electronGroup, nodeBuiltins, mainLayer] },
      ],
    },
  },
  {
    files: ['src-tokenstore/**', 'src-sandbox/**', 'e2e/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electron],
          patterns: [
            electronGroup,
            {
              group: ['**/src-main/**', '**/src-renderer/**'],
              message: 'Only src-shared is shared across processes.',
            },
          ],
        },
      ],
    },
  },
  {
    // Benchmarks measure main-process services directly, so they may import src-main (never electron).
    files: ['bench/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electron],
          patterns: [
            electronGroup,
            { group: ['**/src-renderer/**'], message: 'Benchmarks run in Node.' },
          ],
        },
      ],
    },
  },
  {
    // The Electron glue is the only place electron may be imported.
    files: ['src-main/shell/**', 'src-main/preload/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
