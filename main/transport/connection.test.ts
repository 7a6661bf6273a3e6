// The transport against real sockets on 127.0.0.1: the `ws` WebSocketServer (a server we did not
// write) and raw node:net servers sending crafted bytes. Every test waits for conditions, never
// for time, and closes what it opened.

import { test, describe } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { createHash } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ConnectOptions } from '../../shared/model.ts';
import { WS_GUID } from '../../shared/protocol-constants.ts';
import { connect } from './connection.ts';
import type { Connection, ConnectionEvent } from './types.ts';

const WAIT_MS = 10_000;

/** Records a connection's events and lets a test wait for a condition on them. */
class Watch {
  readonly events: ConnectionEvent[] = [];
  private wake: (() => void)[] = [];
  constructor(readonly conn: Connection) {
    conn.on((e) => {
      this.events.push(e);
      for (const w of this.wake.splice(0)) w();
    });
  }
  until<T>(what: string, check: () => T | undefined | false): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), WAIT_MS);
      const probe = () => {
        const v = check();
        if (v) { clearTimeout(timer); resolve(v); } else this.wake.push(probe);
      };
      probe();
    });
  }
  state(s: string) { return this.until(`state ${s}`, () => this.events.find((e) => e.type === 'state' && e.state === s)); }
  closed() { return this.until('CLOSED', () => { const e = this.events.find((x) => x.type === 'state' && x.state === 'CLOSED'); return e?.type === 'state' ? e.close : undefined; }); }
  messagesIn() { return this.events.flatMap((e) => (e.type === 'message' && e.message.dir === 'in' ? [e.message] : [])); }
  errors() { return this.events.flatMap((e) => (e.type === 'error' ? [e.error] : [])); }
}

async function wsServer(t: TestContext, opts: ConstructorParameters<typeof WebSocketServer>[0] = {}) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, ...opts });
  await once(wss, 'listening');
  t.after(() => new Promise<void>((r) => { for (const c of wss.clients) c.terminate(); wss.close(() => r()); }));
  return { wss, url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}` };
}

function open(t: TestContext, options: ConnectOptions): Watch {
  const w = new Watch(connect(options));
  t.after(() => w.conn.terminate());
  return w;
}

async function rawServer(t: TestContext, onSocket: (s: Socket, request: string) => void) {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
    let buf = '';
    const onData = (d: Buffer) => {
      buf += d.toString('latin1');
      const end = buf.indexOf('\r\n\r\n');
      if (end >= 0) { s.off('data', onData); onSocket(s, buf.slice(0, end + 4)); }
    };
    s.on('data', onData);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => new Promise<void>((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }));
  return `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function accept101(request: string, extra = ''): string {
  const key = /Sec-WebSocket-Key: (.+)\r\n/.exec(request)![1];
  const acc = createHash('sha1').update(key + WS_GUID).digest('base64');
  return `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${acc}\r\n${extra}\r\n`;
}

