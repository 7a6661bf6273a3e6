// Connection lifecycle against raw servers that stall: the closing handshake with a server that
// never answers or never closes TCP (RFC 6455 §7.1.1, the close timeout), keepalive pings, TCP
// release after a failed handshake, terminate(), backpressure and drain, crafted frames on the
// wire, and API misuse that must throw instead of reaching the wire.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startRawPeer, type RawConnection } from '../../../e2e/peers/raw-peer.ts';
import { closePayload, encodeFrame, Op } from '../../../e2e/peers/frames.ts';
import { openProbe } from './probe.ts';

const T = { timeout: 30_000 };
const SHORT_CLOSE_TIMEOUT_MS = 300;

async function acceptedPeer(t: import('node:test').TestContext, script: (c: RawConnection) => Promise<void> = async () => undefined) {
  const peer = await startRawPeer(async (c) => {
    await c.accept();
    await script(c);
  });
  t.after(() => peer.stop());
  return peer;
}

describe('closing handshake with a stalling server', () => {
  test('client close, server never answers: CLOSE_TIMEOUT, 1006, TCP released', T, async (t) => {
    const peer = await acceptedPeer(t);
    const p = await openProbe(t, { url: peer.url, deflate: false, closeTimeoutMs: SHORT_CLOSE_TIMEOUT_MS }).opened();
    const conn = await peer.waitForConnection();
    p.conn.close(1000, 'bye');
    const close = await conn.waitForClose();
    assert.equal(close.closeCode, 1000);
    assert.equal(close.closeReason, 'bye');
    const info = await p.closedInfo();
    assert.equal(info.code, 1006);
    assert.equal(info.wasClean, false);
    assert.equal(p.errors[0]?.code, 'CLOSE_TIMEOUT', p.describe());
    await conn.waitForEnd();
  });

  test('client close, server answers but keeps TCP open: clean 1000, client releases TCP', T, async (t) => {
    const peer = await acceptedPeer(t, async (c) => {
      await c.waitForClose();
      await c.sendFrame({ opcode: Op.Close, payload: closePayload(1000) });
      // …and never closes TCP.
    });
    const p = await openProbe(t, { url: peer.url, deflate: false, closeTimeoutMs: SHORT_CLOSE_TIMEOUT_MS }).opened();
    p.conn.close(1000);
    const info = await p.closedInfo();
    assert.equal(info.code, 1000);
    assert.equal(info.wasClean, true, 'both close frames were exchanged (RFC 6455 §7.1.4)');
    await (await peer.waitForConnection()).waitForEnd();
  });

  test('server close, server then keeps TCP open: client echoes, reaches CLOSED, releases TCP', T, async (t) => {
    const peer = await acceptedPeer(t, async (c) => {
      await c.sendFrame({ opcode: Op.Close, payload: closePayload(4100, 'server bye') });
    });
    const p = openProbe(t, { url: peer.url, deflate: false, closeTimeoutMs: SHORT_CLOSE_TIMEOUT_MS });
    const info = await p.closedInfo();
    assert.deepEqual(info, { code: 4100, reason: 'server bye', wasClean: true, initiatedBy: 'server' });
    const conn = await peer.waitForConnection();
    assert.equal((await conn.waitForClose()).closeCode, 4100);
    await conn.waitForEnd();
  });

  test('protocol failure, server never closes: client releases TCP after its close frame', T, async (t) => {
    const peer = await acceptedPeer(t, async (c) => {
      await c.sendFrame({ opcode: 0x3 });
    });
    const p = openProbe(t, { url: peer.url, deflate: false, closeTimeoutMs: SHORT_CLOSE_TIMEOUT_MS });
    const conn = await peer.waitForConnection();
    assert.equal((await conn.waitForClose()).closeCode, 1002);
    await p.closedInfo();
    await conn.waitForEnd();
  });

  test('close() without a code sends an empty close frame; an empty reply reports 1005', T, async (t) => {
    const peer = await acceptedPeer(t, async (c) => {
      const close = await c.waitForClose();
      assert.equal(close.payload.length, 0);
      await c.sendFrame({ opcode: Op.Close });
      c.end();
    });
    const p = await openProbe(t, { url: peer.url, deflate: false }).opened();
    p.conn.close();
    const info = await p.closedInfo();
    // RFC 6455 §7.1.5: a Close frame without a status code is reported as 1005, never sent.
    assert.deepEqual(info, { code: 1005, reason: '', wasClean: true, initiatedBy: 'client' });
    await peer.scriptDone();
  });

  test('messages sent by the server after our close frame do not break the close', T, async (t) => {
    const peer = await acceptedPeer(t, async (c) => {
      await c.waitForClose();
      // RFC 6455 §5.5.1: the server may still be sending data when our Close arrives.
      await c.sendFrame({ opcode: Op.Text, payload: 'late data' });
      await c.sendFrame({ opcode: Op.Close, payload: closePayload(1000) });
      c.end();
    });
    const p = await openProbe(t, { url: peer.url, deflate: false }).opened();
    p.conn.close(1000);
    const info = await p.closedInfo();
    assert.equal(info.code, 1000);
    assert.equal(info.wasClean, true);
  });

  test('a second close() while CLOSING does not send a second close frame', T, async (t) => {
    const peer = await acceptedPeer(t, async (c) => {
      await c.waitForClose();
      await c.sendFrame({ opcode: Op.Text, payload: 'x' }); // gives the client a chance to misbehave
      await c.sendFrame({ opcode: Op.Close, payload: closePayload(1000) });
      c.end();
    });
    const p = await openProbe(t, { url: peer.url, deflate: false }).opened();
    p.conn.close(1000);
    try {
      p.conn.close(4000);
    } catch {
      // Throwing NOT_OPEN is acceptable; a second close frame is not.
    }
    await p.closedInfo();
    const conn = await peer.waitForConnection();
    assert.equal(conn.frames.filter((f) => f.opcode === Op.Close).length, 1);
  });
});

