// The local browser host: serves the built renderer and carries every command and event of
// shared/api.ts over HTTP on 127.0.0.1, backed by the same SessionManager as Electron.
//
// Security model (this process opens sockets to any host, so only OUR page may drive it):
//  - binds 127.0.0.1 only;
//  - every /api request must carry the per-launch token (x-wirechat-token, compared in constant
//    time). The page gets it from the URL fragment, which browsers never send to a server;
//  - the event stream (EventSource cannot set headers) is opened with a one-time ticket valid for
//    TICKET_TTL_MS, obtained by POST with the token, so the token never appears in a URL;
//  - a request whose Host is not 127.0.0.1:PORT / localhost:PORT is refused (DNS rebinding), and
//    so is one whose Origin (or Sec-Fetch-Site) shows another site; no CORS header is ever sent;
//  - every response carries the same CSP as Electron plus nosniff; request bodies are capped.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, realpathSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import {
  WEB_API_PREFIX,
  WEB_EVENTS_PATH,
  WEB_EVENTS_TICKET_PATH,
  WEB_TICKET_PARAM,
  WEB_TOKEN_HEADER,
  WEB_TOKEN_FRAGMENT_KEY,
  type EventBatch,
} from '../../shared/api.ts';
import { SECURITY_HEADERS, contentTypeFor, safeRelativePath } from '../../shared/security-headers.ts';
import { isCommandName } from '../../shared/validate.ts';
import { EventBatcher } from '../session/event-batcher.ts';
import { SessionManager, type SessionManagerOptions } from '../session/session-manager.ts';

export const LOOPBACK_HOST = '127.0.0.1';
/** 32 random bytes, hex: the per-launch token. */
export const TOKEN_BYTES = 32;
export const TICKET_BYTES = 16;
/** A ticket must be used within this time (the page fetches it right before opening the stream). */
export const TICKET_TTL_MS = 30_000;
/**
 * Body caps. send/sendRawFrame carry up to 64 MiB of data (shared/validate.ts MAX_SEND_BYTES) as
 * base64 (×4/3) or JSON-escaped text inside JSON, so their cap is 96 MiB; connect may carry PEM
 * files; everything else is a few fields.
 */
export const MAX_SEND_BODY_BYTES = 96 * 1024 * 1024;
export const MAX_CONNECT_BODY_BYTES = 4 * 1024 * 1024;
export const MAX_SMALL_BODY_BYTES = 64 * 1024;
/** SSE comment line every so often keeps proxies and idle timers from closing the stream. */
export const SSE_KEEPALIVE_MS = 15_000;

const HTTP_OK = 200;
const HTTP_BAD_REQUEST = 400;
const HTTP_UNAUTHORIZED = 401;
const HTTP_FORBIDDEN = 403;
const HTTP_NOT_FOUND = 404;
const HTTP_METHOD_NOT_ALLOWED = 405;
const HTTP_PAYLOAD_TOO_LARGE = 413;
const HTTP_UNSUPPORTED_MEDIA_TYPE = 415;
const HTTP_UNAVAILABLE = 503;

export interface WebHostOptions {
  /** 0 (default) = a random free port. */
  port?: number;
  /** Directory with the built renderer (index.html, main.js, …). */
  staticDir: string;
  /** Use this session manager instead of creating one (tests, embedding). */
  manager?: SessionManager;
  sessionOptions?: SessionManagerOptions;
  batchIntervalMs?: number;
}

export interface WebHost {
  readonly port: number;
  readonly token: string;
  /** http://127.0.0.1:PORT */
  readonly origin: string;
  /** The URL to open: origin + "/#token=…". */
  readonly url: string;
  readonly manager: SessionManager;
  /** Close every connection with 1001, end the event streams, stop listening. Idempotent. */
  close(): Promise<void>;
}

function bodyCapFor(command: string): number {
  if (command === 'send' || command === 'sendRawFrame') return MAX_SEND_BODY_BYTES;
  if (command === 'connect') return MAX_CONNECT_BODY_BYTES;
  return MAX_SMALL_BODY_BYTES;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function sendText(res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...extra });
  res.end(text + '\n');
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': String(Buffer.byteLength(body)),
  });
  res.end(body);
}

