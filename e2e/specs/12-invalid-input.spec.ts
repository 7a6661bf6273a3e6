// Scenario 12: invalid input is explained next to its field and nothing is sent. "Nothing sent" is
// proven without waiting for time to pass: after the invalid attempt a valid action follows, and the
// server sees only the valid one — had the invalid attempt reached it, it would have come first.
import { test, expect } from '../fixtures/test.ts';

test('bad URLs are explained in the form and no connection is made', async ({ app, peers }) => {
  const peer = await peers.raw(async (c) => {
    await c.accept();
  });
  await app.newConnectionTab.click();
  const port = peer.port;
  const cases: Array<[string, RegExp]> = [
    [`http://127.0.0.1:${port}/`, /ws:\/\/|wss:\/\//],
    [`ws://127.0.0.1:99999/`, /port/i],
    ['', /URL|address|enter/i],
  ];
  for (const [url, why] of cases) {
    await app.form.url.fill(url);
    await app.form.connectButton.click();
    await expect(app.form.url).toHaveAttribute('aria-invalid', 'true');
    await expect(app.form.url).toHaveAccessibleDescription(why);
    await expect(app.form.url).toBeFocused();
  }
  // Only the New connection tab exists: nothing was created.
  await expect(app.tabs.getByRole('tab')).toHaveCount(1);

  await app.form.url.fill(peer.url);
  await expect(app.form.url).toHaveAttribute('aria-invalid', 'false');
  await app.form.connectButton.click();
  await app.connection(peer.url).expectState('OPEN');
  await peer.scriptDone();
  expect(peer.connections).toHaveLength(1);
});

test('a header that would break the handshake is explained and not sent', async ({ app, peers }) => {
  const peer = await peers.ws();
  await app.newConnectionTab.click();
  await app.form.fill({ url: peer.url, headers: [{ name: 'Sec-WebSocket-Key', value: 'mine' }] });
  await app.form.connectButton.click();
  await expect(app.form.headerName(1)).toHaveAttribute('aria-invalid', 'true');
  await expect(app.form.headerName(1)).toHaveAccessibleDescription(/Sec-WebSocket-Key/i);
  await expect(app.tabs.getByRole('tab')).toHaveCount(1);
  // Renaming the header makes the form valid; the server's first and only upgrade is that one.
  await app.form.headerName(1).fill('X-Key');
  await app.form.connectButton.click();
  await app.connection(peer.url).expectState('OPEN');
  expect(peer.upgrades).toHaveLength(1);
  expect(peer.upgrades[0].rawHeaders).toContainEqual({ name: 'X-Key', value: 'mine' });
  expect(peer.upgrades[0].headers['sec-websocket-key']).not.toBe('mine');
});

test('a bad close code is explained and no close frame is sent', async ({ app, peers }) => {
  const peer = await peers.ws();
  const conn = await app.open({ url: peer.url, deflate: false });
  for (const [code, why] of [
    ['1005', /1005 cannot be sent/],
    ['2999', /cannot be sent/],
    ['abc', /Enter a close code/],
  ] as const) {
    await conn.closeCode.fill(code);
    await conn.close.click();
    await expect(conn.closeCode).toHaveAttribute('aria-invalid', 'true');
    await expect(conn.closeCode).toHaveAccessibleDescription(why);
  }
  await conn.closeCode.fill('1000');
  await conn.closeReason.fill('x'.repeat(124));
  await conn.close.click();
  await expect(conn.closeReason).toHaveAccessibleDescription(/124 bytes.*limit is 123/);
  await conn.expectState('OPEN');

  // Still open: a message after the attempts reaches the server, and it saw no close at all.
  await conn.sendMessage('still open');
  await expect(conn.messages('Received', 'text')).toHaveCount(1);
  expect(peer.received.map((m) => m.data.toString('utf8'))).toEqual(['still open']);
  expect(peer.closes).toEqual([]);
});

test('bad hex and base64 are explained and nothing is sent', async ({ app, peers }) => {
  const peer = await peers.ws();
  const conn = await app.open({ url: peer.url, deflate: false });
  await conn.format('Binary (hex)');
  for (const [input, why] of [
    ['zz 12', /"z" is not a hex digit/],
    ['abc', /Odd number of hex digits/],
  ] as const) {
    await conn.sendMessage(input);
    await expect(conn.message).toHaveAttribute('aria-invalid', 'true');
    await expect(conn.message).toHaveAccessibleDescription(why);
    // The draft is kept so the user can fix it.
    await expect(conn.message).toHaveValue(input);
  }
  await conn.format('Binary (base64)');
  await conn.sendMessage('not base64!');
  await expect(conn.message).toHaveAccessibleDescription(/Not valid base64/);

  await conn.format('Text');
  await conn.sendMessage('the only message');
  await expect(conn.messages('Received', 'text')).toHaveCount(1);
  await expect(conn.messages('Sent')).toHaveCount(1);
  expect(peer.received.map((m) => m.data.toString('utf8'))).toEqual(['the only message']);
});

test('a ping payload over 125 bytes is explained and not sent', async ({ app, peers }) => {
  const peer = await peers.ws();
  const conn = await app.open({ url: peer.url, deflate: false });
  await conn.pingPayload.fill('p'.repeat(126));
  await conn.ping.click();
  await expect(conn.pingPayload).toHaveAccessibleDescription(/126 bytes; the limit is 125/);
  await conn.pingPayload.fill('ok');
  await conn.ping.click();
  await peer.waitFor(() => peer.pings.length === 1, 'the valid ping');
  await conn.sendMessage('sync');
  await expect(conn.messages('Received', 'text')).toHaveCount(1);
  expect(peer.pings.map((p) => p.toString('utf8'))).toEqual(['ok']);
});
