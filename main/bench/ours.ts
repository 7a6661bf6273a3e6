// Our implementation, as the benchmarks see it: thin adapters over main/protocol (the same code
// paths the real client runs), so the codec suites can measure ours next to ws.
import { mask, maskInto, maskJs, simdAvailable } from '../protocol/mask-simd.ts';

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
  maskers: { name: string; primary: boolean; maskInto(src: Uint8Array, key: Uint8Array, dst: Uint8Array, off: number): void }[];
  utf8: { name: string; primary: boolean; validate(buf: Uint8Array): boolean }[];
}

export function maskers(): OursCodec['maskers'] {
  return [
    { name: `mask-simd maskInto (${simdAvailable ? 'wasm SIMD' : 'JS fallback'})`, primary: true, maskInto },
    {
      name: 'mask-simd JS 32-bit loop (fallback)',
      primary: false,
      maskInto: (src, key, dst, off) => {
        dst.set(src, off);
        maskJs(dst.subarray(off, off + src.length), key);
      },
    },
    {
      name: 'mask-simd in place',
      primary: false,
      maskInto: (_src, key, dst) => mask(dst, key),
    },
  ];
}
