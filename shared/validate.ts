// Runtime guards for every command argument of shared/api.ts. The renderer is untrusted (house
// rule 9): whatever arrives over IPC or HTTP is `unknown` until one of these guards has checked
// every field and built a clean copy with only the known fields. Pure TS (no node:*), so the
// renderer may reuse the same checks for instant form feedback.

import type { ApiError, CloseArgs, CommandArgs, CommandName, ControlArgs, PageArgs, PayloadArgs, SendArgs } from './api.ts';
import { COMMAND_NAMES } from './api.ts';
import type { ConnectOptions, HeaderEntry, RawFrameSpec, TlsOptions } from './model.ts';
import { Defaults, MAX_CLOSE_REASON_BYTES, MAX_CONTROL_PAYLOAD, isUserSendableCloseCode } from './protocol-constants.ts';
import { parseWsUrl } from './ws-url.ts';
import { validateOrigin, validateSubprotocols, validateUserHeaders } from './handshake-headers.ts';

/** Largest message a user may send in one command (decoded bytes). Same as the default receive limit. */
export const MAX_SEND_BYTES = Defaults.maxMessageBytes;
/** Connection ids are short random strings; anything longer is certainly not one of ours. */
export const MAX_ID_LENGTH = 64;
/** Page size limits of getFrames/getMessages (shared/api.ts PageArgs). */
export const DEFAULT_PAGE_LIMIT = 1000;
export const MAX_PAGE_LIMIT = 10_000;
/** PEM text for a CA / client certificate / key: generous, but bounded. */
export const MAX_PEM_CHARS = 1024 * 1024;
export const MAX_LABEL_CHARS = 200;
export const MAX_SERVERNAME_CHARS = 253; // RFC 1035 §2.3.4: a host name is at most 253 characters.
export const MAX_HEADERS = 100;
export const MAX_PROTOCOLS = 64;
/** Upper bounds for the timing options: a day in seconds, ten minutes in ms. */
export const MAX_KEEPALIVE_SEC = 86_400;
export const MAX_TIMEOUT_MS = 600_000;
/** Largest maxMessageBytes a user may choose (1 GiB); the transport buffers whole messages. */
export const MAX_MESSAGE_LIMIT_BYTES = 1024 * 1024 * 1024;
/** RFC 6455 §5.2: the opcode is 4 bits. */
export const MAX_OPCODE = 0xf;
/** RFC 6455 §5.2: 7-bit length field holds 0–125; 126 selects the 16-bit form. */
const MAX_7BIT_LENGTH = 125;
const MAX_16BIT_LENGTH = 0xffff;
/** RFC 6455 §5.3: the masking key is 32 bits = 8 hex digits. */
const MASK_KEY_RE = /^[0-9a-fA-F]{8}$/;
/** RFC 4648 §4 base64 alphabet with padding. */
const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;
const BASE64_QUANTUM = 4;
const BASE64_BYTES_PER_QUANTUM = 3;

export type Validated<T> = { ok: true; value: T } | { ok: false; error: ApiError };

const fail = (message: string): { ok: false; error: ApiError } => ({ ok: false, error: { code: 'INVALID_ARGUMENT', message } });
const failWith = (code: ApiError['code'], message: string): { ok: false; error: ApiError } => ({ ok: false, error: { code, message } });

export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && (COMMAND_NAMES as readonly string[]).includes(name);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Refuse fields we do not know: a typo must not be silently ignored. `undefined` counts as absent. */
function unknownKey(obj: Record<string, unknown>, allowed: readonly string[]): string | undefined {
  for (const k of Object.keys(obj)) if (!allowed.includes(k) && obj[k] !== undefined) return k;
  return undefined;
}

function present(obj: Record<string, unknown>, key: string): boolean {
  return obj[key] !== undefined && obj[key] !== null;
}

/** Decoded byte length of a base64 string, or -1 if it is not valid padded base64. */
export function base64DecodedLength(s: string): number {
  if (s.length % BASE64_QUANTUM !== 0 || !BASE64_RE.test(s)) return -1;
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  return (s.length / BASE64_QUANTUM) * BASE64_BYTES_PER_QUANTUM - pad;
}

/** UTF-8 byte length of a string, or -1 when it holds a lone surrogate (it could not be sent as is). */
export function utf8ByteLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      const d = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (d < 0xdc00 || d > 0xdfff) return -1;
      n += 4;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return -1;
    else n += 3;
  }
  return n;
}

