// Test-only helpers for the sans-I/O core: a reproducible env, a recording sink, a server-side
// (unmasked) frame encoder and a way to bring a ClientProtocol to OPEN with a real handshake
// response computed by the test from the request the core wrote.
// Test-only (imported by *.test.ts alone), so it may use node:* and the zlib engine to drive the core.
/* eslint-disable no-restricted-imports */

import { createHash } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import type { CloseInfo, ConnectionState, HandshakeRecord } from '../../../shared/model.ts';
import { WS_GUID } from '../../../shared/protocol-constants.ts';
import { parseWsUrl, type WsUrl } from '../../../shared/ws-url.ts';
import { ClientProtocol, type ClientProtocolOptions, type ProtocolEnv, type ProtocolSink } from '../client-protocol.ts';
import type { ProtocolFault } from '../errors.ts';
import type { WireFrame, WireMessage } from '../types.ts';
import { zlibEngine } from '../../transport/zlib-engine.ts';

/** Deterministic "random" bytes (xorshift32), so frames are reproducible. */
export function seededRandom(seed = 0x12345678): (n: number) => Uint8Array {
  let s = seed >>> 0 || 1;
  return (n: number) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      s ^= s << 13; s >>>= 0;
      s ^= s >>> 17;
      s ^= s << 5; s >>>= 0;
      out[i] = s & 0xff;
    }
    return out;
  };
}

export function sha1(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha1').update(data).digest());
}

export function testEnv(opts: { fastUtf8?: boolean; seed?: number } = {}): ProtocolEnv {
  let t = 1_700_000_000_000;
  return {
    randomBytes: seededRandom(opts.seed),
    sha1,
    now: () => (t += 1),
    isUtf8: opts.fastUtf8 === false ? undefined : (b: Uint8Array) => isUtf8(b),
    compression: zlibEngine,
  };
}

export type Rec =
  | { type: 'write'; data: Uint8Array }
  | { type: 'state'; state: ConnectionState; close?: CloseInfo }
  | { type: 'handshake'; handshake: HandshakeRecord }
  | { type: 'frame'; frame: WireFrame }
  | { type: 'message'; message: WireMessage }
  | { type: 'error'; error: ProtocolFault };

export class Recorder implements ProtocolSink {
  readonly log: Rec[] = [];
  write(data: Uint8Array): void { this.log.push({ type: 'write', data: data.slice() }); }
  onState(state: ConnectionState, close?: CloseInfo): void { this.log.push(close ? { type: 'state', state, close } : { type: 'state', state }); }
  onHandshake(handshake: HandshakeRecord): void { this.log.push({ type: 'handshake', handshake }); }
  onFrame(frame: WireFrame): void { this.log.push({ type: 'frame', frame }); }
  onMessage(message: WireMessage): void { this.log.push({ type: 'message', message }); }
  onError(error: ProtocolFault): void { this.log.push({ type: 'error', error }); }

  get writes(): Uint8Array[] { return this.log.flatMap((r) => (r.type === 'write' ? [r.data] : [])); }
  get frames(): WireFrame[] { return this.log.flatMap((r) => (r.type === 'frame' ? [r.frame] : [])); }
  get framesIn(): WireFrame[] { return this.frames.filter((f) => f.dir === 'in'); }
  get framesOut(): WireFrame[] { return this.frames.filter((f) => f.dir === 'out'); }
  get messages(): WireMessage[] { return this.log.flatMap((r) => (r.type === 'message' ? [r.message] : [])); }
  get messagesIn(): WireMessage[] { return this.messages.filter((m) => m.dir === 'in'); }
  get errors(): ProtocolFault[] { return this.log.flatMap((r) => (r.type === 'error' ? [r.error] : [])); }
  get states(): ConnectionState[] { return this.log.flatMap((r) => (r.type === 'state' ? [r.state] : [])); }
  get close(): CloseInfo | undefined {
    for (const r of this.log) if (r.type === 'state' && r.close) return r.close;
    return undefined;
  }
  get handshake(): HandshakeRecord | undefined {
    for (const r of this.log) if (r.type === 'handshake') return r.handshake;
    return undefined;
  }
  clear(): void { this.log.length = 0; }
}

export function url(s = 'ws://example.com/chat'): WsUrl {
  const r = parseWsUrl(s);
  if (!r.ok) throw new Error(r.message);
  return r.url;
}

export function acceptFor(key: string): string {
  return Buffer.from(sha1(new TextEncoder().encode(key + WS_GUID))).toString('base64');
}

