// One lint for the monorepo: typescript-eslint with type information (each file's nearest tsconfig),
// React's hook rules for the web app, and Prettier's formatting (eslint-config-prettier turns off the
// stylistic rules Prettier owns; `npm run lint` runs `prettier --check` beside ESLint).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'clients/web/src/gql/**', 'clients/portal/src/generated/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // A variable assigned once after closures that read it were made (a service that refers to itself) stays `let`.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // `as never` silences every type check at once; entities declare their OptionalProps instead.
      'no-restricted-syntax': ['error', { selector: "TSAsExpression[typeAnnotation.type='TSNeverKeyword']", message: 'No `as never`: type the value (e.g. MikroORM OptionalProps for em.create).' }],
    },
  },
  {
    // Tests read GraphQL answers loosely; the services' code stays typed.
    files: ['**/test/**/*.{ts,tsx}', '**/e2e/**/*.ts', 'services/kit/src/testing/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', 'no-restricted-syntax': 'off' },
  },
  {
    files: ['clients/web/src/**/*.{ts,tsx}', 'clients/web/test/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  prettier,
);