function checkId(args: Record<string, unknown>): string | { ok: false; error: ApiError } {
  const id = args.id;
  if (typeof id !== 'string' || id.length === 0) return fail('id must be a non-empty string (a connection id from connect or list).');
  if (id.length > MAX_ID_LENGTH) return failWith('UNKNOWN_CONNECTION', 'No connection has that id.');
  return id;
}

function optionalBool(obj: Record<string, unknown>, key: string, where: string): boolean | undefined | string {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') return `${where}${key} must be true or false.`;
  return v;
}

function optionalInt(obj: Record<string, unknown>, key: string, min: number, max: number, where = ''): number | undefined | string {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    return `${where}${key} must be a whole number from ${min} to ${max}.`;
  }
  return v;
}

function optionalNumber(obj: Record<string, unknown>, key: string, min: number, max: number): number | undefined | string {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) return `${key} must be a number from ${min} to ${max}.`;
  return v;
}

function optionalString(obj: Record<string, unknown>, key: string, maxChars: number, where = ''): string | undefined | { error: string } {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') return { error: `${where}${key} must be a string.` };
  if (v.length > maxChars) return { error: `${where}${key} is longer than ${maxChars} characters.` };
  return v;
}

function validateTls(v: unknown): Validated<TlsOptions> {
  if (!isRecord(v)) return fail('tls must be an object { verify, caPem?, certPem?, keyPem?, servername? }.');
  const extra = unknownKey(v, ['verify', 'caPem', 'certPem', 'keyPem', 'servername']);
  if (extra) return fail(`tls.${extra} is not a TLS option.`);
  const verify = optionalBool(v, 'verify', 'tls.');
  if (typeof verify === 'string') return fail(verify);
  const out: TlsOptions = { verify: verify ?? true };
  for (const key of ['caPem', 'certPem', 'keyPem'] as const) {
    const s = optionalString(v, key, MAX_PEM_CHARS, 'tls.');
    if (typeof s === 'object') return fail(s.error);
    if (s !== undefined) {
      if (!s.includes('-----BEGIN ')) return fail(`tls.${key} is not PEM text (expected a "-----BEGIN …-----" block).`);
      out[key] = s;
    }
  }
  if ((out.certPem === undefined) !== (out.keyPem === undefined)) {
    return fail('A client certificate needs both tls.certPem and tls.keyPem.');
  }
  const sn = optionalString(v, 'servername', MAX_SERVERNAME_CHARS, 'tls.');
  if (typeof sn === 'object') return fail(sn.error);
  if (sn !== undefined) {
    if (!/^[A-Za-z0-9.-]+$/.test(sn)) return fail('tls.servername must be a host name (letters, digits, dots and dashes).');
    out.servername = sn;
  }
  return { ok: true, value: out };
}

const CONNECT_KEYS = [
  'url', 'protocols', 'headers', 'origin', 'deflate', 'tls', 'autoPong', 'keepaliveIntervalSec',
  'keepaliveTimeoutSec', 'maxMessageBytes', 'handshakeTimeoutMs', 'closeTimeoutMs', 'label',
] as const;

