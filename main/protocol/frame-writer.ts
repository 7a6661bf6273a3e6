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

/**
 * XOR `src` with the masking key into dst[dstOffset…] (RFC 6455 §5.3: octet i ^ key[i mod 4]).
 * Works a 32-bit word at a time when dst is 4-byte aligned at dstOffset (encodeFrame arranges that).
 */
export function maskInto(src: Uint8Array, key: Uint8Array, dst: Uint8Array, dstOffset: number): void {
  const n = src.length;
  // Large payloads: the WebAssembly SIMD kernel (mask-simd.ts) is several times faster.
  if (n >= WASM_MIN_BYTES) {
    maskIntoSimd(src, key, dst, dstOffset);
    return;
  }
  const k0 = key[0], k1 = key[1], k2 = key[2], k3 = key[3];
  let i = 0;
  const absolute = dst.byteOffset + dstOffset;
  if (n >= WORD_MASK_MIN && absolute % 4 === 0) {
    dst.set(src, dstOffset);
    const words = n >>> 2;
    const w = new Uint32Array(dst.buffer, absolute, words);
    const keyWord = LITTLE_ENDIAN
      ? (k0 | (k1 << 8) | (k2 << 16) | (k3 << 24)) >>> 0
      : ((k0 << 24) | (k1 << 16) | (k2 << 8) | k3) >>> 0;
    for (let j = 0; j < words; j++) w[j] ^= keyWord;
    i = words << 2;
    for (; i < n; i++) dst[dstOffset + i] ^= key[i & 3];
    return;
  }
  for (; i < n; i++) dst[dstOffset + i] = src[i] ^ key[i & 3];
}

/** Payloads shorter than this are masked byte-wise (the typed-array view costs more). */
const WORD_MASK_MIN = 32;

/** Unmask in place (test peers and the log of crafted frames). */
export function unmask(data: Uint8Array, key: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = data[i] ^ key[i & 3];
  return out;
}

const ALIGN_SLACK = 3;
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
 * Encode a whole frame into a fresh buffer. The buffer is allocated so that the payload starts on
 * a 4-byte boundary, letting maskInto XOR whole words. Returns header + (masked) payload.
 */
export function encodeFrame(spec: FrameHeaderSpec, payload: Uint8Array, alloc: (n: number) => Uint8Array = defaultAlloc): Uint8Array {
  const n = payload.length;
  const masked = spec.maskKey !== null;
  const encoding = spec.lengthEncoding ?? 'auto';
  const hdr = headerLengthFor(n, masked, encoding);
  // Up to 3 spare bytes let the payload start on a 4-byte boundary wherever the allocator put the
  // buffer (a pooled allocator hands out arbitrary offsets).
  const buf = alloc(hdr + n + ALIGN_SLACK);
  const pad = (4 - ((buf.byteOffset + hdr) % 4)) % 4;
  const out = buf.subarray(pad, pad + hdr + n);
  out[0] =
    (spec.fin ? FIN_BIT : 0) | (spec.rsv1 ? RSV1_BIT : 0) | (spec.rsv2 ? RSV2_BIT : 0) | (spec.rsv3 ? RSV3_BIT : 0) |
    (spec.opcode & OPCODE_MASK);
  let p = 2;
  const ext = hdr - 2 - (masked ? MASK_KEY_BYTES : 0);
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
  if (spec.maskKey !== null) {
    out[1] |= MASK_BIT;
    out.set(spec.maskKey.subarray(0, MASK_KEY_BYTES), p);
    p += MASK_KEY_BYTES;
    maskInto(payload, spec.maskKey, out, p);
  } else {
    out.set(payload, p);
  }
  return out;
}
