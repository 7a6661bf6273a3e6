// Property tests (fast-check): what a server encodes, the core parses back, for any messages,
// fragmentations and chunkings; what the core writes, a server decodes back; and arbitrary bytes
// never throw out of the core — they end, at worst, in a protocol error with a close code.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Opcode } from '../../shared/protocol-constants.ts';
import { concat, decodeClientFrame, opened, serverFrame, testEnv } from './test/harness.ts';

type Msg = { kind: 'text'; text: string } | { kind: 'binary'; data: Uint8Array };

const msgArb: fc.Arbitrary<Msg> = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 200 }).map((text) => ({ kind: 'text' as const, text })),
  fc.uint8Array({ maxLength: 300 }).map((data) => ({ kind: 'binary' as const, data })),
  // Occasionally a 16-bit-length frame.
  fc.integer({ min: 126, max: 70_000 }).map((n) => ({ kind: 'binary' as const, data: new Uint8Array(n).map((_, i) => i * 31) })),
);

/** Encode a message as server frames split into `pieces` fragments (byte cuts anywhere, even inside a character). */
function encodeMessage(m: Msg, cutSeeds: number[], pingBetween: boolean): Uint8Array[] {
  const data = m.kind === 'text' ? new TextEncoder().encode(m.text) : m.data;
  const cuts = [...new Set(cutSeeds.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
  const parts: Uint8Array[] = [];
  let prev = 0;
  for (const c of cuts) { parts.push(data.subarray(prev, c)); prev = c; }
  parts.push(data.subarray(prev));
  const frames: Uint8Array[] = [];
  parts.forEach((p, i) => {
    frames.push(serverFrame({ opcode: i === 0 ? (m.kind === 'text' ? Opcode.Text : Opcode.Binary) : Opcode.Continuation, fin: i === parts.length - 1, payload: p }));
    if (pingBetween && i < parts.length - 1) frames.push(serverFrame({ opcode: Opcode.Ping, payload: 'k' }));
  });
  return frames;
}

function chunk(bytes: Uint8Array, seeds: number[]): Uint8Array[] {
  const cuts = [...new Set(seeds.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const c of cuts) { out.push(bytes.subarray(prev, c)); prev = c; }
  out.push(bytes.subarray(prev));
  return out;
}

test('property: server-encoded messages parse back for any fragmentation and chunking', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(msgArb, fc.array(fc.nat(), { maxLength: 4 }), fc.boolean()), { minLength: 1, maxLength: 6 }),
      fc.array(fc.nat(), { maxLength: 20 }),
      fc.boolean(),
      (msgs, chunkSeeds, fastUtf8) => {
        const stream = concat(...msgs.flatMap(([m, cuts, ping]) => encodeMessage(m, cuts, ping)));
        const { core, rec } = opened({}, [], testEnv({ fastUtf8 }));
        for (const c of chunk(stream, chunkSeeds)) core.receiveData(c);
        assert.deepEqual(rec.errors, []);
        const got = rec.messagesIn;
        assert.equal(got.length, msgs.length);
        msgs.forEach(([m], i) => {
          assert.equal(got[i].kind, m.kind);
          if (m.kind === 'text') assert.equal(got[i].text, m.text);
          else assert.deepEqual(got[i].data, m.data);
        });
        assert.equal(core.state, 'OPEN');
      },
    ),
    { numRuns: 300 },
  );
});

test('property: what the client writes decodes back to the message (masked, fragmented as asked)', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(msgArb, fc.integer({ min: 0, max: 500 })), { minLength: 1, maxLength: 5 }), (msgs) => {
      const { core, rec } = opened();
      for (const [m, frag] of msgs) {
        if (m.kind === 'text') core.sendText(m.text, frag);
        else core.sendBinary(m.data, frag);
      }
      const frames = rec.writes.map(decodeClientFrame);
      assert.ok(frames.every((f) => f.masked));
      const out: Msg[] = [];
      let cur: Uint8Array[] = [];
      let op = 0;
      for (const f of frames) {
        if (f.opcode !== Opcode.Continuation) op = f.opcode;
        cur.push(f.payload);
        if (f.fin) {
          const data = concat(...cur);
          out.push(op === Opcode.Text ? { kind: 'text', text: Buffer.from(data).toString('utf8') } : { kind: 'binary', data });
          cur = [];
        }
      }
      assert.equal(out.length, msgs.length);
      msgs.forEach(([m, frag], i) => {
        assert.deepEqual(out[i], m.kind === 'text' ? { kind: 'text', text: new TextDecoder().decode(new TextEncoder().encode(m.text)) } : m);
        const len = m.kind === 'text' ? new TextEncoder().encode(m.text).length : m.data.length;
        const expectFrames = frag > 0 ? Math.max(1, Math.ceil(len / frag)) : 1;
        assert.equal(rec.messages.filter((x) => x.dir === 'out')[i].frameCount, expectFrames);
      });
    }),
    { numRuns: 200 },
  );
});

test('property: arbitrary bytes never throw; they end OPEN (waiting) or CLOSED with a 1002/1007/1009 error', () => {
  const bytesArb = fc.oneof(
    fc.uint8Array({ maxLength: 400 }),
    // Mostly-valid streams with a corrupted byte: reach deeper states.
    fc.tuple(fc.array(msgArb, { maxLength: 3 }), fc.nat(), fc.integer({ min: 0, max: 255 })).map(([ms, pos, val]) => {
      const s = concat(new Uint8Array(0), ...ms.flatMap((m) => encodeMessage(m, [], false)));
      if (s.length > 0) s[pos % s.length] = val;
      return s;
    }),
  );
  fc.assert(
    fc.property(bytesArb, fc.array(fc.nat(), { maxLength: 10 }), fc.boolean(), (bytes, seeds, deflate) => {
      const { core, rec } = opened({ deflate, maxMessageBytes: 100_000 }, deflate ? ['Sec-WebSocket-Extensions: permessage-deflate'] : []);
      for (const c of chunk(bytes, seeds)) core.receiveData(c);
      if (core.state === 'CLOSED') {
        assert.equal(rec.errors.length, 1);
        assert.ok([1002, 1007, 1009].includes(rec.errors[0].closeCode), String(rec.errors[0].closeCode));
      } else {
        assert.ok(core.state === 'OPEN' || core.state === 'CLOSING');
        assert.deepEqual(rec.errors, []);
      }
      core.receiveEof();
      assert.equal(core.state, 'CLOSED');
    }),
    { numRuns: 2000 },
  );
});
