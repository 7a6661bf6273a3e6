// The masking kernels against a byte-by-byte reference of RFC 6455 §5.3, at every length around
// the vector/unroll/scratch boundaries, every key phase and every buffer alignment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { mask, maskInto, maskJs, maskWasm, simdAvailable, MASK_WASM, WASM_MIN_BYTES } from './mask-simd.ts';

function reference(data: Uint8Array, key: Uint8Array, offset: number): Uint8Array {
  const out = Uint8Array.from(data);
  for (let i = 0; i < out.length; i++) out[i] ^= key[(offset + i) & 3];
  return out;
}

const KEY = Uint8Array.from([0x37, 0xfa, 0x21, 0x3d]);
const SCRATCH = 64 * 1024;
const LENGTHS = [0, 1, 2, 3, 4, 5, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, WASM_MIN_BYTES - 1, WASM_MIN_BYTES,
  WASM_MIN_BYTES + 1, 4095, 4096, SCRATCH - 1, SCRATCH, SCRATCH + 1, SCRATCH + 17, 2 * SCRATCH + 3];

function patterned(n: number, pad: number): Uint8Array {
  const b = new Uint8Array(n + pad);
  for (let i = 0; i < b.length; i++) b[i] = (i * 131 + 17) & 0xff;
  return b;
}

test('the kernel module is valid WebAssembly and SIMD is available on this Node', () => {
  assert.equal(WebAssembly.validate(MASK_WASM), true);
  // Node 20+ and Electron ship WebAssembly SIMD enabled; the JS fallback covers other runtimes.
  assert.equal(simdAvailable, true);
});

for (const [name, fn] of [['mask', mask], ['maskJs', maskJs], ['maskWasm', maskWasm]] as const) {
  test(`${name}: matches the reference at every boundary length, key phase and alignment`, () => {
    for (const n of LENGTHS) {
      for (let align = 0; align < 4; align++) {
        for (let phase = 0; phase < 4; phase++) {
          const buf = patterned(n, 4);
          const view = buf.subarray(align, align + n);
          const expected = reference(view, KEY, phase);
          fn(view, KEY, phase);
          assert.deepEqual(view, expected, `n=${n} align=${align} phase=${phase}`);
          // Bytes outside the view are untouched.
          const fresh = patterned(n, 4);
          assert.deepEqual(buf.subarray(0, align), fresh.subarray(0, align));
          assert.deepEqual(buf.subarray(align + n), fresh.subarray(align + n));
        }
      }
    }
  });
}

test('masking twice restores the payload (XOR is its own inverse), piecewise with offsets', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 3000 }), fc.uint8Array({ minLength: 4, maxLength: 4 }), fc.nat(3000), (data, key, cutRaw) => {
      const original = Uint8Array.from(data);
      const cut = data.length === 0 ? 0 : cutRaw % (data.length + 1);
      // Mask in two pieces with the running offset, as a writer streaming a payload would.
      mask(data.subarray(0, cut), key, 0);
      mask(data.subarray(cut), key, cut);
      assert.deepEqual(data, reference(original, key, 0));
      mask(data, key, 0);
      assert.deepEqual(data, original);
    }),
    { numRuns: 300 },
  );
});

test('maskInto writes the masked payload at the offset and leaves the source untouched', () => {
  for (const n of LENGTHS) {
    const src = patterned(n, 0);
    const before = Uint8Array.from(src);
    const dst = new Uint8Array(n + 14).fill(0xee);
    maskInto(src, KEY, dst, 14, 2);
    assert.deepEqual(src, before, `source changed at n=${n}`);
    assert.deepEqual(dst.subarray(14), reference(src, KEY, 2), `n=${n}`);
    assert.ok(dst.subarray(0, 14).every((b) => b === 0xee), `header area overwritten at n=${n}`);
  }
});

test('a wrong-sized key or destination is a clear RangeError, not a silent mis-mask', () => {
  assert.throws(() => mask(new Uint8Array(8), new Uint8Array(3)), RangeError);
  assert.throws(() => maskWasm(new Uint8Array(8), new Uint8Array(5)), RangeError);
  assert.throws(() => maskInto(new Uint8Array(8), KEY, new Uint8Array(7), 0), RangeError);
});
