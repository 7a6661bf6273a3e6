// Our implementation, as the benchmarks see it: thin adapters over main/protocol and the Node env
// of main/transport (the very code paths the real client runs), so the codec suites can measure
// ours next to ws.
import { createHash } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import { parseWsUrl } from '../../shared/ws-url.ts';
import { WS_GUID } from '../../shared/protocol-constants.ts';
import { ClientProtocol, type ProtocolSink } from '../protocol/client-protocol.ts';
import { encodeFrame } from '../protocol/frame-writer.ts';
import { mask, maskInto, maskJs, simdAvailable } from '../protocol/mask-simd.ts';
import { isValidUtf8, utf8Step, UTF8_ACCEPT } from '../protocol/utf8.ts';
import { nodeEnv } from '../transport/node-env.ts';

export interface OursParser {
  /** Feeds one socket read; returns payload bytes of the messages completed by it. */
  feed(chunk: Uint8Array): number;
  messages(): number;
}

export interface OursCodec {
  name: string;
  parser(): OursParser;
  /** Frames one masked client message; returns the bytes produced. */
  frame(data: string | Uint8Array, opcode: number): number;
  /** Extra framer variants shown next to the primary one. */
  framers: { name: string; frame(data: string | Uint8Array, opcode: number): number }[];
  maskers: { name: string; primary: boolean; maskInto(src: Uint8Array, key: Uint8Array, dst: Uint8Array, off: number): void }[];
  utf8: { name: string; primary: boolean; validate(buf: Uint8Array): boolean }[];
}

const BENCH_URL = 'ws://127.0.0.1/bench';
const BENCH_MAX_MESSAGE = 2 ** 31;
const textEncoder = new TextEncoder();

/**
 * A ClientProtocol brought to OPEN by answering its own request with a valid 101 (RFC 6455 §4.2.2:
 * Sec-WebSocket-Accept = base64(SHA-1(key + GUID))), with a sink that only counts — so what is
 * measured is the core's receive/send path: parsing, UTF-8 validation, reassembly, decoding,
 * frame records, exactly as the transport drives it.
 */
export function openProtocol(): { proto: ClientProtocol; counts: { messages: number; bytes: number; written: number } } {
  const parsed = parseWsUrl(BENCH_URL);
  if (!parsed.ok) throw new Error(parsed.message);
  const counts = { messages: 0, bytes: 0, written: 0 };
  let failure: string | undefined;
  const sink: ProtocolSink = {
    write: (d) => {
      counts.written += d.length;
    },
    onState: () => {},
    onHandshake: () => {},
    onFrame: () => {},
    onMessage: (m) => {
      if (m.dir === 'in') {
        counts.messages++;
        counts.bytes += m.data.length;
      }
    },
    onError: (e) => {
      failure = e.message;
    },
  };
  const proto = new ClientProtocol({ url: parsed.url, deflate: false, maxMessageBytes: BENCH_MAX_MESSAGE }, { ...nodeEnv, compression: undefined }, sink);
  proto.start();
  const accept = createHash('sha1').update(proto.secWebSocketKey + WS_GUID).digest('base64');
  proto.receiveData(
    textEncoder.encode(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`),
  );
  if (proto.state !== 'OPEN') throw new Error(`bench handshake failed: ${failure ?? proto.state}`);
  counts.written = 0;
  return { proto, counts };
}

const FIN_BIT = 0x80;
const MASK_BIT = 0x80;
const MAX_LEN7 = 125;
const MAX_LEN16 = 0xffff;
const LEN16_MARK = 126;
const LEN64_MARK = 127;
const MASK_KEY_BYTES = 4;
/** UTF-8 needs at most 3 bytes per UTF-16 code unit. */
const MAX_UTF8_PER_UNIT = 3;

function frameUnsafe(data: string | Uint8Array, opcode: number): number {
  const key = nodeEnv.randomBytes(MASK_KEY_BYTES);
  let payload: Uint8Array;
  if (typeof data === 'string') {
    // Encode into scratch sized for the worst case, then frame from it (one pass for ASCII).
    const tmp = Buffer.allocUnsafe(data.length * MAX_UTF8_PER_UNIT);
    payload = tmp.subarray(0, textEncoder.encodeInto(data, tmp).written);
  } else payload = data;
  const n = payload.length;
  const ext = n <= MAX_LEN7 ? 0 : n <= MAX_LEN16 ? 2 : 8;
  const hdr = 2 + ext + MASK_KEY_BYTES;
  const out = Buffer.allocUnsafe(hdr + n);
  out[0] = FIN_BIT | opcode;
  if (ext === 0) out[1] = MASK_BIT | n;
  else if (ext === 2) {
    out[1] = MASK_BIT | LEN16_MARK;
    out.writeUInt16BE(n, 2);
  } else {
    out[1] = MASK_BIT | LEN64_MARK;
    out.writeBigUInt64BE(BigInt(n), 2);
  }
  out.set(key, 2 + ext);
  maskInto(payload, key, out, hdr);
  return out.length;
}

export function loadOursCodec(): OursCodec {
  return {
    name: 'ClientProtocol',
    parser: () => {
      const { proto, counts } = openProtocol();
      return {
        feed: (chunk) => {
          const before = counts.bytes;
          proto.receiveData(chunk);
          return counts.bytes - before;
        },
        messages: () => counts.messages,
      };
    },
    frame: (() => {
      let open: ReturnType<typeof openProtocol> | undefined;
      return (data: string | Uint8Array) => {
        open ??= openProtocol();
        const before = open.counts.written;
        if (typeof data === 'string') open.proto.sendText(data);
        else open.proto.sendBinary(data);
        return open.counts.written - before;
      };
    })(),
    framers: [
      {
        // What-if, bench only: the same frame built in an uninitialised Buffer.allocUnsafe buffer
        // (no zero-fill; pooled below 4 KiB) with the text encoded straight into it. Shows what
        // an allocator injected through ProtocolEnv would buy encodeFrame (see docs/performance.md).
        name: 'what-if: allocUnsafe + encodeInto + maskInto',
        frame: (data, opcode) => frameUnsafe(data, opcode),
      },
      {
        name: 'encodeFrame only',
        frame: (data, opcode) => {
          const payload = typeof data === 'string' ? textEncoder.encode(data) : data;
          return encodeFrame({ fin: true, rsv1: false, rsv2: false, rsv3: false, opcode, maskKey: nodeEnv.randomBytes(4) }, payload).length;
        },
      },
    ],
    maskers: [
      { name: `mask-simd maskInto (${simdAvailable ? 'wasm SIMD' : 'JS fallback'})`, primary: true, maskInto },
      {
        name: 'mask-simd JS 32-bit loop (fallback)',
        primary: false,
        maskInto: (src, key, dst, off) => {
          dst.set(src, off);
          maskJs(dst.subarray(off, off + src.length), key);
        },
      },
      { name: 'mask-simd in place', primary: false, maskInto: (_src, key, dst) => mask(dst, key) },
    ],
    utf8: [
      { name: 'isValidUtf8 + Buffer.isUtf8 (as the client runs it)', primary: true, validate: (b) => isValidUtf8(b, (x) => isUtf8(x)) },
      { name: 'utf8.ts DFA alone (no native help)', primary: false, validate: (b) => utf8Step(UTF8_ACCEPT, b) === UTF8_ACCEPT },
    ],
  };
}
