// The sans-I/O WebSocket client (RFC 6455 + RFC 7692): bytes in → events and bytes out through a
// sink. No sockets, no timers, no node:* — randomness, SHA-1, the clock, a fast UTF-8 check and the
// compression engine are injected (ProtocolEnv), so every test is reproducible.
//
// The transport drives it: start() writes the request, receiveData()/receiveEof() feed the socket,
// abort()/closeTimeout()/terminate() report what the timers and the socket saw.

import type { CloseInfo, ConnectionState, HandshakeRecord, HeaderEntry } from '../../shared/model.ts';
import {
  CloseCode, Defaults, isUserSendableCloseCode, isValidWireCloseCode, MAX_CLOSE_REASON_BYTES, MAX_CONTROL_PAYLOAD, Opcode,
} from '../../shared/protocol-constants.ts';
import { validateOrigin, validateSubprotocols, validateUserHeaders } from '../../shared/handshake-headers.ts';
import type { WsUrl } from '../../shared/ws-url.ts';
import {
  abnormalError, deflateDataError, protocolError, tooBigError, utf8Error, WirechatError, type ProtocolFault,
} from './errors.ts';
import { FrameParser, type FrameParserHandler } from './frame-parser.ts';
import { encodeFrame, MASK_KEY_BYTES, MAX_LEN16, MAX_LEN7 } from './frame-writer.ts';
import {
  base64, checkProtocol, checkResponse, headerValues, KEY_BYTES, latin1Bytes, latin1Text, parseResponseHead,
  requestHeaders, requestText, ResponseReader,
} from './handshake.ts';
import { negotiateExtensions, PerMessageDeflate, PMD_OFFER, type CompressionEngine } from './permessage-deflate.ts';
import { ReceivedMessage } from './received-message.ts';
import type { RawFrame, WireFrame, WireMessage } from './types.ts';
import { isValidUtf8, UTF8_ACCEPT, UTF8_REJECT, utf8Continue, type FastUtf8Check, type Utf8State } from './utf8.ts';

/** What the core needs from the outside world. */
export interface ProtocolEnv {
  randomBytes(n: number): Uint8Array;
  sha1(data: Uint8Array): Uint8Array;
  /** Wall clock, ms since the epoch (sub-ms fraction welcome). */
  now(): number;
  /** Fast whole-buffer UTF-8 check (e.g. buffer.isUtf8); the core's DFA handles fragment edges. */
  isUtf8?: FastUtf8Check;
  /** Fast UTF-8 → string for bytes already validated (defaults to TextDecoder). */
  decodeUtf8?: (bytes: Uint8Array) => string;
  /** Required when deflate is offered. */
  compression?: CompressionEngine;
  /**
   * Allocate an output buffer whose contents will be overwritten (e.g. Buffer.allocUnsafe, pooled for
   * small sizes). Defaults to new Uint8Array: allocating and zeroing a typed array per small
   * frame was the top cost of sending small messages.
   */
  alloc?: (n: number) => Uint8Array;
  /**
   * Uninitialised memory for a received payload that has to be assembled (it spans socket reads,
   * or a message arrived in fragments); every byte is overwritten. It is handed out as
   * WireFrame.payload / WireMessage.data, so it should be a plain Uint8Array (e.g. a view over
   * Buffer.allocUnsafe). Defaults to new Uint8Array, whose zero-fill was a whole extra pass over
   * every large received payload.
   */
  allocPayload?: (n: number) => Uint8Array;
  /** Fast string → UTF-8 bytes (e.g. Buffer.from(s, 'utf8')); defaults to TextEncoder. */
  encodeUtf8?: (s: string) => Uint8Array;
}

export interface ClientProtocolOptions {
  url: WsUrl;
  protocols?: readonly string[];
  headers?: readonly HeaderEntry[];
  origin?: string;
  /** Offer permessage-deflate (default true). */
  deflate?: boolean;
  /** Answer pings automatically (default true). RFC 6455 §5.5.2. */
  autoPong?: boolean;
  maxMessageBytes?: number;
  maxHandshakeHeaderBytes?: number;
  /**
   * Outgoing messages shorter than this are sent uncompressed even with deflate agreed (RFC 7692
   * §6 allows it per message); compressing tiny messages costs more than it saves. Same default as ws.
   */
  compressThreshold?: number;
}

export const DEFAULT_COMPRESS_THRESHOLD = 1024;

/** Where the core delivers its output. Called synchronously, in wire order. */
export interface ProtocolSink {
  write(data: Uint8Array): void;
  onState(state: ConnectionState, close?: CloseInfo): void;
  onHandshake(record: HandshakeRecord): void;
  onFrame(frame: WireFrame): void;
  onMessage(message: WireMessage): void;
  onError(error: ProtocolFault): void;
  /** Bytes written and not yet flushed by the transport (optional; enables pong coalescing). */
  backlog?(): number;
}

/**
 * Above this many unflushed bytes, automatic pongs are held back and only the latest is sent once
 * the transport drains (RFC 6455 §5.5.3: an endpoint MAY answer only the most recent ping). A server
 * flooding pings while not reading cannot grow our write buffer without bound.
 */
