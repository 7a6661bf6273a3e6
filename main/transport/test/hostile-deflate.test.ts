// permessage-deflate against a raw server (Autobahn groups 12/13 in spirit): the server compresses
// with zlib under each negotiated parameter set, the client echoes, and the server inflates the
// client's frames itself to check them. Then the RSV1 rules and a decompression bomb.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { runHostile, deflateMessage, contextDeflater, inflateClientMessages, encodeFrame, Op, DEFLATE_TAIL } from './hostile.ts';
import type { RawConnection } from '../../../e2e/peers/raw-peer.ts';
import type { DecodedFrame } from '../../../e2e/peers/frames.ts';
import { startRawPeer } from '../../../e2e/peers/raw-peer.ts';
import { openProbe } from './probe.ts';

const T = { timeout: 30_000 };
const PROTOCOL_ERROR = 1002;
const MESSAGE_TOO_BIG = 1009;

/** Messages that compress well and repeat, so context takeover actually matters. */
const MESSAGES = [
  'Hello, compressed world! '.repeat(40),
  'Hello, compressed world! '.repeat(40),
  'short',
  '',
  'ünïcödé ✓ 𝄞 '.repeat(100),
];

/** Reassemble the client's compressed data messages (RSV1 on the first frame, RFC 7692 §6). */
function clientCompressedMessages(frames: readonly DecodedFrame[]): Array<{ payload: Buffer; rsv1: boolean }> {
  const out: Array<{ payload: Buffer; rsv1: boolean }> = [];
  let parts: Buffer[] | null = null;
  let rsv1 = false;
  for (const f of frames) {
    if ((f.opcode & 0x8) !== 0) continue;
    if (f.opcode !== Op.Continuation) {
      parts = [];
      rsv1 = f.rsv1;
    }
    parts?.push(f.payload);
    if (f.fin && parts) {
      out.push({ payload: Buffer.concat(parts), rsv1 });
      parts = null;
    }
  }
  return out;
}

interface DeflateCase {
  name: string;
  response: string;
  serverContext: boolean;
  clientContext: boolean;
  serverWindow: number;
  clientWindow: number;
  /** Response includes client_max_window_bits: only valid if the client offered it. */
  needsClientWindowOffer?: boolean;
}

const CASES: DeflateCase[] = [
  { name: 'no parameters (context takeover both ways)', response: 'permessage-deflate', serverContext: true, clientContext: true, serverWindow: 15, clientWindow: 15 },
  { name: 'server_no_context_takeover', response: 'permessage-deflate; server_no_context_takeover', serverContext: false, clientContext: true, serverWindow: 15, clientWindow: 15 },
  { name: 'client_no_context_takeover', response: 'permessage-deflate; client_no_context_takeover', serverContext: true, clientContext: false, serverWindow: 15, clientWindow: 15 },
  { name: 'both no_context_takeover', response: 'permessage-deflate; server_no_context_takeover; client_no_context_takeover', serverContext: false, clientContext: false, serverWindow: 15, clientWindow: 15 },
  { name: 'server_max_window_bits=9', response: 'permessage-deflate; server_max_window_bits=9', serverContext: true, clientContext: true, serverWindow: 9, clientWindow: 15 },
  { name: 'server_max_window_bits=12', response: 'permessage-deflate; server_max_window_bits=12', serverContext: true, clientContext: true, serverWindow: 12, clientWindow: 15 },
  { name: 'client_max_window_bits=10', response: 'permessage-deflate; client_max_window_bits=10', serverContext: true, clientContext: true, serverWindow: 15, clientWindow: 10, needsClientWindowOffer: true },
  { name: 'client_max_window_bits=9 + client_no_context_takeover', response: 'permessage-deflate; client_max_window_bits=9; client_no_context_takeover', serverContext: true, clientContext: false, serverWindow: 15, clientWindow: 9, needsClientWindowOffer: true },
];

