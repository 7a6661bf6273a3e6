// Property-based hostile-server runs (fast-check): random message sequences and random byte
// strings, fragmented and written at random split points, against the real client over a socket.
// Oracles are independent of our code: the sequence the server sent, and the platform's fatal
// TextDecoder for UTF-8 validity.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { startRawPeer } from '../../../e2e/peers/raw-peer.ts';
import { dataMessages, encodeFrame, closePayload, Op } from '../../../e2e/peers/frames.ts';
import { Probe } from './probe.ts';
import { contextDeflater, deflateMessage, inflateClientMessages } from './hostile.ts';

const RUNS = 25;
const T = { timeout: 120_000 };
const NORMAL_CLOSURE = 1000;
const INVALID_PAYLOAD = 1007;

interface Msg {
  opcode: number;
  payload: Buffer;
  /** Fragment sizes (the last fragment takes the rest). */
  cuts: number[];
  /** Ping payloads interleaved after each fragment (may be empty). */
  pings: string[];
}

const msgArb: fc.Arbitrary<Msg> = fc.record({
  opcode: fc.constantFrom(Op.Text, Op.Binary),
  payload: fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 300 }).map((s) => Buffer.from(s, 'utf8')),
    fc.uint8Array({ maxLength: 2000 }).map((a) => Buffer.from(a)),
  ),
  cuts: fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 4 }),
  pings: fc.array(fc.string({ maxLength: 20 }), { maxLength: 3 }),
}).map((m) => (m.opcode === Op.Text ? { ...m, payload: Buffer.from(m.payload.toString('utf8'), 'utf8') } : m));

function framesFor(m: Msg): { bytes: Buffer[]; pongs: string[] } {
  const bytes: Buffer[] = [];
  const pongs: string[] = [];
  let pos = 0;
  const pieces: Buffer[] = [];
  for (const c of m.cuts) {
    if (pos >= m.payload.length) break;
    pieces.push(m.payload.subarray(pos, pos + c));
    pos += c;
  }
  pieces.push(m.payload.subarray(pos));
  pieces.forEach((piece, i) => {
    bytes.push(encodeFrame({ opcode: i === 0 ? m.opcode : Op.Continuation, fin: i === pieces.length - 1, payload: piece }));
    const ping = m.pings[i];
    // RFC 6455 §5.4: control frames may be injected in the middle of a fragmented message.
    if (ping !== undefined) {
      bytes.push(encodeFrame({ opcode: Op.Ping, payload: ping }));
      pongs.push(ping);
    }
  });
  return { bytes, pongs };
}

/** Split a buffer into chunks at the given (sorted, deduplicated) offsets. */
function chop(buf: Buffer, offsets: number[]): Buffer[] {
  const points = [...new Set(offsets.map((o) => o % (buf.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const p of points) {
    if (p > prev) out.push(buf.subarray(prev, p));
    prev = Math.max(prev, p);
  }
  out.push(buf.subarray(prev));
  return out.filter((b) => b.length > 0);
}

test('random fragmented messages with interleaved pings, written at random split points, are echoed exactly', T, async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(msgArb, { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { maxLength: 8 }), async (msgs, splits) => {
      const peer = await startRawPeer(async (c) => {
        await c.accept();
        const parts = msgs.map(framesFor);
        c.socket.setNoDelay(true);
        for (const chunk of chop(Buffer.concat(parts.flatMap((p) => p.bytes)), splits)) await c.write(chunk);
        const pongCount = parts.reduce((n, p) => n + p.pongs.length, 0);
        await c.waitUntil(() => dataMessages(c.frames).length >= msgs.length && c.frames.filter((f) => f.opcode === Op.Pong).length >= pongCount, 'echoes and pongs');
        await c.sendFrame({ opcode: Op.Close, payload: closePayload(NORMAL_CLOSURE) });
        await c.waitForClose();
        c.end();
      });
      const probe = new Probe({ url: peer.url, deflate: false }).echo();
      try {
        await peer.scriptDone(1, 20_000);
        const conn = peer.connections[0];
        assert.deepEqual(
          dataMessages(conn.frames).map((m) => [m.opcode, m.payload.toString('hex')]),
          msgs.map((m) => [m.opcode, m.payload.toString('hex')]),
        );
        const expectedPongs = msgs.flatMap((m) => framesFor(m).pongs);
        assert.deepEqual(conn.frames.filter((f) => f.opcode === Op.Pong).map((f) => f.payload.toString()), expectedPongs);
        assert.ok(conn.frames.every((f) => f.masked));
        const info = await probe.closedInfo();
        assert.equal(info.code, NORMAL_CLOSURE);
        assert.deepEqual(probe.violations, []);
      } finally {
        probe.dispose();
        await peer.stop();
      }
    }),
    { numRuns: RUNS },
  );
});

test('random bytes as a fragmented text message: echoed iff valid UTF-8 (oracle: fatal TextDecoder), else 1007', T, async () => {
  const oracle = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const bytesArb = fc.oneof(
    fc.uint8Array({ maxLength: 64 }),
    // Mostly-valid text with one mutated byte: the interesting boundary cases.
    fc.tuple(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }), fc.nat(), fc.integer({ min: 0x80, max: 0xff })).map(([s, i, b]) => {
      const buf = Buffer.from(s, 'utf8');
      buf[i % buf.length] = b;
      return new Uint8Array(buf);
    }),
  );
  await fc.assert(
    fc.asyncProperty(bytesArb, fc.array(fc.integer({ min: 0, max: 64 }), { maxLength: 3 }), async (raw, cuts) => {
      const payload = Buffer.from(raw);
      let valid = true;
      try {
        oracle.decode(payload);
      } catch {
        valid = false;
      }
      const msg: Msg = { opcode: Op.Text, payload, cuts, pings: [] };
      const peer = await startRawPeer(async (c) => {
        await c.accept();
        await c.write(Buffer.concat(framesFor(msg).bytes));
        if (valid) {
          await c.waitUntil(() => dataMessages(c.frames).length >= 1, 'the echo');
          await c.sendFrame({ opcode: Op.Close, payload: closePayload(NORMAL_CLOSURE) });
        }
        await c.waitForClose();
        c.end();
      });
      const probe = new Probe({ url: peer.url, deflate: false }).echo();
      try {
        await peer.scriptDone(1, 20_000);
        const conn = peer.connections[0];
        const close = conn.frames.find((f) => f.opcode === Op.Close);
        if (valid) {
          assert.deepEqual(dataMessages(conn.frames).map((m) => m.payload.toString('hex')), [payload.toString('hex')]);
          assert.equal(close?.closeCode, NORMAL_CLOSURE);
        } else {
          assert.equal(dataMessages(conn.frames).length, 0, `invalid UTF-8 ${payload.toString('hex')} was echoed`);
          assert.equal(close?.closeCode, INVALID_PAYLOAD, `bytes ${payload.toString('hex')}`);
        }
        await probe.closedInfo();
        assert.deepEqual(probe.violations, []);
      } finally {
        probe.dispose();
        await peer.stop();
      }
    }),
    { numRuns: RUNS * 4 },
  );
});

