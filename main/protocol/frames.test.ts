// RFC 6455 §5.7 example frames and every framing rule (§5.2–§5.5), fed whole, at every split
// point and byte by byte into the sans-I/O core.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { CloseCode, Opcode } from '../../shared/protocol-constants.ts';
import { concat, decodeClientFrame, hex, latin1, opened, requestKey, response101, serverFrame, testEnv, url, Recorder, type Rec } from './test/harness.ts';
import { ClientProtocol as Core, type ProtocolSink } from './client-protocol.ts';
import type { ClientProtocol } from './client-protocol.ts';

/** A core with a custom sink (the request is captured to learn the key). */
function startedWith(sink: Omit<ProtocolSink, 'write'> & { write(d: Uint8Array): void }) {
  const rec = new Recorder();
  const core = new Core({ url: url(), deflate: false }, testEnv(), { ...sink, write: (d) => { if (rec.writes.length === 0) rec.write(d); sink.write(d); } });
  core.start();
  return { core, key: requestKey(rec) };
}

type Feed = (core: ClientProtocol, bytes: Uint8Array) => void;
const whole: Feed = (c, b) => c.receiveData(b);
const byteByByte: Feed = (c, b) => { for (let i = 0; i < b.length; i++) c.receiveData(b.subarray(i, i + 1)); };
function splitAt(k: number): Feed {
  return (c, b) => { c.receiveData(b.subarray(0, k)); c.receiveData(b.subarray(k)); };
}
/** Every way to feed `bytes`: whole, each 2-way split, byte by byte. */
function everyFeed(bytes: Uint8Array): [string, Feed][] {
  const feeds: [string, Feed][] = [['whole', whole], ['byte by byte', byteByByte]];
  for (let k = 1; k < bytes.length; k++) feeds.push([`split at ${k}`, splitAt(k)]);
  return feeds;
}
const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');