describe('12/13 permessage-deflate echo under each parameter set', () => {
  for (const k of CASES) {
    test(k.name, T, async (t) => {
      const peer = await startRawPeer(async (c: RawConnection) => {
        const request = await c.readRequest();
        const offer = request.get('sec-websocket-extensions') ?? '';
        if (k.needsClientWindowOffer && !/client_max_window_bits/.test(offer)) {
          throw new Error(`client did not offer client_max_window_bits (offer: "${offer}"), so a server may not limit its window (RFC 7692 §7.1.2.2)`);
        }
        await c.write(c.response101(request, { extensions: k.response }));
        const deflater = k.serverContext ? contextDeflater(k.serverWindow) : null;
        for (const m of MESSAGES) {
          const payload = deflater ? await deflater.compress(m) : deflateMessage(m, k.serverWindow);
          await c.sendFrame({ opcode: Op.Text, rsv1: true, payload });
        }
        deflater?.close();
      });
      t.after(() => peer.stop());
      const p = openProbe(t, { url: peer.url, deflate: true }).echo();
      const conn = await peer.waitForConnection();
      await peer.scriptDone();
      const got = await p.messagesIn(MESSAGES.length);
      assert.deepEqual(got.map((m) => m.text), MESSAGES);
      assert.equal(got[0].compressed, true);
      const d = p.handshake?.deflate;
      assert.ok(d);
      assert.equal(d.serverNoContextTakeover, !k.serverContext);
      assert.equal(d.clientNoContextTakeover, !k.clientContext);
      assert.equal(d.serverMaxWindowBits, k.serverWindow);
      assert.equal(d.clientMaxWindowBits, k.clientWindow);

      await conn.waitUntil(() => clientCompressedMessages(conn.frames).length >= MESSAGES.length, 'the client echoes');
      const echoed = clientCompressedMessages(conn.frames);
      // The client may send a message uncompressed (RSV1 clear); compressed ones must inflate.
      const compressed = echoed.filter((e) => e.rsv1);
      assert.ok(compressed.length > 0, 'the client compressed none of its echoes');
      const lengths = MESSAGES.map((m) => Buffer.byteLength(m));
      const inflated = k.clientContext && compressed.length === echoed.length
        ? inflateClientMessages(echoed.map((e) => e.payload), lengths, true, k.clientWindow)
        : echoed.map((e, i) => (e.rsv1 ? inflateClientMessages([e.payload], [lengths[i]], false, k.clientWindow)[0] : e.payload));
      assert.deepEqual(inflated.map((b) => b.toString('utf8')), MESSAGES);
      p.conn.close(1000);
      const close = await conn.waitForClose();
      assert.equal(close.closeCode, 1000);
      assert.equal(close.rsv1, false, 'RSV1 on a control frame');
      conn.end();
      await p.closedInfo();
    });
  }
});

test('compressed fragments with a ping between them, then an uncompressed message', T, async (t) => {
  const big = 'fragmented and compressed '.repeat(200);
  const compressed = deflateMessage(big);
  const third = Math.floor(compressed.length / 3);
  const peer = await startRawPeer(async (c) => {
    await c.accept({ extensions: 'permessage-deflate; server_no_context_takeover' });
    await c.sendFrame({ opcode: Op.Text, fin: false, rsv1: true, payload: compressed.subarray(0, third) });
    await c.sendFrame({ opcode: Op.Continuation, fin: false, payload: compressed.subarray(third, 2 * third) });
    await c.sendFrame({ opcode: Op.Ping, payload: 'mid' });
    await c.sendFrame({ opcode: Op.Continuation, payload: compressed.subarray(2 * third) });
    // RFC 7692 §6: RSV1 clear means this message is not compressed, even with the extension.
    await c.sendFrame({ opcode: Op.Binary, payload: Buffer.from([1, 2, 3]) });
  });
  t.after(() => peer.stop());
  const p = openProbe(t, { url: peer.url });
  const [m1, m2] = await p.messagesIn(2);
  assert.equal(m1.text, big);
  assert.equal(m1.compressed, true);
  assert.equal(m1.frameCount, 3);
  assert.equal(m2.compressed, false);
  assert.equal(Buffer.from(m2.data).toString('hex'), '010203');
  const conn = await peer.waitForConnection();
  const pong = await conn.waitForFrame((f) => f.opcode === Op.Pong, 'the pong');
  assert.equal(pong.payload.toString(), 'mid');
  assert.equal(pong.rsv1, false);
});

