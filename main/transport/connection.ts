// The thin transport: binds the sans-I/O core (main/protocol/client-protocol.ts) to a node:net or
// node:tls socket, runs the timers (handshake, close, keepalive), reports backpressure and maps
// socket failures to stable error codes in plain words. No protocol logic lives here.

import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, rootCertificates, TLSSocket, type ConnectionOptions as TlsConnectOptions } from 'node:tls';
import type { CloseInfo, ConnectionState, ConnectOptions, ErrorCode, ErrorRecord, HandshakeRecord } from '../../shared/model.ts';
import { Defaults, MAX_CONTROL_PAYLOAD, Opcode } from '../../shared/protocol-constants.ts';
import { parseWsUrl, type WsUrl } from '../../shared/ws-url.ts';
import { ClientProtocol, type ProtocolEnv, type ProtocolSink } from '../protocol/client-protocol.ts';
import { abnormalError, WirechatError, type ProtocolFault } from '../protocol/errors.ts';
import type { WireFrame, WireMessage } from '../protocol/types.ts';
import { nodeEnv } from './node-env.ts';
import type { Connection, ConnectionEvent, ConnectionListener, RawFrame, SendOptions } from './types.ts';

const MS_PER_SECOND = 1000;
/** Default pong wait when only an interval is given: one interval, at least this long. */
export const MIN_DEFAULT_KEEPALIVE_TIMEOUT_MS = 5_000;
/** Largest delay setTimeout accepts (2^31 − 1 ms); longer values fire at once. */
const MAX_TIMER_MS = 2_147_483_647;

export { WirechatError };

/** Options checked and defaulted (everything a user typed is validated before a socket opens). */
interface Resolved {
  url: WsUrl;
  handshakeTimeoutMs: number;
  closeTimeoutMs: number;
  keepaliveIntervalMs: number;
  keepaliveTimeoutMs: number;
}

function positiveMs(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_TIMER_MS) {
    throw new WirechatError('INVALID_OPTIONS', `${name} must be a positive number of milliseconds (got ${String(value)})`);
  }
  return value;
}

function nonNegativeSeconds(value: number | undefined, name: string): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value * MS_PER_SECOND > MAX_TIMER_MS) {
    throw new WirechatError('INVALID_OPTIONS', `${name} must be a non-negative number of seconds (got ${String(value)})`);
  }
  return value * MS_PER_SECOND;
}

/** Validate options the way connect() does, without opening anything. Throws WirechatError. */
export function resolveOptions(options: ConnectOptions): Resolved {
  if (typeof options !== 'object' || options === null || typeof options.url !== 'string') {
    throw new WirechatError('INVALID_OPTIONS', 'Connection options need a url string');
  }
  const parsed = parseWsUrl(options.url);
  if (!parsed.ok) throw new WirechatError('INVALID_URL', parsed.message);
  const keepaliveIntervalMs = nonNegativeSeconds(options.keepaliveIntervalSec, 'keepaliveIntervalSec');
  const keepaliveTimeoutMs = nonNegativeSeconds(options.keepaliveTimeoutSec, 'keepaliveTimeoutSec');
  return {
    url: parsed.url,
    handshakeTimeoutMs: positiveMs(options.handshakeTimeoutMs, Defaults.handshakeTimeoutMs, 'handshakeTimeoutMs'),
    closeTimeoutMs: positiveMs(options.closeTimeoutMs, Defaults.closeTimeoutMs, 'closeTimeoutMs'),
    keepaliveIntervalMs,
    // No separate timeout given: wait one interval for the pong, but never less than
    // MIN_DEFAULT_KEEPALIVE_TIMEOUT_MS (a busy machine or server must not fail a short interval).
    keepaliveTimeoutMs: keepaliveIntervalMs > 0 && keepaliveTimeoutMs === 0 ? Math.max(keepaliveIntervalMs, MIN_DEFAULT_KEEPALIVE_TIMEOUT_MS) : keepaliveTimeoutMs,
  };
}

/** Socket error → stable code and a sentence a user understands. */
export function describeSocketError(err: Error & { code?: string }, url: WsUrl): ProtocolFault {
  const where = `${url.host.includes(':') ? `[${url.host}]` : url.host}:${url.port}`;
  const code = err.code ?? '';
  const plain = (c: ErrorCode, m: string): ProtocolFault => abnormalError(c, m);
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
    case 'EAI_FAIL':
      return plain('DNS', `Could not find the host "${url.host}" (DNS lookup failed: ${code})`);
    case 'ECONNREFUSED':
      return plain('REFUSED', `Connection refused by ${where}: nothing is listening on that port`);
    case 'ETIMEDOUT':
      return plain('TIMEOUT', `Connecting to ${where} timed out`);
    case 'ECONNRESET':
      return plain('NETWORK', `The connection to ${where} was reset by the server`);
    case 'EPIPE':
      return plain('NETWORK', `The connection to ${where} was closed while we were writing`);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return plain('NETWORK', `${where} cannot be reached from this machine (${code})`);
    default:
      break;
  }
  if (isTlsError(err)) return plain('TLS', `TLS with ${where} failed: ${tlsReason(err)}`);
  return plain('NETWORK', `Network error with ${where}: ${err.message}`);
}

