// RFC 6455 §4.1 / §4.2.2 opening handshake, client side: building the request and reading the
// response incrementally (any chunking, bounded buffering), then checking it. Pure: the key bytes
// and SHA-1 come from the caller.

import type { HeaderEntry } from '../../shared/model.ts';
import { WS_GUID } from '../../shared/protocol-constants.ts';
import type { ErrorCode } from '../../shared/model.ts';

export const HTTP_SWITCHING_PROTOCOLS = 101;
export const KEY_BYTES = 16; // §4.1 item 7: "a randomly selected 16-byte value"
const LF = 0x0a;
const CR = 0x0d;

export interface RequestSpec {
  target: string;
  hostHeader: string;
  key: string;
  origin?: string;
  protocols: readonly string[];
  /** Sec-WebSocket-Extensions value, or null for none. */
  extensions: string | null;
  /** Already validated (validateUserHeaders). A user Host replaces ours. */
  userHeaders: readonly HeaderEntry[];
}

/** The request headers in the order they are written. */
export function requestHeaders(spec: RequestSpec): HeaderEntry[] {
  const userHost = spec.userHeaders.find((h) => h.name.toLowerCase() === 'host');
  const headers: HeaderEntry[] = [
    // §4.1 item 4; a user Host is a deliberate override (virtual hosts, proxies under test).
    { name: 'Host', value: userHost ? userHost.value : spec.hostHeader },
    { name: 'Upgrade', value: 'websocket' },
    { name: 'Connection', value: 'Upgrade' },
    { name: 'Sec-WebSocket-Key', value: spec.key },
    { name: 'Sec-WebSocket-Version', value: '13' },
  ];
  if (spec.origin) headers.push({ name: 'Origin', value: spec.origin });
  if (spec.protocols.length > 0) headers.push({ name: 'Sec-WebSocket-Protocol', value: spec.protocols.join(', ') });
  if (spec.extensions !== null) headers.push({ name: 'Sec-WebSocket-Extensions', value: spec.extensions });
  for (const h of spec.userHeaders) if (h !== userHost) headers.push({ name: h.name, value: h.value });
  return headers;
}

export function requestText(target: string, headers: readonly HeaderEntry[]): string {
  let s = `GET ${target} HTTP/1.1\r\n`;
  for (const h of headers) s += `${h.name}: ${h.value}\r\n`;
  return s + '\r\n';
}

/** Latin-1 bytes of the request (header values were checked to be ≤ U+00FF). */
export function latin1Bytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

export function latin1Text(b: Uint8Array): string {
  let s = '';
  const step = 8192;
  for (let i = 0; i < b.length; i += step) s += String.fromCharCode(...b.subarray(i, i + step));
  return s;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
export function base64(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += B64[n >>> 18] + B64[(n >>> 12) & 63] + B64[(n >>> 6) & 63] + B64[n & 63];
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i] << 16;
    out += B64[n >>> 18] + B64[(n >>> 12) & 63] + '==';
  } else if (rest === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += B64[n >>> 18] + B64[(n >>> 12) & 63] + B64[(n >>> 6) & 63] + '=';
  }
  return out;
}

/** §4.2.2 item 5.4 / §1.3: base64(SHA-1(key ‖ GUID)). */
export function expectedAccept(key: string, sha1: (data: Uint8Array) => Uint8Array): string {
  return base64(sha1(latin1Bytes(key + WS_GUID)));
}

/**
 * Collects the response header block across chunks, up to a byte limit. The end of the block is
 * the first empty line; lines end in CRLF, and a bare LF is accepted too (RFC 7230 §3.5).
 */
export class ResponseReader {
  private readonly limit: number;
  private readonly parts: Uint8Array[] = [];
  private size = 0;
  /** 0: inside a line; 1: just after LF; 2: after LF then CR. */
  private lineState = 0;

  constructor(limit: number) {
    this.limit = limit;
  }

  get maxBytes(): number {
    return this.limit;
  }

  /** Bytes received so far (for partial records on failure). */
  received(): Uint8Array {
    return concat(this.parts, this.size);
  }

  /**
   * Feed a chunk. Returns 'more' (need more bytes), 'too-large', or the header block plus any bytes
   * after it in this chunk (those are WebSocket frames, RFC 6455 §4.2.2 / §5).
   */
  push(chunk: Uint8Array): 'more' | 'too-large' | { head: Uint8Array; rest: Uint8Array } {
    let st = this.lineState;
    const room = this.limit - this.size;
    const scan = Math.min(chunk.length, room);
    for (let i = 0; i < scan; i++) {
      const b = chunk[i];
      if (b === LF) {
        if (st !== 0) {
          this.parts.push(chunk.subarray(0, i + 1));
          this.size += i + 1;
          return { head: concat(this.parts, this.size), rest: chunk.subarray(i + 1) };
        }
        st = 1;
      } else if (b === CR && st === 1) {
        st = 2;
      } else {
        st = 0;
      }
    }
    this.lineState = st;
    this.parts.push(scan === chunk.length ? chunk : chunk.subarray(0, scan));
    this.size += scan;
    return scan < chunk.length || this.size >= this.limit ? 'too-large' : 'more';
  }
}

function concat(parts: readonly Uint8Array[], size: number): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(size);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

export interface ParsedResponse {
  statusCode: number;
  statusText: string;
  httpVersion: string;
  headers: HeaderEntry[];
}

