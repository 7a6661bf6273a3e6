// Validation of what a user may add to the opening handshake: extra request headers and the
// subprotocol list. Pure TS, shared by the renderer form (instant feedback) and main (enforcement).

import type { HeaderEntry } from './model.ts';

export type HeaderValidation = { ok: true } | { ok: false; message: string; index: number };

/**
 * RFC 7230 §3.2.6: token = 1*tchar;
 * tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
 */
const TOKEN_RE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export function isToken(s: string): boolean {
  return TOKEN_RE.test(s);
}

/**
 * Headers the client itself writes to make the handshake work (RFC 6455 §4.1). A user value would
 * either duplicate them (servers reject duplicates) or break the upgrade. The message says what to
 * use instead.
 */
const RESERVED_HEADERS: Readonly<Record<string, string>> = {
  upgrade: 'Upgrade is written by Wirechat (RFC 6455 §4.1) and cannot be changed',
  connection: 'Connection is written by Wirechat (RFC 6455 §4.1) and cannot be changed',
  'sec-websocket-key': 'Sec-WebSocket-Key is generated fresh for every connection (RFC 6455 §4.1) and cannot be set',
  'sec-websocket-version': 'Sec-WebSocket-Version is always 13 (RFC 6455 §4.1) and cannot be set',
  'sec-websocket-accept': 'Sec-WebSocket-Accept is a server response header, not a request header',
  'sec-websocket-extensions': 'Sec-WebSocket-Extensions is set by the permessage-deflate option — use that instead',
  'sec-websocket-protocol': 'Sec-WebSocket-Protocol is set from the subprotocol list — add the protocols there',
  'content-length': 'Content-Length would make the server wait for a request body; the handshake has none',
  'transfer-encoding': 'Transfer-Encoding would make the server expect a request body; the handshake has none',
};

/**
 * Headers that must appear at most once. Host: RFC 7230 §5.4 (a request with more than one Host is
 * answered 400). Origin: one origin per request (RFC 6454 §7). Authorization / Proxy-Authorization
 * are single credentials (RFC 7235 §4.2), Cookie must be one header (RFC 6265 §5.4).
 */
const SINGLE_HEADERS = new Set(['host', 'origin', 'authorization', 'proxy-authorization', 'cookie']);

/**
 * field-value (RFC 7230 §3.2): VCHAR / obs-text / SP / HTAB. CR and LF would inject new header
 * lines (request smuggling), NUL and other controls are rejected by servers. Characters above
 * U+00FF cannot be written as one octet each.
 */
const BAD_VALUE_CHAR_RE = /[\u0000-\u0008\u000A-\u001F\u007F]|[^\u0000-\u00FF]/;

function describeChar(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  if (cp === 0x0d) return 'a carriage return (CR)';
  if (cp === 0x0a) return 'a line feed (LF)';
  if (cp === 0x00) return 'a NUL character';
  if (cp > 0xff) return `the character "${ch}" (U+${cp.toString(16).toUpperCase().padStart(4, '0')}), which is not Latin-1`;
  return `the control character U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Check the user's extra handshake headers. Host IS allowed: overriding it is a deliberate tool
 * feature (virtual hosts, testing a proxy); the URL host is used when it is absent.
 * `origin`: the separate Origin option, if set — then an Origin header would duplicate it.
 */
export function validateUserHeaders(headers: readonly HeaderEntry[], context: { origin?: string } = {}): HeaderValidation {
  const seen = new Set<string>();
  for (let i = 0; i < headers.length; i++) {
    const h = headers[i];
    const name = h.name;
    if (name.trim() === '') return { ok: false, index: i, message: `Header ${i + 1} has no name` };
    if (!isToken(name)) {
      const bad = [...name].find((c) => !TOKEN_RE.test(c)) ?? '';
      const what = bad === ' ' ? 'a space' : bad === ':' ? 'a colon' : `"${bad}"`;
      return { ok: false, index: i, message: `Header name "${name}" contains ${what}; names may only use letters, digits and !#$%&'*+-.^_\`|~ (RFC 7230 §3.2.6)` };
    }
    const lower = name.toLowerCase();
    const reserved = RESERVED_HEADERS[lower];
    if (reserved !== undefined) return { ok: false, index: i, message: reserved };
    const badChar = BAD_VALUE_CHAR_RE.exec(h.value);
    if (badChar) return { ok: false, index: i, message: `The value of ${name} contains ${describeChar(badChar[0])}` };
    if (lower === 'origin' && context.origin !== undefined && context.origin !== '') {
      return { ok: false, index: i, message: 'Origin is already set by the Origin option — use one or the other' };
    }
    if (SINGLE_HEADERS.has(lower) && seen.has(lower)) {
      return { ok: false, index: i, message: `${name} appears twice; a request may carry only one ${name} header` };
    }
    seen.add(lower);
  }
  return { ok: true };
}

/**
 * RFC 6455 §4.1 item 10: each subprotocol is a token (RFC 2616 token) and the values must be
 * unique. Comparison is case-sensitive (§11.3.4: "subprotocol names are case-sensitive").
 */
export function validateSubprotocols(protocols: readonly string[]): HeaderValidation {
  const seen = new Set<string>();
  for (let i = 0; i < protocols.length; i++) {
    const p = protocols[i];
    if (p === '') return { ok: false, index: i, message: `Subprotocol ${i + 1} is empty` };
    if (!isToken(p)) {
      return { ok: false, index: i, message: `Subprotocol "${p}" is not a valid token: no spaces, commas, quotes or brackets (RFC 6455 §4.1)` };
    }
    if (seen.has(p)) return { ok: false, index: i, message: `Subprotocol "${p}" is listed twice` };
    seen.add(p);
  }
  return { ok: true };
}

/** Origin option: one line of printable ASCII/Latin-1 (it becomes a header value). */
export function validateOrigin(origin: string): HeaderValidation {
  const badChar = BAD_VALUE_CHAR_RE.exec(origin);
  if (badChar) return { ok: false, index: 0, message: `The Origin contains ${describeChar(badChar[0])}` };
  return { ok: true };
}