describe('RFC 6455 §5.7 examples', () => {
  const helloUnmasked = hex('81 05 48 65 6c 6c 6f');
  const fragmented = hex('01 03 48 65 6c 80 02 6c 6f');
  const ping = hex('89 05 48 65 6c 6c 6f');
  const bin256 = concat(hex('82 7E 01 00'), new Uint8Array(256).map((_, i) => i));
  const bin64k = concat(hex('82 7F 00 00 00 00 00 01 00 00'), new Uint8Array(65536).map((_, i) => (i * 7) & 0xff));

  test('single-frame unmasked text "Hello"', () => {
    for (const [name, feed] of everyFeed(helloUnmasked)) {
      const { core, rec } = opened();
      feed(core, helloUnmasked);
      assert.deepEqual(rec.messagesIn.map((m) => m.text), ['Hello'], name);
      const f = rec.framesIn[0];
      assert.equal(f.headerLength, 2);
      assert.equal(f.payloadLength, 5);
      assert.equal(f.messageSeq, 1);
      assert.equal(f.fragmentIndex, 0);
      assert.equal(core.state, 'OPEN');
    }
  });

  test('a masked "Hello" from a server is refused with 1002 (§5.1)', () => {
    const masked = hex('81 85 37 fa 21 3d 7f 9f 4d 51 58');
    for (const [name, feed] of everyFeed(masked)) {
      const { core, rec } = opened();
      feed(core, masked);
      assert.equal(rec.errors[0]?.closeCode, CloseCode.ProtocolError, name);
      assert.match(rec.errors[0].message, /masked/);
      assert.equal(core.state, 'CLOSED');
      // We told the server why: a close frame with 1002.
      const close = decodeClientFrame(rec.writes[0]);
      assert.equal(close.opcode, Opcode.Close);
      assert.equal((close.payload[0] << 8) | close.payload[1], 1002);
    }
  });

  test('fragmented unmasked text "Hel" + "lo"', () => {
    for (const [name, feed] of everyFeed(fragmented)) {
      const { core, rec } = opened();
      feed(core, fragmented);
      assert.deepEqual(rec.messagesIn.map((m) => m.text), ['Hello'], name);
      assert.equal(rec.messagesIn[0].frameCount, 2);
      assert.deepEqual(rec.framesIn.map((f) => [f.opcode, f.fin, f.fragmentIndex, f.messageSeq]), [[1, false, 0, 1], [0, true, 1, 1]]);
    }
  });

  test('unmasked ping "Hello" is answered by a masked pong "Hello"', () => {
    for (const [name, feed] of everyFeed(ping)) {
      const { core, rec } = opened();
      feed(core, ping);
      assert.equal(rec.writes.length, 1, name);
      const pong = decodeClientFrame(rec.writes[0]);
      assert.equal(pong.opcode, Opcode.Pong);
      assert.equal(pong.masked, true);
      assert.equal(text(pong.payload), 'Hello');
      // The raw bytes on the wire are masked: 8a 85 <key> <masked Hello>
      assert.equal(rec.writes[0][0], 0x8a);
      assert.equal(rec.writes[0][1], 0x85);
    }
  });

  test('256-byte binary with a 16-bit length', () => {
    for (const [name, feed] of [['whole', whole], ['byte by byte', byteByByte], ...[1, 2, 3, 4, 5, 100, 259].map((k) => [`split ${k}`, splitAt(k)] as [string, Feed])] as [string, Feed][]) {
      const { core, rec } = opened();
      feed(core, bin256);
      assert.equal(rec.messagesIn.length, 1, name);
      assert.deepEqual(rec.messagesIn[0].data, bin256.subarray(4));
      assert.equal(rec.framesIn[0].headerLength, 4);
    }
    // every split point
    for (let k = 1; k < bin256.length; k++) {
      const { core, rec } = opened();
      splitAt(k)(core, bin256);
      assert.equal(rec.messagesIn[0]?.data.length, 256, `split ${k}`);
    }
  });

  test('64 KiB binary with a 64-bit length, whole, at header split points and in 1000-byte chunks', () => {
    const feeds: [string, Feed][] = [['whole', whole]];
    for (let k = 1; k <= 11; k++) feeds.push([`split ${k}`, splitAt(k)]);
    feeds.push(['chunks of 1000', (c, b) => { for (let i = 0; i < b.length; i += 1000) c.receiveData(b.subarray(i, i + 1000)); }]);
    feeds.push(['byte by byte', byteByByte]);
    for (const [name, feed] of feeds) {
      const { core, rec } = opened();
      feed(core, bin64k);
      assert.equal(rec.messagesIn.length, 1, name);
      assert.deepEqual(rec.messagesIn[0].data, bin64k.subarray(10), name);
      assert.equal(rec.framesIn[0].headerLength, 10);
    }
  });

  test('64 KiB binary at EVERY split point (one core, a lean sink so nothing is retained)', () => {
    let count = 0;
    let bad = '';
    const expected = bin64k.subarray(10);
    const sink = {
      write() {}, onState() {}, onHandshake() {}, onFrame() {},
      onError(e: { message: string }) { bad = e.message; },
      onMessage(m: { data: Uint8Array }) {
        const d = m.data;
        // Full comparison on a sample of splits, endpoints and length on all (4 GB of compares otherwise).
        if (d.length !== 65536 || d[0] !== expected[0] || d[65535] !== expected[65535] || d[count % 65536] !== expected[count % 65536]) bad = `split ${count + 1}`;
        if (count % 4099 === 0) assert.deepEqual(d, expected);
        count++;
      },
    };
    const { core, key } = startedWith(sink);
    core.receiveData(latin1(response101(key)));
    for (let k = 1; k < bin64k.length; k++) {
      core.receiveData(bin64k.subarray(0, k));
      core.receiveData(bin64k.subarray(k));
    }
    assert.equal(bad, '');
    assert.equal(count, bin64k.length - 1);
  });

  test('thousands of frames in one chunk, payloads are views (no copy) into the chunk', () => {
    const frames: Uint8Array[] = [];
    for (let i = 0; i < 3000; i++) frames.push(serverFrame({ opcode: Opcode.Binary, payload: new Uint8Array([i & 0xff, i >> 8]) }));
    const chunk = concat(...frames);
    const { core, rec } = opened();
    core.receiveData(chunk);
    assert.equal(rec.messagesIn.length, 3000);
    assert.equal(rec.messagesIn[2999].data[0], 2999 & 0xff);
    assert.equal(rec.messagesIn[5].data.buffer, chunk.buffer);
  });
});

