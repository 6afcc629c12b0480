// ESLint flat config: typescript-eslint's recommended rules over the product, its tests, benchmarks and scripts.
// Formatting is Prettier's job (.prettierrc.json); the one stylistic rule is the line length Prettier cannot keep,
// because it never breaks a string or a comment.
import js from '@eslint/js'
import stylistic from '@stylistic/eslint-plugin'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  {ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'test-results/**', '.cache/**', 'test/fixtures/**', 'test/cluster/**/*.go']},
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        performance: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        structuredClone: 'readonly',
        TextDecoder: 'readonly',
        TextEncoder: 'readonly',
        fetch: 'readonly',
        queueMicrotask: 'readonly',
        __dirname: 'readonly',
        __filename: 'readonly',
        require: 'readonly',
        module: 'writable',
        exports: 'writable',
      },
    },
    plugins: {'@stylistic': stylistic},
    rules: {
      // Prettier's printWidth. A regular expression or a URL stays whole: split, it would be harder to read or to open.
      '@stylistic/max-len': ['error', {code: 140, ignoreRegExpLiterals: true, ignoreUrls: true}],
      '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none'}],
      'no-empty': ['error', {allowEmptyCatch: true}],
    },
  },
  {
    files: ['**/*.cjs', '**/*.cts'],
    languageOptions: {sourceType: 'commonjs'},
    rules: {'@typescript-eslint/no-require-imports': 'off'},
  },
)
