// Interop with the `ws` package as the server (an implementation we did not write), over real
// sockets on 127.0.0.1: echo at the length-encoding boundaries, bursts, fragmentation, ping/pong,
// both closing directions, TCP loss, subprotocols, request headers and permessage-deflate.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWsPeer, expectedStreamMessage, type WsPeer } from '../../../e2e/peers/ws-peers.ts';
import { openProbe, text, hex } from './probe.ts';

const TEST_TIMEOUT_MS = 60_000;
const MiB = 1024 * 1024;
/** RFC 6455 §5.2: 125 is the largest 7-bit length, 126/65535 the 16-bit range, 65536 needs 64 bits. */
const SIZES = [0, 125, 126, 65535, 65536, 16 * MiB];
const BURST = 10_000;
const OPCODE_TEXT = 0x1;
const OPCODE_BINARY = 0x2;
const OPCODE_CONTINUATION = 0x0;
const OPCODE_CLOSE = 0x8;
const OPCODE_PING = 0x9;
const OPCODE_PONG = 0xa;

let peer: WsPeer;
before(async () => {
  peer = await startWsPeer({ protocols: ['chat.v1', 'chat.v0'] });
});
after(() => peer.stop());

/** Deterministic bytes that are not all equal, so a misplaced slice would show. */
function pattern(size: number): Uint8Array {
  const b = new Uint8Array(size);
  for (let i = 0; i < size; i++) b[i] = (i * 31 + 7) & 0xff;
  return b;
}

test('echo text and binary keep their kind', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const p = await openProbe(t, { url: peer.url, deflate: false }).opened();
  p.conn.sendText('héllo ✓ 🎉');
  p.conn.sendBinary(Uint8Array.of(0, 1, 254, 255));
  const [m1, m2] = await p.messagesIn(2);
  assert.equal(m1.kind, 'text');
  assert.equal(m1.text, 'héllo ✓ 🎉');
  assert.equal(m2.kind, 'binary');
  assert.equal(hex(m2.data), '0001feff');
  const serverSaw = peer.received.filter((r) => r.path === '/echo').slice(-2);
  assert.deepEqual(serverSaw.map((r) => r.isBinary), [false, true]);
});

for (const size of SIZES) {
  test(`binary and text round trip of ${size} bytes`, { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const p = await openProbe(t, { url: peer.url, deflate: false }).opened();
    const data = pattern(size);
    const str = 'a'.repeat(size);
    p.conn.sendBinary(data);
    p.conn.sendText(str);
    const [b, s] = await p.messagesIn(2, TEST_TIMEOUT_MS);
    assert.equal(b.kind, 'binary');
    assert.equal(b.data.length, size);
    assert.ok(Buffer.from(b.data).equals(Buffer.from(data)), 'binary payload differs');
    assert.equal(s.kind, 'text');
    assert.equal(s.text?.length, size);
    assert.ok(s.text === str, 'text payload differs');
    // Our outgoing frame used the minimal length encoding (RFC 6455 §5.2 "the minimal number of bytes").
    const out = p.frames('out').find((f) => f.opcode === OPCODE_BINARY);
    assert.ok(out);
    const expectedHeader = 2 + (size <= 125 ? 0 : size <= 65535 ? 2 : 8) + 4;
    assert.equal(out.headerLength, expectedHeader);
    assert.equal(out.masked, true);
  });
}

test(`${BURST} server messages in a burst arrive complete and in order`, { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const p = openProbe(t, { url: peer.urlFor(`/stream?n=${BURST}`), deflate: false });
  const msgs = await p.messagesIn(BURST, TEST_TIMEOUT_MS);
  assert.equal(msgs.length, BURST);
  for (let i = 0; i < BURST; i++) {
    if (msgs[i].text !== expectedStreamMessage(i)) assert.fail(`message ${i} was ${JSON.stringify(msgs[i].text)}`);
  }
});

