// A raw node:net server for hostile-server tests. Each accepted connection runs a test-supplied
// script that reads the client's request bytes, writes whatever bytes it likes (a valid 101, a bad
// one, frames that break the rules) and observes every byte the client sends after its request,
// decoded into frames, so a test can assert exactly what the client put on the wire.

import { createServer, type Server, type Socket } from 'node:net';
import { once } from 'node:events';
import { acceptFor, decodeFrames, encodeFrame, type DecodedFrame, type FrameSpec } from './frames.ts';
import { Signal, DEFAULT_WAIT_MS } from './wait.ts';

const HEADER_END = Buffer.from('\r\n\r\n', 'latin1');
const CRLF = '\r\n';
const LOOPBACK = '127.0.0.1';

export interface RawHeader {
  name: string;
  value: string;
}

export interface RawRequest {
  /** The exact header block bytes, CRLFCRLF included. */
  raw: Buffer;
  text: string;
  requestLine: string;
  headers: RawHeader[];
  /** Values of every header with this name (case-insensitive), in order. */
  all(name: string): string[];
  /** The single value of a header, or undefined; several occurrences are joined by ", ". */
  get(name: string): string | undefined;
}

function parseRequest(raw: Buffer): RawRequest {
  const text = raw.toString('latin1');
  const lines = text.slice(0, text.length - HEADER_END.length).split(CRLF);
  const requestLine = lines[0] ?? '';
  const headers: RawHeader[] = [];
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) {
      headers.push({ name: line, value: '' });
      continue;
    }
    headers.push({ name: line.slice(0, colon), value: line.slice(colon + 1).trim() });
  }
  const all = (name: string): string[] =>
    headers.filter((h) => h.name.toLowerCase() === name.toLowerCase()).map((h) => h.value);
  return {
    raw,
    text,
    requestLine,
    headers,
    all,
    get: (name) => {
      const v = all(name);
      return v.length ? v.join(', ') : undefined;
    },
  };
}

export interface AcceptOptions {
  protocol?: string;
  extensions?: string;
  /** Extra header lines, e.g. "X-Test: 1". */
  headers?: string[];
  /** Bytes appended in the same write as the 101 (frames right after the handshake). */
  trailing?: Uint8Array;
}

export class RawConnection {
  readonly socket: Socket;
  readonly index: number;
  #buffer = Buffer.alloc(0);
  #request: RawRequest | undefined;
  /** Bytes the client sent after its request header block. */
  #after = Buffer.alloc(0);
  #frames: DecodedFrame[] = [];
  #consumed = 0;
  #decodeError: Error | undefined;
  #ended = false;
  #signal = new Signal();

  constructor(socket: Socket, index: number) {
    this.socket = socket;
    this.index = index;
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    const onGone = (): void => {
      this.#ended = true;
      this.#signal.notify();
    };
    socket.on('end', onGone);
    socket.on('close', onGone);
    // A client that resets the connection is an outcome to observe, not a crash.
    socket.on('error', onGone);
  }

