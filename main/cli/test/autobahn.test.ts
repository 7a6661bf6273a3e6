// `wirechat autobahn` as a real process against a small fake of the Autobahn|Testsuite
// fuzzingserver protocol, built on the `ws` package: /getCaseCount sends the count as one text
// message, /runCase?case=N&agent=A runs a scripted case and judges what the client echoes (or how
// it fails), /updateReports?agent=A records the call. Each case passes only on the right echo.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer as createNetServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import { Signal } from '../../../e2e/peers/wait.ts';
import { ExitCode } from '../exit-codes.ts';
import { parseCaseList } from '../autobahn.ts';
import { runCli } from './run-cli.ts';

const T = { timeout: 60_000 };
const INVALID_UTF8_CLOSE = 1007;

function bytesOf(d: RawData): Buffer {
  return Buffer.isBuffer(d) ? d : Array.isArray(d) ? Buffer.concat(d) : Buffer.from(d);
}

type CaseScript = (ws: WebSocket, pass: () => void, fail: (why: string) => void) => void;

/** Each case sends something and passes when the client answers exactly right. */
const CASES: CaseScript[] = [
  // 1: a short text message comes back as the same text.
  (ws, pass, fail) => {
    ws.on('message', (d, isBinary) => (!isBinary && bytesOf(d).toString() === 'Hello, Autobahn ✓' ? pass() : fail('bad text echo')));
    ws.send('Hello, Autobahn ✓');
  },
  // 2: 64 KiB of random binary comes back byte for byte.
  (ws, pass, fail) => {
    const payload = randomBytes(64 * 1024);
    ws.on('message', (d, isBinary) => (isBinary && bytesOf(d).equals(payload) ? pass() : fail('bad binary echo')));
    ws.send(payload, { binary: true });
  },
  // 3: a text message in three fragments (RFC 6455 §5.4) comes back as one message.
  (ws, pass, fail) => {
    ws.on('message', (d, isBinary) => (!isBinary && bytesOf(d).toString() === 'fragmented message' ? pass() : fail('bad fragmented echo')));
    ws.send('fragm', { fin: false });
    ws.send('ented mes', { fin: false });
    ws.send('sage', { fin: true });
  },
  // 4: a ping is answered with a pong carrying the same payload (§5.5.3), then a text is echoed.
  (ws, pass, fail) => {
    let ponged = false;
    ws.on('pong', (d) => (ponged = bytesOf(d).toString() === 'ping-payload'));
    ws.on('message', (d) => (ponged && bytesOf(d).toString() === 'after ping' ? pass() : fail('no pong before the echo')));
    ws.ping('ping-payload');
    ws.send('after ping');
  },
  // 5: invalid UTF-8 in a text message: the client must fail the connection with 1007 (§8.1).
  (ws, pass, fail) => {
    ws.on('message', () => fail('echoed invalid UTF-8'));
    ws.on('close', (code) => (code === INVALID_UTF8_CLOSE ? pass() : fail(`closed with ${code}`)));
    // ws sends a Buffer given as text without validating it: 0xED 0xA0 0x80 is a UTF-16 surrogate.
    ws.send(Buffer.from([0xce, 0xba, 0xed, 0xa0, 0x80, 0x61]), { binary: false });
  },
];

interface FakeServer {
  url: string;
  results: Map<number, string>;
  agents: string[];
  reports: string[];
  countRequests: number;
  signal: Signal;
  stop(): Promise<void>;
}

async function startFakeFuzzingServer(): Promise<FakeServer> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: true });
  await once(wss, 'listening');
  const s: FakeServer = {
    url: `ws://127.0.0.1:${(wss.address() as { port: number }).port}`,
    results: new Map(),
    agents: [],
    reports: [],
    countRequests: 0,
    signal: new Signal(),
    stop: async () => {
      for (const c of wss.clients) c.terminate();
      await new Promise((res) => wss.close(res));
    },
  };
  wss.on('connection', (ws, req) => {
    const u = new URL(req.url ?? '/', 'ws://fake');
    if (u.pathname === '/getCaseCount') {
      s.countRequests++;
      ws.send(String(CASES.length));
      ws.close(1000);
    } else if (u.pathname === '/runCase') {
      const n = Number(u.searchParams.get('case'));
      s.agents.push(u.searchParams.get('agent') ?? '');
      const script = CASES[n - 1];
      let settled = false;
      const settle = (result: string): void => {
        if (settled) return;
        settled = true;
        s.results.set(n, result);
        s.signal.notify();
        if (ws.readyState === ws.OPEN) ws.close(1000);
      };
      if (!script) settle('no such case');
      else script(ws, () => settle('pass'), (why) => settle(`fail: ${why}`));
    } else if (u.pathname === '/updateReports') {
      s.reports.push(u.searchParams.get('agent') ?? '');
      s.signal.notify();
      ws.close(1000);
    } else ws.close(4404, 'unknown path');
  });
  return s;
}