test(`${BURST} client messages sent in a burst are echoed complete and in order`, { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const p = await openProbe(t, { url: peer.url, deflate: false }).opened();
  for (let i = 0; i < BURST; i++) p.conn.sendText(`c-${i}`);
  const msgs = await p.messagesIn(BURST, TEST_TIMEOUT_MS);
  for (let i = 0; i < BURST; i++) {
    if (msgs[i].text !== `c-${i}`) assert.fail(`echo ${i} was ${JSON.stringify(msgs[i].text)}`);
  }
});

test('fragmented sends: frames on the wire and the server reassembles', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const p = await openProbe(t, { url: peer.url, deflate: false }).opened();
  const message = 'fragment-me-'.repeat(30); // 360 bytes
  const fragmentSize = 100;
  p.conn.sendText(message, { fragmentSize });
  p.conn.sendBinary(pattern(250), { fragmentSize });
  const [m1, m2] = await p.messagesIn(2);
  assert.equal(m1.text, message);
  assert.equal(hex(m2.data), hex(pattern(250)));
  const out = p.frames('out').filter((f) => f.opcode !== OPCODE_CLOSE);
  // RFC 6455 §5.4: first frame carries the opcode, the rest are continuations, FIN only on the last.
  assert.deepEqual(
    out.map((f) => [f.opcode, f.fin, f.payloadLength]),
    [
      [OPCODE_TEXT, false, 100], [OPCODE_CONTINUATION, false, 100], [OPCODE_CONTINUATION, false, 100], [OPCODE_CONTINUATION, true, 60],
      [OPCODE_BINARY, false, 100], [OPCODE_CONTINUATION, false, 100], [OPCODE_CONTINUATION, true, 50],
    ],
  );
  const outMsgs = p.messages('out');
  assert.deepEqual(outMsgs.map((m) => m.frameCount), [4, 3]);
});

test('server ping is answered with a pong carrying the same payload', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const pongsBefore = peer.pongs.length;
  const p = openProbe(t, { url: peer.urlFor('/ping?payload=are-you-there'), deflate: false });
  await p.opened();
  const pong = await peer.waitFor(() => peer.pongs.slice(pongsBefore).find((x) => x.toString() === 'are-you-there'), 'the server to receive our pong');
  assert.equal(pong.toString(), 'are-you-there');
  const inPing = await p.frame('in', (f) => f.opcode === OPCODE_PING, 'incoming ping frame');
  const outPong = await p.frame('out', (f) => f.opcode === OPCODE_PONG, 'outgoing pong frame');
  assert.equal(hex(outPong.payload), hex(inPing.payload));
});

test('autoPong off: a server ping is shown but not answered', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const marker = `no-pong-${Date.now()}`;
  const p = openProbe(t, { url: peer.urlFor(`/ping?payload=${marker}`), deflate: false, autoPong: false });
  await p.opened();
  await p.frame('in', (f) => f.opcode === OPCODE_PING, 'the ping frame');
  // Frames are processed in order by the server: once it has our later text message, any pong we
  // had sent in answer to the ping would already have been recorded.
  p.conn.sendText(marker);
  await peer.waitFor(() => peer.received.find((r) => r.data.toString() === marker), 'the server to get the marker');
  assert.equal(peer.pongs.some((x) => x.toString() === marker), false, 'client answered the ping although autoPong is off');
  assert.equal(p.frames('out').some((f) => f.opcode === OPCODE_PONG), false);
});

test('client ping gets the server pong with the same payload', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const p = await openProbe(t, { url: peer.url, deflate: false }).opened();
  p.conn.ping(text('ping-42'));
  const pong = await p.frame('in', (f) => f.opcode === OPCODE_PONG, 'the server pong');
  assert.equal(Buffer.from(pong.payload).toString(), 'ping-42');
});

test('client close 4000 + reason: clean CLOSED and the server saw it', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const p = await openProbe(t, { url: peer.url, deflate: false }).opened();
  p.conn.close(4000, 'bye now');
  const info = await p.closedInfo();
  assert.deepEqual(info, { code: 4000, reason: 'bye now', wasClean: true, initiatedBy: 'client' });
  await peer.waitFor(() => peer.closes.find((c) => c.code === 4000 && c.reason === 'bye now'), 'server to record 4000');
  assert.ok(p.states.includes('CLOSING'), `states were ${p.states.join(',')}`);
});

