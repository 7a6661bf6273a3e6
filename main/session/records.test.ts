import { test } from 'node:test';
import assert from 'node:assert/strict';
import { frameRecord, messageRecord, utf8PrefixLength } from './records.ts';
import type { WireFrame, WireMessage } from '../transport/types.ts';

function frame(payload: Uint8Array, extra: Partial<WireFrame> = {}): WireFrame {
  return {
    dir: 'out', time: 1.5, fin: true, rsv1: false, rsv2: false, rsv3: false, opcode: 2, masked: true,
    maskKey: new Uint8Array([0xde, 0xad, 0xbe, 0xef]), headerLength: 8, payloadLength: payload.length, payload, ...extra,
  };
}

test('frame record: hex mask key, bounded base64 preview, optional fields only when set', () => {
  const payload = new Uint8Array(10_000).map((_, i) => i & 0xff);
  const r = frameRecord(3, frame(payload, { messageSeq: 2, fragmentIndex: 0 }), 4096);
  assert.equal(r.seq, 3);
  assert.equal(r.maskKey, 'deadbeef');
  assert.equal(r.payload.length, 10_000);
  assert.equal(r.payload.truncated, true);
  assert.deepEqual(Buffer.from(r.payload.base64, 'base64'), Buffer.from(payload.subarray(0, 4096)));
  assert.equal(r.messageSeq, 2);
  assert.equal('compressed' in r, false);
  assert.equal('crafted' in r, false);
  const small = frameRecord(1, frame(new Uint8Array([1, 2]), { masked: false, maskKey: null }), 4096);
  assert.equal(small.maskKey, null);
  assert.equal(small.payload.truncated, false);
  // Records are plain JSON.
  assert.deepEqual(JSON.parse(JSON.stringify(r)), r);
});

test('text preview is cut on a character boundary', () => {
  const text = 'aa' + '€'.repeat(3000); // 2 + 9000 bytes
  const data = new TextEncoder().encode(text);
  const m: WireMessage = { dir: 'in', messageSeq: 1, time: 1, kind: 'text', data, text, wireLength: data.length, compressed: false, frameCount: 1 };
  const r = messageRecord(1, m, 4096);
  assert.equal(r.truncated, true);
  assert.equal(r.length, data.length);
  assert.ok(text.startsWith(r.text ?? 'x'));
  assert.ok(!(r.text ?? '').includes('\uFFFD'));
  assert.equal(Buffer.byteLength(r.text ?? '', 'utf8'), 4094); // 2 + 1364 × 3: the next € would cross 4096
  const whole = messageRecord(2, { ...m, data: new TextEncoder().encode('hi'), text: 'hi' }, 4096);
  assert.equal(whole.text, 'hi');
  assert.equal(whole.truncated, false);
  assert.equal(utf8PrefixLength(new TextEncoder().encode('😀😀'), 5), 4);
});

test('binary message preview', () => {
  const data = new Uint8Array(5000).fill(1);
  const r = messageRecord(1, { dir: 'in', messageSeq: 1, time: 1, kind: 'binary', data, wireLength: 40, compressed: true, frameCount: 2 }, 4096);
  assert.equal(r.preview?.length, 5000);
  assert.equal(r.truncated, true);
  assert.equal(r.wireLength, 40);
  assert.equal(r.text, undefined);
});
