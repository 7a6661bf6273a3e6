import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COMMAND_NAMES } from './api.ts';
import { MAX_SEND_BYTES, base64DecodedLength, isCommandName, utf8ByteLength, validateCommandArgs } from './validate.ts';

const ID = 'abcd1234';

function rejects(name: Parameters<typeof validateCommandArgs>[0], args: unknown, code = 'INVALID_ARGUMENT', pattern?: RegExp): void {
  const r = validateCommandArgs(name, args);
  assert.equal(r.ok, false, `${name} ${JSON.stringify(args)?.slice(0, 200)} should be refused`);
  if (!r.ok) {
    assert.equal(r.error.code, code);
    assert.ok(r.error.message.length > 0);
    if (pattern) assert.match(r.error.message, pattern);
  }
}

test('every command refuses non-object arguments (except list, which takes none)', () => {
  for (const name of COMMAND_NAMES) {
    for (const bad of [42, 'x', [1], true]) {
      const r = validateCommandArgs(name, bad);
      assert.equal(r.ok, false, `${name}(${JSON.stringify(bad)})`);
    }
    if (name !== 'list') assert.equal(validateCommandArgs(name, null).ok, false, `${name}(null)`);
  }
  assert.equal(validateCommandArgs('list', undefined).ok, true);
  assert.equal(validateCommandArgs('list', {}).ok, true);
  rejects('list', { extra: 1 });
});

test('isCommandName accepts exactly the contract names', () => {
  for (const n of COMMAND_NAMES) assert.ok(isCommandName(n));
  for (const n of ['constructor', '__proto__', 'toString', '', 'CONNECT', 5, null]) assert.equal(isCommandName(n), false);
});

