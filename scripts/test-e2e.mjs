// Runs the Playwright suite and prints `e2e: N passed, N failed, N skipped` from its JSON report.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const reportDir = join(root, 'test-results');
mkdirSync(reportDir, { recursive: true });
const report = join(reportDir, 'e2e-report.json');
const r = spawnSync('npx', ['playwright', 'test', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: report },
});
let passed = 0, failed = 0, skipped = 0, flaky = 0;
if (existsSync(report)) {
  const s = JSON.parse(readFileSync(report, 'utf8')).stats ?? {};
  passed = s.expected ?? 0;
  failed = (s.unexpected ?? 0);
  flaky = s.flaky ?? 0;
  skipped = s.skipped ?? 0;
} else {
  failed = 1;
  console.error('e2e: no JSON report was written');
}
console.log(`e2e: ${passed + flaky} passed, ${failed} failed, ${skipped} skipped`);
process.exit(r.status === 0 && failed === 0 ? 0 : 1);
