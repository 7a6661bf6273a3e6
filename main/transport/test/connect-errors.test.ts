// Connection failures before any WebSocket handshake: refused port, unknown host, a server that
// accepts TCP and never answers.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { once } from 'node:events';
import { openProbe, assertOneSentence } from './probe.ts';
import { Signal } from '../../../e2e/peers/wait.ts';

const TEST_TIMEOUT_MS = 30_000;
const SHORT_HANDSHAKE_TIMEOUT_MS = 300;

test('refused port -> REFUSED', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  // Reserve a free port, then close it so nothing listens there.
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  assert.ok(address && typeof address !== 'string');
  await new Promise<void>((r) => server.close(() => r()));
  const p = openProbe(t, { url: `ws://127.0.0.1:${address.port}/` });
  const err = await p.firstError();
  assert.equal(err.code, 'REFUSED');
  assert.ok(err.message.includes(`127.0.0.1:${address.port}`), err.message);
  assertOneSentence(err.message, address.port);
  const info = await p.closedInfo();
  assert.equal(info.code, 1006);
  assert.equal(info.wasClean, false);
});

test('unknown host under .invalid -> DNS', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const p = openProbe(t, { url: 'ws://no-such-host.wirechat.invalid/' });
  const err = await p.firstError();
  assert.equal(err.code, 'DNS');
  assert.match(err.message, /no-such-host\.wirechat\.invalid/);
  await p.closedInfo();
});

test('server accepts TCP but never answers -> HANDSHAKE_TIMEOUT', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const sockets: Socket[] = [];
  const server = createServer((s) => {
    sockets.push(s);
    s.on('error', () => undefined);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  });
  const address = server.address();
  assert.ok(address && typeof address !== 'string');
  const p = openProbe(t, { url: `ws://127.0.0.1:${address.port}/`, handshakeTimeoutMs: SHORT_HANDSHAKE_TIMEOUT_MS });
  const err = await p.firstError();
  assert.equal(err.code, 'HANDSHAKE_TIMEOUT');
  assertOneSentence(err.message, address.port);
  const info = await p.closedInfo();
  assert.equal(info.wasClean, false);
  // The client must give up the socket, not leave it dangling (RFC 6455 §4.1: "the client MUST
  // _Fail the WebSocket Connection_", which closes the TCP connection, §7.1.7).
  const s = sockets[0];
  let gone = s.destroyed;
  const signal = new Signal();
  s.once('close', () => {
    gone = true;
    signal.notify();
  });
  await signal.waitFor(() => gone, 'the client to close the TCP connection after HANDSHAKE_TIMEOUT', 5_000);
});
