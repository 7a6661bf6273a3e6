// Independent WebSocket servers built on the `ws` package (which we did not write), run in-process
// on 127.0.0.1 port 0. One server serves several behaviours selected by the request path, so a
// test (node:test or a Playwright worker) can reach any of them with one start call:
//
//   /echo (or any unknown path)   echo text as text, binary as binary
//   /ping?payload=TEXT            send a ping with that payload on connect, then echo
//   /close?code=N&reason=TEXT     close with code + reason right after the handshake
//   /close-after-message?code=N   echo the first message, then close with that code
//   /drop                         destroy the TCP connection right after the handshake
//   /drop-after-message           destroy TCP when the first message arrives (no echo)
//   /stream?n=N&size=S&kind=text|binary
//                                 send N numbered messages (padded to S bytes), then echo
//   /silent                       record only, never answer
//
// Server-wide options choose permessage-deflate parameters and supported subprotocols. Everything
// the server saw (upgrade requests with their raw headers, messages, pings, pongs, closes) is
// recorded for assertions.

import { createServer, type IncomingMessage, type Server, type RequestListener } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { once } from 'node:events';
import { WebSocketServer, WebSocket, type PerMessageDeflateOptions, type RawData } from 'ws';
import { Signal, DEFAULT_WAIT_MS } from './wait.ts';

const LOOPBACK = '127.0.0.1';
const DEFAULT_STREAM_SIZE = 16;
/** ws compresses only messages above its threshold; 0 makes every message compressed. */
const COMPRESS_EVERYTHING_THRESHOLD = 0;
const CLOSE_NORMAL = 1000;

export interface DeflateSettings {
  serverNoContextTakeover?: boolean;
  clientNoContextTakeover?: boolean;
  /** 8–15 per RFC 7692 §7.1.2.1 (ws accepts 9–15). */
  serverMaxWindowBits?: number;
  clientMaxWindowBits?: number;
  /** Compress messages of at least this many bytes (default: all). */
  threshold?: number;
}

export interface WsPeerOptions {
  /** permessage-deflate: false/undefined = off, true = ws defaults, object = those settings. */
  deflate?: boolean | DeflateSettings;
  /** Subprotocols the server supports; it selects the first one the client offered that it knows. */
  protocols?: string[];
  /** ws maxPayload (default 100 MiB so large-message tests pass). */
  maxPayload?: number;
  /** Serve wss:// on an https server with this key and certificate (see tls-peer.ts). */
  tls?: { keyPem: string; certPem: string; /** Require client certificates signed by this CA. */ clientCaPem?: string };
  /** Host name put in the returned URLs (default 127.0.0.1; the server always binds 127.0.0.1). */
  urlHost?: string;
}

export interface RecordedUpgrade {
  url: string;
  /** Header name/value pairs exactly as received (names in their original case). */
  rawHeaders: Array<{ name: string; value: string }>;
  /** Lower-cased name → value (node's joined view). */
  headers: IncomingMessage['headers'];
}

export interface ReceivedMessage {
  path: string;
  data: Buffer;
  isBinary: boolean;
}

export interface ServerClose {
  path: string;
  code: number;
  reason: string;
}

export interface WsPeer {
  url: string;
  port: number;
  /** URL of a behaviour path, e.g. peer.urlFor('/stream?n=10'). */
  urlFor(pathAndQuery: string): string;
  upgrades: RecordedUpgrade[];
  readonly lastUpgrade: RecordedUpgrade | undefined;
  received: ReceivedMessage[];
  pings: Buffer[];
  pongs: Buffer[];
  closes: ServerClose[];
  /** Server-side sockets currently connected. */
  clients: Set<WebSocket>;
  /** The Sec-WebSocket-Extensions value the server answered with, per connection (or ''). */
  negotiatedExtensions: string[];
  /** Re-checked after every recorded event. */
  waitFor<T>(check: () => T | undefined | null | false, what: string, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

function deflateOption(deflate: WsPeerOptions['deflate']): PerMessageDeflateOptions | false {
  if (!deflate) return false;
  if (deflate === true) return { threshold: COMPRESS_EVERYTHING_THRESHOLD };
  const opts: PerMessageDeflateOptions = { threshold: deflate.threshold ?? COMPRESS_EVERYTHING_THRESHOLD };
  if (deflate.serverNoContextTakeover !== undefined) opts.serverNoContextTakeover = deflate.serverNoContextTakeover;
  if (deflate.clientNoContextTakeover !== undefined) opts.clientNoContextTakeover = deflate.clientNoContextTakeover;
  if (deflate.serverMaxWindowBits !== undefined) opts.serverMaxWindowBits = deflate.serverMaxWindowBits;
  if (deflate.clientMaxWindowBits !== undefined) opts.clientMaxWindowBits = deflate.clientMaxWindowBits;
  return opts;
}

function streamMessage(i: number, size: number, kind: string): string | Buffer {
  const text = `msg-${i}`.padEnd(size, '.');
  return kind === 'binary' ? Buffer.from(text) : text;
}

export async function startWsPeer(options: WsPeerOptions = {}): Promise<WsPeer> {
  const signal = new Signal();
  const upgrades: RecordedUpgrade[] = [];
  const received: ReceivedMessage[] = [];
  const pings: Buffer[] = [];
  const pongs: Buffer[] = [];
  const closes: ServerClose[] = [];
  const negotiatedExtensions: string[] = [];
  const clients = new Set<WebSocket>();
  const supported = options.protocols ?? [];

  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: deflateOption(options.deflate),
    maxPayload: options.maxPayload ?? 100 * 1024 * 1024,
    handleProtocols: (offered: Set<string>) => {
      for (const p of offered) if (supported.includes(p)) return p;
      return false;
    },
  });
  wss.on('headers', (headers: string[]) => {
    const ext = headers.find((h) => h.toLowerCase().startsWith('sec-websocket-extensions:'));
    negotiatedExtensions.push(ext ? ext.slice(ext.indexOf(':') + 1).trim() : '');
  });

