import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CompressedMessages, framePreview, IncrementalFrameFilter, makeFramePredicate, NO_FILTER, type FrameFilter } from './frames.ts';
import { bytesToBase64, utf8Encode } from './format.ts';
import { frame, range } from './test/records.ts';
import type { FrameRecord } from '../../shared/model.ts';

const payload = (bytes: Uint8Array, truncated = false) => ({ base64: bytesToBase64(bytes), length: bytes.length, truncated });

test('framePreview: text, binary as hex, close code and reason, control characters flattened', () => {
  assert.equal(framePreview(frame(1, { payload: payload(utf8Encode('hi\nthere')) })), 'hi·there');
  assert.equal(framePreview(frame(2, { opcode: 2, payload: payload(new Uint8Array([0, 1, 255])) })), '00 01 ff');
  assert.equal(framePreview(frame(3, { opcode: 8, payload: payload(new Uint8Array([0x03, 0xe9, 0x78])) })), '1001 "x"');
  assert.equal(framePreview(frame(4, { opcode: 9, payload: payload(new Uint8Array([0, 0, 0, 1])) })), '00 00 00 01');
  assert.match(framePreview(frame(5, { rsv1: true, compressed: true, payload: payload(new Uint8Array([0xf2, 0x48])) })), /^\(deflate\) f2 48/);
  assert.match(framePreview(frame(6, { payload: payload(utf8Encode('abc'), true) })), /abc …$/);
});

function sample(): FrameRecord[] {
  return [
    frame(1, { dir: 'out', opcode: 1, payload: payload(utf8Encode('{"id":1}')) }),
    frame(2, { dir: 'in', opcode: 1, payload: payload(utf8Encode('{"id":2,"ok":true}')) }),
    frame(3, { dir: 'out', opcode: 9, payload: payload(new Uint8Array()) }),
    frame(4, { dir: 'in', opcode: 10, payload: payload(new Uint8Array()) }),
    frame(5, { dir: 'in', opcode: 2, payload: payload(new Uint8Array([1, 2])) }),
    frame(6, { dir: 'out', opcode: 8, payload: payload(new Uint8Array([0x03, 0xe8])) }),
  ];
}

function seqs(frames: readonly FrameRecord[], f: Partial<FrameFilter>): number[] {
  const p = makeFramePredicate({ ...NO_FILTER, ...f });
  assert.ok(p.ok);
  return frames.filter(p.ok ? p.test : () => false).map((x) => x.seq);
}

test('frame filters: direction, opcode groups, exact opcode, text and regex', () => {
  const fr = sample();
  assert.deepEqual(seqs(fr, {}), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(seqs(fr, { dir: 'out' }), [1, 3, 6]);
  assert.deepEqual(seqs(fr, { opcode: 'control' }), [3, 4, 6]);
  assert.deepEqual(seqs(fr, { opcode: 'data', dir: 'in' }), [2, 5]);
  assert.deepEqual(seqs(fr, { opcode: '9' }), [3]);
  assert.deepEqual(seqs(fr, { query: 'OK' }), [2]);
  assert.deepEqual(seqs(fr, { query: '"id":\\d', regex: true }), [1, 2]);
  assert.deepEqual(seqs(fr, { query: 'pong' }), [4]);
  const bad = makeFramePredicate({ ...NO_FILTER, query: '[', regex: true });
  assert.equal(bad.ok, false);
});

test('IncrementalFrameFilter matches a full filter through appends and front evictions', () => {
  const inc = new IncrementalFrameFilter();
  const filter: FrameFilter = { ...NO_FILTER, dir: 'in' };
  const p = makeFramePredicate(filter);
  assert.ok(p.ok);
  const pred = p.ok ? p.test : () => true;
  const all = range(1, 500).map((i) => frame(i, { dir: i % 3 === 0 ? 'out' : 'in' }));
  let window: FrameRecord[] = [];
  for (let end = 10; end <= 500; end += 37) {
    window = all.slice(Math.max(0, end - 120), end);
    assert.deepEqual(
      inc.run(window, filter, pred).map((f) => f.seq),
      window.filter(pred).map((f) => f.seq),
      `window ending at ${end}`,
    );
  }
  // Same input twice: the same array comes back (no work).
  assert.equal(inc.run(window, filter, pred), inc.run(window, filter, pred));
  // A changed filter recomputes from scratch.
  const f2: FrameFilter = { ...NO_FILTER, dir: 'out' };
  const p2 = makeFramePredicate(f2);
  assert.ok(p2.ok);
  assert.deepEqual(inc.run(window, f2, p2.ok ? p2.test : () => true).every((f) => f.dir === 'out'), true);
});

test('CompressedMessages: continuation frames of a compressed message preview as deflate bytes', () => {
  const first = frame(1, { rsv1: true, compressed: true, fin: false, messageSeq: 7, fragmentIndex: 0, payload: payload(new Uint8Array([0xf2, 0x48])) });
  const cont = frame(2, { opcode: 0, fin: true, messageSeq: 7, fragmentIndex: 1, payload: payload(new Uint8Array([0x41, 0x42])) });
  const other = frame(3, { dir: 'out', opcode: 1, messageSeq: 7, fragmentIndex: 0, payload: payload(utf8Encode('AB')) });
  const cm = new CompressedMessages();
  cm.update([first, cont, other]);
  assert.equal(cm.has(cont), true);
  assert.equal(cm.has(other), false, 'message numbers are per direction');
  assert.match(framePreview(cont, cm.has(cont)), /^\(deflate\) 41 42/);
  assert.equal(framePreview(other, cm.has(other)), 'AB');
});
