// SessionManager against real servers (the `ws` package on 127.0.0.1): validation of every command,
// unknown ids, ring eviction, payload budget, batching of a 50,000-message burst, closeAll with 1001.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiEvent, EventBatch } from '../../shared/api.ts';
import { COMMAND_NAMES } from '../../shared/api.ts';
import type { ConnectionSnapshot } from '../../shared/model.ts';
import { startWsPeer, type WsPeer } from '../../e2e/peers/ws-peers.ts';
import { Signal } from '../../e2e/peers/wait.ts';
import { EventBatcher } from './event-batcher.ts';
import { SessionManager, type SessionManagerOptions } from './session-manager.ts';

let peer: WsPeer;
before(async () => {
  peer = await startWsPeer();
});
after(async () => {
  await peer.stop();
});

/** A manager plus a recorder of its raw events, with condition waits. */
function harness(options: SessionManagerOptions = {}) {
  const manager = new SessionManager(options);
  const events: ApiEvent[] = [];
  const signal = new Signal();
  manager.subscribe((e) => {
    events.push(e);
    signal.notify();
  });
  const state = (id: string): ConnectionSnapshot | undefined =>
    events.reduce<ConnectionSnapshot | undefined>((last, e) => (e.type === 'connection' && e.snapshot.id === id ? e.snapshot : last), undefined);
  async function open(path = '/echo'): Promise<string> {
    const r = manager.call('connect', { url: peer.urlFor(path) });
    assert.ok(r.ok, JSON.stringify(r));
    const id = r.snapshot.id;
    await signal.waitFor(() => state(id)?.state === 'OPEN', `${path} OPEN`);
    return id;
  }
  const inMessages = (id: string): number => events.reduce((n, e) => n + (e.type === 'messages' && e.id === id ? e.messages.filter((m) => m.dir === 'in').length : 0), 0);
  return { manager, events, signal, state, open, inMessages };
}

test('every command with malformed arguments answers INVALID_ARGUMENT (or a more specific code), never throws', async () => {
  const { manager } = harness();
  for (const name of COMMAND_NAMES) {
    for (const bad of [42, 'str', [1, 2], { nonsense: true }]) {
      const r = await manager.invoke(name, bad);
      assert.equal(r.ok, false, `${name}(${JSON.stringify(bad)})`);
      if (!r.ok) assert.match(r.error.code, /^(INVALID_ARGUMENT|INVALID_URL|INVALID_OPTIONS)$/, name);
    }
  }
  for (const name of ['nope', '__proto__', 'constructor', undefined, 7]) {
    const r = await manager.invoke(name, {});
    assert.equal(r.ok, false);
  }
  await manager.closeAll();
});

test('unknown connection ids answer UNKNOWN_CONNECTION for every per-connection command', async () => {
  const { manager } = harness();
  const id = 'deadbeef';
  const calls: Array<[string, unknown]> = [
    ['send', { id, kind: 'text', data: 'x' }], ['ping', { id }], ['pong', { id }], ['close', { id, code: 1000 }],
    ['sendRawFrame', { id, frame: { fin: true, rsv1: false, rsv2: false, rsv3: false, opcode: 1, mask: true, payloadBase64: '' } }],
    ['remove', { id }], ['getFrames', { id }], ['getMessages', { id }], ['getPayload', { id, kind: 'frame', seq: 1 }],
  ];
  for (const [name, args] of calls) {
    const r = await manager.invoke(name, args);
    assert.equal(!r.ok && r.error.code, 'UNKNOWN_CONNECTION', name);
  }
  const list = manager.call('list', {});
  assert.ok(list.ok && list.connections.length === 0);
});

test('oversized payloads and bad values are refused before reaching the socket', async () => {
  const h = harness();
  const id = await h.open();
  const big = Buffer.alloc(126).toString('base64');
  const cases: Array<[string, unknown, RegExp]> = [
    ['ping', { id, payloadBase64: big }, /125/],
    ['send', { id, kind: 'binary', data: 'A'.repeat(Math.ceil((64 * 1024 * 1024 + 1) / 3) * 4) }, /at most/],
    ['send', { id, kind: 'binary', data: '@@@@' }, /base64/],
    ['close', { id, code: 1005 }, /1000 or 3000/],
    ['close', { id, code: 1000, reason: 'x'.repeat(124) }, /123/],
  ];
  for (const [name, args, pattern] of cases) {
    const r = await h.manager.invoke(name, args);
    assert.ok(!r.ok && r.error.code === 'INVALID_ARGUMENT' && pattern.test(r.error.message), `${name}: ${JSON.stringify(r).slice(0, 200)}`);
  }
  assert.equal(peer.received.filter((m) => m.path === '/echo').length, 0, 'nothing reached the server');
  await h.manager.closeAll();
});

