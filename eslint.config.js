import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'web/dist', 'web/dist.build-*', 'coverage'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // The core must stay free of IO: adapters depend on it, never the reverse.
      'no-restricted-imports': 'off',
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          {
            // At any depth: `../store/x.ts` from core/, `../../store/x.ts` from core/inbound/…
            group: [
              'node:fs', 'node:fs/*', 'fs', 'fs/*', 'node:net', 'net', 'node:http', 'http', 'node:https', 'https', 'node:child_process', 'child_process', 'node:os', 'os',
              'better-sqlite3', 'kysely', 'pg', 'pg-boss', 'nodemailer', 'nodemailer/*', 'imapflow', 'fastify', '@fastify/*',
              '**/store/**', '**/cli/**', '**/app/**', '**/api/**', '**/mail/**', '**/jobs/**', '**/observability/**', '**/runtime/**', '**/contract/**', '**/web/**',
            ],
            message: 'src/core is pure domain code: no IO and no import from outside src/core (npm run depcheck checks the same).',
          },
        ],
      }],
    },
  },
  {
    // Use cases and domain rules stay readable: no function over 80 lines. A data table may be
    // longer; it says so where it stands (eslint-disable-next-line max-lines-per-function -- data table).
    files: ['src/core/**/*.ts', 'src/app/**/*.ts'],
    rules: {
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: false, skipComments: false, IIFEs: true }],
    },
  },
  {
    // The web app bundles what the contract imports: nothing of the server may come in.
    files: ['src/contract/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { regex: '^(?!zod$|\\./[\\w-]+\\.ts$|\\.\\./core/)', message: 'src/contract imports only zod, its own files and pure modules of src/core (the web app bundles it).' },
        ],
      }],
    },
  },
);