describe('TCP release and terminate', () => {
  test('after a failed handshake (403, server keeps TCP open) the client closes TCP', T, async (t) => {
    const peer = await startRawPeer(async (c) => {
      await c.readRequest();
      await c.write('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
    });
    t.after(() => peer.stop());
    const p = openProbe(t, { url: peer.url });
    assert.equal((await p.firstError()).code, 'HANDSHAKE_STATUS');
    await (await peer.waitForConnection()).waitForEnd();
  });

  test('terminate(): no close frame, CLOSED 1006, TCP gone', T, async (t) => {
    const peer = await acceptedPeer(t);
    const p = await openProbe(t, { url: peer.url, deflate: false }).opened();
    p.conn.terminate();
    const info = await p.closedInfo();
    assert.equal(info.code, 1006);
    assert.equal(info.wasClean, false);
    const conn = await peer.waitForConnection();
    await conn.waitForEnd();
    assert.equal(conn.frames.length, 0);
  });
});

describe('keepalive', () => {
  test('pings every interval; a server that answers keeps the connection open', T, async (t) => {
    const peer = await acceptedPeer(t, async (c) => {
      for (let answered = 0; answered < 2; answered++) {
        const ping = await c.waitForFrame((f) => f.opcode === Op.Ping, `keepalive ping #${answered + 1}`, c.frames.length);
        await c.sendFrame({ opcode: Op.Pong, payload: ping.payload });
      }
    });
    const p = await openProbe(t, { url: peer.url, deflate: false, keepaliveIntervalSec: 0.2, keepaliveTimeoutSec: 2 }).opened();
    await peer.scriptDone(1, 10_000);
    assert.equal(p.conn.state, 'OPEN', p.describe());
    assert.deepEqual(p.errors, []);
  });

  test('no pong within the timeout -> KEEPALIVE_TIMEOUT and the connection ends', T, async (t) => {
    const peer = await acceptedPeer(t);
    const p = await openProbe(t, { url: peer.url, deflate: false, keepaliveIntervalSec: 0.2, keepaliveTimeoutSec: 0.2 }).opened();
    const err = await p.firstError();
    assert.equal(err.code, 'KEEPALIVE_TIMEOUT');
    const info = await p.closedInfo();
    assert.equal(info.wasClean, false);
    await (await peer.waitForConnection()).waitForEnd();
  });
});

describe('backpressure', () => {
  test('a server that stops reading: bufferedAmount grows, drain follows, bytes arrive intact', T, async (t) => {
    const size = 8 * 1024 * 1024;
    const peer = await acceptedPeer(t, async (c) => {
      c.socket.pause();
    });
    const p = await openProbe(t, { url: peer.url, deflate: false }).opened();
    const conn = await peer.waitForConnection();
    await peer.scriptDone();
    const data = new Uint8Array(size);
    for (let i = 0; i < size; i++) data[i] = i & 0xff;
    const buffered = p.conn.sendBinary(data);
    assert.ok(buffered > 0, `bufferedAmount after an 8 MiB send to a paused reader was ${buffered}`);
    assert.equal(p.conn.bufferedAmount, buffered);
    conn.socket.resume();
    await p.waitFor(() => p.events.some((e) => e.type === 'drain'), 'the drain event');
    const frame = await conn.waitForFrame((f) => f.opcode === Op.Binary, 'the 8 MiB frame', 0, 20_000);
    assert.equal(frame.payload.length, size);
    assert.ok(frame.payload.equals(Buffer.from(data.buffer)), 'payload corrupted');
    assert.equal(p.conn.bufferedAmount, 0);
  });
});

describe('crafted frames (sendRawFrame) go on the wire exactly as described', () => {
  test('reserved opcode, all RSV bits, given mask key, forced 64-bit length, no FIN', T, async (t) => {
    const peer = await acceptedPeer(t);
    const p = await openProbe(t, { url: peer.url, deflate: false }).opened();
    p.conn.sendRawFrame({
      fin: false, rsv1: true, rsv2: true, rsv3: true, opcode: 0xb, mask: true,
      maskKey: Uint8Array.of(0xde, 0xad, 0xbe, 0xef), payload: new TextEncoder().encode('crafted'), lengthEncoding: '64',
    });
    const conn = await peer.waitForConnection();
    const [f] = await conn.waitForFrameCount(1);
    assert.deepEqual(
      { fin: f.fin, rsv1: f.rsv1, rsv2: f.rsv2, rsv3: f.rsv3, opcode: f.opcode, masked: f.masked, key: f.maskKey?.toString('hex'), enc: f.lengthEncoding, payload: f.payload.toString() },
      { fin: false, rsv1: true, rsv2: true, rsv3: true, opcode: 0xb, masked: true, key: 'deadbeef', enc: '64', payload: 'crafted' },
    );
    const out = p.frames('out')[0];
    assert.equal(out.crafted, true);
  });

  test('an unmasked crafted frame is sent unmasked (testing servers is the point)', T, async (t) => {
    const peer = await acceptedPeer(t);
    const p = await openProbe(t, { url: peer.url, deflate: false }).opened();
    p.conn.sendRawFrame({ fin: true, rsv1: false, rsv2: false, rsv3: false, opcode: Op.Text, mask: false, payload: new TextEncoder().encode('plain'), lengthEncoding: '16' });
    const [f] = await (await peer.waitForConnection()).waitForFrameCount(1);
    assert.equal(f.masked, false);
    assert.equal(f.lengthEncoding, '16');
    assert.equal(f.payload.toString(), 'plain');
  });
});

describe('misuse throws and never reaches the wire', () => {
  test('send before OPEN, bad close codes, oversized control payloads', T, async (t) => {
    const peer = await acceptedPeer(t);
    const p = openProbe(t, { url: peer.url, deflate: false });
    assert.throws(() => p.conn.sendText('too early'), (e: { code?: string }) => e.code === 'NOT_OPEN');
    await p.opened();
    for (const code of [999, 1004, 1005, 1006, 1015, 2999, 5000]) {
      assert.throws(() => p.conn.close(code), (e: { code?: string }) => e.code === 'INVALID_ARGUMENT', `close(${code}) should throw`);
    }
    // RFC 6455 §5.5: control payload <= 125 bytes, so a close reason <= 123 bytes of UTF-8.
    assert.throws(() => p.conn.close(4000, 'é'.repeat(62)), (e: { code?: string }) => e.code === 'INVALID_ARGUMENT');
    assert.throws(() => p.conn.ping(new Uint8Array(126)), (e: { code?: string }) => e.code === 'INVALID_ARGUMENT');
    assert.throws(() => p.conn.pong(new Uint8Array(126)), (e: { code?: string }) => e.code === 'INVALID_ARGUMENT');
    // None of that reached the server; a valid close with a 122-byte reason does.
    p.conn.close(4000, 'é'.repeat(61));
    const conn = await peer.waitForConnection();
    const close = await conn.waitForClose();
    assert.equal(conn.frames.length, 1, 'misuse produced frames on the wire');
    assert.equal(close.closeCode, 4000);
    assert.equal(close.closeReason, 'é'.repeat(61));
    assert.throws(() => p.conn.sendText('after close'), (e: { code?: string }) => e.code === 'NOT_OPEN');
    conn.end();
    await p.closedInfo();
  });
});

describe('listeners that act in the middle of a chunk', () => {
  test('close() from a message listener while more frames wait in the same chunk', T, async (t) => {
    const peer = await acceptedPeer(t, async (c) => {
      await c.write(Buffer.concat(['one', 'two', 'three'].map((m) => encodeFrame({ opcode: Op.Text, payload: m }))));
      await c.waitForClose();
      await c.sendFrame({ opcode: Op.Close, payload: closePayload(4000) });
      c.end();
    });
    const p = openProbe(t, { url: peer.url, deflate: false });
    let closed = false;
    p.conn.on((e) => {
      if (e.type === 'message' && !closed) {
        closed = true;
        p.conn.close(4000, 'enough');
      }
    });
    const info = await p.closedInfo();
    assert.equal(info.code, 4000);
    assert.equal(info.wasClean, true);
    const conn = await peer.waitForConnection();
    // Exactly one close frame, no data frames (RFC 6455 §5.5.1: no data after Close).
    assert.deepEqual(conn.frames.map((f) => f.opcode), [Op.Close]);
  });

  test('terminate() from a message listener: nothing is emitted after CLOSED', T, async (t) => {
    const peer = await acceptedPeer(t, async (c) => {
      await c.write(Buffer.concat([
        encodeFrame({ opcode: Op.Text, payload: 'one' }),
        encodeFrame({ opcode: Op.Ping, payload: 'p' }),
        encodeFrame({ opcode: Op.Text, payload: 'two' }),
      ]));
    });
    const p = openProbe(t, { url: peer.url, deflate: false });
    p.conn.on((e) => {
      if (e.type === 'message') p.conn.terminate();
    });
    const info = await p.closedInfo();
    assert.equal(info.code, 1006);
    assert.equal(p.messages('in').length, 1);
    const conn = await peer.waitForConnection();
    await conn.waitForEnd();
    assert.deepEqual(conn.frames.map((f) => f.opcode), [], 'no pong or close after terminate()');
    // The probe's after-hook also checks that no event followed CLOSED.
  });

  test('a listener that throws does not break the connection', T, async (t) => {
    const peer = await acceptedPeer(t, async (c) => {
      await c.sendFrame({ opcode: Op.Text, payload: 'boom' });
      await c.sendFrame({ opcode: Op.Text, payload: 'still here' });
    });
    const p = openProbe(t, { url: peer.url, deflate: false });
    const originalError = console.error;
    console.error = () => undefined; // the transport logs the listener's exception; keep test output clean
    t.after(() => {
      console.error = originalError;
    });
    p.conn.on((e) => {
      if (e.type === 'message') throw new Error('listener bug');
    });
    const got = await p.messagesIn(2);
    assert.deepEqual(got.map((m) => m.text), ['boom', 'still here']);
    assert.equal(p.conn.state, 'OPEN');
  });
});

describe('what the client sends', () => {
  test('a Uint8Array view at an odd offset is sent exactly (masking honours byteOffset)', T, async (t) => {
    const peer = await acceptedPeer(t);
    const p = await openProbe(t, { url: peer.url, deflate: false }).opened();
    const backing = new Uint8Array(200_003);
    for (let i = 0; i < backing.length; i++) backing[i] = (i * 131) & 0xff;
    const view = backing.subarray(3, 3 + 200_000);
    p.conn.sendBinary(view);
    p.conn.sendBinary(backing.subarray(1, 6));
    const conn = await peer.waitForConnection();
    const frames = await conn.waitForFrameCount(2);
    assert.ok(frames[0].payload.equals(Buffer.from(view)), 'large view payload differs');
    assert.equal(frames[1].payload.toString('hex'), Buffer.from(backing.subarray(1, 6)).toString('hex'));
    // RFC 6455 §5.3: a fresh masking key per frame.
    assert.notEqual(frames[0].maskKey?.toString('hex'), frames[1].maskKey?.toString('hex'));
  });

  test('ping without payload and an unsolicited pong reach the server as sent', T, async (t) => {
    const peer = await acceptedPeer(t);
    const p = await openProbe(t, { url: peer.url, deflate: false }).opened();
    p.conn.ping();
    p.conn.pong(new TextEncoder().encode('heartbeat'));
    const frames = await (await peer.waitForConnection()).waitForFrameCount(2);
    assert.deepEqual(frames.map((f) => [f.opcode, f.payload.toString()]), [[Op.Ping, ''], [Op.Pong, 'heartbeat']]);
  });
});
