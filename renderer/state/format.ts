// Pure formatting, decoding and validation helpers for the renderer. No DOM, no Lit: unit tested in
// node. Everything here treats its input as untrusted (payloads come from an arbitrary server, text
// fields from the user) and reports problems as values, never by throwing.

import { isUserSendableCloseCode, MAX_CLOSE_REASON_BYTES, MAX_CONTROL_PAYLOAD } from '../../shared/protocol-constants.ts';

const encoder = new TextEncoder();
/** Decoding with replacement: a server may send bytes we show as text even when not UTF-8. */
const lenientDecoder = new TextDecoder('utf-8', { fatal: false });

export const BYTES_PER_KIB = 1024;
const HEX_RADIX = 16;
const BYTE_HEX_DIGITS = 2;
/** Bytes per hex dump line, like `xxd`/`hexdump -C`. */
export const HEX_DUMP_WIDTH = 16;
const HEX_OFFSET_DIGITS = 8;
const PRINTABLE_MIN = 0x20;
const PRINTABLE_MAX = 0x7e;
const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export function utf8ByteLength(text: string): number {
  return encoder.encode(text).length;
}

export function utf8Encode(text: string): Uint8Array {
  return encoder.encode(text);
}

export function utf8DecodeLenient(bytes: Uint8Array): string {
  return lenientDecoder.decode(bytes);
}

