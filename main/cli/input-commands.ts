// What one line of input (stdin or -x/--execute) asks for. Plain lines are text messages; lines
// starting with "/" are commands; "//" sends a text that starts with "/". Pure and synchronous, so
// every rule is unit-tested; bad input is a clear error action, never an exception.
import { isUserSendableCloseCode, MAX_CLOSE_REASON_BYTES, MAX_CONTROL_PAYLOAD } from '../../shared/protocol-constants.ts';

export type InputAction =
  | { kind: 'text'; text: string }
  | { kind: 'binary'; data: Uint8Array }
  | { kind: 'ping'; payload: Uint8Array }
  | { kind: 'pong'; payload: Uint8Array }
  | { kind: 'close'; code?: number; reason?: string }
  | { kind: 'help' }
  | { kind: 'error'; message: string };

export const INPUT_HELP = `input: each line is sent as a text message, or one of these commands:
  /binary HEX            send a binary message (hex digits; spaces and colons ignored)
  /base64 DATA           send a binary message given as base64
  /ping [TEXT]           send a ping (payload ≤ ${MAX_CONTROL_PAYLOAD} bytes)
  /pong [TEXT]           send an unsolicited pong (payload ≤ ${MAX_CONTROL_PAYLOAD} bytes)
  /close [CODE [REASON]] start the closing handshake (CODE 1000 or 3000–4999)
  /help                  this list
  //TEXT                 send "/TEXT" as text`;

const HEX_SEPARATORS = /[\s:]/g;
const HEX_DIGITS = /^[0-9a-fA-F]*$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;
const encoder = new TextEncoder();

export function parseHex(s: string): Uint8Array | string {
  const hex = s.replace(HEX_SEPARATORS, '');
  if (!HEX_DIGITS.test(hex)) return 'not hexadecimal';
  if (hex.length % 2 !== 0) return 'odd number of hex digits';
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

export function parseBase64(s: string): Uint8Array | string {
  const b = s.replace(/\s/g, '');
  // Buffer.from(…, 'base64') silently skips bad characters; check first so no data is invented.
  if (!BASE64.test(b) && !(BASE64URL.test(b) && b.length % 4 !== 1)) return 'not valid base64';
  return Uint8Array.from(Buffer.from(b, BASE64.test(b) ? 'base64' : 'base64url'));
}

function controlPayload(kind: 'ping' | 'pong', rest: string): InputAction {
  const payload = encoder.encode(rest);
  // RFC 6455 §5.5: control frame payloads are at most 125 bytes.
  if (payload.length > MAX_CONTROL_PAYLOAD) return { kind: 'error', message: `/${kind} payload is ${payload.length} bytes; the limit is ${MAX_CONTROL_PAYLOAD} (RFC 6455 §5.5)` };
  return { kind, payload };
}

export function parseInputLine(line: string): InputAction {
  if (!line.startsWith('/')) return { kind: 'text', text: line };
  if (line.startsWith('//')) return { kind: 'text', text: line.slice(1) };
  const m = /^\/(\S+)(?:\s(.*))?$/s.exec(line);
  const cmd = m?.[1] ?? '';
  const rest = m?.[2] ?? '';
  switch (cmd) {
    case 'binary': {
      const r = parseHex(rest);
      return typeof r === 'string' ? { kind: 'error', message: `/binary: ${r}` } : { kind: 'binary', data: r };
    }
    case 'base64': {
      const r = parseBase64(rest);
      return typeof r === 'string' ? { kind: 'error', message: `/base64: ${r}` } : { kind: 'binary', data: r };
    }
    case 'ping':
    case 'pong':
      return controlPayload(cmd, rest);
    case 'close': {
      const cm = /^\s*(\S+)?(?:\s(.*))?$/s.exec(rest);
      if (!cm?.[1]) return { kind: 'close' };
      const code = Number(cm[1]);
      // Users may send 1000 or an application code (RFC 6455 §7.4.2); the rest are reserved.
      if (!/^\d+$/.test(cm[1]) || !isUserSendableCloseCode(code)) return { kind: 'error', message: `/close: code must be 1000 or 3000–4999, got "${cm[1]}"` };
      const reason = cm[2] ?? '';
      const bytes = encoder.encode(reason).length;
      if (bytes > MAX_CLOSE_REASON_BYTES) return { kind: 'error', message: `/close: reason is ${bytes} bytes; the limit is ${MAX_CLOSE_REASON_BYTES} (RFC 6455 §5.5)` };
      return { kind: 'close', code, reason };
    }
    case 'help':
      return { kind: 'help' };
    default:
      return { kind: 'error', message: `unknown command /${cmd} (type /help; start a line with // to send text beginning with /)` };
  }
}
