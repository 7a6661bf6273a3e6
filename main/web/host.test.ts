// The browser host over real HTTP on 127.0.0.1: security refusals, static serving, body caps, and a
// full connect → send → events round trip against a `ws` echo server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request, type IncomingHttpHeaders } from 'node:http';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiEvent, EventBatch } from '../../shared/api.ts';
import { WEB_EVENTS_TICKET_PATH, WEB_TOKEN_HEADER } from '../../shared/api.ts';
import { CONTENT_SECURITY_POLICY } from '../../shared/security-headers.ts';
import { startWebHost, type WebHost } from './host.ts';
import { startWsPeer, type WsPeer } from '../../e2e/peers/ws-peers.ts';
import { Signal } from '../../e2e/peers/wait.ts';

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

function http(host: WebHost, method: string, path: string, opts: { headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, method, path, headers: opts.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

function good(host: WebHost, extra: Record<string, string> = {}): Record<string, string> {
  return { host: `127.0.0.1:${host.port}`, origin: host.origin, 'content-type': 'application/json', [WEB_TOKEN_HEADER]: host.token, ...extra };
}

function call(host: WebHost, command: string, args: unknown): Promise<Reply> {
  return http(host, 'POST', `/api/${command}`, { headers: good(host), body: JSON.stringify(args) });
}

/** A minimal SSE reader over node:http (what EventSource does in the page). */
function openEvents(host: WebHost, ticket: string): Promise<{ events: ApiEvent[]; batches: EventBatch[]; signal: Signal; close: () => void }> {
  return new Promise((resolve, reject) => {
    const events: ApiEvent[] = [];
    const batches: EventBatch[] = [];
    const signal = new Signal();
    const req = request({ host: '127.0.0.1', port: host.port, path: `/api/events?ticket=${ticket}`, headers: { host: `127.0.0.1:${host.port}` } }, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`events: HTTP ${res.statusCode}`));
        res.resume();
        return;
      }
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let end: number;
        while ((end = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, end);
          buf = buf.slice(end + 2);
          for (const line of block.split('\n')) {
            if (!line.startsWith('data: ')) continue;
            const batch = JSON.parse(line.slice(6)) as EventBatch;
            batches.push(batch);
            events.push(...batch.events);
          }
        }
        signal.notify();
      });
      res.on('error', () => undefined);
      resolve({ events, batches, signal, close: () => req.destroy() });
    });
    req.on('error', () => undefined);
    req.end();
  });
}

let dir: string;
let host: WebHost;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wirechat-web-'));
  mkdirSync(join(dir, 'renderer', 'assets'), { recursive: true });
  writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><title>Wirechat</title>');
  writeFileSync(join(dir, 'renderer', 'main.js'), 'console.log(1)');
  writeFileSync(join(dir, 'renderer', 'assets', 'x.css'), 'body{}');
  writeFileSync(join(dir, 'secret.txt'), 'do not serve');
  host = await startWebHost({ port: 0, staticDir: join(dir, 'renderer') });
});

after(async () => {
  await host.close();
  rmSync(dir, { recursive: true, force: true });
});

test('prints a 127.0.0.1 URL with a 64-hex-digit token in the fragment', () => {
  assert.match(host.url, /^http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]{64}$/);
});

test('a command without the token is refused', async () => {
  const headers = good(host);
  delete headers[WEB_TOKEN_HEADER];
  const r = await http(host, 'POST', '/api/list', { headers, body: '{}' });
  assert.equal(r.status, 401);
  assert.match(r.body, /token/);
});

test('a command with a wrong token is refused', async () => {
  for (const wrong of ['0'.repeat(64), host.token.slice(1), host.token + '0', '']) {
    const r = await http(host, 'POST', '/api/list', { headers: good(host, { [WEB_TOKEN_HEADER]: wrong }), body: '{}' });
    assert.equal(r.status, 401, `token ${JSON.stringify(wrong)}`);
  }
});