  #onData(chunk: Buffer): void {
    if (!this.#request) {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      const end = this.#buffer.indexOf(HEADER_END);
      if (end < 0) {
        this.#signal.notify();
        return;
      }
      const headerBytes = this.#buffer.subarray(0, end + HEADER_END.length);
      this.#request = parseRequest(Buffer.from(headerBytes));
      this.#after = Buffer.from(this.#buffer.subarray(end + HEADER_END.length));
      this.#buffer = Buffer.alloc(0);
    } else {
      this.#after = Buffer.concat([this.#after, chunk]);
    }
    this.#decode();
    this.#signal.notify();
  }

  #decode(): void {
    if (this.#decodeError) return;
    try {
      const { frames, consumed } = decodeFrames(this.#after.subarray(this.#consumed));
      this.#frames.push(...frames);
      this.#consumed += consumed;
    } catch (err) {
      this.#decodeError = err instanceof Error ? err : new Error(String(err));
    }
  }

  /** Everything the client sent before its header block completed (for partial-request tests). */
  get pendingRequestBytes(): Buffer {
    return this.#buffer;
  }

  get request(): RawRequest | undefined {
    return this.#request;
  }

  /** Every byte the client sent after the request. */
  get received(): Buffer {
    return this.#after;
  }

  /** Client frames decoded so far (complete frames only). */
  get frames(): readonly DecodedFrame[] {
    return this.#frames;
  }

  /** True once the client closed or reset its side of the TCP connection. */
  get ended(): boolean {
    return this.#ended;
  }

  /** Resolve with the client's request once its header block is complete. */
  readRequest(timeoutMs = DEFAULT_WAIT_MS): Promise<RawRequest> {
    return this.#signal.waitFor(() => this.#request ?? (this.#ended ? this.#fail('client left before its request') : undefined), 'the client request', timeoutMs);
  }

  #fail(message: string): never {
    throw new Error(message);
  }

  write(bytes: Uint8Array | string): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.socket.destroyed) {
        reject(new Error('raw peer: socket already destroyed'));
        return;
      }
      this.socket.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes, (err) => (err ? reject(err) : resolve()));
    });
  }

  /** Build a valid 101 response for the request (plus whatever the options add). */
  response101(request: RawRequest, options: AcceptOptions = {}): string {
    const key = request.get('sec-websocket-key') ?? '';
    const lines = [
      'HTTP/1.1 101 Switching Protocols',
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Accept: ${acceptFor(key)}`,
    ];
    if (options.protocol !== undefined) lines.push(`Sec-WebSocket-Protocol: ${options.protocol}`);
    if (options.extensions !== undefined) lines.push(`Sec-WebSocket-Extensions: ${options.extensions}`);
    lines.push(...(options.headers ?? []));
    return lines.join(CRLF) + CRLF + CRLF;
  }

  /** Read the request and answer with a valid 101 (RFC 6455 §4.2.2). */
  async accept(options: AcceptOptions = {}): Promise<RawRequest> {
    const request = await this.readRequest();
    const head = Buffer.from(this.response101(request, options), 'latin1');
    await this.write(options.trailing ? Buffer.concat([head, options.trailing]) : head);
    return request;
  }

  sendFrame(spec: FrameSpec): Promise<void> {
    return this.write(encodeFrame(spec));
  }

  /** Wait for the first client frame (at or after index `from`) matching `predicate`. */
  waitForFrame(predicate: (f: DecodedFrame) => boolean, what: string, from = 0, timeoutMs = DEFAULT_WAIT_MS): Promise<DecodedFrame> {
    return this.#signal.waitFor(() => {
      if (this.#decodeError) throw this.#decodeError;
      const found = this.#frames.slice(from).find(predicate);
      if (!found && this.#ended) this.#fail(`client closed TCP before ${what}`);
      return found;
    }, what, timeoutMs);
  }

  /** Wait until at least `n` client frames were decoded. */
  waitForFrameCount(n: number, timeoutMs = DEFAULT_WAIT_MS): Promise<readonly DecodedFrame[]> {
    return this.#signal.waitFor(() => {
      if (this.#decodeError) throw this.#decodeError;
      if (this.#frames.length >= n) return this.#frames;
      if (this.#ended) this.#fail(`client closed TCP after ${this.#frames.length} of ${n} frame(s)`);
      return undefined;
    }, `${n} client frame(s)`, timeoutMs);
  }

  /** Wait for the client's close frame (opcode 0x8). */
  waitForClose(timeoutMs = DEFAULT_WAIT_MS): Promise<DecodedFrame> {
    return this.waitForFrame((f) => f.opcode === 0x8, 'the client close frame', 0, timeoutMs);
  }

  /** Wait until the client closed its side of TCP. */
  waitForEnd(timeoutMs = DEFAULT_WAIT_MS): Promise<true> {
    return this.#signal.waitFor(() => this.#ended, 'the client to close TCP', timeoutMs);
  }

  /** Wait until some condition on this connection holds (re-checked on every byte and on end). */
  waitUntil<T>(check: () => T | undefined | null | false, what: string, timeoutMs = DEFAULT_WAIT_MS): Promise<T> {
    return this.#signal.waitFor(check, what, timeoutMs);
  }

  /** Half-close our side (FIN). */
  end(): void {
    this.socket.end();
  }

  destroy(): void {
    this.socket.destroy();
  }
}

export type RawScript = (conn: RawConnection) => void | Promise<void>;

export interface RawPeer {
  url: string;
  port: number;
  connections: RawConnection[];
  /** Errors thrown by the per-connection script (a test should assert this stays empty). */
  scriptErrors: Error[];
  /** Resolve with the n-th (1-based) connection once accepted. */
  waitForConnection(n?: number, timeoutMs?: number): Promise<RawConnection>;
  /** Resolve once the script for the n-th connection has finished (rejects with its error). */
  scriptDone(n?: number, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** Start a raw TCP server on 127.0.0.1, port 0; `script` runs for each connection. */
export async function startRawPeer(script: RawScript, path = '/'): Promise<RawPeer> {
  const connections: RawConnection[] = [];
  const scriptErrors: Error[] = [];
  const done: Array<{ ok: boolean; error?: Error }> = [];
  const signal = new Signal();
  const server: Server = createServer((socket) => {
    const conn = new RawConnection(socket, connections.length);
    connections.push(conn);
    signal.notify();
    Promise.resolve()
      .then(() => script(conn))
      .then(
        () => {
          done[conn.index] = { ok: true };
          signal.notify();
        },
        (err: unknown) => {
          const error = err instanceof Error ? err : new Error(String(err));
          scriptErrors.push(error);
          done[conn.index] = { ok: false, error };
          signal.notify();
        },
      );
  });
  server.listen(0, LOOPBACK);
  await once(server, 'listening');
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('raw peer: no TCP address');
  const port = address.port;
  return {
    url: `ws://${LOOPBACK}:${port}${path}`,
    port,
    connections,
    scriptErrors,
    waitForConnection: (n = 1, timeoutMs = DEFAULT_WAIT_MS) =>
      signal.waitFor(() => connections[n - 1], `raw peer connection #${n}`, timeoutMs),
    scriptDone: async (n = 1, timeoutMs = DEFAULT_WAIT_MS) => {
      const result = await signal.waitFor(() => done[n - 1], `raw peer script #${n} to finish`, timeoutMs);
      if (!result.ok) throw result.error;
    },
    stop: async () => {
      for (const c of connections) c.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