describe('RSV1 rules with permessage-deflate negotiated', () => {
  test('RSV1 on a continuation frame -> 1002 (RFC 7692 §6.1)', T, async (t) => {
    const compressed = deflateMessage('abcdefabcdef');
    await runHostile(t, {
      extensions: 'permessage-deflate',
      send: async (c) => {
        await c.sendFrame({ opcode: Op.Text, fin: false, rsv1: true, payload: compressed.subarray(0, 4) });
        await c.sendFrame({ opcode: Op.Continuation, rsv1: true, payload: compressed.subarray(4) });
      },
      close: PROTOCOL_ERROR,
      error: 'PROTOCOL',
    });
  });
  test('RSV1 on a ping -> 1002 (control frames are never compressed)', T, async (t) => {
    await runHostile(t, { extensions: 'permessage-deflate', send: (c) => c.sendFrame({ opcode: Op.Ping, rsv1: true, payload: 'x' }), close: PROTOCOL_ERROR, error: 'PROTOCOL' });
  });
  test('RSV1 on a close -> 1002', T, async (t) => {
    await runHostile(t, { extensions: 'permessage-deflate', send: (c) => c.sendFrame({ opcode: Op.Close, rsv1: true, payload: Buffer.from([0x03, 0xe8]) }), close: PROTOCOL_ERROR, badClose: true });
  });
  test('RSV1 when deflate was not negotiated -> 1002', T, async (t) => {
    await runHostile(t, { send: (c) => c.sendFrame({ opcode: Op.Text, rsv1: true, payload: deflateMessage('hello') }), close: PROTOCOL_ERROR, error: 'PROTOCOL' });
  });
  test('deflate bomb: 64 MiB of zeros in a small frame, maxMessageBytes 1 MiB -> 1009', T, async (t) => {
    const bomb = deflateMessage(Buffer.alloc(64 * 1024 * 1024));
    assert.ok(bomb.length < 100 * 1024, `bomb is ${bomb.length} bytes`);
    await runHostile(t, {
      extensions: 'permessage-deflate',
      client: { maxMessageBytes: 1024 * 1024 },
      send: (c) => c.write(encodeFrame({ opcode: Op.Binary, rsv1: true, payload: bomb })),
      close: MESSAGE_TOO_BIG,
      error: 'MESSAGE_TOO_BIG',
    });
  });
});

test('fragmented compressed message reassembles to the original text', T, async (t) => {
  const big = 'fragment me, then compress me '.repeat(300);
  const compressed = deflateMessage(big);
  const half = Math.floor(compressed.length / 2);
  const peer = await startRawPeer(async (c) => {
    await c.accept({ extensions: 'permessage-deflate' });
    await c.sendFrame({ opcode: Op.Text, fin: false, rsv1: true, payload: compressed.subarray(0, half) });
    await c.sendFrame({ opcode: Op.Continuation, payload: compressed.subarray(half) });
  });
  t.after(() => peer.stop());
  const p = openProbe(t, { url: peer.url });
  const [m] = await p.messagesIn(1);
  assert.equal(m.text, big);
  assert.equal(m.compressed, true);
  assert.equal(m.frameCount, 2);
  assert.equal(m.wireLength, compressed.length);
  const frames = p.frames('in').filter((f) => f.messageSeq === m.messageSeq);
  assert.deepEqual(frames.map((f) => f.rsv1), [true, false]);
  assert.equal(frames[1].inflatedLength, Buffer.byteLength(big));
});