export function validateConnectOptions(args: unknown): Validated<ConnectOptions> {
  if (!isRecord(args)) return fail('connect needs an options object with at least a url.');
  const extra = unknownKey(args, CONNECT_KEYS);
  if (extra) return fail(`${extra} is not a connection option.`);
  if (typeof args.url !== 'string') return failWith('INVALID_URL', 'url must be a string such as ws://127.0.0.1:8080/.');
  const parsed = parseWsUrl(args.url);
  if (!parsed.ok) return failWith('INVALID_URL', parsed.message);
  const out: ConnectOptions = { url: args.url };

  if (present(args, 'protocols')) {
    const p = args.protocols;
    if (!Array.isArray(p) || p.length > MAX_PROTOCOLS || !p.every((x): x is string => typeof x === 'string')) {
      return failWith('INVALID_OPTIONS', `protocols must be a list of at most ${MAX_PROTOCOLS} strings.`);
    }
    const r = validateSubprotocols(p);
    if (!r.ok) return failWith('INVALID_OPTIONS', r.message);
    out.protocols = [...p];
  }
  if (present(args, 'origin')) {
    if (typeof args.origin !== 'string') return failWith('INVALID_OPTIONS', 'origin must be a string.');
    const r = validateOrigin(args.origin);
    if (!r.ok) return failWith('INVALID_OPTIONS', r.message);
    out.origin = args.origin;
  }
  if (present(args, 'headers')) {
    const h = args.headers;
    if (!Array.isArray(h) || h.length > MAX_HEADERS) return failWith('INVALID_HEADER', `headers must be a list of at most ${MAX_HEADERS} { name, value } entries.`);
    const headers: HeaderEntry[] = [];
    for (let i = 0; i < h.length; i++) {
      const e: unknown = h[i];
      if (!isRecord(e) || typeof e.name !== 'string' || typeof e.value !== 'string' || unknownKey(e, ['name', 'value'])) {
        return failWith('INVALID_HEADER', `headers[${i}] must be { name: string, value: string }.`);
      }
      headers.push({ name: e.name, value: e.value });
    }
    const r = validateUserHeaders(headers, out.origin !== undefined ? { origin: out.origin } : {});
    if (!r.ok) return failWith('INVALID_HEADER', r.message);
    out.headers = headers;
  }
  for (const key of ['deflate', 'autoPong'] as const) {
    const b = optionalBool(args, key, '');
    if (typeof b === 'string') return failWith('INVALID_OPTIONS', b);
    if (b !== undefined) out[key] = b;
  }
  if (present(args, 'tls')) {
    const t = validateTls(args.tls);
    if (!t.ok) return failWith('INVALID_OPTIONS', t.error.message);
    // A form may always send its TLS settings; for ws:// they mean nothing and are dropped.
    if (parsed.url.secure) out.tls = t.value;
  }
  const numeric: Array<[keyof ConnectOptions, number | undefined | string]> = [
    ['keepaliveIntervalSec', optionalNumber(args, 'keepaliveIntervalSec', 0, MAX_KEEPALIVE_SEC)],
    ['keepaliveTimeoutSec', optionalNumber(args, 'keepaliveTimeoutSec', 0, MAX_KEEPALIVE_SEC)],
    ['maxMessageBytes', optionalInt(args, 'maxMessageBytes', 1, MAX_MESSAGE_LIMIT_BYTES)],
    ['handshakeTimeoutMs', optionalInt(args, 'handshakeTimeoutMs', 1, MAX_TIMEOUT_MS)],
    ['closeTimeoutMs', optionalInt(args, 'closeTimeoutMs', 1, MAX_TIMEOUT_MS)],
  ];
  for (const [key, v] of numeric) {
    if (typeof v === 'string') return failWith('INVALID_OPTIONS', v);
    if (v !== undefined) (out as unknown as Record<string, number>)[key] = v;
  }
  const label = optionalString(args, 'label', MAX_LABEL_CHARS);
  if (typeof label === 'object') return failWith('INVALID_OPTIONS', label.error);
  if (label !== undefined) out.label = label;
  return { ok: true, value: out };
}

export function validateSendArgs(args: unknown): Validated<SendArgs> {
  if (!isRecord(args)) return fail('send needs { id, kind, data }.');
  const extra = unknownKey(args, ['id', 'kind', 'data', 'fragmentSize']);
  if (extra) return fail(`${extra} is not an argument of send.`);
  const id = checkId(args);
  if (typeof id !== 'string') return id;
  if (args.kind !== 'text' && args.kind !== 'binary') return fail("kind must be 'text' or 'binary'.");
  if (typeof args.data !== 'string') return fail('data must be a string (text, or base64 for binary).');
  const size = args.kind === 'text' ? utf8ByteLength(args.data) : base64DecodedLength(args.data);
  if (size < 0) {
    return fail(args.kind === 'text'
      ? 'The text contains an unpaired surrogate and cannot be encoded as UTF-8 (RFC 6455 §5.6).'
      : 'data is not valid base64.');
  }
  if (size > MAX_SEND_BYTES) return fail(`The message is ${size} bytes; at most ${MAX_SEND_BYTES} bytes can be sent at once.`);
  const fragmentSize = optionalInt(args, 'fragmentSize', 0, MAX_SEND_BYTES);
  if (typeof fragmentSize === 'string') return fail(fragmentSize);
  const out: SendArgs = { id, kind: args.kind, data: args.data };
  if (fragmentSize !== undefined) out.fragmentSize = fragmentSize;
  return { ok: true, value: out };
}

