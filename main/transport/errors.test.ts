// Socket errors → stable codes and plain words (no sockets needed: the mapping is a pure function).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWsUrl, type WsUrl } from '../../shared/ws-url.ts';
import { describeSocketError, resolveOptions } from './connection.ts';

function u(s: string): WsUrl {
  const r = parseWsUrl(s);
  if (!r.ok) throw new Error(r.message);
  return r.url;
}
const err = (code: string, message = 'boom') => Object.assign(new Error(message), { code });

test('DNS, refused, timeout, reset and unreachable map to their codes, naming host:port once', () => {
  const cases: [string, string, RegExp][] = [
    ['ENOTFOUND', 'DNS', /Could not find the host "example\.invalid"/],
    ['EAI_AGAIN', 'DNS', /DNS lookup failed: EAI_AGAIN/],
    ['ECONNREFUSED', 'REFUSED', /Connection refused by example\.invalid:8080:? nothing is listening/],
    ['ETIMEDOUT', 'TIMEOUT', /timed out/],
    ['ECONNRESET', 'NETWORK', /reset by the server/],
    ['EHOSTUNREACH', 'NETWORK', /cannot be reached/],
    ['EWHATEVER', 'NETWORK', /Network error with example\.invalid:8080: boom/],
  ];
  for (const [code, expected, re] of cases) {
    const f = describeSocketError(err(code), u('ws://example.invalid:8080/'));
    assert.equal(f.code, expected, code);
    assert.match(f.message, re, code);
    assert.equal(f.closeCode, 1006);
    assert.ok(!f.message.includes('8080:8080'));
  }
});

test('IPv6 endpoints are written [addr]:port; default ports are named', () => {
  assert.match(describeSocketError(err('ECONNREFUSED'), u('ws://[::1]:9/')).message, /\[::1\]:9:/);
  assert.match(describeSocketError(err('ECONNREFUSED'), u('wss://example.com/')).message, /example\.com:443/);
});

test('TLS failures map to TLS with advice', () => {
  const self = describeSocketError(err('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'), u('wss://h:1/'));
  assert.equal(self.code, 'TLS');
  assert.match(self.message, /self-signed.*turn verification off/);
  assert.equal(describeSocketError(err('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), u('wss://h:1/')).code, 'TLS');
  assert.match(describeSocketError(err('CERT_HAS_EXPIRED'), u('wss://h:1/')).message, /expired/);
  assert.equal(describeSocketError(err('ERR_SSL_WRONG_VERSION_NUMBER', 'wrong version number'), u('wss://h:1/')).code, 'TLS');
  assert.equal(describeSocketError(err('ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames"), u('wss://h:1/')).code, 'TLS');
});

test('resolveOptions defaults and validation', () => {
  const r = resolveOptions({ url: 'ws://h/', keepaliveIntervalSec: 2 });
  assert.equal(r.handshakeTimeoutMs, 15_000);
  assert.equal(r.closeTimeoutMs, 5_000);
  assert.equal(r.keepaliveIntervalMs, 2000);
  assert.equal(r.keepaliveTimeoutMs, 5000, 'timeout defaults to one interval, at least 5 s');
  assert.equal(resolveOptions({ url: 'ws://h/', keepaliveIntervalSec: 30 }).keepaliveTimeoutMs, 30_000);
  assert.equal(resolveOptions({ url: 'ws://h/', keepaliveIntervalSec: 30, keepaliveTimeoutSec: 1 }).keepaliveTimeoutMs, 1000);
  assert.throws(() => resolveOptions({ url: 'ws://h/', closeTimeoutMs: 0 }), /closeTimeoutMs/);
  assert.throws(() => resolveOptions({ url: 'ws://h/', keepaliveTimeoutSec: -1 }), /keepaliveTimeoutSec/);
  assert.throws(() => resolveOptions({ url: 'ftp://h/' }), /ftp:\/\/ is not a WebSocket URL/);
  assert.throws(() => resolveOptions(null as unknown as { url: string }), /url string/);
});
