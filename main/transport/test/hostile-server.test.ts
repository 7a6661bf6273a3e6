// Hostile-server suite, in the spirit of Autobahn|Testsuite client cases (groups 1–7, 9, 10):
// a raw server writes crafted bytes and we assert exactly what the client puts on the wire —
// the echoed messages, the pongs, and THE EXACT CLOSE CODE (RFC 6455 §7.4.1).

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { runHostile, writeSplit, encodeFrame, closePayload, Op } from './hostile.ts';
import { startRawPeer, type RawConnection } from '../../../e2e/peers/raw-peer.ts';
import { openProbe } from './probe.ts';

const T = { timeout: 30_000 };
const PROTOCOL_ERROR = 1002;
const INVALID_PAYLOAD = 1007;
const MESSAGE_TOO_BIG = 1009;

/** Wait until the client echoed `n` data frames/pongs (frames in total) before going on. */
async function afterClientFrames(c: RawConnection, n: number): Promise<void> {
  await c.waitForFrameCount(n);
}

function bytes(size: number, seed = 1): Buffer {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i++) b[i] = (i * 7 + seed) & 0xff;
  return b;
}

describe('1 framing: text and binary of every length class are echoed', () => {
  for (const size of [0, 125, 126, 127, 128, 65535, 65536]) {
    test(`text ${size} bytes`, T, async (t) => {
      const payload = 'x'.repeat(size);
      await runHostile(t, { send: (c) => c.sendFrame({ opcode: Op.Text, payload }), echoes: [{ opcode: Op.Text, payload }], close: 'echo' });
    });
    test(`binary ${size} bytes`, T, async (t) => {
      const payload = bytes(size);
      await runHostile(t, { send: (c) => c.sendFrame({ opcode: Op.Binary, payload }), echoes: [{ opcode: Op.Binary, payload }], close: 'echo' });
    });
  }
  test('text 65536 bytes written in 997-byte chunks (split writes)', T, async (t) => {
    const payload = 'y'.repeat(65536);
    await runHostile(t, { send: (c) => writeSplit(c, encodeFrame({ opcode: Op.Text, payload }), 997), echoes: [{ opcode: Op.Text, payload }], close: 'echo' });
  });
  test('a frame written one byte at a time', T, async (t) => {
    const payload = 'Hello, byte by byte';
    await runHostile(t, { send: (c) => writeSplit(c, encodeFrame({ opcode: Op.Text, payload }), 1), echoes: [{ opcode: Op.Text, payload }], close: 'echo' });
  });
  test('non-minimal length encodings from the server are accepted (RFC 6455 §5.2 binds the sender)', T, async (t) => {
    await runHostile(t, {
      send: async (c) => {
        await c.sendFrame({ opcode: Op.Text, payload: 'sixteen', lengthEncoding: '16' });
        await c.sendFrame({ opcode: Op.Text, payload: 'sixtyfour', lengthEncoding: '64' });
      },
      echoes: [{ opcode: Op.Text, payload: 'sixteen' }, { opcode: Op.Text, payload: 'sixtyfour' }],
      close: 'echo',
    });
  });
  test('64-bit length with the most significant bit set -> 1002', T, async (t) => {
    await runHostile(t, { send: (c) => c.sendFrame({ opcode: Op.Binary, payload: 'abc', rawLength64: 1n << 63n }), close: PROTOCOL_ERROR, error: 'PROTOCOL' });
  });
  test('masked server frame -> 1002 (RFC 6455 §5.1)', T, async (t) => {
    await runHostile(t, { send: (c) => c.sendFrame({ opcode: Op.Text, payload: 'masked', mask: true }), close: PROTOCOL_ERROR, error: 'PROTOCOL' });
  });
});

