import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CommandArgs, CommandName, CommandResult, EventBatch, EventListener, WirechatApi } from '../../shared/api.ts';
import type { ConnectionSnapshot } from '../../shared/model.ts';
import {
  appendCapped,
  applyBatch,
  currentError,
  initialState,
  messageCount,
  Store,
  type AppState,
} from './store.ts';
import { frame, message, range, snapshot, stats, T0 } from './test/records.ts';

const batch = (n: number, events: EventBatch['events']): EventBatch => ({ batch: n, events });

function withConnections(...ids: string[]): AppState {
  return applyBatch(initialState(), batch(1, ids.map((id) => ({ type: 'connection', snapshot: snapshot(id) }))));
}

test('applyBatch adds connections in order and updates snapshots in place', () => {
  let s = withConnections('a', 'b');
  assert.deepEqual(s.order, ['a', 'b']);
  s = applyBatch(s, batch(2, [{ type: 'connection', snapshot: snapshot('a', { state: 'OPEN', openedAt: T0 }) }]));
  assert.deepEqual(s.order, ['a', 'b']);
  assert.equal(s.connections.a.snapshot.state, 'OPEN');
});

test('applyBatch appends all frames and messages of a batch in one new array per connection', () => {
  const s0 = withConnections('a', 'b');
  const s1 = applyBatch(
    s0,
    batch(2, [
      { type: 'messages', id: 'a', messages: [message(1), message(2)] },
      { type: 'frames', id: 'a', frames: [frame(1)] },
      { type: 'messages', id: 'a', messages: [message(3)] },
      { type: 'messages', id: 'b', messages: [message(1)] },
    ]),
  );
  assert.deepEqual(s1.connections.a.messages.map((m) => m.seq), [1, 2, 3]);
  assert.deepEqual(s1.connections.a.frames.map((f) => f.seq), [1]);
  assert.deepEqual(s1.connections.b.messages.map((m) => m.seq), [1]);
  // Immutable: the previous state is untouched.
  assert.equal(s0.connections.a.messages.length, 0);
});

test('applyBatch ignores records for unknown connections and drops duplicates by seq', () => {
  let s = withConnections('a');
  s = applyBatch(s, batch(2, [{ type: 'messages', id: 'zzz', messages: [message(1)] }]));
  assert.equal(s.connections.zzz, undefined);
  s = applyBatch(s, batch(3, [{ type: 'messages', id: 'a', messages: [message(1), message(2)] }]));
  s = applyBatch(s, batch(4, [{ type: 'messages', id: 'a', messages: [message(2), message(3)] }]));
  assert.deepEqual(s.connections.a.messages.map((m) => m.seq), [1, 2, 3]);
});

test('applyBatch caps the arrays and counts what was evicted', () => {
  let s = withConnections('a');
  const caps = { messages: 5, frames: 3 };
  s = applyBatch(s, batch(2, [{ type: 'messages', id: 'a', messages: range(1, 4).map((i) => message(i)) }]), caps);
  s = applyBatch(s, batch(3, [{ type: 'messages', id: 'a', messages: range(5, 7).map((i) => message(i)) }]), caps);
  assert.deepEqual(s.connections.a.messages.map((m) => m.seq), [3, 4, 5, 6, 7]);
  assert.equal(s.connections.a.evictedMessages, 2);
  s = applyBatch(s, batch(4, [{ type: 'frames', id: 'a', frames: range(1, 10).map((i) => frame(i)) }]), caps);
  assert.deepEqual(s.connections.a.frames.map((f) => f.seq), [8, 9, 10]);
  assert.equal(s.connections.a.evictedFrames, 7);
  assert.equal(messageCount(s.connections.a), 7);
});

test('appendCapped returns the same array when nothing is new', () => {
  const old = [message(1), message(2)];
  assert.equal(appendCapped(old, [message(2)], 10).items, old);
});

test('applyBatch: 100,000 messages in 100 batches stay capped and complete', () => {
  let s = withConnections('a');
  let seq = 0;
  for (let b = 0; b < 100; b++) {
    const msgs = range(1, 1000).map(() => message(++seq));
    s = applyBatch(s, batch(b + 2, [{ type: 'messages', id: 'a', messages: msgs }]), { messages: 50_000, frames: 10 });
  }
  const c = s.connections.a;
  assert.equal(c.messages.length, 50_000);
  assert.equal(c.messages[0].seq, 50_001);
  assert.equal(c.messages[c.messages.length - 1].seq, 100_000);
  assert.equal(messageCount(c), 100_000);
});

