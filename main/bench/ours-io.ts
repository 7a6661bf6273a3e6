// Ours, for the suites that need the whole stack: the codec via the core, loopback via the
// transport (main/transport/connection.ts), and the session layer (SessionManager + EventBatcher,
// what the window receives).
import type { ApiEvent, EventBatch } from '../../shared/api.ts';
import type { Case, Impl, Sample } from './harness.ts';
import { now } from './harness.ts';
import { startChild, type Channel, type ClientFactory } from './loopback.ts';
import { loadOursCodec, type OursCodec } from './ours.ts';
import { connect } from '../transport/connection.ts';
import type { Connection } from '../transport/types.ts';
import { SessionManager } from '../session/session-manager.ts';
import { EventBatcher } from '../session/event-batcher.ts';
import { createRequire } from 'node:module';

const nodeRequire = createRequire(import.meta.url);
const LOOPBACK = '127.0.0.1';
const BURST_MESSAGE_BYTES = 64;
/** Per-message consumers sample the heap every this many messages (memoryUsage() is not free). */
const MEMORY_SAMPLE_EVERY = 1024;

export async function loadOurs(): Promise<OursCodec | null> {
  return loadOursCodec();
}

/** Our client on the real transport: the same connect() the app and the CLI use. */
export function oursClient(): ClientFactory | null {
  return {
    name: 'ours (transport connect)',
    ours: true,
    open(port) {
      const conn: Connection = connect({ url: `ws://${LOOPBACK}:${port}/`, deflate: false, maxMessageBytes: 64 * 1024 * 1024 });
      const ch: Channel = {
        sendText: (t) => void conn.sendText(t),
        sendBinary: (b) => void conn.sendBinary(b),
        onMessage: () => {},
        close: () =>
          new Promise((resolve) => {
            if (conn.state === 'CLOSED') return resolve();
            conn.on((e) => e.type === 'state' && e.state === 'CLOSED' && resolve());
            conn.close(1000);
          }),
      };
      return new Promise((resolve, reject) => {
        conn.on((e) => {
          if (e.type === 'message' && e.message.dir === 'in') ch.onMessage(e.message.data.length);
          else if (e.type === 'state' && e.state === 'OPEN') resolve(ch);
          else if (e.type === 'error') reject(new Error(e.error.message));
        });
      });
    },
  };
}

interface BurstResult extends Sample {
  extra: Record<string, number>;
}

function peakTracker(): { sample(): void; peakMiB(): number } {
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  return {
    sample: () => {
      const h = process.memoryUsage().heapUsed;
      if (h > peak) peak = h;
    },
    peakMiB: () => (peak - base) / 2 ** 20,
  };
}

/** SessionManager + EventBatcher: counts the message records the batched consumer receives. */
async function sessionBurst(port: number, n: number): Promise<BurstResult> {
  const manager = new SessionManager();
  const mem = peakTracker();
  let records = 0;
  let batches = 0;
  let done: () => void = () => {};
  const finished = new Promise<void>((resolve) => (done = resolve));
  const batcher = new EventBatcher((batch: EventBatch) => {
    batches++;
    for (const e of batch.events) if (e.type === 'messages') records += e.messages.filter((m) => m.dir === 'in').length;
    mem.sample();
    if (records >= n) done();
  });
  const unsubscribe = manager.subscribe((e: ApiEvent) => batcher.push(e));
  const t0 = now();
  const r = await manager.invoke('connect', { url: `ws://${LOOPBACK}:${port}/burst?n=${n}&size=${BURST_MESSAGE_BYTES}`, deflate: false });
  if (!r.ok) throw new Error(r.error.message);
  await finished;
  const seconds = now() - t0;
  mem.sample();
  unsubscribe();
  batcher.dispose();
  await manager.invoke('remove', { id: (r as { snapshot: { id: string } }).snapshot.id });
  return { seconds, units: n, extra: { batches, peakMiB: mem.peakMiB() } };
}

/** The transport alone, one callback per message: what the session layer adds is the difference. */
async function transportBurst(port: number, n: number): Promise<BurstResult> {
  const mem = peakTracker();
  let got = 0;
  const t0 = now();
  const conn = connect({ url: `ws://${LOOPBACK}:${port}/burst?n=${n}&size=${BURST_MESSAGE_BYTES}`, deflate: false });
  await new Promise<void>((resolve, reject) =>
    conn.on((e) => {
      if (e.type !== 'message' || e.message.dir !== 'in') {
        if (e.type === 'error') reject(new Error(e.error.message));
        return;
      }
      if (++got % MEMORY_SAMPLE_EVERY === 0) mem.sample();
      if (got === n) resolve();
    }),
  );
  const seconds = now() - t0;
  mem.sample();
  await new Promise<void>((resolve) => {
    conn.on((e) => e.type === 'state' && e.state === 'CLOSED' && resolve());
    conn.close(1000);
  });
  return { seconds, units: n, extra: { peakMiB: mem.peakMiB() } };
}

interface WsBurstClient {
  on(event: 'message', fn: () => void): void;
  once(event: 'close', fn: () => void): void;
  once(event: 'error', fn: (e: Error) => void): void;
  close(): void;
}

async function wsBurst(port: number, n: number): Promise<BurstResult> {
  const WebSocket = nodeRequire('ws') as new (url: string, o: object) => WsBurstClient;
  const mem = peakTracker();
  let got = 0;
  const t0 = now();
  const ws = new WebSocket(`ws://${LOOPBACK}:${port}/burst?n=${n}&size=${BURST_MESSAGE_BYTES}`, { perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    ws.on('message', () => {
      if (++got % MEMORY_SAMPLE_EVERY === 0) mem.sample();
      if (got === n) resolve();
    });
    ws.once('error', reject);
  });
  const seconds = now() - t0;
  mem.sample();
  await new Promise<void>((resolve) => (ws.once('close', resolve), ws.close()));
  return { seconds, units: n, extra: { peakMiB: mem.peakMiB() } };
}

export function sessionCases(o: { messages: number }): { cases: Case[]; stop: () => void } | null {
  let server: { port: number; stop(): void } | undefined;
  const ensure = async (): Promise<number> => {
    server ??= await startChild('ws-echo');
    return server.port;
  };
  const impl = (name: string, run: (port: number, n: number) => Promise<BurstResult>, flags: Partial<Impl> = {}): Impl => ({
    name,
    ...flags,
    setup: async () => void (await ensure()),
    run: async () => run(await ensure(), o.messages),
  });
  return {
    cases: [
      {
        suite: 'session',
        workload: `burst of ${o.messages} × ${BURST_MESSAGE_BYTES} B text`,
        unit: 'events/s',
        impls: [
          impl('ours: SessionManager → EventBatcher (what the window gets)', sessionBurst, { ours: true }),
          impl('ours: transport only, one callback per message', transportBurst),
          impl('ws client, one callback per message', wsBurst, { anchor: true }),
        ],
        extraColumns: [
          { key: 'batches', label: 'batches' },
          { key: 'peakMiB', label: 'peak heap MiB' },
        ],
      },
    ],
    // The shared child is stopped by run.ts (stopChildren).
    stop: () => {},
  };
}