function failWith(bytes: Uint8Array, closeCode: number, re: RegExp, opts: Parameters<typeof opened>[0] = {}, extra: string[] = []) {
  for (const [name, feed] of [['whole', whole], ['byte by byte', byteByByte]] as [string, Feed][]) {
    const { core, rec } = opened(opts, extra);
    feed(core, bytes);
    assert.equal(rec.errors.length, 1, `${name}: ${JSON.stringify(rec.errors)}`);
    assert.equal(rec.errors[0].closeCode, closeCode, name);
    assert.match(rec.errors[0].message, re, name);
    assert.equal(core.state, 'CLOSED');
    assert.equal(rec.close?.code, closeCode);
    assert.equal(rec.close?.wasClean, false);
    const close = decodeClientFrame(rec.writes[rec.writes.length - 1]);
    assert.equal(close.opcode, Opcode.Close, name);
    assert.equal((close.payload[0] << 8) | close.payload[1], closeCode, name);
    // After failing, input is discarded: more bytes change nothing.
    const before = rec.log.length;
    core.receiveData(serverFrame({ opcode: Opcode.Text, payload: 'late' }));
    assert.equal(rec.log.length, before);
  }
}

describe('1002 protocol errors', () => {
  test('RSV1/RSV2/RSV3 without a negotiated extension', () => {
    failWith(serverFrame({ opcode: Opcode.Text, payload: 'x', rsv1: true }), 1002, /RSV1/);
    failWith(serverFrame({ opcode: Opcode.Text, payload: 'x', rsv2: true }), 1002, /RSV2/);
    failWith(serverFrame({ opcode: Opcode.Text, payload: 'x', rsv3: true }), 1002, /RSV3/);
  });
  test('reserved opcodes', () => {
    for (const op of [3, 4, 5, 6, 7]) failWith(serverFrame({ opcode: op }), 1002, /reserved data opcode/);
    for (const op of [0xb, 0xc, 0xd, 0xe, 0xf]) failWith(serverFrame({ opcode: op }), 1002, /reserved control opcode/);
  });
  test('control frame longer than 125 bytes, or fragmented', () => {
    failWith(serverFrame({ opcode: Opcode.Ping, payload: new Uint8Array(126) }), 1002, /longer than 125/);
    failWith(serverFrame({ opcode: Opcode.Pong, payload: new Uint8Array(10), fin: false }), 1002, /fragmented a control frame/);
  });
  test('continuation with no message open; new data frame while fragmented', () => {
    failWith(serverFrame({ opcode: Opcode.Continuation, payload: 'x' }), 1002, /no fragmented message/);
    failWith(concat(serverFrame({ opcode: Opcode.Text, payload: 'a', fin: false }), serverFrame({ opcode: Opcode.Binary, payload: 'b' })), 1002, /still open/);
  });
  test('close payload of one byte; close codes not allowed on the wire', () => {
    failWith(serverFrame({ opcode: Opcode.Close, payload: new Uint8Array([3]) }), 1002, /1-byte/);
    for (const code of [0, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65535]) {
      failWith(serverFrame({ opcode: Opcode.Close, payload: new Uint8Array([code >> 8, code & 0xff]) }), 1002, new RegExp(`close code ${code}`));
    }
  });
  test('64-bit length with the top bit set', () => {
    failWith(hex('82 7F 80 00 00 00 00 00 00 01'), 1002, /most significant bit/);
  });
});

