// RFC 7692 permessage-deflate: negotiation (§5, §7.1), compression with and without context
// takeover in both directions (§7.2), window bits, the deflate-bomb limit and the RSV1 rules (§6).

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { constants, createDeflateRaw, deflateRawSync, inflateRawSync, type DeflateRaw } from 'node:zlib';
import { Opcode } from '../../shared/protocol-constants.ts';
import { negotiateExtensions, parseExtensions, PerMessageDeflate, PMD_OFFER } from './permessage-deflate.ts';
import { zlibEngine } from '../transport/zlib-engine.ts';
import { concat, decodeClientFrame, opened, serverFrame } from './test/harness.ts';

const enc = new TextEncoder();

describe('negotiation', () => {
  const ok = (v: string[]) => {
    const r = negotiateExtensions(true, v);
    if (!r.ok) assert.fail(r.message);
    return r.value;
  };
  const bad = (v: string[], re: RegExp, offered = true) => {
    const r = negotiateExtensions(offered, v);
    assert.equal(r.ok, false, v.join(' | '));
    if (!r.ok) assert.match(r.message, re);
  };
  test('the offer', () => assert.equal(PMD_OFFER, 'permessage-deflate; client_max_window_bits'));
  test('no header → no extension', () => assert.equal(ok([]), null));
  test('defaults and every parameter', () => {
    assert.deepEqual(ok(['permessage-deflate']), { serverNoContextTakeover: false, clientNoContextTakeover: false, serverMaxWindowBits: 15, clientMaxWindowBits: 15 });
    assert.deepEqual(
      ok(['permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=10; client_max_window_bits=9']),
      { serverNoContextTakeover: true, clientNoContextTakeover: true, serverMaxWindowBits: 10, clientMaxWindowBits: 9 },
    );
    assert.equal(ok(['Permessage-Deflate; SERVER_MAX_WINDOW_BITS="8"'])?.serverMaxWindowBits, 8);
    assert.equal(ok(['permessage-deflate ;  client_max_window_bits = 12 '])?.clientMaxWindowBits, 12);
  });
  test('responses breaking §5–§7 are refused', () => {
    bad(['permessage-deflate'], /did not offer/, false);
    bad(['permessage-deflate, permessage-deflate'], /more than once/);
    bad(['permessage-deflate', 'permessage-deflate'], /more than once/);
    bad(['permessage-deflate; server_no_context_takeover; server_no_context_takeover'], /twice/);
    bad(['permessage-deflate; client_max_window_bits=10; client_max_window_bits=11'], /twice/);
    bad(['permessage-deflate; server_no_context_takeover=1'], /must not have a value/);
    bad(['permessage-deflate; client_no_context_takeover=true'], /must not have a value/);
    for (const v of ['7', '16', '08', '1a', '', '-9', '15.0']) bad([`permessage-deflate; server_max_window_bits=${v}`], /server_max_window_bits/);
    bad(['permessage-deflate; server_max_window_bits'], /no value/);
    bad(['permessage-deflate; client_max_window_bits'], /no value/);
    bad(['permessage-deflate; client_max_window_bits=16'], /client_max_window_bits=16/);
    bad(['permessage-deflate; foo=1'], /unknown parameter foo/);
    bad(['x-custom'], /did not offer/);
    bad(['permessage-deflate; a b'], /invalid parameter/);
  });
  test('parseExtensions handles quoted values and empty list elements', () => {
    const r = parseExtensions(['a; p="x", , b']);
    assert.ok(r.ok);
    assert.deepEqual(r.value, [{ name: 'a', params: [{ name: 'p', value: 'x' }] }, { name: 'b', params: [] }]);
  });
});

/** A server-side compressor with context takeover (a zlib stream kept across messages). */
class StreamDeflater {
  private readonly z: DeflateRaw;
  private readonly out: Buffer[] = [];
  constructor(windowBits = 15) {
    this.z = createDeflateRaw({ windowBits });
    this.z.on('data', (b: Buffer) => this.out.push(b));
  }
  async compress(data: Uint8Array): Promise<Uint8Array> {
    this.z.write(data);
    await new Promise<void>((r) => this.z.flush(constants.Z_SYNC_FLUSH, () => r()));
    const all = Buffer.concat(this.out.splice(0));
    assert.deepEqual([...all.subarray(-4)], [0, 0, 0xff, 0xff]);
    return new Uint8Array(all.subarray(0, all.length - 4));
  }
  close(): void { this.z.close(); }
}

