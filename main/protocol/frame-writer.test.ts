// Frame encoding (RFC 6455 §5.2) and masking (§5.3) against a byte-by-byte reference.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeFrame, headerLengthFor, maskInto } from './frame-writer.ts';
import { ByteQueue } from './byte-queue.ts';
import { decodeClientFrame, hex } from './test/harness.ts';

test('RFC 6455 §5.7: masked "Hello" with key 37 fa 21 3d', () => {
  const f = encodeFrame({ fin: true, rsv1: false, rsv2: false, rsv3: false, opcode: 1, maskKey: hex('37fa213d') }, new TextEncoder().encode('Hello'));
  assert.deepEqual(f, hex('81 85 37 fa 21 3d 7f 9f 4d 51 58'));
});

test('maskInto equals the byte-wise XOR for every length 0–1100 and every destination offset 0–7', () => {
  const key = hex('a1b2c3d4');
  const src = new Uint8Array(1100).map((_, i) => (i * 131 + 7) & 0xff);
  for (let n = 0; n <= 1100; n += n < 80 ? 1 : 13) {
    for (let off = 0; off < 8; off++) {
      const dst = new Uint8Array(off + n + 3).fill(0xee);
      maskInto(src.subarray(0, n), key, dst, off);
      for (let i = 0; i < n; i++) if (dst[off + i] !== (src[i] ^ key[i & 3])) assert.fail(`n=${n} off=${off} i=${i}`);
      assert.equal(dst[off + n], 0xee, 'no write past the payload');
      if (off > 0) assert.equal(dst[off - 1], 0xee, 'no write before the payload');
    }
  }
  assert.equal(src[0], 7, 'source untouched');
});

test('encodeFrame with an allocator handing out unaligned, dirty buffers (a pool) is still exact', () => {
  const key = hex('0badf00d');
  for (const shift of [0, 1, 2, 3, 5]) {
    for (const n of [0, 1, 31, 32, 33, 200, 511, 512, 1000, 70000]) {
      const alloc = (size: number) => new Uint8Array(size + shift + 7).fill(0xcc).subarray(shift, shift + size);
      const payload = new Uint8Array(n).map((_, i) => (i * 13) & 0xff);
      const a = encodeFrame({ fin: true, rsv1: false, rsv2: false, rsv3: false, opcode: 2, maskKey: key }, payload, alloc);
      const b = encodeFrame({ fin: true, rsv1: false, rsv2: false, rsv3: false, opcode: 2, maskKey: key }, payload);
      assert.deepEqual(a, b, `shift ${shift} n ${n}`);
    }
  }
});

test('length encodings: minimal by default, forced 16/64 allowed; header lengths', () => {
  const mk = (n: number, enc?: '7' | '16' | '64') => encodeFrame({ fin: true, rsv1: false, rsv2: false, rsv3: false, opcode: 2, maskKey: null, lengthEncoding: enc }, new Uint8Array(n));
  assert.deepEqual([...mk(125).subarray(0, 2)], [0x82, 125]);
  assert.deepEqual([...mk(126).subarray(0, 4)], [0x82, 126, 0, 126]);
  assert.deepEqual([...mk(65535).subarray(0, 4)], [0x82, 126, 0xff, 0xff]);
  assert.deepEqual([...mk(65536).subarray(0, 10)], [0x82, 127, 0, 0, 0, 0, 0, 1, 0, 0]);
  assert.deepEqual([...mk(5, '64').subarray(0, 10)], [0x82, 127, 0, 0, 0, 0, 0, 0, 0, 5]);
  assert.deepEqual([...mk(5, '16').subarray(0, 4)], [0x82, 126, 0, 5]);
  assert.deepEqual([2, 4, 10, 6, 8, 14], [headerLengthFor(0, false), headerLengthFor(200, false), headerLengthFor(70000, false), headerLengthFor(0, true), headerLengthFor(200, true), headerLengthFor(70000, true)]);
  const big = encodeFrame({ fin: false, rsv1: true, rsv2: false, rsv3: true, opcode: 0, maskKey: hex('01020304') }, new Uint8Array(70000).fill(9));
  const d = decodeClientFrame(big);
  assert.equal(d.fin, false);
  assert.equal(d.rsv1, true);
  assert.ok(d.payload.every((b) => b === 9));
  assert.equal(d.payload.length, 70000);
});

test('ByteQueue: views within a chunk, one copy across chunks, forEachFrom', () => {
  const q = new ByteQueue();
  const a = new Uint8Array([1, 2, 3]);
  q.push(a);
  q.push(new Uint8Array([4, 5]));
  q.push(new Uint8Array(0));
  q.push(new Uint8Array([6]));
  assert.equal(q.length, 6);
  assert.equal(q.byteAt(4), 5);
  const seen: number[][] = [];
  q.forEachFrom(2, (p) => { seen.push([...p]); return true; });
  assert.deepEqual(seen, [[3], [4, 5], [6]]);
  const v = q.take(2);
  assert.equal(v.buffer, a.buffer, 'view, not a copy');
  assert.deepEqual([...q.take(3)], [3, 4, 5]);
  q.skip(1);
  assert.equal(q.length, 0);
  for (let i = 0; i < 200; i++) q.push(new Uint8Array([i]));
  assert.deepEqual([...q.take(150)].slice(-1), [149]);
  assert.equal(q.byteAt(0), 150);
});

test('frames carved one after another from shared slabs (like Buffer.allocUnsafe pools) are exact', () => {
  const key = hex('5a17c3e9');
  const SLAB = 1024;
  let slab = new Uint8Array(SLAB);
  let used = 0;
  // Hands out consecutive, arbitrarily aligned pieces of one slab, then moves to a fresh slab;
  // old slabs are dirtied so a write through a stale view would show.
  const pool = (size: number): Uint8Array => {
    if (used + size > SLAB) {
      slab.fill(0xdd);
      slab = new Uint8Array(Math.max(SLAB, size));
      used = 0;
    }
    const out = slab.subarray(used, used + size);
    used += size + 1;
    return out;
  };
  for (let round = 0; round < 3; round++) {
    for (const n of [0, 5, 16, 31, 32, 33, 64, 125, 126, 200, 300, 511]) {
      const payload = new Uint8Array(n).map((_, i) => (i * 29 + round) & 0xff);
      const a = encodeFrame({ fin: true, rsv1: false, rsv2: false, rsv3: false, opcode: 2, maskKey: key }, payload, pool);
      const b = encodeFrame({ fin: true, rsv1: false, rsv2: false, rsv3: false, opcode: 2, maskKey: key }, payload);
      assert.deepEqual(a, b, `round ${round} n ${n}`);
      assert.deepEqual(decodeClientFrame(a).payload, payload);
    }
  }
});
