// The IPC layer without Electron: handlers are registered on a plain registry with the same shape
// as ipcMain, called with sender frames as Electron describes them, backed by a real SessionManager
// talking to a real `ws` server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { COMMAND_NAMES, IPC_EVENTS_CHANNEL, ipcChannel, type EventBatch } from '../../shared/api.ts';
import { SessionManager } from '../session/session-manager.ts';
import { startWsPeer, type WsPeer } from '../../e2e/peers/ws-peers.ts';
import { Signal } from '../../e2e/peers/wait.ts';
import { attachEventPump, registerIpc, UNTRUSTED_SENDER_MESSAGE, type IpcEventLike, type IpcMainLike } from './ipc.ts';

let peer: WsPeer;
before(async () => {
  peer = await startWsPeer();
});
after(async () => {
  await peer.stop();
});

function registry(): IpcMainLike & { handlers: Map<string, (event: IpcEventLike, ...args: unknown[]) => Promise<unknown>> } {
  const handlers = new Map<string, (event: IpcEventLike, ...args: unknown[]) => Promise<unknown>>();
  return { handlers, handle: (c, l) => void handlers.set(c, l), removeHandler: (c) => void handlers.delete(c) };
}

const mainFrame = { url: 'app://wirechat/index.html' };
const trusted: IpcEventLike = { senderFrame: mainFrame, sender: { mainFrame } };

test('one handler per command channel; unregister removes them all', () => {
  const ipc = registry();
  const manager = new SessionManager();
  const off = registerIpc(ipc, manager);
  assert.deepEqual([...ipc.handlers.keys()].sort(), COMMAND_NAMES.map(ipcChannel).sort());
  off();
  assert.equal(ipc.handlers.size, 0);
});

test('senders other than our top frame are refused before anything runs', async () => {
  const ipc = registry();
  const manager = new SessionManager();
  registerIpc(ipc, manager);
  const connect = ipc.handlers.get(ipcChannel('connect'));
  assert.ok(connect);
  const sub = { url: 'app://wirechat/index.html' }; // a different frame object: an iframe
  const events: IpcEventLike[] = [
    { senderFrame: sub, sender: { mainFrame } },
    { senderFrame: { url: 'https://evil.example/' }, sender: { mainFrame: { url: 'https://evil.example/' } } },
    { senderFrame: null, sender: { mainFrame } },
  ];
  events[1].sender.mainFrame = events[1].senderFrame as { url: string };
  for (const ev of events) {
    const r = (await connect(ev, { url: peer.urlFor('/echo?who=evil') })) as { ok: boolean; error?: { message: string } };
    assert.equal(r.ok, false);
    assert.equal(r.error?.message, UNTRUSTED_SENDER_MESSAGE);
  }
  assert.equal(peer.upgrades.filter((u) => u.url.includes('evil')).length, 0, 'no connection was attempted');
});

test('trusted sender: malformed arguments get error results; a valid connect works; events are batched to the window', async () => {
  const ipc = registry();
  const manager = new SessionManager();
  registerIpc(ipc, manager);
  const call = (name: string, ...args: unknown[]): Promise<{ ok: boolean; error?: { code: string }; snapshot?: { id: string } }> =>
    ipc.handlers.get(ipcChannel(name as never))?.(trusted, ...args) as never;
  assert.equal((await call('send', { id: 1 })).error?.code, 'INVALID_ARGUMENT');
  assert.equal((await call('list', {}, 'extra')).error?.code, 'INVALID_ARGUMENT');
  assert.equal((await call('getFrames', { id: 'nope' })).error?.code, 'UNKNOWN_CONNECTION');

  const sent: EventBatch[] = [];
  const signal = new Signal();
  const stop = attachEventPump(manager, {
    isDestroyed: () => false,
    send: (channel, batch) => {
      assert.equal(channel, IPC_EVENTS_CHANNEL);
      sent.push(structuredClone(batch)); // what IPC does: a structured clone must work
      signal.notify();
    },
  });
  try {
    const c = await call('connect', { url: peer.urlFor('/stream?n=2000&size=8') });
    assert.ok(c.ok && c.snapshot);
    const id = c.snapshot.id;
    const count = (): number => sent.reduce((n, b) => n + b.events.reduce((k, e) => k + (e.type === 'messages' && e.id === id ? e.messages.length : 0), 0), 0);
    await signal.waitFor(() => count() >= 2000, '2000 streamed messages via the pump');
    assert.ok(sent.length < 2000, `${sent.length} batches carried 2000 messages`);
    sent.forEach((b, i) => assert.equal(b.batch, i + 1));
  } finally {
    stop();
    await manager.closeAll();
  }
});

test('a destroyed window gets nothing; a new pump starts with current snapshots', async () => {
  const manager = new SessionManager();
  const r = manager.call('connect', { url: peer.urlFor('/echo?who=pump') });
  assert.ok(r.ok);
  const got: EventBatch[] = [];
  const signal = new Signal();
  const stop = attachEventPump(manager, { isDestroyed: () => false, send: (_c, b) => { got.push(b); signal.notify(); } });
  const first = await signal.waitFor(() => got[0], 'first batch');
  assert.ok(first.events.some((e) => e.type === 'connection' && e.snapshot.id === r.snapshot.id));
  stop();
  let sends = 0;
  let flushes = 0;
  const stop2 = attachEventPump(manager, {
    isDestroyed: () => {
      flushes++; // The pump asks before each send: a flush was attempted.
      signal.notify();
      return true;
    },
    send: () => void sends++,
  });
  await manager.closeAll();
  await signal.waitFor(() => flushes >= 1, 'a flush towards the destroyed window');
  stop2();
  assert.equal(sends, 0);
});