test('send, echo, records and full payloads; NOT_OPEN after close', async () => {
  const h = harness();
  const id = await h.open();
  const data = Buffer.alloc(10_000, 7);
  const r = h.manager.call('send', { id, kind: 'binary', data: data.toString('base64'), fragmentSize: 4096 });
  assert.ok(r.ok);
  await h.signal.waitFor(() => h.inMessages(id) === 1, 'echo');
  const msgs = h.manager.call('getMessages', { id });
  assert.ok(msgs.ok);
  const [out, inn] = msgs.messages;
  assert.equal(out.dir, 'out');
  assert.equal(out.frameCount, 3, '10,000 bytes in 4096-byte fragments');
  assert.equal(inn.length, 10_000);
  assert.equal(inn.preview?.truncated, true, 'previews are bounded (4 KiB)');
  const full = h.manager.call('getPayload', { id, kind: 'message', seq: inn.seq });
  assert.ok(full.ok && Buffer.from(full.base64, 'base64').equals(data));
  const frames = h.manager.call('getFrames', { id });
  assert.ok(frames.ok);
  const outFrames = frames.frames.filter((f) => f.dir === 'out' && f.messageSeq === 1);
  assert.deepEqual(outFrames.map((f) => [f.opcode, f.fin, f.fragmentIndex]), [[2, false, 0], [0, false, 1], [0, true, 2]]);
  assert.ok(outFrames.every((f) => f.masked && f.maskKey !== null));
  const c = h.manager.call('close', { id, code: 4000, reason: 'done' });
  assert.ok(c.ok);
  await h.signal.waitFor(() => h.state(id)?.state === 'CLOSED', 'CLOSED');
  assert.deepEqual(h.state(id)?.close && { code: h.state(id)?.close?.code, clean: h.state(id)?.close?.wasClean }, { code: 4000, clean: true });
  const after = h.manager.call('send', { id, kind: 'text', data: 'late' });
  assert.equal(!after.ok && after.error.code, 'NOT_OPEN');
  const again = h.manager.call('close', { id });
  assert.equal(!again.ok && again.error.code, 'NOT_OPEN');
});

test('rings keep the newest records; evicted records and budget-dropped payloads answer NOT_FOUND clearly', async () => {
  const h = harness({ frameLogCapacity: 10, messageLogCapacity: 10, payloadBudgetBytes: 64 });
  const id = await h.open('/stream?n=30&size=16');
  await h.signal.waitFor(() => h.inMessages(id) === 30, '30 streamed messages');
  const frames = h.manager.call('getFrames', { id });
  assert.ok(frames.ok);
  assert.equal(frames.frames.length, 10);
  assert.equal(frames.newestSeq - frames.oldestSeq + 1, 10);
  const gone = h.manager.call('getPayload', { id, kind: 'frame', seq: 1 });
  assert.ok(!gone.ok && gone.error.code === 'NOT_FOUND' && /left the log/.test(gone.error.message));
  const msgs = h.manager.call('getMessages', { id });
  assert.ok(msgs.ok && msgs.messages.length === 10 && msgs.messages[9].text?.startsWith('msg-29'));
  // 64-byte budget holds 4 × 16-byte payloads: the newest message survives, an older kept record does not.
  const newest = h.manager.call('getPayload', { id, kind: 'message', seq: msgs.newestSeq });
  assert.ok(newest.ok && Buffer.from(newest.base64, 'base64').toString().startsWith('msg-29'));
  const budget = h.manager.call('getPayload', { id, kind: 'message', seq: msgs.oldestSeq });
  assert.ok(!budget.ok && budget.error.code === 'NOT_FOUND' && /budget/.test(budget.error.message), JSON.stringify(budget));
  assert.ok(h.manager.payloadBytes <= 64);
  const future = h.manager.call('getPayload', { id, kind: 'frame', seq: 10_000 });
  assert.ok(!future.ok && future.error.code === 'NOT_FOUND');
  await h.manager.closeAll();
});

