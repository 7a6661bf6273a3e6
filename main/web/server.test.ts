// The browser host as a real process (node + tsx on main/web/server.ts): prints its URL, and on
// SIGTERM closes a live connection with 1001 (the `ws` server sees it) and exits 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WEB_TOKEN_HEADER } from '../../shared/api.ts';
import { startWsPeer } from '../../e2e/peers/ws-peers.ts';
import { Signal, waitForLine } from '../../e2e/peers/wait.ts';
import { parseWebArgs, openerFor } from './args.ts';

const root = join(import.meta.dirname, '..', '..');

test('args: --port, --open, --static-dir, errors', () => {
  assert.deepEqual(parseWebArgs([]), { ok: true, args: { port: 0, open: false, help: false } });
  assert.deepEqual(parseWebArgs(['--port', '8080', '--open']), { ok: true, args: { port: 8080, open: true, help: false } });
  assert.deepEqual(parseWebArgs(['--port=0', '--static-dir=/x']), { ok: true, args: { port: 0, open: false, help: false, staticDir: '/x' } });
  for (const bad of [['--port'], ['--port', '70000'], ['--port', '-1'], ['--port', '12a'], ['--host', '0.0.0.0'], ['x']]) {
    assert.equal(parseWebArgs(bad).ok, false, bad.join(' '));
  }
  assert.equal(openerFor('linux', 'u').command, 'xdg-open');
  assert.equal(openerFor('darwin', 'u').command, 'open');
  assert.equal(openerFor('win32', 'u').command, 'cmd');
});

test('SIGTERM closes live connections with 1001 and exits 0', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wirechat-srv-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html>');
  const peer = await startWsPeer();
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'main/web/server.ts'), '--port', '0', '--static-dir', dir], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  try {
    const m = await waitForLine(child.stdout, /^Wirechat is running at (http:\/\/127\.0\.0\.1:(\d+))\/#token=([0-9a-f]{64})$/, 'the URL line', 30_000);
    const [, origin, , token] = m;
    const post = async (command: string, args: unknown): Promise<{ ok: boolean; snapshot?: { id: string }; connections?: Array<{ state: string }> }> => {
      const res = await fetch(`${origin}/api/${command}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [WEB_TOKEN_HEADER]: token, origin },
        body: JSON.stringify(args),
      });
      return (await res.json()) as { ok: boolean };
    };
    const c = await post('connect', { url: peer.urlFor('/echo?who=sigterm') });
    assert.ok(c.ok);
    // Condition: the host reports the connection OPEN (each check is one real API round trip).
    for (let i = 0; ; i++) {
      const list = await post('list', {});
      if (list.connections?.[0]?.state === 'OPEN') break;
      assert.ok(i < 5000, 'the connection never opened');
    }
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const close = await peer.waitFor(() => peer.closes.find((x) => x.path.startsWith('/echo')), 'server-side close');
    assert.equal(close.code, 1001, 'Going Away (RFC 6455 §7.4.1)');
    const [code, signal] = await exited;
    assert.equal(signal, null);
    assert.equal(code, 0, stderr);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await peer.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('refuses to start without a built UI, with one clear line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wirechat-empty-'));
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'main/web/server.ts'), '--static-dir', dir], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const [code] = await once(child, 'exit');
    assert.equal(code, 1);
    assert.match(err, /no built UI/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--open runs the platform opener with the URL; a missing opener is a one-line warning', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wirechat-open-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html>');
  const bin = join(dir, 'bin');
  const empty = join(dir, 'empty');
  mkdirSync(bin);
  mkdirSync(empty);
  // A stand-in xdg-open on PATH that reports the URL it was asked to open over TCP to this test.
  const opened = new Signal();
  const urls: string[] = [];
  const sink = createServer((s) => {
    let data = '';
    s.on('data', (c: Buffer) => (data += c.toString()));
    s.on('end', () => {
      urls.push(data);
      opened.notify();
    });
  });
  await new Promise<void>((r) => sink.listen(0, '127.0.0.1', () => r()));
  const sinkPort = (sink.address() as AddressInfo).port;
  writeFileSync(join(bin, 'xdg-open'), `#!${process.execPath}\nrequire('node:net').connect(${sinkPort}, '127.0.0.1', function () { this.end(process.argv[2]); });\n`);
  chmodSync(join(bin, 'xdg-open'), 0o755);
  const start = (path: string) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'main/web/server.ts'), '--open', '--static-dir', dir], {
      cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PATH: path },
    });
    let stderr = '';
    const warned = new Signal();
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      warned.notify();
    });
    return { child, warned, stderr: () => stderr };
  };
  const stop = async (child: ReturnType<typeof spawn>): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  };
  const a = start(`${bin}:${process.env.PATH ?? ''}`);
  const b = start(empty); // No opener anywhere on PATH (node is started by absolute path).
  try {
    if (!a.child.stdout || !b.child.stdout) throw new Error('no stdout');
    const m = await waitForLine(a.child.stdout, /^Wirechat is running at (\S+)$/, 'the URL line', 30_000);
    const url = await opened.waitFor(() => urls[0], 'the opener to be run', 30_000);
    assert.equal(url, m[1]);
    await waitForLine(b.child.stdout, /^Wirechat is running at /, 'the URL line', 30_000);
    await b.warned.waitFor(() => /could not open a browser/.test(b.stderr()), 'the warning', 30_000);
    assert.equal(b.stderr().split('\n').filter((l) => /could not open a browser/.test(l)).length, 1);
    assert.equal(b.child.exitCode, null, 'the host keeps running');
  } finally {
    await stop(a.child);
    await stop(b.child);
    await new Promise<void>((r) => sink.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  }
});
