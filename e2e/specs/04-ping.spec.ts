// Scenario 4: a ping sent from the UI with a payload is answered by the server with a pong carrying
// the same payload (RFC 6455 §5.5.3); a ping from the server is answered automatically with the
// same payload (§5.5.2) and both frames show in the frame log.
import { test, expect } from '../fixtures/test.ts';

test('UI ping with a payload → the pong in the frame log carries the same payload', async ({ app, peers }) => {
  const peer = await peers.ws();
  const conn = await app.open({ url: peer.url, deflate: false });
  const payload = 'are you there? ✓';
  await conn.pingPayload.fill(payload);
  await conn.ping.click();

  await peer.waitFor(() => peer.pings.length === 1, 'the server to receive our ping');
  expect(peer.pings[0].toString('utf8')).toBe(payload);

  await conn.showView('Frames');
  const ping = conn.frameRow('sent', 'PING');
  const pong = conn.frameRow('received', 'PONG');
  await expect(pong).toHaveCount(1);
  await expect(ping).toHaveCount(1);
  const length = String(Buffer.byteLength(payload));
  const pingCells = await conn.cells(ping);
  const pongCells = await conn.cells(pong);
  expect(pingCells.length).toBe(length);
  expect(pongCells.length).toBe(length);
  expect(pingCells.mask).toMatch(/^[0-9a-f]{8}$/);
  expect(pongCells.preview).toContain(payload);
  expect(pingCells.preview).toContain(payload);
});

test('a server ping is answered automatically with the same payload, and both show', async ({ app, peers }) => {
  const peer = await peers.ws();
  const conn = await app.open({ url: peer.urlFor('/ping?payload=server-hello'), deflate: false });
  await peer.waitFor(() => peer.pongs.length === 1, 'our automatic pong at the server');
  expect(peer.pongs[0].toString('utf8')).toBe('server-hello');

  await conn.showView('Frames');
  const ping = conn.frameRow('received', 'PING');
  const pong = conn.frameRow('sent', 'PONG');
  await expect(ping).toHaveCount(1);
  await expect(pong).toHaveCount(1);
  expect((await conn.cells(ping)).preview).toContain('server-hello');
  expect((await conn.cells(pong)).preview).toContain('server-hello');
  await conn.selectFrame(pong);
  await expect(conn.detailField('Payload (wire)')).toHaveText(`${'server-hello'.length} bytes`);
});
