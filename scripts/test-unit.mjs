// Runs every *.test.ts under shared/, main/ and renderer/ with node:test (TypeScript via tsx).
// Node 20's `node --test dir/` silently runs nothing, so the file list is built here.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const filter = process.argv.slice(2);
function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.test.ts')) out.push(relative(root, p));
  }
  return out;
}
let files = ['shared', 'main', 'renderer'].flatMap((d) => walk(join(root, d), []));
if (filter.length) files = files.filter((f) => filter.some((x) => f.includes(x)));
files.sort();
if (files.length === 0) {
  console.error('test-unit: no test files found');
  process.exit(1);
}
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', ...files],
  { cwd: root, stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '0' } },
);
process.exit(r.status ?? 1);