/** The Sec-WebSocket-Key the core wrote in its request. */
export function requestKey(rec: Recorder): string {
  const text = Buffer.from(rec.writes[0]).toString('latin1');
  const m = /\r\nSec-WebSocket-Key: ([^\r]+)\r\n/.exec(text);
  if (!m) throw new Error('no key in request');
  return m[1];
}

export function response101(key: string, extra: string[] = []): string {
  return ['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Accept: ${acceptFor(key)}`, ...extra, '', ''].join('\r\n');
}

export function latin1(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, 'latin1'));
}

/** A core that wrote its request; nothing received yet. */
export function started(options: Partial<ClientProtocolOptions> = {}, env: ProtocolEnv = testEnv()) {
  const rec = new Recorder();
  const core = new ClientProtocol({ url: url(), deflate: false, ...options }, env, rec);
  core.start();
  return { core, rec, key: requestKey(rec) };
}

/** A core that is OPEN (handshake answered), recorder cleared. */
export function opened(options: Partial<ClientProtocolOptions> = {}, extraHeaders: string[] = [], env?: ProtocolEnv) {
  const s = started(options, env);
  s.core.receiveData(latin1(response101(s.key, extraHeaders)));
  if (s.core.state !== 'OPEN') throw new Error(`not open: ${JSON.stringify(s.rec.errors)}`);
  s.rec.clear();
  return s;
}

export interface ServerFrame {
  fin?: boolean;
  rsv1?: boolean;
  rsv2?: boolean;
  rsv3?: boolean;
  opcode: number;
  payload?: Uint8Array | string;
  /** Force masking (servers must not; used to test the refusal). */
  maskKey?: Uint8Array;
  /** Force a length encoding. */
  len?: '7' | '16' | '64';
}

/** Server-side encoder (test only): unmasked unless told otherwise. */
export function serverFrame(f: ServerFrame): Uint8Array {
  const payload = typeof f.payload === 'string' ? new TextEncoder().encode(f.payload) : f.payload ?? new Uint8Array(0);
  const n = payload.length;
  const enc = f.len ?? (n <= 125 ? '7' : n <= 0xffff ? '16' : '64');
  const ext = enc === '7' ? 0 : enc === '16' ? 2 : 8;
  const mask = f.maskKey !== undefined;
  const out = new Uint8Array(2 + ext + (mask ? 4 : 0) + n);
  out[0] = ((f.fin ?? true) ? 0x80 : 0) | (f.rsv1 ? 0x40 : 0) | (f.rsv2 ? 0x20 : 0) | (f.rsv3 ? 0x10 : 0) | (f.opcode & 0xf);
  out[1] = (mask ? 0x80 : 0) | (enc === '7' ? n : enc === '16' ? 126 : 127);
  let p = 2;
  if (enc === '16') { out[2] = n >>> 8; out[3] = n & 0xff; p = 4; }
  if (enc === '64') {
    const hi = Math.floor(n / 2 ** 32);
    new DataView(out.buffer).setUint32(2, hi);
    new DataView(out.buffer).setUint32(6, n >>> 0);
    p = 10;
  }
  if (mask) { out.set(f.maskKey!, p); p += 4; }
  for (let i = 0; i < n; i++) out[p + i] = mask ? payload[i] ^ f.maskKey![i & 3] : payload[i];
  return out;
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

export function hex(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
}

/** Decode a client frame (masked) written by the core: header fields and unmasked payload. */
export function decodeClientFrame(b: Uint8Array): { fin: boolean; rsv1: boolean; opcode: number; masked: boolean; key: Uint8Array | null; payload: Uint8Array; headerLength: number } {
  const fin = (b[0] & 0x80) !== 0;
  const rsv1 = (b[0] & 0x40) !== 0;
  const opcode = b[0] & 0xf;
  const masked = (b[1] & 0x80) !== 0;
  let n = b[1] & 0x7f;
  let p = 2;
  if (n === 126) { n = (b[2] << 8) | b[3]; p = 4; }
  else if (n === 127) { n = Number(new DataView(b.buffer, b.byteOffset).getBigUint64(2)); p = 10; }
  let key: Uint8Array | null = null;
  if (masked) { key = b.slice(p, p + 4); p += 4; }
  const payload = b.slice(p, p + n);
  if (key) for (let i = 0; i < n; i++) payload[i] ^= key[i & 3];
  return { fin, rsv1, opcode, masked, key, payload, headerLength: p };
}
