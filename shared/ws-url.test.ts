import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWsUrl } from './ws-url.ts';

function ok(input: string) {
  const r = parseWsUrl(input);
  if (!r.ok) assert.fail(`expected ${input} to parse, got: ${r.message}`);
  return r.url;
}
function bad(input: string, re: RegExp) {
  const r = parseWsUrl(input);
  assert.equal(r.ok, false, `expected ${input} to be refused`);
  if (!r.ok) assert.match(r.message, re);
}

test('ws:// with default port omits the port in Host', () => {
  const u = ok('ws://example.com/chat');
  assert.deepEqual(u, { secure: false, host: 'example.com', port: 80, hostHeader: 'example.com', target: '/chat', href: 'ws://example.com/chat' });
});

test('wss:// default port 443; an explicit default port is dropped from Host', () => {
  const u = ok('wss://Example.COM:443');
  assert.equal(u.secure, true);
  assert.equal(u.port, 443);
  assert.equal(u.hostHeader, 'example.com');
  assert.equal(u.target, '/');
});

test('non-default port is kept in Host; ws on 443 and wss on 80 are non-default', () => {
  assert.equal(ok('ws://h:8080/').hostHeader, 'h:8080');
  assert.equal(ok('ws://h:443/').hostHeader, 'h:443');
  assert.equal(ok('wss://h:80/').hostHeader, 'h:80');
  assert.equal(ok('wss://h:80/').port, 80);
});

test('IPv6 literal: bare host for the socket, brackets in Host', () => {
  const u = ok('ws://[::1]:8080/');
  assert.equal(u.host, '::1');
  assert.equal(u.port, 8080);
  assert.equal(u.hostHeader, '[::1]:8080');
  const d = ok('wss://[2001:db8::1]/x');
  assert.equal(d.hostHeader, '[2001:db8::1]');
  assert.equal(d.port, 443);
});

test('path and query are kept as the request-target; empty path becomes /', () => {
  assert.equal(ok('ws://h/a/b?x=1&y=%20').target, '/a/b?x=1&y=%20');
  assert.equal(ok('ws://h?x=1').target, '/?x=1');
  assert.equal(ok('ws://h').target, '/');
  assert.equal(ok('  ws://h/  ').target, '/');
});

test('other schemes are refused with a hint', () => {
  bad('http://h/', /http:\/\/ is not a WebSocket URL — use ws:\/\//);
  bad('https://h/', /use wss:\/\//);
  bad('ftp://h/', /use ws:\/\/ or wss:\/\//);
  bad('example.com', /no scheme/);
  bad('ws:example.com', /must be followed by \/\//);
});

test('fragment and userinfo are refused', () => {
  bad('ws://h/#frag', /fragment/);
  bad('ws://user:pw@h/', /Authorization/);
  bad('ws://user@h/', /User name/);
});

test('bad hosts and ports are refused clearly', () => {
  bad('', /Enter a WebSocket URL/);
  bad('ws:///path', /no host/);
  bad('ws://h:0/', /out of range/);
  bad('ws://h:99999/', /out of range/);
  bad('ws://h:abc/', /not a number/);
  bad('ws://h/a b', /white space/);
  bad('ws://[::1/', /closing \]/);
  bad('ws://[zz]/', /not a valid URL/);
});
