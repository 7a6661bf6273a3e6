// wss:// against a `ws` server whose certificate was signed by a CA made at test time (openssl).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTlsPeer, type TlsPeer } from '../../../e2e/peers/tls-peer.ts';
import { openProbe } from './probe.ts';

const TEST_TIMEOUT_MS = 30_000;
let peer: TlsPeer;
before(async () => {
  peer = await startTlsPeer();
});
after(() => peer.stop());

test('self-signed chain is refused by default with a clear TLS error', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const p = openProbe(t, { url: peer.url });
  const err = await p.firstError();
  assert.equal(err.code, 'TLS');
  assert.match(err.message, /certificate|self[- ]signed|verify/i);
  const info = await p.closedInfo();
  assert.equal(info.wasClean, false);
  assert.equal(p.states.includes('OPEN'), false);
});

test('accepted when tls.caPem holds the test CA', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const p = await openProbe(t, { url: peer.url, tls: { verify: true, caPem: peer.caPem } }).opened();
  assert.equal(p.handshake?.tls?.authorized, true);
  p.conn.sendText('over tls');
  const [m] = await p.messagesIn(1);
  assert.equal(m.text, 'over tls');
  p.conn.close(1000);
  assert.equal((await p.closedInfo()).wasClean, true);
});

test('accepted by host name (localhost SAN) with the CA', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const url = peer.url.replace('127.0.0.1', 'localhost');
  const p = await openProbe(t, { url, tls: { verify: true, caPem: peer.caPem } }).opened();
  p.conn.sendText('by name');
  const [m] = await p.messagesIn(1);
  assert.equal(m.text, 'by name');
});

test('accepted with tls.verify=false (and reported as not authorized)', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const p = await openProbe(t, { url: peer.url, tls: { verify: false } }).opened();
  p.conn.sendText('insecure');
  const [m] = await p.messagesIn(1);
  assert.equal(m.text, 'insecure');
  assert.equal(p.handshake?.tls?.authorized, false);
});