describe('2 pings and pongs', () => {
  test('ping without payload -> empty pong', T, async (t) => {
    await runHostile(t, { send: (c) => c.sendFrame({ opcode: Op.Ping }), pongs: [''], close: 'echo' });
  });
  test('ping with text payload -> pong with the same payload', T, async (t) => {
    await runHostile(t, { send: (c) => c.sendFrame({ opcode: Op.Ping, payload: 'Hello, world!' }), pongs: ['Hello, world!'], close: 'echo' });
  });
  test('ping with binary payload -> pong with the same payload', T, async (t) => {
    const payload = Buffer.from([0x00, 0xff, 0xfe, 0xfd, 0xfc, 0xfb, 0x00, 0xff]);
    await runHostile(t, { send: (c) => c.sendFrame({ opcode: Op.Ping, payload }), pongs: [payload], close: 'echo' });
  });
  test('ping with 125-byte payload -> pong', T, async (t) => {
    const payload = bytes(125);
    await runHostile(t, { send: (c) => c.sendFrame({ opcode: Op.Ping, payload }), pongs: [payload], close: 'echo' });
  });
  test('ping with 126-byte payload -> 1002 (control frames <= 125, §5.5)', T, async (t) => {
    await runHostile(t, { send: (c) => c.sendFrame({ opcode: Op.Ping, payload: bytes(126) }), close: PROTOCOL_ERROR, error: 'PROTOCOL' });
  });
  test('ping with 125 bytes written one byte at a time', T, async (t) => {
    const payload = bytes(125, 3);
    await runHostile(t, { send: (c) => writeSplit(c, encodeFrame({ opcode: Op.Ping, payload }), 1), pongs: [payload], close: 'echo' });
  });
  test('unsolicited pong is ignored', T, async (t) => {
    await runHostile(t, {
      send: async (c) => {
        await c.sendFrame({ opcode: Op.Pong, payload: 'unsolicited' });
        await c.sendFrame({ opcode: Op.Text, payload: 'after pong' });
      },
      echoes: [{ opcode: Op.Text, payload: 'after pong' }],
      close: 'echo',
    });
  });
  test('ten pings in a row -> ten pongs in order', T, async (t) => {
    const payloads = Array.from({ length: 10 }, (_, i) => `ping-${i}`);
    await runHostile(t, { send: async (c) => c.write(Buffer.concat(payloads.map((p) => encodeFrame({ opcode: Op.Ping, payload: p })))), pongs: payloads, close: 'echo' });
  });
});

describe('3 reserved bits', () => {
  for (const bit of ['rsv1', 'rsv2', 'rsv3'] as const) {
    test(`${bit.toUpperCase()} on a text frame without an extension -> 1002`, T, async (t) => {
      await runHostile(t, { send: (c) => c.sendFrame({ opcode: Op.Text, payload: 'rsv', [bit]: true }), close: PROTOCOL_ERROR, error: 'PROTOCOL' });
    });
  }
  test('valid text, then RSV2 frame: the first is echoed, then 1002', T, async (t) => {
    await runHostile(t, {
      send: async (c) => {
        await c.sendFrame({ opcode: Op.Text, payload: 'good' });
        await afterClientFrames(c, 1);
        await c.sendFrame({ opcode: Op.Text, payload: 'bad', rsv2: true });
      },
      echoes: [{ opcode: Op.Text, payload: 'good' }],
      close: PROTOCOL_ERROR,
      error: 'PROTOCOL',
    });
  });
  test('RSV3 on a ping -> 1002 (and no pong)', T, async (t) => {
    await runHostile(t, { send: (c) => c.sendFrame({ opcode: Op.Ping, payload: 'p', rsv3: true }), close: PROTOCOL_ERROR, error: 'PROTOCOL' });
  });
  test('all RSV bits on a binary frame -> 1002', T, async (t) => {
    await runHostile(t, { send: (c) => c.sendFrame({ opcode: Op.Binary, payload: bytes(8), rsv1: true, rsv2: true, rsv3: true }), close: PROTOCOL_ERROR, error: 'PROTOCOL' });
  });
});

