// Records the protocol core produces. main/transport/types.ts re-exports them under the same names
// (the transport contract); they live here because the core may not import the transport layer.

import type { Direction, MessageKind } from '../../shared/model.ts';

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
