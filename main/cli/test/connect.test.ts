// `wirechat connect` as a real process against servers we did not write (the `ws` package, Python
// `websockets`) and raw node:net servers sending crafted bytes. Every flag of issue 4 is exercised
// and every exit code is produced by a real ending.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer } from 'node:net';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { WebSocketServer } from 'ws';
import { startWsPeer, type WsPeer } from '../../../e2e/peers/ws-peers.ts';
import { startPythonPeer } from '../../../e2e/peers/python-peer.ts';
import { startRawPeer } from '../../../e2e/peers/raw-peer.ts';
import { makeTestCertificates, startTlsPeer } from '../../../e2e/peers/tls-peer.ts';
import { Op } from '../../../e2e/peers/frames.ts';
import { Signal } from '../../../e2e/peers/wait.ts';
import { ExitCode } from '../exit-codes.ts';
import { runCli } from './run-cli.ts';

const T = { timeout: 60_000 };
const ISO_PREFIX = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z /;

let peer: WsPeer;
const peerReady = startWsPeer({ protocols: ['chat', 'superchat'], deflate: true }).then((p) => (peer = p));
after(async () => {
  await peer?.stop();
});

test('-x sends text, /binary, /base64, /ping and /pong; --frames shows each header; --timestamps; exit 0', T, async () => {
  await peerReady;
  const before = peer.received.length;
  const r = await runCli([
    'connect', peer.urlFor('/echo'), '--frames', '--timestamps',
    '-x', 'hello', '-x', '/binary de ad:be ef', '-x', '/base64 AAEC/w==', '-x', '/ping are you there', '-x', '/pong unsolicited', '-x', '//slash',
  ]);
  assert.equal(r.code, ExitCode.Ok, r.stderr);
  const got = peer.received.slice(before).map((m) => [m.isBinary, m.data.toString('hex')]);
  assert.deepEqual(got, [
    [false, Buffer.from('hello').toString('hex')],
    [true, 'deadbeef'],
    [true, '000102ff'],
    [false, Buffer.from('/slash').toString('hex')],
  ]);
  assert.ok(peer.pings.some((p) => p.toString() === 'are you there'));
  assert.ok(peer.pongs.some((p) => p.toString() === 'unsolicited'));
  // Every stdout line is timestamped; outgoing frames carry an 8-hex-digit mask key, incoming none.
  for (const line of r.lines) assert.match(line, ISO_PREFIX, line);
  const frames = r.lines.map((l) => l.replace(ISO_PREFIX, '')).filter((l) => / frame /.test(l));
  assert.ok(frames.some((l) => /^> frame FIN=1 RSV=[01]00 op=TEXT\(0x1\) mask=[0-9a-f]{8} len=\d+/.test(l)), frames.join('\n'));
  assert.ok(frames.some((l) => /^< frame FIN=1 RSV=[01]00 op=BINARY\(0x2\) mask=- len=\d+/.test(l)), frames.join('\n'));
  assert.ok(frames.some((l) => /^> frame FIN=1 RSV=000 op=PING\(0x9\) mask=[0-9a-f]{8} len=13$/.test(l)), frames.join('\n'));
  assert.ok(frames.some((l) => /^< frame FIN=1 RSV=000 op=CLOSE\(0x8\) mask=- len=2$/.test(l)), frames.join('\n'));
  const transcript = r.lines.map((l) => l.replace(ISO_PREFIX, ''));
  assert.ok(transcript.includes('> hello') && transcript.includes('< hello'));
  assert.ok(transcript.includes('< [binary 4 B] deadbeef'));
  assert.ok(transcript.includes('< pong "are you there"'));
  assert.match(r.stderr, /connected to .* \(subprotocol|connected to /);
  assert.match(r.stderr, /closed 1000 \(Normal Closure\) — clean, initiated by client/);
});

test('-H (repeatable), -p (repeatable), --origin reach the server; the chosen subprotocol is shown', T, async () => {
  await peerReady;
  const r = await runCli(['connect', peer.urlFor('/echo'), '-H', 'Authorization: Bearer t0k3n', '-H', 'X-Trace: a b c', '-p', 'nope', '-p', 'superchat', '--origin', 'https://wirechat.test', '-x', 'hi']);
  assert.equal(r.code, ExitCode.Ok, r.stderr);
  const h = peer.lastUpgrade!.headers;
  assert.equal(h.authorization, 'Bearer t0k3n');
  assert.equal(h['x-trace'], 'a b c');
  assert.equal(h['sec-websocket-protocol'], 'nope, superchat');
  assert.equal(h.origin, 'https://wirechat.test');
  assert.match(r.stderr, /subprotocol superchat/);
});

test('--no-deflate does not offer permessage-deflate (offered by default)', T, async () => {
  await peerReady;
  const withDeflate = await runCli(['connect', peer.urlFor('/echo'), '-x', 'a', '--json']);
  assert.equal(withDeflate.code, ExitCode.Ok, withDeflate.stderr);
  assert.match(String(peer.lastUpgrade!.headers['sec-websocket-extensions']), /permessage-deflate/);
  const open = JSON.parse(withDeflate.lines[0]) as { type: string; extensions: string | null };
  assert.equal(open.type, 'open');
  assert.match(open.extensions ?? '', /permessage-deflate/);
  const without = await runCli(['connect', peer.urlFor('/echo'), '-x', 'a', '--no-deflate', '--json']);
  assert.equal(without.code, ExitCode.Ok, without.stderr);
  assert.equal(peer.lastUpgrade!.headers['sec-websocket-extensions'], undefined);
  assert.equal((JSON.parse(without.lines[0]) as { extensions: string | null }).extensions, null);
});

test('stdin lines are sent in order; EOF closes with 1000; --json gives one object per event', T, async () => {
  await peerReady;
  const before = peer.received.length;
  const r = await runCli(['connect', peer.urlFor('/echo'), '--json'], { stdin: 'first\nsecond line\n\nünïcödé ✓\n' });
  assert.equal(r.code, ExitCode.Ok, r.stderr);
  assert.deepEqual(peer.received.slice(before).map((m) => m.data.toString()), ['first', 'second line', '', 'ünïcödé ✓']);
  const events = r.lines.map((l) => JSON.parse(l) as { type: string; dir?: string; text?: string; code?: number; wasClean?: boolean });
  assert.equal(events[0].type, 'open');
  assert.deepEqual(events.filter((e) => e.type === 'message' && e.dir === 'in').map((e) => e.text), ['first', 'second line', '', 'ünïcödé ✓']);
  const closed = events[events.length - 1];
  assert.equal(closed.type, 'closed');
  assert.equal(closed.code, 1000);
  assert.equal(closed.wasClean, true);
});

test('/close CODE REASON closes with that code and reason (exit 0: we chose it); bad lines are reported, not fatal', T, async () => {
  await peerReady;
  const r = await runCli(['connect', peer.urlFor('/echo')], { stdin: '/binary zz\n/close 1005\n/nope\n/ping ' + 'x'.repeat(126) + '\nstill here\n/close 4321 all done\nnot sent\n' });
  assert.equal(r.code, ExitCode.Ok, r.stderr);
  await peer.waitFor(() => peer.closes.find((c) => c.code === 4321), 'the 4321 close');
  assert.equal(peer.closes.find((c) => c.code === 4321)!.reason, 'all done');
  assert.match(r.stderr, /\/binary: not hexadecimal/);
  assert.match(r.stderr, /\/close: code must be 1000 or 3000–4999/);
  assert.match(r.stderr, /unknown command \/nope/);
  assert.match(r.stderr, /payload is 126 bytes; the limit is 125/);
  assert.ok(r.lines.includes('< still here'));
  assert.ok(!r.stdout.includes('not sent'));
});

test('-w waits before closing, so a late reply is still printed', T, async () => {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(wss, 'listening');
  wss.on('connection', (ws) => ws.on('message', () => {
    // Answer after the CLI has finished its -x list: only --wait keeps it around to see this.
    setTimeout(() => ws.send('late reply'), 200);
  }));
  try {
    const port = (wss.address() as { port: number }).port;
    const r = await runCli(['connect', `ws://127.0.0.1:${port}/`, '-x', 'hi', '-w', '3']);
    assert.equal(r.code, ExitCode.Ok, r.stderr);
    assert.ok(r.lines.includes('< late reply'), r.stdout);
  } finally {
    for (const c of wss.clients) c.terminate();
    await new Promise((res) => wss.close(res));
  }
});

test('pings are answered automatically; --no-auto-pong leaves them unanswered', T, async () => {
  await peerReady;
  const pongsBefore = peer.pongs.length;
  const auto = await runCli(['connect', peer.urlFor('/ping?payload=knock'), '-x', 'x', '-w', '0.5']);
  assert.equal(auto.code, ExitCode.Ok, auto.stderr);
  assert.ok(auto.lines.includes('< ping "knock"'));
  assert.ok(auto.lines.includes('> pong "knock"'));
  assert.deepEqual(peer.pongs.slice(pongsBefore).map(String), ['knock']);
  const manual = await runCli(['connect', peer.urlFor('/ping?payload=knock'), '--no-auto-pong', '-x', 'x', '-w', '0.5']);
  assert.equal(manual.code, ExitCode.Ok, manual.stderr);
  assert.ok(manual.lines.includes('< ping "knock"'));
  assert.ok(!manual.lines.some((l) => l.startsWith('> pong')));
  assert.equal(peer.pongs.length, pongsBefore + 1);
});

test('--ping-interval sends keepalive pings', T, async () => {
  await peerReady;
  const before = peer.pings.length;
  const r = await runCli(['connect', peer.urlFor('/echo'), '--ping-interval', '0.1', '-x', 'x', '-w', '1']);
  assert.equal(r.code, ExitCode.Ok, r.stderr);
  assert.ok(peer.pings.length > before, 'no keepalive ping reached the server');
  assert.ok(r.lines.some((l) => l.startsWith('> ping')));
});

test('--max-message: a bigger message fails the connection with 1009, exit 5, one stderr line', T, async () => {
  await peerReady;
  const r = await runCli(['connect', peer.urlFor('/stream?n=1&size=100'), '--max-message', '10', '--no-deflate', '-w', '5']);
  assert.equal(r.code, ExitCode.ProtocolError, r.stderr);
  const errorLines = r.stderr.split('\n').filter((l) => l.startsWith('wirechat:'));
  assert.equal(errorLines.length, 1, r.stderr);
  assert.match(errorLines[0], /MESSAGE_TOO_BIG, close 1009/);
});

test('exit codes: refused → 3, bad handshake → 4, protocol error → 5, dropped → 6, server close 4001 → 7', T, async () => {
  await peerReady;
  // A port nothing listens on: bind one, then close it.
  const probe = createNetServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const freePort = (probe.address() as { port: number }).port;
  await new Promise((res) => probe.close(res));
  const refused = await runCli(['connect', `ws://127.0.0.1:${freePort}/`]);
  assert.equal(refused.code, ExitCode.ConnectionFailed, refused.stderr);
  assert.match(refused.stderr, /REFUSED/);

  const notWs = await startRawPeer(async (c) => {
    await c.readRequest();
    await c.write('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
    c.end();
  });
  const crafted = await startRawPeer(async (c) => {
    await c.accept();
    await c.sendFrame({ opcode: 0x3, payload: 'reserved opcode' }); // RFC 6455 §5.2: 0x3 is reserved
    await c.waitForEnd();
  });
  try {
    const hs = await runCli(['connect', notWs.url]);
    assert.equal(hs.code, ExitCode.HandshakeFailed, hs.stderr);
    assert.match(hs.stderr, /HANDSHAKE_STATUS/);
    const proto = await runCli(['connect', crafted.url, '-w', '5']);
    assert.equal(proto.code, ExitCode.ProtocolError, proto.stderr);
    assert.match(proto.stderr, /PROTOCOL, close 1002/);
    const closeFrame = crafted.connections[0].frames.find((f) => f.opcode === Op.Close);
    assert.ok(closeFrame, 'the client sent a close frame');
  } finally {
    await notWs.stop();
    await crafted.stop();
  }
  const dropped = await runCli(['connect', peer.urlFor('/drop'), '-w', '5']);
  assert.equal(dropped.code, ExitCode.AbnormalClose, dropped.stderr);
  assert.match(dropped.stderr, /closed 1006/);
  const serverClosed = await runCli(['connect', peer.urlFor('/close?code=4001&reason=go%20away'), '-w', '5']);
  assert.equal(serverClosed.code, ExitCode.ClosedWithError, serverClosed.stderr);
  assert.ok(serverClosed.lines.includes('< close 4001 (Private use) "go away"'), serverClosed.stdout);
});

test('--show-handshake prints the exact request and response', T, async () => {
  await peerReady;
  const r = await runCli(['connect', peer.urlFor('/echo'), '--show-handshake', '-x', 'x']);
  assert.equal(r.code, ExitCode.Ok, r.stderr);
  assert.match(r.stderr, /GET \/echo HTTP\/1\.1/);
  assert.match(r.stderr, /Sec-WebSocket-Key: /i);
  assert.match(r.stderr, /HTTP\/1\.1 101 Switching Protocols/);
});

test('against Python websockets: text and binary echo, subprotocol, server close code', T, async () => {
  const py = await startPythonPeer({ subprotocols: ['chat'] });
  try {
    type Ev = { type: string; dir?: string; text?: string; base64?: string; protocol?: string };
    const parse = (stdout: string): Ev[] => stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Ev);
    const incomingOf = (events: Ev[]): Ev[] => events.filter((e) => e.type === 'message' && e.dir === 'in');
    // Interactive, closing only once both echoes are back: with -x and no -w the CLI closes at once,
    // and Python websockets may then drop echoes it had not sent before reading our close (a race,
    // not a client fault).
    const r = await runCli(['connect', py.urlFor('/echo'), '-p', 'chat', '--json'], {
      keepStdinOpen: true,
      whileRunning: async (child, out) => {
        const signal = new Signal();
        child.stdout!.on('data', () => signal.notify());
        child.stdin!.write('from wirechat\n/binary 00ff\n');
        await signal.waitFor(() => incomingOf(parse(out.stdout())).length >= 2, 'both echoes from Python');
        child.stdin!.end(); // EOF closes with 1000
      },
    });
    assert.equal(r.code, ExitCode.Ok, r.stderr);
    const events = parse(r.stdout);
    assert.equal(events[0].protocol, 'chat');
    assert.deepEqual(incomingOf(events).map((e) => e.text ?? e.base64), ['from wirechat', Buffer.from([0, 255]).toString('base64')]);
    await py.waitFor(() => py.closes.find((c) => c.code === 1000), 'python saw the 1000 close');
    const closed = await runCli(['connect', py.urlFor('/close?code=4999&reason=bye'), '-w', '5']);
    assert.equal(closed.code, ExitCode.ClosedWithError, closed.stderr);
    assert.match(closed.stdout, /< close 4999 .*"bye"/);
  } finally {
    await py.stop();
  }
});

test('wss: --ca trusts the test CA, no --ca fails with 3, --insecure connects anyway', T, async () => {
  const tls = await startTlsPeer();
  const dir = await import('node:fs/promises').then((fs) => fs.mkdtemp(join(process.env.TMPDIR ?? '/tmp', 'wirechat-cli-ca-')));
  try {
    const caFile = join(dir, 'ca.pem');
    await writeFile(caFile, tls.caPem);
    const ok = await runCli(['connect', tls.urlFor('/echo'), '--ca', caFile, '-x', 'secure']);
    assert.equal(ok.code, ExitCode.Ok, ok.stderr);
    assert.ok(ok.lines.includes('< secure'));
    const untrusted = await runCli(['connect', tls.urlFor('/echo'), '-x', 'secure']);
    assert.equal(untrusted.code, ExitCode.ConnectionFailed, untrusted.stderr);
    assert.match(untrusted.stderr, /TLS/);
    const insecure = await runCli(['connect', tls.urlFor('/echo'), '--insecure', '-x', 'anyway']);
    assert.equal(insecure.code, ExitCode.Ok, insecure.stderr);
    assert.ok(insecure.lines.includes('< anyway'));
  } finally {
    await tls.stop();
    await rm(dir, { recursive: true, force: true });
  }
});

test('wss: --cert/--key present a client certificate the server requires', T, async () => {
  const certs = await makeTestCertificates();
  const run = promisify(execFile);
  const f = (n: string): string => join(certs.dir, n);
  await run('openssl', ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', f('client.key'), '-out', f('client.csr'), '-subj', '/CN=wirechat-cli-test']);
  await writeFile(f('client.ext'), 'extendedKeyUsage=clientAuth\n');
  await run('openssl', ['x509', '-req', '-in', f('client.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('client.pem'), '-days', '1', '-extfile', f('client.ext')]);
  const server = createHttpsServer({ key: certs.keyPem, cert: certs.certPem, ca: certs.caPem, requestCert: true, rejectUnauthorized: true });
  const wss = new WebSocketServer({ server });
  const seen: string[] = [];
  const signal = new Signal();
  wss.on('connection', (ws, req) => {
    const peerCert = (req.socket as import('node:tls').TLSSocket).getPeerCertificate();
    seen.push(String(peerCert.subject?.CN));
    signal.notify();
    ws.on('message', (d, b) => ws.send(d, { binary: b }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `wss://127.0.0.1:${(server.address() as { port: number }).port}/`;
  try {
    const withCert = await runCli(['connect', url, '--ca', f('ca.pem'), '--cert', f('client.pem'), '--key', f('client.key'), '-x', 'mutual']);
    assert.equal(withCert.code, ExitCode.Ok, withCert.stderr);
    assert.ok(withCert.lines.includes('< mutual'));
    await signal.waitFor(() => seen.length > 0, 'the server saw a client certificate');
    assert.deepEqual(seen, ['wirechat-cli-test']);
    const withoutCert = await runCli(['connect', url, '--ca', f('ca.pem'), '-x', 'mutual']);
    assert.notEqual(withoutCert.code, ExitCode.Ok);
    assert.equal(seen.length, 1);
    assert.ok(await readFile(f('client.pem'), 'utf8'));
  } finally {
    for (const c of wss.clients) c.terminate();
    server.closeAllConnections();
    await new Promise((res) => server.close(res));
    await rm(certs.dir, { recursive: true, force: true });
  }
});

test('usage errors exit 2 with one clear line; --help exits 0', T, async () => {
  const help = await runCli(['connect', '--help']);
  assert.equal(help.code, ExitCode.Ok);
  for (const flag of ['--header', '--protocol', '--origin', '--no-deflate', '--insecure', '--ca', '--cert', '--key', '--max-message', '--ping-interval', '--no-auto-pong', '--execute', '--wait', '--frames', '--json', '--timestamps']) {
    assert.ok(help.stdout.includes(flag.replace('--no-', '--')), `help lacks ${flag}`);
  }
  const cases: [string[], RegExp][] = [
    [['connect'], /needs a URL/],
    [['connect', 'ws://127.0.0.1:1/', '--bogus'], /unknown option --bogus/],
    [['connect', 'ws://127.0.0.1:1/', '--cert', '/nonexistent.pem'], /--cert and --key go together/],
    [['connect', 'ws://127.0.0.1:1/', '--ca', '/nonexistent/ca.pem'], /cannot read --ca/],
    [['connect', 'ws://127.0.0.1:1/', '-w', 'soon'], /--wait must be a number/],
    [['connect', 'ws://127.0.0.1:1/', '-H', 'no colon'], /Name: value/],
    [['connect', 'http://127.0.0.1:1/'], /ws:\/\/|wss:\/\/|scheme/i],
  ];
  for (const [args, message] of cases) {
    const r = await runCli(args);
    assert.equal(r.code, ExitCode.Usage, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(r.stdout, '');
  }
});

test('interactive: lines typed while open are echoed as they come; Ctrl-C closes with 1000', T, async () => {
  await peerReady;
  const r = await runCli(['connect', peer.urlFor('/echo')], {
    keepStdinOpen: true,
    whileRunning: async (child, out) => {
      const signal = new Signal();
      child.stdout!.on('data', () => signal.notify());
      child.stderr!.on('data', () => signal.notify());
      await signal.waitFor(() => out.stderr().includes('connected to'), 'the connected line');
      child.stdin!.write('one\n');
      await signal.waitFor(() => out.stdout().includes('< one\n'), 'the first echo');
      child.stdin!.write('two\n');
      await signal.waitFor(() => out.stdout().includes('< two\n'), 'the second echo');
      child.kill('SIGINT');
    },
  });
  assert.equal(r.code, ExitCode.Ok, r.stderr + r.stdout);
  await peer.waitFor(() => peer.closes.find((c) => c.reason === 'interrupted'), 'the interrupted close');
  assert.equal(peer.closes.find((c) => c.reason === 'interrupted')!.code, 1000);
});

test('a second Ctrl-C while the server does not answer our close drops the connection: exit 130', T, async () => {
  const mute = await startRawPeer(async (c) => {
    await c.accept();
    await c.waitForEnd(); // never answers the close frame
  });
  try {
    const r = await runCli(['connect', mute.url], {
      keepStdinOpen: true,
      whileRunning: async (child, out) => {
        const signal = new Signal();
        child.stderr!.on('data', () => signal.notify());
        await signal.waitFor(() => out.stderr().includes('connected to'), 'the connected line');
        child.kill('SIGINT');
        const conn = await mute.waitForConnection();
        await conn.waitForClose();
        child.kill('SIGINT');
      },
    });
    assert.equal(r.code, ExitCode.Interrupted, r.stderr);
    assert.match(r.stderr, /interrupted: connection dropped/);
  } finally {
    await mute.stop();
  }
});