test('server close 1011: reported and echoed', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const p = openProbe(t, { url: peer.urlFor('/close?code=1011&reason=server%20broke'), deflate: false });
  const info = await p.closedInfo();
  assert.equal(info.code, 1011);
  assert.equal(info.reason, 'server broke');
  assert.equal(info.wasClean, true);
  assert.equal(info.initiatedBy, 'server');
  // RFC 6455 §5.5.1: the endpoint answers with a close frame, typically echoing the status code.
  const outClose = await p.frame('out', (f) => f.opcode === OPCODE_CLOSE, 'our close reply');
  assert.equal(Buffer.from(outClose.payload).readUInt16BE(0), 1011);
});

test('server drops TCP: CLOSED with 1006, not clean', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const p = openProbe(t, { url: peer.urlFor('/drop-after-message'), deflate: false });
  await p.opened();
  p.conn.sendText('bye');
  const info = await p.closedInfo();
  assert.equal(info.code, 1006);
  assert.equal(info.wasClean, false);
  assert.equal(p.frames('out').some((f) => f.opcode === OPCODE_CLOSE), false, 'no close frame can be sent on a dead socket');
});

test('subprotocol negotiation, Origin and user headers reach the server', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const p = openProbe(t, {
    url: peer.url,
    protocols: ['chat.v2', 'chat.v1'],
    origin: 'https://wirechat.example',
    headers: [{ name: 'Authorization', value: 'Bearer t0ken' }, { name: 'X-Trace', value: 'abc' }],
  });
  await p.opened();
  assert.equal(p.handshake?.protocol, 'chat.v1');
  const up = peer.lastUpgrade;
  assert.ok(up);
  const h = (n: string): string | undefined => up.rawHeaders.find((x) => x.name.toLowerCase() === n.toLowerCase())?.value;
  assert.equal(h('Sec-WebSocket-Protocol'), 'chat.v2, chat.v1');
  assert.equal(h('Origin'), 'https://wirechat.example');
  assert.equal(h('Authorization'), 'Bearer t0ken');
  assert.equal(h('X-Trace'), 'abc');
  assert.equal(h('Sec-WebSocket-Version'), '13');
});

test('deflate off: no extension offered, no RSV1', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const dpeer = await startWsPeer({ deflate: true });
  t.after(() => dpeer.stop());
  const p = await openProbe(t, { url: dpeer.url, deflate: false }).opened();
  assert.equal(dpeer.lastUpgrade?.headers['sec-websocket-extensions'], undefined);
  p.conn.sendText('plain '.repeat(50));
  const [m] = await p.messagesIn(1);
  assert.equal(m.compressed, false);
  assert.equal(p.frames().some((f) => f.rsv1), false);
});

const DEFLATE_CASES: Array<{ name: string; settings: Parameters<typeof startWsPeer>[0] }> = [
  { name: 'defaults', settings: { deflate: true } },
  { name: 'serverNoContextTakeover', settings: { deflate: { serverNoContextTakeover: true } } },
  { name: 'clientNoContextTakeover', settings: { deflate: { clientNoContextTakeover: true } } },
  { name: 'serverMaxWindowBits=10', settings: { deflate: { serverMaxWindowBits: 10 } } },
  { name: 'clientMaxWindowBits=9', settings: { deflate: { clientMaxWindowBits: 9 } } },
];