export type HandshakeCheck = { ok: true } | { ok: false; code: ErrorCode; reason: string };

const STATUS_RE = /^HTTP\/(\d)\.(\d) (\d{3})(?: (.*))?$/;
const HEADER_RE = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+):[ \t]*(.*?)[ \t]*$/;

/** Parse the header block text (status line + header lines). */
export function parseResponseHead(text: string): { ok: true; value: ParsedResponse } | { ok: false; reason: string } {
  const lines = text.split(/\r?\n/);
  // The block ends with an empty line; drop it (and the empty string after the final LF).
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const status = STATUS_RE.exec(lines[0] ?? '');
  if (!status) return { ok: false, reason: `The server's answer does not start with an HTTP status line (got "${truncate(lines[0] ?? '', 80)}")` };
  const headers: HeaderEntry[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    // RFC 7230 §3.2.4: obsolete line folding may be rejected; it is never needed for a handshake.
    if (line.startsWith(' ') || line.startsWith('\t')) return { ok: false, reason: `Header line ${i} is a folded continuation line, which is not allowed (RFC 7230 §3.2.4)` };
    const m = HEADER_RE.exec(line);
    if (!m) return { ok: false, reason: `Header line ${i} is malformed: "${truncate(line, 80)}"` };
    headers.push({ name: m[1], value: m[2] });
  }
  return {
    ok: true,
    value: { httpVersion: `${status[1]}.${status[2]}`, statusCode: Number(status[3]), statusText: status[4] ?? '', headers },
  };
}

function truncate(s: string, n: number): string {
  return s.length > n ? s.slice(0, n) + '…' : s;
}

export function headerValues(headers: readonly HeaderEntry[], name: string): string[] {
  const lower = name.toLowerCase();
  const out: string[] = [];
  for (const h of headers) if (h.name.toLowerCase() === lower) out.push(h.value);
  return out;
}

/**
 * RFC 6455 §4.1, client requirements 1–4 for the response (status, Upgrade, Connection, Accept).
 * Subprotocol (item 6) and extensions (item 5) are checked by the caller, which knows the offer.
 */
export function checkResponse(res: ParsedResponse, key: string, sha1: (data: Uint8Array) => Uint8Array): HandshakeCheck {
  if (res.statusCode !== HTTP_SWITCHING_PROTOCOLS) {
    return { ok: false, code: 'HANDSHAKE_STATUS', reason: `The server answered ${res.statusCode}${res.statusText ? ' ' + res.statusText : ''} instead of 101 Switching Protocols` };
  }
  if (res.httpVersion !== '1.1') {
    return { ok: false, code: 'HANDSHAKE_MALFORMED', reason: `The server answered with HTTP/${res.httpVersion}; a WebSocket handshake needs HTTP/1.1 (RFC 6455 §4.1)` };
  }
  const upgrade = headerValues(res.headers, 'Upgrade');
  if (upgrade.length !== 1 || upgrade[0].toLowerCase() !== 'websocket') {
    const got = upgrade.length === 0 ? 'no Upgrade header' : `Upgrade: ${upgrade.join(', ')}`;
    return { ok: false, code: 'HANDSHAKE_UPGRADE', reason: `The server's response has ${got}; it must be "Upgrade: websocket" (RFC 6455 §4.1)` };
  }
  const connection = headerValues(res.headers, 'Connection');
  const tokens = connection.flatMap((v) => v.split(',')).map((t) => t.trim().toLowerCase());
  if (!tokens.includes('upgrade')) {
    const got = connection.length === 0 ? 'no Connection header' : `Connection: ${connection.join(', ')}`;
    return { ok: false, code: 'HANDSHAKE_CONNECTION', reason: `The server's response has ${got}; it must include the "Upgrade" token (RFC 6455 §4.1)` };
  }
  const accept = headerValues(res.headers, 'Sec-WebSocket-Accept');
  const expected = expectedAccept(key, sha1);
  if (accept.length !== 1 || accept[0] !== expected) {
    const got = accept.length === 0 ? 'is missing' : accept.length > 1 ? 'appears more than once' : `is "${accept[0]}"`;
    return { ok: false, code: 'HANDSHAKE_ACCEPT', reason: `Sec-WebSocket-Accept ${got}; expected "${expected}" for our key (RFC 6455 §4.1)` };
  }
  return { ok: true };
}

/** §4.1 item 6: the selected subprotocol must be one we offered (case-sensitive). */
export function checkProtocol(res: ParsedResponse, offered: readonly string[]): { ok: true; protocol: string | undefined } | { ok: false; reason: string } {
  const values = headerValues(res.headers, 'Sec-WebSocket-Protocol');
  if (values.length === 0) return { ok: true, protocol: undefined };
  if (values.length > 1 || values[0].includes(',')) return { ok: false, reason: `The server selected more than one subprotocol (${values.join(', ')}); it must pick exactly one (RFC 6455 §4.2.2)` };
  const p = values[0];
  if (offered.length === 0) return { ok: false, reason: `The server selected subprotocol "${p}", but we offered none (RFC 6455 §4.1)` };
  if (!offered.includes(p)) return { ok: false, reason: `The server selected subprotocol "${p}", which we did not offer (we offered ${offered.join(', ')}) (RFC 6455 §4.1)` };
  return { ok: true, protocol: p };
}