export function validateControlArgs(args: unknown, name: 'ping' | 'pong'): Validated<ControlArgs> {
  if (!isRecord(args)) return fail(`${name} needs { id, payloadBase64? }.`);
  const extra = unknownKey(args, ['id', 'payloadBase64']);
  if (extra) return fail(`${extra} is not an argument of ${name}.`);
  const id = checkId(args);
  if (typeof id !== 'string') return id;
  const out: ControlArgs = { id };
  if (present(args, 'payloadBase64')) {
    if (typeof args.payloadBase64 !== 'string') return fail('payloadBase64 must be a base64 string.');
    const n = base64DecodedLength(args.payloadBase64);
    if (n < 0) return fail('payloadBase64 is not valid base64.');
    // RFC 6455 §5.5: control frame payloads are at most 125 bytes.
    if (n > MAX_CONTROL_PAYLOAD) return fail(`A ${name} payload is at most ${MAX_CONTROL_PAYLOAD} bytes (RFC 6455 §5.5); this one is ${n}.`);
    out.payloadBase64 = args.payloadBase64;
  }
  return { ok: true, value: out };
}

export function validateCloseArgs(args: unknown): Validated<CloseArgs> {
  if (!isRecord(args)) return fail('close needs { id, code?, reason? }.');
  const extra = unknownKey(args, ['id', 'code', 'reason']);
  if (extra) return fail(`${extra} is not an argument of close.`);
  const id = checkId(args);
  if (typeof id !== 'string') return id;
  const out: CloseArgs = { id };
  if (present(args, 'code')) {
    if (typeof args.code !== 'number' || !isUserSendableCloseCode(args.code)) {
      return fail(`Close code ${String(args.code)} cannot be sent: use 1000 or 3000–4999 (RFC 6455 §7.4).`);
    }
    out.code = args.code;
  }
  if (present(args, 'reason')) {
    if (typeof args.reason !== 'string') return fail('reason must be a string.');
    if (args.reason.length > 0 && out.code === undefined) return fail('A close reason needs a close code (RFC 6455 §5.5.1).');
    const n = utf8ByteLength(args.reason);
    if (n < 0) return fail('The close reason contains an unpaired surrogate and is not valid UTF-8.');
    // RFC 6455 §5.5: 125-byte control payload minus the 2-byte code.
    if (n > MAX_CLOSE_REASON_BYTES) return fail(`The close reason is ${n} bytes of UTF-8; at most ${MAX_CLOSE_REASON_BYTES} fit in a close frame (RFC 6455 §5.5).`);
    out.reason = args.reason;
  }
  return { ok: true, value: out };
}

export function validateRawFrameArgs(args: unknown): Validated<{ id: string; frame: RawFrameSpec }> {
  if (!isRecord(args)) return fail('sendRawFrame needs { id, frame }.');
  const extra = unknownKey(args, ['id', 'frame']);
  if (extra) return fail(`${extra} is not an argument of sendRawFrame.`);
  const id = checkId(args);
  if (typeof id !== 'string') return id;
  const f = args.frame;
  if (!isRecord(f)) return fail('frame must be an object { fin, rsv1, rsv2, rsv3, opcode, mask, maskKey?, payloadBase64, lengthEncoding? }.');
  const fextra = unknownKey(f, ['fin', 'rsv1', 'rsv2', 'rsv3', 'opcode', 'mask', 'maskKey', 'payloadBase64', 'lengthEncoding']);
  if (fextra) return fail(`frame.${fextra} is not a frame field.`);
  for (const k of ['fin', 'rsv1', 'rsv2', 'rsv3', 'mask'] as const) {
    if (typeof f[k] !== 'boolean') return fail(`frame.${k} must be true or false.`);
  }
  if (typeof f.opcode !== 'number' || !Number.isInteger(f.opcode) || f.opcode < 0 || f.opcode > MAX_OPCODE) {
    return fail(`frame.opcode must be a whole number from 0 to ${MAX_OPCODE} (RFC 6455 §5.2: 4 bits).`);
  }
  if (typeof f.payloadBase64 !== 'string') return fail('frame.payloadBase64 must be a base64 string.');
  const n = base64DecodedLength(f.payloadBase64);
  if (n < 0) return fail('frame.payloadBase64 is not valid base64.');
  if (n > MAX_SEND_BYTES) return fail(`The frame payload is ${n} bytes; at most ${MAX_SEND_BYTES} bytes can be sent at once.`);
  const out: RawFrameSpec = {
    fin: f.fin as boolean, rsv1: f.rsv1 as boolean, rsv2: f.rsv2 as boolean, rsv3: f.rsv3 as boolean,
    opcode: f.opcode, mask: f.mask as boolean, payloadBase64: f.payloadBase64,
  };
  if (present(f, 'maskKey')) {
    if (typeof f.maskKey !== 'string' || !MASK_KEY_RE.test(f.maskKey)) return fail('frame.maskKey must be 8 hex digits (a 32-bit key, RFC 6455 §5.3).');
    if (!out.mask) return fail('frame.maskKey is set but frame.mask is false.');
    out.maskKey = f.maskKey;
  }
  if (present(f, 'lengthEncoding')) {
    const e = f.lengthEncoding;
    if (e !== 'auto' && e !== '7' && e !== '16' && e !== '64') return fail("frame.lengthEncoding must be 'auto', '7', '16' or '64'.");
    // RFC 6455 §5.2: the 7-bit form holds 0–125, the 16-bit form 0–65535.
    if (e === '7' && n > MAX_7BIT_LENGTH) return fail(`A ${n}-byte payload does not fit the 7-bit length form (0–${MAX_7BIT_LENGTH}).`);
    if (e === '16' && n > MAX_16BIT_LENGTH) return fail(`A ${n}-byte payload does not fit the 16-bit length form (0–${MAX_16BIT_LENGTH}).`);
    out.lengthEncoding = e;
  }
  return { ok: true, value: { id, frame: out } };
}

