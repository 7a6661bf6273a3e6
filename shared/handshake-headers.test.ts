import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isToken, validateOrigin, validateSubprotocols, validateUserHeaders } from './handshake-headers.ts';

function refused(r: ReturnType<typeof validateUserHeaders>, index: number, re: RegExp) {
  assert.equal(r.ok, false);
  if (!r.ok) {
    assert.equal(r.index, index);
    assert.match(r.message, re);
  }
}

test('ordinary headers pass, Host override allowed', () => {
  assert.deepEqual(
    validateUserHeaders([
      { name: 'Authorization', value: 'Bearer abc' },
      { name: 'Cookie', value: 'a=1; b=2' },
      { name: 'Host', value: 'virtual.example' },
      { name: 'X-Trace', value: 'tab\there, latin-1 é' },
      { name: 'X-Trace', value: 'duplicates of ordinary headers are fine' },
    ]),
    { ok: true },
  );
  assert.deepEqual(validateUserHeaders([]), { ok: true });
});

test('handshake headers are refused, case-insensitively, with what to use instead', () => {
  const cases: [string, RegExp][] = [
    ['Upgrade', /cannot be changed/],
    ['CONNECTION', /cannot be changed/],
    ['sec-websocket-key', /generated fresh/],
    ['Sec-WebSocket-Version', /always 13/],
    ['Sec-WebSocket-Accept', /response header/],
    ['Sec-WebSocket-Extensions', /permessage-deflate option/],
    ['Sec-WebSocket-Protocol', /subprotocol list/],
    ['Content-Length', /body/],
    ['Transfer-Encoding', /body/],
  ];
  for (const [name, re] of cases) refused(validateUserHeaders([{ name: 'X-Ok', value: '1' }, { name, value: 'x' }]), 1, re);
});

test('invalid header names are refused (RFC 7230 tchar)', () => {
  refused(validateUserHeaders([{ name: 'X Bad', value: '1' }]), 0, /a space/);
  refused(validateUserHeaders([{ name: 'X:Bad', value: '1' }]), 0, /a colon/);
  refused(validateUserHeaders([{ name: 'X(Bad)', value: '1' }]), 0, /"\("/);
  refused(validateUserHeaders([{ name: 'Ünicode', value: '1' }]), 0, /letters, digits/);
  refused(validateUserHeaders([{ name: '', value: '1' }]), 0, /no name/);
});

test('CR, LF, NUL, controls and non-Latin-1 characters in values are refused', () => {
  refused(validateUserHeaders([{ name: 'X', value: 'a\r\nInjected: 1' }]), 0, /carriage return/);
  refused(validateUserHeaders([{ name: 'X', value: 'a\nb' }]), 0, /line feed/);
  refused(validateUserHeaders([{ name: 'X', value: 'a\0b' }]), 0, /NUL/);
  refused(validateUserHeaders([{ name: 'X', value: 'a\u007fb' }]), 0, /U\+007F/);
  refused(validateUserHeaders([{ name: 'X', value: 'snow ☃' }]), 0, /U\+2603.*not Latin-1/);
});

test('harmful duplicates are refused; Origin header conflicts with the Origin option', () => {
  refused(validateUserHeaders([{ name: 'Host', value: 'a' }, { name: 'host', value: 'b' }]), 1, /twice/);
  refused(validateUserHeaders([{ name: 'Authorization', value: 'a' }, { name: 'Authorization', value: 'b' }]), 1, /twice/);
  refused(validateUserHeaders([{ name: 'Cookie', value: 'a=1' }, { name: 'cookie', value: 'b=2' }]), 1, /twice/);
  refused(validateUserHeaders([{ name: 'Origin', value: 'https://a' }], { origin: 'https://b' }), 0, /Origin option/);
  assert.deepEqual(validateUserHeaders([{ name: 'Origin', value: 'https://a' }]), { ok: true });
});

test('subprotocols must be unique tokens', () => {
  assert.deepEqual(validateSubprotocols(['chat', 'v2.json', 'graphql-ws']), { ok: true });
  assert.deepEqual(validateSubprotocols([]), { ok: true });
  for (const bad of ['a b', 'a,b', '"q"', 'x/y', '']) {
    const r = validateSubprotocols(['ok', bad]);
    assert.equal(r.ok, false, bad);
    if (!r.ok) assert.equal(r.index, 1);
  }
  const dup = validateSubprotocols(['chat', 'chat']);
  assert.equal(dup.ok, false);
  if (!dup.ok) assert.match(dup.message, /twice/);
  // Case-sensitive (RFC 6455 §11.3.4): these are different protocols.
  assert.deepEqual(validateSubprotocols(['Chat', 'chat']), { ok: true });
});

test('isToken and validateOrigin', () => {
  assert.equal(isToken('permessage-deflate'), true);
  assert.equal(isToken('a=b'), false);
  assert.deepEqual(validateOrigin('https://app.example'), { ok: true });
  assert.equal(validateOrigin('https://a\r\nX: y').ok, false);
});
