// The one place where peer faults become typed errors (house rule 3). Every fault the server can
// cause maps to a stable ErrorCode and the close code it leads to; our own misuse throws a
// WirechatError instead and never reaches the wire.

import type { ErrorCode } from '../../shared/model.ts';
import { CloseCode } from '../../shared/protocol-constants.ts';

/** A fault caused by the peer (or the network): reported, never thrown. */
export interface ProtocolFault {
  code: ErrorCode;
  message: string;
  /** Close code sent (1002/1007/1009) or reported (1006). */
  closeCode: number;
}

/** Thrown for misuse of the API by our own code or user input checked in main. */
export class WirechatError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'WirechatError';
    this.code = code;
  }
}

/** RFC 6455 §7.4.1 1002: the peer broke the framing rules. */
export function protocolError(message: string): ProtocolFault {
  return { code: 'PROTOCOL', message, closeCode: CloseCode.ProtocolError };
}

/** RFC 6455 §8.1 / §7.4.1 1007: text or close reason that is not valid UTF-8. */
export function utf8Error(message: string): ProtocolFault {
  return { code: 'INVALID_UTF8', message, closeCode: CloseCode.InvalidPayload };
}

/** RFC 6455 §7.4.1 1009: a message larger than we accept. */
export function tooBigError(message: string): ProtocolFault {
  return { code: 'MESSAGE_TOO_BIG', message, closeCode: CloseCode.MessageTooBig };
}

/** Compressed data that does not inflate (RFC 7692 §8: treat as invalid payload data, 1007). */
export function deflateDataError(message: string): ProtocolFault {
  return { code: 'PROTOCOL', message, closeCode: CloseCode.InvalidPayload };
}

/**
 * Faults that end the connection without a close frame (handshake failures, TCP loss, timeouts).
 * RFC 6455 §7.1.5: with no close frame received the close code is reported as 1006, never sent.
 */
export function abnormalError(code: ErrorCode, message: string): ProtocolFault {
  return { code, message, closeCode: CloseCode.Abnormal };
}