function validateIdOnly(args: unknown, name: string): Validated<{ id: string }> {
  if (!isRecord(args)) return fail(`${name} needs { id }.`);
  const extra = unknownKey(args, ['id']);
  if (extra) return fail(`${extra} is not an argument of ${name}.`);
  const id = checkId(args);
  if (typeof id !== 'string') return id;
  return { ok: true, value: { id } };
}

export function validatePageArgs(args: unknown, name: string): Validated<PageArgs> {
  if (!isRecord(args)) return fail(`${name} needs { id, fromSeq?, limit? }.`);
  const extra = unknownKey(args, ['id', 'fromSeq', 'limit']);
  if (extra) return fail(`${extra} is not an argument of ${name}.`);
  const id = checkId(args);
  if (typeof id !== 'string') return id;
  const fromSeq = optionalInt(args, 'fromSeq', 0, Number.MAX_SAFE_INTEGER);
  if (typeof fromSeq === 'string') return fail(fromSeq);
  const limit = optionalInt(args, 'limit', 1, MAX_PAGE_LIMIT);
  if (typeof limit === 'string') return fail(limit);
  const out: PageArgs = { id };
  if (fromSeq !== undefined) out.fromSeq = fromSeq;
  if (limit !== undefined) out.limit = limit;
  return { ok: true, value: out };
}

export function validatePayloadArgs(args: unknown): Validated<PayloadArgs> {
  if (!isRecord(args)) return fail('getPayload needs { id, kind, seq }.');
  const extra = unknownKey(args, ['id', 'kind', 'seq']);
  if (extra) return fail(`${extra} is not an argument of getPayload.`);
  const id = checkId(args);
  if (typeof id !== 'string') return id;
  if (args.kind !== 'frame' && args.kind !== 'message') return fail("kind must be 'frame' or 'message'.");
  if (typeof args.seq !== 'number' || !Number.isInteger(args.seq) || args.seq < 1) return fail('seq must be a whole number ≥ 1.');
  return { ok: true, value: { id, kind: args.kind, seq: args.seq } };
}

function validateEmpty(args: unknown, name: string): Validated<Record<never, never>> {
  if (args === undefined || args === null) return { ok: true, value: {} };
  if (!isRecord(args)) return fail(`${name} takes no arguments (pass {}).`);
  const extra = unknownKey(args, []);
  if (extra) return fail(`${extra} is not an argument of ${name}.`);
  return { ok: true, value: {} };
}

/** The one entry point: check `args` for command `name`; the value is a clean copy. */
export function validateCommandArgs<K extends CommandName>(name: K, args: unknown): Validated<CommandArgs<K>> {
  return validateAny(name, args) as Validated<CommandArgs<K>>;
}

function validateAny(name: CommandName, args: unknown): Validated<unknown> {
  switch (name) {
    case 'connect': return validateConnectOptions(args);
    case 'send': return validateSendArgs(args);
    case 'ping': return validateControlArgs(args, 'ping');
    case 'pong': return validateControlArgs(args, 'pong');
    case 'close': return validateCloseArgs(args);
    case 'sendRawFrame': return validateRawFrameArgs(args);
    case 'remove': return validateIdOnly(args, 'remove');
    case 'list': return validateEmpty(args, 'list');
    case 'getFrames': return validatePageArgs(args, 'getFrames');
    case 'getMessages': return validatePageArgs(args, 'getMessages');
    case 'getPayload': return validatePayloadArgs(args);
    default: {
      const never: never = name;
      return fail(`Unknown command ${String(never)}.`);
    }
  }
}