describe('1007 invalid UTF-8', () => {
  test('in a single text frame', () => {
    failWith(serverFrame({ opcode: Opcode.Text, payload: hex('48 c3 28') }), 1007, /invalid UTF-8/);
    failWith(serverFrame({ opcode: Opcode.Text, payload: hex('ed a0 80') }), 1007, /invalid UTF-8/); // surrogate
    failWith(serverFrame({ opcode: Opcode.Text, payload: hex('c0 af') }), 1007, /invalid UTF-8/); // overlong
    failWith(serverFrame({ opcode: Opcode.Text, payload: hex('f4 90 80 80') }), 1007, /invalid UTF-8/); // > U+10FFFF
    failWith(serverFrame({ opcode: Opcode.Text, payload: hex('e2 82') }), 1007, /middle of a UTF-8 character/);
  });
  test('fails at the fragment where the bytes become invalid, not at the end', () => {
    const { core, rec } = opened();
    core.receiveData(serverFrame({ opcode: Opcode.Text, payload: hex('e2 82'), fin: false })); // valid prefix of €
    assert.equal(rec.errors.length, 0);
    core.receiveData(serverFrame({ opcode: Opcode.Continuation, payload: hex('ac 41'), fin: false })); // completes €, then A
    assert.equal(rec.errors.length, 0);
    core.receiveData(serverFrame({ opcode: Opcode.Continuation, payload: hex('ff'), fin: false })); // invalid now
    assert.equal(rec.errors[0]?.closeCode, 1007);
    assert.match(rec.errors[0].message, /fragment 2/);
  });
  test('in a large frame: fails as soon as the invalid bytes arrive, before the rest of the frame', () => {
    for (const fast of [true, false]) {
      const payload = concat(new TextEncoder().encode('valid start '), hex('c0 80'), new Uint8Array(65536).fill(0x61));
      const frame = serverFrame({ opcode: Opcode.Text, payload });
      const { core, rec } = opened({}, [], testEnv({ fastUtf8: fast }));
      core.receiveData(frame.subarray(0, 4 + 5)); // header + "valid"
      assert.equal(core.state, 'OPEN');
      core.receiveData(frame.subarray(9, 4 + 14 + 100));
      assert.equal(rec.errors[0]?.closeCode, 1007, `fast ${fast}`);
      assert.match(rec.errors[0].message, /before its frame was complete/);
      assert.equal(decodeClientFrame(rec.writes[0]).opcode, Opcode.Close);
      core.receiveData(frame.subarray(4 + 14 + 100));
      assert.equal(rec.messagesIn.length, 0);
    }
  });
  test('a valid text message fed byte by byte across fragments validates once and completes', () => {
    const text = 'π≈3.14159 😀 '.repeat(30);
    const b = new TextEncoder().encode(text);
    const bytes = concat(serverFrame({ opcode: Opcode.Text, fin: false, payload: b.subarray(0, 101) }), serverFrame({ opcode: Opcode.Ping }), serverFrame({ opcode: Opcode.Continuation, payload: b.subarray(101) }));
    for (const fast of [true, false]) {
      const { core, rec } = opened({}, [], testEnv({ fastUtf8: fast }));
      byteByByte(core, bytes);
      assert.equal(rec.messagesIn[0]?.text, text);
      for (let k = 1; k < bytes.length; k += 37) {
        const o = opened({}, [], testEnv({ fastUtf8: fast }));
        splitAt(k)(o.core, bytes);
        assert.equal(o.rec.messagesIn[0]?.text, text, `split ${k}`);
      }
    }
  });
  test('a character split across fragments is valid', () => {
    const { core, rec } = opened();
    core.receiveData(serverFrame({ opcode: Opcode.Text, payload: hex('f0 9f'), fin: false }));
    core.receiveData(serverFrame({ opcode: Opcode.Continuation, payload: hex('98'), fin: false }));
    core.receiveData(serverFrame({ opcode: Opcode.Continuation, payload: hex('80') }));
    assert.equal(rec.messagesIn[0]?.text, '😀');
  });
  test('in a close reason', () => {
    failWith(serverFrame({ opcode: Opcode.Close, payload: hex('03 e8 ff fe') }), 1007, /close reason/);
  });
  test('binary messages are not validated', () => {
    const { core, rec } = opened();
    core.receiveData(serverFrame({ opcode: Opcode.Binary, payload: hex('ff fe') }));
    assert.equal(rec.errors.length, 0);
    assert.equal(rec.messagesIn.length, 1);
  });
});

