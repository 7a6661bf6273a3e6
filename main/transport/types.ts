// The contract of the transport layer (main/transport): one WebSocket client connection on a raw
// node:net / node:tls socket, driven by the sans-I/O core in main/protocol. The session layer, the
// CLI and the tests use connections only through this surface.

import type {
  CloseInfo,
  ConnectionState,
  ConnectOptions,
  Direction,
  ErrorRecord,
  HandshakeRecord,
  MessageKind,
} from '../../shared/model.ts';

/** A frame as it crossed the wire, with its full (unmasked) payload. */
export interface WireFrame {
  dir: Direction;
  /** ms since the epoch, sub-ms resolution. */
  time: number;
  fin: boolean;
  rsv1: boolean;
  rsv2: boolean;
  rsv3: boolean;
  opcode: number;
  masked: boolean;
  /** The 4 masking-key bytes, or null. */
  maskKey: Uint8Array | null;
  headerLength: number;
  /** Payload length on the wire. */
  payloadLength: number;
  /** Unmasked wire payload (still compressed for compressed data frames). */
  payload: Uint8Array;
  /** RSV1 set on the first frame of a permessage-deflate message. */
  compressed?: boolean;
  /** On the final frame of a compressed message: the inflated (in) / original (out) size. */
  inflatedLength?: number;
  /** Data frames: per-direction message number this frame belongs to, and its index in it. */
  messageSeq?: number;
  fragmentIndex?: number;
  /** Sent with the raw frame writer. */
  crafted?: boolean;
}

/** A complete data message, either direction. */
export interface WireMessage {
  dir: Direction;
  /** Same numbering as WireFrame.messageSeq for that direction. */
  messageSeq: number;
  time: number;
  kind: MessageKind;
  /** The whole payload, inflated. */
  data: Uint8Array;
  /** Decoded text for 'text' messages (already validated UTF-8). */
  text?: string;
  wireLength: number;
  compressed: boolean;
  frameCount: number;
}

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

/** Bytes-level description of a crafted frame (see RawFrameSpec in shared/model.ts). */
export interface RawFrame {
  fin: boolean;
  rsv1: boolean;
  rsv2: boolean;
  rsv3: boolean;
  opcode: number;
  mask: boolean;
  maskKey?: Uint8Array;
  payload: Uint8Array;
  lengthEncoding?: 'auto' | '7' | '16' | '64';
}

export interface SendOptions {
  /** Split into frames of at most this many payload bytes. */
  fragmentSize?: number;
}

/**
 * One client connection. Created CONNECTING; events arrive in wire order.
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
  /** Drop the TCP connection without a close frame (reported as 1006). */
  terminate(): void;
}
