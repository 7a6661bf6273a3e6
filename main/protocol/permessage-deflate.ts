// RFC 7692 permessage-deflate: the offer we send, validation of the server's answer (§5, §7.1), and
// per-message compression with and without context takeover (§7.2).
//
// The compression engine is injected (the transport passes a node:zlib one). It is stateless: each
// call compresses or inflates ONE message, and context takeover is provided by handing the engine
// the previous LZ77 window as a preset dictionary. That is exactly what context takeover means
// (RFC 7692 §7.2.1/§7.2.2: the next message may refer back into the sliding window of the data
// already processed), and it lets a synchronous engine cap the inflated size per message
// (deflate bomb → 1009) without keeping a zlib stream open.

import type { DeflateParams } from '../../shared/model.ts';
import { isToken } from '../../shared/handshake-headers.ts';

export const PMD_NAME = 'permessage-deflate';
/** The offer (RFC 7692 §7.1.2.2): we can honour any client window the server picks. */
export const PMD_OFFER = 'permessage-deflate; client_max_window_bits';
/** §7.2.1: a message ends with an empty stored block; these 4 octets are removed / re-appended. */
export const DEFLATE_TAIL = new Uint8Array([0x00, 0x00, 0xff, 0xff]);
export const MIN_WINDOW_BITS = 8;
export const MAX_WINDOW_BITS = 15;
/**
 * zlib cannot make a raw deflate stream with an 8-bit window (it silently uses 9). When the server
 * limits us to client_max_window_bits=8 we therefore send messages uncompressed (§6: RSV1 clear
 * is always allowed) rather than break the limit.
 */
export const ZLIB_MIN_DEFLATE_WINDOW_BITS = 9;
/** Inflating with the largest window decodes a stream made with any smaller one. */
const INFLATE_WINDOW_BYTES = 1 << MAX_WINDOW_BITS;

export type InflateResult = { ok: true; data: Uint8Array } | { ok: false; tooBig: boolean; message: string };

/** Injected engine (main/transport/zlib-engine.ts implements it with node:zlib). */
export interface CompressionEngine {
  /**
   * Inflate one complete raw DEFLATE message (tail already appended). `dictionary` is the preset
   * LZ77 window (context takeover) or null. Output beyond maxOutputBytes must stop inflation and
   * return { ok: false, tooBig: true } without producing the rest.
   */
  inflate(data: Uint8Array, dictionary: Uint8Array | null, maxOutputBytes: number): InflateResult;
  /** Raw DEFLATE with a sync flush (so the output ends with 00 00 ff ff). */
  deflate(data: Uint8Array, dictionary: Uint8Array | null, windowBits: number): Uint8Array;
}

export interface ExtensionParam {
  name: string;
  value: string | null;
}
export interface ExtensionElement {
  name: string;
  params: ExtensionParam[];
}

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * Parse Sec-WebSocket-Extensions values (RFC 6455 §9.1):
 *   extension-list = 1#extension ; extension = token *( ";" param )
 *   param = token [ "=" (token | quoted-string) ]   (a quoted value must itself be a token)
 */
export function parseExtensions(values: readonly string[]): Parsed<ExtensionElement[]> {
  const out: ExtensionElement[] = [];
  for (const value of values) {
    for (const rawExt of splitOutsideQuotes(value, ',')) {
      const ext = rawExt.trim();
      if (ext === '') continue; // RFC 7230 §7: empty list elements are allowed and ignored
      const parts = splitOutsideQuotes(ext, ';').map((p) => p.trim());
      const name = parts[0];
      if (!isToken(name)) return { ok: false, message: `"${ext}" is not a valid extension (bad name "${name}")` };
      const params: ExtensionParam[] = [];
      for (const part of parts.slice(1)) {
        const eq = part.indexOf('=');
        const pname = (eq < 0 ? part : part.slice(0, eq)).trim();
        if (!isToken(pname)) return { ok: false, message: `"${ext}" has an invalid parameter "${part}"` };
        let pvalue: string | null = null;
        if (eq >= 0) {
          pvalue = part.slice(eq + 1).trim();
          if (pvalue.length >= 2 && pvalue.startsWith('"') && pvalue.endsWith('"')) {
            pvalue = pvalue.slice(1, -1).replace(/\\(.)/g, '$1');
          }
          if (!isToken(pvalue)) return { ok: false, message: `"${ext}": the value of ${pname} is not a valid token` };
        }
        params.push({ name: pname, value: pvalue });
      }
      out.push({ name, params });
    }
  }
  return { ok: true, value: out };
}