let fake: FakeServer;
const ready = startFakeFuzzingServer().then((f) => (fake = f));
after(async () => {
  await fake?.stop();
});

test('runs every case in echo mode, each judged right by the fake server, then updates the reports', T, async () => {
  await ready;
  fake.results.clear();
  const r = await runCli(['autobahn', fake.url, '--agent', 'wirechat-test']);
  assert.equal(r.code, ExitCode.Ok, r.stderr);
  assert.deepEqual([...fake.results.entries()].sort((a, b) => a[0] - b[0]), CASES.map((_, i) => [i + 1, 'pass']));
  assert.ok(fake.agents.every((a) => a === 'wirechat-test'));
  assert.deepEqual(fake.reports.slice(-1), ['wirechat-test']);
  assert.match(r.stderr, /5 cases on the server, running 5 as agent "wirechat-test"/);
  for (let i = 1; i <= CASES.length; i++) assert.match(r.stderr, new RegExp(`\\[${i}/5\\] case ${i}: `));
  // Case 5 is the one where we fail the connection on purpose (invalid UTF-8 → 1007).
  assert.match(r.stderr, /case 5: INVALID_UTF8/);
  assert.match(r.stdout, /ran 5\/5 cases in [\d.]+ s — 4 closed cleanly, 1 failed by us/);
  assert.match(r.stdout, /reports updated for agent "wirechat-test"/);
});

test('--cases runs only the listed cases; the agent name is URL-encoded', T, async () => {
  await ready;
  fake.results.clear();
  const agentsBefore = fake.agents.length;
  const r = await runCli(['autobahn', `${fake.url}/`, '--cases', '2,4-5', '--agent', 'a b&c']);
  assert.equal(r.code, ExitCode.Ok, r.stderr);
  assert.deepEqual([...fake.results.keys()].sort(), [2, 4, 5]);
  assert.deepEqual(fake.agents.slice(agentsBefore), ['a b&c', 'a b&c', 'a b&c']);
  assert.deepEqual(fake.reports.slice(-1), ['a b&c']);
  assert.match(r.stdout, /ran 3\/3 cases/);
});

test('no fuzzingserver → exit 3; bad --cases → exit 2; --help → 0', T, async () => {
  const probe = createNetServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const port = (probe.address() as { port: number }).port;
  await new Promise((res) => probe.close(res));
  const down = await runCli(['autobahn', `ws://127.0.0.1:${port}`]);
  assert.equal(down.code, ExitCode.ConnectionFailed, down.stderr);
  assert.match(down.stderr, /getCaseCount did not return a case count .*REFUSED/);
  const bad = await runCli(['autobahn', 'ws://127.0.0.1:9001', '--cases', '3-1']);
  assert.equal(bad.code, ExitCode.Usage);
  assert.match(bad.stderr, /bad range "3-1"/);
  const help = await runCli(['autobahn', '--help']);
  assert.equal(help.code, ExitCode.Ok);
  assert.match(help.stdout, /--agent NAME/);
  assert.match(help.stdout, /--cases LIST/);
});

test('parseCaseList: ranges, single numbers, duplicates, and refusals', () => {
  assert.deepEqual(parseCaseList('1-3,7, 5,2'), [1, 2, 3, 5, 7]);
  assert.deepEqual(parseCaseList('10'), [10]);
  assert.throws(() => parseCaseList('0'), /bad range/);
  assert.throws(() => parseCaseList('x'), /not a number/);
  assert.throws(() => parseCaseList(','), /empty/);
});
