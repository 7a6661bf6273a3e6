// <wc-app> over an in-page scripted API (rendering and keyboard behaviour only): connection tabs,
// the "+" tab, close tab, view tablist, state badge with close details, error alert, shortcuts.
import { test, expect } from './fixtures.ts';
import type { Page } from '@playwright/test';

async function mountThree(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const d = wcHarness.data;
    const closed = d.snapshot('b', {
      label: 'echo.local:9000/',
      state: 'CLOSED',
      closedAt: d.T0 + 65_000,
      close: { code: 1006, reason: '', wasClean: false, initiatedBy: 'none' },
      lastError: { code: 'REFUSED', message: 'Connection refused: nothing is listening on 127.0.0.1:9000.', time: d.T0 },
    });
    await wcHarness.mountApp({
      connections: [d.snapshot('a', { handshake: d.sampleHandshake() }), closed, d.snapshot('c', { state: 'CONNECTING' })],
      messages: { a: d.sampleMessages() },
      frames: { a: d.sampleFrames() },
    });
  });
}

test.describe('app shell', () => {
  test('tabs per connection, each with its own state; "+" shows the form; close calls remove', async ({ harness }) => {
    await mountThree(harness);
    const tabs = harness.getByRole('tablist', { name: 'Connections' });
    await expect(tabs.getByRole('tab')).toHaveCount(4);
    await expect(tabs.getByRole('tab', { name: '127.0.0.1:8080/a' })).toHaveAttribute('aria-selected', 'true');
    await expect(harness.getByRole('status', { name: 'Connection state' }).filter({ visible: true })).toContainText('OPEN');

    await tabs.getByRole('tab', { name: 'echo.local:9000/' }).click();
    const badge = harness.getByRole('status', { name: 'Connection state' }).filter({ visible: true });
    await expect(badge).toContainText('CLOSED');
    await expect(badge).toContainText('1006 Abnormal Closure');
    await expect(badge).toContainText('connection lost · not clean');
    await expect(harness.getByRole('alert', { name: 'Connection errors' }).filter({ visible: true })).toContainText(
      'Connection refused: nothing is listening on 127.0.0.1:9000.',
    );

    await tabs.getByRole('tab', { name: 'New connection' }).click();
    await expect(harness.getByRole('textbox', { name: 'URL' })).toBeVisible();

    await tabs.getByRole('tab', { name: 'echo.local:9000/' }).click();
    await harness.getByRole('button', { name: 'Close tab echo.local:9000/' }).click();
    await expect(tabs.getByRole('tab')).toHaveCount(3);
    // Delete on a focused connection tab closes it too.
    await tabs.getByRole('tab', { name: '127.0.0.1:8080/c' }).click();
    await tabs.getByRole('tab', { name: '127.0.0.1:8080/c' }).press('Delete');
    await expect(tabs.getByRole('tab')).toHaveCount(2);
    expect(await harness.evaluate(() => wcHarness.scripted?.calls.filter((c) => c.name === 'remove'))).toEqual([
      { name: 'remove', args: { id: 'b' } },
      { name: 'remove', args: { id: 'c' } },
    ]);
  });

  test('Chat | Frames | Handshake tablist switches views and keeps each view alive', async ({ harness }) => {
    await mountThree(harness);
    const views = harness.getByRole('tablist', { name: 'Views' }).filter({ visible: true });
    await expect(harness.getByRole('region', { name: 'Conversation' }).filter({ visible: true })).toBeVisible();
    const box = harness.getByRole('textbox', { name: 'Message' }).filter({ visible: true });
    await box.fill('draft survives');
    await views.getByRole('tab', { name: /Frames/ }).click();
    await expect(harness.getByRole('region', { name: 'Frame log' })).toBeVisible();
    await views.getByRole('tab', { name: /Handshake/ }).click();
    await expect(harness.getByLabel('Handshake request')).toContainText('Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==');
    await expect(harness.getByLabel('Handshake response')).toContainText('HTTP/1.1 101 Switching Protocols');
    await views.getByRole('tab', { name: /Chat/ }).focus();
    await harness.keyboard.press('ArrowRight');
    await expect(views.getByRole('tab', { name: /Frames/ })).toBeFocused();
    await views.getByRole('tab', { name: /Chat/ }).click();
    await expect(box).toHaveValue('draft survives');
  });

  test('view tabs are named "Chat 6 messages" / "Frames 12 frames", not "Chat6"', async ({ harness }) => {
    await mountThree(harness);
    const views = harness.getByRole('tablist', { name: 'Views' }).filter({ visible: true });
    await expect(views.getByRole('tab')).toHaveCount(3);
    await expect(views.getByRole('tab').nth(0)).toHaveAccessibleName('Chat 6 messages');
    await expect(views.getByRole('tab').nth(1)).toHaveAccessibleName(/^Frames \d+ frames?$/);
    await expect(views.getByRole('tab').nth(2)).toHaveAccessibleName('Handshake');
  });

  test('at 900 px the whole close description is readable (wrapped, not cut off)', async ({ harness }) => {
    await harness.setViewportSize({ width: 900, height: 600 });
    await mountThree(harness);
    await harness.getByRole('tablist', { name: 'Connections' }).getByRole('tab', { name: 'echo.local:9000/' }).click();
    const badge = harness.getByRole('status', { name: 'Connection state' }).filter({ visible: true });
    const detail = badge.getByText(/1006 Abnormal Closure/);
    await expect(detail).toHaveText(/connection lost · not clean · was open/);
    // Nothing of it is clipped: the text fits its box, and the box fits the window.
    const fit = await detail.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return { clipped: el.scrollWidth > el.clientWidth + 1, right: r.right, vw: window.innerWidth };
    });
    expect(fit.clipped).toBe(false);
    expect(fit.right).toBeLessThanOrEqual(fit.vw);
  });

  test('keyboard: Ctrl+1..9, Ctrl+Tab, Ctrl+T, F1 help', async ({ harness }) => {
    await mountThree(harness);
    const tabs = harness.getByRole('tablist', { name: 'Connections' });
    await harness.keyboard.press('Control+3');
    await expect(tabs.getByRole('tab', { name: '127.0.0.1:8080/c' })).toHaveAttribute('aria-selected', 'true');
    await harness.keyboard.press('Control+Tab');
    await expect(tabs.getByRole('tab', { name: 'New connection' })).toHaveAttribute('aria-selected', 'true');
    await harness.keyboard.press('Control+Shift+Tab');
    await expect(tabs.getByRole('tab', { name: '127.0.0.1:8080/c' })).toHaveAttribute('aria-selected', 'true');
    await harness.keyboard.press('Control+1');
    await expect(tabs.getByRole('tab', { name: '127.0.0.1:8080/a' })).toHaveAttribute('aria-selected', 'true');
    await harness.keyboard.press('Control+t');
    await expect(harness.getByRole('textbox', { name: 'URL' })).toBeFocused();
    await harness.keyboard.press('F1');
    const help = harness.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect(help).toBeVisible();
    await expect(help).toContainText('Ctrl+Enter');
    await harness.keyboard.press('Escape');
    await expect(help).toBeHidden();
  });

  test('empty app tells a new user what to do', async ({ harness }) => {
    await harness.evaluate(() => wcHarness.mountApp({ connections: [] }));
    await expect(harness.getByRole('heading', { name: 'New connection' })).toBeVisible();
    await expect(harness.getByText('Enter the address of a WebSocket server')).toBeVisible();
  });

  test('connect from the form opens a tab for the new connection', async ({ harness }) => {
    await harness.evaluate(() => wcHarness.mountApp({ connections: [] }));
    await harness.getByRole('textbox', { name: 'URL' }).fill('ws://127.0.0.1:7/x');
    await harness.getByRole('button', { name: 'Connect' }).click();
    const tab = harness.getByRole('tablist', { name: 'Connections' }).getByRole('tab', { name: '127.0.0.1:7/x' });
    await expect(tab).toHaveAttribute('aria-selected', 'true');
    await expect(harness.getByRole('status', { name: 'Connection state' }).filter({ visible: true })).toContainText('CONNECTING');
  });
});
