// Takes screenshots of the renderer (harness + scripted data) at 1280×800 and 900×600, light and
// dark, into e2e/.artifacts/component-screenshots/ (fixture data, so never the README's images:
// docs/screenshots/e2e/ holds real-app screenshots from e2e/specs/screenshots.spec.ts). Not a test.
//   node scripts/build.mjs && npx tsx e2e/components/screenshots.ts [outDir]
import { chromium, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../chromium.ts';
import { ensureBuilt, startStaticServer } from './fixtures.ts';

const outDir = process.argv[2] ?? join(process.cwd(), 'e2e', '.artifacts', 'component-screenshots');
const SIZES = [
  { name: '1280x800', width: 1280, height: 800 },
  { name: '900x600', width: 900, height: 600 },
] as const;

async function setup(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const d = wcHarness.data;
    const msgs = d.sampleMessages();
    const many = d.manyMessages(40).map((m) => ({ ...m, seq: m.seq + 10, text: m.seq % 5 === 0 ? `{"type":"tick","n":${m.seq},"ok":true}` : `update ${m.seq}: price 1${m.seq}.25` }));
    const frames = d.sampleFrames();
    const stats = { framesIn: 812, framesOut: 240, messagesIn: 34, messagesOut: 12, bytesIn: 48_211, bytesOut: 3_920, bufferedAmount: 0 };
    await wcHarness.mountApp({
      connections: [
        d.snapshot('a', { label: 'localhost:8080/chat', options: { url: 'ws://localhost:8080/chat', protocols: ['chat.v2'] }, handshake: d.sampleHandshake(), stats, openedAt: Date.now() - 83_000 }),
        d.snapshot('b', {
          label: 'echo.local:9000/',
          options: { url: 'ws://echo.local:9000/' },
          state: 'CLOSED',
          openedAt: d.T0,
          closedAt: d.T0 + 65_000,
          close: { code: 1006, reason: '', wasClean: false, initiatedBy: 'none' },
          lastError: { code: 'REFUSED', message: 'Connection refused: nothing is listening on echo.local:9000 (127.0.0.1).', time: d.T0 },
        }),
        d.snapshot('c', { label: 'stream.example:443/ticks', options: { url: 'wss://stream.example/ticks' }, state: 'CONNECTING' }),
      ],
      messages: { a: [...msgs, ...many] },
      frames: { a: frames },
    });
  });
}

async function main(): Promise<void> {
  ensureBuilt();
  mkdirSync(outDir, { recursive: true });
  const { server, url } = await startStaticServer();
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
  try {
    for (const scheme of ['light', 'dark'] as const) {
      for (const size of SIZES) {
        const page = await browser.newPage({ viewport: { width: size.width, height: size.height }, colorScheme: scheme });
        await page.goto(`${url}/e2e/components/harness.html`);
        await page.locator('html[data-harness-ready="true"]').waitFor({ state: 'attached' });
        await setup(page);
        const shot = async (name: string) => page.screenshot({ path: join(outDir, `${name}-${size.name}-${scheme}.png`) });
        await page.getByRole('article').last().waitFor();
        await shot('chat');
        await page.getByRole('tablist', { name: 'Views' }).filter({ visible: true }).getByRole('tab', { name: /Frames/ }).click();
        await page.getByRole('grid', { name: 'Frames' }).getByRole('row').nth(6).click();
        await shot('frames');
        await page.getByRole('tablist', { name: 'Views' }).filter({ visible: true }).getByRole('tab', { name: /Handshake/ }).click();
        await shot('handshake');
        await page.getByRole('tab', { name: 'echo.local:9000/' }).click();
        await shot('closed');
        await page.getByRole('tab', { name: 'New connection' }).click();
        await page.getByRole('textbox', { name: 'URL' }).fill('http://localhost:8080');
        await page.getByRole('button', { name: 'Add header' }).click();
        await page.getByRole('textbox', { name: 'Header 1 name' }).fill('Authorization');
        await page.getByRole('textbox', { name: 'Header 1 value' }).fill('Bearer 0123456789');
        await shot('form');
        await page.close();
      }
    }
  } finally {
    await browser.close();
    server.closeAllConnections();
    server.close();
  }
  console.log(`screenshots written to ${outDir}`);
}

await main();
