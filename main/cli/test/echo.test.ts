// `wirechat echo` as a real process (node bin/wirechat.mjs) against a `ws` server that sends
// messages, checks every echo (kind and bytes), then closes — or misbehaves.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import { Signal } from '../../../e2e/peers/wait.ts';
import { ExitCode } from '../exit-codes.ts';

const T = { timeout: 60_000 };
const BIN = fileURLToPath(new URL('../../../bin/wirechat.mjs', import.meta.url));

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Spawn the CLI; `whileRunning` may interact with it (e.g. send SIGINT) before it exits. */
async function runWirechat(args: string[], whileRunning?: (child: ReturnType<typeof spawn>) => Promise<void>): Promise<RunResult> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = once(child, 'exit') as Promise<[number | null, string | null]>;
  if (whileRunning) await whileRunning(child);
  const [code] = await exited;
  return { code, stdout, stderr };
}

interface Scripted {
  url: string;
  signal: Signal;
  echoes: Array<{ data: Buffer; isBinary: boolean }>;
  closes: Array<{ code: number; reason: string }>;
  sockets: WebSocket[];
  stop(): Promise<void>;
}

/** A ws server that hands each connection to `script`, recording echoes and closes. */
async function scriptedServer(script: (ws: WebSocket, s: Scripted) => void | Promise<void>): Promise<Scripted> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(wss, 'listening');
  const address = wss.address();
  assert.ok(address && typeof address !== 'string');
  const s: Scripted = {
    url: `ws://127.0.0.1:${address.port}/`,
    signal: new Signal(),
    echoes: [],
    closes: [],
    sockets: [],
    stop: () => {
      for (const ws of s.sockets) ws.terminate();
      return new Promise<void>((r) => wss.close(() => r()));
    },
  };
  wss.on('connection', (ws) => {
    s.sockets.push(ws);
    ws.on('error', () => undefined);
    ws.on('message', (data: RawData, isBinary: boolean) => {
      s.echoes.push({ data: Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer), isBinary });
      s.signal.notify();
    });
    ws.on('close', (code, reason) => {
      s.closes.push({ code, reason: reason.toString() });
      s.signal.notify();
    });
    s.signal.notify();
    void Promise.resolve(script(ws, s)).catch((err: unknown) => {
      ws.terminate();
      throw err;
    });
  });
  return s;
}

const MESSAGES: Array<{ data: Buffer; isBinary: boolean }> = [
  { data: Buffer.from('hello'), isBinary: false },
  { data: Buffer.from('ünïcödé ✓ 🎉'), isBinary: false },
  { data: Buffer.from([0, 1, 2, 255]), isBinary: true },
  { data: Buffer.alloc(0), isBinary: false },
  { data: Buffer.alloc(0), isBinary: true },
  { data: Buffer.alloc(100_000, 0x5a), isBinary: true },
  { data: Buffer.from('{"json": true, "n": [1, 2, 3]}'), isBinary: false },
];

function single(stderr: string): string {
  const lines = stderr.trim().split('\n').filter((l) => l.length > 0);
  assert.equal(lines.length, 1, `expected one stderr line, got:\n${stderr}`);
  return lines[0];
}

test('echoes every message unchanged, exits 0 on a clean close', T, async (t) => {
  const server = await scriptedServer(async (ws, s) => {
    for (const m of MESSAGES) ws.send(m.data, { binary: m.isBinary });
    await s.signal.waitFor(() => s.echoes.length >= MESSAGES.length, 'all echoes', 30_000);
    ws.close(1000, 'done');
  });
  t.after(() => server.stop());
  const r = await runWirechat(['echo', server.url]);
  assert.equal(r.stderr, '');
  assert.equal(r.code, 0);
  assert.deepEqual(
    server.echoes.map((e) => [e.isBinary, e.data.toString('hex')]),
    MESSAGES.map((m) => [m.isBinary, m.data.toString('hex')]),
  );
  // The ws server records the client's close reply: it must echo the status code (RFC 6455 §5.5.1).
  assert.deepEqual(server.closes.map((c) => c.code), [1000]);
});

