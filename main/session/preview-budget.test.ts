import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FrameRecord, MessageRecord } from '../../shared/model.ts';
import { RingLog } from './ring-log.ts';
import { PreviewBudget, SHRUNK_PREVIEW_BYTES } from './preview-budget.ts';

function frame(seq: number, bytes: number): FrameRecord {
  const payload = Buffer.alloc(bytes, seq & 0xff);
  return {
    seq, dir: 'in', time: seq, fin: true, rsv1: false, rsv2: false, rsv3: false, opcode: 2, masked: false, maskKey: null,
    headerLength: 4, payloadLength: bytes, payload: { base64: payload.toString('base64'), length: bytes, truncated: false },
  };
}

test('previews beyond the budget shrink oldest first; totals stay within the budget; records stay', () => {
  const ring = new RingLog<FrameRecord>(1000);
  const budget = new PreviewBudget<FrameRecord>(100_000);
  for (let seq = 1; seq <= 500; seq++) {
    const r = frame(seq, 3000); // 4000 base64 chars each
    const evicted = seq > ring.capacity ? ring.get(seq - ring.capacity) : undefined;
    ring.push(r);
    budget.add(r, evicted, (n) => ring.get(n));
    assert.ok(budget.bytes <= 100_000, `total ${budget.bytes} at ${seq}`);
  }
  const oldest = ring.get(1);
  assert.equal(Buffer.from(oldest?.payload.base64 ?? '', 'base64').length, SHRUNK_PREVIEW_BYTES);
  assert.equal(oldest?.payload.truncated, true);
  assert.equal(oldest?.payload.length, 3000, 'the record still states the full length');
  const newest = ring.get(500);
  assert.equal(newest?.payload.truncated, false);
  assert.equal(Buffer.from(newest?.payload.base64 ?? '', 'base64').length, 3000);
});

test('ring eviction gives budget back; text previews shrink on a surrogate boundary', () => {
  const ring = new RingLog<MessageRecord>(3);
  const budget = new PreviewBudget<MessageRecord>(1000);
  const text = 'a'.repeat(SHRUNK_PREVIEW_BYTES - 1) + '😀' + 'b'.repeat(600);
  for (let seq = 1; seq <= 10; seq++) {
    const r: MessageRecord = { seq, dir: 'in', time: seq, kind: 'text', length: 700, wireLength: 700, compressed: false, frameCount: 1, text, truncated: false };
    const evicted = seq > ring.capacity ? ring.get(seq - ring.capacity) : undefined;
    ring.push(r);
    budget.add(r, evicted, (n) => ring.get(n));
    assert.ok(budget.bytes <= 1000);
  }
  const shrunk = ring.get(8);
  assert.equal(shrunk?.truncated, true);
  assert.equal(shrunk?.text, 'a'.repeat(SHRUNK_PREVIEW_BYTES - 1), 'the emoji is not cut in half');
  assert.equal(ring.get(10)?.text, text);
});