describe('4 reserved opcodes', () => {
  for (const opcode of [0x3, 0x4, 0x5, 0x6, 0x7, 0xb, 0xc, 0xd, 0xe, 0xf]) {
    test(`opcode 0x${opcode.toString(16)} -> 1002`, T, async (t) => {
      await runHostile(t, { send: (c) => c.sendFrame({ opcode, payload: 'reserved' }), close: PROTOCOL_ERROR, error: 'PROTOCOL' });
    });
  }
  test('valid text, then opcode 0x5 with payload: echo first, then 1002', T, async (t) => {
    await runHostile(t, {
      send: async (c) => {
        await c.sendFrame({ opcode: Op.Text, payload: 'first' });
        await afterClientFrames(c, 1);
        await c.sendFrame({ opcode: 0x5, payload: 'x' });
      },
      echoes: [{ opcode: Op.Text, payload: 'first' }],
      close: PROTOCOL_ERROR,
    });
  });
});

describe('5 fragmentation', () => {
  test('fragmented ping -> 1002 (§5.5: control frames must not be fragmented)', T, async (t) => {
    await runHostile(t, {
      send: async (c) => {
        await c.sendFrame({ opcode: Op.Ping, fin: false, payload: 'frag' });
        await c.sendFrame({ opcode: Op.Continuation, payload: 'ment' });
      },
      close: PROTOCOL_ERROR,
      error: 'PROTOCOL',
    });
  });
  test('fragmented pong -> 1002', T, async (t) => {
    await runHostile(t, { send: (c) => c.sendFrame({ opcode: Op.Pong, fin: false, payload: 'frag' }), close: PROTOCOL_ERROR });
  });
  test('text in two fragments -> echoed whole', T, async (t) => {
    await runHostile(t, {
      send: async (c) => {
        await c.sendFrame({ opcode: Op.Text, fin: false, payload: 'frag' });
        await c.sendFrame({ opcode: Op.Continuation, payload: 'ment' });
      },
      echoes: [{ opcode: Op.Text, payload: 'fragment' }],
      close: 'echo',
    });
  });
  test('binary in 1-byte fragments with empty fragments between', T, async (t) => {
    const payload = bytes(20);
    await runHostile(t, {
      send: async (c) => {
        const frames = [encodeFrame({ opcode: Op.Binary, fin: false, payload: Buffer.alloc(0) })];
        for (let i = 0; i < payload.length; i++) {
          frames.push(encodeFrame({ opcode: Op.Continuation, fin: false, payload: payload.subarray(i, i + 1) }));
          frames.push(encodeFrame({ opcode: Op.Continuation, fin: false, payload: Buffer.alloc(0) }));
        }
        frames.push(encodeFrame({ opcode: Op.Continuation, fin: true, payload: Buffer.alloc(0) }));
        await c.write(Buffer.concat(frames));
      },
      echoes: [{ opcode: Op.Binary, payload }],
      close: 'echo',
    });
  });
  test('text fragments with a ping between them -> pong first, then the echo', T, async (t) => {
    const r = await runHostile(t, {
      send: async (c) => {
        await c.sendFrame({ opcode: Op.Text, fin: false, payload: 'frag' });
        await c.sendFrame({ opcode: Op.Ping, payload: 'in-between' });
        await c.waitForFrame((f) => f.opcode === Op.Pong, 'the pong while the message is incomplete');
        await c.sendFrame({ opcode: Op.Continuation, payload: 'ment' });
      },
      echoes: [{ opcode: Op.Text, payload: 'fragment' }],
      pongs: ['in-between'],
      close: 'echo',
    });
    assert.deepEqual(r.conn.frames.slice(0, 2).map((f) => f.opcode), [Op.Pong, Op.Text]);
  });
  test('text fragments with a ping between them, all in one write', T, async (t) => {
    await runHostile(t, {
      send: (c) => c.write(Buffer.concat([
        encodeFrame({ opcode: Op.Text, fin: false, payload: 'one ' }),
        encodeFrame({ opcode: Op.Ping, payload: 'p1' }),
        encodeFrame({ opcode: Op.Continuation, fin: false, payload: 'two ' }),
        encodeFrame({ opcode: Op.Ping, payload: 'p2' }),
        encodeFrame({ opcode: Op.Continuation, payload: 'three' }),
      ])),
      echoes: [{ opcode: Op.Text, payload: 'one two three' }],
      pongs: ['p1', 'p2'],
      close: 'echo',
    });
  });
  test('continuation without a message (fin=1) -> 1002', T, async (t) => {
    await runHostile(t, { send: (c) => c.sendFrame({ opcode: Op.Continuation, payload: 'orphan' }), close: PROTOCOL_ERROR, error: 'PROTOCOL' });
  });
  test('continuation without a message (fin=0) -> 1002', T, async (t) => {
    await runHostile(t, { send: (c) => c.sendFrame({ opcode: Op.Continuation, fin: false, payload: 'orphan' }), close: PROTOCOL_ERROR, error: 'PROTOCOL' });
  });
  test('continuation after a complete message -> 1002', T, async (t) => {
    await runHostile(t, {
      send: async (c) => {
        await c.sendFrame({ opcode: Op.Text, payload: 'complete' });
        await afterClientFrames(c, 1);
        await c.sendFrame({ opcode: Op.Continuation, payload: 'late' });
      },
      echoes: [{ opcode: Op.Text, payload: 'complete' }],
      close: PROTOCOL_ERROR,
    });
  });
  test('new text frame during a fragmented message -> 1002', T, async (t) => {
    await runHostile(t, {
      send: async (c) => {
        await c.sendFrame({ opcode: Op.Text, fin: false, payload: 'start' });
        await c.sendFrame({ opcode: Op.Text, payload: 'intruder' });
      },
      close: PROTOCOL_ERROR,
      error: 'PROTOCOL',
    });
  });
  test('new binary frame during a fragmented text message -> 1002', T, async (t) => {
    await runHostile(t, {
      send: async (c) => {
        await c.sendFrame({ opcode: Op.Text, fin: false, payload: 'start' });
        await c.sendFrame({ opcode: Op.Binary, fin: false, payload: 'intruder' });
      },
      close: PROTOCOL_ERROR,
    });
  });
});