export const AUTO_PONG_BACKLOG_BYTES = 1024 * 1024;

interface ReceivedClose {
  code: number;
  reason: string;
}

/** Connection state as a discriminated union (no nullable flags). */
type State =
  | { kind: 'CONNECTING'; requestSentAt: number | null }
  | { kind: 'OPEN' }
  /** Our close frame is sent in both variants; `received` is the server's close, once it came. */
  | { kind: 'CLOSING'; initiatedBy: 'client' | 'server'; received: ReceivedClose | null }
  | { kind: 'CLOSED'; close: CloseInfo };

/** An incoming data message being reassembled. */
interface InMessage {
  seq: number;
  text: boolean;
  compressed: boolean;
  fragments: Uint8Array[];
  wireLength: number;
}

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder('utf-8');
const defaultDecode = (b: Uint8Array): string => textDecoder.decode(b);
const defaultEncode = (s: string): Uint8Array => textEncoder.encode(s);
const defaultAlloc = (n: number): Uint8Array => new Uint8Array(n);

function utf8Length(s: string): number {
  return textEncoder.encode(s).length;
}

/** Cut a string to at most `max` UTF-8 bytes on a character boundary. */
function truncateUtf8(s: string, max: number): Uint8Array {
  const b = textEncoder.encode(s);
  if (b.length <= max) return b;
  let end = max;
  while (end > 0 && (b[end] & 0xc0) === 0x80) end--;
  return b.subarray(0, end);
}

/** Longest response excerpt quoted in an error message (the full text is in the HandshakeRecord). */
const MAX_QUOTED_RESPONSE = 1000;

/**
 * The response as one line for an error message (ErrorRecord.message is one sentence): status line
 * and headers joined with " | ", control characters made visible, cut at MAX_QUOTED_RESPONSE.
 */
function describeResponse(responseText: string): string {
  const head = responseText.split(/\r?\n\r?\n/, 1)[0];
  const lines = head.split(/\r?\n/).filter((l) => l !== '');
  if (lines.length === 0) return '';
  let quoted = lines.join(' | ').replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  if (quoted.length > MAX_QUOTED_RESPONSE) quoted = quoted.slice(0, MAX_QUOTED_RESPONSE) + '…';
  return ` — the server answered: ${quoted}`;
}

