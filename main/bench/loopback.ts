// Loopback echo benchmarks: our client, the `ws` client and Chromium's native WebSocket against a
// `ws` echo server in another process on 127.0.0.1, with a raw-TCP echo of the same bytes as the
// floor. Three workloads (issue 4): ping-pong of 32 B messages (msgs/s, p50/p99 µs), a stream of
// N × 64 B messages (msgs/s until every echo is back), and 1 MiB binary bulk (MB/s).
import { spawn, type ChildProcess } from 'node:child_process';
import { connect as netConnect, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { createRequire } from 'node:module';
import type { Case, Impl, Sample } from './harness.ts';
import { now, percentile } from './harness.ts';
import { mixedText, ONE_MIB } from './workloads.ts';
import { ChromiumEcho } from './chromium.ts';

const nodeRequire = createRequire(import.meta.url);
const LOOPBACK = '127.0.0.1';
const PING_PONG_BYTES = 32;
const STREAM_BYTES = 64;
const US_PER_S = 1e6;
/** RFC 6455 §5.2: a masked client frame of ≤125 B has a 2-byte header plus a 4-byte key. */
const SMALL_CLIENT_HEADER = 6;
/** …of 126 B–64 KiB a 4-byte header plus the key; of more, a 10-byte header plus the key. */
const MEDIUM_CLIENT_HEADER = 8;
const LARGE_CLIENT_HEADER = 14;
const MAX_LEN7 = 125;
const MAX_LEN16 = 0xffff;

export interface LoopbackOptions {
  pingPongCount: number;
  streamCount: number;
  bulkCount: number;
  chromium: boolean;
}

export interface ChildServer {
  port: number;
  stop(): void;
}

type ChildRole = 'ws-echo' | 'tcp-echo';
const children = new Map<ChildRole, Promise<ChildServer>>();

/**
 * The echo server child for `role`, started once and shared (run.ts starts them before the first
 * suite: the child re-executes this bench script, and a concurrent `npm run build` elsewhere may
 * replace dist/ while a long run is in progress).
 * WIRECHAT_BENCH_SCRIPT names the script when the caller is not run.ts (e.g. a profiling script
 * that imports these modules).
 */
export function startChild(role: ChildRole): Promise<ChildServer> {
  let p = children.get(role);
  if (!p) {
    p = spawnChild(role);
    children.set(role, p);
  }
  return p;
}

/** Stops every child started by startChild (they also exit when this process goes away). */
export async function stopChildren(): Promise<void> {
  const all = [...children.values()];
  children.clear();
  for (const p of all) (await p.catch(() => undefined))?.stop();
}

function spawnChild(role: ChildRole): Promise<ChildServer> {
  const script = process.env.WIRECHAT_BENCH_SCRIPT ?? process.argv[1];
  const child: ChildProcess = spawn(process.execPath, [...process.execArgv.filter((a) => a !== '--expose-gc'), script, '--child', role], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    child.once('exit', (code) => reject(new Error(`${role} child exited with ${code} before READY`)));
    rl.on('line', (line) => {
      const m = /^READY (\d+)$/.exec(line);
      if (!m) return;
      rl.close();
      resolve({ port: Number(m[1]), stop: () => child.stdin!.end() });
    });
  });
}

/** A message channel over some client: what the Node-side workloads drive. */
export interface Channel {
  sendText(text: string): void;
  sendBinary(data: Uint8Array): void;
  /** Called once per echoed message with its payload length. */
  onMessage: (bytes: number) => void;
  close(): Promise<void>;
}

export interface ClientFactory {
  name: string;
  ours?: boolean;
  anchor?: boolean;
  open(port: number): Promise<Channel>;
}

// ---- workloads (identical driving code for every Node client) ----

function pingPong(ch: Channel, n: number, text: string): Promise<Sample> {
  const lat = new Float64Array(n);
  return new Promise((resolve) => {
    let i = 0;
    let t = now();
    const start = t;
    ch.onMessage = () => {
      const t2 = now();
      lat[i++] = t2 - t;
      if (i === n) {
        const sorted = Array.from(lat).sort((a, b) => a - b);
        resolve({ seconds: t2 - start, units: n, extra: { p50: percentile(sorted, 50) * US_PER_S, p99: percentile(sorted, 99) * US_PER_S } });
        return;
      }
      t = t2;
      ch.sendText(text);
    };
    ch.sendText(text);
  });
}

function stream(ch: Channel, n: number, send: () => void, unitsPerMsg: number): Promise<Sample> {
  return new Promise((resolve) => {
    let got = 0;
    const start = now();
    ch.onMessage = () => {
      if (++got === n) resolve({ seconds: now() - start, units: n * unitsPerMsg });
    };
    for (let i = 0; i < n; i++) send();
  });
}

// ---- clients ----

interface WsClientLike {
  on(event: 'message', fn: (data: Buffer) => void): void;
  once(event: 'open' | 'close', fn: () => void): void;
  once(event: 'error', fn: (err: Error) => void): void;
  send(data: string | Uint8Array, opts?: { binary: boolean }): void;
  close(): void;
  binaryType: string;
}

