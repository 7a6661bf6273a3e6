// RFC 6455 §5.3 payload masking: octet i of the payload is XORed with octet (i MOD 4) of the
// masking key. A client masks every frame it sends, so for large messages this XOR is the send
// path's hot loop. Measured on our machines: a JS byte loop ~0.37 GB/s, a JS 32-bit-word loop
// ~1.9 GB/s, the native `bufferutil` addon ~25 GB/s. We ship no native addon, so large payloads
// go through a small WebAssembly SIMD kernel (16 bytes per XOR, unrolled ×4) assembled at load
// time from the readable instruction list below by wasm-asm.ts; small payloads, and runtimes
// without WebAssembly SIMD, use the 32-bit-word JS loop. Both paths are tested against a
// byte-by-byte reference. Pure module: no I/O, no node:*.
import { assemble, type Instr } from './wasm-asm.ts';

/** RFC 6455 §5.3: the masking key is 4 octets. */
export const MASK_KEY_BYTES = 4;

/** Wasm page = 64 KiB (WebAssembly Core Spec §2.3.8); the kernel masks one page at a time so
 * the copy in, the XOR and the copy out stay in L2 cache. */
const WASM_PAGE_BYTES = 64 * 1024;
const SCRATCH_BYTES = WASM_PAGE_BYTES;
/** Below this many bytes the JS→wasm call and the two copies cost more than the JS word loop. */
export const WASM_MIN_BYTES = 512;
/** Below this many bytes a plain byte loop beats setting up a Uint32Array view. */
const WORD_LOOP_MIN_BYTES = 32;

const V128_BYTES = 16;
const UNROLLED_BYTES = 4 * V128_BYTES;
const V128_ALIGN_LOG2 = 4;
const BYTE_BITS = 8;

// mask(ptr: i32, len: i32, key: i32): XOR memory[ptr, ptr+len) with the 32-bit key word, whose
// low byte applies to memory[ptr] (little-endian, as wasm memory is, §4.2.8).
const PTR = 0;
const LEN = 1;
const KEY = 2;
const KEYV = 3; // local v128: the key word splatted into all four lanes

function xorVectorAt(offset: number): Instr[] {
  return [
    ['local.get', PTR],
    ['local.get', PTR],
    ['v128.load', { align: V128_ALIGN_LOG2, offset }],
    ['local.get', KEYV],
    ['v128.xor'],
    ['v128.store', { align: V128_ALIGN_LOG2, offset }],
  ];
}

function advance(step: number): Instr[] {
  return [
    ['local.get', PTR], ['i32.const', step], ['i32.add'], ['local.set', PTR],
    ['local.get', LEN], ['i32.const', step], ['i32.sub'], ['local.set', LEN],
  ];
}

/** `while (len >= step) { body; ptr += step; len -= step }` */
function loopWhileAtLeast(step: number, body: Instr[]): Instr[] {
  return [
    ['block'], ['loop'],
    ['local.get', LEN], ['i32.const', step], ['i32.lt_u'], ['br_if', 1],
    ...body,
    ...advance(step),
    ['br', 0],
    ['end'], ['end'],
  ];
}

const MASK_BODY: Instr[] = [
  ['local.get', KEY], ['i32x4.splat'], ['local.set', KEYV],
  // 64 bytes per iteration, then 16: the vector loops keep the key phase at 0 mod 4.
  ...loopWhileAtLeast(UNROLLED_BYTES, [0, 1, 2, 3].flatMap((i) => xorVectorAt(i * V128_BYTES))),
  ...loopWhileAtLeast(V128_BYTES, xorVectorAt(0)),
  // Tail bytes: XOR with the key's low byte, then rotate the next key byte into place.
  ...loopWhileAtLeast(1, [
    ['local.get', PTR],
    ['local.get', PTR], ['i32.load8_u', { align: 0, offset: 0 }],
    ['local.get', KEY], ['i32.xor'],
    ['i32.store8', { align: 0, offset: 0 }],
    ['local.get', KEY], ['i32.const', BYTE_BITS], ['i32.rotr'], ['local.set', KEY],
  ]),
];

/** The kernel's wasm bytes, assembled from MASK_BODY (exported for tests and curiosity). */
export const MASK_WASM: Uint8Array<ArrayBuffer> = assemble({
  memoryPages: Math.ceil(SCRATCH_BYTES / WASM_PAGE_BYTES),
  funcs: [{ name: 'mask', params: ['i32', 'i32', 'i32'], results: [], locals: ['v128'], body: MASK_BODY }],
});

interface Kernel {
  fn: (ptr: number, len: number, key: number) => void;
  scratch: Uint8Array;
}