test('a foreign Origin is refused even with the right token, and no CORS header is ever sent', async () => {
  for (const origin of ['http://evil.example', 'null', `http://127.0.0.1:${host.port + 1}`, `https://127.0.0.1:${host.port}`]) {
    const r = await http(host, 'POST', '/api/list', { headers: good(host, { origin }), body: '{}' });
    assert.equal(r.status, 403, origin);
    assert.equal(r.headers['access-control-allow-origin'], undefined);
  }
  const pre = await http(host, 'OPTIONS', '/api/list', { headers: { host: `127.0.0.1:${host.port}`, origin: 'http://evil.example', 'access-control-request-method': 'POST' } });
  assert.equal(pre.status, 403);
  assert.equal(pre.headers['access-control-allow-origin'], undefined);
  const site = await http(host, 'POST', '/api/list', { headers: good(host, { 'sec-fetch-site': 'cross-site' }), body: '{}' });
  assert.equal(site.status, 403);
});

test('a foreign Host is refused (DNS rebinding), for the API and the page', async () => {
  for (const h of ['evil.example', `evil.example:${host.port}`, `127.0.0.1:${host.port + 1}`, '127.0.0.1']) {
    const r = await http(host, 'POST', '/api/list', { headers: good(host, { host: h }), body: '{}' });
    assert.equal(r.status, 403, h);
    const page = await http(host, 'GET', '/', { headers: { host: h } });
    assert.equal(page.status, 403, h);
  }
  const local = await http(host, 'POST', '/api/list', { headers: good(host, { host: `localhost:${host.port}`, origin: `http://localhost:${host.port}` }), body: '{}' });
  assert.equal(local.status, 200);
});

test('the page is served with the strict CSP and nosniff; no path traversal', async () => {
  const page = await http(host, 'GET', '/', { headers: { host: `127.0.0.1:${host.port}` } });
  assert.equal(page.status, 200);
  assert.match(page.body, /Wirechat/);
  assert.equal(page.headers['content-security-policy'], CONTENT_SECURITY_POLICY);
  assert.equal(page.headers['x-content-type-options'], 'nosniff');
  assert.match(page.headers['content-type'] ?? '', /text\/html/);
  const js = await http(host, 'GET', '/main.js', { headers: { host: `127.0.0.1:${host.port}` } });
  assert.match(js.headers['content-type'] ?? '', /javascript/);
  assert.equal(js.headers['content-security-policy'], CONTENT_SECURITY_POLICY);
  for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt', '/%00', '/.hidden', '/nope.js', '/%E0%A4%A']) {
    const r = await http(host, 'GET', p, { headers: { host: `127.0.0.1:${host.port}` } });
    assert.equal(r.status, 404, p);
    assert.doesNotMatch(r.body, /do not serve/);
  }
});

test('malformed calls get a Result error, unknown commands 404, oversized bodies 413', async () => {
  const bad = await http(host, 'POST', '/api/send', { headers: good(host), body: '{not json' });
  assert.equal(bad.status, 400);
  assert.equal(JSON.parse(bad.body).error.code, 'INVALID_ARGUMENT');
  const unknownId = await call(host, 'send', { id: 'nope', kind: 'text', data: 'x' });
  assert.deepEqual(JSON.parse(unknownId.body).error.code, 'UNKNOWN_CONNECTION');
  const badArgs = await call(host, 'close', { id: 'nope', code: 1006 });
  assert.equal(JSON.parse(badArgs.body).error.code, 'INVALID_ARGUMENT');
  const cmd = await call(host, 'constructor', {});
  assert.equal(cmd.status, 404);
  const type = await http(host, 'POST', '/api/list', { headers: good(host, { 'content-type': 'text/plain' }), body: '{}' });
  assert.equal(type.status, 415);
  const big = await http(host, 'POST', '/api/list', { headers: good(host), body: JSON.stringify({ pad: 'x'.repeat(100_000) }) });
  assert.equal(big.status, 413);
  assert.match(big.body, /at most/);
  const get = await http(host, 'GET', '/api/list', { headers: good(host) });
  assert.equal(get.status, 405);
});