test('applyBatch: removed closes the tab and activates a neighbour; stats and errors apply', () => {
  let s = withConnections('a', 'b', 'c');
  s = { ...s, activeId: 'b' };
  s = applyBatch(s, batch(2, [
    { type: 'stats', id: 'a', stats: stats({ messagesIn: 4 }) },
    { type: 'error', id: 'a', error: { code: 'REFUSED', message: 'Connection refused by 127.0.0.1:9', time: T0 } },
    { type: 'removed', id: 'b' },
  ]));
  assert.deepEqual(s.order, ['a', 'c']);
  assert.equal(s.activeId, 'c');
  assert.equal(s.connections.a.snapshot.stats.messagesIn, 4);
  assert.equal(currentError(s.connections.a)?.code, 'REFUSED');
  s = applyBatch(s, batch(3, [{ type: 'removed', id: 'c' }, { type: 'removed', id: 'a' }]));
  assert.equal(s.activeId, null);
});

test('applyBatch detects a gap in batch numbers', () => {
  let s = withConnections('a');
  s = applyBatch(s, batch(2, []));
  assert.equal(s.gaps, 0);
  s = applyBatch(s, batch(5, []));
  assert.equal(s.gaps, 1);
});

// ---- Store with an in-memory API (tests the store's bookkeeping, not any protocol behaviour) ----

type Handler<K extends CommandName> = (args: CommandArgs<K>) => CommandResult<K>;
class FakeApi {
  readonly host = 'web' as const;
  calls: { name: CommandName; args: unknown }[] = [];
  listeners = new Set<EventListener>();
  handlers: { [K in CommandName]?: Handler<K> } = {};
  emit(b: EventBatch): void {
    for (const l of this.listeners) l(b);
  }
  api(): WirechatApi {
    const call = <K extends CommandName>(name: K) => async (args: CommandArgs<K>): Promise<CommandResult<K>> => {
      this.calls.push({ name, args });
      const h = this.handlers[name] as Handler<K> | undefined;
      if (!h) return { ok: false, error: { code: 'INTERNAL', message: `no handler for ${name}` } };
      return h(args);
    };
    return {
      host: this.host,
      onEvents: (l) => {
        this.listeners.add(l);
        return () => this.listeners.delete(l);
      },
      connect: call('connect'),
      send: call('send'),
      ping: call('ping'),
      pong: call('pong'),
      close: call('close'),
      sendRawFrame: call('sendRawFrame'),
      remove: call('remove'),
      list: call('list'),
      getFrames: call('getFrames'),
      getMessages: call('getMessages'),
      getPayload: call('getPayload'),
    };
  }
}

function emptyPages(fake: FakeApi): void {
  fake.handlers.getMessages = () => ({ ok: true, messages: [], oldestSeq: 0, newestSeq: 0 });
  fake.handlers.getFrames = () => ({ ok: true, frames: [], oldestSeq: 0, newestSeq: 0 });
}

test('Store.start loads existing connections, back-fills the newest messages, then follows events', async () => {
  const fake = new FakeApi();
  const existing = snapshot('a', { state: 'OPEN' });
  fake.handlers.list = () => ({ ok: true, connections: [existing] });
  const all = range(1, 2500).map((i) => message(i));
  fake.handlers.getMessages = ({ fromSeq, limit }) => {
    const from = fromSeq ?? 1;
    const page = all.filter((m) => m.seq >= from).slice(0, limit ?? 1000);
    return { ok: true, messages: page, oldestSeq: 1, newestSeq: 2500 };
  };
  fake.handlers.getFrames = () => ({ ok: true, frames: [], oldestSeq: 0, newestSeq: 0 });
  const store = new Store(fake.api());
  let notified = 0;
  store.subscribe(() => notified++);
  await store.start();
  const c = store.state.connections.a;
  assert.equal(store.state.activeId, 'a');
  assert.equal(c.messages[0].seq, 1501);
  assert.equal(c.messages.length, 1000);
  fake.emit(batch(1, [{ type: 'messages', id: 'a', messages: [message(2501)] }]));
  assert.equal(store.state.connections.a.messages.length, 1001);
  assert.ok(notified > 0);
  store.stop();
  assert.equal(fake.listeners.size, 0);
});

test('Store.connect activates the new tab and never overwrites a newer snapshot from an event', async () => {
  const fake = new FakeApi();
  fake.handlers.list = () => ({ ok: true, connections: [] });
  emptyPages(fake);
  const store = new Store(fake.api());
  await store.start();
  let snap: ConnectionSnapshot = snapshot('x');
  fake.handlers.connect = () => {
    // The OPEN event arrives before the command's answer.
    fake.emit(batch(1, [{ type: 'connection', snapshot: { ...snap, state: 'OPEN' } }]));
    return { ok: true, snapshot: snap };
  };
  const id = await store.connect({ url: 'ws://127.0.0.1:9/' });
  assert.equal(id, 'x');
  assert.equal(store.state.activeId, 'x');
  assert.equal(store.state.connections.x.snapshot.state, 'OPEN');
  assert.equal(store.state.connecting, false);

  fake.handlers.connect = () => ({ ok: false, error: { code: 'INVALID_URL', message: 'The URL must start with ws:// or wss://' } });
  assert.equal(await store.connect({ url: 'http://x' }), null);
  assert.equal(store.state.formError, 'The URL must start with ws:// or wss://');
  snap = snapshot('y');
});

