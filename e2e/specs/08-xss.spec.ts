// Scenario 8: message content is text, never HTML (house rule 7). Markup typed by the user and
// echoed back by the server is shown character for character and runs nothing: no element is
// created from it, no dialog opens (the fixture fails the test on any dialog), no script runs.
import { test, expect } from '../fixtures/test.ts';

const PAYLOADS = [
  '<img src=x onerror=alert(1)>',
  '<script>alert(2)</script>',
  '<svg onload=alert(3)><a href="javascript:alert(4)">x</a>',
  '{"html":"<img src=x onerror=alert(5)>"}',
];

test('markup in messages shows as text and runs nothing', async ({ app, peers, problems }) => {
  const peer = await peers.ws();
  const conn = await app.open({ url: peer.url, deflate: false });
  for (const p of PAYLOADS) await conn.sendMessage(p);

  await expect(conn.messages('Received', 'text')).toHaveCount(PAYLOADS.length);
  const received = conn.messages('Received', 'text');
  for (const [i, p] of PAYLOADS.slice(0, 3).entries()) {
    await expect(conn.messageContent(received.nth(i))).toHaveText(p);
  }
  // The JSON one is pretty-printed — still as text.
  await expect(conn.messageContent(received.nth(3))).toContainText('"<img src=x onerror=alert(5)>"');

  // None of it became markup anywhere in the conversation (shadow DOM included).
  await expect(conn.conversation.locator('img, script, svg, a[href^="javascript"]')).toHaveCount(0);
  // The frame log previews are text too.
  await conn.showView('Frames');
  await expect(conn.frameLog.locator('img, script, svg')).toHaveCount(0);
  await expect(conn.frameRows().filter({ hasText: '<img src=x onerror=alert(1)>' })).toHaveCount(2);

  expect(problems.dialogs).toEqual([]);
});

test('markup in the URL, a header value and a close reason is text too', async ({ app, peers }) => {
  const peer = await peers.ws();
  const conn = await app.open({
    // White space is refused in URLs, so this markup has none; main percent-encodes it on the wire.
    url: peer.urlFor('/echo?<b>bold</b>'),
    headers: [{ name: 'X-Html', value: '<script>alert(7)</script>' }],
    deflate: false,
  });
  await expect(conn.root.getByText(peer.urlFor('/echo?<b>bold</b>'), { exact: true })).toBeVisible();
  await conn.closeReason.fill('<img src=x onerror=alert(8)>');
  await conn.close.click();
  await conn.expectState('CLOSED');
  await expect(conn.state).toContainText('<img src=x onerror=alert(8)>');
  await conn.showView('Handshake');
  await expect(conn.handshakeRequest).toContainText('X-Html: <script>alert(7)</script>');
  await expect(app.page.locator('wc-app').locator('img, script, b')).toHaveCount(0);
});