describe('bad compressed data and unusual but valid compressed streams', () => {
  test('empty compressed messages: payload 0x00 and an empty payload both inflate to ""', T, async (t) => {
    const peer = await startRawPeer(async (c) => {
      await c.accept({ extensions: 'permessage-deflate; server_no_context_takeover' });
      // RFC 7692 §7.2.3.6: an empty message compresses to a single 0x00 byte after the tail is removed.
      await c.sendFrame({ opcode: Op.Text, rsv1: true, payload: Buffer.from([0x00]) });
      await c.sendFrame({ opcode: Op.Text, rsv1: true, payload: deflateMessage('') });
      await c.sendFrame({ opcode: Op.Binary, rsv1: true, payload: Buffer.alloc(0) });
      await c.sendFrame({ opcode: Op.Text, rsv1: true, payload: deflateMessage('after empties') });
    });
    t.after(() => peer.stop());
    const p = openProbe(t, { url: peer.url });
    const got = await p.messagesIn(4);
    assert.deepEqual(got.map((m) => (m.kind === 'text' ? m.text : Buffer.from(m.data).toString('hex'))), ['', '', '', 'after empties']);
  });
  test('a bomb split across fragments is stopped at maxMessageBytes -> 1009', T, async (t) => {
    const bomb = deflateMessage(Buffer.alloc(8 * 1024 * 1024));
    const half = Math.floor(bomb.length / 2);
    await runHostile(t, {
      extensions: 'permessage-deflate',
      client: { maxMessageBytes: 64 * 1024 },
      send: async (c) => {
        await c.sendFrame({ opcode: Op.Binary, fin: false, rsv1: true, payload: bomb.subarray(0, half) });
        await c.sendFrame({ opcode: Op.Continuation, payload: bomb.subarray(half) });
      },
      close: MESSAGE_TOO_BIG,
      error: 'MESSAGE_TOO_BIG',
    });
  });
  test('RSV1 frame whose payload is not DEFLATE data -> 1007 (RFC 7692 §8 / RFC 6455 §7.4.1)', T, async (t) => {
    await runHostile(t, { extensions: 'permessage-deflate', send: (c) => c.sendFrame({ opcode: Op.Binary, rsv1: true, payload: Buffer.from([0xff, 0xff, 0xff, 0xff, 0x00, 0x13]) }), close: 1007 });
  });
  test('compressed text that inflates to invalid UTF-8 -> 1007', T, async (t) => {
    await runHostile(t, {
      extensions: 'permessage-deflate',
      send: (c) => c.sendFrame({ opcode: Op.Text, rsv1: true, payload: deflateMessage(Buffer.from([0x61, 0x62, 0xc0, 0x80, 0x63])) }),
      close: 1007,
      error: 'INVALID_UTF8',
    });
  });
  test('messages ending in a BFINAL block (no sync-flush tail) are inflated (RFC 7692 §7.2.3.4)', T, async (t) => {
    const texts = ['final block one '.repeat(20), 'final block two '.repeat(20)];
    const peer = await startRawPeer(async (c) => {
      await c.accept({ extensions: 'permessage-deflate; server_no_context_takeover' });
      for (const m of texts) await c.sendFrame({ opcode: Op.Text, rsv1: true, payload: deflateRawSync(Buffer.from(m)) });
    });
    t.after(() => peer.stop());
    const p = openProbe(t, { url: peer.url });
    const got = await p.messagesIn(2);
    assert.deepEqual(got.map((m) => m.text), texts);
  });
  test('server_max_window_bits=8: a server using a 256-byte window is understood', T, async (t) => {
    const text = 'abcdefgh'.repeat(20); // distances stay far below 256
    const peer = await startRawPeer(async (c) => {
      await c.accept({ extensions: 'permessage-deflate; server_max_window_bits=8' });
      await c.sendFrame({ opcode: Op.Text, rsv1: true, payload: deflateMessage(text, 9) });
      await c.sendFrame({ opcode: Op.Text, rsv1: true, payload: deflateMessage(text, 9) });
    });
    t.after(() => peer.stop());
    const p = openProbe(t, { url: peer.url });
    const got = await p.messagesIn(2);
    assert.deepEqual(got.map((m) => m.text), [text, text]);
    assert.equal(p.handshake?.deflate?.serverMaxWindowBits, 8);
  });
  test('client_max_window_bits=8: the client still talks (zlib cannot make a 256-byte window)', T, async (t) => {
    const peer = await startRawPeer(async (c) => {
      const req = await c.readRequest();
      const offer = req.get('sec-websocket-extensions') ?? '';
      if (!/client_max_window_bits/.test(offer)) throw new Error(`client did not offer client_max_window_bits: "${offer}"`);
      await c.write(c.response101(req, { extensions: 'permessage-deflate; client_max_window_bits=8' }));
    });
    t.after(() => peer.stop());
    const p = await openProbe(t, { url: peer.url }).opened();
    await peer.scriptDone();
    const text = 'window eight '.repeat(50);
    p.conn.sendText(text);
    const conn = await peer.waitForConnection();
    const [f] = await conn.waitForFrameCount(1);
    // Either uncompressed (always allowed, RFC 7692 §6) or compressed within a 256-byte window.
    const body = f.rsv1 ? inflateRawSync(Buffer.concat([f.payload, DEFLATE_TAIL]), { windowBits: 15 }).toString() : f.payload.toString();
    assert.equal(body, text);
  });
});