/** Read a request body up to `cap` bytes; null (after answering 413) when it is larger. */
function readBody(req: IncomingMessage, res: ServerResponse, cap: number): Promise<Buffer | null> {
  const tooLarge = (): null => {
    sendText(res, HTTP_PAYLOAD_TOO_LARGE, `Request body too large: this command accepts at most ${cap} bytes.`, { connection: 'close' });
    // Stop reading the rest; the socket closes after the answer is written.
    req.pause();
    res.once('finish', () => req.socket.destroy());
    return null;
  };
  const declared = Number(headerValue(req, 'content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > cap) return Promise.resolve(tooLarge());
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > cap) {
        done = true;
        resolve(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!done) {
        done = true;
        resolve(Buffer.concat(chunks, size));
      }
    });
    req.on('error', () => {
      if (!done) {
        done = true;
        resolve(null);
      }
    });
  });
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = randomBytes(TOKEN_BYTES).toString('hex');
  const manager = options.manager ?? new SessionManager(options.sessionOptions);
  const tickets = new Map<string, number>();
  const streams = new Set<{ res: ServerResponse; batcher: EventBatcher; stop: () => void }>();
  const staticRoot = realpathSync(options.staticDir);
  let port = 0;
  let closing: Promise<void> | undefined;

  const allowedHosts = (): string[] => [`${LOOPBACK_HOST}:${port}`, `localhost:${port}`];

  /** DNS-rebinding and cross-site checks shared by every request. Returns a refusal reason or null. */
  function refuse(req: IncomingMessage, api: boolean): string | null {
    const host = headerValue(req, 'host');
    if (host === undefined || !allowedHosts().includes(host.toLowerCase())) {
      return `Host ${JSON.stringify(host ?? '')} is not this Wirechat host (${allowedHosts().join(' or ')}).`;
    }
    const origin = headerValue(req, 'origin');
    if (origin !== undefined && origin !== `http://${host.toLowerCase()}`) {
      return `Requests from origin ${JSON.stringify(origin)} are not accepted.`;
    }
    const site = headerValue(req, 'sec-fetch-site');
    if (site !== undefined && site !== 'same-origin' && !(site === 'none' && !api)) {
      return `Cross-site requests (${site}) are not accepted.`;
    }
    return null;
  }

  function hasToken(req: IncomingMessage): boolean {
    const given = headerValue(req, WEB_TOKEN_HEADER);
    return given !== undefined && sameSecret(given, token);
  }

  function issueTicket(): string {
    const now = Date.now();
    for (const [t, exp] of tickets) if (exp <= now) tickets.delete(t);
    const ticket = randomBytes(TICKET_BYTES).toString('hex');
    tickets.set(ticket, now + TICKET_TTL_MS);
    return ticket;
  }

  function redeemTicket(ticket: string | null): boolean {
    if (ticket === null) return false;
    for (const [t, exp] of tickets) {
      if (sameSecret(ticket, t)) {
        tickets.delete(t); // One use only.
        return exp > Date.now();
      }
    }
    return false;
  }

  function openEventStream(res: ServerResponse): void {
    res.writeHead(HTTP_OK, {
      ...SECURITY_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    const batcher = new EventBatcher((batch: EventBatch) => {
      // One EventBatch per SSE message; JSON.stringify escapes newlines, so one data line.
      const ok = res.write(`id: ${batch.batch}\ndata: ${JSON.stringify(batch)}\n\n`);
      if (!ok) {
        // Backpressure: hold batches (bounded, see EventBatcher) until the socket drains.
        batcher.pause();
        res.once('drain', () => batcher.resume());
      }
    }, { intervalMs: options.batchIntervalMs });
    // A new stream (first open or a reconnect) starts from the current state of every connection.
    for (const snapshot of manager.snapshots()) batcher.push({ type: 'connection', snapshot });
    const unsubscribe = manager.subscribe((e) => batcher.push(e));
    const keepalive = setInterval(() => res.write(': keepalive\n\n'), SSE_KEEPALIVE_MS);
    keepalive.unref();
    const entry = {
      res,
      batcher,
      stop: (): void => {
        clearInterval(keepalive);
        unsubscribe();
        batcher.dispose();
        streams.delete(entry);
      },
    };
    streams.add(entry);
    res.on('close', entry.stop);
    // Make the stream visible to the client right away (EventSource 'open').
    res.write(': wirechat events\n\n');
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void> {
    if (path === WEB_EVENTS_PATH) {
      if (req.method !== 'GET') return sendText(res, HTTP_METHOD_NOT_ALLOWED, 'Use GET for the event stream.', { allow: 'GET' });
      if (!redeemTicket(query.get(WEB_TICKET_PARAM))) {
        return sendText(res, HTTP_FORBIDDEN, `A valid one-time ticket is required (POST ${WEB_EVENTS_TICKET_PATH} with the token).`);
      }
      return openEventStream(res);
    }
    if (req.method !== 'POST') return sendText(res, HTTP_METHOD_NOT_ALLOWED, 'API commands use POST.', { allow: 'POST' });
    if (!hasToken(req)) return sendText(res, HTTP_UNAUTHORIZED, `Missing or wrong ${WEB_TOKEN_HEADER}: open the URL Wirechat printed at start-up.`);
    if (path === WEB_EVENTS_TICKET_PATH) return sendJson(res, HTTP_OK, { ok: true, ticket: issueTicket() });
    const command = path.slice(WEB_API_PREFIX.length);
    if (!isCommandName(command)) return sendText(res, HTTP_NOT_FOUND, `Unknown command ${JSON.stringify(command)}.`);
    const type = headerValue(req, 'content-type') ?? '';
    if (!/^application\/json\s*(;|$)/i.test(type)) return sendText(res, HTTP_UNSUPPORTED_MEDIA_TYPE, 'Send the arguments as application/json.');
    const body = await readBody(req, res, bodyCapFor(command));
    if (body === null) return;
    let args: unknown;
    try {
      args = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch {
      return sendJson(res, HTTP_BAD_REQUEST, { ok: false, error: { code: 'INVALID_ARGUMENT', message: 'The request body is not valid JSON.' } });
    }
    sendJson(res, HTTP_OK, await manager.invoke(command, args));
  }

  function serveStatic(req: IncomingMessage, res: ServerResponse, path: string): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, HTTP_METHOD_NOT_ALLOWED, 'Only GET.', { allow: 'GET, HEAD' });
    const rel = safeRelativePath(path);
    if (rel === null) return sendText(res, HTTP_NOT_FOUND, 'Not found.');
    let file: string;
    try {
      // realpath: a symlink inside the renderer folder must not lead outside it either.
      file = realpathSync(join(staticRoot, rel));
      if (!file.startsWith(staticRoot + sep) || !statSync(file).isFile()) throw new Error('outside');
    } catch {
      return sendText(res, HTTP_NOT_FOUND, 'Not found.');
    }
    res.writeHead(HTTP_OK, {
      ...SECURITY_HEADERS,
      'content-type': contentTypeFor(rel) ?? 'application/octet-stream',
      'cache-control': 'no-cache',
    });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file).on('error', () => res.destroy()).pipe(res);
  }

  const server: Server = createServer((req, res) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://placeholder');
    } catch {
      return sendText(res, HTTP_BAD_REQUEST, 'Bad request URL.');
    }
    const api = url.pathname.startsWith(WEB_API_PREFIX) || url.pathname === WEB_EVENTS_PATH;
    const why = refuse(req, api);
    if (why) return sendText(res, HTTP_FORBIDDEN, why);
    if (closing) return sendText(res, HTTP_UNAVAILABLE, 'Wirechat is shutting down.');
    if (req.method === 'OPTIONS') {
      // No CORS, ever: a preflight gets no Access-Control-* header, so the browser refuses.
      return sendText(res, HTTP_FORBIDDEN, 'Cross-origin requests are not accepted.');
    }
    if (api) {
      handleApi(req, res, url.pathname, url.searchParams).catch((e: unknown) => {
        sendJson(res, HTTP_OK, { ok: false, error: { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) } });
      });
      return;
    }
    serveStatic(req, res, url.pathname);
  });
  // Node's default request timeout would cut the SSE stream; the stream has its own keepalive.
  server.requestTimeout = 0;
  server.headersTimeout = 30_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, LOOPBACK_HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://${LOOPBACK_HOST}:${port}`;

  async function doClose(): Promise<void> {
    await manager.closeAll();
    for (const s of [...streams]) {
      s.batcher.flushNow(); // Deliver the final CLOSED snapshots before ending the stream.
      s.stop();
      s.res.end();
    }
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  return {
    port,
    token,
    origin,
    url: `${origin}/#${WEB_TOKEN_FRAGMENT_KEY}=${token}`,
    manager,
    close(): Promise<void> {
      closing ??= doClose();
      return closing;
    },
  };
}
