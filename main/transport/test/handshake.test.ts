// The opening handshake against a raw server: the exact request our client writes (RFC 6455 §4.1),
// user headers refused before any socket opens, and every way a server response can be wrong
// (§4.1 items 1–6 of the client's checks), each with its HANDSHAKE_* code and the status line.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startRawPeer, type RawConnection } from '../../../e2e/peers/raw-peer.ts';
import { acceptFor } from '../../../e2e/peers/frames.ts';
import { openProbe, assertOneSentence } from './probe.ts';
import type { ConnectOptions, ErrorCode, HeaderEntry } from '../../../shared/model.ts';

const T = { timeout: 30_000 };
const CRLF = '\r\n';
/** RFC 6455 §4.1 item 7: the key is a base64-encoded 16-byte random nonce. */
const KEY_NONCE_BYTES = 16;
const HEADER_LIMIT = 16 * 1024;

function response(lines: string[]): string {
  return lines.join(CRLF) + CRLF + CRLF;
}

async function requestOf(t: import('node:test').TestContext, options: Omit<ConnectOptions, 'url'>, path = '/chat?room=1') {
  const peer = await startRawPeer(async (c) => {
    await c.accept({ protocol: options.protocols?.[0] });
  }, path);
  t.after(() => peer.stop());
  const p = await openProbe(t, { url: peer.url, ...options }).opened();
  const conn = await peer.waitForConnection();
  const req = await conn.readRequest();
  return { peer, p, conn, req };
}

describe('the request the client writes', () => {
  test('request line, Host with port, Upgrade, Connection, Key, Version', T, async (t) => {
    const { peer, p, req } = await requestOf(t, { deflate: false });
    assert.equal(req.requestLine, 'GET /chat?room=1 HTTP/1.1');
    // RFC 6455 §4.1 item 4 / RFC 7230 §5.4: Host carries the port when it is not the default.
    assert.deepEqual(req.all('host'), [`127.0.0.1:${peer.port}`]);
    assert.equal(req.get('upgrade')?.toLowerCase(), 'websocket');
    assert.ok(req.get('connection')?.split(',').some((tok) => tok.trim().toLowerCase() === 'upgrade'));
    const key = req.get('sec-websocket-key') ?? '';
    assert.match(key, /^[A-Za-z0-9+/]{22}==$/);
    assert.equal(Buffer.from(key, 'base64').length, KEY_NONCE_BYTES);
    assert.deepEqual(req.all('sec-websocket-version'), ['13']);
    assert.equal(req.get('sec-websocket-extensions'), undefined, 'deflate:false must not offer an extension');
    assert.equal(req.get('sec-websocket-protocol'), undefined);
    // No header appears twice by accident.
    const names = req.headers.map((h) => h.name.toLowerCase());
    assert.equal(new Set(names).size, names.length, `duplicate headers: ${names.join(', ')}`);
    // The record the UI shows is exactly what went on the wire.
    assert.equal(p.handshake?.requestText, req.text);
  });

  test('a fresh random key per connection', T, async (t) => {
    const keys = new Set<string>();
    const peer = await startRawPeer((c) => c.accept().then(() => undefined));
    t.after(() => peer.stop());
    for (let i = 0; i < 3; i++) {
      const p = await openProbe(t, { url: peer.url, deflate: false }).opened();
      const conn = await peer.waitForConnection(i + 1);
      keys.add((await conn.readRequest()).get('sec-websocket-key') ?? '');
      p.conn.terminate();
    }
    assert.equal(keys.size, 3);
  });

  test('empty path becomes "/"', T, async (t) => {
    const peer = await startRawPeer((c) => c.accept().then(() => undefined), '');
    t.after(() => peer.stop());
    await openProbe(t, { url: `ws://127.0.0.1:${peer.port}`, deflate: false }).opened();
    const req = await (await peer.waitForConnection()).readRequest();
    assert.equal(req.requestLine, 'GET / HTTP/1.1');
  });

  test('Origin, subprotocols, extension offer and user headers', T, async (t) => {
    const headers: HeaderEntry[] = [
      { name: 'Authorization', value: 'Basic dXNlcjpwYXNz' },
      { name: 'Cookie', value: 'a=1; b=2' },
      { name: 'X-Empty', value: '' },
    ];
    const { req } = await requestOf(t, { origin: 'http://localhost:3000', protocols: ['v2.chat', 'v1.chat'], headers });
    assert.deepEqual(req.all('origin'), ['http://localhost:3000']);
    assert.deepEqual(req.all('sec-websocket-protocol').flatMap((v) => v.split(',').map((s) => s.trim())), ['v2.chat', 'v1.chat']);
    const offer = req.get('sec-websocket-extensions') ?? '';
    assert.match(offer, /^permessage-deflate\b/, 'deflate is on by default (RFC 7692 §5)');
    assert.deepEqual(req.all('authorization'), ['Basic dXNlcjpwYXNz']);
    assert.deepEqual(req.all('cookie'), ['a=1; b=2']);
    assert.deepEqual(req.all('x-empty'), ['']);
  });

  test('a user Host header replaces the URL host (one Host only)', T, async (t) => {
    const { req } = await requestOf(t, { deflate: false, headers: [{ name: 'Host', value: 'virtual.example:8080' }] });
    assert.deepEqual(req.all('host'), ['virtual.example:8080']);
  });
});