describe('6 UTF-8 handling', () => {
  const valid: Array<[string, Buffer]> = [
    ['2-, 3- and 4-byte sequences', Buffer.from('κόσμε ✓ 𝄞 \u{10FFFF}', 'utf8')],
    ['U+FEFF and U+FFFF are valid', Buffer.from([0xef, 0xbb, 0xbf, 0xef, 0xbf, 0xbf])],
  ];
  for (const [name, payload] of valid) {
    test(`valid: ${name} -> echoed`, T, async (t) => {
      await runHostile(t, { send: (c) => c.sendFrame({ opcode: Op.Text, payload }), echoes: [{ opcode: Op.Text, payload }], close: 'echo' });
    });
  }
  test('valid text split inside a code point across fragments -> echoed', T, async (t) => {
    const payload = Buffer.from('κόσμε𝄞', 'utf8');
    await runHostile(t, {
      send: async (c) => {
        // Cut after the first byte of each multi-byte sequence boundary candidate.
        await c.sendFrame({ opcode: Op.Text, fin: false, payload: payload.subarray(0, 1) });
        await c.sendFrame({ opcode: Op.Continuation, fin: false, payload: payload.subarray(1, 12) });
        await c.sendFrame({ opcode: Op.Continuation, payload: payload.subarray(12) });
      },
      echoes: [{ opcode: Op.Text, payload }],
      close: 'echo',
    });
  });
  const invalid: Array<[string, Buffer]> = [
    ['lone continuation byte 0x80', Buffer.from([0x61, 0x80, 0x62])],
    ['0xFF', Buffer.from([0xff])],
    ['overlong NUL C0 80', Buffer.from([0xc0, 0x80])],
    ['overlong E0 80 AF', Buffer.from([0xe0, 0x80, 0xaf])],
    ['surrogate U+D800 (ED A0 80)', Buffer.from([0xed, 0xa0, 0x80])],
    ['beyond U+10FFFF (F4 90 80 80)', Buffer.from([0xf4, 0x90, 0x80, 0x80])],
    ['truncated 3-byte sequence at the end', Buffer.from([0x61, 0xe2, 0x9c])],
  ];
  for (const [name, payload] of invalid) {
    test(`invalid: ${name} in a single text frame -> 1007`, T, async (t) => {
      await runHostile(t, { send: (c) => c.sendFrame({ opcode: Op.Text, payload }), close: INVALID_PAYLOAD, error: 'INVALID_UTF8' });
    });
  }
  test('invalid: truncated sequence at the end of the final fragment -> 1007', T, async (t) => {
    await runHostile(t, {
      send: async (c) => {
        await c.sendFrame({ opcode: Op.Text, fin: false, payload: 'ok so far ' });
        await c.sendFrame({ opcode: Op.Continuation, payload: Buffer.from([0xf0, 0x9d, 0x84]) });
      },
      close: INVALID_PAYLOAD,
      error: 'INVALID_UTF8',
    });
  });
  test('fail fast: invalid bytes in fragment 2 -> 1007 before the server sends the final fragment', T, async (t) => {
    // Autobahn 6.4.x: the client must fail as soon as the text can no longer become valid.
    await runHostile(t, {
      send: async (c) => {
        await c.sendFrame({ opcode: Op.Text, fin: false, payload: Buffer.from('κόσμε', 'utf8') });
        await c.sendFrame({ opcode: Op.Continuation, fin: false, payload: Buffer.from([0xf4, 0x90, 0x80, 0x80]) });
        await c.waitForClose(); // the final fragment is only sent once the client has failed
        await c.sendFrame({ opcode: Op.Continuation, payload: 'edited' });
      },
      close: INVALID_PAYLOAD,
      error: 'INVALID_UTF8',
    });
  });
  test('fail fast: invalid byte in the middle of the first fragment of three', T, async (t) => {
    await runHostile(t, {
      send: async (c) => {
        await c.sendFrame({ opcode: Op.Text, fin: false, payload: Buffer.from([0x61, 0xc0, 0x80, 0x62]) });
        await c.waitForClose();
        await c.sendFrame({ opcode: Op.Continuation, fin: false, payload: 'more' });
        await c.sendFrame({ opcode: Op.Continuation, payload: 'end' });
      },
      close: INVALID_PAYLOAD,
      error: 'INVALID_UTF8',
    });
  });
  test('fail fast: a code point that cannot be completed (F4 90) ends a fragment', T, async (t) => {
    await runHostile(t, {
      send: async (c) => {
        await c.sendFrame({ opcode: Op.Text, fin: false, payload: Buffer.from([0x61, 0xf4, 0x90]) });
        await c.waitForClose();
        await c.sendFrame({ opcode: Op.Continuation, payload: Buffer.from([0x80, 0x80]) });
      },
      close: INVALID_PAYLOAD,
      error: 'INVALID_UTF8',
    });
  });
  test('invalid UTF-8 in a close reason -> 1007', T, async (t) => {
    await runHostile(t, { send: (c) => c.sendFrame({ opcode: Op.Close, payload: closePayload(1000, Buffer.from([0xce, 0xba, 0xff])) }), close: INVALID_PAYLOAD, error: 'INVALID_UTF8', badClose: true });
  });
});

