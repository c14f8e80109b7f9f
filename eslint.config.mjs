import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'demo/data/', 'test-results/', 'playwright-report/', 'e2e/pages/build/', 'examples/*/dist/', '.tmp/', '.size/'] },
  // the bench's 0.1.0 baseline: built bundles kept byte for byte
  { ignores: ['bench/baseline/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        window: 'readonly', document: 'readonly', navigator: 'readonly', location: 'readonly', history: 'readonly',
        console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly',
        process: 'readonly', URL: 'readonly', fetch: 'readonly', Blob: 'readonly', crypto: 'readonly', localStorage: 'readonly',
        EventSource: 'readonly', Buffer: 'readonly', structuredClone: 'readonly', performance: 'readonly', AbortController: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-expressions': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      // SSR safety: the ESM build must import in Node; browser globals are touched inside functions only
      'no-restricted-syntax': ['error', { selector: 'Program > VariableDeclaration > VariableDeclarator > MemberExpression[object.name=/^(window|document|navigator|location)$/]', message: 'no module-level browser globals: they break SSR' }],
    },
  },
)