export const wsClient: ClientFactory = {
  name: 'ws client',
  anchor: true,
  open(port) {
    const WebSocket = nodeRequire('ws') as new (url: string, o: object) => WsClientLike;
    const ws = new WebSocket(`ws://${LOOPBACK}:${port}/`, { perMessageDeflate: false, maxPayload: 64 * ONE_MIB });
    ws.binaryType = 'nodebuffer';
    const ch: Channel = {
      sendText: (t) => ws.send(t),
      sendBinary: (b) => ws.send(b, { binary: true }),
      onMessage: () => {},
      close: () => new Promise((resolve) => (ws.once('close', resolve), ws.close())),
    };
    ws.on('message', (d) => ch.onMessage(d.length));
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(ch));
      ws.once('error', reject);
    });
  },
};

/** Raw TCP: writes the very bytes a masked client frame would be, counts echoed bytes. */
function rawTcpClient(frameBytes: (payloadLen: number) => number): ClientFactory {
  return {
    name: 'raw TCP echo (floor)',
    open(port) {
      const sock: Socket = netConnect({ host: LOOPBACK, port, noDelay: true });
      // Frame sizes in flight, FIFO. A head index, not shift(): 100,000 entries may be queued.
      let pending: number[] = [];
      let head = 0;
      let have = 0;
      const ch: Channel = {
        sendText: (t) => {
          const n = frameBytes(Buffer.byteLength(t));
          pending.push(n);
          sock.write(Buffer.allocUnsafe(n));
        },
        sendBinary: (b) => {
          const n = frameBytes(b.length);
          pending.push(n);
          const f = Buffer.allocUnsafe(n);
          f.set(b, n - b.length);
          sock.write(f);
        },
        onMessage: () => {},
        close: () => new Promise((resolve) => (sock.once('close', () => resolve()), sock.end())),
      };
      sock.on('data', (d) => {
        have += d.length;
        while (head < pending.length && have >= pending[head]) {
          const n = pending[head++];
          have -= n;
          ch.onMessage(n);
        }
        if (head === pending.length) {
          pending = [];
          head = 0;
        }
      });
      return new Promise((resolve, reject) => {
        sock.once('connect', () => resolve(ch));
        sock.once('error', reject);
      });
    },
  };
}

function clientFrameBytes(payloadLen: number): number {
  return payloadLen + (payloadLen <= MAX_LEN7 ? SMALL_CLIENT_HEADER : payloadLen <= MAX_LEN16 ? MEDIUM_CLIENT_HEADER : LARGE_CLIENT_HEADER);
}

// ---- cases ----

export async function loopbackCases(o: LoopbackOptions, clients: ClientFactory[]): Promise<{ cases: Case[]; stop: () => Promise<void> }> {
  const wsServer = await startChild('ws-echo');
  const tcpServer = await startChild('tcp-echo');
  const chromium = o.chromium ? new ChromiumEcho() : null;
  const pingText = mixedText(PING_PONG_BYTES).toString('utf8');
  const streamText = mixedText(STREAM_BYTES).toString('utf8');
  const bulk = Buffer.alloc(ONE_MIB, 0x5a);
  const raw = rawTcpClient(clientFrameBytes);

  type Work = 'pingpong' | 'stream' | 'bulk';
  const run = (w: Work, ch: Channel): Promise<Sample> => {
    switch (w) {
      case 'pingpong':
        return pingPong(ch, o.pingPongCount, pingText);
      case 'stream':
        return stream(ch, o.streamCount, () => ch.sendText(streamText), 1);
      case 'bulk':
        return stream(ch, o.bulkCount, () => ch.sendBinary(bulk), ONE_MIB);
    }
  };
  const nodeImpl = (f: ClientFactory, port: number, w: Work): Impl => {
    let ch: Channel | undefined;
    return {
      name: f.name,
      ours: f.ours,
      anchor: f.anchor,
      setup: async () => {
        ch = await f.open(port);
      },
      run: () => run(w, ch!),
      teardown: async () => {
        await ch?.close();
      },
    };
  };
  const workloads: { w: Work; label: string; unit: Case['unit'] }[] = [
    { w: 'pingpong', label: `ping-pong ${PING_PONG_BYTES} B text × ${o.pingPongCount}`, unit: 'msgs/s' },
    { w: 'stream', label: `stream ${o.streamCount} × ${STREAM_BYTES} B text`, unit: 'msgs/s' },
    { w: 'bulk', label: `bulk ${o.bulkCount} × 1 MiB binary`, unit: 'MB/s' },
  ];
  const cases: Case[] = workloads.map(({ w, label, unit }) => {
    const impls: Impl[] = clients.map((c) => nodeImpl(c, wsServer.port, w));
    if (chromium) {
      impls.push({
        name: 'Chromium WebSocket (headless)',
        setup: () => chromium.start(wsServer.port),
        run: () => chromium.run(w, w === 'pingpong' ? o.pingPongCount : w === 'stream' ? o.streamCount : o.bulkCount, w === 'pingpong' ? pingText : streamText),
      });
    }
    impls.push(nodeImpl(raw, tcpServer.port, w));
    return {
      suite: 'loopback',
      workload: label,
      unit,
      impls,
      extraColumns: w === 'pingpong' ? [{ key: 'p50', label: 'p50 µs' }, { key: 'p99', label: 'p99 µs' }] : [],
    };
  });
  return {
    cases,
    stop: async () => {
      await chromium?.stop();
    },
  };
}
