#!/usr/bin/env node
// The `wirechat` command. In a checkout it runs the TypeScript source through tsx, so it is never
// stale; a packaged install (no main/ sources) uses the built bundle in dist/.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'main/cli/index.ts');
if (existsSync(source) && !process.env.WIRECHAT_USE_DIST) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(source).href);
} else {
  await import(pathToFileURL(join(root, 'dist/main/cli/index.mjs')).href);
}
