// Self-tests of the test peers (e2e/peers), driven by the `ws` CLIENT so they are independent of
// our own client: if a peer were wrong, every suite built on it would prove nothing.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { WebSocket } from 'ws';
import { startWsPeer } from '../../../e2e/peers/ws-peers.ts';
import { startRawPeer } from '../../../e2e/peers/raw-peer.ts';
import { startPythonPeer } from '../../../e2e/peers/python-peer.ts';
import { startTlsPeer } from '../../../e2e/peers/tls-peer.ts';
import { encodeFrame, decodeFrames, closePayload, Op, acceptFor } from '../../../e2e/peers/frames.ts';
import { Signal } from '../../../e2e/peers/wait.ts';

/** Collect a ws client's messages and let a test wait for a count. */
function collect(ws: WebSocket): { messages: Array<{ data: Buffer; isBinary: boolean }>; wait(n: number): Promise<unknown> } {
  const messages: Array<{ data: Buffer; isBinary: boolean }> = [];
  const signal = new Signal();
  ws.on('message', (data, isBinary) => {
    messages.push({ data: Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer), isBinary });
    signal.notify();
  });
  return { messages, wait: (n) => signal.waitFor(() => messages.length >= n, `${n} messages`) };
}

test('frames: encode/decode round trip with mask and every length encoding', () => {
  for (const size of [0, 1, 125, 126, 65535, 65536]) {
    const payload = Buffer.alloc(size, 0x61);
    const wire = encodeFrame({ opcode: Op.Binary, payload, mask: true, maskKey: Uint8Array.of(1, 2, 3, 4) });
    const { frames, consumed } = decodeFrames(wire);
    assert.equal(consumed, wire.length);
    assert.equal(frames.length, 1);
    assert.deepEqual(frames[0].payload, payload);
    assert.equal(frames[0].masked, true);
    assert.equal(frames[0].lengthEncoding, size <= 125 ? '7' : size <= 65535 ? '16' : '64');
  }
  const close = decodeFrames(encodeFrame({ opcode: Op.Close, payload: closePayload(4000, 'bye') })).frames[0];
  assert.equal(close.closeCode, 4000);
  assert.equal(close.closeReason, 'bye');
  // RFC 6455 §1.3 worked example.
  assert.equal(acceptFor('dGhlIHNhbXBsZSBub25jZQ=='), 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
});

test('ws peer: echo, subprotocol, headers, stream, ping, close codes', async (t) => {
  const peer = await startWsPeer({ protocols: ['chat.v1'], deflate: { serverNoContextTakeover: true } });
  t.after(() => peer.stop());

  const ws = new WebSocket(peer.url, ['chat.v2', 'chat.v1'], { headers: { 'X-Probe': 'yes' } });
  const c = collect(ws);
  await once(ws, 'open');
  assert.equal(ws.protocol, 'chat.v1');
  assert.match(ws.extensions, /permessage-deflate/);
  assert.match(peer.negotiatedExtensions[0], /server_no_context_takeover/);
  assert.equal(peer.lastUpgrade?.rawHeaders.find((h) => h.name === 'X-Probe')?.value, 'yes');
  ws.send('hi');
  ws.send(Buffer.from([1, 2, 3]));
  await c.wait(2);
  assert.deepEqual(c.messages.map((m) => [m.data.toString('hex'), m.isBinary]), [[Buffer.from('hi').toString('hex'), false], ['010203', true]]);
  ws.close(4000, 'bye');
  await peer.waitFor(() => peer.closes.find((x) => x.code === 4000 && x.reason === 'bye'), 'server to see 4000');

  const s = new WebSocket(peer.urlFor('/stream?n=50&size=20'));
  const sc = collect(s);
  await sc.wait(50);
  assert.equal(sc.messages[49].data.toString(), 'msg-49'.padEnd(20, '.'));
  s.close();

  const p = new WebSocket(peer.urlFor('/ping?payload=abc'));
  await peer.waitFor(() => peer.pongs.find((x) => x.toString() === 'abc'), 'ws client to pong');
  p.close();

  const k = new WebSocket(peer.urlFor('/close?code=1011&reason=boom'));
  const [code, reason] = (await once(k, 'close')) as [number, Buffer];
  assert.equal(code, 1011);
  assert.equal(reason.toString(), 'boom');

  const d = new WebSocket(peer.urlFor('/drop'));
  const [dropCode] = (await once(d, 'close')) as [number];
  assert.equal(dropCode, 1006);
});

test('raw peer: crafted 101 and frames reach a ws client; client frames are decoded', async (t) => {
  const peer = await startRawPeer(async (conn) => {
    await conn.accept({ trailing: encodeFrame({ opcode: Op.Text, payload: 'early' }) });
    await conn.sendFrame({ opcode: Op.Text, fin: false, payload: 'frag' });
    await conn.sendFrame({ opcode: Op.Ping, payload: 'p' });
    await conn.sendFrame({ opcode: Op.Continuation, payload: 'ment' });
    const close = await conn.waitForClose();
    assert.equal(close.closeCode, 1000);
    await conn.sendFrame({ opcode: Op.Close, payload: closePayload(1000) });
    conn.end();
  });
  t.after(() => peer.stop());
  const ws = new WebSocket(peer.url);
  const c = collect(ws);
  await c.wait(2);
  assert.deepEqual(c.messages.map((m) => m.data.toString()), ['early', 'fragment']);
  ws.send('from-client');
  const conn = await peer.waitForConnection();
  const echoed = await conn.waitForFrame((f) => f.opcode === Op.Text, 'client text');
  assert.equal(echoed.payload.toString(), 'from-client');
  assert.equal(echoed.masked, true);
  const pong = await conn.waitForFrame((f) => f.opcode === Op.Pong, 'client pong');
  assert.equal(pong.payload.toString(), 'p');
  ws.close(1000);
  await peer.scriptDone();
  assert.equal(conn.request?.get('sec-websocket-version'), '13');
});

test('python peer: echo text/binary, compression on and off', async (t) => {
  for (const compression of [true, false]) {
    const peer = await startPythonPeer({ compression });
    t.after(() => peer.stop());
    const ws = new WebSocket(peer.url);
    const c = collect(ws);
    await once(ws, 'open');
    assert.equal(/permessage-deflate/.test(ws.extensions), compression);
    ws.send('text');
    ws.send(Buffer.from([0, 255]));
    await c.wait(2);
    assert.deepEqual(c.messages.map((m) => [m.data.toString('hex'), m.isBinary]), [[Buffer.from('text').toString('hex'), false], ['00ff', true]]);
    ws.close(1000, 'done');
    await peer.waitFor(() => peer.closes.find((x) => x.code === 1000 && x.reason === 'done'), 'python to see the close');
  }
});

test('tls peer: wss echo trusted only with the generated CA', async (t) => {
  const peer = await startTlsPeer();
  t.after(() => peer.stop());
  const bad = new WebSocket(peer.url);
  const [err] = (await once(bad, 'error')) as [Error & { code?: string }];
  assert.match(String(err.code ?? err.message), /SELF_SIGNED|UNABLE_TO_VERIFY|CERT/);
  const ws = new WebSocket(peer.url, { ca: peer.caPem });
  const c = collect(ws);
  await once(ws, 'open');
  ws.send('secure');
  await c.wait(1);
  assert.equal(c.messages[0].data.toString(), 'secure');
  ws.close();
  await once(ws, 'close');
});
