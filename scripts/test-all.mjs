// The README's test command: typecheck, lint (incl. the layering rules), unit + integration tests
// (node:test), then the Playwright end-to-end suite. Exits non-zero if any step fails, after
// running them all, and prints one summary line per runner.
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const steps = [
  ['build', ['node', 'scripts/build.mjs']],
  ['typecheck', ['npx', 'tsc', '-p', 'tsconfig.json', '--noEmit']],
  ['lint', ['npx', 'eslint', '.']],
  ['unit', ['node', 'scripts/test-unit.mjs']],
  ['e2e', ['node', 'scripts/test-e2e.mjs']],
];
const only = process.argv.slice(2);
const failed = [];
for (const [name, cmd] of steps) {
  if (only.length && !only.includes(name)) continue;
  console.log(`\n=== ${name}: ${cmd.join(' ')}`);
  const t0 = Date.now();
  const r = spawnSync(cmd[0], cmd.slice(1), { cwd: root, stdio: 'inherit', env: process.env });
  const ok = r.status === 0;
  console.log(`=== ${name}: ${ok ? 'ok' : 'FAILED'} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  if (!ok) failed.push(name);
}
if (failed.length) {
  console.error(`\ntest: FAILED steps: ${failed.join(', ')}`);
  process.exit(1);
}
console.log('\ntest: all steps passed');