export function base64ToBytes(b64: string): Uint8Array {
  // atob exists in browsers and in Node ≥ 16; chunks are small (previews) or fetched on demand.
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

const BASE64_CHUNK = 0x8000;
export function bytesToBase64(bytes: Uint8Array): string {
  let bin = '';
  // Chunked so String.fromCharCode never gets more arguments than the engine allows.
  for (let i = 0; i < bytes.length; i += BASE64_CHUNK) {
    bin += String.fromCharCode(...bytes.subarray(i, i + BASE64_CHUNK));
  }
  return btoa(bin);
}

export function base64ToText(b64: string): string {
  return utf8DecodeLenient(base64ToBytes(b64));
}

export function toHex(bytes: Uint8Array, separator = ' '): string {
  const parts: string[] = [];
  for (const b of bytes) parts.push(b.toString(HEX_RADIX).padStart(BYTE_HEX_DIGITS, '0'));
  return parts.join(separator);
}

/** `hexdump -C` style lines: offset, 16 bytes in hex, printable ASCII. */
export function hexDump(bytes: Uint8Array, maxBytes = bytes.length): string {
  const n = Math.min(bytes.length, maxBytes);
  const lines: string[] = [];
  for (let off = 0; off < n; off += HEX_DUMP_WIDTH) {
    const row = bytes.subarray(off, Math.min(off + HEX_DUMP_WIDTH, n));
    const hex = toHex(row).padEnd(HEX_DUMP_WIDTH * (BYTE_HEX_DIGITS + 1) - 1, ' ');
    let ascii = '';
    for (const b of row) ascii += b >= PRINTABLE_MIN && b <= PRINTABLE_MAX ? String.fromCharCode(b) : '.';
    lines.push(`${off.toString(HEX_RADIX).padStart(HEX_OFFSET_DIGITS, '0')}  ${hex}  |${ascii}|`);
  }
  return lines.join('\n');
}

/** Printable preview for a table cell: control characters become '·' so rows stay one line. */
export function previewText(text: string, maxChars: number): string {
  const flat = text.slice(0, maxChars).replace(/[\u0000-\u001f\u007f]/g, '·');
  return text.length > maxChars ? flat + '…' : flat;
}

export function formatBytes(n: number): string {
  if (n < BYTES_PER_KIB) return `${n} B`;
  const units = ['KB', 'MB', 'GB'];
  let v = n / BYTES_PER_KIB;
  let u = 0;
  while (v >= BYTES_PER_KIB && u < units.length - 1) {
    v /= BYTES_PER_KIB;
    u++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

const MS_PER_SECOND = 1000;
const SECONDS_PER_MINUTE = 60;
const MINUTES_PER_HOUR = 60;

/** "42s", "3m 05s", "1h 02m 03s" — how long a connection has been open. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / MS_PER_SECOND));
  const s = total % SECONDS_PER_MINUTE;
  const m = Math.floor(total / SECONDS_PER_MINUTE) % MINUTES_PER_HOUR;
  const h = Math.floor(total / (SECONDS_PER_MINUTE * MINUTES_PER_HOUR));
  const ss = String(s).padStart(2, '0');
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m ${ss}s`;
  if (m > 0) return `${m}m ${ss}s`;
  return `${s}s`;
}

/** Local wall-clock time with milliseconds: "14:03:07.123". */
export function formatClock(epochMs: number): string {
  const d = new Date(epochMs);
  const p2 = (x: number) => String(x).padStart(2, '0');
  return `${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

/** Time relative to the connection start, in ms with 3 decimals: "+1234.567 ms". */
export function formatRelativeMs(epochMs: number, startMs: number): string {
  const d = epochMs - startMs;
  return `${d >= 0 ? '+' : '−'}${Math.abs(d).toFixed(3)} ms`;
}

export function formatInteger(n: number): string {
  return n.toLocaleString('en-US');
}

// ---- JSON ------------------------------------------------------------------------------------

/** Pretty JSON if `text` is a JSON object or array; null otherwise (plain strings/numbers stay text). */
export function prettyJson(text: string): string | null {
  const t = text.trimStart();
  if (!(t.startsWith('{') || t.startsWith('['))) return null;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return null;
  }
}

export function parseJsonInput(text: string): Parsed<string> {
  if (text.trim() === '') return { ok: false, error: 'Enter a JSON value.' };
  try {
    JSON.parse(text);
    return { ok: true, value: text };
  } catch (e) {
    return { ok: false, error: `Not valid JSON: ${(e as Error).message}` };
  }
}

// ---- Binary input ----------------------------------------------------------------------------

/**
 * Hex typed by a user: bytes separated by spaces, colons or nothing; "0x" prefixes allowed.
 * Returns the bytes or says exactly what is wrong.
 */
export function parseHexInput(text: string): Parsed<Uint8Array> {
  const cleaned = text.replace(/0x/gi, '').replace(/[\s:,-]/g, '');
  if (cleaned === '') return { ok: false, error: 'Enter hex bytes, e.g. "48 65 6c 6c 6f".' };
  const bad = cleaned.search(/[^0-9a-fA-F]/);
  if (bad >= 0) return { ok: false, error: `"${cleaned[bad]}" is not a hex digit (use 0–9, a–f).` };
  if (cleaned.length % BYTE_HEX_DIGITS !== 0) {
    return { ok: false, error: 'Odd number of hex digits: every byte needs two digits.' };
  }
  const out = new Uint8Array(cleaned.length / BYTE_HEX_DIGITS);
  for (let i = 0; i < out.length; i++) {
    out[i] = parseInt(cleaned.slice(i * BYTE_HEX_DIGITS, (i + 1) * BYTE_HEX_DIGITS), HEX_RADIX);
  }
  return { ok: true, value: out };
}

/** Standard base64 (RFC 4648 §4) with padding; whitespace is ignored. */
export function parseBase64Input(text: string): Parsed<Uint8Array> {
  const cleaned = text.replace(/\s+/g, '');
  if (cleaned === '') return { ok: false, error: 'Enter base64 data, e.g. "SGVsbG8=".' };
  if (!BASE64_RE.test(cleaned)) {
    return {
      ok: false,
      error: 'Not valid base64: use A–Z a–z 0–9 + / with "=" padding to a multiple of 4 characters.',
    };
  }
  return { ok: true, value: base64ToBytes(cleaned) };
}

// ---- Control frames --------------------------------------------------------------------------

export interface CloseInput {
  code: number;
  reason: string;
}
export interface CloseValidation {
  value?: CloseInput;
  codeError?: string;
  reasonError?: string;
}

/** RFC 6455 §7.4: the UI lets a user send 1000 or 3000–4999; §5.5: reason ≤ 123 bytes of UTF-8. */
export function validateCloseInput(codeText: string, reason: string): CloseValidation {
  const out: CloseValidation = {};
  const trimmed = codeText.trim();
  const code = Number(trimmed);
  if (trimmed === '' || !/^\d+$/.test(trimmed)) out.codeError = 'Enter a close code: 1000, or 3000–4999.';
  else if (!isUserSendableCloseCode(code)) {
    out.codeError = `${code} cannot be sent: use 1000 (normal) or 3000–4999 (application codes).`;
  }
  const bytes = utf8ByteLength(reason);
  if (bytes > MAX_CLOSE_REASON_BYTES) {
    out.reasonError = `Reason is ${bytes} bytes of UTF-8; the limit is ${MAX_CLOSE_REASON_BYTES}.`;
  }
  if (!out.codeError && !out.reasonError) out.value = { code, reason };
  return out;
}

/** RFC 6455 §5.5: a ping payload is at most 125 bytes. */
export function validatePingPayload(text: string): Parsed<Uint8Array> {
  const bytes = utf8Encode(text);
  if (bytes.length > MAX_CONTROL_PAYLOAD) {
    return { ok: false, error: `Ping payload is ${bytes.length} bytes; the limit is ${MAX_CONTROL_PAYLOAD}.` };
  }
  return { ok: true, value: bytes };
}

/** RFC 6455 §5.5.1: a close frame payload is a 2-byte big-endian code then a UTF-8 reason. */
export function describeClosePayload(bytes: Uint8Array): string {
  if (bytes.length === 0) return 'no status code';
  if (bytes.length === 1) return 'malformed: 1 byte (a code needs 2)';
  const code = (bytes[0] << 8) | bytes[1];
  const reason = utf8DecodeLenient(bytes.subarray(2));
  return reason ? `${code} "${reason}"` : String(code);
}

// ---- Filters ---------------------------------------------------------------------------------

export type TextMatcher = { ok: true; test: (s: string) => boolean; active: boolean } | { ok: false; error: string };

/** A text filter: plain (case-insensitive substring) or a regular expression the user typed. */
export function compileMatcher(query: string, regex: boolean): TextMatcher {
  if (query === '') return { ok: true, test: () => true, active: false };
  if (!regex) {
    const q = query.toLowerCase();
    return { ok: true, test: (s) => s.toLowerCase().includes(q), active: true };
  }
  try {
    const re = new RegExp(query, 'i');
    return { ok: true, test: (s) => re.test(s), active: true };
  } catch (e) {
    return { ok: false, error: `Invalid regular expression: ${(e as Error).message}` };
  }
}
