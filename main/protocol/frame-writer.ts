// RFC 6455 §5.2 frame encoding. The normal path (encodeFrame) always produces a valid client frame:
// masked (§5.3), minimal length encoding (§5.2 "the minimal number of bytes MUST be used").
// The raw path (sendRawFrame → encodeFrame with any header) is the microscope's crafting tool and will write anything it is told to.

import { maskInto as maskIntoSimd, WASM_MIN_BYTES } from './mask-simd.ts';

export const FIN_BIT = 0b1000_0000;
export const RSV1_BIT = 0b0100_0000;
export const RSV2_BIT = 0b0010_0000;
export const RSV3_BIT = 0b0001_0000;
export const OPCODE_MASK = 0b0000_1111;
export const MASK_BIT = 0b1000_0000;
export const LEN7_MASK = 0b0111_1111;
/** §5.2: payload len 0–125 in 7 bits; 126 → 16-bit length follows; 127 → 64-bit length follows. */
export const MAX_LEN7 = 125;
export const LEN16_MARK = 126;
export const LEN64_MARK = 127;
export const MAX_LEN16 = 0xffff;
export const MASK_KEY_BYTES = 4;
const TWO_POW_32 = 0x1_0000_0000;

export type LengthEncoding = 'auto' | '7' | '16' | '64';

/** Bytes of the header for this payload length and masking. */
export function headerLengthFor(payloadLength: number, masked: boolean, encoding: LengthEncoding = 'auto'): number {
  const ext = lengthFieldBytes(payloadLength, encoding);
  return 2 + ext + (masked ? MASK_KEY_BYTES : 0);
}

