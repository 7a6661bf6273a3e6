// Conversion of the transport's WireFrame / WireMessage (full Uint8Array payloads) into the plain
// JSON records that cross the process boundary (shared/model.ts), with bounded previews
// (house rule 7): whatever a server sends, a record carries at most `previewBytes` of payload.

import type { FrameRecord, MessageRecord, PayloadPreview } from '../../shared/model.ts';
import type { WireFrame, WireMessage } from '../transport/types.ts';

const HEX_RADIX = 16;
const HEX_BYTE_WIDTH = 2;
/** UTF-8 continuation bytes look like 0b10xx_xxxx (RFC 3629 §3). */
const UTF8_CONTINUATION_MASK = 0b1100_0000;
const UTF8_CONTINUATION_TAG = 0b1000_0000;

const utf8Decoder = new TextDecoder('utf-8');

export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

export function fromBase64(s: string): Uint8Array {
  const b = Buffer.from(s, 'base64');
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(HEX_RADIX).padStart(HEX_BYTE_WIDTH, '0');
  return s;
}

export function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / HEX_BYTE_WIDTH);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * HEX_BYTE_WIDTH, (i + 1) * HEX_BYTE_WIDTH), HEX_RADIX);
  return out;
}

export function preview(bytes: Uint8Array, previewBytes: number): PayloadPreview {
  const n = Math.min(bytes.byteLength, previewBytes);
  return { base64: toBase64(bytes.subarray(0, n)), length: bytes.byteLength, truncated: n < bytes.byteLength };
}

/**
 * The longest prefix of valid UTF-8 `bytes` that is at most `maxBytes` long and ends on a
 * character boundary: back up over continuation bytes so no character is cut in half.
 */
export function utf8PrefixLength(bytes: Uint8Array, maxBytes: number): number {
  if (bytes.byteLength <= maxBytes) return bytes.byteLength;
  let cut = maxBytes;
  while (cut > 0 && (bytes[cut] & UTF8_CONTINUATION_MASK) === UTF8_CONTINUATION_TAG) cut--;
  return cut;
}

export function frameRecord(seq: number, f: WireFrame, previewBytes: number): FrameRecord {
  const r: FrameRecord = {
    seq,
    dir: f.dir,
    time: f.time,
    fin: f.fin,
    rsv1: f.rsv1,
    rsv2: f.rsv2,
    rsv3: f.rsv3,
    opcode: f.opcode,
    masked: f.masked,
    maskKey: f.maskKey ? toHex(f.maskKey) : null,
    headerLength: f.headerLength,
    payloadLength: f.payloadLength,
    payload: preview(f.payload, previewBytes),
  };
  if (f.compressed !== undefined) r.compressed = f.compressed;
  if (f.inflatedLength !== undefined) r.inflatedLength = f.inflatedLength;
  // Per-direction wire message number (WireFrame.messageSeq): fragments of one message share it.
  if (f.messageSeq !== undefined) r.messageSeq = f.messageSeq;
  if (f.fragmentIndex !== undefined) r.fragmentIndex = f.fragmentIndex;
  if (f.crafted) r.crafted = true;
  return r;
}

export function messageRecord(seq: number, m: WireMessage, previewBytes: number): MessageRecord {
  const r: MessageRecord = {
    seq,
    dir: m.dir,
    time: m.time,
    kind: m.kind,
    length: m.data.byteLength,
    wireLength: m.wireLength,
    compressed: m.compressed,
    frameCount: m.frameCount,
    truncated: false,
  };
  if (m.kind === 'text') {
    if (m.data.byteLength <= previewBytes && m.text !== undefined) {
      r.text = m.text;
    } else {
      const cut = utf8PrefixLength(m.data, previewBytes);
      r.text = utf8Decoder.decode(m.data.subarray(0, cut));
      r.truncated = cut < m.data.byteLength;
    }
  } else {
    r.preview = preview(m.data, previewBytes);
    r.truncated = r.preview.truncated;
  }
  return r;
}
