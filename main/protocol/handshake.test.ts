// RFC 6455 §4 opening handshake: the request we write and every rule for the response, fed whole,
// split at every byte, and with frames in the same chunk as the header block.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Opcode } from '../../shared/protocol-constants.ts';
import { ClientProtocol } from './client-protocol.ts';
import { base64, expectedAccept, parseResponseHead, ResponseReader } from './handshake.ts';
import { acceptFor, concat, latin1, Recorder, response101, serverFrame, sha1, started, testEnv, url } from './test/harness.ts';

test('RFC 6455 §1.3 key vector', () => {
  assert.equal(expectedAccept('dGhlIHNhbXBsZSBub25jZQ==', sha1), 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
});

test('base64 matches Buffer for every length 0–40', () => {
  const bytes = new Uint8Array(40).map((_, i) => (i * 37 + 11) & 0xff);
  for (let n = 0; n <= 40; n++) assert.equal(base64(bytes.subarray(0, n)), Buffer.from(bytes.subarray(0, n)).toString('base64'));
});

describe('request', () => {
  test('request line and headers in order; Host with port only when not default', () => {
    const { rec, key } = started({ url: url('ws://example.com:8080/chat?room=1'), origin: 'https://app.example', protocols: ['v2', 'v1'], deflate: true, headers: [{ name: 'Authorization', value: 'Bearer t' }] });
    const text = Buffer.from(rec.writes[0]).toString('latin1');
    assert.equal(text, [
      'GET /chat?room=1 HTTP/1.1',
      'Host: example.com:8080',
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${key}`,
      'Sec-WebSocket-Version: 13',
      'Origin: https://app.example',
      'Sec-WebSocket-Protocol: v2, v1',
      'Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits',
      'Authorization: Bearer t',
      '', ''].join('\r\n'));
    assert.equal(Buffer.from(key, 'base64').length, 16);
    const s2 = started({ url: url('wss://example.com/') });
    assert.match(Buffer.from(s2.rec.writes[0]).toString('latin1'), /\r\nHost: example\.com\r\n/);
    assert.doesNotMatch(Buffer.from(s2.rec.writes[0]).toString('latin1'), /Extensions/);
  });
  test('a fresh key per connection', () => {
    const env = testEnv();
    const a = started({}, env);
    const b = started({}, env);
    assert.notEqual(a.key, b.key);
  });
  test('user Host header replaces ours; invalid headers and protocols throw before anything is written', () => {
    const { rec } = started({ headers: [{ name: 'host', value: 'virtual.example' }] });
    const text = Buffer.from(rec.writes[0]).toString('latin1');
    assert.equal(text.match(/^host:/gim)?.length, 1);
    assert.match(text, /\r\nHost: virtual\.example\r\n/);
    const mk = (o: object) => () => new ClientProtocol({ url: url(), deflate: false, ...o }, testEnv(), new Recorder());
    assert.throws(mk({ headers: [{ name: 'Sec-WebSocket-Key', value: 'x' }] }), (e: Error & { code?: string }) => e.code === 'INVALID_HEADER');
    assert.throws(mk({ headers: [{ name: 'X', value: 'a\r\nb' }] }), (e: Error & { code?: string }) => e.code === 'INVALID_HEADER');
    assert.throws(mk({ protocols: ['a b'] }), (e: Error & { code?: string }) => e.code === 'INVALID_OPTIONS');
  });
});

test('deflate offered without an engine is our misuse', () => {
  const env = { ...testEnv(), compression: undefined };
  assert.throws(() => new ClientProtocol({ url: url(), deflate: true }, env, new Recorder()), /compression engine/);
});

function failsWith(responseText: string | ((key: string) => string), code: string, re: RegExp, opts: object = {}) {
  const { core, rec, key } = started(opts);
  const text = typeof responseText === 'string' ? responseText : responseText(key);
  core.receiveData(latin1(text));
  assert.equal(core.state, 'CLOSED', `${code}: state`);
  assert.equal(rec.errors.length, 1);
  assert.equal(rec.errors[0].code, code);
  assert.match(rec.errors[0].message, re);
  assert.equal(rec.errors[0].closeCode, 1006);
  assert.doesNotMatch(rec.errors[0].message, /[\r\n]/, 'one line');
  // The error includes the status line and the headers.
  const statusLine = text.split('\r\n')[0];
  if (statusLine.startsWith('HTTP/')) assert.ok(rec.errors[0].message.includes(statusLine), 'status line in the message');
  // The handshake record is emitted on failure too, with the response as received.
  const hs = rec.handshake;
  assert.ok(hs);
  assert.ok(hs.requestText.startsWith('GET /chat HTTP/1.1\r\n'));
  assert.ok(hs.responseText.length > 0);
  assert.deepEqual(rec.states, ['CLOSED']);
  assert.equal(rec.close?.code, 1006);
  assert.equal(rec.writes.length, 1, 'nothing written after the request (no close frame before OPEN)');
}

describe('response validation', () => {
  const ok = (key: string, extra: string[] = []) => response101(key, extra);
  test('status other than 101 → HANDSHAKE_STATUS with status line and headers in the message', () => {
    failsWith('HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nX-Why: no route\r\n\r\nbody', 'HANDSHAKE_STATUS', /404 Not Found \| Content-Type: text\/plain \| X-Why: no route$/);
    failsWith('HTTP/1.1 200 OK\r\n\r\n', 'HANDSHAKE_STATUS', /200 OK/);
    failsWith('HTTP/1.1 426 Upgrade Required\r\nSec-WebSocket-Version: 13\r\n\r\n', 'HANDSHAKE_STATUS', /426 Upgrade Required/);
  });
  test('odd reason phrases are fine', () => {
    for (const reason of ['', ' ', 'Web Socket Protocol Handshake', 'ÿ weird ✓'.replace('✓', 'x')]) {
      const { core, rec, key } = started();
      core.receiveData(latin1(ok(key).replace('Switching Protocols', reason)));
      assert.equal(core.state, 'OPEN', JSON.stringify(rec.errors));
    }
    const { core, key } = started();
    core.receiveData(latin1(ok(key).replace(' Switching Protocols', '')));
    assert.equal(core.state, 'OPEN');
  });
  test('Upgrade must be websocket (case-insensitive)', () => {
    failsWith((k) => ok(k).replace('Upgrade: websocket', 'Upgrade: h2c'), 'HANDSHAKE_UPGRADE', /Upgrade: h2c/);
    failsWith((k) => ok(k).replace('Upgrade: websocket\r\n', ''), 'HANDSHAKE_UPGRADE', /no Upgrade header/);
    const { core, key } = started();
    core.receiveData(latin1(ok(key).replace('Upgrade: websocket', 'UPGRADE: WebSocket')));
    assert.equal(core.state, 'OPEN');
  });
  test('Connection must include the upgrade token', () => {
    failsWith((k) => ok(k).replace('Connection: Upgrade', 'Connection: keep-alive'), 'HANDSHAKE_CONNECTION', /keep-alive/);
    failsWith((k) => ok(k).replace('Connection: Upgrade\r\n', ''), 'HANDSHAKE_CONNECTION', /no Connection header/);
    const { core, key } = started();
    core.receiveData(latin1(ok(key).replace('Connection: Upgrade', 'connection: keep-alive, UPGRADE')));
    assert.equal(core.state, 'OPEN');
  });
  test('Sec-WebSocket-Accept must match base64(SHA-1(key + GUID))', () => {
    failsWith((k) => ok(k).replace(acceptFor(k), 's3pPLMBiTxaQ9kYGzzhZRbK+xOo='), 'HANDSHAKE_ACCEPT', /expected/);
    failsWith((k) => ok(k).replace(`Sec-WebSocket-Accept: ${acceptFor(k)}\r\n`, ''), 'HANDSHAKE_ACCEPT', /missing/);
    failsWith((k) => ok(k, [`Sec-WebSocket-Accept: ${acceptFor(k)}`]), 'HANDSHAKE_ACCEPT', /more than once/);
  });
  test('subprotocol: only one we offered, exact case', () => {
    failsWith((k) => ok(k, ['Sec-WebSocket-Protocol: chat']), 'HANDSHAKE_PROTOCOL', /offered none/);
    failsWith((k) => ok(k, ['Sec-WebSocket-Protocol: Chat']), 'HANDSHAKE_PROTOCOL', /did not offer/, { protocols: ['chat'] });
    failsWith((k) => ok(k, ['Sec-WebSocket-Protocol: a, b']), 'HANDSHAKE_PROTOCOL', /more than one/, { protocols: ['a', 'b'] });
    const { core, rec, key } = started({ protocols: ['a', 'b'] });
    core.receiveData(latin1(ok(key, ['Sec-WebSocket-Protocol: b'])));
    assert.equal(core.state, 'OPEN');
    assert.equal(rec.handshake?.protocol, 'b');
    const none = started({ protocols: ['a'] });
    none.core.receiveData(latin1(ok(none.key)));
    assert.equal(none.core.state, 'OPEN', 'the server may select no subprotocol');
  });
  test('extensions: not offered, unknown, or invalid parameters', () => {
    failsWith((k) => ok(k, ['Sec-WebSocket-Extensions: permessage-deflate']), 'HANDSHAKE_EXTENSION', /did not offer/);
    failsWith((k) => ok(k, ['Sec-WebSocket-Extensions: x-webkit-deflate-frame']), 'HANDSHAKE_EXTENSION', /x-webkit-deflate-frame/, { deflate: true });
    failsWith((k) => ok(k, ['Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=7']), 'HANDSHAKE_EXTENSION', /server_max_window_bits=7/, { deflate: true });
  });
  test('malformed responses', () => {
    failsWith('SSH-2.0-OpenSSH_9.2\r\n\r\n', 'HANDSHAKE_MALFORMED', /status line/);
    failsWith((k) => ok(k).replace('Upgrade: websocket', 'Upgrade websocket'), 'HANDSHAKE_MALFORMED', /malformed/);
    failsWith((k) => ok(k).replace('Upgrade: websocket', 'Upgrade: websocket\r\n folded'), 'HANDSHAKE_MALFORMED', /folded/);
    failsWith((k) => ok(k).replace('HTTP/1.1', 'HTTP/1.0'), 'HANDSHAKE_MALFORMED', /HTTP\/1\.0/);
  });
  test('header block larger than the limit → HANDSHAKE_TOO_LARGE without unbounded buffering', () => {
    const { core, rec, key } = started({ maxHandshakeHeaderBytes: 200 });
    const big = ok(key, [`X-Pad: ${'a'.repeat(300)}`]);
    for (let i = 0; i < big.length && core.state === 'CONNECTING'; i += 7) core.receiveData(latin1(big.slice(i, i + 7)));
    assert.equal(rec.errors[0]?.code, 'HANDSHAKE_TOO_LARGE');
    assert.ok(rec.handshake!.responseText.length <= 200);
    // Exactly at the limit is accepted.
    const s = started();
    const exact = ok(s.key);
    const t = started({ maxHandshakeHeaderBytes: exact.length });
    t.core.receiveData(latin1(response101(t.key)));
    assert.equal(t.core.state, 'OPEN');
  });
  test('server speaking before the request, and EOF during the handshake', () => {
    const rec = new Recorder();
    const core = new ClientProtocol({ url: url(), deflate: false }, testEnv(), rec);
    core.receiveData(latin1('HTTP/1.1 101\r\n\r\n'));
    assert.equal(rec.errors[0].code, 'HANDSHAKE_MALFORMED');
    const s = started();
    s.core.receiveData(latin1('HTTP/1.1 101 Swi'));
    s.core.receiveEof();
    assert.equal(s.rec.errors[0].code, 'NETWORK');
    assert.equal(s.rec.handshake?.responseText, 'HTTP/1.1 101 Swi', 'partial response kept');
  });
});

test('the response split at every byte, with frames after the header block in the same chunk', () => {
  const env = testEnv();
  const probe = started({}, env);
  const resp = response101(probe.key, ['Server: test']);
  const frames = concat(serverFrame({ opcode: Opcode.Text, payload: 'first' }), serverFrame({ opcode: Opcode.Binary, payload: new Uint8Array([1, 2, 3]) }));
  for (let k = 0; k <= resp.length + frames.length; k++) {
    const { core, rec, key } = started();
    const all = concat(latin1(response101(key, ['Server: test'])), frames);
    if (k > 0) core.receiveData(all.subarray(0, k));
    core.receiveData(all.subarray(k));
    assert.equal(core.state, 'OPEN', `split ${k}: ${JSON.stringify(rec.errors)}`);
    assert.deepEqual(rec.messagesIn.map((m) => m.kind), ['text', 'binary'], `split ${k}`);
    assert.equal(rec.messagesIn[0].text, 'first');
    const hs = rec.handshake!;
    assert.equal(hs.statusCode, 101);
    assert.equal(hs.statusText, 'Switching Protocols');
    assert.ok(hs.responseText.endsWith('\r\n\r\n'));
    assert.ok(!hs.responseText.includes('first'), 'frames are not part of the header text');
    assert.deepEqual(hs.responseHeaders.find((h) => h.name === 'Server'), { name: 'Server', value: 'test' });
    assert.equal(typeof hs.timings.handshakeMs, 'number');
  }
});

test('close() from the OPEN event still lets frames of the same chunk through (CLOSING receives)', () => {
  const rec = new Recorder();
  let core: ClientProtocol | null = null;
  const sink = Object.assign(Object.create(rec) as Recorder, {
    onState(state: string, close?: unknown) {
      rec.onState(state as 'OPEN', close as undefined);
      if (state === 'OPEN') core!.close(1000);
    },
  });
  core = new ClientProtocol({ url: url(), deflate: false }, testEnv(), sink);
  core.start();
  const key = /Sec-WebSocket-Key: (.+)\r\n/.exec(Buffer.from(rec.writes[0]).toString('latin1'))![1];
  core.receiveData(concat(latin1(response101(key)), serverFrame({ opcode: Opcode.Text, payload: 'early' })));
  assert.equal(core.state, 'CLOSING');
  assert.deepEqual(rec.messagesIn.map((m) => m.text), ['early']);
});

test('events on success: handshake, then OPEN, then frames', () => {
  const { core, rec, key } = started();
  core.receiveData(concat(latin1(response101(key)), serverFrame({ opcode: Opcode.Text, payload: 'x' })));
  assert.deepEqual(rec.log.filter((r) => r.type !== 'write').map((r) => r.type === 'state' ? r.state : r.type), ['handshake', 'OPEN', 'frame', 'message']);
});

test('ResponseReader accepts bare LF line ends and parseResponseHead trims OWS', () => {
  const r = new ResponseReader(1000);
  const out = r.push(latin1('HTTP/1.1 101 OK\nUpgrade:   websocket  \n\nrest'));
  assert.ok(typeof out === 'object');
  assert.equal(Buffer.from(out.rest).toString(), 'rest');
  const p = parseResponseHead(Buffer.from(out.head).toString('latin1'));
  assert.ok(p.ok);
  assert.deepEqual(p.value.headers, [{ name: 'Upgrade', value: 'websocket' }]);
});