const deflateHeader = (params = '') => [`Sec-WebSocket-Extensions: permessage-deflate${params}`];
const onlySync = (data: Uint8Array) => {
  const b = deflateRawSync(data, { finishFlush: constants.Z_SYNC_FLUSH });
  return new Uint8Array(b.subarray(0, b.length - 4));
};

describe('receiving compressed messages', () => {
  test('with context takeover: later messages refer back into earlier ones', async () => {
    const { core, rec } = opened({ deflate: true }, deflateHeader());
    const z = new StreamDeflater();
    const texts = ['hello wirechat hello wirechat', 'hello wirechat again and again', 'hello wirechat again and again'];
    for (const t of texts) core.receiveData(serverFrame({ opcode: Opcode.Text, rsv1: true, payload: await z.compress(enc.encode(t)) }));
    z.close();
    assert.deepEqual(rec.messagesIn.map((m) => m.text), texts);
    assert.ok(rec.messagesIn.every((m) => m.compressed));
    // The third message is a pure back-reference: far shorter on the wire than inflated.
    assert.ok(rec.messagesIn[2].wireLength < rec.messagesIn[2].data.length / 2);
    assert.equal(rec.framesIn[2].inflatedLength, texts[2].length);
    assert.equal(rec.framesIn[0].compressed, true);
  });
  test('server_no_context_takeover: every message stands alone', () => {
    const { core, rec } = opened({ deflate: true }, deflateHeader('; server_no_context_takeover'));
    for (const t of ['abcabcabc', 'abcabcabc']) core.receiveData(serverFrame({ opcode: Opcode.Text, rsv1: true, payload: onlySync(enc.encode(t)) }));
    assert.deepEqual(rec.messagesIn.map((m) => m.text), ['abcabcabc', 'abcabcabc']);
  });
  test('fragmented compressed message (RSV1 on the first frame only), split byte by byte', async () => {
    const z = new StreamDeflater(10);
    const text = 'fragmented and compressed '.repeat(40);
    const c = await z.compress(enc.encode(text));
    z.close();
    const third = Math.ceil(c.length / 3);
    const bytes = concat(
      serverFrame({ opcode: Opcode.Text, rsv1: true, fin: false, payload: c.subarray(0, third) }),
      serverFrame({ opcode: Opcode.Ping, payload: 'between' }),
      serverFrame({ opcode: Opcode.Continuation, fin: false, payload: c.subarray(third, 2 * third) }),
      serverFrame({ opcode: Opcode.Continuation, payload: c.subarray(2 * third) }),
    );
    const { core, rec } = opened({ deflate: true }, deflateHeader('; server_max_window_bits=10'));
    for (let i = 0; i < bytes.length; i++) core.receiveData(bytes.subarray(i, i + 1));
    assert.equal(rec.messagesIn[0]?.text, text);
    assert.equal(rec.messagesIn[0].frameCount, 3);
  });
  test('uncompressed messages (RSV1 clear) still work with deflate agreed', () => {
    const { core, rec } = opened({ deflate: true }, deflateHeader());
    core.receiveData(serverFrame({ opcode: Opcode.Text, payload: 'plain' }));
    assert.equal(rec.messagesIn[0].text, 'plain');
    assert.equal(rec.messagesIn[0].compressed, false);
  });
  test('server_max_window_bits=8 data inflates (zlib makes 9; we inflate with 15)', () => {
    const { core, rec } = opened({ deflate: true }, deflateHeader('; server_max_window_bits=8'));
    const b = deflateRawSync(enc.encode('x'.repeat(1000)), { windowBits: 9, finishFlush: constants.Z_SYNC_FLUSH });
    core.receiveData(serverFrame({ opcode: Opcode.Text, rsv1: true, payload: b.subarray(0, b.length - 4) }));
    assert.equal(rec.messagesIn[0]?.text?.length, 1000);
  });
  test('deflate bomb → 1009 without inflating it all', () => {
    const bomb = onlySync(new Uint8Array(64 * 1024 * 1024));
    assert.ok(bomb.length < 100_000);
    const { core, rec } = opened({ deflate: true, maxMessageBytes: 1024 * 1024 }, deflateHeader());
    core.receiveData(serverFrame({ opcode: Opcode.Binary, rsv1: true, payload: bomb }));
    assert.equal(rec.errors[0]?.code, 'MESSAGE_TOO_BIG');
    assert.equal(rec.errors[0].closeCode, 1009);
    assert.equal((decodeClientFrame(rec.writes[0]).payload[0] << 8) | decodeClientFrame(rec.writes[0]).payload[1], 1009);
  });
  test('corrupt compressed data → 1007; invalid UTF-8 after inflating → 1007', () => {
    const a = opened({ deflate: true }, deflateHeader());
    a.core.receiveData(serverFrame({ opcode: Opcode.Binary, rsv1: true, payload: new Uint8Array([0xff, 0xff, 0xff, 0xff]) }));
    assert.equal(a.rec.errors[0]?.closeCode, 1007);
    assert.match(a.rec.errors[0].message, /could not be inflated/);
    const b = opened({ deflate: true }, deflateHeader());
    b.core.receiveData(serverFrame({ opcode: Opcode.Text, rsv1: true, payload: onlySync(new Uint8Array([0x41, 0xff])) }));
    assert.equal(b.rec.errors[0]?.code, 'INVALID_UTF8');
  });
  test('RSV1 rules: continuation or control frame → 1002; RSV1 without deflate → 1002', () => {
    const a = opened({ deflate: true }, deflateHeader());
    a.core.receiveData(concat(serverFrame({ opcode: Opcode.Text, fin: false, payload: 'a' }), serverFrame({ opcode: Opcode.Continuation, rsv1: true, payload: 'b' })));
    assert.match(a.rec.errors[0]?.message ?? '', /continuation/);
    const b = opened({ deflate: true }, deflateHeader());
    b.core.receiveData(serverFrame({ opcode: Opcode.Ping, rsv1: true, payload: 'p' }));
    assert.match(b.rec.errors[0]?.message ?? '', /control frame/);
    const c = opened({ deflate: true });
    c.core.receiveData(serverFrame({ opcode: Opcode.Text, rsv1: true, payload: onlySync(enc.encode('x')) }));
    assert.match(c.rec.errors[0]?.message ?? '', /not negotiated/);
    for (const r of [a, b, c]) assert.equal(r.rec.errors[0].closeCode, 1002);
  });
});

