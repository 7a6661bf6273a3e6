// RFC 6455 constants shared by the main process (protocol core) and the renderer.
// Pure TS: no node:*, no DOM, no electron.

/** RFC 6455 §5.2 opcodes. 0x3–0x7 and 0xB–0xF are reserved. */
export const Opcode = {
  Continuation: 0x0,
  Text: 0x1,
  Binary: 0x2,
  Close: 0x8,
  Ping: 0x9,
  Pong: 0xa,
} as const;
export type OpcodeValue = (typeof Opcode)[keyof typeof Opcode];

export function opcodeName(op: number): string {
  switch (op) {
    case Opcode.Continuation: return 'CONT';
    case Opcode.Text: return 'TEXT';
    case Opcode.Binary: return 'BINARY';
    case Opcode.Close: return 'CLOSE';
    case Opcode.Ping: return 'PING';
    case Opcode.Pong: return 'PONG';
    default: return `RESERVED(0x${op.toString(16).toUpperCase()})`;
  }
}

/** RFC 6455 §5.5: control frames have the high bit of the opcode set. */
export function isControlOpcode(op: number): boolean {
  return (op & 0x8) !== 0;
}

/** RFC 6455 §7.4.1 and the IANA registry. */
export const CloseCode = {
  Normal: 1000,
  GoingAway: 1001,
  ProtocolError: 1002,
  UnsupportedData: 1003,
  Reserved: 1004,
  NoStatus: 1005,
  Abnormal: 1006,
  InvalidPayload: 1007,
  PolicyViolation: 1008,
  MessageTooBig: 1009,
  MandatoryExtension: 1010,
  InternalError: 1011,
  ServiceRestart: 1012,
  TryAgainLater: 1013,
  BadGateway: 1014,
  TlsHandshake: 1015,
} as const;

const CLOSE_CODE_NAMES: Record<number, string> = {
  1000: 'Normal Closure',
  1001: 'Going Away',
  1002: 'Protocol Error',
  1003: 'Unsupported Data',
  1004: 'Reserved',
  1005: 'No Status Received',
  1006: 'Abnormal Closure',
  1007: 'Invalid Frame Payload Data',
  1008: 'Policy Violation',
  1009: 'Message Too Big',
  1010: 'Mandatory Extension',
  1011: 'Internal Error',
  1012: 'Service Restart',
  1013: 'Try Again Later',
  1014: 'Bad Gateway',
  1015: 'TLS Handshake',
};

export function closeCodeName(code: number): string {
  const known = CLOSE_CODE_NAMES[code];
  if (known) return known;
  if (code >= 3000 && code <= 3999) return 'Registered (library/framework)';
  if (code >= 4000 && code <= 4999) return 'Private use';
  return 'Unknown';
}

/**
 * RFC 6455 §7.4.1/§7.4.2: may this code appear in a close frame on the wire?
 * 1005, 1006, 1015 are reserved for reporting; 1004 is reserved; 1016–2999 are not
 * yet assigned; 1012–1014 are registered with IANA and allowed.
 */
export function isValidWireCloseCode(code: number): boolean {
  if (!Number.isInteger(code)) return false;
  if (code >= 1000 && code <= 1014) return code !== 1004 && code !== 1005 && code !== 1006;
  return code >= 3000 && code <= 4999;
}

/** What our UI/API lets a user send with the normal close button: 1000 or 3000–4999. */
export function isUserSendableCloseCode(code: number): boolean {
  return Number.isInteger(code) && (code === 1000 || (code >= 3000 && code <= 4999));
}

/** RFC 6455 §5.5: control frame payloads are at most 125 bytes; a close reason at most 123. */
export const MAX_CONTROL_PAYLOAD = 125;
export const MAX_CLOSE_REASON_BYTES = 123;

export const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** Defaults for every limit (house rule 2: each limit is an option with a safe default). */
export const Defaults = {
  maxMessageBytes: 64 * 1024 * 1024,
  maxHandshakeHeaderBytes: 16 * 1024,
  handshakeTimeoutMs: 15_000,
  closeTimeoutMs: 5_000,
  /** How many payload bytes a frame/message record carries to the renderer. */
  previewBytes: 4 * 1024,
  /** How many frames a connection keeps in its ring log. */
  frameLogCapacity: 100_000,
  messageLogCapacity: 100_000,
  /** Event batching interval towards a window (≈ one animation frame). */
  batchIntervalMs: 16,
} as const;
