// Incremental UTF-8 validation (RFC 3629 §4, as RFC 6455 §8.1 requires for text messages and close
// reasons). A text message can be split across frames at any byte, even inside a character, so
// the validator carries a small state between calls and fails at the first fragment where the bytes
// can no longer become valid UTF-8. An optional fast whole-buffer validator (e.g. Node's
// buffer.isUtf8, which uses SIMD) is injected for the middle of each fragment; this DFA handles
// only the carried-over edges when one is present.

/** State after a complete character (or at the start). */
export const UTF8_ACCEPT = 0;
/** The bytes seen can never become valid UTF-8. Sticky. */
export const UTF8_REJECT = 1;
// States waiting for continuation bytes, named by what the next byte must be (RFC 3629 §4 table):
const NEED_1 = 2; // one more 80..BF
const NEED_2 = 3; // two more 80..BF
const NEED_3 = 4; // three more 80..BF
const NEED_E0 = 5; // after E0: A0..BF, then one more (no overlong 3-byte forms)
const NEED_ED = 6; // after ED: 80..9F, then one more (no UTF-16 surrogates D800..DFFF)
const NEED_F0 = 7; // after F0: 90..BF, then two more (no overlong 4-byte forms)
const NEED_F4 = 8; // after F4: 80..8F, then two more (nothing above U+10FFFF)

export type Utf8State = number;
export type FastUtf8Check = (bytes: Uint8Array) => boolean;

const ASCII_LIMIT = 0x80;

/** Feed bytes[start, end) to the DFA from `state`; returns the new state (UTF8_REJECT is sticky). */
export function utf8Step(state: Utf8State, bytes: Uint8Array, start = 0, end = bytes.length): Utf8State {
  let s = state;
  let i = start;
  while (i < end) {
    const b = bytes[i++];
    if (s === UTF8_ACCEPT) {
      if (b < ASCII_LIMIT) continue;
      if (b < 0xc2) return UTF8_REJECT; // 80..BF stray continuation, C0/C1 overlong
      if (b < 0xe0) s = NEED_1;
      else if (b === 0xe0) s = NEED_E0;
      else if (b === 0xed) s = NEED_ED;
      else if (b < 0xf0) s = NEED_2;
      else if (b === 0xf0) s = NEED_F0;
      else if (b < 0xf4) s = NEED_3;
      else if (b === 0xf4) s = NEED_F4;
      else return UTF8_REJECT; // F5..FF never appear in UTF-8
      continue;
    }
    switch (s) {
      case NEED_1: if (b < 0x80 || b > 0xbf) return UTF8_REJECT; s = UTF8_ACCEPT; break;
      case NEED_2: if (b < 0x80 || b > 0xbf) return UTF8_REJECT; s = NEED_1; break;
      case NEED_3: if (b < 0x80 || b > 0xbf) return UTF8_REJECT; s = NEED_2; break;
      case NEED_E0: if (b < 0xa0 || b > 0xbf) return UTF8_REJECT; s = NEED_1; break;
      case NEED_ED: if (b < 0x80 || b > 0x9f) return UTF8_REJECT; s = NEED_1; break;
      case NEED_F0: if (b < 0x90 || b > 0xbf) return UTF8_REJECT; s = NEED_2; break;
      case NEED_F4: if (b < 0x80 || b > 0x8f) return UTF8_REJECT; s = NEED_2; break;
      default: return UTF8_REJECT;
    }
  }
  return s;
}

/**
 * Validate one more piece of a text message. With a fast checker the DFA only runs over the bytes
 * that finish a character carried over from the previous piece and over a possibly incomplete
 * character at the end; the middle (almost everything) goes to the fast checker.
 */
export function utf8Continue(state: Utf8State, bytes: Uint8Array, fast: FastUtf8Check | undefined): Utf8State {
  const n = bytes.length;
  if (fast === undefined || n < FAST_MIN_BYTES) return utf8Step(state, bytes, 0, n);
  let i = 0;
  let s = state;
  // Finish the carried character byte by byte (at most 3 bytes).
  while (s !== UTF8_ACCEPT && s !== UTF8_REJECT && i < n) {
    s = utf8Step(s, bytes, i, i + 1);
    i++;
  }
  if (s === UTF8_REJECT) return s;
  // Find where a possibly incomplete last character starts: scan back over at most 3 continuation bytes.
  let tail = n;
  let back = 0;
  while (tail > i && back < MAX_CONTINUATION_BYTES && (bytes[tail - 1] & 0xc0) === 0x80) {
    tail--;
    back++;
  }
  if (tail > i && bytes[tail - 1] >= 0xc0) tail--; // the lead byte of that last character
  else if (back > 0) tail = n; // only continuation bytes: no lead in reach, let the fast check decide
  if (tail > i && !fast(i === 0 && tail === n ? bytes : bytes.subarray(i, tail))) return UTF8_REJECT;
  return utf8Step(UTF8_ACCEPT, bytes, tail, n);
}

/** Below this size the DFA is as fast as a native call. */
const FAST_MIN_BYTES = 64;
const MAX_CONTINUATION_BYTES = 3;

/** Whole-buffer check (close reasons, single-frame texts). */
export function isValidUtf8(bytes: Uint8Array, fast?: FastUtf8Check): boolean {
  return utf8Continue(UTF8_ACCEPT, bytes, fast) === UTF8_ACCEPT;
}