describe('forbidden user headers are refused before any socket opens', () => {
  const cases: Array<[string, HeaderEntry]> = [
    ['Upgrade', { name: 'Upgrade', value: 'h2c' }],
    ['Connection', { name: 'Connection', value: 'close' }],
    ['Sec-WebSocket-Key', { name: 'Sec-WebSocket-Key', value: 'AAAAAAAAAAAAAAAAAAAAAA==' }],
    ['Sec-WebSocket-Version', { name: 'sec-websocket-version', value: '8' }],
    ['Sec-WebSocket-Extensions', { name: 'Sec-WebSocket-Extensions', value: 'x-evil' }],
    ['Sec-WebSocket-Protocol', { name: 'Sec-WebSocket-Protocol', value: 'chat' }],
    ['Sec-WebSocket-Accept', { name: 'Sec-WebSocket-Accept', value: 'x' }],
    ['Content-Length', { name: 'Content-Length', value: '5' }],
    ['CRLF injection in a value', { name: 'X-Inject', value: 'a\r\nUpgrade: h2c' }],
    ['LF in a value', { name: 'X-Inject', value: 'a\nb' }],
    ['colon in a name', { name: 'X-Bad:Name', value: 'v' }],
    ['space in a name', { name: 'X Bad', value: 'v' }],
    ['empty name', { name: '', value: 'v' }],
  ];
  for (const [name, header] of cases) {
    test(name, T, async (t) => {
      const peer = await startRawPeer((c) => c.accept().then(() => undefined));
      t.after(() => peer.stop());
      let code: ErrorCode | undefined;
      let message = '';
      let probe: ReturnType<typeof openProbe> | undefined;
      try {
        probe = openProbe(t, { url: peer.url, headers: [header] });
      } catch (err) {
        // Refusing synchronously (a thrown WirechatError) is fine too.
        code = (err as { code?: ErrorCode }).code;
        message = (err as Error).message;
      }
      if (probe) {
        const err = await probe.firstError();
        code = err.code;
        message = err.message;
        await probe.closedInfo();
      }
      assert.equal(code, 'INVALID_HEADER', `got ${code}: ${message}`);
      assert.ok(message.length > 0);
      // Prove no socket was opened: a valid connection afterwards is the peer's FIRST connection.
      const ok = await openProbe(t, { url: peer.url, deflate: false }).opened();
      assert.equal(peer.connections.length, 1, 'a TCP connection was opened for the refused request');
      ok.conn.terminate();
    });
  }
});

interface BadResponse {
  name: string;
  /** Builds the response from the request (so a test can compute a valid Accept when needed). */
  build: (c: RawConnection, key: string) => string;
  code: ErrorCode;
  statusLine: string;
  options?: Partial<ConnectOptions>;
}