test('Store commands report failures per connection in plain words', async () => {
  const fake = new FakeApi();
  fake.handlers.list = () => ({ ok: true, connections: [snapshot('a', { state: 'CLOSED' })] });
  emptyPages(fake);
  fake.handlers.send = () => ({ ok: false, error: { code: 'NOT_OPEN', message: 'The connection is not open.' } });
  const store = new Store(fake.api());
  await store.start();
  assert.equal(await store.send('a', 'text', 'hi'), false);
  assert.equal(store.state.connections.a.commandError, 'The connection is not open.');
  fake.handlers.ping = () => ({ ok: true, bufferedAmount: 0 });
  assert.equal(await store.ping('a', ''), true);
  assert.equal(store.state.connections.a.commandError, null);
});

test('Store survives an API that throws instead of resolving', async () => {
  const fake = new FakeApi();
  const api = fake.api();
  api.list = async () => {
    throw new Error('fetch failed');
  };
  const store = new Store(api);
  await store.start();
  assert.match(store.state.fatalError ?? '', /fetch failed/);
});

test('Store.loadPayload caches full payloads and explains evicted ones', async () => {
  const fake = new FakeApi();
  fake.handlers.list = () => ({ ok: true, connections: [snapshot('a')] });
  emptyPages(fake);
  fake.handlers.getPayload = ({ seq }) =>
    seq === 1 ? { ok: true, base64: btoa('full text'), length: 9 } : { ok: false, error: { code: 'NOT_FOUND', message: 'gone' } };
  const store = new Store(fake.api());
  await store.start();
  await store.loadPayload('a', 'message', 1);
  await store.loadPayload('a', 'message', 1);
  assert.equal(fake.calls.filter((c) => c.name === 'getPayload').length, 1);
  assert.deepEqual(store.state.connections.a.payloads['message:1'], { state: 'ok', base64: btoa('full text'), length: 9 });
  await store.loadPayload('a', 'frame', 2);
  const e = store.state.connections.a.payloads['frame:2'];
  assert.equal(e.state, 'error');
  assert.match(e.state === 'error' ? e.message : '', /no longer kept/);
});

test('Store tab navigation: cycle, numbers, remove, reconnect keeps the tab position', async () => {
  const fake = new FakeApi();
  fake.handlers.list = () => ({ ok: true, connections: [snapshot('a'), snapshot('b', { state: 'CLOSED' }), snapshot('c')] });
  emptyPages(fake);
  fake.handlers.remove = () => ({ ok: true });
  const store = new Store(fake.api());
  await store.start();
  assert.equal(store.state.activeId, 'a');
  store.cycleTab(1);
  assert.equal(store.state.activeId, 'b');
  store.cycleTab(-2);
  assert.equal(store.state.activeId, null);
  store.cycleTab(1);
  assert.equal(store.state.activeId, 'a');
  store.selectTabNumber(3);
  assert.equal(store.state.activeId, 'c');
  store.selectTabNumber(9);
  assert.equal(store.state.activeId, 'c');

  fake.handlers.connect = (opts) => ({ ok: true, snapshot: snapshot('b2', { options: opts }) });
  await store.reconnect('b');
  assert.deepEqual(store.state.order, ['a', 'b2', 'c']);
  assert.equal(store.state.activeId, 'b2');
  assert.equal(store.state.connections.b2.snapshot.options.url, 'ws://127.0.0.1:9/b');
  await store.remove('b2');
  assert.deepEqual(store.state.order, ['a', 'c']);
  assert.equal(store.state.activeId, 'c');
});

test('Store resyncs after a lost batch: fetches what it missed', async () => {
  const fake = new FakeApi();
  fake.handlers.list = () => ({ ok: true, connections: [snapshot('a', { state: 'OPEN' })] });
  const all = range(1, 10).map((i) => message(i));
  fake.handlers.getMessages = ({ fromSeq, limit }) => ({
    ok: true,
    messages: all.filter((m) => m.seq >= (fromSeq ?? 1)).slice(0, limit ?? 1000),
    oldestSeq: 1,
    newestSeq: all.length,
  });
  fake.handlers.getFrames = () => ({ ok: true, frames: [], oldestSeq: 0, newestSeq: 0 });
  const store = new Store(fake.api());
  await store.start();
  assert.equal(store.state.connections.a.messages.length, 10);
  fake.emit(batch(1, [{ type: 'messages', id: 'a', messages: [message(11)] }]));
  all.push(message(11), message(12), message(13));
  // Batch 2 was lost: batch 3 carries only message 13.
  fake.emit(batch(3, [{ type: 'messages', id: 'a', messages: [message(13)] }]));
  assert.equal(store.state.gaps, 1);
  await store.resync();
  // Message 12 (in the lost batch) is fetched and merged in order, nothing duplicated.
  assert.deepEqual(store.state.connections.a.messages.map((m) => m.seq), range(1, 13));
});