function instantiate(): Kernel | null {
  try {
    if (typeof WebAssembly === 'undefined' || !WebAssembly.validate(MASK_WASM)) return null;
    const instance = new WebAssembly.Instance(new WebAssembly.Module(MASK_WASM), {});
    const exports = instance.exports as { mask: Kernel['fn']; memory: WebAssembly.Memory };
    // The memory never grows, so this view stays attached.
    return { fn: exports.mask, scratch: new Uint8Array(exports.memory.buffer, 0, SCRATCH_BYTES) };
  } catch {
    // No SIMD (or no WebAssembly) in this runtime: the JS loop is correct, just slower.
    return null;
  }
}

const kernel = instantiate();
/** True when the WebAssembly SIMD kernel is in use for large payloads. */
export const simdAvailable = kernel !== null;

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** The key as one 32-bit word whose first byte in memory is key[phase % 4]. */
function keyWord(key: Uint8Array, phase: number, littleEndian: boolean): number {
  const b0 = key[phase & 3], b1 = key[(phase + 1) & 3], b2 = key[(phase + 2) & 3], b3 = key[(phase + 3) & 3];
  return littleEndian
    ? (b0 | (b1 << 8) | (b2 << 16) | (b3 << 24)) >>> 0
    : ((b0 << 24) | (b1 << 16) | (b2 << 8) | b3) >>> 0;
}

function checkKey(key: Uint8Array): void {
  if (key.length !== MASK_KEY_BYTES) throw new RangeError(`masking key must be ${MASK_KEY_BYTES} bytes (RFC 6455 §5.3)`);
}

/** JS path: byte loop for the unaligned head and tail, 32-bit words in between. In place. */
export function maskJs(data: Uint8Array, key: Uint8Array, offset = 0): void {
  checkKey(key);
  const n = data.length;
  let i = 0;
  if (n >= WORD_LOOP_MIN_BYTES) {
    const misaligned = data.byteOffset & 3;
    const head = misaligned === 0 ? 0 : 4 - misaligned;
    for (; i < head; i++) data[i] ^= key[(offset + i) & 3];
    const words = (n - i) >>> 2;
    const w = new Uint32Array(data.buffer, data.byteOffset + i, words);
    const kw = keyWord(key, offset + i, LITTLE_ENDIAN);
    for (let j = 0; j < words; j++) w[j] ^= kw;
    i += words << 2;
  }
  for (; i < n; i++) data[i] ^= key[(offset + i) & 3];
}

/** Wasm path, in place, any size (callers normally use mask(), which picks the path). */
export function maskWasm(data: Uint8Array, key: Uint8Array, offset = 0): void {
  maskWasmInto(data, key, data, 0, offset);
}

function maskWasmInto(src: Uint8Array, key: Uint8Array, dst: Uint8Array, dstOffset: number, offset: number): void {
  checkKey(key);
  if (!kernel) {
    dst.set(src, dstOffset);
    maskJs(dst.subarray(dstOffset, dstOffset + src.length), key, offset);
    return;
  }
  const { fn, scratch } = kernel;
  // Every chunk but the last is a multiple of 4 bytes long, so each chunk starts at the same phase.
  const kw = keyWord(key, offset, true);
  for (let pos = 0; pos < src.length; pos += SCRATCH_BYTES) {
    const len = Math.min(SCRATCH_BYTES, src.length - pos);
    scratch.set(src.subarray(pos, pos + len));
    fn(0, len, kw | 0);
    dst.set(len === SCRATCH_BYTES ? scratch : scratch.subarray(0, len), dstOffset + pos);
  }
}

/**
 * Masks (or unmasks — XOR is its own inverse) `data` in place. `offset` is the position of
 * data[0] within the frame payload, so a payload can be masked piece by piece (RFC 6455 §5.3:
 * j = i MOD 4).
 */
export function mask(data: Uint8Array, key: Uint8Array, offset = 0): void {
  if (kernel && data.length >= WASM_MIN_BYTES) maskWasmInto(data, key, data, 0, offset);
  else maskJs(data, key, offset);
}

/**
 * Writes `src` masked with `key` into `dst` at `dstOffset`, leaving `src` untouched (a user's
 * buffer must not change because we sent it). This is what a frame writer wants: header and
 * masked payload in one output buffer.
 */
export function maskInto(src: Uint8Array, key: Uint8Array, dst: Uint8Array, dstOffset: number, offset = 0): void {
  if (dstOffset < 0 || dstOffset + src.length > dst.length) throw new RangeError('maskInto: destination too small');
  if (kernel && src.length >= WASM_MIN_BYTES) {
    maskWasmInto(src, key, dst, dstOffset, offset);
    return;
  }
  dst.set(src, dstOffset);
  maskJs(dst.subarray(dstOffset, dstOffset + src.length), key, offset);
}
