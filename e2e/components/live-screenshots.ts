// Drives the REAL app (local browser host, main/web) against a `ws` server on 127.0.0.1 and takes
// screenshots of every screen into e2e/.artifacts/live-screenshots/. Not a test: run it to look at
// the product (the README's copies come from e2e/specs/screenshots.spec.ts).
//   node scripts/build.mjs && npx tsx e2e/components/live-screenshots.ts [outDir]
import { chromium, type Page } from '@playwright/test';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { WebSocketServer, type WebSocket } from 'ws';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../chromium.ts';

const root = join(import.meta.dirname, '..', '..');
const outDir = process.argv[2] ?? join(root, 'e2e', '.artifacts', 'live-screenshots');
const STREAM_COUNT = 20_000;

function startPeer(): Promise<{ wss: WebSocketServer; port: number }> {
  return new Promise((resolve) => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: true, handleProtocols: (p) => (p.has('chat.v2') ? 'chat.v2' : false) });
    wss.on('connection', (ws: WebSocket) => {
      ws.send(JSON.stringify({ type: 'welcome', users: ['ada', 'linus', 'grace'], motd: 'Be nice', server: { version: '2.4.1', region: 'eu-west' } }));
      ws.on('message', (data, isBinary) => {
        const text = data.toString();
        if (!isBinary && text === 'stream') {
          for (let i = 1; i <= STREAM_COUNT; i++) ws.send(`tick ${i}`);
          return;
        }
        if (!isBinary && text === 'binary') {
          ws.send(Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00, 0x01, 0x02, 0x03, 0x48, 0x65, 0x6c, 0x6c, 0x6f, 0x21, 0x0a, 0xff, 0x10, 0x20]));
          return;
        }
        if (!isBinary && text === 'fragments') {
          ws.send('part one, ', { fin: false });
          ws.send('part two, ', { fin: false });
          ws.send('part three', { fin: true });
          return;
        }
        ws.send(data, { binary: isBinary });
      });
    });
    wss.on('listening', () => resolve({ wss, port: (wss.address() as { port: number }).port }));
  });
}

async function startHost(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, [join(root, 'dist', 'main', 'web', 'server.mjs'), '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const rl = createInterface({ input: child.stdout! });
  for await (const line of rl) {
    const m = /(http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(line);
    if (m) return { url: m[1], stop: () => child.kill() };
  }
  throw new Error('the browser host printed no URL');
}

async function connect(page: Page, url: string, protocols = ''): Promise<void> {
  await page.getByRole('tab', { name: 'New connection' }).click();
  await page.getByRole('textbox', { name: 'URL' }).fill(url);
  await page.getByRole('textbox', { name: 'Subprotocols' }).fill(protocols);
  await page.getByRole('button', { name: 'Connect' }).click();
}

async function main(): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  const peer = await startPeer();
  const host = await startHost();
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
  try {
    for (const scheme of ['light', 'dark'] as const) {
      for (const size of [{ w: 1280, h: 800 }, { w: 900, h: 600 }]) {
        const tag = `${size.w}x${size.h}-${scheme}`;
        const page = await browser.newPage({ viewport: { width: size.w, height: size.h }, colorScheme: scheme });
        page.on('pageerror', (e) => console.error('pageerror', e.message));
        await page.goto(host.url);
        await page.screenshot({ path: join(outDir, `live-empty-${tag}.png`) });
        await connect(page, `ws://127.0.0.1:${peer.port}/chat`, 'chat.v2');
        const status = page.getByRole('status', { name: 'Connection state' }).filter({ visible: true });
        await status.getByText('OPEN', { exact: true }).waitFor();
        const box = page.getByRole('textbox', { name: 'Message' }).filter({ visible: true });
        for (const m of ['Hello, server!', 'binary', 'fragments', '{"type":"chat","text":"JSON round trip","n":[1,2,3]}']) {
          await box.fill(m);
          await box.press('Enter');
        }
        await page.getByRole('radio', { name: 'Binary (hex)' }).filter({ visible: true }).check();
        await box.fill('01 02 03 04 ca fe');
        await box.press('Enter');
        await page.getByRole('textbox', { name: 'Ping payload' }).filter({ visible: true }).fill('are you there?');
        await page.getByRole('button', { name: 'Ping' }).filter({ visible: true }).click();
        await page.getByTestId('message-count').filter({ visible: true }).getByText('11 messages').waitFor();
        await page.getByRole('article', { name: 'Received binary message 11' }).waitFor();
        await page.screenshot({ path: join(outDir, `live-chat-${tag}.png`) });
        const views = page.getByRole('tablist', { name: 'Views' }).filter({ visible: true });
        await views.getByRole('tab', { name: /Frames/ }).click();
        await page.getByRole('grid', { name: 'Frames' }).getByRole('row').filter({ hasText: 'CONT' }).first().click();
        await page.screenshot({ path: join(outDir, `live-frames-${tag}.png`) });
        await views.getByRole('tab', { name: /Handshake/ }).click();
        await page.screenshot({ path: join(outDir, `live-handshake-${tag}.png`) });
        await views.getByRole('tab', { name: /Chat/ }).click();
        await page.getByRole('radio', { name: 'Text' }).filter({ visible: true }).check();
        await box.fill('stream');
        await box.press('Enter');
        await page.getByTestId('message-count').filter({ visible: true }).getByText(`${(STREAM_COUNT + 12).toLocaleString('en-US')} messages`).waitFor({ timeout: 60_000 });
        // Following the newest message: the very last one ends up on screen.
        await page.getByRole('article', { name: `Received text message ${STREAM_COUNT + 12}` }).waitFor({ timeout: 30_000 });
        const rows = await page.evaluate(() => document.querySelector('wc-app')?.shadowRoot?.querySelector('wc-connection-view:not([hidden])')?.shadowRoot?.querySelector('wc-chat-view')?.shadowRoot?.querySelectorAll('article').length);
        console.log(`${tag}: ${STREAM_COUNT + 12} messages counted, ${rows} message rows in the DOM`);
        await page.screenshot({ path: join(outDir, `live-stream-${tag}.png`) });
        await page.getByRole('textbox', { name: 'Close code' }).filter({ visible: true }).fill('4000');
        await page.getByRole('textbox', { name: 'Close reason' }).filter({ visible: true }).fill('done for today');
        await page.getByRole('button', { name: 'Close', exact: true }).filter({ visible: true }).click();
        await status.getByText('CLOSED', { exact: true }).waitFor();
        await page.screenshot({ path: join(outDir, `live-closed-${tag}.png`) });
        await connect(page, 'ws://127.0.0.1:1/');
        await page.getByRole('alert', { name: 'Connection errors' }).filter({ visible: true }).getByText(/./).first().waitFor();
        await page.screenshot({ path: join(outDir, `live-refused-${tag}.png`) });
        // The host keeps connections across pages: close every tab so the next round starts empty.
        const closeButtons = page.getByRole('button', { name: /^Close tab / }).filter({ visible: true });
        while ((await closeButtons.count()) > 0) {
          const before = await page.getByRole('tablist', { name: 'Connections' }).getByRole('tab').count();
          await closeButtons.first().click();
          await page.waitForFunction(
            (n) => (document.querySelector('wc-app')?.shadowRoot?.querySelectorAll('[role="tablist"] [role="tab"]').length ?? 0) < n,
            before,
          );
        }
        await page.close();
      }
    }
  } finally {
    await browser.close();
    host.stop();
    for (const c of peer.wss.clients) c.terminate();
    peer.wss.close();
  }
  console.log(`screenshots written to ${outDir}`);
}

await main();