describe('7 close handling', () => {
  test('close 1000 with a reason -> echoed 1000', T, async (t) => {
    await runHostile(t, { send: (c) => c.sendFrame({ opcode: Op.Close, payload: closePayload(1000, 'bye') }), close: 1000, serverCloses: true });
  });
  test('close without a payload -> answered (empty or 1000, never 1005)', T, async (t) => {
    const r = await runHostile(t, { send: (c) => c.sendFrame({ opcode: Op.Close }), close: 1000, serverCloses: true, allowEmptyClose: true });
    assert.notEqual(r.closeFrame.closeCode, 1005);
  });
  test('close with a 1-byte payload -> 1002 (§5.5.1)', T, async (t) => {
    await runHostile(t, { send: (c) => c.sendFrame({ opcode: Op.Close, payload: Buffer.from([0x03]) }), close: PROTOCOL_ERROR, error: 'PROTOCOL', badClose: true });
  });
  test('close with a 123-byte reason (max) -> echoed', T, async (t) => {
    await runHostile(t, { send: (c) => c.sendFrame({ opcode: Op.Close, payload: closePayload(1000, 'r'.repeat(123)) }), close: 1000, serverCloses: true });
  });
  test('close with a 124-byte reason (payload 126 > 125) -> 1002', T, async (t) => {
    await runHostile(t, { send: (c) => c.sendFrame({ opcode: Op.Close, payload: closePayload(1000, 'r'.repeat(124)) }), close: PROTOCOL_ERROR, error: 'PROTOCOL', badClose: true });
  });
  test('text after the server close frame is not delivered or echoed', T, async (t) => {
    const r = await runHostile(t, {
      send: (c) => c.write(Buffer.concat([
        encodeFrame({ opcode: Op.Close, payload: closePayload(1000) }),
        encodeFrame({ opcode: Op.Text, payload: 'after close' }),
      ])),
      close: 1000,
      serverCloses: true,
    });
    assert.equal(r.probe.messages('in').length, 0, 'a message after Close reached the application');
  });
  test('ping after the server close frame is not answered', T, async (t) => {
    await runHostile(t, {
      send: (c) => c.write(Buffer.concat([
        encodeFrame({ opcode: Op.Close, payload: closePayload(1000) }),
        encodeFrame({ opcode: Op.Ping, payload: 'late' }),
      ])),
      close: 1000,
      serverCloses: true,
    });
  });
  test('close frame fragmented -> 1002', T, async (t) => {
    await runHostile(t, { send: (c) => c.sendFrame({ opcode: Op.Close, fin: false, payload: closePayload(1000) }), close: PROTOCOL_ERROR, badClose: true });
  });
  for (const code of [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999]) {
    test(`valid close code ${code} -> echoed`, T, async (t) => {
      await runHostile(t, { send: (c) => c.sendFrame({ opcode: Op.Close, payload: closePayload(code) }), close: code, serverCloses: true });
    });
  }
  for (const code of [0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535]) {
    test(`invalid close code ${code} -> 1002`, T, async (t) => {
      await runHostile(t, { send: (c) => c.sendFrame({ opcode: Op.Close, payload: closePayload(code) }), close: PROTOCOL_ERROR, error: 'PROTOCOL', badClose: true });
    });
  }
});

