// The Node implementations of what the sans-I/O core needs injected (ProtocolEnv).

// Buffer imported, not read from the global: the global is a getter, hit on every call otherwise.
import { Buffer, isUtf8 } from 'node:buffer';
import { createHash, randomFillSync } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { ProtocolEnv } from '../protocol/client-protocol.ts';
import { zlibEngine } from './zlib-engine.ts';

/**
 * Masking keys are needed per frame; one randomFillSync per frame is a syscall-ish call each, so
 * random bytes are drawn from a pool refilled 8 KiB at a time (as ws does). Keys are still
 * unpredictable to the server, which is what RFC 6455 §5.3 and §10.3 require.
 */
const POOL_BYTES = 8 * 1024;
let pool = new Uint8Array(0);
let poolOffset = 0;

function randomBytes(n: number): Uint8Array {
  if (n > POOL_BYTES) return randomFillSync(new Uint8Array(n));
  if (poolOffset + n > pool.length) {
    // A fresh buffer: slices handed out earlier stay valid (they are kept in frame logs).
    pool = randomFillSync(new Uint8Array(POOL_BYTES));
    poolOffset = 0;
  }
  // A view made directly on the ArrayBuffer: TypedArray#subarray looks up the species
  // constructor first and costs about half as much again, once per frame (masking keys).
  const out = new Uint8Array(pool.buffer, pool.byteOffset + poolOffset, n);
  poolOffset += n;
  return out;
}

function sha1(data: Uint8Array): Uint8Array {
  const d = createHash('sha1').update(data).digest();
  return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
}

function decodeUtf8(b: Uint8Array): string {
  // Payloads sliced from socket reads are Buffers already: no wrapper object needed.
  if (Buffer.isBuffer(b)) return b.toString('utf8');
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8');
}

/**
 * performance.timeOrigin is fixed for the life of the process, but reading it goes through a
 * getter into the runtime each time; it was read per frame (frame and message records).
 */
const TIME_ORIGIN = performance.timeOrigin;

export const nodeEnv: ProtocolEnv = {
  randomBytes,
  sha1,
  now: () => TIME_ORIGIN + performance.now(),
  isUtf8: (b: Uint8Array) => isUtf8(b),
  decodeUtf8,
  // Pooled for small sizes (Buffer.poolSize), so a small frame costs no fresh ArrayBuffer.
  alloc: (n: number) => Buffer.allocUnsafe(n),
  // Received payloads assembled from several reads: uninitialised like the above, but handed to
  // the application as a plain Uint8Array (what such payloads have always been).
  allocPayload: (n: number) => {
    const b = Buffer.allocUnsafe(n);
    return new Uint8Array(b.buffer, b.byteOffset, n);
  },
  // No encoding argument: UTF-8 is the default, and naming it costs an encoding lookup per call.
  encodeUtf8: (s: string) => Buffer.from(s),
  compression: zlibEngine,
};