test('a burst of 50,000 messages leaves as a bounded number of spaced batches, nothing lost', async () => {
  const N = 50_000;
  const intervalMs = 16;
  /** The sink reads the clock a few µs after the batcher stamped its flush. */
  const FLUSH_CLOCK_SLACK_MS = 0.1;
  const manager = new SessionManager();
  const batches: EventBatch[] = [];
  const flushedAt: number[] = [];
  const signal = new Signal();
  const batcher = new EventBatcher((b) => {
    batches.push(b);
    flushedAt.push(performance.now());
    signal.notify();
  }, { intervalMs });
  manager.subscribe((e) => batcher.push(e));
  const r = manager.call('connect', { url: peer.urlFor(`/stream?n=${N}&size=16`) });
  assert.ok(r.ok);
  const id = r.snapshot.id;
  const received: number[] = [];
  let seen = 0;
  await signal.waitFor(() => {
    for (; seen < batches.length; seen++) {
      for (const e of batches[seen].events) if (e.type === 'messages' && e.id === id) for (const m of e.messages) if (m.dir === 'in') received.push(m.seq);
    }
    return received.length >= N;
  }, `${N} messages in batches`, 60_000);
  // Nothing lost, nothing duplicated, in order.
  assert.equal(received.length, N);
  received.forEach((seq, i) => assert.equal(seq, i + 1));
  // Numbered without gaps, and each flush at least one interval after the previous (timer clamping
  // can only make it later): ≤ 1 batch per interval, so the count is bounded by the duration.
  batches.forEach((b, i) => assert.equal(b.batch, i + 1));
  for (let i = 1; i < flushedAt.length; i++) assert.ok(flushedAt[i] - flushedAt[i - 1] >= intervalMs - FLUSH_CLOCK_SLACK_MS, `flush gap ${flushedAt[i] - flushedAt[i - 1]} ms`);
  assert.ok(batches.length < N / 10, `${batches.length} batches for ${N} messages`);
  const stats = manager.call('list', {});
  assert.ok(stats.ok && stats.connections[0].stats.messagesIn === N);
  batcher.dispose();
  await manager.closeAll();
});

test('closeAll closes every open connection with 1001 Going Away and waits for CLOSED', async () => {
  const h = harness();
  const a = await h.open('/echo?who=a');
  const b = await h.open('/echo?who=b');
  const before = peer.closes.length;
  await h.manager.closeAll();
  assert.equal(h.state(a)?.state, 'CLOSED');
  assert.equal(h.state(b)?.state, 'CLOSED');
  const closes = await peer.waitFor(() => (peer.closes.length - before >= 2 ? peer.closes.slice(before) : undefined), 'two server-side closes');
  assert.deepEqual(closes.map((c) => c.code), [1001, 1001]);
  assert.equal(h.state(a)?.close?.initiatedBy, 'client');
  assert.equal(h.state(a)?.close?.wasClean, true);
});

test('remove closes with 1001, forgets the id, and emits removed', async () => {
  const h = harness();
  const id = await h.open('/echo?who=remove');
  const before = peer.closes.length;
  const r = h.manager.call('remove', { id });
  assert.ok(r.ok);
  assert.ok(h.events.some((e) => e.type === 'removed' && e.id === id));
  const close = await peer.waitFor(() => peer.closes[before], 'server-side close');
  assert.equal(close.code, 1001);
  const g = h.manager.call('getFrames', { id });
  assert.equal(!g.ok && g.error.code, 'UNKNOWN_CONNECTION');
  await h.manager.closeAll();
});

test('a refused connection is reported as an error event and CLOSED snapshot, not a throw', async () => {
  const h = harness();
  const r = h.manager.call('connect', { url: 'ws://127.0.0.1:1/' });
  assert.ok(r.ok);
  const id = r.snapshot.id;
  await h.signal.waitFor(() => h.state(id)?.state === 'CLOSED', 'CLOSED after refusal');
  const err = h.events.find((e) => e.type === 'error' && e.id === id);
  assert.ok(err && err.type === 'error' && err.error.code === 'REFUSED', JSON.stringify(err));
  assert.equal(h.state(id)?.lastError?.code, 'REFUSED');
});

test('close while CONNECTING cancels the handshake: CLOSED, and the server sees the TCP connection go', async () => {
  const { createServer } = await import('node:net');
  const sockets: import('node:net').Socket[] = [];
  const gone = new Signal();
  let closedSockets = 0;
  // A server that accepts TCP and never answers the upgrade request: the client stays CONNECTING.
  const server = createServer((s) => {
    sockets.push(s);
    s.on('close', () => {
      closedSockets++;
      gone.notify();
    });
    s.on('error', () => undefined);
    gone.notify();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as import('node:net').AddressInfo).port;
  const h = harness();
  try {
    const r = h.manager.call('connect', { url: `ws://127.0.0.1:${port}/`, handshakeTimeoutMs: 60_000 });
    assert.ok(r.ok);
    const id = r.snapshot.id;
    await gone.waitFor(() => sockets.length === 1, 'TCP accepted');
    assert.equal(h.manager.call('list', {}).ok && h.state(id)?.state, 'CONNECTING');
    const c = h.manager.call('close', { id });
    assert.ok(c.ok);
    await h.signal.waitFor(() => h.state(id)?.state === 'CLOSED', 'CLOSED');
    await gone.waitFor(() => closedSockets === 1, 'server-side socket closed');
  } finally {
    await h.manager.closeAll();
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  }
});
