// Scenario 6: connections that cannot open — refused, unknown host, 200 instead of 101, a wrong
// Sec-WebSocket-Accept (RFC 6455 §4.1, client steps 1–4 of "If the server's response is not
// valid") — each end in one clear error shown in the UI, and the app stays usable: the next
// connection to a working server opens and echoes.
import { test, expect } from '../fixtures/test.ts';
import type { WirechatApp } from '../pages/wirechat-app.ts';
import type { Peers } from '../fixtures/test.ts';
import { closedPort } from '../fixtures/ports.ts';

async function expectStillUsable(app: WirechatApp, peers: Peers): Promise<void> {
  const peer = await peers.ws();
  const conn = await app.open({ url: peer.url, deflate: false });
  await conn.sendMessage('still works');
  await expect(conn.messages('Received', 'text')).toHaveCount(1);
}

test('connection refused → a clear error, then the app still connects elsewhere', async ({ app, peers }) => {
  const port = await closedPort();
  const url = `ws://127.0.0.1:${port}/`;
  await app.connect({ url, deflate: false });
  await expect(app.visibleAlerts().filter({ hasText: /refused/i })).toHaveCount(1);
  await expect(app.visibleAlerts().filter({ hasText: new RegExp(`127\\.0\\.0\\.1:${port}`) })).toHaveCount(1);
  await expectStillUsable(app, peers);
});

test('unknown host (.invalid, RFC 6761) → a clear DNS error', async ({ app, peers }) => {
  await app.connect({ url: 'ws://no-such-host.invalid:8080/', deflate: false });
  await expect(app.visibleAlerts().filter({ hasText: /no-such-host\.invalid/ })).toHaveCount(1);
  await expect(app.visibleAlerts().filter({ hasText: /not found|could not be resolved|DNS|unknown host/i })).toHaveCount(1);
  await expectStillUsable(app, peers);
});

test('200 OK instead of 101 → the error names the status; the handshake panel shows the response', async ({ app, peers }) => {
  const peer = await peers.raw(async (c) => {
    await c.readRequest();
    await c.write('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello');
    c.end();
  });
  const conn = await app.connect({ url: peer.url, deflate: false });
  await expect(app.visibleAlerts().filter({ hasText: /\b200\b/ })).toHaveCount(1);
  await conn.expectState('CLOSED');
  await conn.showView('Handshake');
  await expect(conn.handshakeResponse).toContainText('HTTP/1.1 200 OK');
  await expectStillUsable(app, peers);
});

test('a wrong Sec-WebSocket-Accept → a clear error, the connection is failed', async ({ app, peers }) => {
  const peer = await peers.raw(async (c) => {
    await c.readRequest();
    await c.write(
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        'Sec-WebSocket-Accept: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
    );
  });
  const conn = await app.connect({ url: peer.url, deflate: false });
  await expect(app.visibleAlerts().filter({ hasText: /Sec-WebSocket-Accept/i })).toHaveCount(1);
  await conn.expectState('CLOSED');
  // The client must not talk WebSocket on a connection it failed (RFC 6455 §4.1): TCP is closed.
  await peer.connections[0].waitForEnd();
  expect(peer.connections[0].frames).toEqual([]);
  await expectStillUsable(app, peers);
});
