// Frame-log logic that needs no DOM: row previews, filters, and an incremental filter so a log of
// 100,000 frames is not re-scanned on every event batch.
import type { FrameRecord } from '../../shared/model.ts';
import { isControlOpcode, Opcode, opcodeName } from '../../shared/protocol-constants.ts';
import { base64ToBytes, compileMatcher, describeClosePayload, previewText, toHex, utf8DecodeLenient } from './format.ts';

/** Characters of payload text shown in a row, and bytes shown as hex for binary rows. */
export const ROW_PREVIEW_CHARS = 160;
export const ROW_PREVIEW_HEX_BYTES = 32;
/** Below this share of printable characters a payload is previewed as hex, not text. */
const PRINTABLE_RATIO = 0.9;

export type DirFilter = 'all' | 'in' | 'out';
export type OpcodeFilter = 'all' | 'data' | 'control' | `${number}`;

export interface FrameFilter {
  dir: DirFilter;
  opcode: OpcodeFilter;
  query: string;
  regex: boolean;
}

export const NO_FILTER: FrameFilter = { dir: 'all', opcode: 'all', query: '', regex: false };

const previewCache = new WeakMap<FrameRecord, string>();

function looksPrintable(s: string): boolean {
  if (s.length === 0) return true;
  let printable = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (c === 0xfffd) continue; // replacement character: a decoding failure, not printable
    if (c >= 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) printable++;
  }
  return printable / s.length >= PRINTABLE_RATIO;
}

/**
 * Tracks which messages are compressed. RFC 7692 §6.1: only the FIRST frame of a compressed message
 * has RSV1 set, so its continuation frames are known to carry deflate bytes only through it.
 */
export class CompressedMessages {
  #keys = new Set<string>();
  #seen: readonly FrameRecord[] = [];
  #scanned = 0;

  static key(f: FrameRecord): string {
    return `${f.dir}:${f.messageSeq}`;
  }

  update(frames: readonly FrameRecord[]): void {
    if (frames === this.#seen) return;
    // Appends are scanned incrementally; anything else (eviction shifts indexes) rescans.
    const appended = this.#seen.length > 0 && frames.length > 0 && frames[0] === this.#seen[0];
    let from = appended ? this.#scanned : 0;
    if (!appended) this.#keys = new Set();
    for (; from < frames.length; from++) {
      const f = frames[from];
      if (f.messageSeq !== undefined && (f.compressed || (f.rsv1 && !isControlOpcode(f.opcode)))) this.#keys.add(CompressedMessages.key(f));
    }
    this.#scanned = frames.length;
    this.#seen = frames;
  }

  has(f: FrameRecord): boolean {
    return f.messageSeq !== undefined && this.#keys.has(CompressedMessages.key(f));
  }
}

/** One-line preview of a frame's payload for the log table. */
export function framePreview(f: FrameRecord, inCompressedMessage = false): string {
  const cached = previewCache.get(f);
  if (cached !== undefined) return cached;
  const bytes = base64ToBytes(f.payload.base64);
  let out: string;
  if (f.opcode === Opcode.Close) out = describeClosePayload(bytes);
  else if (f.compressed || inCompressedMessage || (f.rsv1 && !isControlOpcode(f.opcode))) {
    out = `(deflate) ${toHex(bytes.subarray(0, ROW_PREVIEW_HEX_BYTES))}`;
  } else if (f.opcode === Opcode.Binary) out = toHex(bytes.subarray(0, ROW_PREVIEW_HEX_BYTES));
  else {
    const text = utf8DecodeLenient(bytes.subarray(0, ROW_PREVIEW_CHARS * 4));
    out = looksPrintable(text) ? previewText(text, ROW_PREVIEW_CHARS) : toHex(bytes.subarray(0, ROW_PREVIEW_HEX_BYTES));
  }
  if (f.payload.truncated || f.payload.length > bytes.length) out += ' …';
  previewCache.set(f, out);
  return out;
}

export type FramePredicate =
  | { ok: true; active: boolean; test: (f: FrameRecord) => boolean }
  | { ok: false; error: string };

export function makeFramePredicate(
  filter: FrameFilter,
  inCompressedMessage: (f: FrameRecord) => boolean = () => false,
): FramePredicate {
  const m = compileMatcher(filter.query, filter.regex);
  if (!m.ok) return m;
  const { dir, opcode } = filter;
  const op = opcode === 'all' || opcode === 'data' || opcode === 'control' ? null : Number(opcode);
  const active = m.active || dir !== 'all' || opcode !== 'all';
  return {
    ok: true,
    active,
    test: (f) => {
      if (dir !== 'all' && f.dir !== dir) return false;
      if (opcode === 'data' && isControlOpcode(f.opcode)) return false;
      if (opcode === 'control' && !isControlOpcode(f.opcode)) return false;
      if (op !== null && f.opcode !== op) return false;
      if (m.active && !m.test(framePreview(f, inCompressedMessage(f))) && !m.test(opcodeName(f.opcode))) return false;
      return true;
    },
  };
}

/** First index in a seq-sorted array whose seq is >= `seq`. */
export function lowerBound(arr: readonly { seq: number }[], seq: number): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid].seq < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Filters an append-only, front-evicted, seq-sorted log. When the filter is unchanged, only the
 * newly appended frames are tested and evicted ones are cut off with a binary search.
 */
export class IncrementalFrameFilter {
  #key = '';
  #source: readonly FrameRecord[] = [];
  #result: readonly FrameRecord[] = [];

  run(frames: readonly FrameRecord[], filter: FrameFilter, predicate: (f: FrameRecord) => boolean): readonly FrameRecord[] {
    const key = JSON.stringify(filter);
    if (key === this.#key && frames === this.#source) return this.#result;
    const prev = this.#source;
    const reusable =
      key === this.#key &&
      prev.length > 0 &&
      frames.length > 0 &&
      frames[0].seq >= prev[0].seq &&
      frames[frames.length - 1].seq >= prev[prev.length - 1].seq;
    let result: readonly FrameRecord[];
    if (reusable) {
      const lastSeen = prev[prev.length - 1].seq;
      const head = this.#result.slice(lowerBound(this.#result, frames[0].seq));
      const tail = frames.slice(lowerBound(frames, lastSeen + 1)).filter(predicate);
      result = tail.length ? head.concat(tail) : head;
    } else {
      result = frames.filter(predicate);
    }
    this.#key = key;
    this.#source = frames;
    this.#result = result;
    return result;
  }
}