const GOOD = (key: string): string[] => ['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Accept: ${acceptFor(key)}`];
const STATUS_101 = 'HTTP/1.1 101 Switching Protocols';

const BAD_RESPONSES: BadResponse[] = [
  { name: '200 instead of 101', build: () => 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello', code: 'HANDSHAKE_STATUS', statusLine: 'HTTP/1.1 200 OK' },
  { name: '404', build: () => response(['HTTP/1.1 404 Not Found', 'Content-Length: 0']), code: 'HANDSHAKE_STATUS', statusLine: 'HTTP/1.1 404 Not Found' },
  { name: '403 with a body, connection kept open', build: () => 'HTTP/1.1 403 Forbidden\r\nContent-Length: 9\r\n\r\nForbidden', code: 'HANDSHAKE_STATUS', statusLine: 'HTTP/1.1 403 Forbidden' },
  { name: '302 redirect', build: () => response(['HTTP/1.1 302 Found', 'Location: ws://elsewhere.invalid/']), code: 'HANDSHAKE_STATUS', statusLine: 'HTTP/1.1 302 Found' },
  { name: '426 Upgrade Required', build: () => response(['HTTP/1.1 426 Upgrade Required', 'Sec-WebSocket-Version: 13']), code: 'HANDSHAKE_STATUS', statusLine: 'HTTP/1.1 426 Upgrade Required' },
  { name: 'Upgrade: h2c', build: (_c, k) => response(GOOD(k).map((l) => (l.startsWith('Upgrade') ? 'Upgrade: h2c' : l))), code: 'HANDSHAKE_UPGRADE', statusLine: STATUS_101 },
  { name: 'no Upgrade header', build: (_c, k) => response(GOOD(k).filter((l) => !l.startsWith('Upgrade'))), code: 'HANDSHAKE_UPGRADE', statusLine: STATUS_101 },
  { name: 'Connection without the upgrade token', build: (_c, k) => response(GOOD(k).map((l) => (l.startsWith('Connection') ? 'Connection: keep-alive' : l))), code: 'HANDSHAKE_CONNECTION', statusLine: STATUS_101 },
  { name: 'no Connection header', build: (_c, k) => response(GOOD(k).filter((l) => !l.startsWith('Connection'))), code: 'HANDSHAKE_CONNECTION', statusLine: STATUS_101 },
  { name: 'wrong Sec-WebSocket-Accept', build: (_c, k) => response(GOOD(k).map((l) => (l.startsWith('Sec-WebSocket-Accept') ? `Sec-WebSocket-Accept: ${acceptFor('x' + k)}` : l))), code: 'HANDSHAKE_ACCEPT', statusLine: STATUS_101 },
  { name: 'missing Sec-WebSocket-Accept', build: (_c, k) => response(GOOD(k).filter((l) => !l.startsWith('Sec-WebSocket-Accept'))), code: 'HANDSHAKE_ACCEPT', statusLine: STATUS_101 },
  { name: 'subprotocol that was not offered', build: (_c, k) => response([...GOOD(k), 'Sec-WebSocket-Protocol: evil']), code: 'HANDSHAKE_PROTOCOL', statusLine: STATUS_101, options: { protocols: ['chat'] } },
  { name: 'subprotocol when none was offered', build: (_c, k) => response([...GOOD(k), 'Sec-WebSocket-Protocol: chat']), code: 'HANDSHAKE_PROTOCOL', statusLine: STATUS_101 },
  { name: 'two subprotocols selected', build: (_c, k) => response([...GOOD(k), 'Sec-WebSocket-Protocol: a, b']), code: 'HANDSHAKE_PROTOCOL', statusLine: STATUS_101, options: { protocols: ['a', 'b'] } },
  { name: 'extension that was not offered', build: (_c, k) => response([...GOOD(k), 'Sec-WebSocket-Extensions: x-webkit-deflate-frame']), code: 'HANDSHAKE_EXTENSION', statusLine: STATUS_101 },
  { name: 'permessage-deflate when deflate was off', build: (_c, k) => response([...GOOD(k), 'Sec-WebSocket-Extensions: permessage-deflate']), code: 'HANDSHAKE_EXTENSION', statusLine: STATUS_101, options: { deflate: false } },
  { name: 'server_max_window_bits=7 (below 8)', build: (_c, k) => response([...GOOD(k), 'Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=7']), code: 'HANDSHAKE_EXTENSION', statusLine: STATUS_101 },
  { name: 'server_max_window_bits=16 (above 15)', build: (_c, k) => response([...GOOD(k), 'Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=16']), code: 'HANDSHAKE_EXTENSION', statusLine: STATUS_101 },
  { name: 'server_max_window_bits without a value', build: (_c, k) => response([...GOOD(k), 'Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits']), code: 'HANDSHAKE_EXTENSION', statusLine: STATUS_101 },
  { name: 'server_max_window_bits=abc', build: (_c, k) => response([...GOOD(k), 'Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=abc']), code: 'HANDSHAKE_EXTENSION', statusLine: STATUS_101 },
  { name: 'unknown deflate parameter', build: (_c, k) => response([...GOOD(k), 'Sec-WebSocket-Extensions: permessage-deflate; x_unknown=1']), code: 'HANDSHAKE_EXTENSION', statusLine: STATUS_101 },
  { name: 'server_no_context_takeover with a value', build: (_c, k) => response([...GOOD(k), 'Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover=1']), code: 'HANDSHAKE_EXTENSION', statusLine: STATUS_101 },
  { name: 'duplicate deflate parameter', build: (_c, k) => response([...GOOD(k), 'Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; server_no_context_takeover']), code: 'HANDSHAKE_EXTENSION', statusLine: STATUS_101 },
  { name: 'permessage-deflate accepted twice', build: (_c, k) => response([...GOOD(k), 'Sec-WebSocket-Extensions: permessage-deflate, permessage-deflate']), code: 'HANDSHAKE_EXTENSION', statusLine: STATUS_101 },
  {
    name: `header block larger than ${HEADER_LIMIT} bytes`,
    build: (_c, k) => response([...GOOD(k), ...Array.from({ length: 200 }, (_, i) => `X-Filler-${i}: ${'f'.repeat(100)}`)]),
    code: 'HANDSHAKE_TOO_LARGE',
    statusLine: STATUS_101,
  },
];

describe('bad handshake responses', () => {
  for (const b of BAD_RESPONSES) {
    test(`${b.name} -> ${b.code}`, T, async (t) => {
      const peer = await startRawPeer(async (c) => {
        const req = await c.readRequest();
        await c.write(b.build(c, req.get('sec-websocket-key') ?? ''));
      });
      t.after(() => peer.stop());
      const p = openProbe(t, { url: peer.url, ...b.options });
      const err = await p.firstError();
      assert.equal(err.code, b.code, `message: ${err.message}`);
      assert.ok(err.message.includes(b.statusLine), `message lacks the status line "${b.statusLine}": ${err.message}`);
      const info = await p.closedInfo();
      assert.equal(info.code, 1006, 'a failed handshake is reported as 1006 (RFC 6455 §7.1.5), never sent');
      assert.equal(info.wasClean, false);
      assert.equal(p.states.includes('OPEN'), false);
      // Nothing but the request went out: no close frame on a connection that never opened.
      const conn = await peer.waitForConnection();
      assert.equal(conn.received.length, 0, `client sent ${conn.received.length} bytes after a failed handshake`);
      if (b.code === 'HANDSHAKE_STATUS') {
        assert.equal(p.handshake?.statusCode, Number(b.statusLine.split(' ')[1]));
        assert.ok(p.handshake?.responseText.startsWith(b.statusLine));
      }
    });
  }

  test('a header block that never ends is cut at the limit, not waited for', T, async (t) => {
    const peer = await startRawPeer(async (c) => {
      const req = await c.readRequest();
      await c.write(GOOD(req.get('sec-websocket-key') ?? '').join(CRLF) + CRLF);
      // Keep writing header lines without the blank line; stop as soon as the client leaves.
      for (let i = 0; i < 400 && !c.ended && !c.socket.destroyed; i++) {
        await c.write(`X-Endless-${i}: ${'e'.repeat(100)}${CRLF}`).catch(() => undefined);
      }
    });
    t.after(() => peer.stop());
    const p = openProbe(t, { url: peer.url, handshakeTimeoutMs: 60_000 });
    const err = await p.firstError();
    assert.equal(err.code, 'HANDSHAKE_TOO_LARGE', err.message);
  });

  test('handshake failure messages are one line (model.ts: "one human sentence" with the status line)', T, async (t) => {
    for (const build of [() => response(['HTTP/1.1 404 Not Found', 'Content-Length: 0']), (k: string) => response(GOOD('x' + k))]) {
      const peer = await startRawPeer(async (c) => {
        const req = await c.readRequest();
        await c.write(build(req.get('sec-websocket-key') ?? ''));
      });
      t.after(() => peer.stop());
      const p = openProbe(t, { url: peer.url });
      const err = await p.firstError();
      // The full response stays available in HandshakeRecord.responseText for the UI.
      assertOneSentence(err.message, peer.port);
    }
  });

  test('garbage instead of an HTTP status line -> HANDSHAKE_MALFORMED', T, async (t) => {
    const peer = await startRawPeer(async (c) => {
      await c.readRequest();
      await c.write('SSH-2.0-OpenSSH_9.2\r\n\r\n');
    });
    t.after(() => peer.stop());
    const p = openProbe(t, { url: peer.url });
    const err = await p.firstError();
    assert.equal(err.code, 'HANDSHAKE_MALFORMED', err.message);
    assert.equal((await p.closedInfo()).code, 1006);
  });

  test('server closes TCP in the middle of the response -> error, 1006', T, async (t) => {
    const peer = await startRawPeer(async (c) => {
      await c.readRequest();
      await c.write('HTTP/1.1 101 Switching Pro');
      c.end();
    });
    t.after(() => peer.stop());
    const p = openProbe(t, { url: peer.url });
    const err = await p.firstError();
    assert.ok(err.code.startsWith('HANDSHAKE_') || err.code === 'NETWORK', `code ${err.code}: ${err.message}`);
    const info = await p.closedInfo();
    assert.equal(info.code, 1006);
    assert.equal(info.wasClean, false);
  });
});

describe('responses that are unusual but valid', () => {
  const variants: Array<[string, (k: string) => string]> = [
    ['Upgrade: WebSocket and CONNECTION: UPGRADE (case-insensitive, RFC 6455 §4.1)', (k) => response(['HTTP/1.1 101 Switching Protocols', 'Upgrade: WebSocket', 'CONNECTION: UPGRADE', `sec-websocket-accept: ${acceptFor(k)}`])],
    ['no space after the colons (RFC 7230 §3.2: OWS is optional)', (k) => response(['HTTP/1.1 101 Switching Protocols', 'Upgrade:websocket', 'Connection:Upgrade', `Sec-WebSocket-Accept:${acceptFor(k)}`])],
    ['Connection: keep-alive, Upgrade (token list)', (k) => response(['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: keep-alive, Upgrade', `Sec-WebSocket-Accept: ${acceptFor(k)}`])],
    ['another reason phrase and extra headers', (k) => response(['HTTP/1.1 101 Web Socket Protocol Handshake', 'Server: test', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Accept:    ${acceptFor(k)}   `, 'X-Extra: 1'])],
    ['permessage-deflate with server_max_window_bits=8 (RFC 7692 §7.1.2.1 lower bound)', (k) => response([...GOOD(k), 'Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=8'])],
    ['parameter with a quoted value', (k) => response([...GOOD(k), 'Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits="10"'])],
  ];
  for (const [name, build] of variants) {
    test(name, T, async (t) => {
      const peer = await startRawPeer(async (c) => {
        const req = await c.readRequest();
        await c.write(build(req.get('sec-websocket-key') ?? ''));
      });
      t.after(() => peer.stop());
      await openProbe(t, { url: peer.url }).opened();
    });
  }
  test('response split into many small writes', T, async (t) => {
    const peer = await startRawPeer(async (c) => {
      const req = await c.readRequest();
      c.socket.setNoDelay(true);
      const bytes = Buffer.from(response([...GOOD(req.get('sec-websocket-key') ?? ''), 'Sec-WebSocket-Protocol: chat']), 'latin1');
      for (let i = 0; i < bytes.length; i += 3) await c.write(bytes.subarray(i, i + 3));
    });
    t.after(() => peer.stop());
    const p = await openProbe(t, { url: peer.url, protocols: ['chat'] }).opened();
    assert.equal(p.handshake?.protocol, 'chat');
    assert.equal(p.handshake?.statusCode, 101);
  });
});
