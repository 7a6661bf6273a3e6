// Codec benchmarks: parser, framer, masking alone, UTF-8 validation alone.
// Ours vs the `ws` package (with its native helpers = the anchor, and as pure JS), in one process.
import { isUtf8 } from 'node:buffer';
import { randomFillSync } from 'node:crypto';
import type { Case, Impl, Sample } from './harness.ts';
import { now } from './harness.ts';
import { FRAME_SIZES, ONE_MIB, frameStream, mixedText, payloadFor, type FrameSize } from './workloads.ts';
import { bufferutilPkg, utf8ValidatePkg, wsNative, wsPureJs, type WsCodec } from './ws-anchor.ts';
import { Opcode } from '../../shared/protocol-constants.ts';
import type { OursCodec } from './ours.ts';

export interface CodecOptions {
  /** Approximate seconds per sample. */
  sampleSeconds: number;
  /** Bytes of frame stream per parser pass. */
  streamBytes: number;
}

/**
 * Turns "do one unit of work, return how many units" into a sample of about `seconds`: the
 * iteration count is calibrated once on the first call, so each implementation does a similar
 * amount of wall time per sample whatever its speed.
 */
function calibrated(seconds: number, once: () => number, extraPerUnit?: (units: number, secs: number) => Record<string, number>): () => Sample {
  let iterations = 0;
  return () => {
    if (iterations === 0) {
      const t0 = now();
      once();
      const dt = Math.max(now() - t0, 1e-6);
      iterations = Math.max(1, Math.round(seconds / dt));
    }
    let units = 0;
    const t0 = now();
    for (let i = 0; i < iterations; i++) units += once();
    const secs = now() - t0;
    return { seconds: secs, units, extra: extraPerUnit?.(units, secs) };
  };
}

/**
 * ws validates text but hands it out as a Buffer; our client hands out the decoded string (the
 * UI needs it). `decodeText` adds the toString() a ws application pays to get the same thing.
 */
function wsParser(codec: WsCodec, chunks: Buffer[], frames: number, decodeText = false): () => number {
  return () => {
    const r = new codec.Receiver({ isServer: false, maxPayload: 0, skipUTF8Validation: false, binaryType: 'nodebuffer' });
    let messages = 0;
    let bytes = 0;
    let chars = 0;
    let failure: Error | undefined;
    r.on('message', (data, isBinary) => {
      messages++;
      bytes += data.length;
      if (decodeText && !isBinary) chars += data.toString('utf8').length;
    });
    r.on('error', (err) => (failure = err));
    for (const c of chunks) r.write(c);
    // ws emits synchronously (allowSynchronousEvents defaults to true); check it did all the work.
    if (failure) throw failure;
    if (messages !== frames) throw new Error(`ws parsed ${messages}/${frames} messages`);
    if (decodeText && chars === 0) throw new Error('ws text was not decoded');
    return bytes;
  };
}

function oursParser(ours: OursCodec, chunks: Buffer[], frames: number): () => number {
  return () => {
    const p = ours.parser();
    let bytes = 0;
    for (const c of chunks) bytes += p.feed(c);
    if (p.messages() !== frames) throw new Error(`ours parsed ${p.messages()}/${frames} messages`);
    return bytes;
  };
}

export function parserCases(o: CodecOptions, ours: OursCodec | null): Case[] {
  return FRAME_SIZES.map((size) => {
    const s = frameStream(size, o.streamBytes);
    const framesPerSec = (units: number, secs: number): Record<string, number> => ({ fps: (units / size.bytes) / secs });
    const impls: Impl[] = [];
    if (ours) impls.push({ name: `ours (${ours.name})`, ours: true, run: calibrated(o.sampleSeconds, oursParser(ours, s.chunks, s.frames), framesPerSec) });
    const n = wsNative();
    const j = wsPureJs();
    impls.push(
      { name: `ws ${n.version} + ${n.maskHelper}, ${n.utf8Helper}`, anchor: true, run: calibrated(o.sampleSeconds, wsParser(n, s.chunks, s.frames), framesPerSec) },
      { name: `ws ${j.version} pure JS mask, ${j.utf8Helper}`, run: calibrated(o.sampleSeconds, wsParser(j, s.chunks, s.frames), framesPerSec) },
    );
    if (size.opcode === Opcode.Text) {
      impls.push({ name: `ws ${n.version} + data.toString() (text as a string, like ours)`, run: calibrated(o.sampleSeconds, wsParser(n, s.chunks, s.frames, true), framesPerSec) });
    }
    return {
      suite: 'parser',
      workload: `${size.label} (${s.frames} frames in 64 KiB reads)`,
      unit: 'MB/s',
      impls,
      extraColumns: [{ key: 'fps', label: 'frames/s' }],
    } satisfies Case;
  });
}

