import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EventBatch } from '../../shared/api.ts';
import type { ConnectionSnapshot, FrameRecord } from '../../shared/model.ts';
import { EventBatcher } from './event-batcher.ts';

function fr(seq: number): FrameRecord {
  return {
    seq, dir: 'in', time: seq, fin: true, rsv1: false, rsv2: false, rsv3: false, opcode: 1, masked: false, maskKey: null,
    headerLength: 2, payloadLength: 1, payload: { base64: 'YQ==', length: 1, truncated: false },
  };
}
function snap(id: string, state: ConnectionSnapshot['state']): ConnectionSnapshot {
  const stats = { framesIn: 0, framesOut: 0, messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0, bufferedAmount: 0 };
  return { id, label: id, options: { url: 'ws://x/' }, state, stats };
}
function nextBatch(batches: EventBatch[], count: number): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (batches.length >= count) resolve();
      else setImmediate(check);
    };
    check();
  });
}

test('a synchronous burst of 50,000 frame events over 3 connections leaves as ONE batch, nothing lost, grouped', async () => {
  const batches: EventBatch[] = [];
  const b = new EventBatcher((x) => batches.push(x), { intervalMs: 16 });
  const ids = ['a', 'b', 'c'];
  const seqs = new Map(ids.map((id) => [id, 0]));
  for (let i = 0; i < 50_000; i++) {
    const id = ids[i % 3];
    const seq = (seqs.get(id) ?? 0) + 1;
    seqs.set(id, seq);
    b.push({ type: 'frames', id, frames: [fr(seq)] });
    b.push({ type: 'stats', id, stats: { framesIn: seq, framesOut: 0, messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0, bufferedAmount: 0 } });
  }
  await nextBatch(batches, 1);
  b.dispose();
  assert.equal(batches.length, 1);
  assert.equal(batches[0].batch, 1);
  const frames = batches[0].events.filter((e) => e.type === 'frames');
  assert.equal(frames.length, 3, 'one frames group per connection');
  let total = 0;
  for (const e of frames) {
    if (e.type !== 'frames') continue;
    total += e.frames.length;
    e.frames.forEach((f, i) => assert.equal(f.seq, i + 1, 'in order, no gap'));
  }
  assert.equal(total, 50_000);
  const stats = batches[0].events.filter((e) => e.type === 'stats');
  assert.equal(stats.length, 3, 'stats coalesce per connection');
  for (const e of stats) if (e.type === 'stats') assert.equal(e.stats.framesIn, seqs.get(e.id));
});

test('snapshots coalesce (last wins); errors and removals are all kept in order; batches are numbered', async () => {
  const batches: EventBatch[] = [];
  const b = new EventBatcher((x) => batches.push(x));
  b.push({ type: 'connection', snapshot: snap('a', 'CONNECTING') });
  b.push({ type: 'error', id: 'a', error: { code: 'PROTOCOL', message: 'one', time: 1 } });
  b.push({ type: 'connection', snapshot: snap('a', 'CLOSED') });
  b.push({ type: 'error', id: 'a', error: { code: 'PROTOCOL', message: 'two', time: 2 } });
  b.push({ type: 'removed', id: 'a' });
  await nextBatch(batches, 1);
  b.push({ type: 'connection', snapshot: snap('b', 'OPEN') });
  await nextBatch(batches, 2);
  b.dispose();
  assert.deepEqual(batches.map((x) => x.batch), [1, 2]);
  const [first] = batches;
  assert.deepEqual(first.events.map((e) => e.type), ['connection', 'error', 'error', 'removed']);
  const c = first.events[0];
  assert.equal(c.type === 'connection' && c.snapshot.state, 'CLOSED');
});

test('flushes are spaced by at least the interval (checked on an injected clock)', async () => {
  let clock = 0;
  const flushTimes: number[] = [];
  const b = new EventBatcher(() => flushTimes.push(clock), { intervalMs: 16, now: () => clock });
  for (let i = 1; i <= 200; i++) {
    clock += 3; // an event every 3 ms of the fake clock
    b.push({ type: 'frames', id: 'a', frames: [fr(i)] });
    await new Promise<void>((r) => setImmediate(r));
  }
  b.flushNow();
  b.dispose();
  assert.ok(flushTimes.length >= 2);
  for (let i = 1; i < flushTimes.length - 1; i++) assert.ok(flushTimes[i] - flushTimes[i - 1] >= 16, `gap ${flushTimes[i] - flushTimes[i - 1]}`);
});

test('pause holds batches; a group beyond maxPendingRecords keeps its newest records', async () => {
  const batches: EventBatch[] = [];
  const b = new EventBatcher((x) => batches.push(x), { maxPendingRecords: 100 });
  b.pause();
  for (let i = 1; i <= 1000; i++) b.push({ type: 'frames', id: 'a', frames: [fr(i)] });
  await new Promise<void>((r) => setImmediate(r));
  assert.equal(batches.length, 0);
  b.resume();
  await nextBatch(batches, 1);
  b.dispose();
  const e = batches[0].events[0];
  assert.ok(e.type === 'frames');
  if (e.type === 'frames') {
    assert.equal(e.frames.length, 100);
    assert.equal(e.frames[0].seq, 901);
    assert.equal(e.frames[99].seq, 1000);
  }
});

test('a sink that throws does not take the process down; later batches still arrive, numbered on', async () => {
  const batches: EventBatch[] = [];
  let calls = 0;
  const originalError = console.error;
  const logged: string[] = [];
  console.error = (msg: string) => void logged.push(msg);
  try {
    const b = new EventBatcher((x) => {
      calls++;
      if (calls === 1) throw new Error('window gone');
      batches.push(x);
    });
    b.push({ type: 'removed', id: 'a' });
    await new Promise<void>((resolve) => {
      const check = (): void => (calls >= 1 ? resolve() : void setImmediate(check));
      check();
    });
    b.push({ type: 'removed', id: 'b' });
    await nextBatch(batches, 1);
    b.dispose();
    assert.equal(batches[0].batch, 2);
    assert.match(logged[0], /batch 1 could not be delivered: window gone/);
  } finally {
    console.error = originalError;
  }
});
