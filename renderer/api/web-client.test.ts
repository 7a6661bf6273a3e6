// The renderer's HTTP/SSE client against the REAL browser host on 127.0.0.1 (node's fetch; a small
// EventSource stand-in over node:http because Node 20 has none — the SSE bytes are the host's).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request, type ClientRequest } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventBatch } from '../../shared/api.ts';
import { startWebHost, type WebHost } from '../../main/web/host.ts';
import { startWsPeer, type WsPeer } from '../../e2e/peers/ws-peers.ts';
import { Signal } from '../../e2e/peers/wait.ts';
import { createWebClient, takeToken, type EventSourceLike, type WebClientEnv } from './web-client.ts';

let dir: string;
let host: WebHost;
let peer: WsPeer;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wirechat-client-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html>');
  host = await startWebHost({ port: 0, staticDir: dir });
  peer = await startWsPeer();
});
after(async () => {
  await host.close();
  await peer.stop();
  rmSync(dir, { recursive: true, force: true });
});

function makeEnv(hash: string): { env: WebClientEnv; sources: NodeEventSource[]; replaced: string[]; storage: Map<string, string> } {
  const sources: NodeEventSource[] = [];
  const replaced: string[] = [];
  const storage = new Map<string, string>();
  class Bound extends NodeEventSource {
    constructor(url: string) {
      super(host, url);
      sources.push(this);
    }
  }
  const env: WebClientEnv = {
    location: { hash, pathname: '/', search: '' },
    history: { replaceState: (_d, _u, url) => replaced.push(url ?? '') },
    storage: { getItem: (k) => storage.get(k) ?? null, setItem: (k, v) => void storage.set(k, v) },
    fetch: ((path: string, init?: RequestInit) => fetch(host.origin + path, init)) as typeof fetch,
    EventSource: Bound,
    setTimeout: (fn, ms) => setTimeout(fn, ms),
  };
  return { env, sources, replaced, storage };
}

class NodeEventSource implements EventSourceLike {
  onmessage: ((ev: { data: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  private req: ClientRequest;
  private closed = false;
  constructor(host: WebHost, url: string) {
    this.req = request({ host: '127.0.0.1', port: host.port, path: url }, (res) => {
      if (res.statusCode !== 200) return this.fail();
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        buf += c;
        let end: number;
        while ((end = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, end);
          buf = buf.slice(end + 2);
          const data = block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
          if (data && !this.closed) this.onmessage?.({ data });
        }
      });
      res.on('end', () => this.fail());
      res.on('error', () => this.fail());
    });
    this.req.on('error', () => this.fail());
    this.req.end();
  }
  /** What a network drop looks like to the page. */
  drop(): void {
    this.req.destroy();
    this.fail();
  }
  private fail(): void {
    if (this.closed) return;
    this.onerror?.({});
  }
  close(): void {
    this.closed = true;
    this.req.destroy();
  }
}

test('takeToken reads #token=…, keeps it for this tab, and removes it from the visible URL', () => {
  const { env, replaced, storage } = makeEnv('#token=abc123&tab=2');
  assert.equal(takeToken(env), 'abc123');
  assert.deepEqual(replaced, ['/#tab=2']);
  assert.equal(storage.get('wirechat.token'), 'abc123');
  env.location.hash = '';
  assert.equal(takeToken(env), 'abc123', 'a reload still finds it');
});

test('commands and events round trip through the real host; a dropped stream reconnects and resyncs', async () => {
  const { env, sources } = makeEnv(`#token=${host.token}`);
  const api = createWebClient(env);
  assert.equal(api.host, 'web');
  const batches: EventBatch[] = [];
  const signal = new Signal();
  const stop = api.onEvents((b) => {
    batches.push(b);
    signal.notify();
  });
  try {
    const c = await api.connect({ url: peer.urlFor('/echo?who=client') });
    assert.ok(c.ok);
    const id = c.snapshot.id;
    const isOpen = (): boolean => batches.some((b) => b.events.some((e) => e.type === 'connection' && e.snapshot.id === id && e.snapshot.state === 'OPEN'));
    await signal.waitFor(isOpen, 'OPEN via SSE');
    const s = await api.send({ id, kind: 'text', data: 'via client' });
    assert.ok(s.ok);
    await signal.waitFor(() => batches.some((b) => b.events.some((e) => e.type === 'messages' && e.messages.some((m) => m.dir === 'in' && m.text === 'via client'))), 'echo via SSE');
    const bad = await api.close({ id, code: 1006 });
    assert.equal(!bad.ok && bad.error.code, 'INVALID_ARGUMENT');

    // Network drop: the client fetches a new ticket and reopens; the host replays current snapshots.
    const before = batches.length;
    sources[0].drop();
    await signal.waitFor(() => sources.length === 2 && batches.slice(before).some((b) => b.events.some((e) => e.type === 'connection' && e.snapshot.id === id)), 'resync after reconnect');
    const r = await api.remove({ id });
    assert.ok(r.ok);
  } finally {
    stop();
  }
});

test('without a token every command answers a clear error instead of throwing', async () => {
  const { env } = makeEnv('');
  const api = createWebClient(env);
  const r = await api.list({});
  assert.ok(!r.ok && /token/.test(r.error.message));
});

test('a host that is gone gives NETWORK errors, not exceptions', async () => {
  const { env } = makeEnv('#token=x');
  env.fetch = ((path: string, init?: RequestInit) => fetch(`http://127.0.0.1:1${path}`, init)) as typeof fetch;
  const api = createWebClient(env);
  const r = await api.list({});
  assert.equal(!r.ok && r.error.code, 'NETWORK');
});