describe('context takeover across a sliding 32 KiB window', () => {
  /** Pseudo-random but reproducible text, so matches only come from deliberate repeats. */
  function noise(n: number, seed: number): string {
    let x = seed;
    let out = '';
    for (let i = 0; i < n; i++) {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      out += String.fromCharCode(97 + (x % 26));
    }
    return out;
  }

  test('server messages refer back up to 32 KiB across many messages; all inflate', { timeout: 60_000 }, async (t) => {
    // Each message repeats a chunk of an earlier one at a distance just inside the 32 KiB window,
    // plus one message larger than the window itself.
    const messages: string[] = [];
    for (let i = 0; i < 30; i++) {
      const fresh = noise(6000, i + 1);
      const prev = messages.length ? messages[messages.length - 1].slice(0, 3000) : '';
      messages.push(fresh + prev);
    }
    messages.push(noise(70_000, 99));
    messages.push(messages[messages.length - 1].slice(-20_000) + 'tail');
    const peer = await startRawPeer(async (c) => {
      await c.accept({ extensions: 'permessage-deflate' });
      const d = contextDeflater(15);
      for (const m of messages) await c.sendFrame({ opcode: Op.Text, rsv1: true, payload: await d.compress(m) });
      d.close();
    });
    t.after(() => peer.stop());
    const p = openProbe(t, { url: peer.url });
    const got = await p.messagesIn(messages.length, 30_000);
    for (let i = 0; i < messages.length; i++) assert.ok(got[i].text === messages[i], `message ${i} differs`);
  });

  test('client compression keeps a valid context across many messages (server inflates as one stream)', { timeout: 60_000 }, async (t) => {
    const messages = Array.from({ length: 40 }, (_, i) => noise(2000, i % 5) + noise(3000, 100 + i));
    messages.push(noise(50_000, 7), noise(50_000, 7).slice(10_000, 40_000));
    const peer = await startRawPeer(async (c) => {
      await c.accept({ extensions: 'permessage-deflate' });
    });
    t.after(() => peer.stop());
    const p = await openProbe(t, { url: peer.url }).opened();
    for (const m of messages) p.conn.sendText(m);
    const conn = await peer.waitForConnection();
    await conn.waitUntil(() => clientCompressedMessages(conn.frames).length >= messages.length, 'all client messages', 30_000);
    const sent = clientCompressedMessages(conn.frames);
    assert.ok(sent.every((s) => s.rsv1), 'every message was compressed');
    const inflated = inflateClientMessages(sent.map((s) => s.payload), messages.map((m) => m.length), true, 15);
    for (let i = 0; i < messages.length; i++) assert.ok(inflated[i].toString() === messages[i], `client message ${i} differs after inflating`);
  });
});

test('client fragments a compressed message: RSV1 on the first frame only, the fragments inflate as one', T, async (t) => {
  const peer = await startRawPeer(async (c) => {
    await c.accept({ extensions: 'permessage-deflate; client_no_context_takeover' });
  });
  t.after(() => peer.stop());
  const p = await openProbe(t, { url: peer.url }).opened();
  const text = Array.from({ length: 400 }, (_, i) => `line ${i}: ${'abc'.repeat(i % 7)}`).join('\n');
  p.conn.sendText(text, { fragmentSize: 100 });
  const conn = await peer.waitForConnection();
  const frames = await conn.waitUntil(() => {
    const last = conn.frames.findIndex((f) => f.fin && (f.opcode & 0x8) === 0);
    return last >= 0 ? conn.frames.slice(0, last + 1) : undefined;
  }, 'the final fragment');
  assert.ok(frames.length > 1, 'the message was not fragmented');
  // RFC 7692 §6.1: the "Per-Message Compressed" bit is set on the first frame only.
  assert.deepEqual(frames.map((f) => f.rsv1), frames.map((_, i) => i === 0));
  assert.deepEqual(frames.map((f) => f.opcode), frames.map((_, i) => (i === 0 ? Op.Text : Op.Continuation)));
  assert.ok(frames.every((f) => f.payload.length <= 100), 'a fragment is larger than fragmentSize');
  const inflated = inflateClientMessages([Buffer.concat(frames.map((f) => f.payload))], [Buffer.byteLength(text)], false)[0];
  assert.equal(inflated.toString(), text);
});
