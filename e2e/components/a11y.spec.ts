// axe-core scan of every component, light and dark: no serious or critical violations.
import AxeBuilder from '@axe-core/playwright';
import { test, expect } from './fixtures.ts';
import type { Page } from '@playwright/test';

type Mount = (page: Page) => Promise<void>;

const mounts: Record<string, Mount> = {
  'connection form (with errors shown)': async (page) => {
    await page.evaluate(() => wcHarness.mount('wc-connection-form'));
    await page.getByRole('button', { name: 'Add header' }).click();
    await page.getByRole('textbox', { name: 'Header 1 name' }).fill('Bad Name');
    await page.getByRole('button', { name: 'Connect' }).click();
    await expect(page.getByRole('textbox', { name: 'URL' })).toHaveAttribute('aria-invalid', 'true');
  },
  'chat view': async (page) => {
    await page.evaluate(() => {
      const m = wcHarness.data.sampleMessages();
      wcHarness.mount('wc-chat-view', { messages: m, total: m.length });
    });
    await expect(page.getByRole('article').first()).toBeVisible();
  },
  'chat view (empty)': async (page) => {
    await page.evaluate(() => wcHarness.mount('wc-chat-view', { messages: [], total: 0 }));
    await expect(page.getByText('No messages yet')).toBeVisible();
  },
  'composer (open, with errors)': async (page) => {
    await page.evaluate(() => wcHarness.mount('wc-composer', { state: 'OPEN' }));
    await page.getByRole('radio', { name: 'JSON' }).check();
    await page.getByRole('textbox', { name: 'Message' }).fill('{');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('textbox', { name: 'Close code' }).fill('1');
    await page.getByRole('button', { name: 'Close', exact: true }).click();
    await expect(page.locator('#close-code-error')).toBeVisible();
  },
  'composer (closed)': async (page) => {
    await page.evaluate(() => wcHarness.mount('wc-composer', { state: 'CLOSED' }));
    await expect(page.getByText('The connection is closed')).toBeVisible();
  },
  'frame log (frame selected, bad regex)': async (page) => {
    await page.evaluate(() => {
      const f = wcHarness.data.sampleFrames();
      wcHarness.mount('wc-frame-log', { frames: f, total: f.length, startedAt: wcHarness.data.T0, selectedSeq: 9 });
    });
    await page.getByRole('checkbox', { name: 'Regex' }).check();
    await page.getByRole('searchbox', { name: 'Filter frames' }).fill('(');
    await expect(page.getByRole('alert')).toBeVisible();
    await page.getByRole('searchbox', { name: 'Filter frames' }).fill('');
    await expect(page.getByText('Inflated message', { exact: true })).toBeVisible();
  },
  'handshake panel': async (page) => {
    await page.evaluate(() => wcHarness.mount('wc-handshake-panel', { snapshot: wcHarness.data.snapshot('a', { handshake: wcHarness.data.sampleHandshake() }) }));
    await expect(page.getByText('Switching Protocols').first()).toBeVisible();
  },
  'state badge (closed, unclean)': async (page) => {
    await page.evaluate(() =>
      wcHarness.mount('wc-state-badge', { state: 'CLOSED', close: { code: 1006, reason: '', wasClean: false, initiatedBy: 'none' } }),
    );
    await expect(page.getByRole('status')).toContainText('1006');
  },
  'shortcuts help (open)': async (page) => {
    await page.evaluate(() => {
      const el = wcHarness.mount('wc-shortcuts-help') as HTMLElement & { open(): void; updateComplete: Promise<boolean> };
      return el.updateComplete.then(() => el.open());
    });
    await expect(page.getByRole('dialog')).toBeVisible();
  },
  'whole app with connections': async (page) => {
    await page.evaluate(async () => {
      const d = wcHarness.data;
      await wcHarness.mountApp({
        connections: [d.snapshot('a', { handshake: d.sampleHandshake() }), d.snapshot('b', { state: 'CLOSED', close: { code: 1000, reason: 'bye', wasClean: true, initiatedBy: 'client' } })],
        messages: { a: d.sampleMessages() },
        frames: { a: d.sampleFrames() },
      });
    });
    await expect(page.getByRole('article').first()).toBeVisible();
  },
};

for (const scheme of ['light', 'dark'] as const) {
  for (const [name, mount] of Object.entries(mounts)) {
    test(`axe: ${name} (${scheme})`, async ({ harness }) => {
      await harness.emulateMedia({ colorScheme: scheme });
      await mount(harness);
      const results = await new AxeBuilder({ page: harness }).analyze();
      const bad = results.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      expect(bad).toEqual([]);
    });
  }
}
