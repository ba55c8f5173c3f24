// ESLint 9 flat config: type-aware rules that catch the bugs a Nest + queue service actually has
// (unawaited promises, promises handed to callbacks that ignore them, non-exhaustive switches over
// job states, `any` leaking from untyped libraries). Formatting is Prettier's job: no stylistic
// rules live here. Run with `npm run lint` (zero warnings).
import eslint from '@eslint/js'; // installed with eslint 9 itself (same version)
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      '.data/**',
      'bench/results/**',
      // Root tooling files (jest.config.js, this file) are plain JS outside tsconfig.
      '*.js',
      '*.mjs',
      '*.cjs',
      'test/support/test-extractors.js', // CommonJS extractors loaded by worker threads in tests
      'test/openapi-client/**', // checked against generated types by its own tsconfig (openapi-client-check)
    ],
  },
  eslint.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: {
      // A disable comment that no longer suppresses anything hides nothing but still misleads.
      reportUnusedDisableDirectives: 'error',
    },
    rules: {
      // Promises: each is awaited, returned, or deliberately `void`-ed. In tests this also catches
      // `expect(...).resolves/rejects` without `await` (a test that cannot fail).
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: true }],
      // An async function passed where a void callback is expected (event handlers, timers,
      // Array#forEach) loses its rejection. `attributes` concerns JSX only.
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { attributes: false } },
      ],
      '@typescript-eslint/await-thenable': 'error',
      // Rejections carry Errors; forwarding a callback's `unknown` error as-is is fine (its type is
      // not ours to know), inventing a string reason is not.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      // `return promise` inside try/catch/finally skips the catch and runs finally too early.
      '@typescript-eslint/return-await': ['error', 'error-handling-correctness-only'],
      // Job states, formats and error codes are unions: a new member must fail the lint wherever a
      // switch forgets it. An explicit `default` branch counts as a decision.
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: false },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      // Nest DI reads constructor parameter types at run time (emitDecoratorMetadata): an
      // `import type` of an injected class silently breaks injection.
      '@typescript-eslint/consistent-type-imports': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      // Lazy `require('./x') as typeof import('./x')` is how CommonJS output defers loading heavy
      // parsers and WASM until a format is used (registry, OCR). An untyped require still fails
      // through the no-unsafe-* rules, which is the part that matters.
      '@typescript-eslint/no-require-imports': 'off',
      // `'TEXT' | 'MTEXT' | string` documents the known values of an open string field (shared
      // result contracts); the rule would force the less readable `string & {}` idiom.
      '@typescript-eslint/no-redundant-type-constituents': 'off',
    },
  },
  {
    // Format sniffers and decoders match binary signatures and control bytes on purpose.
    files: ['src/extraction/extractors/**/*.ts'],
    rules: {
      'no-control-regex': 'off',
    },
  },
  {
    // Test fakes and benchmark stubs implement async interfaces without awaiting anything.
    files: ['**/*.spec.ts', '**/*-spec.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Jest: non-null assertions on values an earlier expect() proved present; `expect(mock.fn)`
    // references an unbound method on purpose; asymmetric matchers (expect.any, expect.
    // stringContaining, expect.objectContaining) are typed `any` by @types/jest.
    files: ['**/*.spec.ts', '**/*-spec.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      // HTTP response bodies (supertest) and parsed JSON are `any` by nature; the assertions
      // on them are what the tests check.
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
    },
  },
);
