import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RingLog } from './ring-log.ts';
import { PayloadShelf, PayloadStore } from './payload-store.ts';

test('ring keeps the last `capacity` records and reports what it evicted', () => {
  const ring = new RingLog<{ seq: number; v: string }>(3);
  assert.deepEqual(ring.page(undefined, 10), { records: [], oldestSeq: 0, newestSeq: 0 });
  const evicted: number[] = [];
  for (let seq = 1; seq <= 7; seq++) evicted.push(ring.push({ seq, v: `r${seq}` }));
  assert.deepEqual(evicted, [0, 0, 0, 1, 2, 3, 4]);
  assert.equal(ring.oldestSeq, 5);
  assert.equal(ring.newestSeq, 7);
  assert.equal(ring.size, 3);
  assert.equal(ring.get(4), undefined);
  assert.equal(ring.get(5)?.v, 'r5');
  assert.deepEqual(ring.page(1, 10).records.map((r) => r.seq), [5, 6, 7]);
  assert.deepEqual(ring.page(6, 10).records.map((r) => r.seq), [6, 7]);
  assert.deepEqual(ring.page(5, 2).records.map((r) => r.seq), [5, 6]);
  assert.deepEqual(ring.page(99, 2).records, []);
  assert.throws(() => ring.push({ seq: 9, v: 'gap' }), RangeError);
  assert.throws(() => new RingLog(0), RangeError);
});

test('payload store evicts oldest payloads beyond its byte budget; records elsewhere are untouched', () => {
  const store = new PayloadStore(10);
  const a = new PayloadShelf();
  const b = new PayloadShelf();
  store.put(a, 1, new Uint8Array([1, 2, 3, 4]));
  store.put(b, 1, new Uint8Array([5, 6, 7, 8]));
  assert.equal(store.totalBytes, 8);
  store.put(a, 2, new Uint8Array([9, 9, 9, 9])); // 12 > 10: a/1 (oldest) goes
  assert.equal(store.get(a, 1), undefined);
  assert.deepEqual([...(store.get(b, 1) ?? [])], [5, 6, 7, 8]);
  assert.equal(store.totalBytes, 8);
  store.put(a, 3, new Uint8Array(11)); // larger than the whole budget: not kept, nothing else evicted
  assert.equal(store.get(a, 3), undefined);
  assert.equal(store.totalBytes, 8);
  store.alias(b, 2, 1);
  assert.deepEqual([...(store.get(b, 2, b) ?? [])], [5, 6, 7, 8]);
  store.clear(b);
  assert.equal(store.totalBytes, 4);
  assert.equal(store.get(b, 2, b), undefined);
});

test('payload store copies views into larger buffers (the budget counts retained bytes)', () => {
  const store = new PayloadStore(1024);
  const shelf = new PayloadShelf();
  const big = new Uint8Array(4096).fill(7);
  store.put(shelf, 1, big.subarray(10, 14));
  const kept = store.get(shelf, 1);
  assert.equal(kept?.buffer.byteLength, 4);
  big[10] = 0;
  assert.equal(kept?.[0], 7);
});

test('payload store queue stays proportional to live entries under steady delete churn', () => {
  const store = new PayloadStore(1 << 30);
  const shelf = new PayloadShelf();
  for (let seq = 1; seq <= 50_000; seq++) {
    store.put(shelf, seq, new Uint8Array(1));
    if (seq > 10) store.delete(shelf, seq - 10); // what ring eviction does
  }
  assert.equal(shelf.entries.size, 10);
  assert.equal(store.totalBytes, 10);
  const queueLength = (store as unknown as { queue: unknown[]; head: number });
  assert.ok(queueLength.queue.length - queueLength.head < 2 * 10 + 1024 + 1);
});