function splitOutsideQuotes(s: string, sep: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted && c === '\\') i++;
    else if (c === '"') quoted = !quoted;
    else if (!quoted && c === sep) {
      parts.push(s.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(s.slice(start));
  return parts;
}

/** §7.1.2: window bits are 8–15 written as plain decimal digits without leading zeros. */
function parseWindowBits(v: string | null): number | null {
  if (v === null || !/^(8|9|1[0-5])$/.test(v)) return null;
  return Number(v);
}

/**
 * Decide what the server's answer means for us (RFC 7692 §5 and §7.1). `offered` is whether we sent
 * PMD_OFFER. Returns null params when no extension was agreed.
 */
export function negotiateExtensions(offered: boolean, values: readonly string[]): Parsed<DeflateParams | null> {
  const parsed = parseExtensions(values);
  if (!parsed.ok) return parsed;
  let result: DeflateParams | null = null;
  for (const ext of parsed.value) {
    // RFC 6455 §4.1 item 5 (client side): any extension we did not offer fails the connection.
    if (ext.name.toLowerCase() !== PMD_NAME) return { ok: false, message: `The server enabled extension "${ext.name}", which we did not offer` };
    if (!offered) return { ok: false, message: 'The server enabled permessage-deflate, which we did not offer (it is turned off for this connection)' };
    // §5: the server accepts at most one of our offers; we made one.
    if (result !== null) return { ok: false, message: 'The server accepted permessage-deflate more than once' };
    const p: DeflateParams = {
      serverNoContextTakeover: false,
      clientNoContextTakeover: false,
      serverMaxWindowBits: MAX_WINDOW_BITS,
      clientMaxWindowBits: MAX_WINDOW_BITS,
    };
    const seen = new Set<string>();
    for (const { name, value } of ext.params) {
      const key = name.toLowerCase();
      // §7.1: "A server MUST NOT include ... the same parameter more than once" (and clients fail on it).
      if (seen.has(key)) return { ok: false, message: `permessage-deflate parameter ${name} appears twice (RFC 7692 §7.1)` };
      seen.add(key);
      switch (key) {
        case 'server_no_context_takeover':
        case 'client_no_context_takeover':
          // §7.1.1.1 / §7.1.1.2: these parameters have no value.
          if (value !== null) return { ok: false, message: `permessage-deflate parameter ${name} must not have a value (RFC 7692 §7.1.1)` };
          if (key === 'server_no_context_takeover') p.serverNoContextTakeover = true;
          else p.clientNoContextTakeover = true;
          break;
        case 'server_max_window_bits': {
          // §7.1.2.1: allowed in the response even though we did not offer it; value 8–15 required.
          const bits = parseWindowBits(value);
          if (bits === null) return { ok: false, message: `permessage-deflate server_max_window_bits=${value ?? '(no value)'} is not 8–15 (RFC 7692 §7.1.2.1)` };
          p.serverMaxWindowBits = bits;
          break;
        }
        case 'client_max_window_bits': {
          // §7.1.2.2: only if the offer had it (ours does), and the response must carry a value.
          const bits = parseWindowBits(value);
          if (bits === null) return { ok: false, message: `permessage-deflate client_max_window_bits=${value ?? '(no value)'} is not 8–15 (RFC 7692 §7.1.2.2)` };
          p.clientMaxWindowBits = bits;
          break;
        }
        default:
          // §7.1: an unknown parameter makes the response invalid.
          return { ok: false, message: `permessage-deflate has unknown parameter ${name} (RFC 7692 §7.1)` };
      }
    }
    result = p;
  }
  return { ok: true, value: result };
}

/** Keep the last `size` bytes of prev ‖ next (the LZ77 sliding window after `next`). */
function slideWindow(prev: Uint8Array | null, next: Uint8Array, size: number): Uint8Array {
  if (next.length >= size) return next.slice(next.length - size);
  const keepPrev = prev === null ? 0 : Math.min(prev.length, size - next.length);
  const out = new Uint8Array(keepPrev + next.length);
  if (prev !== null && keepPrev > 0) out.set(prev.subarray(prev.length - keepPrev), 0);
  out.set(next, keepPrev);
  return out;
}

function endsWithTail(b: Uint8Array): boolean {
  const n = b.length;
  return n >= 4 && b[n - 4] === 0x00 && b[n - 3] === 0x00 && b[n - 2] === 0xff && b[n - 1] === 0xff;
}

/** One connection's compression state in both directions. */
export class PerMessageDeflate {
  readonly params: DeflateParams;
  private readonly engine: CompressionEngine;
  private inflateWindow: Uint8Array | null = null;
  private deflateWindow: Uint8Array | null = null;
  private readonly deflateWindowBytes: number;
  /** False when the agreed client window is smaller than zlib can produce (see ZLIB_MIN_DEFLATE_WINDOW_BITS). */
  readonly canCompress: boolean;

  constructor(params: DeflateParams, engine: CompressionEngine) {
    this.params = params;
    this.engine = engine;
    this.canCompress = params.clientMaxWindowBits >= ZLIB_MIN_DEFLATE_WINDOW_BITS;
    this.deflateWindowBytes = 1 << params.clientMaxWindowBits;
  }

  /** Inflate a whole received message from its compressed fragments (§7.2.2). */
  inflate(fragments: readonly Uint8Array[], maxOutputBytes: number): InflateResult {
    let size = DEFLATE_TAIL.length;
    for (const f of fragments) size += f.length;
    const input = new Uint8Array(size);
    let off = 0;
    for (const f of fragments) {
      input.set(f, off);
      off += f.length;
    }
    input.set(DEFLATE_TAIL, off);
    const r = this.engine.inflate(input, this.params.serverNoContextTakeover ? null : this.inflateWindow, maxOutputBytes);
    // §7.2.2: with server_no_context_takeover each message starts from an empty window.
    if (r.ok && !this.params.serverNoContextTakeover) this.inflateWindow = slideWindow(this.inflateWindow, r.data, INFLATE_WINDOW_BYTES);
    return r;
  }

  /** Compress one outgoing message (§7.2.1), or null when it must go uncompressed. */
  deflate(data: Uint8Array): Uint8Array | null {
    if (!this.canCompress) return null;
    const takeover = !this.params.clientNoContextTakeover;
    const out = this.engine.deflate(data, takeover ? this.deflateWindow : null, this.params.clientMaxWindowBits);
    if (takeover) this.deflateWindow = slideWindow(this.deflateWindow, data, this.deflateWindowBytes);
    // §7.2.1: remove the 4-octet 00 00 ff ff tail of the sync flush.
    return endsWithTail(out) ? out.subarray(0, out.length - DEFLATE_TAIL.length) : out;
  }
}
