// Byte workloads shared by the codec and loopback benchmarks: frame sizes, mixed UTF-8 text,
// server→client frame streams cut into socket-sized chunks.
import { Opcode } from '../../shared/protocol-constants.ts';

export interface FrameSize {
  label: string;
  bytes: number;
  opcode: typeof Opcode.Text | typeof Opcode.Binary;
}

const KiB = 1024;
const MiB = 1024 * KiB;

/** The sizes issue 4 asks for: small text (chat), 125 B (largest 7-bit length, RFC 6455 §5.2),
 * and binary on each side of the 16-bit and 64-bit length encodings. */
export const FRAME_SIZES: readonly FrameSize[] = [
  { label: '16 B text', bytes: 16, opcode: Opcode.Text },
  { label: '125 B text', bytes: 125, opcode: Opcode.Text },
  { label: '4 KiB binary', bytes: 4 * KiB, opcode: Opcode.Binary },
  { label: '64 KiB binary', bytes: 64 * KiB, opcode: Opcode.Binary },
  { label: '1 MiB binary', bytes: MiB, opcode: Opcode.Binary },
];

/** A socket read hands the parser at most this much at a time (typical libuv read size). */
export const CHUNK_BYTES = 64 * KiB;
export const ONE_MIB = MiB;

// Text a chat client really sees: mostly ASCII with 2-, 3- and 4-byte sequences mixed in.
const MIXED_SEED = 'Wirechat frame log: données reçues ✓ 送信済み 😀 — ok; ';

/** Exactly `bytes` bytes of valid UTF-8 mixed text (cut on a character boundary, ASCII-padded). */
export function mixedText(bytes: number): Buffer {
  const seed = Buffer.from(MIXED_SEED, 'utf8');
  const out = Buffer.alloc(bytes, 0x61);
  let off = 0;
  while (off + seed.length <= bytes) {
    seed.copy(out, off);
    off += seed.length;
  }
  // Fill the tail with the seed's longest valid prefix, then ASCII 'a' already in place.
  const tail = Buffer.from(seed.subarray(0, bytes - off).toString('utf8').replace(/\uFFFD+$/u, ''), 'utf8');
  tail.copy(out, off);
  return out;
}

/** Payload for a frame size: mixed text for text frames, pseudo-random bytes for binary. */
export function payloadFor(size: FrameSize): Buffer {
  if (size.opcode === Opcode.Text) return mixedText(size.bytes);
  const b = Buffer.allocUnsafe(size.bytes);
  let x = 0x9e3779b9;
  for (let i = 0; i < b.length; i++) {
    // xorshift32: reproducible, incompressible-looking bytes without a crypto call per byte.
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}

const FIN_BIT = 0b1000_0000;
const LEN_16 = 126;
const LEN_64 = 127;
const MAX_7BIT = 125;
const MAX_16BIT = 0xffff;

/** One unmasked server→client frame (RFC 6455 §5.2: servers never mask, §5.1). */
export function serverFrame(opcode: number, payload: Buffer): Buffer {
  const n = payload.length;
  const headerLen = n <= MAX_7BIT ? 2 : n <= MAX_16BIT ? 4 : 10;
  const f = Buffer.allocUnsafe(headerLen + n);
  f[0] = FIN_BIT | opcode;
  if (n <= MAX_7BIT) f[1] = n;
  else if (n <= MAX_16BIT) {
    f[1] = LEN_16;
    f.writeUInt16BE(n, 2);
  } else {
    f[1] = LEN_64;
    f.writeBigUInt64BE(BigInt(n), 2);
  }
  payload.copy(f, headerLen);
  return f;
}

export interface FrameStream {
  /** The stream cut into CHUNK_BYTES pieces, as successive socket reads would deliver it. */
  chunks: Buffer[];
  frames: number;
  payloadBytes: number;
  totalBytes: number;
}

/** Enough frames of one size to make about `targetBytes` of stream (at least `minFrames`). */
export function frameStream(size: FrameSize, targetBytes: number, minFrames = 4): FrameStream {
  const frame = serverFrame(size.opcode, payloadFor(size));
  const frames = Math.max(minFrames, Math.ceil(targetBytes / frame.length));
  const all = Buffer.allocUnsafe(frames * frame.length);
  for (let i = 0; i < frames; i++) frame.copy(all, i * frame.length);
  const chunks: Buffer[] = [];
  for (let off = 0; off < all.length; off += CHUNK_BYTES) chunks.push(all.subarray(off, Math.min(all.length, off + CHUNK_BYTES)));
  return { chunks, frames, payloadBytes: frames * size.bytes, totalBytes: all.length };
}
