// The node:zlib implementation of the protocol core's injected CompressionEngine (RFC 7692).
//
// Why the one-shot *Sync functions and a preset dictionary instead of a long-lived zlib stream:
// Node 20's synchronous stream path (`_processChunk` without a callback) closes the zlib handle
// after one call, so a stream cannot be kept across messages synchronously; the async path would
// make the core asynchronous. Context takeover only means "the next message may refer back into
// the last 2^w bytes", so each message is inflated/deflated by a fresh zlib context primed with
// that window as dictionary (zlib inflateSetDictionary/deflateSetDictionary on raw streams).
// `maxOutputLength` stops inflation of a deflate bomb at the message limit instead of inflating
// it all. Verified on Node 20.20; isolated here behind the interface.

import { constants, deflateRawSync, inflateRawSync, type ZlibOptions } from 'node:zlib';
import type { CompressionEngine, InflateResult } from '../protocol/permessage-deflate.ts';
import { MAX_WINDOW_BITS } from '../protocol/permessage-deflate.ts';

/** zlib rejects maxOutputLength < 1; a 0-byte limit is then enforced by the core's length check. */
const MIN_OUTPUT_LIMIT = 1;

function errorCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}

export const zlibEngine: CompressionEngine = {
  inflate(data: Uint8Array, dictionary: Uint8Array | null, maxOutputBytes: number): InflateResult {
    const opts: ZlibOptions = {
      // The message has no final block; SYNC_FLUSH returns what the data yields without
      // demanding an end of stream (RFC 7692 §7.2.2).
      finishFlush: constants.Z_SYNC_FLUSH,
      // The largest window decodes data made with any server_max_window_bits (8–15).
      windowBits: MAX_WINDOW_BITS,
      maxOutputLength: Math.max(MIN_OUTPUT_LIMIT, maxOutputBytes),
    };
    if (dictionary !== null && dictionary.length > 0) opts.dictionary = dictionary;
    try {
      const out = inflateRawSync(data, opts);
      return { ok: true, data: new Uint8Array(out.buffer, out.byteOffset, out.byteLength) };
    } catch (e) {
      if (errorCode(e) === 'ERR_BUFFER_TOO_LARGE') return { ok: false, tooBig: true, message: 'inflated size exceeds the limit' };
      return { ok: false, tooBig: false, message: e instanceof Error ? e.message : String(e) };
    }
  },

  deflate(data: Uint8Array, dictionary: Uint8Array | null, windowBits: number): Uint8Array {
    const opts: ZlibOptions = { finishFlush: constants.Z_SYNC_FLUSH, windowBits };
    if (dictionary !== null && dictionary.length > 0) opts.dictionary = dictionary;
    const out = deflateRawSync(data, opts);
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  },
};
