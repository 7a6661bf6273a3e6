// Scenario 3: a custom header and the offered subprotocols reach the server (the server asserts
// them), the server's choice is shown, and the handshake panel shows the exact request bytes we
// sent and the 101 response we received (RFC 6455 §4.1, §4.2.2).
import { test, expect } from '../fixtures/test.ts';

/** The panel shows the header block as text; compare line by line (CRLF vs LF is presentation). */
function lines(text: string): string[] {
  return text.replace(/\r\n/g, '\n').replace(/\n+$/, '').split('\n');
}

test('custom header and subprotocol reach the ws server; the negotiated protocol and 101 are shown', async ({ app, peers }) => {
  const peer = await peers.ws({ protocols: ['chat.v2'] });
  const conn = await app.open({
    url: peer.url,
    protocols: 'chat.v1, chat.v2',
    headers: [
      { name: 'X-Wirechat-Test', value: 'e2e-42' },
      { name: 'Authorization', value: 'Bearer s3cr3t' },
    ],
    deflate: false,
  });
  const up = await peer.waitFor(() => peer.lastUpgrade, 'the upgrade request');
  expect(up.rawHeaders).toContainEqual({ name: 'X-Wirechat-Test', value: 'e2e-42' });
  expect(up.rawHeaders).toContainEqual({ name: 'Authorization', value: 'Bearer s3cr3t' });
  expect(up.headers['sec-websocket-protocol']).toBe('chat.v1, chat.v2');

  await conn.showView('Handshake');
  await expect(conn.handshakeRequest).toContainText('X-Wirechat-Test: e2e-42');
  await expect(conn.handshakeRequest).toContainText('Sec-WebSocket-Protocol: chat.v1, chat.v2');
  await expect(conn.handshakeResponse).toContainText(/^HTTP\/1\.1 101 Switching Protocols/);
  await expect(conn.handshakeResponse).toContainText(/Sec-WebSocket-Protocol: chat\.v2/i);
  await expect(conn.root.getByRole('definition').filter({ hasText: /^101\b/ })).toBeVisible();
  await expect(conn.root.getByRole('definition').filter({ hasText: /^chat\.v2$/ })).toBeVisible();
});

test('the handshake panel shows exactly the request the server received and the response it sent', async ({ app, peers }) => {
  let responseText = '';
  const peer = await peers.raw(async (c) => {
    const request = await c.readRequest();
    responseText = c.response101(request, { protocol: 'json', headers: ['X-Server: raw-peer'] });
    await c.write(responseText);
  }, '/exact?q=1');
  const conn = await app.open({ url: peer.url, protocols: 'json', headers: [{ name: 'X-Trace', value: 'abc 123' }], deflate: false });
  await peer.scriptDone();
  const request = peer.connections[0].request;
  expect(request?.get('x-trace')).toBe('abc 123');
  expect(request?.requestLine).toBe('GET /exact?q=1 HTTP/1.1');

  await conn.showView('Handshake');
  await expect.poll(async () => lines(await conn.handshakeRequest.innerText())).toEqual(lines(request?.text ?? ''));
  await expect.poll(async () => lines(await conn.handshakeResponse.innerText())).toEqual(lines(responseText));
});
