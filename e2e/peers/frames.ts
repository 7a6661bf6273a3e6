// A small, deliberately independent RFC 6455 frame codec for the TEST PEERS only. It lets a raw
// server craft any frame (including illegal ones) and decode exactly what our client put on the
// wire. It shares no code with main/protocol on purpose: a test that checked the client's codec
// with the client's codec could not fail.

import { createHash } from 'node:crypto';

// RFC 6455 §5.2 base framing bits.
const FIN_BIT = 0b1000_0000;
const RSV1_BIT = 0b0100_0000;
const RSV2_BIT = 0b0010_0000;
const RSV3_BIT = 0b0001_0000;
const OPCODE_MASK = 0b0000_1111;
const MASK_BIT = 0b1000_0000;
const LENGTH_MASK = 0b0111_1111;
/** 7-bit length values 126 and 127 announce a 16-bit / 64-bit extended length (§5.2). */
const LENGTH_16_MARKER = 126;
const LENGTH_64_MARKER = 127;
const MAX_7BIT_LENGTH = 125;
const MAX_16BIT_LENGTH = 0xffff;
const MASK_KEY_BYTES = 4;
const BASE_HEADER_BYTES = 2;
const LENGTH_16_BYTES = 2;
const LENGTH_64_BYTES = 8;
const CLOSE_CODE_BYTES = 2;

/** RFC 6455 §1.3 / §4.2.2: the GUID appended to the key before hashing. */
export const HANDSHAKE_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export const Op = {
  Continuation: 0x0,
  Text: 0x1,
  Binary: 0x2,
  Close: 0x8,
  Ping: 0x9,
  Pong: 0xa,
} as const;

/** Sec-WebSocket-Accept for a given Sec-WebSocket-Key (RFC 6455 §4.2.2 item 5.4). */
export function acceptFor(key: string): string {
  return createHash('sha1').update(key + HANDSHAKE_GUID).digest('base64');
}

export interface FrameSpec {
  fin?: boolean;
  rsv1?: boolean;
  rsv2?: boolean;
  rsv3?: boolean;
  opcode: number;
  payload?: Uint8Array | string;
  /** Servers must not mask (§5.1); set to craft an illegal masked server frame. */
  mask?: boolean;
  maskKey?: Uint8Array;
  /** Force a length encoding (non-minimal encodings allowed). */
  lengthEncoding?: 'auto' | '7' | '16' | '64';
  /** Override the 64-bit length field verbatim (e.g. with the top bit set); payload is still appended. */
  rawLength64?: bigint;
}