test('echo works with permessage-deflate off and on the server side', T, async (t) => {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: { threshold: 0 } });
  await once(wss, 'listening');
  t.after(() => new Promise<void>((r) => wss.close(() => r())));
  const address = wss.address();
  assert.ok(address && typeof address !== 'string');
  const got: string[] = [];
  wss.on('connection', (ws) => {
    ws.on('message', (d) => {
      got.push(d.toString());
      if (got.length === 2) ws.close(1000);
    });
    ws.send('compressed '.repeat(100));
    ws.send('second');
  });
  const r = await runWirechat(['echo', `ws://127.0.0.1:${address.port}/`]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(got, ['compressed '.repeat(100), 'second']);
});

test('server closes with 1011: exit 7 and one line naming the code', T, async (t) => {
  const server = await scriptedServer((ws) => ws.close(1011, 'server fault'));
  t.after(() => server.stop());
  const r = await runWirechat(['echo', server.url]);
  assert.equal(r.code, ExitCode.ClosedWithError);
  assert.match(single(r.stderr), /1011/);
});

test('server drops TCP: exit 6 and one line', T, async (t) => {
  const server = await scriptedServer(async (ws, s) => {
    ws.send('then drop');
    await s.signal.waitFor(() => s.echoes.length >= 1, 'the echo');
    ws.terminate();
  });
  t.after(() => server.stop());
  const r = await runWirechat(['echo', server.url]);
  assert.equal(r.code, ExitCode.AbnormalClose);
  assert.match(single(r.stderr), /1006|lost|closed/i);
  assert.equal(server.echoes[0]?.data.toString(), 'then drop');
});

test('refused port: exit 3 and one line', T, async () => {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const address = probe.address();
  assert.ok(address && typeof address !== 'string');
  await new Promise<void>((r) => probe.close(() => r()));
  const r = await runWirechat(['echo', `ws://127.0.0.1:${address.port}/`]);
  assert.equal(r.code, ExitCode.ConnectionFailed);
  assert.match(single(r.stderr), /REFUSED/);
});

test('handshake refused with 404: exit 4 and one line with the status line', T, async (t) => {
  const server = createServer((s) => {
    s.on('error', () => undefined);
    s.once('data', () => s.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n'));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => new Promise<void>((r) => server.close(() => r())));
  const address = server.address();
  assert.ok(address && typeof address !== 'string');
  const r = await runWirechat(['echo', `ws://127.0.0.1:${address.port}/`]);
  assert.equal(r.code, ExitCode.HandshakeFailed);
  assert.match(single(r.stderr), /HTTP\/1\.1 404 Not Found/);
});

test('Ctrl-C closes normally (1000) and exits 0', T, async (t) => {
  const server = await scriptedServer(() => undefined);
  t.after(() => server.stop());
  const r = await runWirechat(['echo', server.url], async (child) => {
    await server.signal.waitFor(() => server.sockets.length > 0, 'the CLI to connect', 30_000);
    // The server sees the connection once its 101 is written; make sure the client is OPEN by
    // getting one echo back before interrupting.
    server.sockets[0].send('ready?');
    await server.signal.waitFor(() => server.echoes.length > 0, 'the first echo', 30_000);
    child.kill('SIGINT');
  });
  assert.equal(r.code, 0, r.stderr);
  await server.signal.waitFor(() => server.closes[0], 'the server to see the close');
  assert.equal(server.closes[0].code, 1000);
});

test('--help, usage errors and bad URLs', T, async () => {
  const help = await runWirechat(['echo', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Usage: wirechat echo \[options\] URL/);
  assert.match(help.stdout, /--no-deflate|--deflate/);

  const top = await runWirechat(['--help']);
  assert.equal(top.code, 0);
  assert.match(top.stdout, /echo\s+connect and echo/);

  const none = await runWirechat(['echo']);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /needs a URL/);

  const unknownOpt = await runWirechat(['echo', '--bogus', 'ws://127.0.0.1:1/']);
  assert.equal(unknownOpt.code, 2);
  assert.match(unknownOpt.stderr, /unknown option --bogus/);

  const badUrl = await runWirechat(['echo', 'http://127.0.0.1/']);
  assert.equal(badUrl.code, 2);
  assert.match(badUrl.stderr, /ws:\/\//);

  const badHeader = await runWirechat(['echo', '-H', 'Upgrade: h2c', 'ws://127.0.0.1:1/']);
  assert.equal(badHeader.code, 2);
  assert.match(badHeader.stderr, /Upgrade/);

  const unknownCmd = await runWirechat(['frobnicate']);
  assert.equal(unknownCmd.code, 2);
  assert.match(unknownCmd.stderr, /unknown command "frobnicate"/);
});