describe('9/10 limits and large messages', () => {
  test('1 MiB text in 64 KiB fragments -> echoed', T, async (t) => {
    const payload = Buffer.alloc(1024 * 1024, 0x2a);
    const fragment = 64 * 1024;
    await runHostile(t, {
      send: async (c) => {
        const frames: Buffer[] = [];
        for (let i = 0; i < payload.length; i += fragment) {
          frames.push(encodeFrame({ opcode: i === 0 ? Op.Text : Op.Continuation, fin: i + fragment >= payload.length, payload: payload.subarray(i, i + fragment) }));
        }
        await c.write(Buffer.concat(frames));
      },
      echoes: [{ opcode: Op.Text, payload }],
      close: 'echo',
    });
  });
  test('single frame larger than maxMessageBytes -> 1009', T, async (t) => {
    await runHostile(t, { client: { maxMessageBytes: 1000 }, send: (c) => c.sendFrame({ opcode: Op.Binary, payload: bytes(2000) }), close: MESSAGE_TOO_BIG, error: 'MESSAGE_TOO_BIG' });
  });
  test('fragments adding up past maxMessageBytes -> 1009', T, async (t) => {
    await runHostile(t, {
      client: { maxMessageBytes: 1000 },
      send: async (c) => {
        await c.sendFrame({ opcode: Op.Text, fin: false, payload: 'a'.repeat(400) });
        await c.sendFrame({ opcode: Op.Continuation, fin: false, payload: 'a'.repeat(400) });
        await c.sendFrame({ opcode: Op.Continuation, payload: 'a'.repeat(400) });
      },
      close: MESSAGE_TOO_BIG,
      error: 'MESSAGE_TOO_BIG',
    });
  });
  test('a header announcing 2^40 bytes -> 1009 at once, before any payload arrives', T, async (t) => {
    // Limits are checked against the announced length before buffering (house rule 2).
    await runHostile(t, {
      client: { maxMessageBytes: 1024 * 1024 },
      send: async (c) => {
        await c.write(encodeFrame({ opcode: Op.Binary, rawLength64: 1n << 40n, payload: Buffer.alloc(0) }));
      },
      close: MESSAGE_TOO_BIG,
      error: 'MESSAGE_TOO_BIG',
    });
  });
  test('a message of exactly maxMessageBytes is accepted', T, async (t) => {
    const payload = bytes(1000);
    await runHostile(t, { client: { maxMessageBytes: 1000 }, send: (c) => c.sendFrame({ opcode: Op.Binary, payload }), echoes: [{ opcode: Op.Binary, payload }], close: 'echo' });
  });
});

