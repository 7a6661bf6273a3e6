// <wc-frame-log>: filters (direction, opcode, text, regex, invalid regex), selection and detail,
// fragment grouping.
import { test, expect } from './fixtures.ts';
import type { Locator, Page } from '@playwright/test';

const rows = (page: Page): Locator => page.getByRole('grid', { name: 'Frames' }).getByRole('row').filter({ has: page.getByRole('gridcell') });
const seqsShown = async (page: Page): Promise<string[]> =>
  (await rows(page).all()).length === 0 ? [] : await rows(page).locator('[role="gridcell"]:first-child').allTextContents();

test.describe('frame log', () => {
  test.beforeEach(async ({ harness }) => {
    await harness.evaluate(() => {
      const f = wcHarness.data.sampleFrames();
      wcHarness.mount('wc-frame-log', { frames: f, total: f.length, startedAt: wcHarness.data.T0 });
    });
    await expect(rows(harness)).toHaveCount(12);
  });

  test('shows header bits, opcode names, mask keys and fragment groups', async ({ harness }) => {
    const first = rows(harness).nth(0);
    await expect(first).toContainText('↑');
    await expect(first).toContainText('TEXT');
    await expect(first).toContainText('1a2b3c4d');
    await expect(rows(harness).nth(2)).toContainText('PING');
    await expect(rows(harness).nth(4)).toContainText('┌ ↓3.1');
    await expect(rows(harness).nth(5)).toContainText('├ ↓3.2');
    await expect(rows(harness).nth(6)).toContainText('└ ↓3.3');
    await expect(rows(harness).nth(8)).toContainText('1··');
    await expect(rows(harness).nth(10)).toContainText('1000 "bye"');
  });

  test('filters by direction and opcode', async ({ harness }) => {
    await harness.getByRole('combobox', { name: 'Direction' }).selectOption('out');
    await expect.poll(() => seqsShown(harness)).toEqual(['1', '4', '8', '11']);
    await harness.getByRole('combobox', { name: 'Opcode' }).selectOption('control');
    await expect.poll(() => seqsShown(harness)).toEqual(['4', '11']);
    await harness.getByRole('combobox', { name: 'Direction' }).selectOption('all');
    await harness.getByRole('combobox', { name: 'Opcode' }).selectOption('9');
    await expect.poll(() => seqsShown(harness)).toEqual(['3']);
    await expect(harness.getByTestId('frame-count')).toHaveText('1 of 12 frames');
  });

  test('filters by text and by regex; an invalid regex is explained, not thrown', async ({ harness }) => {
    const q = harness.getByRole('searchbox', { name: 'Filter frames' });
    await q.fill('welcome');
    await expect.poll(() => seqsShown(harness)).toEqual(['2']);
    await harness.getByRole('checkbox', { name: 'Regex' }).check();
    await q.fill('"type":"(join|welcome)"');
    await expect.poll(() => seqsShown(harness)).toEqual(['1', '2']);
    await q.fill('id=\\d+ status=(ok');
    await expect(harness.getByRole('alert')).toContainText('Invalid regular expression');
    await expect(q).toHaveAttribute('aria-invalid', 'true');
    await q.fill('part (one|three)');
    await expect(harness.getByRole('alert')).toHaveCount(0);
    await expect.poll(() => seqsShown(harness)).toEqual(['5', '7']);
  });

  test('selecting a frame shows every header bit and the payload hex dump; arrows move', async ({ harness }) => {
    await rows(harness).nth(0).click();
    expect(await harness.evaluate(() => wcHarness.events.at(-1))).toEqual({ name: 'wc-select-frame', detail: { seq: 1 } });
    const detail = harness.locator('wc-frame-detail');
    await expect(detail).toContainText('Frame 1');
    await expect(detail).toContainText('Masking key1a2b3c4d');
    await expect(detail.getByLabel('Payload hex dump')).toContainText('7b 22 74 79 70 65 22 3a');
    await harness.keyboard.press('ArrowDown');
    await expect(detail).toContainText('Frame 2');
    await expect(rows(harness).nth(1)).toHaveAttribute('aria-selected', 'true');
    await expect(rows(harness).nth(1)).toBeFocused();
    await rows(harness).nth(8).click();
    await expect(detail).toContainText('Inflated message5 bytes');
    await expect(detail).toContainText('compressed wire bytes');
  });

  test('100,000 frames: all counted, DOM bounded, filters still answer', async ({ harness }) => {
    await harness.evaluate(() => {
      const d = wcHarness.data;
      const frames = [];
      for (let i = 1; i <= 100_000; i++) frames.push(d.frame(i, { dir: i % 2 ? 'in' : 'out', text: `event ${i}` }));
      wcHarness.mount('wc-frame-log', { frames, total: frames.length, startedAt: d.T0 });
    });
    await expect(harness.getByTestId('frame-count')).toHaveText('100,000 frames');
    await expect(rows(harness).filter({ hasText: 'event 100000' })).toBeVisible();
    expect(await rows(harness).count()).toBeLessThan(200);
    await harness.getByRole('checkbox', { name: 'Regex' }).check();
    await harness.getByRole('searchbox', { name: 'Filter frames' }).fill('^event 9999\\d$');
    await expect(harness.getByTestId('frame-count')).toHaveText('10 of 100,000 frames');
  });

  test('a 20,000-frame burst in uneven batches ends on the newest frame (the log follows)', async ({ harness }) => {
    await harness.evaluate(() => wcHarness.mount('wc-frame-log', { frames: [], total: 0, startedAt: wcHarness.data.T0 }));
    await harness.evaluate(async () => {
      const d = wcHarness.data;
      const all = Array.from({ length: 20_000 }, (_, i) => d.frame(i + 1, { text: `event ${i + 1}` }));
      let n = 0;
      for (const b of [80, 1_200, 20, 6_000, 40, 3_000, 9_660]) {
        n += b;
        wcHarness.set({ frames: all.slice(0, n), total: n });
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      }
    });
    await expect(harness.getByTestId('frame-count')).toHaveText('20,000 frames');
    await expect(rows(harness).filter({ hasText: 'event 20000' })).toBeInViewport();
  });
});