describe('against the ws WebSocketServer', () => {
  for (const deflate of [false, true]) {
    test(`handshake, text and binary echo, fragmentation, clean close (deflate ${deflate})`, async (t) => {
      const { wss, url } = await wsServer(t, { perMessageDeflate: deflate ? { threshold: 0 } : false, handleProtocols: (p) => (p.has('b') ? 'b' : false) });
      wss.on('connection', (ws: WebSocket) => ws.on('message', (d, isBinary) => ws.send(d, { binary: isBinary })));
      const w = open(t, { url: `${url}/echo?x=1`, protocols: ['a', 'b'], deflate });
      await w.state('OPEN');
      const hs = w.conn.handshake!;
      assert.equal(hs.statusCode, 101);
      assert.equal(hs.protocol, 'b');
      assert.equal(hs.remoteAddress, '127.0.0.1');
      assert.equal(typeof hs.timings.tcpMs, 'number');
      assert.equal(typeof hs.timings.handshakeMs, 'number');
      assert.ok(hs.requestText.startsWith('GET /echo?x=1 HTTP/1.1\r\n'));
      assert.equal(hs.deflate !== undefined, deflate);
      const big = 'ä€😀'.repeat(5000);
      w.conn.sendText('hello');
      w.conn.sendBinary(new Uint8Array([0, 1, 2, 255]));
      w.conn.sendText(big, { fragmentSize: 1000 });
      w.conn.sendBinary(new Uint8Array(70_000).map((_, i) => i % 253));
      const msgs = await w.until('4 echoes', () => (w.messagesIn().length >= 4 ? w.messagesIn() : undefined));
      assert.equal(msgs[0].text, 'hello');
      assert.deepEqual([...msgs[1].data], [0, 1, 2, 255]);
      assert.equal(msgs[2].text, big);
      assert.deepEqual(msgs[3].data, new Uint8Array(70_000).map((_, i) => i % 253));
      assert.equal(msgs[3].compressed, deflate);
      const outFrames = w.events.flatMap((e) => (e.type === 'frame' && e.frame.dir === 'out' ? [e.frame] : []));
      assert.ok(outFrames.every((f) => f.masked && f.maskKey?.length === 4));
      w.conn.close(1000, 'bye');
      const close = await w.closed();
      assert.deepEqual(close, { code: 1000, reason: 'bye', wasClean: true, initiatedBy: 'client' });
      assert.deepEqual(w.errors(), []);
    });
  }

  test('server-initiated close with a code and reason; server pings are answered', async (t) => {
    const { wss, url } = await wsServer(t);
    wss.on('connection', (ws: WebSocket) => {
      ws.ping('are you there');
      ws.on('pong', (d) => ws.close(4001, `got ${d.toString()}`));
    });
    const w = open(t, { url });
    const close = await w.closed();
    assert.deepEqual(close, { code: 4001, reason: 'got are you there', wasClean: true, initiatedBy: 'server' });
  });

  test('backpressure: bufferedAmount grows while the server does not read, then drain', async (t) => {
    const { wss, url } = await wsServer(t);
    let serverSocket: WebSocket | undefined;
    wss.on('connection', (ws: WebSocket) => { serverSocket = ws; (ws as unknown as { _socket: Socket })._socket.pause(); });
    const w = open(t, { url, deflate: false });
    await w.state('OPEN');
    await w.until('server socket', () => serverSocket);
    const chunk = new Uint8Array(1024 * 1024);
    let buffered = 0;
    for (let i = 0; i < 64 && buffered === 0; i++) buffered = w.conn.sendBinary(chunk);
    for (let i = 0; i < 8; i++) buffered = w.conn.sendBinary(chunk);
    assert.ok(buffered > 0, 'bufferedAmount reported');
    assert.equal(w.conn.bufferedAmount, buffered);
    (serverSocket as unknown as { _socket: Socket })._socket.resume();
    await w.until('drain', () => w.events.some((e) => e.type === 'drain'));
    assert.equal(w.conn.bufferedAmount, 0);
  });
});

