// Fixture records for component tests (legitimate here: these tests check rendering, filtering and
// validation, not protocol behaviour). Plain JSON exactly as shared/model.ts defines it.
import type { ConnectionSnapshot, FrameRecord, MessageRecord } from '../../shared/model.ts';

export const T0 = Date.UTC(2026, 0, 1, 9, 30, 0);

function b64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}
const enc = new TextEncoder();

export function textMessage(seq: number, text: string, dir: 'in' | 'out' = 'in', extra: Partial<MessageRecord> = {}): MessageRecord {
  const len = enc.encode(text).length;
  return { seq, dir, time: T0 + seq * 137, kind: 'text', length: len, wireLength: len, compressed: false, frameCount: 1, text, truncated: false, ...extra };
}

export function binaryMessage(seq: number, bytes: number[], dir: 'in' | 'out' = 'in'): MessageRecord {
  const u = new Uint8Array(bytes);
  return {
    seq, dir, time: T0 + seq * 137, kind: 'binary', length: u.length, wireLength: u.length, compressed: false, frameCount: 1,
    preview: { base64: b64(u), length: u.length, truncated: false }, truncated: false,
  };
}

export function frame(seq: number, p: Partial<FrameRecord> & { text?: string; bytes?: number[] } = {}): FrameRecord {
  const { text, bytes, ...rest } = p;
  const payload = bytes ? new Uint8Array(bytes) : enc.encode(text ?? '');
  const dir = rest.dir ?? 'in';
  return {
    seq, dir, time: T0 + seq * 3.25, fin: true, rsv1: false, rsv2: false, rsv3: false, opcode: 1,
    masked: dir === 'out', maskKey: dir === 'out' ? '1a2b3c4d' : null, headerLength: dir === 'out' ? 6 : 2,
    payloadLength: payload.length, payload: { base64: b64(payload), length: payload.length, truncated: false },
    ...rest,
  };
}

/** A small, varied frame log: text both ways, fragments, ping/pong, binary, compressed, close. */
export function sampleFrames(): FrameRecord[] {
  return [
    frame(1, { dir: 'out', text: '{"type":"join","room":"lobby"}', messageSeq: 1, fragmentIndex: 0 }),
    frame(2, { dir: 'in', text: '{"type":"welcome","users":3}', messageSeq: 2, fragmentIndex: 0 }),
    frame(3, { dir: 'in', opcode: 9, text: 'are you there', fin: true }),
    frame(4, { dir: 'out', opcode: 10, text: 'are you there' }),
    frame(5, { dir: 'in', fin: false, text: 'part one, ', messageSeq: 3, fragmentIndex: 0 }),
    frame(6, { dir: 'in', opcode: 0, fin: false, text: 'part two, ', messageSeq: 3, fragmentIndex: 1 }),
    frame(7, { dir: 'in', opcode: 0, fin: true, text: 'part three', messageSeq: 3, fragmentIndex: 2 }),
    frame(8, { dir: 'out', opcode: 2, bytes: [0xde, 0xad, 0xbe, 0xef, 0x00, 0x01], messageSeq: 4, fragmentIndex: 0 }),
    frame(9, { dir: 'in', rsv1: true, compressed: true, bytes: [0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00], inflatedLength: 5, messageSeq: 5, fragmentIndex: 0 }),
    frame(10, { dir: 'in', text: 'id=42 status=ok', messageSeq: 6, fragmentIndex: 0 }),
    frame(11, { dir: 'out', opcode: 8, bytes: [0x03, 0xe8, 0x62, 0x79, 0x65] }),
    frame(12, { dir: 'in', opcode: 8, bytes: [0x03, 0xe8] }),
  ];
}

export function sampleMessages(): MessageRecord[] {
  return [
    textMessage(1, '{"type":"join","room":"lobby"}', 'out'),
    textMessage(2, '{"type":"welcome","users":["ada","linus","grace"],"motd":"Be nice"}', 'in'),
    textMessage(3, 'Hello from the server 👋', 'in'),
    textMessage(4, 'plain text reply', 'out'),
    binaryMessage(5, [0xde, 0xad, 0xbe, 0xef, 0x00, 0x01, 0x02, 0x03, 0x48, 0x69], 'in'),
    textMessage(6, '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script><b>bold?</b>', 'in'),
  ];
}

export function manyMessages(n: number): MessageRecord[] {
  const out: MessageRecord[] = [];
  for (let i = 1; i <= n; i++) out.push(textMessage(i, `message number ${i}`, i % 3 === 0 ? 'out' : 'in'));
  return out;
}

export function snapshot(id: string, p: Partial<ConnectionSnapshot> = {}): ConnectionSnapshot {
  return {
    id,
    label: `127.0.0.1:8080/${id}`,
    options: { url: `ws://127.0.0.1:8080/${id}` },
    state: 'OPEN',
    openedAt: T0,
    stats: { framesIn: 0, framesOut: 0, messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0, bufferedAmount: 0 },
    ...p,
  };
}

export function sampleHandshake(): NonNullable<ConnectionSnapshot['handshake']> {
  const requestText =
    'GET /chat HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n' +
    'Sec-WebSocket-Protocol: chat.v2, json\r\nSec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n';
  const responseText =
    'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
    'Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: chat.v2\r\n' +
    'Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=15\r\n\r\n';
  return {
    requestText,
    responseText,
    statusCode: 101,
    statusText: 'Switching Protocols',
    requestHeaders: [],
    responseHeaders: [],
    protocol: 'chat.v2',
    extensions: 'permessage-deflate; client_max_window_bits=15',
    deflate: { serverNoContextTakeover: false, clientNoContextTakeover: false, serverMaxWindowBits: 15, clientMaxWindowBits: 15 },
    timings: { tcpMs: 0.8, handshakeMs: 2.4, startedAt: T0 - 4 },
    remoteAddress: '127.0.0.1',
    remotePort: 8080,
  };
}