  const plainAnswer: RequestListener = (_req, res) => {
    res.writeHead(426, { 'content-type': 'text/plain' });
    res.end('WebSocket only\n');
  };
  const http: Server = options.tls
    ? createHttpsServer(
        {
          key: options.tls.keyPem,
          cert: options.tls.certPem,
          ...(options.tls.clientCaPem ? { ca: options.tls.clientCaPem, requestCert: true, rejectUnauthorized: true } : {}),
        },
        plainAnswer,
      )
    : createServer(plainAnswer);
  // A client that aborts its TLS handshake (certificate refused) is expected in tests, not a crash.
  http.on('tlsClientError', () => undefined);
  http.on('clientError', (_err, socket) => socket.destroy());
  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const rawHeaders: RecordedUpgrade['rawHeaders'] = [];
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) rawHeaders.push({ name: req.rawHeaders[i], value: req.rawHeaders[i + 1] });
    upgrades.push({ url: req.url ?? '', rawHeaders, headers: req.headers });
    signal.notify();
    socket.on('error', () => socket.destroy());
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws: WebSocket, req: IncomingMessage) => {
    const url = new URL(req.url ?? '/', 'http://peer.invalid');
    const path = url.pathname;
    const q = url.searchParams;
    clients.add(ws);
    ws.on('error', () => undefined); // a client's protocol error is recorded through 'close'
    ws.on('ping', (data) => {
      pings.push(toBuffer(data));
      signal.notify();
    });
    ws.on('pong', (data) => {
      pongs.push(toBuffer(data));
      signal.notify();
    });
    ws.on('close', (code, reason) => {
      clients.delete(ws);
      closes.push({ path, code, reason: reason.toString('utf8') });
      signal.notify();
    });
    let echo = true;
    let messageCount = 0;
    ws.on('message', (data, isBinary) => {
      const buf = toBuffer(data);
      received.push({ path, data: buf, isBinary });
      messageCount++;
      signal.notify();
      if (path === '/drop-after-message') {
        ws.terminate();
        return;
      }
      if (echo && ws.readyState === WebSocket.OPEN) ws.send(buf, { binary: isBinary });
      if (path === '/close-after-message' && messageCount === 1) {
        ws.close(Number(q.get('code') ?? CLOSE_NORMAL), q.get('reason') ?? '');
      }
    });
    switch (path) {
      case '/ping':
        ws.ping(Buffer.from(q.get('payload') ?? '', 'utf8'));
        break;
      case '/close':
        ws.close(Number(q.get('code') ?? CLOSE_NORMAL), q.get('reason') ?? '');
        break;
      case '/drop':
        ws.terminate();
        break;
      case '/drop-after-message':
      case '/silent':
        echo = false;
        break;
      case '/stream': {
        const n = Number(q.get('n') ?? '0');
        const size = Number(q.get('size') ?? DEFAULT_STREAM_SIZE);
        const kind = q.get('kind') ?? 'text';
        for (let i = 0; i < n; i++) ws.send(streamMessage(i, size, kind), { binary: kind === 'binary' });
        break;
      }
      default:
        break;
    }
  });

  http.listen(0, LOOPBACK);
  await once(http, 'listening');
  const address = http.address();
  if (!address || typeof address === 'string') throw new Error('ws peer: no TCP address');
  const port = address.port;
  const base = `${options.tls ? 'wss' : 'ws'}://${options.urlHost ?? LOOPBACK}:${port}`;
  return {
    url: `${base}/echo`,
    port,
    urlFor: (p) => base + p,
    upgrades,
    get lastUpgrade() {
      return upgrades[upgrades.length - 1];
    },
    received,
    pings,
    pongs,
    closes,
    clients,
    negotiatedExtensions,
    waitFor: (check, what, timeoutMs = DEFAULT_WAIT_MS) => signal.waitFor(check, what, timeoutMs),
    stop: async () => {
      for (const ws of clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/** The payload every /stream message i carries, for asserting order and completeness. */
export function expectedStreamMessage(i: number, size = DEFAULT_STREAM_SIZE): string {
  return `msg-${i}`.padEnd(size, '.');
}