describe('crafted servers', () => {
  test('frames in the same TCP write as the 101 response reach the parser', async (t) => {
    const url = await rawServer(t, (s, req) => s.write(Buffer.concat([Buffer.from(accept101(req), 'latin1'), Buffer.from([0x81, 0x02, 0x68, 0x69])])));
    const w = open(t, { url, deflate: false });
    const m = await w.until('message', () => w.messagesIn()[0]);
    assert.equal(m.text, 'hi');
  });

  test('404 → HANDSHAKE_STATUS with the status line; handshake event emitted', async (t) => {
    const url = await rawServer(t, (s) => s.end('HTTP/1.1 404 Not Found\r\nX-Reason: nope\r\n\r\n'));
    const w = open(t, { url });
    const close = await w.closed();
    assert.equal(close.code, 1006);
    const err = w.errors()[0];
    assert.equal(err.code, 'HANDSHAKE_STATUS');
    assert.match(err.message, /HTTP\/1\.1 404 Not Found[\s\S]*X-Reason: nope/);
    assert.ok(w.events.some((e) => e.type === 'handshake' && e.handshake.statusCode === 404));
  });

  test('server never answers our close → CLOSE_TIMEOUT, 1006', async (t) => {
    const url = await rawServer(t, (s, req) => { s.write(accept101(req)); s.resume(); });
    const w = open(t, { url, deflate: false, closeTimeoutMs: 200 });
    await w.state('OPEN');
    w.conn.close(1000);
    const close = await w.closed();
    assert.deepEqual(close, { code: 1006, reason: '', wasClean: false, initiatedBy: 'client' });
    assert.equal(w.errors()[0].code, 'CLOSE_TIMEOUT');
  });

  test('server replies to close but keeps TCP open → clean close after the close timeout', async (t) => {
    const url = await rawServer(t, (s, req) => {
      s.write(accept101(req));
      s.on('data', (d: Buffer) => { if ((d[0] & 0x0f) === 0x8) s.write(Buffer.from([0x88, 0x02, 0x03, 0xe8])); });
    });
    const w = open(t, { url, deflate: false, closeTimeoutMs: 200 });
    await w.state('OPEN');
    w.conn.close(1000);
    const close = await w.closed();
    assert.deepEqual(close, { code: 1000, reason: '', wasClean: true, initiatedBy: 'client' });
  });

  test('keepalive: pings go out; no pong → KEEPALIVE_TIMEOUT and the TCP connection is dropped', async (t) => {
    const url = await rawServer(t, (s, req) => { s.write(accept101(req)); s.resume(); });
    const w = open(t, { url, deflate: false, keepaliveIntervalSec: 0.05, keepaliveTimeoutSec: 0.1 });
    const close = await w.closed();
    assert.equal(close.code, 1006);
    assert.equal(w.errors()[0].code, 'KEEPALIVE_TIMEOUT');
    assert.ok(w.events.some((e) => e.type === 'frame' && e.frame.dir === 'out' && e.frame.opcode === 0x9));
  });

  test('keepalive with a server that answers pings stays open', async (t) => {
    const { wss, url } = await wsServer(t);
    wss.on('connection', () => undefined); // ws answers pings automatically
    const w = open(t, { url, keepaliveIntervalSec: 0.02, keepaliveTimeoutSec: 1 });
    await w.until('three pongs', () => w.events.filter((e) => e.type === 'frame' && e.frame.dir === 'in' && e.frame.opcode === 0xa).length >= 3);
    assert.equal(w.conn.state, 'OPEN');
    assert.deepEqual(w.errors(), []);
  });

  test('TCP loss without a close frame → 1006 NETWORK', async (t) => {
    const url = await rawServer(t, (s, req) => { s.write(accept101(req)); setImmediate(() => s.destroy()); });
    const w = open(t, { url, deflate: false });
    const close = await w.closed();
    assert.deepEqual(close, { code: 1006, reason: '', wasClean: false, initiatedBy: 'none' });
    assert.equal(w.errors()[0].code, 'NETWORK');
  });

  test('terminate() drops without a close frame; close() while CONNECTING cancels', async (t) => {
    const url = await rawServer(t, (s, req) => s.write(accept101(req)));
    const w = open(t, { url, deflate: false });
    await w.state('OPEN');
    w.conn.terminate();
    assert.deepEqual(await w.closed(), { code: 1006, reason: '', wasClean: false, initiatedBy: 'client' });
    const w2 = open(t, { url, deflate: false });
    w2.conn.close();
    assert.equal((await w2.closed()).initiatedBy, 'client');
    assert.deepEqual(w2.errors(), []);
  });
});

test('connection refused → REFUSED with plain words', async (t) => {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  const w = open(t, { url: `ws://127.0.0.1:${port}/` });
  const close = await w.closed();
  assert.equal(close.code, 1006);
  assert.equal(w.errors()[0].code, 'REFUSED');
  assert.match(w.errors()[0].message, /refused/);
  assert.ok(w.events.some((e) => e.type === 'handshake'), 'handshake record on failure too');
});

test('invalid options throw before any socket opens', () => {
  const code = (f: () => unknown) => { try { f(); } catch (e) { return (e as { code?: string }).code; } return 'no throw'; };
  assert.equal(code(() => connect({ url: 'http://x/' })), 'INVALID_URL');
  assert.equal(code(() => connect({ url: 'ws://x/', headers: [{ name: 'Upgrade', value: 'x' }] })), 'INVALID_HEADER');
  assert.equal(code(() => connect({ url: 'ws://x/', protocols: ['a,b'] })), 'INVALID_OPTIONS');
  assert.equal(code(() => connect({ url: 'ws://x/', handshakeTimeoutMs: -1 })), 'INVALID_OPTIONS');
  assert.equal(code(() => connect({ url: 'ws://x/', keepaliveIntervalSec: Number.NaN })), 'INVALID_OPTIONS');
  assert.equal(code(() => connect({ url: 'ws://x/', maxMessageBytes: -5 })), 'INVALID_OPTIONS');
});
