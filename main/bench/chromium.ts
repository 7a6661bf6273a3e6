// Chromium's native WebSocket as a loopback anchor. Debian's /usr/bin/chromium runs headless and
// loads a page from a tiny local HTTP server; the PAGE runs each timing loop itself and POSTs the
// result. Nothing drives the loop from outside while it is timed (issue 4: Playwright's network
// monitoring slows Chromium's WebSocket several-fold), and the page is served cross-origin
// isolated (COOP same-origin + COEP require-corp) so performance.now() has µs-level resolution
// instead of the coarsened 100 µs. The page fetches its next command with a long poll, which lets
// the harness interleave Chromium with the Node clients repetition by repetition.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sample } from './harness.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../e2e/chromium.ts';

// The flags of every headless Chromium run here (e2e/chromium.ts), plus headless mode and no
// timer throttling, so the page's own timing loop is not slowed in the background.
const BENCH_CHROMIUM_ARGS = [...CHROMIUM_ARGS, '--headless=new', '--disable-background-timer-throttling', '--disable-renderer-backgrounding'];
const LOOPBACK = '127.0.0.1';
const START_TIMEOUT_MS = 30_000;
const MAX_RESULT_BYTES = 64 * 1024;

const PAGE = `<!doctype html><meta charset="utf-8"><title>wirechat bench</title>
<script type="module">
const port = new URLSearchParams(location.search).get('port');
const ws = new WebSocket('ws://127.0.0.1:' + port + '/');
ws.binaryType = 'arraybuffer';
await new Promise((res, rej) => { ws.onopen = res; ws.onerror = rej; });
const MIB = 1024 * 1024;
const bulk = new Uint8Array(MIB).fill(0x5a);
function pct(sorted, p) { return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p / 100 * sorted.length) - 1))]; }
function run(cmd) {
  return new Promise((resolve) => {
    const n = cmd.n;
    if (cmd.w === 'pingpong') {
      const lat = new Float64Array(n);
      let i = 0, t = performance.now();
      const start = t;
      ws.onmessage = () => {
        const t2 = performance.now();
        lat[i++] = t2 - t;
        if (i === n) {
          const s = Array.from(lat).sort((a, b) => a - b);
          resolve({ seconds: (t2 - start) / 1e3, units: n, p50: pct(s, 50) * 1e3, p99: pct(s, 99) * 1e3 });
          return;
        }
        t = t2;
        ws.send(cmd.text);
      };
      ws.send(cmd.text);
    } else {
      let got = 0;
      const unitsPer = cmd.w === 'bulk' ? MIB : 1;
      const start = performance.now();
      ws.onmessage = () => { if (++got === n) resolve({ seconds: (performance.now() - start) / 1e3, units: n * unitsPer }); };
      for (let i = 0; i < n; i++) ws.send(cmd.w === 'bulk' ? bulk : cmd.text);
    }
  });
}
for (;;) {
  const cmd = await (await fetch('/next', { cache: 'no-store' })).json();
  if (cmd.w === 'stop') break;
  const r = await run(cmd);
  r.crossOriginIsolated = self.crossOriginIsolated;
  await fetch('/result', { method: 'POST', body: JSON.stringify(r) });
}
ws.close();
</script>`;

interface PageResult {
  seconds: number;
  units: number;
  p50?: number;
  p99?: number;
  crossOriginIsolated: boolean;
}

export class ChromiumEcho {
  private server: Server | undefined;
  private proc: ChildProcess | undefined;
  private profileDir: string | undefined;
  private poll: ServerResponse | undefined;
  private pollWaiter: (() => void) | undefined;
  private resultWaiter: ((r: PageResult) => void) | undefined;
  private starting: Promise<void> | undefined;
  /** Set once the page has reported crossOriginIsolated. */
  isolated: boolean | undefined;

  start(wsPort: number): Promise<void> {
    this.starting ??= this.launch(wsPort);
    return this.starting;
  }

  private async launch(wsPort: number): Promise<void> {
    const server = createServer((req, res) => this.handle(req, res));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, LOOPBACK, resolve));
    const addr = server.address();
    const httpPort = typeof addr === 'object' && addr ? addr.port : 0;
    this.profileDir = mkdtempSync(join(tmpdir(), 'wirechat-bench-chromium-'));
    const ready = new Promise<void>((resolve) => (this.pollWaiter = resolve));
    const proc = spawn(CHROMIUM_PATH, [...BENCH_CHROMIUM_ARGS, `--user-data-dir=${this.profileDir}`, `http://${LOOPBACK}:${httpPort}/?port=${wsPort}`], {
      stdio: 'ignore',
    });
    this.proc = proc;
    const died = new Promise<never>((_, reject) => {
      proc.once('error', reject);
      proc.once('exit', (code) => reject(new Error(`chromium exited (${code}) before the page was ready`)));
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`chromium page not ready after ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
    });
    try {
      await Promise.race([ready, died, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    if (req.method === 'GET' && (req.url ?? '').startsWith('/?')) {
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-embedder-policy': 'require-corp',
        'cache-control': 'no-store',
      });
      res.end(PAGE);
    } else if (req.method === 'GET' && req.url === '/next') {
      this.poll = res;
      const w = this.pollWaiter;
      this.pollWaiter = undefined;
      w?.();
    } else if (req.method === 'POST' && req.url === '/result') {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= MAX_RESULT_BYTES) chunks.push(c);
      });
      req.on('end', () => {
        res.writeHead(204).end();
        const r = JSON.parse(Buffer.concat(chunks).toString('utf8')) as PageResult;
        this.isolated = r.crossOriginIsolated;
        const w = this.resultWaiter;
        this.resultWaiter = undefined;
        w?.(r);
      });
    } else {
      res.writeHead(404).end();
    }
  }

  private async nextPoll(): Promise<ServerResponse> {
    if (!this.poll) await new Promise<void>((resolve) => (this.pollWaiter = resolve));
    const p = this.poll!;
    this.poll = undefined;
    return p;
  }

  async run(w: 'pingpong' | 'stream' | 'bulk', n: number, text: string): Promise<Sample> {
    const poll = await this.nextPoll();
    const result = new Promise<PageResult>((resolve) => (this.resultWaiter = resolve));
    poll.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify({ w, n, text }));
    const r = await result;
    if (!r.crossOriginIsolated) throw new Error('bench page is not cross-origin isolated: timer resolution would be coarse');
    const extra: Record<string, number> = {};
    if (r.p50 !== undefined) extra.p50 = r.p50;
    if (r.p99 !== undefined) extra.p99 = r.p99;
    return { seconds: r.seconds, units: r.units, extra };
  }

  async stop(): Promise<void> {
    if (this.poll) this.poll.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ w: 'stop' }));
    this.poll = undefined;
    const proc = this.proc;
    if (proc && proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      proc.kill('SIGTERM');
      await exited;
    }
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    if (this.profileDir) rmSync(this.profileDir, { recursive: true, force: true });
  }
}
