// Playwright fixtures for component tests: a tiny static server for dist/ (on 127.0.0.1, port 0,
// with the app's real CSP so a component that needs inline script fails here too), and a page
// opened on the harness. Page errors and console errors fail the test.
import { test as base, expect, type Page } from '@playwright/test';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdirSync, readFileSync, rmdirSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
// The harness declares the page global `wcHarness` that tests use inside page.evaluate().
import type {} from './harness.ts';
import { CONTENT_TYPES, SECURITY_HEADERS } from '../../shared/security-headers.ts';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const dist = join(root, 'dist');
const HARNESS_JS = join(dist, 'e2e', 'components', 'harness.js');
const LOCK = join(root, 'test-results', '.components-build.lock');
const HTTP_NOT_FOUND = 404;
const HTTP_OK = 200;

/** Build once if the harness bundle is missing. A lock directory keeps two workers from racing. */
export function ensureBuilt(): void {
  if (existsSync(HARNESS_JS)) return;
  mkdirSync(join(root, 'test-results'), { recursive: true });
  try {
    mkdirSync(LOCK);
  } catch {
    // Another worker is building: wait for its lock to go away (a condition, not a fixed time).
    while (existsSync(LOCK)) spawnSync(process.execPath, ['-e', 'setTimeout(() => {}, 100)']);
    if (!existsSync(HARNESS_JS)) throw new Error('The component harness build failed in another worker.');
    return;
  }
  try {
    const r = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0 || !existsSync(HARNESS_JS)) throw new Error('node scripts/build.mjs failed: cannot run component tests.');
  } finally {
    rmdirSync(LOCK);
  }
}

export function startStaticServer(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    const file = normalize(join(dist, path));
    if (!file.startsWith(dist + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(HTTP_NOT_FOUND, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(HTTP_OK, {
      ...SECURITY_HEADERS,
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
    });
    res.end(readFileSync(file));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}` });
    });
  });
}

export const test = base.extend<{ harness: Page }, { staticServer: string }>({
  staticServer: [
    async ({}, use) => {
      ensureBuilt();
      const { server, url } = await startStaticServer();
      await use(url);
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
    { scope: 'worker' },
  ],
  harness: async ({ page, staticServer }, use) => {
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console.error: ${m.text()}`);
    });
    await page.goto(`${staticServer}/e2e/components/harness.html`);
    await expect(page.locator('html[data-harness-ready="true"]')).toBeAttached();
    await use(page);
    expect(problems, 'no page errors or console errors').toEqual([]);
  },
});

export { expect };
