// A received data message whose text is decoded on first read. Validation is NOT deferred: the
// parser checks UTF-8 eagerly and incrementally (RFC 6455 §8.1, fail fast), so by the time a
// ReceivedMessage exists its bytes are known-valid and decoding cannot fail. What is deferred is
// only the string construction, which was the largest single cost of receiving small and medium
// text messages (V8 builds a two-byte string for anything non-Latin-1) and is wasted whenever the
// consumer only keeps the bytes or a bounded preview (the session layer decodes at most
// `previewBytes` of a large message itself).

import type { Direction, MessageKind } from '../../shared/model.ts';
import type { WireMessage } from './types.ts';

export type Utf8Decoder = (bytes: Uint8Array) => string;

/**
 * Same contract as the WireMessage interface: `text` is the decoded text of a 'text' message and
 * undefined for 'binary'. It is an accessor on the prototype (decoded once, then cached), so it is
 * not an own enumerable property: spread/JSON copies must read `.text` explicitly.
 */
export class ReceivedMessage implements WireMessage {
  dir: Direction;
  messageSeq: number;
  time: number;
  kind: MessageKind;
  data: Uint8Array;
  wireLength: number;
  compressed: boolean;
  frameCount: number;
  /** Decoded text once read (or assigned); undefined before. */
  private decoded: string | undefined;
  /** Set for text messages until the text is decoded; null for binary or once decoded. */
  private decoder: Utf8Decoder | null;

  constructor(
    seq: number, time: number, text: boolean, data: Uint8Array, wireLength: number, compressed: boolean, frameCount: number,
    decoder: Utf8Decoder,
  ) {
    this.dir = 'in';
    this.messageSeq = seq;
    this.time = time;
    this.kind = text ? 'text' : 'binary';
    this.data = data;
    this.wireLength = wireLength;
    this.compressed = compressed;
    this.frameCount = frameCount;
    this.decoded = undefined;
    this.decoder = text ? decoder : null;
  }

  get text(): string | undefined {
    const d = this.decoder;
    if (d !== null) {
      this.decoded = d(this.data);
      this.decoder = null;
    }
    return this.decoded;
  }

  /** WireMessage.text is a plain optional property in the interface, so it stays assignable. */
  set text(value: string | undefined) {
    this.decoded = value;
    this.decoder = null;
  }
}