describe('1009 message too big', () => {
  test('a single frame above the limit fails at its header, before its payload arrives', () => {
    const { core, rec } = opened({ maxMessageBytes: 100 });
    core.receiveData(hex('82 7E 00 65')); // header only: 101 bytes announced
    assert.equal(rec.errors[0]?.closeCode, 1009);
    assert.equal(core.state, 'CLOSED');
  });
  test('the limit is summed across fragments', () => {
    failWith(concat(serverFrame({ opcode: Opcode.Text, payload: 'a'.repeat(60), fin: false }), serverFrame({ opcode: Opcode.Continuation, payload: 'b'.repeat(41) })), 1009, /limit is 100/, { maxMessageBytes: 100 });
    const { core, rec } = opened({ maxMessageBytes: 100 });
    core.receiveData(concat(serverFrame({ opcode: Opcode.Text, payload: 'a'.repeat(60), fin: false }), serverFrame({ opcode: Opcode.Continuation, payload: 'b'.repeat(40) })));
    assert.equal(rec.messagesIn[0]?.text?.length, 100);
  });
  test('a huge 64-bit length fails without buffering', () => {
    failWith(hex('82 7F 7F FF FF FF FF FF FF FF'), 1009, /limit/);
  });
});

describe('control frames, pings and closes', () => {
  test('control frames between fragments are handled; the message still completes', () => {
    const bytes = concat(
      serverFrame({ opcode: Opcode.Text, payload: 'Hel', fin: false }),
      serverFrame({ opcode: Opcode.Ping, payload: 'p' }),
      serverFrame({ opcode: Opcode.Pong, payload: 'q' }),
      serverFrame({ opcode: Opcode.Continuation, payload: 'lo' }),
    );
    for (const [name, feed] of everyFeed(bytes)) {
      const { core, rec } = opened();
      feed(core, bytes);
      assert.deepEqual(rec.messagesIn.map((m) => m.text), ['Hello'], name);
      assert.deepEqual(rec.framesIn.map((f) => f.opcode), [1, 9, 10, 0]);
      assert.equal(decodeClientFrame(rec.writes[0]).opcode, Opcode.Pong);
    }
  });
  test('while the transport is backlogged, pongs are held back and only the latest is sent on drain (§5.5.3)', () => {
    let backlog = 0;
    const { core, rec } = opened();
    const rec2 = rec as unknown as { backlog?: () => number };
    rec2.backlog = () => backlog;
    backlog = 2 * 1024 * 1024;
    for (let i = 0; i < 1000; i++) core.receiveData(serverFrame({ opcode: Opcode.Ping, payload: `p${i}` }));
    assert.equal(rec.writes.length, 0);
    backlog = 0;
    core.drained();
    assert.equal(rec.writes.length, 1);
    assert.equal(text(decodeClientFrame(rec.writes[0]).payload), 'p999');
    core.drained();
    assert.equal(rec.writes.length, 1, 'nothing more to send');
    core.receiveData(serverFrame({ opcode: Opcode.Ping, payload: 'now' }));
    assert.equal(text(decodeClientFrame(rec.writes[1]).payload), 'now', 'answered at once when not backlogged');
  });
  test('autoPong off: pings are reported but not answered; unsolicited pongs are no error', () => {
    const { core, rec } = opened({ autoPong: false });
    core.receiveData(concat(serverFrame({ opcode: Opcode.Ping, payload: 'x' }), serverFrame({ opcode: Opcode.Pong, payload: 'y' })));
    assert.equal(rec.writes.length, 0);
    assert.equal(rec.errors.length, 0);
    assert.equal(rec.framesIn.length, 2);
  });
  test('server-initiated close: we echo the code, wait for TCP end, then CLOSED clean', () => {
    const { core, rec } = opened();
    core.receiveData(concat(serverFrame({ opcode: Opcode.Close, payload: hex('0f a0 62 79 65') }), serverFrame({ opcode: Opcode.Text, payload: 'ignored' })));
    assert.equal(core.state, 'CLOSING');
    const reply = decodeClientFrame(rec.writes[0]);
    assert.equal(reply.opcode, Opcode.Close);
    assert.deepEqual([...reply.payload], [0x0f, 0xa0]);
    assert.equal(rec.messagesIn.length, 0, 'data after a close is ignored');
    assert.throws(() => core.sendText('no'), /CLOSING/);
    core.receiveEof();
    assert.deepEqual(rec.close, { code: 4000, reason: 'bye', wasClean: true, initiatedBy: 'server' });
    assert.equal(rec.errors.length, 0);
  });
  test('empty server close → reported 1005, answered with an empty close (1005 is never sent)', () => {
    const { core, rec } = opened();
    core.receiveData(serverFrame({ opcode: Opcode.Close }));
    assert.equal(decodeClientFrame(rec.writes[0]).payload.length, 0);
    core.receiveEof();
    assert.equal(rec.close?.code, 1005);
  });
  test('client-initiated close: CLOSING, server reply, TCP end → clean close with the server code', () => {
    const { core, rec } = opened();
    core.close(1000, 'done');
    const f = decodeClientFrame(rec.writes[0]);
    assert.equal(f.opcode, Opcode.Close);
    assert.equal(text(f.payload.subarray(2)), 'done');
    assert.equal(core.state, 'CLOSING');
    // data still arrives before the server's close
    core.receiveData(serverFrame({ opcode: Opcode.Text, payload: 'late but fine' }));
    assert.equal(rec.messagesIn.length, 1);
    core.receiveData(serverFrame({ opcode: Opcode.Close, payload: hex('03 e8') }));
    assert.equal(core.state, 'CLOSING');
    assert.equal(rec.writes.length, 1, 'no second close frame');
    core.receiveEof();
    assert.deepEqual(rec.close, { code: 1000, reason: '', wasClean: true, initiatedBy: 'client' });
  });
  test('close timeout with the server close received is clean; without it → CLOSE_TIMEOUT 1006', () => {
    const a = opened();
    a.core.close(1000);
    a.core.receiveData(serverFrame({ opcode: Opcode.Close, payload: hex('03 e8') }));
    a.core.closeTimeout();
    assert.equal(a.rec.close?.wasClean, true);
    const b = opened();
    b.core.close(3001, 'x');
    b.core.closeTimeout();
    assert.equal(b.rec.close?.code, 1006);
    assert.equal(b.rec.errors[0].code, 'CLOSE_TIMEOUT');
  });
  test('TCP loss without close → CLOSED 1006, reported and never sent', () => {
    const { core, rec } = opened();
    core.receiveEof();
    assert.deepEqual(rec.close, { code: 1006, reason: '', wasClean: false, initiatedBy: 'none' });
    assert.equal(rec.errors[0].code, 'NETWORK');
    assert.equal(rec.writes.length, 0);
  });
  test('close() validation: codes, reason length, reason without code', () => {
    const { core } = opened();
    for (const bad of [999, 1001, 1005, 1006, 1015, 2999, 5000, 1000.5]) assert.throws(() => core.close(bad), (e: Error & { code?: string }) => e.code === 'INVALID_ARGUMENT');
    assert.throws(() => core.close(undefined, 'why'), /needs a close code/);
    assert.throws(() => core.close(1000, 'é'.repeat(62)), /124 bytes/);
    core.close(4999, 'é'.repeat(61) + 'x'); // 123 bytes: allowed
    assert.equal(core.state, 'CLOSING');
    core.close(1000); // idempotent
  });
  test('no code: an empty close frame', () => {
    const { core, rec } = opened();
    core.close();
    assert.equal(decodeClientFrame(rec.writes[0]).payload.length, 0);
  });
});

