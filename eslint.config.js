// Lint, and the layering rules of ARCHITECTURE.md made a checked fact:
//   electron|web|cli -> session -> transport -> protocol -> shared ;  renderer -> shared
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'net', 'tls', 'zlib', 'crypto', 'http', 'https', 'child_process', 'os', 'path'];
const pattern = (group, message) => ({ group, message });

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'test-results/', 'playwright-report/', 'release/', 'e2e/.artifacts/'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-syntax': ['error', { selector: 'CallExpression[callee.property.name="waitForTimeout"]', message: 'No fixed waits: wait for a condition.' }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        pattern(['**/main/**', '**/renderer/**', '../main/*', '../renderer/*'], 'shared/ depends on nothing but itself.'),
        pattern(nodeBuiltins, 'shared/ is pure TS: no node:* modules.'),
        pattern(['electron', 'lit', 'lit/*'], 'shared/ is pure TS: no electron, no DOM framework.'),
      ] }],
    },
  },
  {
    files: ['main/protocol/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        pattern(['**/transport/**', '**/session/**', '**/electron/**', '**/web/**', '**/cli/**', '**/renderer/**'], 'The protocol core imports only shared/ and itself.'),
        pattern(nodeBuiltins, 'The protocol core is sans-I/O: no node:* modules (inject what it needs).'),
        pattern(['electron'], 'No electron in the protocol core.'),
      ] }],
    },
  },
  {
    files: ['main/transport/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        pattern(['**/session/**', '**/electron/**', '**/web/**', '**/cli/**', '**/renderer/**'], 'transport imports only protocol and shared.'),
        pattern(['electron'], 'No electron in the transport.'),
      ] }],
    },
  },
  {
    files: ['main/session/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        pattern(['**/electron/**', '**/web/**', '**/cli/**', '**/renderer/**'], 'session imports only transport, protocol and shared.'),
        pattern(['electron'], 'No electron in the session layer.'),
      ] }],
    },
  },
  {
    files: ['main/web/**/*.ts', 'main/cli/**/*.ts', 'main/bench/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        pattern(['**/electron/**', '**/renderer/**'], 'Hosts do not import each other or the renderer.'),
        pattern(['electron'], 'Only main/electron may import electron.'),
      ] }],
    },
  },
  {
    files: ['renderer/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        pattern(['**/main/**', '../main/*'], 'The renderer talks to main only through shared/api.ts.'),
        pattern(nodeBuiltins, 'The renderer is a web page: no node:* modules.'),
        pattern(['electron'], 'The renderer never imports electron: it gets the preload API.'),
      ] }],
    },
  },
);
