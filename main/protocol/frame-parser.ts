// Streaming RFC 6455 §5.2 frame parser for frames sent by a server. Accepts any chunking (one byte
// at a time up to thousands of frames per chunk), checks every header rule and every size limit
// BEFORE buffering the payload (house rule 2), and hands out payloads without copying when a frame
// lies inside one chunk. After the first fault it discards all further input (as wsproto does).

import { isControlOpcode, MAX_CONTROL_PAYLOAD, Opcode } from '../../shared/protocol-constants.ts';
import { ByteQueue } from './byte-queue.ts';
import type { WireFrame } from './types.ts';
import { protocolError, tooBigError, type ProtocolFault } from './errors.ts';
import {
  FIN_BIT, LEN16_MARK, LEN64_MARK, LEN7_MASK, MASK_BIT, OPCODE_MASK, RSV1_BIT, RSV2_BIT, RSV3_BIT,
} from './frame-writer.ts';

export interface FrameParserHandler {
  /**
   * A complete, header-valid frame, already in its WireFrame shape (time still 0: the handler
   * stamps it), so no intermediate object is made per frame. `prevalidated`: leading payload bytes
   * already passed to onTextProgress. Return false to stop parsing (the connection failed/closed).
   */
  onFrame(frame: WireFrame, prevalidated: number): boolean;
  onFault(fault: ProtocolFault): void;
  /**
   * Part of an uncompressed text frame's payload arrived while the rest is still outstanding, so
   * invalid UTF-8 can fail the connection before a large frame completes (RFC 6455 §8.1 "fail
   * fast"). `messageStart`: these are the first bytes of a new message. Return false to stop.
   */
  onTextProgress(piece: Uint8Array, messageStart: boolean): boolean;
}

const STATE_HEADER = 0;
const STATE_PAYLOAD = 1;
const STATE_STOPPED = 2;
const TWO_POW_32 = 0x1_0000_0000;
const TOP_BIT = 0x80;
const MIN_HEADER = 2;

export class FrameParser {
  /** Set once permessage-deflate is agreed (RFC 7692 §6: RSV1 marks a compressed message). */
  rsv1Allowed = false;
  maxMessageBytes: number;
  private readonly queue: ByteQueue;
  private state = STATE_HEADER;
  private readonly handler: FrameParserHandler;
  // Header of the frame whose payload we are waiting for.
  private fin = false;
  private rsv1 = false;
  private rsv2 = false;
  private rsv3 = false;
  private opcode = 0;
  private headerLength = 0;
  private payloadLength = 0;
  /** A fragmented data message is open (RFC 6455 §5.4). */
  private messageOpen = false;
  /** Wire payload bytes of the open message so far. */
  private messageBytes = 0;
  /** The current message is uncompressed text (its payload is UTF-8 as it arrives). */
  private messageText = false;
  /** The frame whose payload we wait for belongs to an uncompressed text message. */
  private textFrame = false;
  /** Payload bytes of the current frame already handed to onTextProgress. */
  private progressed = 0;

  /** `alloc`: buffers for payloads that span reads (see ByteQueue); default zero-filled. */
  constructor(handler: FrameParserHandler, maxMessageBytes: number, alloc?: (n: number) => Uint8Array) {
    this.queue = new ByteQueue(alloc);
    this.handler = handler;
    this.maxMessageBytes = maxMessageBytes;
  }

  get stopped(): boolean {
    return this.state === STATE_STOPPED;
  }

  /** Bytes buffered and not yet parsed (diagnostics, tests). */
  get buffered(): number {
    return this.queue.length;
  }

  /** Stop parsing and drop buffered input (after a fault, or once a close frame arrived). */
  stop(): void {
    this.state = STATE_STOPPED;
    this.queue.clear();
  }

  push(chunk: Uint8Array): void {
    if (this.state === STATE_STOPPED) return;
    this.queue.push(chunk);
    const q = this.queue;
    for (;;) {
      if (this.state === STATE_HEADER) {
        if (q.length < MIN_HEADER) return;
        if (!this.readHeader()) return;
      }
      if (this.state !== STATE_PAYLOAD) return;
      if (q.length < this.payloadLength) {
        // Everything queued now belongs to this frame's payload.
        if (this.textFrame && q.length > this.progressed) {
          const start = this.progressed === 0 && this.opcode === Opcode.Text;
          let first = start;
          const go = q.forEachFrom(this.progressed, (piece) => {
            const ok = this.handler.onTextProgress(piece, first);
            first = false;
            return ok;
          });
          if (!go) {
            this.stop();
            return;
          }
          this.progressed = q.length;
        }
        return;
      }
      const payload = q.take(this.payloadLength);
      const frame: WireFrame = {
        dir: 'in',
        time: 0,
        fin: this.fin,
        rsv1: this.rsv1,
        rsv2: this.rsv2,
        rsv3: this.rsv3,
        opcode: this.opcode,
        masked: false,
        maskKey: null,
        headerLength: this.headerLength,
        payloadLength: payload.length,
        payload,
        // Filled in by the handler for data frames. Present (undefined) from the start so every
        // frame object has one shape: adding them later cost a map transition and a property
        // backing store per frame.
        messageSeq: undefined,
        fragmentIndex: undefined,
      };
      const prevalidated = this.progressed;
      this.progressed = 0;
      this.state = STATE_HEADER;
      if (!this.handler.onFrame(frame, prevalidated)) {
        this.stop();
        return;
      }
    }
  }