describe('handshake + frames in one chunk', () => {
  test('the 101 and two frames written one byte at a time (every split point of the transition)', T, async (t) => {
    const peer = await startRawPeer(async (c) => {
      const req = await c.readRequest();
      const bytes = Buffer.concat([
        Buffer.from(c.response101(req), 'latin1'),
        encodeFrame({ opcode: Op.Text, payload: 'after split' }),
        encodeFrame({ opcode: Op.Binary, payload: Buffer.from([7, 8, 9]) }),
      ]);
      await writeSplit(c, bytes, 1);
    });
    t.after(() => peer.stop());
    const p = openProbe(t, { url: peer.url, deflate: false });
    const [a, b] = await p.messagesIn(2);
    assert.equal(a.text, 'after split');
    assert.equal(Buffer.from(b.data).toString('hex'), '070809');
  });
  test('text and close in one write: the message is delivered, then the close is echoed', T, async (t) => {
    const peer = await startRawPeer(async (c) => {
      await c.accept();
      await c.write(Buffer.concat([
        encodeFrame({ opcode: Op.Text, payload: 'last words' }),
        encodeFrame({ opcode: Op.Close, payload: closePayload(1000) }),
      ]));
    });
    t.after(() => peer.stop());
    const p = openProbe(t, { url: peer.url, deflate: false });
    const conn = await peer.waitForConnection();
    assert.equal((await conn.waitForClose()).closeCode, 1000);
    conn.end();
    const info = await p.closedInfo();
    assert.equal(info.initiatedBy, 'server');
    // RFC 6455 §5.4/§7.1.6: data received before the Close frame belongs to the application.
    assert.deepEqual(p.messages('in').map((m) => m.text), ['last words']);
  });
  test('frames right after the 101 in the same TCP write reach the parser', T, async (t) => {
    const peer = await startRawPeer(async (c) => {
      await c.accept({ trailing: Buffer.concat([encodeFrame({ opcode: Op.Text, payload: 'early bird' }), encodeFrame({ opcode: Op.Ping, payload: 'early ping' })]) });
    });
    t.after(() => peer.stop());
    const p = openProbe(t, { url: peer.url, deflate: false });
    const [m] = await p.messagesIn(1);
    assert.equal(m.text, 'early bird');
    const conn = await peer.waitForConnection();
    const pong = await conn.waitForFrame((f) => f.opcode === Op.Pong, 'the pong to the early ping');
    assert.equal(pong.payload.toString(), 'early ping');
  });
});

describe('fail fast inside one frame', () => {
  test('invalid UTF-8 early in a large text frame whose payload is still arriving -> 1007 before the rest', T, async (t) => {
    const head = Buffer.concat([Buffer.from('valid start '), Buffer.from([0xc0, 0x80])]);
    const total = 64 * 1024;
    await runHostile(t, {
      send: async (c) => {
        const frame = encodeFrame({ opcode: Op.Text, payload: Buffer.concat([head, Buffer.alloc(total - head.length, 0x61)]) });
        // Header and the invalid start only; the rest only after the client has failed.
        const cut = frame.length - (total - head.length);
        await c.write(frame.subarray(0, cut));
        await c.waitForClose(3_000);
        await c.write(frame.subarray(cut));
      },
      close: 1007,
      error: 'INVALID_UTF8',
    });
  });
});