/** How many frames one framer pass writes: about 4 MiB of payload, at least 16 frames. */
function framesPerPass(size: FrameSize): number {
  return Math.max(16, Math.ceil((4 * ONE_MIB) / size.bytes));
}

export function framerCases(o: CodecOptions, ours: OursCodec | null): Case[] {
  return FRAME_SIZES.map((size) => {
    const payload = payloadFor(size);
    // A client sends text from a string (the UTF-8 encode is part of framing it) and binary from
    // the caller's buffer, which must not be modified (ws: readOnly → mask into a copy).
    const text = size.opcode === Opcode.Text ? payload.toString('utf8') : undefined;
    const count = framesPerPass(size);
    const framesPerSec = (units: number, secs: number): Record<string, number> => ({ fps: (units / size.bytes) / secs });
    const wsFramer = (codec: WsCodec) => (): number => {
      let out = 0;
      for (let i = 0; i < count; i++) {
        const parts = codec.Sender.frame(text ?? payload, { fin: true, opcode: size.opcode, mask: true, readOnly: text === undefined, rsv1: false });
        out += parts[parts.length - 1].length;
      }
      if (out < count * size.bytes) throw new Error('ws framed fewer bytes than the payload');
      return count * size.bytes;
    };
    const oursFramer = (frame: OursCodec['frame']) => (): number => {
      let out = 0;
      for (let i = 0; i < count; i++) out += frame(text ?? payload, size.opcode);
      if (out < count * size.bytes) throw new Error('ours framed fewer bytes than the payload');
      return count * size.bytes;
    };
    const impls: Impl[] = [];
    if (ours) {
      impls.push({ name: `ours (${ours.name}.send*)`, ours: true, run: calibrated(o.sampleSeconds, oursFramer(ours.frame), framesPerSec) });
      for (const f of ours.framers) impls.push({ name: `ours ${f.name}`, run: calibrated(o.sampleSeconds, oursFramer(f.frame), framesPerSec) });
    }
    const n = wsNative();
    const j = wsPureJs();
    impls.push(
      { name: `ws Sender.frame + ${n.maskHelper}`, anchor: true, run: calibrated(o.sampleSeconds, wsFramer(n), framesPerSec) },
      { name: `ws Sender.frame, pure JS mask`, run: calibrated(o.sampleSeconds, wsFramer(j), framesPerSec) },
    );
    return { suite: 'framer', workload: `${size.label} masked`, unit: 'MB/s', impls, extraColumns: [{ key: 'fps', label: 'frames/s' }] } satisfies Case;
  });
}

export function maskCases(o: CodecOptions, ours: OursCodec | null): Case[] {
  const src = Buffer.from(payloadFor({ label: '1 MiB', bytes: ONE_MIB, opcode: Opcode.Binary }));
  const dst = Buffer.allocUnsafe(ONE_MIB);
  const key = randomFillSync(Buffer.alloc(4));
  const bu = bufferutilPkg();
  const wsJs = wsPureJs().bufferUtil;
  const pass = (fn: () => void) => calibrated(o.sampleSeconds, () => (fn(), ONE_MIB));
  const impls: Impl[] = [];
  if (ours) {
    for (const m of ours.maskers) impls.push({ name: `ours ${m.name}`, ours: m.primary, run: pass(() => m.maskInto(src, key, dst, 0)) });
  }
  impls.push(
    { name: 'bufferutil.mask (native)', anchor: true, run: pass(() => bu.mask(src, key, dst, 0, ONE_MIB)) },
    { name: 'ws pure JS _mask (byte loop)', run: pass(() => wsJs.mask(src, key, dst, 0, ONE_MIB)) },
    { name: 'Buffer.copy (memory ceiling)', run: pass(() => void src.copy(dst)) },
  );
  return [{ suite: 'mask', workload: '1 MiB, src → dst', unit: 'GB/s', impls }];
}

export function utf8Cases(o: CodecOptions, ours: OursCodec | null): Case[] {
  const text = mixedText(ONE_MIB);
  const validate = utf8ValidatePkg();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const check = (fn: () => boolean) =>
    calibrated(o.sampleSeconds, () => {
      if (!fn()) throw new Error('valid text reported invalid');
      return ONE_MIB;
    });
  const impls: Impl[] = [];
  if (ours) for (const v of ours.utf8) impls.push({ name: `ours ${v.name}`, ours: v.primary, run: check(() => v.validate(text)) });
  impls.push(
    { name: 'Buffer.isUtf8 (native, what ws uses)', anchor: true, run: check(() => isUtf8(text)) },
    { name: 'utf-8-validate (native addon)', run: check(() => validate(text)) },
    { name: 'TextDecoder fatal (validate + decode)', run: check(() => decoder.decode(text).length > 0) },
  );
  return [{ suite: 'utf8', workload: '1 MiB mixed text', unit: 'GB/s', impls }];
}