describe('sending compressed messages', () => {
  /** Inflate what the client sent, as a server with (or without) context takeover would. */
  function serverInflate(frames: Uint8Array[], takeover: boolean): string[] {
    let dict: Buffer | undefined;
    const out: string[] = [];
    for (const b of frames) {
      const f = decodeClientFrame(b);
      if (f.opcode !== Opcode.Text) continue;
      assert.equal(f.rsv1, true);
      const data = Buffer.concat([f.payload, Buffer.from([0, 0, 0xff, 0xff])]);
      const o = inflateRawSync(data, { finishFlush: constants.Z_SYNC_FLUSH, ...(takeover && dict ? { dictionary: dict } : {}) });
      out.push(o.toString());
      if (takeover) dict = Buffer.concat([dict ?? Buffer.alloc(0), o]).subarray(-32768);
    }
    return out;
  }
  const long = (s: string) => s.repeat(200);
  /** Text that compresses poorly on its own, so only a back-reference can make a copy small. */
  const randomText = (n: number) => {
    let x = 7;
    let out = '';
    for (let i = 0; i < n; i++) { x = (x * 1103515245 + 12345) & 0x7fffffff; out += String.fromCharCode(33 + (x >> 16) % 90); }
    return out;
  };
  test('with context takeover: the second identical message is tiny on the wire', () => {
    const { core, rec } = opened({ deflate: true }, deflateHeader());
    const noisy = randomText(2800);
    core.sendText(noisy);
    core.sendText(noisy);
    const frames = rec.writes.map(decodeClientFrame);
    assert.ok(frames[1].payload.length < frames[0].payload.length / 2, `${frames[1].payload.length} vs ${frames[0].payload.length}`);
    assert.deepEqual(serverInflate(rec.writes, true), [noisy, noisy]);
    // A server inflating without the window cannot decode the second message: takeover was used.
    assert.throws(() => serverInflate(rec.writes, false));
    const out = rec.messages.filter((m) => m.dir === 'out');
    assert.ok(out.every((m) => m.compressed && m.data.length === 2800));
    assert.equal(rec.framesOut[0].inflatedLength, 2800);
  });
  test('client_no_context_takeover: each message inflates on its own', () => {
    const { core, rec } = opened({ deflate: true }, deflateHeader('; client_no_context_takeover'));
    core.sendText(long('same text '));
    core.sendText(long('same text '));
    assert.deepEqual(serverInflate(rec.writes, false), [long('same text '), long('same text ')]);
  });
  test('client_max_window_bits=9..15 honoured; =8 → sent uncompressed (zlib cannot make an 8-bit window)', () => {
    for (const bits of [9, 12, 15]) {
      const { core, rec } = opened({ deflate: true }, deflateHeader(`; client_max_window_bits=${bits}`));
      core.sendText(long('window '));
      assert.deepEqual(serverInflate(rec.writes, true), [long('window ')]);
    }
    const { core, rec } = opened({ deflate: true }, deflateHeader('; client_max_window_bits=8'));
    core.sendText(long('window '));
    const f = decodeClientFrame(rec.writes[0]);
    assert.equal(f.rsv1, false);
    assert.equal(Buffer.from(f.payload).toString(), long('window '));
  });
  test('an empty compressed message is the single byte 0x00 (RFC 7692 §7.2.3.6) and inflates back', () => {
    const { core, rec } = opened({ deflate: true, compressThreshold: 0 }, deflateHeader());
    core.sendText('');
    const f = decodeClientFrame(rec.writes[0]);
    assert.equal(f.rsv1, true);
    assert.deepEqual([...f.payload], [0x00]);
    core.receiveData(serverFrame({ opcode: Opcode.Text, rsv1: true, payload: new Uint8Array([0x00]) }));
    core.receiveData(serverFrame({ opcode: Opcode.Binary, rsv1: true, payload: new Uint8Array(0) }));
    assert.deepEqual(rec.messagesIn.map((m) => m.data.length), [0, 0]);
    assert.equal(rec.messagesIn[0].text, '');
  });
  test('small messages below the threshold go uncompressed; fragmented compressed message has RSV1 on frame 0 only', () => {
    const { core, rec } = opened({ deflate: true, compressThreshold: 100 }, deflateHeader());
    core.sendText('tiny');
    assert.equal(decodeClientFrame(rec.writes[0]).rsv1, false);
    core.sendBinary(new Uint8Array(5000).map((_, i) => i % 251), 64);
    const frames = rec.writes.slice(1).map(decodeClientFrame);
    assert.ok(frames.length > 1);
    assert.deepEqual(frames.map((f) => f.rsv1), frames.map((_, i) => i === 0));
    const joined = Buffer.concat([...frames.map((f) => f.payload), Buffer.from([0, 0, 0xff, 0xff])]);
    assert.deepEqual(new Uint8Array(inflateRawSync(joined, { finishFlush: constants.Z_SYNC_FLUSH })), new Uint8Array(5000).map((_, i) => i % 251));
  });
});

test('PerMessageDeflate round trip through the engine, many messages, both context modes', () => {
  for (const noCtx of [false, true]) {
    const params = { serverNoContextTakeover: noCtx, clientNoContextTakeover: noCtx, serverMaxWindowBits: 15, clientMaxWindowBits: 15 };
    const sender = new PerMessageDeflate(params, zlibEngine);
    // The receiving side of the same parameters (our inflate uses the server's window rules).
    const receiver = new PerMessageDeflate({ ...params, serverNoContextTakeover: noCtx }, zlibEngine);
    for (let i = 0; i < 50; i++) {
      const msg = enc.encode(`message ${i % 7} `.repeat(i * 13 + 1));
      const c = sender.deflate(msg);
      assert.ok(c);
      const r = receiver.inflate([c], 1 << 20);
      assert.ok(r.ok);
      assert.deepEqual(r.data, msg, `noCtx=${noCtx} i=${i}`);
    }
  }
});
