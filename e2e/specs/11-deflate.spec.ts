// Scenario 11: permessage-deflate (RFC 7692) negotiated with the ws server. The handshake shows the
// extension; compressed frames are marked RSV1 (§6) in the frame log, whose detail shows the wire
// size next to the inflated size, and the chat bubble says how much went over the wire.
import { test, expect } from '../fixtures/test.ts';

test('deflate negotiated: RSV1 marked, wire vs inflated sizes shown', async ({ app, peers }) => {
  const peer = await peers.ws({ deflate: true });
  const conn = await app.open({ url: peer.url, deflate: true });
  expect(peer.negotiatedExtensions[0]).toMatch(/^permessage-deflate/);

  // Above the client's compression threshold (1 KiB), so both directions are compressed.
  const text = 'compress me please, '.repeat(100);
  const inflated = Buffer.byteLength(text);
  await conn.sendMessage(text);
  await expect(conn.messages('Received', 'text')).toHaveCount(1);
  await peer.waitFor(() => peer.received.length === 1, 'the message at the server');
  expect(peer.received[0].data.toString('utf8')).toBe(text);
  await expect(conn.messages('Received', 'text').getByText('deflate', { exact: true })).toBeVisible();
  await expect(conn.messages('Received', 'text')).toContainText('on the wire');

  await conn.showView('Frames');
  for (const dir of ['sent', 'received'] as const) {
    const row = conn.frameRow(dir, 'TEXT');
    await expect(row).toHaveCount(1);
    const cells = await conn.cells(row);
    expect(cells.rsv, `${dir} frame has RSV1 set`).toBe('1··');
    const wire = Number(cells.length.replace(/,/g, ''));
    expect(wire).toBeGreaterThan(0);
    expect(wire, 'compressed on the wire').toBeLessThan(inflated);
    await conn.selectFrame(row);
    await expect(conn.detailField('RSV1')).toHaveText('1 (compressed)');
    await expect(conn.detailField('Payload (wire)')).toHaveText(`${wire} bytes`);
    await expect(conn.detailField('Inflated message')).toHaveText(`${inflated.toLocaleString('en-US')} bytes`);
  }

  await conn.showView('Handshake');
  await expect(conn.root.getByRole('definition').filter({ hasText: /^\s*permessage-deflate/ })).toBeVisible();
});
