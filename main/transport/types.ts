// The contract of the transport layer (main/transport): one WebSocket client connection on a raw
// node:net / node:tls socket, driven by the sans-I/O core in main/protocol. The session layer, the
// CLI and the tests use connections only through this surface.

import type {
  CloseInfo,
  ConnectionState,
  ConnectOptions,
  ErrorRecord,
  HandshakeRecord,
} from '../../shared/model.ts';

// WireFrame, WireMessage and RawFrame are defined by the protocol core (which may not import this
// layer) and are part of this contract under the same names.
import type { RawFrame, WireFrame, WireMessage } from '../protocol/types.ts';
export type { RawFrame, WireFrame, WireMessage };

export type ConnectionEvent =
  | { type: 'state'; state: ConnectionState; close?: CloseInfo }
  /** Emitted once when the handshake completes or fails (responseText may be partial or empty). */
  | { type: 'handshake'; handshake: HandshakeRecord }
  | { type: 'frame'; frame: WireFrame }
  | { type: 'message'; message: WireMessage }
  | { type: 'error'; error: ErrorRecord }
  /** The socket's write buffer drained (after send reported backpressure). */
  | { type: 'drain' };

export type ConnectionListener = (event: ConnectionEvent) => void;

export interface SendOptions {
  /** Split into frames of at most this many payload bytes. */
  fragmentSize?: number;
}

/**
 * One client connection, made by connect() in connection.ts (which throws a WirechatError —
 * INVALID_URL / INVALID_HEADER / INVALID_OPTIONS — for invalid options, before any socket opens).
 * Created CONNECTING; events arrive in wire order.
 * Misuse (send while not OPEN, invalid close code) throws a WirechatError with code NOT_OPEN /
 * INVALID_ARGUMENT; peer faults never throw, they arrive as 'error' then 'state' CLOSED events.
 */
export interface Connection {
  readonly state: ConnectionState;
  readonly options: ConnectOptions;
  /** Bytes handed to the socket and not yet flushed. */
  readonly bufferedAmount: number;
  readonly handshake: HandshakeRecord | undefined;
  on(listener: ConnectionListener): () => void;
  /** Each returns the socket's bufferedAmount after queueing. */
  sendText(text: string, options?: SendOptions): number;
  sendBinary(data: Uint8Array, options?: SendOptions): number;
  ping(payload?: Uint8Array): number;
  pong(payload?: Uint8Array): number;
  sendRawFrame(frame: RawFrame): number;
  /** Start the closing handshake (code 1000 or 3000–4999, reason ≤ 123 bytes); no code = empty close. */
  close(code?: number, reason?: string): void;
  /**
   * Start the closing handshake with 1001 Going Away (RFC 6455 §7.4.1) — app shutdown or tab
   * removal, never a user choice. Optional so other Connection implementations stay valid; the
   * session layer falls back to close() without a code when it is missing.
   */
  goingAway?(): void;
  /** Drop the TCP connection without a close frame (reported as 1006). */
  terminate(): void;
}