function concatBytes(parts: readonly Uint8Array[], size: number, alloc: (n: number) => Uint8Array = defaultAlloc): Uint8Array {
  if (parts.length === 1) return parts[0];
  // Every byte is overwritten below, so an uninitialised allocation is safe.
  const out = alloc(size);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

function closePayload(code: number | undefined, reason: Uint8Array): Uint8Array {
  if (code === undefined) return new Uint8Array(0);
  const p = new Uint8Array(2 + reason.length);
  p[0] = (code >>> 8) & 0xff;
  p[1] = code & 0xff;
  p.set(reason, 2);
  return p;
}

export class ClientProtocol implements FrameParserHandler {
  private st: State = { kind: 'CONNECTING', requestSentAt: null };
  private readonly env: ProtocolEnv;
  private readonly sink: ProtocolSink;
  private readonly url: WsUrl;
  private readonly protocols: readonly string[];
  private readonly userHeaders: readonly HeaderEntry[];
  private readonly origin: string | undefined;
  private readonly offerDeflate: boolean;
  private readonly autoPong: boolean;
  private readonly maxMessageBytes: number;
  private readonly compressThreshold: number;
  private readonly decode: (b: Uint8Array) => string;
  private readonly encode: (s: string) => Uint8Array;
  private readonly alloc: (n: number) => Uint8Array;
  private readonly allocPayload: (n: number) => Uint8Array;
  private readonly reader: ResponseReader;
  private readonly parser: FrameParser;
  private readonly key: string;
  private record: HandshakeRecord;
  private handshakeReported = false;
  private pmd: PerMessageDeflate | null = null;
  private inMsg: InMessage | null = null;
  private inSeq = 0;
  private outSeq = 0;
  /** Latest ping payload whose pong is held back while the transport is backlogged. */
  private pendingPong: Uint8Array | null = null;
  /** Arrival time of the current read, taken lazily; -1 = not taken yet. */
  private rxTime = -1;
  /** UTF-8 validator state of the uncompressed text message being received (carried across frames). */
  private rxUtf8: Utf8State = UTF8_ACCEPT;

  constructor(options: ClientProtocolOptions, env: ProtocolEnv, sink: ProtocolSink) {
    this.env = env;
    this.sink = sink;
    this.url = options.url;
    this.protocols = options.protocols ?? [];
    this.userHeaders = options.headers ?? [];
    this.origin = options.origin === '' ? undefined : options.origin;
    this.offerDeflate = options.deflate ?? true;
    this.autoPong = options.autoPong ?? true;
    this.maxMessageBytes = options.maxMessageBytes ?? Defaults.maxMessageBytes;
    this.compressThreshold = options.compressThreshold ?? DEFAULT_COMPRESS_THRESHOLD;
    this.decode = env.decodeUtf8 ?? defaultDecode;
    this.encode = env.encodeUtf8 ?? defaultEncode;
    this.alloc = env.alloc ?? defaultAlloc;
    this.allocPayload = env.allocPayload ?? defaultAlloc;
    // Misuse is thrown here, before any byte is written (the transport validates user input first).
    const headerCheck = validateUserHeaders(this.userHeaders, { origin: this.origin });
    if (!headerCheck.ok) throw new WirechatError('INVALID_HEADER', headerCheck.message);
    const protoCheck = validateSubprotocols(this.protocols);
    if (!protoCheck.ok) throw new WirechatError('INVALID_OPTIONS', protoCheck.message);
    if (this.origin !== undefined) {
      const o = validateOrigin(this.origin);
      if (!o.ok) throw new WirechatError('INVALID_OPTIONS', o.message);
    }
    if (!Number.isSafeInteger(this.maxMessageBytes) || this.maxMessageBytes < 0) throw new WirechatError('INVALID_OPTIONS', 'maxMessageBytes must be a non-negative integer');
    const maxHead = options.maxHandshakeHeaderBytes ?? Defaults.maxHandshakeHeaderBytes;
    if (!Number.isSafeInteger(maxHead) || maxHead < 1) throw new WirechatError('INVALID_OPTIONS', 'maxHandshakeHeaderBytes must be a positive integer');
    if (this.offerDeflate && env.compression === undefined) throw new WirechatError('INVALID_OPTIONS', 'deflate offered without a compression engine');
    this.reader = new ResponseReader(maxHead);
    this.parser = new FrameParser(this, this.maxMessageBytes, this.allocPayload);
    // §4.1 item 7: a fresh random 16-byte nonce per connection, base64-encoded.
    const keyBytes = env.randomBytes(KEY_BYTES);
    if (keyBytes.length !== KEY_BYTES) throw new WirechatError('INTERNAL', 'randomBytes returned the wrong length');
    this.key = base64(keyBytes);
    this.record = {
      requestText: '',
      responseText: '',
      requestHeaders: [],
      responseHeaders: [],
      timings: { startedAt: env.now() },
    };
  }

  get state(): ConnectionState {
    return this.st.kind;
  }

  /** CloseInfo once CLOSED. */
  get closeInfo(): CloseInfo | undefined {
    return this.st.kind === 'CLOSED' ? this.st.close : undefined;
  }

  get handshake(): HandshakeRecord {
    return this.record;
  }

  /** The Sec-WebSocket-Key sent (tests, diagnostics). */
  get secWebSocketKey(): string {
    return this.key;
  }

  /** Whether our close frame went out and the server's came back (closing handshake state). */
  get closeReceived(): boolean {
    return this.st.kind === 'CLOSING' && this.st.received !== null;
  }

  // ---------------------------------------------------------------- opening handshake (§4)

  /** Write the opening handshake request. Call once, when the (TLS) socket is connected. */
  start(): void {
    if (this.st.kind !== 'CONNECTING' || this.st.requestSentAt !== null) throw new WirechatError('INTERNAL', 'start() called twice');
    const headers = requestHeaders({
      target: this.url.target,
      hostHeader: this.url.hostHeader,
      key: this.key,
      origin: this.origin,
      protocols: this.protocols,
      extensions: this.offerDeflate ? PMD_OFFER : null,
      userHeaders: this.userHeaders,
    });
    const text = requestText(this.url.target, headers);
    this.record.requestText = text;
    this.record.requestHeaders = headers;
    this.st = { kind: 'CONNECTING', requestSentAt: this.env.now() };
    this.sink.write(latin1Bytes(text));
  }

  receiveData(chunk: Uint8Array): void {
    // Frames completed by one read share its arrival time (one clock call per read, not per frame).
    this.rxTime = -1;
    switch (this.st.kind) {
      case 'CONNECTING':
        if (this.st.requestSentAt === null) {
          // The server spoke before we did: a WebSocket server must wait for the request.
          this.handshakeFailed('HANDSHAKE_MALFORMED', 'The server sent data before the handshake request', chunk);
          return;
        }
        this.receiveHandshake(chunk);
        return;
      case 'OPEN':
      case 'CLOSING':
        // After the server's close frame the parser is stopped: later bytes are ignored (§5.5.1).
        this.parser.push(chunk);
        return;
      case 'CLOSED':
        return;
    }
  }

  private receiveHandshake(chunk: Uint8Array): void {
    const r = this.reader.push(chunk);
    if (r === 'more') return;
    if (r === 'too-large') {
      this.handshakeFailed('HANDSHAKE_TOO_LARGE', `The server's handshake response headers exceed ${this.reader.maxBytes} bytes`, null);
      return;
    }
    const text = latin1Text(r.head);
    const rec = this.record;
    rec.responseText = text;
    const sentAt = this.st.kind === 'CONNECTING' ? this.st.requestSentAt : null;
    if (sentAt !== null) rec.timings.handshakeMs = this.env.now() - sentAt;
    const parsed = parseResponseHead(text);
    if (!parsed.ok) return this.handshakeFailed('HANDSHAKE_MALFORMED', parsed.reason, null);
    const res = parsed.value;
    rec.statusCode = res.statusCode;
    rec.statusText = res.statusText;
    rec.responseHeaders = res.headers;
    const basic = checkResponse(res, this.key, this.env.sha1);
    if (!basic.ok) return this.handshakeFailed(basic.code, basic.reason, null);
    const proto = checkProtocol(res, this.protocols);
    if (!proto.ok) return this.handshakeFailed('HANDSHAKE_PROTOCOL', proto.reason, null);
    if (proto.protocol !== undefined) rec.protocol = proto.protocol;
    const extValues = headerValues(res.headers, 'Sec-WebSocket-Extensions');
    if (extValues.length > 0) rec.extensions = extValues.join(', ');
    const ext = negotiateExtensions(this.offerDeflate, extValues);
    if (!ext.ok) return this.handshakeFailed('HANDSHAKE_EXTENSION', ext.message, null);
    if (ext.value !== null && this.env.compression !== undefined) {
      rec.deflate = ext.value;
      this.pmd = new PerMessageDeflate(ext.value, this.env.compression);
      this.parser.rsv1Allowed = true;
    }
    this.st = { kind: 'OPEN' };
    this.reportHandshake();
    this.sink.onState('OPEN');
    // Bytes after the header block in the same chunk are already frames (§4.2.2, §5).
    // A listener may already have called close() (CLOSING still receives) or terminate() (CLOSED).
    // (Read through the getter: listeners ran, so the narrowed this.st may be stale.)
    const now = this.state;
    if (r.rest.length > 0 && (now === 'OPEN' || now === 'CLOSING')) this.parser.push(r.rest);
  }

  private reportHandshake(): void {
    if (this.handshakeReported) return;
    this.handshakeReported = true;
    this.sink.onHandshake(this.record);
  }

  private handshakeFailed(code: ProtocolFault['code'], reason: string, extra: Uint8Array | null): void {
    if (this.record.responseText === '') {
      const got = this.reader.received();
      const all = extra === null ? got : concatBytes([got, extra], got.length + extra.length);
      this.record.responseText = latin1Text(all);
    }
    const message = `${reason}${describeResponse(this.record.responseText)}`;
    this.finish({ code: CloseCode.Abnormal, reason: '', wasClean: false, initiatedBy: 'none' }, abnormalError(code, message));
  }

  // ---------------------------------------------------------------- incoming frames (§5, §6.2)

  private readTime(): number {
    if (this.rxTime < 0) this.rxTime = this.env.now();
    return this.rxTime;
  }

  /** FrameParserHandler: one header-valid frame. */
  onFrame(frame: WireFrame, prevalidated: number): boolean {
    frame.time = this.readTime();
    const payload = frame.payload;
    const op = frame.opcode;
    if (op === Opcode.Text || op === Opcode.Binary || op === Opcode.Continuation) return this.onDataFrame(frame, prevalidated);
    this.sink.onFrame(frame);
    if (op === Opcode.Ping) {
      // §5.5.2/§5.5.3: answer with a pong carrying the same payload — unless our close is out (§5.5.1).
      if (this.autoPong && this.st.kind === 'OPEN') {
        if ((this.sink.backlog?.() ?? 0) > AUTO_PONG_BACKLOG_BYTES) this.pendingPong = payload;
        else this.writeControl(Opcode.Pong, payload);
      }
      return true;
    }
    if (op === Opcode.Pong) return true; // §5.5.3: unsolicited pongs are allowed; the frame event reports them
    return this.onCloseFrame(payload);
  }

  onFault(fault: ProtocolFault): void {
    this.fail(fault);
  }

  /** FrameParserHandler: validate text as it arrives, before a large frame completes (§8.1). */
  onTextProgress(piece: Uint8Array, messageStart: boolean): boolean {
    if (messageStart) this.rxUtf8 = UTF8_ACCEPT;
    this.rxUtf8 = utf8Continue(this.rxUtf8, piece, this.env.isUtf8);
    if (this.rxUtf8 !== UTF8_REJECT) return true;
    this.fail(utf8Error(`Text message ${this.inMsg === null ? this.inSeq + 1 : this.inMsg.seq} contains invalid UTF-8 (found before its frame was complete) (RFC 6455 §8.1)`));
    return false;
  }

  private onDataFrame(frame: WireFrame, prevalidated: number): boolean {
    if (frame.fin && !frame.rsv1 && frame.opcode !== Opcode.Continuation) return this.onWholeMessage(frame, prevalidated);
    let m = this.inMsg;
    if (frame.opcode !== Opcode.Continuation) {
      // The parser guarantees no message is open here (§5.4).
      m = { seq: ++this.inSeq, text: frame.opcode === Opcode.Text, compressed: frame.rsv1, fragments: [], wireLength: 0 };
      // A new text message starts from a clean validator unless its first bytes were already checked.
      if (prevalidated === 0) this.rxUtf8 = UTF8_ACCEPT;
      this.inMsg = m;
      if (frame.rsv1) frame.compressed = true;
    } else if (m === null) {
      // Unreachable: the parser refuses a continuation with no open message. Fail safe anyway.
      this.sink.onFrame(frame);
      this.fail(protocolError('Continuation frame without an open message (RFC 6455 §5.4)'));
      return false;
    }
    frame.messageSeq = m.seq;
    frame.fragmentIndex = m.fragments.length;
    m.fragments.push(frame.payload);
    m.wireLength += frame.payload.length;

    if (!m.compressed) {
      if (m.text) {
        // §8.1: fail as soon as the bytes can no longer be valid UTF-8, fragment by fragment.
        const rest = prevalidated === 0 ? frame.payload : frame.payload.subarray(prevalidated);
        this.rxUtf8 = utf8Continue(this.rxUtf8, rest, this.env.isUtf8);
        if (this.rxUtf8 === UTF8_REJECT) return this.failAfter(frame, utf8Error(`Text message ${m.seq} contains invalid UTF-8 (in fragment ${frame.fragmentIndex}) (RFC 6455 §8.1)`));
        if (frame.fin && this.rxUtf8 !== UTF8_ACCEPT) return this.failAfter(frame, utf8Error(`Text message ${m.seq} ends in the middle of a UTF-8 character (RFC 6455 §8.1)`));
      }
      if (!frame.fin) {
        this.sink.onFrame(frame);
        return true;
      }
      this.inMsg = null;
      this.sink.onFrame(frame);
      const data = concatBytes(m.fragments, m.wireLength, this.allocPayload);
      this.deliver(m, data);
      return this.st.kind !== 'CLOSED';
    }

    if (!frame.fin) {
      this.sink.onFrame(frame);
      return true;
    }
    // Compressed (RFC 7692 §7.2.2): inflate the whole message, capped at the message limit so a
    // deflate bomb stops at maxMessageBytes + one engine chunk instead of exhausting memory.
    this.inMsg = null;
    const pmd = this.pmd;
    if (pmd === null) return this.failAfter(frame, protocolError('Compressed message without permessage-deflate'));
    const r = pmd.inflate(m.fragments, this.maxMessageBytes);
    if (!r.ok) {
      if (r.tooBig) return this.failAfter(frame, tooBigError(`Compressed message ${m.seq} inflates to more than the limit of ${this.maxMessageBytes} bytes`));
      return this.failAfter(frame, deflateDataError(`Compressed message ${m.seq} could not be inflated: ${r.message} (RFC 7692 §7.2.2)`));
    }
    frame.inflatedLength = r.data.length;
    if (r.data.length > this.maxMessageBytes) return this.failAfter(frame, tooBigError(`Compressed message ${m.seq} inflates to ${r.data.length} bytes; the limit is ${this.maxMessageBytes} bytes`));
    if (m.text && !isValidUtf8(r.data, this.env.isUtf8)) return this.failAfter(frame, utf8Error(`Text message ${m.seq} contains invalid UTF-8 after inflating (RFC 6455 §8.1)`));
    this.sink.onFrame(frame);
    this.deliver(m, r.data);
    return this.st.kind !== 'CLOSED';
  }

  /**
   * The common case, an unfragmented uncompressed message (FIN set on its first frame, RSV1 clear):
   * the frame's payload is the message, so no reassembly state is created. Same checks and event
   * order as the general path below.
   */
  private onWholeMessage(frame: WireFrame, prevalidated: number): boolean {
    const seq = ++this.inSeq;
    frame.messageSeq = seq;
    frame.fragmentIndex = 0;
    const payload = frame.payload;
    const text = frame.opcode === Opcode.Text;
    if (text) {
      // §8.1: the whole message must be valid UTF-8. Bytes already checked while the frame was
      // arriving (onTextProgress) carried their state in rxUtf8; otherwise start clean.
      const state = prevalidated === 0 ? UTF8_ACCEPT : this.rxUtf8;
      const rest = prevalidated === 0 ? payload : payload.subarray(prevalidated);
      const end = utf8Continue(state, rest, this.env.isUtf8);
      this.rxUtf8 = UTF8_ACCEPT;
      if (end === UTF8_REJECT) return this.failAfter(frame, utf8Error(`Text message ${seq} contains invalid UTF-8 (in fragment 0) (RFC 6455 §8.1)`));
      if (end !== UTF8_ACCEPT) return this.failAfter(frame, utf8Error(`Text message ${seq} ends in the middle of a UTF-8 character (RFC 6455 §8.1)`));
    }
    this.sink.onFrame(frame);
    this.sink.onMessage(new ReceivedMessage(seq, frame.time, text, payload, payload.length, false, 1, this.decode));
    return this.st.kind !== 'CLOSED';
  }

  private deliver(m: InMessage, data: Uint8Array): void {
    // Text is decoded on first read of message.text (already validated above).
    this.sink.onMessage(new ReceivedMessage(m.seq, this.readTime(), m.text, data, m.wireLength, m.compressed, m.fragments.length, this.decode));
  }

  /** Report the offending frame, then fail the connection. Always returns false (stop parsing). */
  private failAfter(frame: WireFrame, fault: ProtocolFault): false {
    this.sink.onFrame(frame);
    this.fail(fault);
    return false;
  }

  /** §5.5.1 / §7.1.5: a close frame from the server. Returns false: nothing after it is parsed. */
  private onCloseFrame(p: Uint8Array): false {
    let code: number = CloseCode.NoStatus;
    let reason = '';
    if (p.length === 1) {
      this.fail(protocolError('The server sent a close frame with a 1-byte payload; a close code takes 2 bytes (RFC 6455 §5.5.1)'));
      return false;
    }
    if (p.length >= 2) {
      code = (p[0] << 8) | p[1];
      // §7.4.1: 1005/1006/1015 and unassigned codes must never be sent.
      if (!isValidWireCloseCode(code)) {
        this.fail(protocolError(`The server sent close code ${code}, which is not allowed on the wire (RFC 6455 §7.4)`));
        return false;
      }
      const r = p.subarray(2);
      if (!isValidUtf8(r, this.env.isUtf8)) {
        this.fail(utf8Error('The server sent a close reason that is not valid UTF-8 (RFC 6455 §5.5.1)'));
        return false;
      }
      reason = this.decode(r);
    }
    this.parser.stop();
    if (this.st.kind === 'OPEN') {
      // §5.5.1: reply with a close frame, echoing the status code; then the server ends TCP (§7.1.1).
      this.writeControl(Opcode.Close, closePayload(code === CloseCode.NoStatus ? undefined : code, new Uint8Array(0)));
      this.st = { kind: 'CLOSING', initiatedBy: 'server', received: { code, reason } };
      this.sink.onState('CLOSING');
    } else if (this.st.kind === 'CLOSING') {
      this.st = { kind: 'CLOSING', initiatedBy: this.st.initiatedBy, received: { code, reason } };
    }
    return false;
  }

  /** The transport flushed its write buffer: send a held-back pong (see AUTO_PONG_BACKLOG_BYTES). */
  drained(): void {
    const p = this.pendingPong;
    this.pendingPong = null;
    if (p !== null && this.st.kind === 'OPEN') this.writeControl(Opcode.Pong, p);
  }

  // ---------------------------------------------------------------- end of the connection (§7)

  /** The TCP connection ended (FIN or close from the socket). */
  receiveEof(): void {
    const st = this.st;
    switch (st.kind) {
      case 'CONNECTING':
        this.handshakeFailed('NETWORK', st.requestSentAt === null ? 'The connection closed before the handshake started' : 'The server closed the connection before completing the handshake', null);
        return;
      case 'OPEN':
        // §7.1.5: no close frame received → 1006, reported only.
        this.finish(
          { code: CloseCode.Abnormal, reason: '', wasClean: false, initiatedBy: 'none' },
          abnormalError('NETWORK', 'The server closed the TCP connection without sending a close frame'),
        );
        return;
      case 'CLOSING':
        if (st.received !== null) {
          // §7.1.4: both close frames exchanged and TCP closed: a clean close.
          this.finish({ code: st.received.code, reason: st.received.reason, wasClean: true, initiatedBy: st.initiatedBy }, null);
        } else {
          this.finish(
            { code: CloseCode.Abnormal, reason: '', wasClean: false, initiatedBy: st.initiatedBy },
            abnormalError('NETWORK', 'The server closed the TCP connection without answering our close frame'),
          );
        }
        return;
      case 'CLOSED':
        return;
    }
  }

  /**
   * The transport's close timer fired in CLOSING. If close frames were exchanged the close is clean
   * and only the server's TCP close was missing (the transport now closes it, §7.1.1); otherwise
   * the server never answered our close.
   */
  closeTimeout(): void {
    const st = this.st;
    if (st.kind !== 'CLOSING') return;
    if (st.received !== null) {
      this.finish({ code: st.received.code, reason: st.received.reason, wasClean: true, initiatedBy: st.initiatedBy }, null);
    } else {
      this.finish(
        { code: CloseCode.Abnormal, reason: '', wasClean: false, initiatedBy: st.initiatedBy },
        abnormalError('CLOSE_TIMEOUT', 'The server did not answer our close frame in time; the connection was dropped'),
      );
    }
  }

  /** A transport-level failure (DNS, refused, TLS, timeouts, socket error): no close frame is sent. */
  abort(fault: ProtocolFault): void {
    if (this.st.kind === 'CLOSED') return;
    if (this.st.kind === 'CLOSING' && this.st.received !== null) {
      // Both close frames were exchanged (§7.1.4 cleanly closed handshake); a reset or error on
      // the way out of TCP does not make the close unclean.
      this.finish({ code: this.st.received.code, reason: this.st.received.reason, wasClean: true, initiatedBy: this.st.initiatedBy }, null);
      return;
    }
    const initiatedBy = this.st.kind === 'CLOSING' ? this.st.initiatedBy : 'none';
    if (this.st.kind === 'CONNECTING') {
      if (this.record.responseText === '') this.record.responseText = latin1Text(this.reader.received());
    }
    this.finish({ code: CloseCode.Abnormal, reason: '', wasClean: false, initiatedBy }, fault);
  }

  /** The user dropped the connection without a close frame (reported as 1006, RFC 6455 §7.1.5). */
  terminate(): void {
    if (this.st.kind === 'CLOSED') return;
    this.finish({ code: CloseCode.Abnormal, reason: '', wasClean: false, initiatedBy: 'client' }, null);
  }

  /**
   * Fail the WebSocket connection (§7.1.7): send a close frame with the fault's code if ours has not
   * gone out yet, then CLOSED. The transport ends TCP on CLOSED.
   */
  private fail(fault: ProtocolFault): void {
    if (this.st.kind === 'CLOSED') return;
    this.parser.stop();
    // Who started the close: us when our close frame carries the failure; else whoever did before.
    const wasOpen = this.st.kind === 'OPEN';
    const closing = this.st.kind === 'CLOSING' ? this.st.initiatedBy : 'none';
    if (wasOpen) {
      this.writeControl(Opcode.Close, closePayload(fault.closeCode, truncateUtf8(fault.message, MAX_CLOSE_REASON_BYTES)));
    }
    this.finish({ code: fault.closeCode, reason: '', wasClean: false, initiatedBy: wasOpen ? 'client' : closing }, fault);
  }

  private finish(close: CloseInfo, fault: ProtocolFault | null): void {
    const wasConnecting = this.st.kind === 'CONNECTING';
    this.st = { kind: 'CLOSED', close };
    this.parser.stop();
    this.inMsg = null;
    if (wasConnecting) this.reportHandshake();
    if (fault !== null) this.sink.onError(fault);
    this.sink.onState('CLOSED', close);
  }

  // ---------------------------------------------------------------- sending (§5.2, §5.3, §5.4)

  private requireOpen(what: string): void {
    if (this.st.kind !== 'OPEN') throw new WirechatError('NOT_OPEN', `Cannot ${what}: the connection is ${this.st.kind}`);
  }

  private maskKey(): Uint8Array {
    const k = this.env.randomBytes(MASK_KEY_BYTES);
    if (k.length !== MASK_KEY_BYTES) throw new WirechatError('INTERNAL', 'randomBytes returned the wrong length');
    return k;
  }

  sendText(text: string, fragmentSize?: number): void {
    this.requireOpen('send');
    this.sendMessage(Opcode.Text, this.encode(text), text, fragmentSize);
  }

  sendBinary(data: Uint8Array, fragmentSize?: number): void {
    this.requireOpen('send');
    this.sendMessage(Opcode.Binary, data, undefined, fragmentSize);
  }

  private sendMessage(opcode: number, data: Uint8Array, text: string | undefined, fragmentSize: number | undefined): void {
    if (fragmentSize !== undefined && fragmentSize !== 0 && (!Number.isSafeInteger(fragmentSize) || fragmentSize < 1)) {
      throw new WirechatError('INVALID_ARGUMENT', `fragmentSize must be a positive integer (got ${fragmentSize})`);
    }
    let wire = data;
    let compressed = false;
    if (this.pmd !== null && data.length >= this.compressThreshold) {
      const c = this.pmd.deflate(data);
      if (c !== null) {
        wire = c;
        compressed = true;
      }
    }
    const seq = ++this.outSeq;
    const size = fragmentSize !== undefined && fragmentSize > 0 ? fragmentSize : Math.max(wire.length, 1);
    // One clock read per send call: its frames leave together (as frames completed by one socket
    // read share its arrival time); a clock read costs as much as framing a small message.
    const time = this.env.now();
    let index = 0;
    let off = 0;
    do {
      const end = Math.min(off + size, wire.length);
      const part = off === 0 && end === wire.length ? wire : wire.subarray(off, end);
      const fin = end === wire.length;
      const frame: WireFrame = {
        dir: 'out',
        time,
        fin,
        // RFC 7692 §6.1: RSV1 on the first frame of a compressed message only.
        rsv1: compressed && index === 0,
        rsv2: false,
        rsv3: false,
        opcode: index === 0 ? opcode : Opcode.Continuation,
        masked: true,
        maskKey: this.maskKey(),
        headerLength: 0,
        payloadLength: part.length,
        payload: part,
        messageSeq: seq,
        fragmentIndex: index,
      };
      if (compressed && index === 0) frame.compressed = true;
      if (compressed && fin) frame.inflatedLength = data.length;
      // The record carries every header field, so it doubles as the encoder's header spec.
      const bytes = encodeFrame(frame, part, this.alloc);
      frame.headerLength = bytes.length - part.length;
      this.sink.write(bytes);
      this.sink.onFrame(frame);
      off = end;
      index++;
    } while (off < wire.length);
    const message: WireMessage = {
      dir: 'out',
      messageSeq: seq,
      time,
      kind: opcode === Opcode.Text ? 'text' : 'binary',
      data,
      wireLength: wire.length,
      compressed,
      frameCount: index,
    };
    if (text !== undefined) message.text = text;
    this.sink.onMessage(message);
  }

  ping(payload: Uint8Array = new Uint8Array(0)): void {
    this.requireOpen('ping');
    this.checkControlPayload(payload);
    this.writeControl(Opcode.Ping, payload);
  }

  pong(payload: Uint8Array = new Uint8Array(0)): void {
    this.requireOpen('pong');
    this.checkControlPayload(payload);
    this.writeControl(Opcode.Pong, payload);
  }

  private checkControlPayload(p: Uint8Array): void {
    if (p.length > MAX_CONTROL_PAYLOAD) throw new WirechatError('INVALID_ARGUMENT', `A control frame payload is at most ${MAX_CONTROL_PAYLOAD} bytes (got ${p.length}) (RFC 6455 §5.5)`);
  }

  /** Control frames may be sent between the fragments of a message (§5.4). */
  private writeControl(opcode: number, payload: Uint8Array): void {
    const key = this.maskKey();
    const bytes = encodeFrame({ fin: true, rsv1: false, rsv2: false, rsv3: false, opcode, maskKey: key }, payload, this.alloc);
    this.sink.write(bytes);
    this.sink.onFrame({
      dir: 'out', time: this.env.now(), fin: true, rsv1: false, rsv2: false, rsv3: false, opcode, masked: true,
      maskKey: key, headerLength: bytes.length - payload.length, payloadLength: payload.length, payload,
    });
  }

  /**
   * Start the closing handshake (§7.1.2). Code 1000 or 3000–4999; the reason needs a code and is at
   * most 123 bytes of UTF-8 (§5.5: 125 minus the code). No code: an empty close frame. While
   * CONNECTING this cancels the attempt (nothing to close yet). Idempotent once closing.
   */
  close(code?: number, reason = ''): void {
    if (code === undefined && reason !== '') throw new WirechatError('INVALID_ARGUMENT', 'A close reason needs a close code');
    if (code !== undefined && !isUserSendableCloseCode(code)) throw new WirechatError('INVALID_ARGUMENT', `Close code ${code} cannot be sent; use 1000 or 3000–4999`);
    const reasonBytes = textEncoder.encode(reason);
    if (reasonBytes.length > MAX_CLOSE_REASON_BYTES) throw new WirechatError('INVALID_ARGUMENT', `The close reason is ${reasonBytes.length} bytes of UTF-8; at most ${MAX_CLOSE_REASON_BYTES} are allowed (RFC 6455 §5.5)`);
    if (this.st.kind === 'CONNECTING') {
      this.finish({ code: CloseCode.Abnormal, reason: '', wasClean: false, initiatedBy: 'client' }, null);
      return;
    }
    if (this.st.kind !== 'OPEN') return;
    this.writeControl(Opcode.Close, closePayload(code, reasonBytes));
    this.st = { kind: 'CLOSING', initiatedBy: 'client', received: null };
    this.sink.onState('CLOSING');
  }

  /**
   * Close with 1001 Going Away (RFC 6455 §7.4.1: "an endpoint is going away, such as a server going
   * down or a browser having navigated away from a page"): the app quits or the user removed the
   * tab. Not offered to users, whose close() stays 1000/3000–4999. While CONNECTING it cancels like
   * close(); once closing it does nothing. (Added for the session layer's closeAll/remove.)
   */
  goingAway(): void {
    if (this.st.kind !== 'OPEN') {
      if (this.st.kind === 'CONNECTING') this.close();
      return;
    }
    this.writeControl(Opcode.Close, closePayload(CloseCode.GoingAway, new Uint8Array(0)));
    this.st = { kind: 'CLOSING', initiatedBy: 'client', received: null };
    this.sink.onState('CLOSING');
  }

  /**
   * The crafting tool: write any frame exactly as described (reserved opcodes, RSV bits, no mask,
   * non-minimal lengths). Only the length encoding must be able to hold the payload length.
   * Allowed while OPEN or CLOSING (testing how a server handles frames after a close is a use).
   */
  sendRawFrame(raw: RawFrame): void {
    if (this.st.kind !== 'OPEN' && this.st.kind !== 'CLOSING') throw new WirechatError('NOT_OPEN', `Cannot send a frame: the connection is ${this.st.kind}`);
    if (!Number.isInteger(raw.opcode) || raw.opcode < 0 || raw.opcode > 0xf) throw new WirechatError('INVALID_ARGUMENT', 'opcode must be 0–15');
    const n = raw.payload.length;
    const enc = raw.lengthEncoding ?? 'auto';
    if (enc === '7' && n > MAX_LEN7) throw new WirechatError('INVALID_ARGUMENT', `A 7-bit length holds at most ${MAX_LEN7} bytes (payload is ${n})`);
    if (enc === '16' && n > MAX_LEN16) throw new WirechatError('INVALID_ARGUMENT', `A 16-bit length holds at most ${MAX_LEN16} bytes (payload is ${n})`);
    let key: Uint8Array | null = null;
    if (raw.mask) {
      if (raw.maskKey !== undefined && raw.maskKey.length !== MASK_KEY_BYTES) throw new WirechatError('INVALID_ARGUMENT', 'maskKey must be 4 bytes');
      key = raw.maskKey ?? this.maskKey();
    }
    const bytes = encodeFrame({ fin: raw.fin, rsv1: raw.rsv1, rsv2: raw.rsv2, rsv3: raw.rsv3, opcode: raw.opcode, maskKey: key, lengthEncoding: enc }, raw.payload, this.alloc);
    this.sink.write(bytes);
    this.sink.onFrame({
      dir: 'out', time: this.env.now(), fin: raw.fin, rsv1: raw.rsv1, rsv2: raw.rsv2, rsv3: raw.rsv3, opcode: raw.opcode,
      masked: raw.mask, maskKey: key, headerLength: bytes.length - n, payloadLength: n, payload: raw.payload, crafted: true,
    });
  }
}

export { utf8Length };