describe('writer', () => {
  test('every frame is masked with a fresh key, minimal length encoding', () => {
    const { core, rec } = opened();
    for (const n of [0, 125, 126, 65535, 65536]) core.sendBinary(new Uint8Array(n).fill(0x5a));
    const frames = rec.writes.map(decodeClientFrame);
    assert.deepEqual(frames.map((f) => f.headerLength), [6, 6, 8, 8, 14]);
    assert.ok(frames.every((f) => f.masked));
    const keys = new Set(frames.map((f) => Buffer.from(f.key!).toString('hex')));
    assert.equal(keys.size, frames.length);
    assert.ok(frames.every((f, i) => f.payload.every((b) => b === 0x5a) && f.payload.length === [0, 125, 126, 65535, 65536][i]));
    assert.deepEqual(rec.framesOut.map((f) => f.headerLength), [6, 6, 8, 8, 14]);
  });
  test('fragmentSize splits into continuation frames; control frames may interleave', () => {
    const { core, rec } = opened();
    core.sendText('abcdefghij', 4);
    core.ping(new Uint8Array([1]));
    const f = rec.writes.map(decodeClientFrame);
    assert.deepEqual(f.map((x) => [x.opcode, x.fin, text(x.payload)]), [[1, false, 'abcd'], [0, false, 'efgh'], [0, true, 'ij'], [9, true, '\u0001']]);
    const m = rec.messages.filter((x) => x.dir === 'out');
    assert.equal(m[0].frameCount, 3);
    assert.equal(m[0].text, 'abcdefghij');
    assert.deepEqual(rec.framesOut.slice(0, 3).map((x) => x.fragmentIndex), [0, 1, 2]);
    assert.throws(() => core.sendText('x', -1), /fragmentSize/);
    assert.throws(() => core.ping(new Uint8Array(126)), /125/);
  });
  test('sendRawFrame writes exactly what it is told', () => {
    const { core, rec } = opened();
    core.sendRawFrame({ fin: false, rsv1: true, rsv2: true, rsv3: true, opcode: 0x3, mask: false, payload: new Uint8Array([1, 2]), lengthEncoding: '64' });
    assert.deepEqual([...rec.writes[0]], [0x73, 127, 0, 0, 0, 0, 0, 0, 0, 2, 1, 2]);
    core.sendRawFrame({ fin: true, rsv1: false, rsv2: false, rsv3: false, opcode: 1, mask: true, maskKey: hex('37fa213d'), payload: new TextEncoder().encode('Hello') });
    assert.deepEqual(rec.writes[1], hex('81 85 37 fa 21 3d 7f 9f 4d 51 58')); // RFC 6455 §5.7 masked "Hello"
    core.sendRawFrame({ fin: true, rsv1: false, rsv2: false, rsv3: false, opcode: 2, mask: true, maskKey: hex('00000000'), payload: new Uint8Array(3), lengthEncoding: '16' });
    assert.deepEqual([...rec.writes[2].subarray(0, 4)], [0x82, 0xfe, 0, 3]);
    assert.ok(rec.framesOut.every((f) => f.crafted));
    assert.throws(() => core.sendRawFrame({ fin: true, rsv1: false, rsv2: false, rsv3: false, opcode: 2, mask: false, payload: new Uint8Array(126), lengthEncoding: '7' }), /7-bit/);
    assert.throws(() => core.sendRawFrame({ fin: true, rsv1: false, rsv2: false, rsv3: false, opcode: 16, mask: false, payload: new Uint8Array(0) }), /0–15/);
  });
  test('sending while not OPEN throws NOT_OPEN', () => {
    const { core } = opened();
    core.receiveEof();
    for (const f of [() => core.sendText('x'), () => core.sendBinary(new Uint8Array(1)), () => core.ping(), () => core.pong()]) {
      assert.throws(f, (e: Error & { code?: string }) => e.code === 'NOT_OPEN');
    }
  });
});

test('events arrive in wire order', () => {
  const { core, rec } = opened();
  core.receiveData(concat(serverFrame({ opcode: Opcode.Text, payload: 'a' }), serverFrame({ opcode: Opcode.Close, payload: hex('03e8') })));
  const kinds = rec.log.map((r: Rec) => r.type === 'frame' ? `frame:${r.frame.dir}:${r.frame.opcode}` : r.type === 'state' ? `state:${r.state}` : r.type);
  assert.deepEqual(kinds, ['frame:in:1', 'message', 'frame:in:8', 'write', 'frame:out:8', 'state:CLOSING']);
});
