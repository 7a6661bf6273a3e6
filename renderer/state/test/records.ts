// Record builders for renderer unit tests: plain JSON exactly as shared/model.ts defines it.
import type { ConnectionSnapshot, ConnectionStats, FrameRecord, MessageRecord } from '../../../shared/model.ts';

export const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

export function stats(p: Partial<ConnectionStats> = {}): ConnectionStats {
  return { framesIn: 0, framesOut: 0, messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0, bufferedAmount: 0, ...p };
}

export function snapshot(id: string, p: Partial<ConnectionSnapshot> = {}): ConnectionSnapshot {
  return {
    id,
    label: `127.0.0.1/${id}`,
    options: { url: `ws://127.0.0.1:9/${id}` },
    state: 'CONNECTING',
    stats: stats(),
    ...p,
  };
}

export function message(seq: number, p: Partial<MessageRecord> = {}): MessageRecord {
  const text = p.text ?? `message ${seq}`;
  return {
    seq,
    dir: seq % 2 ? 'in' : 'out',
    time: T0 + seq,
    kind: 'text',
    length: text.length,
    wireLength: text.length,
    compressed: false,
    frameCount: 1,
    text,
    truncated: false,
    ...p,
  };
}

export function frame(seq: number, p: Partial<FrameRecord> = {}): FrameRecord {
  return {
    seq,
    dir: 'in',
    time: T0 + seq,
    fin: true,
    rsv1: false,
    rsv2: false,
    rsv3: false,
    opcode: 1,
    masked: false,
    maskKey: null,
    headerLength: 2,
    payloadLength: 5,
    payload: { base64: btoa('hello'), length: 5, truncated: false },
    ...p,
  };
}

export function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i <= to; i++) out.push(i);
  return out;
}