for (const { name, settings } of DEFLATE_CASES) {
  test(`permessage-deflate negotiated (${name}): messages round-trip, RSV1 and inflatedLength visible`, { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const dpeer = await startWsPeer(settings);
    t.after(() => dpeer.stop());
    const p = await openProbe(t, { url: dpeer.url }).opened();
    const offer = dpeer.lastUpgrade?.headers['sec-websocket-extensions'];
    assert.match(String(offer), /^permessage-deflate\b/);
    const answer = dpeer.negotiatedExtensions[0];
    assert.match(answer, /permessage-deflate/);
    const d = p.handshake?.deflate;
    assert.ok(d, `handshake.deflate missing; extensions=${p.handshake?.extensions}`);
    const s = typeof settings?.deflate === 'object' ? settings.deflate : {};
    assert.equal(d.serverNoContextTakeover, s.serverNoContextTakeover === true);
    assert.equal(d.clientNoContextTakeover, s.clientNoContextTakeover === true);
    assert.equal(d.serverMaxWindowBits, s.serverMaxWindowBits ?? 15);
    assert.equal(d.clientMaxWindowBits, s.clientMaxWindowBits ?? 15);

    // Repeated content exercises the sliding window and context takeover across messages.
    const big = 'The quick brown fox jumps over the lazy dog. '.repeat(2000);
    const messages = [big, 'short', big, 'ünïcödé ✓', ''];
    for (const m of messages) p.conn.sendText(m);
    p.conn.sendBinary(pattern(70_000));
    const got = await p.messagesIn(messages.length + 1, TEST_TIMEOUT_MS);
    assert.deepEqual(got.slice(0, messages.length).map((m) => m.text), messages);
    assert.equal(hex(got[messages.length].data), hex(pattern(70_000)));
    // The server received exactly what we sent (it inflated our frames).
    assert.deepEqual(dpeer.received.slice(0, messages.length).map((r) => r.data.toString()), messages);

    const bigIn = got[0];
    assert.equal(bigIn.compressed, true);
    assert.ok(bigIn.wireLength < bigIn.data.length, 'compressed wire length should be smaller');
    const inFrames = p.frames('in').filter((f) => f.messageSeq === bigIn.messageSeq);
    assert.equal(inFrames[0].rsv1, true, 'RSV1 on the first frame of a compressed message (RFC 7692 §6)');
    assert.equal(inFrames[0].compressed, true);
    assert.equal(inFrames[inFrames.length - 1].inflatedLength, big.length);
    // Our own outgoing messages are compressed too (the offer was accepted).
    const outBig = p.messages('out')[0];
    assert.equal(outBig.compressed, true);
    const outFrames = p.frames('out').filter((f) => f.messageSeq === outBig.messageSeq);
    assert.equal(outFrames[0].rsv1, true);
    assert.equal(outFrames[outFrames.length - 1].inflatedLength, big.length);
  });
}

test(`${BURST} compressed server messages in a burst (permessage-deflate)`, { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const dpeer = await startWsPeer({ deflate: true });
  t.after(() => dpeer.stop());
  const p = openProbe(t, { url: dpeer.urlFor(`/stream?n=${BURST}&size=64`) });
  const msgs = await p.messagesIn(BURST, TEST_TIMEOUT_MS);
  for (let i = 0; i < BURST; i++) {
    if (msgs[i].text !== expectedStreamMessage(i, 64)) assert.fail(`message ${i} was ${JSON.stringify(msgs[i].text)}`);
  }
  assert.equal(msgs[0].compressed, true);
});

test('50 concurrent connections each echo their own messages', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const N = 50;
  const probes = Array.from({ length: N }, () => openProbe(t, { url: peer.url }));
  await Promise.all(probes.map((p) => p.opened()));
  probes.forEach((p, i) => {
    p.conn.sendText(`conn-${i}-a`);
    p.conn.sendBinary(text(`conn-${i}-b`));
  });
  await Promise.all(probes.map((p) => p.messagesIn(2)));
  probes.forEach((p, i) => {
    const [a, b] = p.messages('in');
    assert.equal(a.text, `conn-${i}-a`);
    assert.equal(Buffer.from(b.data).toString(), `conn-${i}-b`);
  });
  for (const p of probes) p.conn.close(1000);
  const infos = await Promise.all(probes.map((p) => p.closedInfo()));
  assert.ok(infos.every((i) => i.wasClean && i.code === 1000));
});