test('connect: url, options, headers, protocols, tls', () => {
  const ok = validateCommandArgs('connect', { url: 'ws://127.0.0.1:9/x', protocols: ['chat'], headers: [{ name: 'Authorization', value: 'Bearer x' }], deflate: false, autoPong: true, keepaliveIntervalSec: 5, label: 'L' });
  assert.equal(ok.ok, true);
  if (ok.ok) assert.deepEqual(ok.value.protocols, ['chat']);
  rejects('connect', {}, 'INVALID_URL');
  rejects('connect', { url: 'http://example.com/' }, 'INVALID_URL', /ws:\/\//);
  rejects('connect', { url: 'ws://a/', bogus: 1 }, 'INVALID_ARGUMENT', /bogus/);
  rejects('connect', { url: 'ws://a/', protocols: ['a b'] }, 'INVALID_OPTIONS');
  rejects('connect', { url: 'ws://a/', protocols: 'chat' }, 'INVALID_OPTIONS');
  rejects('connect', { url: 'ws://a/', headers: [{ name: 'Upgrade', value: 'x' }] }, 'INVALID_HEADER');
  rejects('connect', { url: 'ws://a/', headers: [{ name: 'X', value: 'a\r\nInjected: 1' }] }, 'INVALID_HEADER');
  rejects('connect', { url: 'ws://a/', headers: [{ name: 'X' }] }, 'INVALID_HEADER');
  rejects('connect', { url: 'ws://a/', deflate: 'yes' }, 'INVALID_OPTIONS');
  rejects('connect', { url: 'ws://a/', keepaliveIntervalSec: -1 }, 'INVALID_OPTIONS');
  rejects('connect', { url: 'ws://a/', maxMessageBytes: 1.5 }, 'INVALID_OPTIONS');
  rejects('connect', { url: 'ws://a/', handshakeTimeoutMs: Number.NaN }, 'INVALID_OPTIONS');
  const plain = validateCommandArgs('connect', { url: 'ws://a/', tls: { verify: false } });
  assert.ok(plain.ok && plain.value.tls === undefined, 'TLS settings are dropped for ws://');
  rejects('connect', { url: 'wss://a/', tls: { verify: 'no' } }, 'INVALID_OPTIONS');
  rejects('connect', { url: 'wss://a/', tls: { verify: true, caPem: 'not a pem' } }, 'INVALID_OPTIONS', /PEM/);
  rejects('connect', { url: 'wss://a/', tls: { verify: true, certPem: '-----BEGIN CERTIFICATE-----' } }, 'INVALID_OPTIONS', /keyPem/);
  rejects('connect', { url: 'ws://a/', label: 'x'.repeat(1000) }, 'INVALID_OPTIONS');
  assert.equal(validateCommandArgs('connect', { url: 'wss://a/', tls: { verify: false, servername: 'a.example' } }).ok, true);
});

test('send: kind, data, base64, size limit, lone surrogates, fragmentSize', () => {
  assert.equal(validateCommandArgs('send', { id: ID, kind: 'text', data: 'héllo' }).ok, true);
  assert.equal(validateCommandArgs('send', { id: ID, kind: 'binary', data: 'AAEC', fragmentSize: 1 }).ok, true);
  rejects('send', { kind: 'text', data: 'x' }, 'INVALID_ARGUMENT', /id/);
  rejects('send', { id: 5, kind: 'text', data: 'x' });
  rejects('send', { id: ID, kind: 'json', data: 'x' });
  rejects('send', { id: ID, kind: 'text', data: 5 });
  rejects('send', { id: ID, kind: 'binary', data: 'not base64!' }, 'INVALID_ARGUMENT', /base64/);
  rejects('send', { id: ID, kind: 'binary', data: 'AAE' }, 'INVALID_ARGUMENT', /base64/);
  rejects('send', { id: ID, kind: 'text', data: 'a\uD800b' }, 'INVALID_ARGUMENT', /surrogate/);
  rejects('send', { id: ID, kind: 'text', data: 'x', fragmentSize: -1 });
  rejects('send', { id: 'x'.repeat(100), kind: 'text', data: 'x' }, 'UNKNOWN_CONNECTION');
  // Oversized: one byte more than the limit, as base64 (built without allocating the bytes twice).
  const big = 'A'.repeat(Math.ceil((MAX_SEND_BYTES + 1) / 3) * 4);
  assert.ok(base64DecodedLength(big) > MAX_SEND_BYTES);
  rejects('send', { id: ID, kind: 'binary', data: big }, 'INVALID_ARGUMENT', /at most/);
});

test('ping/pong: control payload ≤ 125 bytes (RFC 6455 §5.5)', () => {
  const b125 = Buffer.alloc(125).toString('base64');
  const b126 = Buffer.alloc(126).toString('base64');
  for (const name of ['ping', 'pong'] as const) {
    assert.equal(validateCommandArgs(name, { id: ID }).ok, true);
    assert.equal(validateCommandArgs(name, { id: ID, payloadBase64: b125 }).ok, true);
    rejects(name, { id: ID, payloadBase64: b126 }, 'INVALID_ARGUMENT', /125/);
    rejects(name, { id: ID, payloadBase64: '%%%%' }, 'INVALID_ARGUMENT', /base64/);
    rejects(name, { id: ID, payloadBase64: 7 });
  }
});

test('close: codes 1000 / 3000–4999 only, reason ≤ 123 UTF-8 bytes, reason needs a code', () => {
  for (const code of [1000, 3000, 4000, 4999]) assert.equal(validateCommandArgs('close', { id: ID, code }).ok, true, String(code));
  for (const code of [999, 1001, 1005, 1006, 1015, 2999, 5000, 4000.5, '1000']) rejects('close', { id: ID, code }, 'INVALID_ARGUMENT');
  assert.equal(validateCommandArgs('close', { id: ID, code: 1000, reason: 'é'.repeat(61) }).ok, true); // 122 bytes
  rejects('close', { id: ID, code: 1000, reason: 'é'.repeat(62) }, 'INVALID_ARGUMENT', /123/); // 124 bytes
  rejects('close', { id: ID, reason: 'bye' }, 'INVALID_ARGUMENT', /code/);
  assert.equal(validateCommandArgs('close', { id: ID }).ok, true);
});

test('sendRawFrame: every field checked', () => {
  const frame = { fin: true, rsv1: false, rsv2: false, rsv3: false, opcode: 1, mask: true, maskKey: '01020304', payloadBase64: 'aGk=' };
  assert.equal(validateCommandArgs('sendRawFrame', { id: ID, frame }).ok, true);
  assert.equal(validateCommandArgs('sendRawFrame', { id: ID, frame: { ...frame, opcode: 0xb, maskKey: undefined } }).ok, true);
  rejects('sendRawFrame', { id: ID });
  rejects('sendRawFrame', { id: ID, frame: { ...frame, opcode: 16 } }, 'INVALID_ARGUMENT', /opcode/);
  rejects('sendRawFrame', { id: ID, frame: { ...frame, fin: 1 } }, 'INVALID_ARGUMENT', /fin/);
  rejects('sendRawFrame', { id: ID, frame: { ...frame, maskKey: 'xyz' } }, 'INVALID_ARGUMENT', /maskKey/);
  rejects('sendRawFrame', { id: ID, frame: { ...frame, mask: false } }, 'INVALID_ARGUMENT', /mask/);
  rejects('sendRawFrame', { id: ID, frame: { ...frame, payloadBase64: '!' } }, 'INVALID_ARGUMENT', /base64/);
  rejects('sendRawFrame', { id: ID, frame: { ...frame, lengthEncoding: '8' } });
  rejects('sendRawFrame', { id: ID, frame: { ...frame, payloadBase64: Buffer.alloc(126).toString('base64'), lengthEncoding: '7' } }, 'INVALID_ARGUMENT', /7-bit/);
  rejects('sendRawFrame', { id: ID, frame: { ...frame, extra: true } }, 'INVALID_ARGUMENT', /extra/);
});

test('paging and payload arguments', () => {
  assert.equal(validateCommandArgs('getFrames', { id: ID, fromSeq: 1, limit: 10_000 }).ok, true);
  rejects('getFrames', { id: ID, limit: 0 });
  rejects('getFrames', { id: ID, limit: 10_001 });
  rejects('getMessages', { id: ID, fromSeq: -1 });
  rejects('getMessages', { id: ID, fromSeq: 'x' });
  assert.equal(validateCommandArgs('getPayload', { id: ID, kind: 'frame', seq: 1 }).ok, true);
  rejects('getPayload', { id: ID, kind: 'frames', seq: 1 });
  rejects('getPayload', { id: ID, kind: 'message', seq: 0 });
  rejects('remove', {});
  rejects('remove', { id: ID, extra: 1 });
});

test('utf8ByteLength and base64DecodedLength', () => {
  for (const s of ['', 'a', 'é', '€', '😀', 'a😀b€']) assert.equal(utf8ByteLength(s), Buffer.byteLength(s, 'utf8'), s);
  assert.equal(utf8ByteLength('\uDC00'), -1);
  assert.equal(utf8ByteLength('\uD83D'), -1);
  for (const n of [0, 1, 2, 3, 4, 5, 100]) assert.equal(base64DecodedLength(Buffer.alloc(n).toString('base64')), n);
  assert.equal(base64DecodedLength('A==='), -1);
  assert.equal(base64DecodedLength('AB=C'), -1);
});