const TLS_CERT_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'CERT_UNTRUSTED', 'CERT_REVOKED',
  'CERT_SIGNATURE_FAILURE', 'CERT_REJECTED', 'ERR_TLS_CERT_ALTNAME_INVALID', 'HOSTNAME_MISMATCH', 'INVALID_CA',
]);

function isTlsError(err: Error & { code?: string; library?: string }): boolean {
  const code = err.code ?? '';
  return TLS_CERT_CODES.has(code) || code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || err.library === 'SSL routines' || /SSL|TLS/.test(err.message);
}

function tlsReason(err: Error & { code?: string }): string {
  switch (err.code) {
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
      return 'the server certificate is self-signed and not trusted (add its CA, or turn verification off)';
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return 'the server certificate was issued by an unknown CA (add the CA certificate, or turn verification off)';
    case 'CERT_HAS_EXPIRED':
      return 'the server certificate has expired';
    case 'CERT_NOT_YET_VALID':
      return 'the server certificate is not valid yet';
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `the certificate does not match the host name (${err.message})`;
    default:
      return `${err.message}${err.code ? ` (${err.code})` : ''}`;
  }
}

/** ErrorRecord.message is one sentence: raw OpenSSL / system texts may carry line breaks. */
function oneLine(message: string): string {
  return message.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

function toRecord(f: ProtocolFault, time: number): ErrorRecord {
  return { code: f.code, message: oneLine(f.message), closeCode: f.closeCode, time };
}

class TcpConnection implements Connection {
  readonly options: ConnectOptions;
  private readonly resolved: Resolved;
  private readonly env: ProtocolEnv;
  private readonly core: ClientProtocol;
  private readonly listeners = new Set<ConnectionListener>();
  private socket: Socket | TLSSocket | null = null;
  private handshakeTimer: NodeJS.Timeout | null = null;
  private closeTimer: NodeJS.Timeout | null = null;
  private destroyTimer: NodeJS.Timeout | null = null;
  private keepaliveTimer: NodeJS.Timeout | null = null;
  private pongTimer: NodeJS.Timeout | null = null;
  private keepaliveCount = 0;
  private needDrain = false;
  private connectedAt = 0;

  constructor(options: ConnectOptions, env: ProtocolEnv) {
    this.options = options;
    this.env = env;
    this.resolved = resolveOptions(options);
    const sink: ProtocolSink = {
      write: (data) => this.write(data),
      onState: (state, close) => this.onCoreState(state, close),
      onHandshake: (handshake) => this.emit({ type: 'handshake', handshake }),
      onFrame: (frame) => this.onCoreFrame(frame),
      onMessage: (message: WireMessage) => this.emit({ type: 'message', message }),
      onError: (fault) => this.emit({ type: 'error', error: toRecord(fault, this.env.now()) }),
      backlog: () => this.bufferedAmount,
    };
    // Throws WirechatError for invalid headers / subprotocols before any socket exists.
    this.core = new ClientProtocol(
      {
        url: this.resolved.url,
        protocols: options.protocols,
        headers: options.headers,
        origin: options.origin,
        deflate: options.deflate ?? true,
        autoPong: options.autoPong ?? true,
        maxMessageBytes: options.maxMessageBytes,
      },
      env,
      sink,
    );
    this.open();
  }

  get state(): ConnectionState {
    return this.core.state;
  }

  get bufferedAmount(): number {
    return this.socket?.writableLength ?? 0;
  }

  get handshake(): HandshakeRecord | undefined {
    return this.core.handshake;
  }

  on(listener: ConnectionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: ConnectionEvent): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch (e) {
        // A faulty listener must not corrupt the protocol state machine; report and carry on.
        console.error('wirechat: connection listener threw', e);
      }
    }
  }

  // ------------------------------------------------------------------ socket lifecycle

  private open(): void {
    const { url, handshakeTimeoutMs } = this.resolved;
    const startedAt = this.core.handshake.timings.startedAt;
    this.handshakeTimer = setTimeout(() => this.onHandshakeTimeout(), handshakeTimeoutMs);
    let socket: Socket | TLSSocket;
    if (url.secure) {
      const t = this.options.tls;
      const tlsOpts: TlsConnectOptions = {
        host: url.host,
        port: url.port,
        rejectUnauthorized: t?.verify ?? true,
        ALPNProtocols: ['http/1.1'],
      };
      // SNI only for names (RFC 6066 §3: literal IP addresses are not permitted in server_name).
      const servername = t?.servername ?? (isIP(url.host) === 0 ? url.host : undefined);
      if (servername !== undefined && servername !== '') tlsOpts.servername = servername;
      if (t?.caPem) tlsOpts.ca = [...rootCertificates, t.caPem];
      if (t?.certPem) tlsOpts.cert = t.certPem;
      if (t?.keyPem) tlsOpts.key = t.keyPem;
      const s = tlsConnect(tlsOpts);
      s.once('secureConnect', () => this.onSecure(s));
      socket = s;
    } else {
      socket = netConnect({ host: url.host, port: url.port });
    }
    this.socket = socket;
    socket.setNoDelay(true);
    socket.once('connect', () => {
      this.connectedAt = this.env.now();
      const rec = this.core.handshake;
      rec.timings.tcpMs = this.connectedAt - startedAt;
      rec.remoteAddress = socket.remoteAddress;
      rec.remotePort = socket.remotePort;
      if (!url.secure) this.core.start();
    });
    socket.on('data', (chunk: Buffer) => this.core.receiveData(chunk));
    socket.on('end', () => this.core.receiveEof());
    socket.on('close', () => this.onSocketClose());
    socket.on('error', (err: Error & { code?: string }) => this.onSocketError(err));
    socket.on('drain', () => {
      this.core.drained();
      if (this.needDrain) {
        this.needDrain = false;
        this.emit({ type: 'drain' });
      }
    });
  }

  private onSecure(s: TLSSocket): void {
    const rec = this.core.handshake;
    rec.timings.tlsMs = this.env.now() - this.connectedAt;
    const cert = s.getPeerCertificate();
    const subject = cert && typeof cert === 'object' && cert.subject ? cert.subject.CN : undefined;
    rec.tls = {
      protocol: s.getProtocol() ?? undefined,
      cipher: s.getCipher()?.name,
      authorized: s.authorized,
      authorizationError: s.authorizationError ? String(s.authorizationError) : undefined,
      peerSubject: Array.isArray(subject) ? subject.join(', ') : subject,
    };
    this.core.start();
  }

  private write(data: Uint8Array): void {
    const s = this.socket;
    if (s === null || s.destroyed || !s.writable) return;
    // No cork/uncork batching: while one write is in flight Node already gathers the following ones
    // into a single writev, and corking would change what a peer sees in one read (frames and a
    // close frame merged), which some servers' echo timing depends on.
    if (!s.write(data)) this.needDrain = true;
  }

  private onSocketError(err: Error & { code?: string }): void {
    const fault = describeSocketError(err, this.resolved.url);
    this.socket?.destroy();
    this.core.abort(fault);
  }

  private onSocketClose(): void {
    this.core.receiveEof();
    this.clearTimers();
    if (this.destroyTimer !== null) {
      clearTimeout(this.destroyTimer);
      this.destroyTimer = null;
    }
  }

  /**
   * Abort an unresponsive connection with a TCP RST (resetAndDestroy) rather than a FIN: a peer
   * that stopped reading would never notice a FIN. Not possible for TLS sockets or while the TCP
   * connect is still pending; then a plain destroy.
   */
  private abortSocket(): void {
    const s = this.socket;
    if (s === null || s.destroyed) return;
    if (!s.connecting && !(s instanceof TLSSocket)) {
      try {
        s.resetAndDestroy();
        return;
      } catch {
        // fall through: a handle type that cannot reset
      }
    }
    s.destroy();
  }

  private onHandshakeTimeout(): void {
    this.handshakeTimer = null;
    if (this.core.state !== 'CONNECTING') return;
    const { url, handshakeTimeoutMs } = this.resolved;
    const phase = this.core.handshake.requestText === '' ? 'connecting to' : 'waiting for the handshake response from';
    const code: ErrorCode = this.core.handshake.requestText === '' ? 'TIMEOUT' : 'HANDSHAKE_TIMEOUT';
    this.abortSocket();
    this.core.abort(abnormalError(code, `Timed out after ${handshakeTimeoutMs} ms ${phase} ${url.hostHeader}`));
  }

  private onCoreState(state: ConnectionState, close: CloseInfo | undefined): void {
    if (state !== 'CONNECTING' && this.handshakeTimer !== null) {
      clearTimeout(this.handshakeTimer);
      this.handshakeTimer = null;
    }
    if (state === 'OPEN') this.startKeepalive();
    if (state === 'CLOSING') {
      this.stopKeepalive();
      // RFC 6455 §7.1.1: the server should close TCP after the close handshake; wait a bounded time.
      this.closeTimer = setTimeout(() => {
        this.closeTimer = null;
        this.abortSocket();
        this.core.closeTimeout();
      }, this.resolved.closeTimeoutMs);
    }
    if (state === 'CLOSED') {
      this.clearTimers();
      const s = this.socket;
      if (s !== null && !s.destroyed) {
        if (close !== undefined && close.code === 1006 && !close.wasClean) {
          s.destroy();
        } else {
          // Flush what we wrote (a failure's close frame), then FIN; force it if the peer stalls.
          s.end();
          this.destroyTimer = setTimeout(() => {
            this.destroyTimer = null;
            this.abortSocket();
          }, this.resolved.closeTimeoutMs);
        }
      }
    }
    this.emit(close === undefined ? { type: 'state', state } : { type: 'state', state, close });
  }

  private onCoreFrame(frame: WireFrame): void {
    // Any pong proves the server is alive (RFC 6455 §5.5.3 allows unsolicited pongs too).
    if (frame.dir === 'in' && frame.opcode === Opcode.Pong && this.pongTimer !== null) {
      clearTimeout(this.pongTimer);
      this.pongTimer = null;
    }
    this.emit({ type: 'frame', frame });
  }

  // ------------------------------------------------------------------ keepalive

  /**
   * Keepalive: a ping every interval; no pong within the timeout → KEEPALIVE_TIMEOUT and the TCP
   * connection is dropped, reported as 1006. We do not start a close handshake: a peer that does
   * not answer pings will not answer a close frame either, and waiting for it would only add the
   * close timeout on top.
   */
  private startKeepalive(): void {
    const { keepaliveIntervalMs, keepaliveTimeoutMs } = this.resolved;
    if (keepaliveIntervalMs <= 0) return;
    this.keepaliveTimer = setInterval(() => {
      if (this.core.state !== 'OPEN' || this.pongTimer !== null) return;
      const payload = new TextEncoder().encode(`wirechat-keepalive-${++this.keepaliveCount}`).subarray(0, MAX_CONTROL_PAYLOAD);
      this.core.ping(payload);
      this.pongTimer = setTimeout(() => {
        this.pongTimer = null;
        if (this.core.state !== 'OPEN' && this.core.state !== 'CLOSING') return;
        this.abortSocket();
        this.core.abort(abnormalError('KEEPALIVE_TIMEOUT', `No pong from ${this.resolved.url.hostHeader} within ${keepaliveTimeoutMs} ms of our ping; the connection was dropped`));
      }, keepaliveTimeoutMs);
    }, keepaliveIntervalMs);
  }

  private stopKeepalive(): void {
    if (this.keepaliveTimer !== null) clearInterval(this.keepaliveTimer);
    if (this.pongTimer !== null) clearTimeout(this.pongTimer);
    this.keepaliveTimer = null;
    this.pongTimer = null;
  }

  private clearTimers(): void {
    if (this.handshakeTimer !== null) clearTimeout(this.handshakeTimer);
    if (this.closeTimer !== null) clearTimeout(this.closeTimer);
    this.handshakeTimer = null;
    this.closeTimer = null;
    this.stopKeepalive();
  }

  // ------------------------------------------------------------------ API

  sendText(text: string, options?: SendOptions): number {
    this.core.sendText(text, options?.fragmentSize);
    return this.bufferedAmount;
  }

  sendBinary(data: Uint8Array, options?: SendOptions): number {
    this.core.sendBinary(data, options?.fragmentSize);
    return this.bufferedAmount;
  }

  ping(payload?: Uint8Array): number {
    this.core.ping(payload);
    return this.bufferedAmount;
  }

  pong(payload?: Uint8Array): number {
    this.core.pong(payload);
    return this.bufferedAmount;
  }

  sendRawFrame(frame: RawFrame): number {
    this.core.sendRawFrame(frame);
    return this.bufferedAmount;
  }

  close(code?: number, reason?: string): void {
    // While CONNECTING the core cancels the attempt (reported as 1006 initiated by us, no error)
    // and onCoreState destroys the socket.
    this.core.close(code, reason);
  }

  goingAway(): void {
    this.core.goingAway();
  }

  terminate(): void {
    this.socket?.destroy();
    this.core.terminate();
  }
}

/**
 * Open a WebSocket client connection. Invalid options (URL, headers, subprotocols, timeouts)
 * throw a WirechatError (INVALID_URL / INVALID_HEADER / INVALID_OPTIONS) synchronously; everything
 * after that arrives as events, starting on a later tick, so listeners added right after connect()
 * see every event.
 */
export function connect(options: ConnectOptions, env: ProtocolEnv = nodeEnv): Connection {
  return new TcpConnection(options, env);
}
