// Records that cross the process boundary (Electron IPC structured clone, or JSON over HTTP for
// the browser host). Every record here is plain JSON: no Uint8Array, no Date, no class instances.
// Binary data travels as base64 so both transports carry the very same objects.

export type ConnectionId = string;

export type ConnectionState = 'CONNECTING' | 'OPEN' | 'CLOSING' | 'CLOSED';

export interface HeaderEntry {
  name: string;
  value: string;
}

export interface TlsOptions {
  /** Verify the server certificate chain and host name (default true). */
  verify: boolean;
  /** Extra trusted CA certificates, PEM text (added to the system roots). */
  caPem?: string;
  /** Client certificate + key, PEM text. */
  certPem?: string;
  keyPem?: string;
  /** SNI / certificate host name override. */
  servername?: string;
}

/** Everything a user can choose for one connection. Validated in main before use. */
export interface ConnectOptions {
  url: string;
  /** Offered subprotocols, in preference order (Sec-WebSocket-Protocol). */
  protocols?: string[];
  /** Extra request headers (Authorization, Cookie, …). Handshake-breaking names are refused. */
  headers?: HeaderEntry[];
  origin?: string;
  /** Offer permessage-deflate (default true). */
  deflate?: boolean;
  tls?: TlsOptions;
  /** Answer pings automatically (default true). */
  autoPong?: boolean;
  /** Send a ping every N seconds (0/undefined = off); fail if no pong within keepaliveTimeoutSec. */
  keepaliveIntervalSec?: number;
  keepaliveTimeoutSec?: number;
  maxMessageBytes?: number;
  handshakeTimeoutMs?: number;
  closeTimeoutMs?: number;
  /** Label shown on the tab (defaults to host:port/path). */
  label?: string;
}

export interface PayloadPreview {
  /** base64 of the first `previewBytes` bytes of the payload (unmasked / inflated as stated). */
  base64: string;
  /** Total length of the payload this previews. */
  length: number;
  truncated: boolean;
}

export type Direction = 'in' | 'out';

/** One frame on the wire, either direction, control frames included. */
export interface FrameRecord {
  /** Per-connection sequence number, starting at 1; also the key for fetching the full payload. */
  seq: number;
  dir: Direction;
  /** Wall-clock time in ms since the epoch, with sub-ms fraction. */
  time: number;
  fin: boolean;
  rsv1: boolean;
  rsv2: boolean;
  rsv3: boolean;
  opcode: number;
  masked: boolean;
  /** Hex of the 4-byte masking key, or null when unmasked. */
  maskKey: string | null;
  headerLength: number;
  /** Payload length as on the wire (compressed length for compressed frames). */
  payloadLength: number;
  /** Unmasked wire payload preview. */
  payload: PayloadPreview;
  /** Set on the first frame of a compressed message: RSV1 set with permessage-deflate. */
  compressed?: boolean;
  /** For the frame that completes a compressed message: inflated (or pre-deflate) size. */
  inflatedLength?: number;
  /** Message this frame belongs to (data frames), for grouping fragments. */
  messageSeq?: number;
  /** 0-based index of this frame within its message, and whether it is the last one. */
  fragmentIndex?: number;
  /** True for frames crafted by hand with the raw frame writer. */
  crafted?: boolean;
}

export type MessageKind = 'text' | 'binary';

/** A reassembled (and inflated) data message, either direction. */
export interface MessageRecord {
  seq: number;
  dir: Direction;
  time: number;
  kind: MessageKind;
  /** Total payload length after inflation. */
  length: number;
  /** Length on the wire (sum of frame payload lengths; differs when compressed). */
  wireLength: number;
  compressed: boolean;
  frameCount: number;
  /** For text: the first `previewBytes` worth of the text (cut on a character boundary). */
  text?: string;
  /** For binary: preview of the bytes. */
  preview?: PayloadPreview;
  /** True when `text`/`preview` does not hold the whole message. */
  truncated: boolean;
}

export interface HandshakeTimings {
  /** ms from start to TCP connected. */
  tcpMs?: number;
  /** ms from TCP connected to TLS secure (wss only). */
  tlsMs?: number;
  /** ms from request written to response complete. */
  handshakeMs?: number;
  /** Wall-clock start, ms since the epoch. */
  startedAt: number;
}

