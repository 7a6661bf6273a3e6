// Scenario 5: closing. Our close with 4000 + reason completes the closing handshake cleanly
// (RFC 6455 §7.1.2); a server close with 1011 is shown with its name; a server that drops TCP
// without a close frame is reported as 1006 Abnormal Closure (§7.1.5, never sent on the wire).
import { test, expect } from '../fixtures/test.ts';

test('close with 4000 and a reason → CLOSED, clean, code and reason shown; the server got them', async ({ app, peers }) => {
  const peer = await peers.ws();
  const conn = await app.open({ url: peer.url, deflate: false });
  await conn.closeCode.fill('4000');
  await conn.closeReason.fill('bye for now');
  await conn.close.click();

  await conn.expectState('CLOSED');
  await expect(conn.state).toContainText('4000');
  await expect(conn.state).toContainText('“bye for now”');
  await expect(conn.state).toContainText('closed by us');
  await expect(conn.state).toContainText(/· clean/);
  await peer.waitFor(() => peer.closes.length === 1, 'the close at the server');
  expect(peer.closes[0]).toMatchObject({ code: 4000, reason: 'bye for now' });

  await conn.showView('Frames');
  await expect(conn.frameRow('sent', 'CLOSE')).toHaveCount(1);
  await expect(conn.frameRow('received', 'CLOSE')).toHaveCount(1);
});

test('Reconnect after a close opens the same tab again and it works', async ({ app, peers }) => {
  const peer = await peers.ws();
  const conn = await app.open({ url: peer.url, deflate: false });
  await conn.close.click();
  await conn.expectState('CLOSED');
  await conn.reconnect.click();
  await conn.expectState('OPEN');
  await expect(app.tabs.getByRole('tab')).toHaveCount(2);
  await conn.sendMessage('after reconnect');
  await expect(conn.messages('Received', 'text')).toContainText(['after reconnect']);
  expect(peer.upgrades).toHaveLength(2);
  expect(peer.closes[0]).toMatchObject({ code: 1000 });
});

test('the server closes with 1011 → shown with its name, closed by the server', async ({ app, peers }) => {
  const peer = await peers.ws();
  const conn = await app.connect({ url: peer.urlFor('/close?code=1011&reason=server%20broke'), deflate: false });
  await conn.expectState('CLOSED');
  await expect(conn.state).toContainText('1011 Internal Error');
  await expect(conn.state).toContainText('“server broke”');
  await expect(conn.state).toContainText('closed by the server');
});

test('Python websockets closes with 1011 → shown the same way', async ({ app, peers }) => {
  const peer = await peers.python({ compression: false });
  const conn = await app.connect({ url: peer.urlFor('/close?code=1011&reason=py%20broke'), deflate: false });
  await conn.expectState('CLOSED');
  await expect(conn.state).toContainText('1011 Internal Error');
  await expect(conn.state).toContainText('“py broke”');
  await expect(conn.state).toContainText('closed by the server');
  await peer.waitFor(() => peer.closes.length === 1, 'the python server to finish the close');
  // We echoed its close code (RFC 6455 §5.5.1), so the server saw a clean 1011 exchange.
  expect(peer.closes[0].code).toBe(1011);
});

test('the server drops TCP without a close frame → 1006 Abnormal Closure, not clean', async ({ app, peers }) => {
  const peer = await peers.ws();
  const conn = await app.open({ url: peer.urlFor('/drop-after-message'), deflate: false });
  await conn.sendMessage('this makes the server hang up');
  await conn.expectState('CLOSED');
  await expect(conn.state).toContainText('1006 Abnormal Closure');
  await expect(conn.state).toContainText('not clean');
  await expect(conn.errors).toContainText(/closed the TCP connection/i);
  // No close frame of ours may claim 1006 on the wire (RFC 6455 §7.4.1).
  await conn.showView('Frames');
  await expect(conn.frameRow('received', 'CLOSE')).toHaveCount(0);
});