test('the event stream needs a one-time ticket obtained with the token', async () => {
  const none = await http(host, 'GET', '/api/events', { headers: { host: `127.0.0.1:${host.port}` } });
  assert.equal(none.status, 403);
  const forged = await http(host, 'GET', `/api/events?ticket=${'a'.repeat(32)}`, { headers: { host: `127.0.0.1:${host.port}` } });
  assert.equal(forged.status, 403);
  const noToken = await http(host, 'POST', WEB_EVENTS_TICKET_PATH, { headers: { host: `127.0.0.1:${host.port}`, origin: host.origin } });
  assert.equal(noToken.status, 401);
  const t = await http(host, 'POST', WEB_EVENTS_TICKET_PATH, { headers: good(host) });
  const { ticket } = JSON.parse(t.body) as { ticket: string };
  const stream = await openEvents(host, ticket);
  stream.close();
  const again = await http(host, 'GET', `/api/events?ticket=${ticket}`, { headers: { host: `127.0.0.1:${host.port}` } });
  assert.equal(again.status, 403, 'a ticket works once');
});

test('round trip: connect → OPEN → send → echoed message arrives as batched events', async () => {
  const peer: WsPeer = await startWsPeer();
  const t = await http(host, 'POST', WEB_EVENTS_TICKET_PATH, { headers: good(host) });
  const stream = await openEvents(host, (JSON.parse(t.body) as { ticket: string }).ticket);
  try {
    const c = JSON.parse((await call(host, 'connect', { url: peer.urlFor('/echo'), label: 'echo' })).body);
    assert.equal(c.ok, true);
    const id: string = c.snapshot.id;
    await stream.signal.waitFor(() => stream.events.some((e) => e.type === 'connection' && e.snapshot.id === id && e.snapshot.state === 'OPEN'), 'OPEN');
    const s = JSON.parse((await call(host, 'send', { id, kind: 'text', data: 'hello over http' })).body);
    assert.equal(s.ok, true);
    const msgs = await stream.signal.waitFor(() => {
      const all = stream.events.flatMap((e) => (e.type === 'messages' && e.id === id ? e.messages : []));
      return all.length >= 2 ? all : undefined;
    }, 'sent and echoed messages');
    assert.deepEqual(msgs.map((m) => [m.dir, m.text]), [['out', 'hello over http'], ['in', 'hello over http']]);
    const frames = stream.events.flatMap((e) => (e.type === 'frames' && e.id === id ? e.frames : []));
    const out = frames.find((f) => f.dir === 'out' && f.opcode === 1);
    assert.ok(out?.masked && out.maskKey?.length === 8, 'client frames are masked (RFC 6455 §5.3)');
    assert.ok(stream.batches.every((b, i) => b.batch === i + 1), 'batches numbered without gaps');
    const page = JSON.parse((await call(host, 'getMessages', { id })).body);
    assert.equal(page.messages.length, 2);
    const payload = JSON.parse((await call(host, 'getPayload', { id, kind: 'message', seq: 2 })).body);
    assert.equal(Buffer.from(payload.base64, 'base64').toString(), 'hello over http');
    const r = JSON.parse((await call(host, 'remove', { id })).body);
    assert.equal(r.ok, true);
    const closed = await peer.waitFor(() => peer.closes.find((x) => x.code === 1001), 'server sees 1001');
    assert.equal(closed.code, 1001);
    await stream.signal.waitFor(() => stream.events.some((e) => e.type === 'removed' && e.id === id), 'removed event');
  } finally {
    stream.close();
    await peer.stop();
  }
});

test('a send body declared larger than 96 MiB is refused with 413 before it is read', async () => {
  const declared = 100 * 1024 * 1024;
  const reply = await new Promise<Reply>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, method: 'POST', path: '/api/send', headers: { ...good(host), 'content-length': String(declared) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', () => undefined); // The host closes the socket after answering; our unsent body is moot.
    req.write('{"id":"x","kind":"text","data":"');
  });
  assert.equal(reply.status, 413);
  assert.match(reply.body, /at most 100663296 bytes/);
});