function lengthFieldBytes(payloadLength: number, encoding: LengthEncoding): number {
  switch (encoding) {
    case '7': return 0;
    case '16': return 2;
    case '64': return 8;
    default: return payloadLength <= MAX_LEN7 ? 0 : payloadLength <= MAX_LEN16 ? 2 : 8;
  }
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const WORD_BYTES = 4;
const BYTE_BITS = 8;

/**
 * A Uint32Array over the ArrayBuffer the last frame was written into. Small frames come from a
 * pooled slab (Buffer.allocUnsafe hands out 8 KiB pools), so consecutive frames usually share one
 * ArrayBuffer and the word view is made once per slab instead of once per frame.
 */
let wordsBuffer: ArrayBufferLike | null = null;
let words: Uint32Array<ArrayBufferLike> = new Uint32Array(0);

function wordsOver(buffer: ArrayBufferLike, endWord: number): Uint32Array {
  if (buffer !== wordsBuffer || endWord > words.length) {
    words = new Uint32Array(buffer, 0, buffer.byteLength >>> 2);
    wordsBuffer = buffer;
  }
  return words;
}

/**
 * XOR `src` with the masking key into dst[dstOffset…] (RFC 6455 §5.3: octet i ^ key[i mod 4]).
 * Any dstOffset: the bytes before the first 4-byte boundary and after the last are done one by
 * one, the middle a 32-bit word at a time with the key rotated to that phase.
 */
export function maskInto(src: Uint8Array, key: Uint8Array, dst: Uint8Array, dstOffset: number): void {
  const n = src.length;
  // Large payloads: the WebAssembly SIMD kernel (mask-simd.ts) is several times faster.
  if (n >= WASM_MIN_BYTES) {
    maskIntoSimd(src, key, dst, dstOffset);
    return;
  }
  const k0 = key[0], k1 = key[1], k2 = key[2], k3 = key[3];
  if (n < WORD_MASK_MIN) {
    let i = 0;
    for (const end = n - (n & 3); i < end; i += 4) {
      dst[dstOffset + i] = src[i] ^ k0;
      dst[dstOffset + i + 1] = src[i + 1] ^ k1;
      dst[dstOffset + i + 2] = src[i + 2] ^ k2;
      dst[dstOffset + i + 3] = src[i + 3] ^ k3;
    }
    for (; i < n; i++) dst[dstOffset + i] = src[i] ^ key[i & 3];
    return;
  }
  dst.set(src, dstOffset);
  const absolute = dst.byteOffset + dstOffset;
  const head = (WORD_BYTES - (absolute & 3)) & 3;
  let i = 0;
  for (; i < head; i++) dst[dstOffset + i] ^= key[i & 3];
  const count = (n - head) >>> 2;
  const first = (absolute + head) >>> 2;
  const w = wordsOver(dst.buffer, first + count);
  // The word at payload position `head` starts with key byte (head mod 4).
  const b0 = key[head & 3], b1 = key[(head + 1) & 3], b2 = key[(head + 2) & 3], b3 = key[(head + 3) & 3];
  const keyWord = LITTLE_ENDIAN
    ? (b0 | (b1 << BYTE_BITS) | (b2 << (2 * BYTE_BITS)) | (b3 << (3 * BYTE_BITS))) >>> 0
    : ((b0 << (3 * BYTE_BITS)) | (b1 << (2 * BYTE_BITS)) | (b2 << BYTE_BITS) | b3) >>> 0;
  for (let j = first, end = first + count; j < end; j++) w[j] ^= keyWord;
  for (i = head + (count << 2); i < n; i++) dst[dstOffset + i] ^= key[i & 3];
}

/** Payloads shorter than this are masked byte-wise (4 bytes per iteration). */
const WORD_MASK_MIN = 32;

/** Unmask in place (test peers and the log of crafted frames). */
export function unmask(data: Uint8Array, key: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = data[i] ^ key[i & 3];
  return out;
}

const defaultAlloc = (n: number): Uint8Array => new Uint8Array(n);

export interface FrameHeaderSpec {
  fin: boolean;
  rsv1: boolean;
  rsv2: boolean;
  rsv3: boolean;
  opcode: number;
  /** null = unmasked. */
  maskKey: Uint8Array | null;
  lengthEncoding?: LengthEncoding;
}

/**
 * Encode a whole frame into one buffer from `alloc` (header + masked payload; uninitialised memory
 * is fine, every byte is written).
 */
export function encodeFrame(spec: FrameHeaderSpec, payload: Uint8Array, alloc: (n: number) => Uint8Array = defaultAlloc): Uint8Array {
  const n = payload.length;
  const key = spec.maskKey;
  const encoding = spec.lengthEncoding;
  const ext = encoding === undefined || encoding === 'auto' ? (n <= MAX_LEN7 ? 0 : n <= MAX_LEN16 ? 2 : 8) : lengthFieldBytes(n, encoding);
  const hdr = 2 + ext + (key !== null ? MASK_KEY_BYTES : 0);
  const out = alloc(hdr + n);
  out[0] =
    (spec.fin ? FIN_BIT : 0) | (spec.rsv1 ? RSV1_BIT : 0) | (spec.rsv2 ? RSV2_BIT : 0) | (spec.rsv3 ? RSV3_BIT : 0) |
    (spec.opcode & OPCODE_MASK);
  let p = 2;
  if (ext === 0) {
    // A forced 7-bit encoding of a longer payload is written as its low 7 bits: crafted, invalid.
    out[1] = n <= MAX_LEN7 ? n : n & LEN7_MASK;
  } else if (ext === 2) {
    out[1] = LEN16_MARK;
    out[2] = (n >>> 8) & 0xff;
    out[3] = n & 0xff;
    p = 4;
  } else {
    out[1] = LEN64_MARK;
    const hi = Math.floor(n / TWO_POW_32);
    const lo = n >>> 0;
    out[2] = (hi >>> 24) & 0xff; out[3] = (hi >>> 16) & 0xff; out[4] = (hi >>> 8) & 0xff; out[5] = hi & 0xff;
    out[6] = (lo >>> 24) & 0xff; out[7] = (lo >>> 16) & 0xff; out[8] = (lo >>> 8) & 0xff; out[9] = lo & 0xff;
    p = 10;
  }
  if (key !== null) {
    out[1] |= MASK_BIT;
    // §5.3: the 4 key octets follow the length, before the payload.
    out[p] = key[0]; out[p + 1] = key[1]; out[p + 2] = key[2]; out[p + 3] = key[3];
    p += MASK_KEY_BYTES;
    maskInto(payload, key, out, p);
  } else {
    out.set(payload, p);
  }
  return out;
}