function toBytes(data: Uint8Array | string | undefined): Buffer {
  if (data === undefined) return Buffer.alloc(0);
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/** Encode one frame exactly as described. */
export function encodeFrame(spec: FrameSpec): Buffer {
  const payload = toBytes(spec.payload);
  const fin = spec.fin ?? true;
  let b0 = spec.opcode & OPCODE_MASK;
  if (fin) b0 |= FIN_BIT;
  if (spec.rsv1) b0 |= RSV1_BIT;
  if (spec.rsv2) b0 |= RSV2_BIT;
  if (spec.rsv3) b0 |= RSV3_BIT;

  let encoding = spec.lengthEncoding ?? 'auto';
  if (spec.rawLength64 !== undefined) encoding = '64';
  if (encoding === 'auto') {
    encoding = payload.length <= MAX_7BIT_LENGTH ? '7' : payload.length <= MAX_16BIT_LENGTH ? '16' : '64';
  }
  const parts: Buffer[] = [];
  const head = Buffer.alloc(BASE_HEADER_BYTES);
  head[0] = b0;
  const maskBit = spec.mask ? MASK_BIT : 0;
  if (encoding === '7') {
    if (payload.length > MAX_7BIT_LENGTH) throw new RangeError('payload too long for a 7-bit length');
    head[1] = maskBit | payload.length;
    parts.push(head);
  } else if (encoding === '16') {
    if (payload.length > MAX_16BIT_LENGTH) throw new RangeError('payload too long for a 16-bit length');
    head[1] = maskBit | LENGTH_16_MARKER;
    const ext = Buffer.alloc(LENGTH_16_BYTES);
    ext.writeUInt16BE(payload.length);
    parts.push(head, ext);
  } else {
    head[1] = maskBit | LENGTH_64_MARKER;
    const ext = Buffer.alloc(LENGTH_64_BYTES);
    ext.writeBigUInt64BE(spec.rawLength64 ?? BigInt(payload.length));
    parts.push(head, ext);
  }
  if (spec.mask) {
    const key = spec.maskKey ? Buffer.from(spec.maskKey) : Buffer.from([0x37, 0xfa, 0x21, 0x3d]);
    parts.push(key);
    const masked = Buffer.alloc(payload.length);
    for (let i = 0; i < payload.length; i++) masked[i] = payload[i] ^ key[i % MASK_KEY_BYTES];
    parts.push(masked);
  } else {
    parts.push(payload);
  }
  return Buffer.concat(parts);
}

/** Close frame payload: 2-byte code + UTF-8 reason (§5.5.1). Reason may be raw bytes to craft bad UTF-8. */
export function closePayload(code: number, reason: string | Uint8Array = ''): Buffer {
  const codeBytes = Buffer.alloc(CLOSE_CODE_BYTES);
  codeBytes.writeUInt16BE(code);
  return Buffer.concat([codeBytes, toBytes(reason)]);
}

export interface DecodedFrame {
  fin: boolean;
  rsv1: boolean;
  rsv2: boolean;
  rsv3: boolean;
  opcode: number;
  masked: boolean;
  maskKey: Buffer | null;
  /** How the length was encoded on the wire: minimal encodings are required of us (§5.2). */
  lengthEncoding: '7' | '16' | '64';
  headerLength: number;
  /** Unmasked payload. */
  payload: Buffer;
  /** Close frames: the status code (undefined when the payload is empty) and reason text. */
  closeCode?: number;
  closeReason?: string;
}

export interface DecodeResult {
  frames: DecodedFrame[];
  /** Bytes consumed by complete frames. */
  consumed: number;
}

/** Decode every complete frame at the start of `bytes`; a trailing partial frame is left. */
export function decodeFrames(bytes: Buffer): DecodeResult {
  const frames: DecodedFrame[] = [];
  let pos = 0;
  for (;;) {
    if (bytes.length - pos < BASE_HEADER_BYTES) break;
    const b0 = bytes[pos];
    const b1 = bytes[pos + 1];
    const masked = (b1 & MASK_BIT) !== 0;
    const len7 = b1 & LENGTH_MASK;
    let headerLength = BASE_HEADER_BYTES;
    let length: number;
    let lengthEncoding: DecodedFrame['lengthEncoding'];
    if (len7 === LENGTH_16_MARKER) {
      if (bytes.length - pos < headerLength + LENGTH_16_BYTES) break;
      length = bytes.readUInt16BE(pos + headerLength);
      headerLength += LENGTH_16_BYTES;
      lengthEncoding = '16';
    } else if (len7 === LENGTH_64_MARKER) {
      if (bytes.length - pos < headerLength + LENGTH_64_BYTES) break;
      const big = bytes.readBigUInt64BE(pos + headerLength);
      if (big > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError('client sent a 64-bit length beyond 2^53');
      length = Number(big);
      headerLength += LENGTH_64_BYTES;
      lengthEncoding = '64';
    } else {
      length = len7;
      lengthEncoding = '7';
    }
    let maskKey: Buffer | null = null;
    if (masked) {
      if (bytes.length - pos < headerLength + MASK_KEY_BYTES) break;
      maskKey = Buffer.from(bytes.subarray(pos + headerLength, pos + headerLength + MASK_KEY_BYTES));
      headerLength += MASK_KEY_BYTES;
    }
    if (bytes.length - pos < headerLength + length) break;
    const payload = Buffer.from(bytes.subarray(pos + headerLength, pos + headerLength + length));
    if (maskKey) for (let i = 0; i < payload.length; i++) payload[i] ^= maskKey[i % MASK_KEY_BYTES];
    const frame: DecodedFrame = {
      fin: (b0 & FIN_BIT) !== 0,
      rsv1: (b0 & RSV1_BIT) !== 0,
      rsv2: (b0 & RSV2_BIT) !== 0,
      rsv3: (b0 & RSV3_BIT) !== 0,
      opcode: b0 & OPCODE_MASK,
      masked,
      maskKey,
      lengthEncoding,
      headerLength,
      payload,
    };
    if (frame.opcode === Op.Close && payload.length >= CLOSE_CODE_BYTES) {
      frame.closeCode = payload.readUInt16BE(0);
      frame.closeReason = payload.subarray(CLOSE_CODE_BYTES).toString('utf8');
    }
    frames.push(frame);
    pos += headerLength + length;
  }
  return { frames, consumed: pos };
}

/** A reassembled data message from decoded frames (for asserting echoes). */
export interface DecodedMessage {
  opcode: number;
  payload: Buffer;
  frameCount: number;
  rsv1: boolean;
}

/** Group data frames into messages; control frames are skipped. Incomplete last message omitted. */
export function dataMessages(frames: readonly DecodedFrame[]): DecodedMessage[] {
  const out: DecodedMessage[] = [];
  let current: { opcode: number; parts: Buffer[]; count: number; rsv1: boolean } | null = null;
  for (const f of frames) {
    if ((f.opcode & 0x8) !== 0) continue; // control frames may be interleaved (§5.4)
    if (f.opcode !== Op.Continuation) current = { opcode: f.opcode, parts: [], count: 0, rsv1: f.rsv1 };
    if (!current) continue;
    current.parts.push(f.payload);
    current.count++;
    if (f.fin) {
      out.push({ opcode: current.opcode, payload: Buffer.concat(current.parts), frameCount: current.count, rsv1: current.rsv1 });
      current = null;
    }
  }
  return out;
}
