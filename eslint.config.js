// Lint: typescript-eslint's recommended rules, Prettier for formatting (eslint-config-prettier turns off
// style rules it owns), and the import rules that keep the layers honest: no import cycles, core (api/,
// schema/, server/) never imports plugins/, api/ never imports the layers above it, plugins import core only
// through schema/plugin-api.ts. docs/architecture.md explains the layers.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import prettier from 'eslint-config-prettier';

const layer = (target, from, message) => ({ target, from, message });

export default tseslint.config(
  { ignores: ['node_modules/', 'generated/', 'dist/', 'data/', 'test-artifacts/', 'coverage/', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs'],
    plugins: { 'import-x': importX },
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { console: 'readonly', process: 'readonly' } },
    settings: { 'import-x/resolver': { node: { extensions: ['.ts', '.js'] } }, 'import-x/extensions': ['.ts', '.js'] },
    rules: {
      'max-len': ['error', { code: 140, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            layer('./api', './schema', 'api/ is the bottom layer: it must not import schema/.'),
            layer('./api', './server', 'api/ is the bottom layer: it must not import server/.'),
            layer('./api', './plugins', 'Core never imports a plugin.'),
            layer('./api', './seeds', 'api/ must not import seeds/.'),
            layer('./schema', './server', 'schema/ must not import server/ (the layer above it).'),
            layer('./schema', './plugins', 'Core never imports a plugin.'),
            layer('./server', './plugins', 'Core never imports a plugin (the loader finds them by folder name).'),
            layer('./seeds', './server', 'seeds/ must not import server/.'),
            {
              target: './plugins',
              from: './api',
              except: [],
              message: 'Plugins use core only through schema/plugin-api.ts (add a re-export there).',
            },
            {
              target: './plugins',
              from: './schema',
              except: ['./plugin-api.ts'],
              message: 'Plugins use core only through schema/plugin-api.ts.',
            },
            layer('./plugins', './server', 'Plugins never import server/.'),
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // Tests may reach into any layer (they test it); the layering rules are for product code.
    files: ['**/*.test.ts', 'test/**'],
    rules: { 'import-x/no-restricted-paths': 'off' },
  },
);
