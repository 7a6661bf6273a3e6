// The incremental UTF-8 validator (RFC 3629 §4) against Node's own validator, at every split.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { isValidUtf8, UTF8_ACCEPT, UTF8_REJECT, utf8Continue, utf8Step } from './utf8.ts';
import { hex } from './test/harness.ts';

const fast = (b: Uint8Array) => isUtf8(b);

/** Feed `parts` in order; valid iff never rejected and ends on a character boundary. */
function streamValid(parts: Uint8Array[], withFast: boolean): boolean {
  let s = UTF8_ACCEPT;
  for (const p of parts) {
    s = utf8Continue(s, p, withFast ? fast : undefined);
    if (s === UTF8_REJECT) return false;
  }
  return s === UTF8_ACCEPT;
}

const cases: [string, boolean][] = [
  ['', true], ['41', true], ['c2 80', true], ['df bf', true], ['e0 a0 80', true], ['ed 9f bf', true], ['ee 80 80', true],
  ['f0 90 80 80', true], ['f4 8f bf bf', true], ['e2 82 ac', true], ['f0 9f 98 80', true],
  ['80', false], ['bf', false], ['c0 80', false], ['c1 bf', false], ['e0 80 80', false], ['e0 9f bf', false],
  ['ed a0 80', false], ['ed bf bf', false], ['f0 80 80 80', false], ['f0 8f bf bf', false], ['f4 90 80 80', false],
  ['f5 80 80 80', false], ['ff', false], ['fe', false], ['c2', false], ['e2 82', false], ['f0 9f 98', false], ['c2 41', false],
];

test('known valid and invalid sequences, alone and padded past the fast-path size, at every split', () => {
  for (const [h, valid] of cases) {
    for (const pad of [0, 100]) {
      const b = new Uint8Array([...new Uint8Array(pad).fill(0x61), ...hex(h), ...new Uint8Array(pad).fill(0x62)]);
      const expected = valid;
      assert.equal(isUtf8(b), expected, `node disagrees on ${h}`);
      for (const withFast of [false, true]) {
        assert.equal(isValidUtf8(b, withFast ? fast : undefined), expected, `${h} pad ${pad}`);
        for (let k = 0; k <= b.length; k++) assert.equal(streamValid([b.subarray(0, k), b.subarray(k)], withFast), expected, `${h} pad ${pad} split ${k} fast ${withFast}`);
      }
    }
  }
});

test('rejects as soon as the bytes can no longer become valid (not only at the end)', () => {
  assert.equal(utf8Step(UTF8_ACCEPT, hex('e2 82')), utf8Step(UTF8_ACCEPT, hex('e2 82'))); // pending, not rejected
  assert.notEqual(utf8Step(UTF8_ACCEPT, hex('e2 82')), UTF8_REJECT);
  assert.notEqual(utf8Step(UTF8_ACCEPT, hex('e2 82')), UTF8_ACCEPT);
  assert.equal(utf8Step(UTF8_ACCEPT, hex('e2 28')), UTF8_REJECT);
  assert.equal(utf8Continue(UTF8_ACCEPT, new Uint8Array([...new Uint8Array(200).fill(0x41), 0xff]), fast), UTF8_REJECT);
});

test('property: any bytes, any chunking — same verdict as buffer.isUtf8, with and without the fast check', () => {
  const utf8ish = fc.oneof(
    fc.uint8Array({ maxLength: 300 }),
    fc.string({ unit: 'grapheme', maxLength: 120 }).map((s) => new TextEncoder().encode(s)),
    fc.tuple(fc.string({ unit: 'grapheme', maxLength: 60 }), fc.uint8Array({ maxLength: 3 }), fc.string({ maxLength: 60 }))
      .map(([a, junk, b]) => new Uint8Array([...new TextEncoder().encode(a), ...junk, ...new TextEncoder().encode(b)])),
  );
  fc.assert(
    fc.property(utf8ish, fc.array(fc.nat(), { maxLength: 8 }), fc.boolean(), (bytes, cuts, withFast) => {
      const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
      const parts: Uint8Array[] = [];
      let prev = 0;
      for (const p of points) { parts.push(bytes.subarray(prev, p)); prev = p; }
      parts.push(bytes.subarray(prev));
      return streamValid(parts, withFast) === isUtf8(bytes);
    }),
    { numRuns: 3000 },
  );
});