test('permessage-deflate: random messages, parameters and fragmentation round-trip through the client', T, async () => {
  const paramsArb = fc.record({
    serverNoContext: fc.boolean(),
    clientNoContext: fc.boolean(),
    serverBits: fc.integer({ min: 9, max: 15 }),
  });
  // Repetitive content so back-references (within and across messages) actually occur.
  const wordArb = fc.constantFrom('alpha ', 'beta ', 'gamma ', 'δέλτα ', '🎉 ', 'x', '\n');
  const messageArb = fc.array(wordArb, { maxLength: 3000 }).map((w) => w.join(''));
  await fc.assert(
    fc.asyncProperty(paramsArb, fc.array(messageArb, { minLength: 1, maxLength: 6 }), fc.array(fc.integer({ min: 1, max: 500 }), { maxLength: 3 }), async (k, messages, cuts) => {
      const ext = ['permessage-deflate', `server_max_window_bits=${k.serverBits}`];
      if (k.serverNoContext) ext.push('server_no_context_takeover');
      if (k.clientNoContext) ext.push('client_no_context_takeover');
      const peer = await startRawPeer(async (c) => {
        await c.accept({ extensions: ext.join('; ') });
        const d = k.serverNoContext ? null : contextDeflater(k.serverBits);
        for (const m of messages) {
          const z = d ? await d.compress(m) : deflateMessage(m, k.serverBits);
          const pieces: Buffer[] = [];
          let pos = 0;
          for (const cut of cuts) {
            if (pos + cut >= z.length) break;
            pieces.push(z.subarray(pos, pos + cut));
            pos += cut;
          }
          pieces.push(z.subarray(pos));
          // RFC 7692 §6.1: RSV1 on the first frame only.
          await c.write(Buffer.concat(pieces.map((p, i) => encodeFrame({ opcode: i === 0 ? Op.Text : Op.Continuation, rsv1: i === 0, fin: i === pieces.length - 1, payload: p }))));
        }
        d?.close();
      });
      const probe = new Probe({ url: peer.url }).echo();
      try {
        await peer.scriptDone(1, 20_000);
        const got = await probe.messagesIn(messages.length, 20_000);
        assert.deepEqual(got.map((m) => m.text), messages);
        const conn = peer.connections[0];
        await conn.waitUntil(() => dataMessages(conn.frames).length >= messages.length, 'the echoes', 20_000);
        const echoed = dataMessages(conn.frames);
        const lengths = messages.map((m) => Buffer.byteLength(m));
        const allCompressed = echoed.every((e) => e.rsv1);
        const inflated = allCompressed && !k.clientNoContext
          ? inflateClientMessages(echoed.map((e) => e.payload), lengths, true)
          : echoed.map((e, i) => (e.rsv1 ? inflateClientMessages([e.payload], [lengths[i]], false)[0] : e.payload));
        assert.deepEqual(inflated.map((b) => b.toString('utf8')), messages);
        assert.deepEqual(probe.violations, []);
      } finally {
        probe.dispose();
        await peer.stop();
      }
    }),
    { numRuns: RUNS },
  );
});