export interface HandshakeRecord {
  /** Exact request bytes as sent (latin1/ASCII text of the header block). */
  requestText: string;
  /** Exact response header block as received (may be partial on failure). */
  responseText: string;
  statusCode?: number;
  statusText?: string;
  requestHeaders: HeaderEntry[];
  responseHeaders: HeaderEntry[];
  /** Subprotocol the server selected, if any. */
  protocol?: string;
  /** Negotiated extensions as the server stated them, e.g. "permessage-deflate; client_max_window_bits=15". */
  extensions?: string;
  deflate?: DeflateParams;
  timings: HandshakeTimings;
  remoteAddress?: string;
  remotePort?: number;
  tls?: { protocol?: string; cipher?: string; authorized: boolean; authorizationError?: string; peerSubject?: string };
}

export interface DeflateParams {
  serverNoContextTakeover: boolean;
  clientNoContextTakeover: boolean;
  serverMaxWindowBits: number;
  clientMaxWindowBits: number;
}

/** Stable error codes. Protocol faults carry the close code they led to. */
export type ErrorCode =
  | 'INVALID_URL'
  | 'INVALID_OPTIONS'
  | 'INVALID_HEADER'
  | 'DNS'
  | 'REFUSED'
  | 'TIMEOUT'
  | 'NETWORK'
  | 'TLS'
  | 'HANDSHAKE_STATUS'
  | 'HANDSHAKE_UPGRADE'
  | 'HANDSHAKE_CONNECTION'
  | 'HANDSHAKE_ACCEPT'
  | 'HANDSHAKE_PROTOCOL'
  | 'HANDSHAKE_EXTENSION'
  | 'HANDSHAKE_TOO_LARGE'
  | 'HANDSHAKE_MALFORMED'
  | 'HANDSHAKE_TIMEOUT'
  | 'PROTOCOL'
  | 'INVALID_UTF8'
  | 'MESSAGE_TOO_BIG'
  | 'CLOSE_TIMEOUT'
  | 'KEEPALIVE_TIMEOUT'
  | 'NOT_OPEN'
  | 'UNKNOWN_CONNECTION'
  | 'INVALID_ARGUMENT'
  | 'NOT_FOUND'
  | 'INTERNAL';

export interface ErrorRecord {
  code: ErrorCode;
  /** One human sentence; for handshake failures it includes the status line. */
  message: string;
  /** Close code the failure led to (1002, 1007, 1009, 1006 …), if any. */
  closeCode?: number;
  time: number;
}

export interface CloseInfo {
  code: number;
  reason: string;
  wasClean: boolean;
  /** Who started the close: us, the server, or nobody (TCP loss / failure). */
  initiatedBy: 'client' | 'server' | 'none';
}

export interface ConnectionSnapshot {
  id: ConnectionId;
  label: string;
  options: ConnectOptions;
  state: ConnectionState;
  /** ms since epoch when OPEN was reached. */
  openedAt?: number;
  closedAt?: number;
  close?: CloseInfo;
  lastError?: ErrorRecord;
  handshake?: HandshakeRecord;
  /** Counters for the status bar (cheap to keep exact even when logs are rings). */
  stats: ConnectionStats;
}

export interface ConnectionStats {
  framesIn: number;
  framesOut: number;
  messagesIn: number;
  messagesOut: number;
  bytesIn: number;
  bytesOut: number;
  /** Bytes queued in the socket not yet flushed (backpressure). */
  bufferedAmount: number;
}

/**
 * A frame described field by field for the raw frame writer ("crafted frames").
 * Payload is base64 (unmasked; the writer masks it with maskKey when mask is true).
 */
export interface RawFrameSpec {
  fin: boolean;
  rsv1: boolean;
  rsv2: boolean;
  rsv3: boolean;
  /** 0–15, reserved opcodes included. */
  opcode: number;
  mask: boolean;
  /** 8 hex digits; random when omitted and mask is true. */
  maskKey?: string;
  payloadBase64: string;
  /** Force a length encoding: 7-bit, 16-bit or 64-bit (non-minimal allowed). */
  lengthEncoding?: 'auto' | '7' | '16' | '64';
}
