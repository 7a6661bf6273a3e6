// Interop with Python `websockets` (Debian python3-websockets, run by /usr/bin/python3): a second
// independent implementation, with and without permessage-deflate.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startPythonPeer } from '../../../e2e/peers/python-peer.ts';
import { openProbe, hex } from './probe.ts';

const TEST_TIMEOUT_MS = 60_000;
const LARGE = 4 * 1024 * 1024;

function pattern(size: number): Uint8Array {
  const b = new Uint8Array(size);
  for (let i = 0; i < size; i++) b[i] = (i * 13 + 5) & 0xff;
  return b;
}

for (const compression of [true, false]) {
  test(`python websockets (compression ${compression ? 'on' : 'off'}): echo text/binary/large, then close`, { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const peer = await startPythonPeer({ compression });
    t.after(() => peer.stop());
    const p = await openProbe(t, { url: peer.url }).opened();
    assert.equal(Boolean(p.handshake?.deflate), compression, `extensions=${p.handshake?.extensions}`);
    const long = 'Python and TypeScript agree. '.repeat(40_000);
    p.conn.sendText('hello from wirechat ✓');
    p.conn.sendBinary(Uint8Array.of(0, 127, 128, 255));
    p.conn.sendBinary(pattern(LARGE));
    p.conn.sendText(long, { fragmentSize: 64 * 1024 });
    const got = await p.messagesIn(4, TEST_TIMEOUT_MS);
    assert.equal(got[0].kind, 'text');
    assert.equal(got[0].text, 'hello from wirechat ✓');
    assert.equal(got[1].kind, 'binary');
    assert.equal(hex(got[1].data), '007f80ff');
    assert.ok(Buffer.from(got[2].data).equals(Buffer.from(pattern(LARGE))), 'large binary differs');
    assert.ok(got[3].text === long, 'long fragmented text differs');
    assert.equal(got[3].compressed, compression);
    assert.equal(p.frames('in').some((f) => f.rsv1), compression);
    p.conn.close(1000, 'done');
    const info = await p.closedInfo();
    assert.deepEqual(info, { code: 1000, reason: 'done', wasClean: true, initiatedBy: 'client' });
    await peer.waitFor(() => peer.closes.find((c) => c.code === 1000 && c.reason === 'done'), 'python to record our close');
  });
}

test('python websockets: subprotocol and server-initiated close', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const peer = await startPythonPeer({ subprotocols: ['mqtt', 'chat'] });
  t.after(() => peer.stop());
  const p = openProbe(t, { url: peer.urlFor('/close?code=4001&reason=go%20away'), protocols: ['chat'] });
  const info = await p.closedInfo();
  assert.equal(p.handshake?.protocol, 'chat');
  assert.deepEqual(info, { code: 4001, reason: 'go away', wasClean: true, initiatedBy: 'server' });
  const [closed] = await peer.waitFor(() => (peer.closes.length ? peer.closes : undefined), 'python to finish');
  assert.equal(closed.code, 4001);
});

test('python websockets: 1000 client pings get 1000 pongs with the same payloads, in order', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  // (The ws package server drops a connection flooded with pings, even from the ws client, so
  // this flood runs against Python websockets.)
  const peer = await startPythonPeer();
  t.after(() => peer.stop());
  const p = await openProbe(t, { url: peer.url }).opened();
  for (let i = 0; i < 1000; i++) p.conn.ping(new TextEncoder().encode(`p${i}`));
  const pongs = await p.waitFor(() => {
    const f = p.frames('in').filter((x) => x.opcode === 0xa);
    if (p.closed) throw new Error(`closed after ${f.length} pongs: ${p.describe()}`);
    return f.length >= 1000 ? f : undefined;
  }, '1000 pongs');
  pongs.forEach((f, i) => assert.equal(Buffer.from(f.payload).toString(), `p${i}`));
});
