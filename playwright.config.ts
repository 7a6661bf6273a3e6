// Playwright Test: three projects.
//  - components: renderer components mounted in a harness page (e2e/components), real Chromium.
//  - web: the full app through the local browser host (main/web) in Debian's Chromium.
//  - electron: the same specs against the built Electron app; skipped (with the reason printed)
//    when no Electron binary is installed.
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './e2e/chromium.ts';
import type { AppOptions } from './e2e/fixtures/test.ts';

const chromium = {
  browserName: 'chromium' as const,
  launchOptions: { executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] },
};

export default defineConfig<AppOptions>({
  // Builds the app once per run and snapshots dist/ for the e2e workers (e2e/fixtures/global-setup.ts).
  globalSetup: './e2e/fixtures/global-setup.ts',
  outputDir: 'test-results/artifacts',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 2,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [['list'], ['json']],
  use: {
    viewport: { width: 1280, height: 800 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    { name: 'components', testDir: 'e2e/components', use: { ...chromium } },
    { name: 'web', testDir: 'e2e/specs', use: { ...chromium, appKind: 'web' } },
    // Runs where an Electron binary is installed; elsewhere every test is skipped with the reason.
    { name: 'electron', testDir: 'e2e/specs', use: { appKind: 'electron' } },
  ],
});
