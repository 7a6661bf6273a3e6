// <wc-composer>: validation before anything is emitted, keyboard behaviour, disabled when not OPEN.
import { test, expect } from './fixtures.ts';
import type { Page } from '@playwright/test';

const emitted = (page: Page) => page.evaluate(() => wcHarness.events.map((e) => ({ name: e.name, detail: e.detail })));

test.describe('composer', () => {
  test.beforeEach(async ({ harness }) => {
    await harness.evaluate(() => wcHarness.mount('wc-composer', { state: 'OPEN' }));
  });

  test('Enter sends text, Shift+Enter inserts a newline', async ({ harness }) => {
    const box = harness.getByRole('textbox', { name: 'Message' });
    await box.fill('first line');
    await box.press('Shift+Enter');
    await box.pressSequentially('second line');
    await expect(box).toHaveValue('first line\nsecond line');
    await box.press('Enter');
    expect(await emitted(harness)).toEqual([{ name: 'wc-send', detail: { kind: 'text', data: 'first line\nsecond line' } }]);
    await expect(box).toHaveValue('');
  });

  test('Up in an empty composer recalls earlier messages, Down walks back', async ({ harness }) => {
    const box = harness.getByRole('textbox', { name: 'Message' });
    for (const m of ['one', 'two', 'three']) {
      await box.fill(m);
      await box.press('Enter');
    }
    await box.press('ArrowUp');
    await expect(box).toHaveValue('three');
    await box.press('ArrowUp');
    await expect(box).toHaveValue('two');
    await box.press('ArrowDown');
    await expect(box).toHaveValue('three');
    await box.press('ArrowDown');
    await expect(box).toHaveValue('');
  });

  test('bad JSON is explained and nothing is sent; Format pretty-prints valid JSON', async ({ harness }) => {
    await harness.getByRole('radio', { name: 'JSON' }).check();
    const box = harness.getByRole('textbox', { name: 'Message' });
    await box.fill('{"a": }');
    await box.press('Enter');
    await expect(harness.getByRole('alert')).toContainText('Not valid JSON');
    await expect(box).toHaveAttribute('aria-invalid', 'true');
    expect(await emitted(harness)).toEqual([]);
    await box.fill('{"a":1,"b":[true]}');
    await harness.getByRole('button', { name: 'Format' }).click();
    await expect(box).toHaveValue('{\n  "a": 1,\n  "b": [\n    true\n  ]\n}');
    await harness.getByRole('button', { name: 'Send' }).click();
    expect(await emitted(harness)).toEqual([
      { name: 'wc-send', detail: { kind: 'text', data: '{\n  "a": 1,\n  "b": [\n    true\n  ]\n}' } },
    ]);
  });

  test('bad hex and bad base64 are explained and nothing is sent; good ones send binary', async ({ harness }) => {
    const box = harness.getByRole('textbox', { name: 'Message' });
    await harness.getByRole('radio', { name: 'Binary (hex)' }).check();
    await box.fill('48 6');
    await box.press('Enter');
    await expect(harness.getByRole('alert')).toContainText('Odd number of hex digits');
    await box.fill('48 zz');
    await box.press('Enter');
    await expect(harness.getByRole('alert')).toContainText('"z" is not a hex digit');
    await harness.getByRole('radio', { name: 'Binary (base64)' }).check();
    await box.fill('SGVsbG8');
    await box.press('Enter');
    await expect(harness.getByRole('alert')).toContainText('Not valid base64');
    expect(await emitted(harness)).toEqual([]);
    await box.fill('SGVsbG8=');
    await box.press('Enter');
    await harness.getByRole('radio', { name: 'Binary (hex)' }).check();
    await box.fill('de ad be ef');
    await box.press('Enter');
    expect(await emitted(harness)).toEqual([
      { name: 'wc-send', detail: { kind: 'binary', data: 'SGVsbG8=' } },
      { name: 'wc-send', detail: { kind: 'binary', data: '3q2+7w==' } },
    ]);
  });

  test('close code and reason are validated next to their fields', async ({ harness }) => {
    const code = harness.getByRole('textbox', { name: 'Close code' });
    const reason = harness.getByRole('textbox', { name: 'Close reason' });
    const close = harness.getByRole('button', { name: 'Close', exact: true });
    for (const bad of ['1005', '2000', '5000', 'abc']) {
      await code.fill(bad);
      await close.click();
      await expect(harness.locator('#close-code-error')).toContainText('1000');
      await expect(code).toHaveAttribute('aria-invalid', 'true');
    }
    await code.fill('1000');
    await reason.fill('é'.repeat(62));
    await close.click();
    await expect(harness.locator('#close-reason-error')).toHaveText('Reason is 124 bytes of UTF-8; the limit is 123.');
    expect(await emitted(harness)).toEqual([]);
    await code.fill('4001');
    await reason.fill('done');
    await close.click();
    expect(await emitted(harness)).toEqual([{ name: 'wc-close-connection', detail: { code: 4001, reason: 'done' } }]);
  });

  test('ping payload over 125 bytes is refused; a valid one is sent as base64', async ({ harness }) => {
    const payload = harness.getByRole('textbox', { name: 'Ping payload' });
    await payload.fill('x'.repeat(126));
    await harness.getByRole('button', { name: 'Ping' }).click();
    await expect(harness.locator('#ping-error')).toContainText('126 bytes');
    expect(await emitted(harness)).toEqual([]);
    await payload.fill('hi');
    await harness.getByRole('button', { name: 'Ping' }).click();
    expect(await emitted(harness)).toEqual([{ name: 'wc-ping', detail: { payloadBase64: 'aGk=' } }]);
  });

  test('disabled with an explanation when the connection is not OPEN', async ({ harness }) => {
    for (const state of ['CONNECTING', 'CLOSING', 'CLOSED'] as const) {
      await harness.evaluate((s) => wcHarness.set({ state: s }), state);
      await expect(harness.getByRole('textbox', { name: 'Message' })).toBeDisabled();
      await expect(harness.getByRole('button', { name: 'Send' })).toBeDisabled();
      await expect(harness.getByRole('group', { name: 'Compose a message' })).toHaveAccessibleDescription(/OPEN|closed|Closing/);
    }
    expect(await emitted(harness)).toEqual([]);
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    test(`${colorScheme}: a disabled Send looks disabled (neutral, not the accent colour)`, async ({ harness }) => {
      await harness.emulateMedia({ colorScheme });
      const send = harness.getByRole('button', { name: 'Send', exact: true });
      const look = () =>
        send.evaluate((el) => {
          const cs = getComputedStyle(el);
          return { bg: cs.backgroundColor, color: cs.color, border: cs.borderTopStyle, opacity: cs.opacity };
        });
      await expect(send).toBeEnabled();
      const enabled = await look();
      await harness.evaluate(() => wcHarness.set({ state: 'CLOSED' }));
      await expect(send).toBeDisabled();
      const disabled = await look();
      expect(disabled.bg, 'background leaves the accent colour').not.toBe(enabled.bg);
      expect(disabled.color, 'text is muted, not the accent text colour').not.toBe(enabled.color);
      expect(disabled.border).toBe('dashed');
      // Full opacity: a faded accent button is what looked "almost enabled" in dark mode.
      expect(disabled.opacity).toBe('1');
    });
  }
});
