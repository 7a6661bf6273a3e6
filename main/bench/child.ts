// Echo servers the loopback benchmark runs in ANOTHER process (the bench re-executes itself with
// `--child <role>`), so the server's work never shares an event loop with the client measured.
//   ws-echo  : the `ws` package's WebSocketServer echoing every message (no compression);
//              on /burst?n=N&size=S it first sends N text messages of S bytes
//   tcp-echo : a raw node:net echo of the same bytes — the floor no WebSocket client can beat
// Each prints one line `READY <port>` on stdout and exits when stdin closes (parent gone).
import { createServer } from 'node:net';
import { createRequire } from 'node:module';

const nodeRequire = createRequire(import.meta.url);
const LOOPBACK = '127.0.0.1';
/** The bulk workload echoes 1 MiB messages; leave room above that. */
const MAX_PAYLOAD = 64 * 1024 * 1024;

interface WsLike {
  on(event: 'message', fn: (data: Buffer, isBinary: boolean) => void): void;
  send(data: Buffer | string, opts: { binary: boolean }): void;
}
interface WssLike {
  on(event: 'connection', fn: (ws: WsLike, req: { url?: string }) => void): void;
  on(event: 'listening', fn: () => void): void;
  address(): { port: number };
}

export function runChild(role: string): void {
  process.stdin.resume();
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('close', () => process.exit(0));
  if (role === 'ws-echo') {
    const { WebSocketServer } = nodeRequire('ws') as { WebSocketServer: new (o: object) => WssLike };
    const wss = new WebSocketServer({ host: LOOPBACK, port: 0, perMessageDeflate: false, maxPayload: MAX_PAYLOAD });
    wss.on('connection', (ws, req) => {
      ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
      // /burst?n=N&size=S: N text messages of S bytes at once (the session-layer workload).
      const u = new URL(req.url ?? '/', 'ws://bench');
      if (u.pathname === '/burst') {
        const n = Number(u.searchParams.get('n'));
        const text = 'm'.repeat(Number(u.searchParams.get('size')));
        for (let i = 0; i < n; i++) ws.send(text, { binary: false });
      }
    });
    wss.on('listening', () => process.stdout.write(`READY ${wss.address().port}\n`));
  } else if (role === 'tcp-echo') {
    const server = createServer((s) => {
      s.setNoDelay(true);
      s.on('data', (d) => s.write(d));
      s.on('error', () => s.destroy());
    });
    server.listen(0, LOOPBACK, () => {
      const addr = server.address();
      process.stdout.write(`READY ${typeof addr === 'object' && addr ? addr.port : 0}\n`);
    });
  } else {
    process.stderr.write(`bench child: unknown role ${role}\n`);
    process.exit(2);
  }
}
