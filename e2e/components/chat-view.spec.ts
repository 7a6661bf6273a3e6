// <wc-chat-view>: untrusted text stays text, JSON pretty/raw, hex/base64, show all, counting.
import { test, expect } from './fixtures.ts';

test.describe('chat view', () => {
  test.beforeEach(async ({ harness }) => {
    await harness.evaluate(() => {
      const m = wcHarness.data.sampleMessages();
      wcHarness.mount('wc-chat-view', { messages: m, total: m.length });
    });
  });

  test('HTML-looking content renders as text and runs nothing', async ({ harness }) => {
    const conv = harness.getByRole('region', { name: 'Conversation' });
    await expect(conv.getByText('<img src=x onerror="window.__xss=1"><script>window.__xss=2</script><b>bold?</b>')).toBeVisible();
    // No element was created from the message: no <img>, <script> or <b> anywhere in the component.
    const created = await harness.evaluate(() => wcHarness.el?.shadowRoot?.querySelectorAll('img, script, b').length);
    expect(created).toBe(0);
    expect(await harness.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  });

  test('sent and received are told apart, with time and size', async ({ harness }) => {
    await expect(harness.getByRole('article', { name: 'Sent text message 4' })).toContainText('plain text reply');
    const received = harness.getByRole('article', { name: 'Received text message 3' });
    await expect(received).toContainText('Hello from the server 👋');
    await expect(received).toContainText('26 B');
    await expect(received).toContainText(/\d\d:\d\d:\d\d\.\d{3}/);
    await expect(harness.getByTestId('message-count')).toHaveText('6 messages');
  });

  test('JSON is pretty-printed with a raw toggle', async ({ harness }) => {
    const msg = harness.getByRole('article', { name: 'Received text message 2' });
    const pre = msg.locator('pre');
    await expect(pre).toContainText('"users": [\n    "ada",');
    await msg.getByRole('button', { name: 'Raw' }).click();
    await expect(pre).toHaveText('{"type":"welcome","users":["ada","linus","grace"],"motd":"Be nice"}');
    await msg.getByRole('button', { name: 'Pretty JSON' }).click();
    await expect(pre).toContainText('"motd": "Be nice"');
  });

  test('binary shows a hex dump with a base64 toggle', async ({ harness }) => {
    const msg = harness.getByRole('article', { name: 'Received binary message 5' });
    const pre = msg.locator('pre');
    await expect(pre).toHaveText('00000000  de ad be ef 00 01 02 03 48 69                    |........Hi|');
    await msg.getByRole('button', { name: 'Base64' }).click();
    await expect(pre).toHaveText('3q2+7wABAgNIaQ==');
    await msg.getByRole('button', { name: 'Hex' }).click();
    await expect(pre).toContainText('de ad be ef');
  });

  test('long messages are collapsed; Show all expands; truncated ones fetch the full payload', async ({ harness }) => {
    await harness.evaluate(() => {
      const d = wcHarness.data;
      const long = Array.from({ length: 40 }, (_, i) => `line ${i + 1}`).join('\n');
      const preview = 'x'.repeat(100);
      wcHarness.mount('wc-chat-view', {
        messages: [d.textMessage(1, long), d.textMessage(2, preview, 'in', { truncated: true, length: 5000 })],
        total: 2,
      });
    });
    const first = harness.getByRole('article', { name: 'Received text message 1' });
    await expect(first.locator('pre')).not.toContainText('line 40');
    await first.getByRole('button', { name: 'Show all' }).click();
    await expect(first.locator('pre')).toContainText('line 40');
    await first.getByRole('button', { name: 'Show less' }).click();
    await expect(first.locator('pre')).not.toContainText('line 40');
    // Nothing was fetched for a message we already hold completely.
    expect(await harness.evaluate(() => wcHarness.events.filter((e) => e.name === 'wc-load-payload').length)).toBe(0);

    const second = harness.getByRole('article', { name: 'Received text message 2' });
    await second.getByRole('button', { name: 'Show all' }).click();
    await expect.poll(() => harness.evaluate(() => wcHarness.events.map((e) => e.name + JSON.stringify(e.detail)))).toEqual([
      'wc-load-payload{"kind":"message","seq":2}',
    ]);
    await expect(second).toContainText('Loading the full message');
    // The store answers with the full payload: the view shows it.
    await harness.evaluate(() =>
      wcHarness.set({ payloads: { 'message:2': { state: 'ok', base64: btoa('y'.repeat(5000)), length: 5000 } } }),
    );
    await expect(second.locator('pre')).toHaveText('y'.repeat(5000));
  });

  test('"Following latest" shows only when there is something to follow', async ({ harness }) => {
    await expect(harness.getByText('Following latest')).toBeVisible();
    await harness.evaluate(() => wcHarness.mount('wc-chat-view', { messages: [], total: 0, state: 'OPEN' }));
    await expect(harness.getByText('No messages yet')).toBeVisible();
    await expect(harness.getByText('Following latest')).toHaveCount(0);
    await harness.evaluate(() => {
      const m = wcHarness.data.sampleMessages();
      wcHarness.mount('wc-chat-view', { messages: m, total: m.length, state: 'CLOSED' });
    });
    await expect(harness.getByTestId('message-count')).toHaveText('6 messages');
    await expect(harness.getByText('Following latest')).toHaveCount(0);
    await expect(harness.getByText('Auto-scroll paused')).toHaveCount(0);
  });

  test('20,000 messages are all counted while the DOM holds a bounded number of rows', async ({ harness }) => {
    await harness.evaluate(() => {
      const m = wcHarness.data.manyMessages(20_000);
      wcHarness.mount('wc-chat-view', { messages: m, total: m.length });
    });
    await expect(harness.getByTestId('message-count')).toHaveText('20,000 messages');
    // Follows the newest message.
    await expect(harness.getByRole('article', { name: 'Received text message 20000' })).toBeVisible();
    const rows = await harness.evaluate(() => wcHarness.el?.shadowRoot?.querySelectorAll('article').length ?? 0);
    expect(rows).toBeGreaterThan(0);
    expect(rows).toBeLessThan(200);
  });

  test('auto-scroll pauses when the user scrolls up; Jump to latest resumes it', async ({ harness }) => {
    await harness.evaluate(() => {
      const m = wcHarness.data.manyMessages(500);
      wcHarness.mount('wc-chat-view', { messages: m, total: m.length });
    });
    await expect(harness.getByRole('article', { name: 'Received text message 500' })).toBeVisible();
    const conv = harness.getByRole('region', { name: 'Conversation' });
    await conv.hover();
    await harness.mouse.wheel(0, -3000);
    const jump = harness.getByRole('button', { name: /Jump to latest/ });
    await expect(jump).toBeVisible();
    // New messages arrive while paused: the view stays where the user is and counts them.
    await harness.evaluate(() => {
      const d = wcHarness.data;
      wcHarness.set({ messages: [...d.manyMessages(500), d.textMessage(501, 'newest one')], total: 501 });
    });
    await expect(jump).toHaveText('Jump to latest (1 new)');
    await expect(harness.getByRole('article', { name: 'Received text message 501' })).not.toBeVisible();
    await jump.click();
    await expect(harness.getByRole('article', { name: 'Received text message 501' })).toBeVisible();
    await expect(jump).toBeHidden();
  });
});

test.describe('chat view follow-latest after a burst', () => {
  // The virtualizer re-anchors while it measures rows of estimated height and can scroll the list
  // back up after the last "stick"; batches of very different sizes (as the store delivers a
  // burst) provoke it. Following must still end on the newest message with nothing else happening.
  const BATCHES = [80, 1_200, 20, 6_000, 40, 3_000, 9_660];
  for (let round = 0; round < 3; round++) {
    test(`a 20,000-message burst in uneven batches ends on the newest message (${round + 1})`, async ({ harness }) => {
      await harness.evaluate(() => wcHarness.mount('wc-chat-view', { messages: [], total: 0 }));
      await harness.evaluate(async (batches) => {
        const d = wcHarness.data;
        const all = Array.from({ length: 20_000 }, (_, i) => d.textMessage(i + 1, `msg-${i}`.padEnd(32, '.')));
        let n = 0;
        for (const b of batches) {
          n += b;
          wcHarness.set({ messages: all.slice(0, n), total: n });
          // One batch per frame, as the store flushes: the list renders and re-measures in between.
          await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        }
      }, BATCHES);
      await expect(harness.getByTestId('message-count')).toHaveText('20,000 messages');
      await expect(harness.getByText('Following latest')).toBeVisible();
      await expect(harness.getByRole('article', { name: 'Received text message 20000' })).toBeInViewport();
      await expect(harness.getByRole('button', { name: /Jump to latest/ })).toHaveCount(0);
    });
  }
});