  private fail(fault: ProtocolFault): false {
    this.stop();
    this.handler.onFault(fault);
    return false;
  }

  /** Parse and check a header once enough bytes are queued; true when the payload state is entered. */
  private readHeader(): boolean {
    const q = this.queue;
    const b0 = q.byteAt(0);
    const b1 = q.byteAt(1);
    const fin = (b0 & FIN_BIT) !== 0;
    const rsv1 = (b0 & RSV1_BIT) !== 0;
    const rsv2 = (b0 & RSV2_BIT) !== 0;
    const rsv3 = (b0 & RSV3_BIT) !== 0;
    const opcode = b0 & OPCODE_MASK;
    const masked = (b1 & MASK_BIT) !== 0;
    const len7 = b1 & LEN7_MASK;
    const control = isControlOpcode(opcode);

    // These checks need only the first two bytes, so a bad frame fails as early as possible.
    // RFC 6455 §5.1: "a client MUST close a connection if it detects a masked frame".
    if (masked) return this.fail(protocolError('The server sent a masked frame; servers must not mask (RFC 6455 §5.1)'));
    // §5.2: RSV bits MUST be 0 unless an extension defines them; RFC 7692 defines only RSV1.
    if (rsv2 || rsv3) return this.fail(protocolError(`The server set ${rsv2 ? 'RSV2' : 'RSV3'}, but no extension that uses it was negotiated (RFC 6455 §5.2)`));
    if (rsv1 && !this.rsv1Allowed) return this.fail(protocolError('The server set RSV1, but permessage-deflate was not negotiated (RFC 6455 §5.2)'));
    if (control) {
      if (opcode !== Opcode.Close && opcode !== Opcode.Ping && opcode !== Opcode.Pong) {
        return this.fail(protocolError(`The server used reserved control opcode 0x${opcode.toString(16).toUpperCase()} (RFC 6455 §5.2)`));
      }
      // §5.5: control frames MUST NOT be fragmented and carry at most 125 bytes.
      if (!fin) return this.fail(protocolError('The server fragmented a control frame (FIN=0); control frames must not be fragmented (RFC 6455 §5.5)'));
      if (len7 > MAX_CONTROL_PAYLOAD) return this.fail(protocolError('The server sent a control frame longer than 125 bytes (RFC 6455 §5.5)'));
      // RFC 7692 §6.1: RSV1 is never set on control frames.
      if (rsv1) return this.fail(protocolError('The server set RSV1 on a control frame (RFC 7692 §6.1)'));
    } else if (opcode === Opcode.Continuation) {
      if (!this.messageOpen) return this.fail(protocolError('The server sent a continuation frame, but no fragmented message was open (RFC 6455 §5.4)'));
      // RFC 7692 §6.1: only the first frame of a message carries RSV1.
      if (rsv1) return this.fail(protocolError('The server set RSV1 on a continuation frame; only the first frame of a message may (RFC 7692 §6.1)'));
    } else if (opcode === Opcode.Text || opcode === Opcode.Binary) {
      if (this.messageOpen) return this.fail(protocolError('The server started a new message while a fragmented message was still open (RFC 6455 §5.4)'));
    } else {
      return this.fail(protocolError(`The server used reserved data opcode 0x${opcode.toString(16).toUpperCase()} (RFC 6455 §5.2)`));
    }

    let headerLength = MIN_HEADER;
    let length = len7;
    if (len7 === LEN16_MARK) {
      headerLength += 2;
      if (q.length < headerLength) return false;
      length = (q.byteAt(2) << 8) | q.byteAt(3);
    } else if (len7 === LEN64_MARK) {
      headerLength += 8;
      if (q.length < headerLength) return false;
      const b2 = q.byteAt(2);
      // §5.2: "the most significant bit MUST be 0".
      if ((b2 & TOP_BIT) !== 0) return this.fail(protocolError('The server sent a 64-bit payload length with the most significant bit set (RFC 6455 §5.2)'));
      const hi = ((b2 << 24) | (q.byteAt(3) << 16) | (q.byteAt(4) << 8) | q.byteAt(5)) >>> 0;
      const lo = ((q.byteAt(6) << 24) | (q.byteAt(7) << 16) | (q.byteAt(8) << 8) | q.byteAt(9)) >>> 0;
      // Above 2^53 this loses precision, but any such length is far above every limit anyway.
      length = hi * TWO_POW_32 + lo;
    }

    if (!control) {
      // House rule 2: check the limit before buffering a single payload byte.
      const total = (opcode === Opcode.Continuation ? this.messageBytes : 0) + length;
      if (total > this.maxMessageBytes) {
        return this.fail(tooBigError(`The server sent a message of at least ${total} bytes; the limit is ${this.maxMessageBytes} bytes`));
      }
      this.messageBytes = fin ? 0 : total;
      this.messageOpen = !fin;
      if (opcode !== Opcode.Continuation) this.messageText = opcode === Opcode.Text && !rsv1;
    }
    this.textFrame = !control && this.messageText;
    this.progressed = 0;
    q.skip(headerLength);
    this.fin = fin;
    this.rsv1 = rsv1;
    this.rsv2 = rsv2;
    this.rsv3 = rsv3;
    this.opcode = opcode;
    this.headerLength = headerLength;
    this.payloadLength = length;
    this.state = STATE_PAYLOAD;
    return true;
  }
}
