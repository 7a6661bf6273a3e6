// wss:// against a `ws` server whose certificate was signed by a CA made at test time (openssl).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTlsPeer, type TlsPeer } from '../../../e2e/peers/tls-peer.ts';
import { startWsPeer } from '../../../e2e/peers/ws-peers.ts';
import { openProbe, assertOneSentence } from './probe.ts';

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
  assertOneSentence(err.message, peer.port);
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

test('tls.servername is what the certificate is checked against', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const good = await openProbe(t, { url: peer.url, tls: { verify: true, caPem: peer.caPem, servername: 'localhost' } }).opened();
  good.conn.close(1000);
  await good.closedInfo();
  const bad = openProbe(t, { url: peer.url, tls: { verify: true, caPem: peer.caPem, servername: 'wrong.example' } });
  const err = await bad.firstError();
  assert.equal(err.code, 'TLS');
  assert.match(err.message, /wrong\.example|host ?name|altnames|match/i);
});

test('wss:// to a plain ws server fails with a TLS error, not a hang', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const plain = await startWsPeer();
  t.after(() => plain.stop());
  const p = openProbe(t, { url: plain.url.replace('ws://', 'wss://'), handshakeTimeoutMs: 5_000 });
  const err = await p.firstError();
  assert.ok(['TLS', 'NETWORK'].includes(err.code), `${err.code}: ${err.message}`);
  await p.closedInfo();
});

test('ws:// to a TLS server fails clearly (the server answers HTTP 400 or drops)', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const p = openProbe(t, { url: peer.url.replace('wss://', 'ws://'), handshakeTimeoutMs: 5_000 });
  const err = await p.firstError();
  assert.ok(err.code.startsWith('HANDSHAKE_') || err.code === 'NETWORK', `${err.code}: ${err.message}`);
  assert.notEqual(err.code, 'HANDSHAKE_TIMEOUT', 'the TLS server answers; the client must not wait for the timeout');
  await p.closedInfo();
});

test('mutual TLS: refused without a client certificate, accepted with one', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const mtls = await startTlsPeer({ requireClientCert: true });
  t.after(() => mtls.stop());
  const without = openProbe(t, { url: mtls.url, tls: { verify: true, caPem: mtls.caPem } });
  const err = await without.firstError();
  assert.ok(['TLS', 'NETWORK', 'HANDSHAKE_MALFORMED'].includes(err.code), `${err.code}: ${err.message}`);
  assert.match(err.message, /certificate/i);
  assertOneSentence(err.message, mtls.port);
  await without.closedInfo();
  const withCert = await openProbe(t, { url: mtls.url, tls: { verify: true, caPem: mtls.caPem, certPem: mtls.clientCertPem, keyPem: mtls.clientKeyPem } }).opened();
  withCert.conn.sendText('mutual');
  const [m] = await withCert.messagesIn(1);
  assert.equal(m.text, 'mutual');
});
