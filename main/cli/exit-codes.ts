// Process exit codes of the wirechat CLI: 0 for a clean close, one distinct code per way a
// connection can end badly, so scripts can tell them apart.
import type { CloseInfo, ErrorCode, ErrorRecord } from '../../shared/model.ts';
import { CloseCode } from '../../shared/protocol-constants.ts';

export const ExitCode = {
  /** The closing handshake completed with 1000, 1001 or no status (RFC 6455 §7.1.5, §7.4.1), or
   * with the code we sent ourselves. */
  Ok: 0,
  /** A bug or an unexpected failure in wirechat itself. */
  Internal: 1,
  /** Bad command line or unusable option value (a file that cannot be read, a bad header). */
  Usage: 2,
  /** No TCP/TLS connection: DNS, refused, timeout, network, certificate. */
  ConnectionFailed: 3,
  /** TCP was up but the opening handshake failed (RFC 6455 §4.1: status, Upgrade, Accept, …). */
  HandshakeFailed: 4,
  /** The WebSocket connection was failed for a protocol fault (1002, 1007, 1009 — either side). */
  ProtocolError: 5,
  /** The connection ended without a closing handshake (1006: TCP lost, close or ping timeout). */
  AbnormalClose: 6,
  /** The server closed cleanly, but with a status other than 1000/1001/1005 (e.g. 1008, 1011, 4xxx). */
  ClosedWithError: 7,
  /** Interrupted twice, or stopped early (128 + SIGINT, the shell convention). */
  Interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

const CONNECTION_ERRORS: ReadonlySet<ErrorCode> = new Set(['INVALID_URL', 'DNS', 'REFUSED', 'TIMEOUT', 'NETWORK', 'TLS']);
const PROTOCOL_ERRORS: ReadonlySet<ErrorCode> = new Set(['PROTOCOL', 'INVALID_UTF8', 'MESSAGE_TOO_BIG']);
const ABNORMAL_ERRORS: ReadonlySet<ErrorCode> = new Set(['CLOSE_TIMEOUT', 'KEEPALIVE_TIMEOUT']);
const PROTOCOL_CLOSE_CODES: ReadonlySet<number> = new Set([CloseCode.ProtocolError, CloseCode.InvalidPayload, CloseCode.MessageTooBig]);
const NORMAL_CLOSE_CODES: ReadonlySet<number> = new Set([CloseCode.Normal, CloseCode.GoingAway, CloseCode.NoStatus]);

/**
 * The exit code for how a connection ended: its first error (if any), its close, and whether it
 * ever reached OPEN (a network error after the handshake is a lost connection, not a failed one).
 */
export function exitCodeFor(error: ErrorRecord | undefined, close: CloseInfo | undefined, opened = false): ExitCodeValue {
  if (error) {
    if (error.code === 'INVALID_OPTIONS' || error.code === 'INVALID_HEADER' || error.code === 'INVALID_ARGUMENT') return ExitCode.Usage;
    if (CONNECTION_ERRORS.has(error.code)) return opened ? ExitCode.AbnormalClose : ExitCode.ConnectionFailed;
    if (error.code.startsWith('HANDSHAKE_')) return ExitCode.HandshakeFailed;
    if (PROTOCOL_ERRORS.has(error.code)) return ExitCode.ProtocolError;
    if (ABNORMAL_ERRORS.has(error.code)) return ExitCode.AbnormalClose;
  }
  if (!close) return error ? ExitCode.Internal : ExitCode.AbnormalClose;
  if (PROTOCOL_CLOSE_CODES.has(close.code)) return ExitCode.ProtocolError;
  if (!close.wasClean || close.code === CloseCode.Abnormal) return ExitCode.AbnormalClose;
  // A code we chose ourselves (/close 4000) is not a failure; an unusual code from the server is.
  if (NORMAL_CLOSE_CODES.has(close.code) || close.initiatedBy === 'client') return ExitCode.Ok;
  return ExitCode.ClosedWithError;
}

export const EXIT_CODE_HELP = `Exit codes:
  0  clean close: 1000, 1001, no status, or the code we sent ourselves
  1  internal error
  2  usage error (bad option, unreadable file)
  3  connection failed (DNS, refused, timeout, TLS)
  4  handshake failed (status, Upgrade, Sec-WebSocket-Accept, subprotocol, extension)
  5  protocol error (1002, 1007, 1009 — from either side)
  6  abnormal close (1006: connection lost, close or ping timeout)
  7  the server closed cleanly with another status code (1003, 1008, 1011, 4xxx, …)
  130  interrupted twice (connection dropped)`;
