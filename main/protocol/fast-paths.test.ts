// The performance paths of the core give the same results as the plain ones: lazily decoded text,
// an uninitialised allocator for spanning payloads and reassembly, unfragmented messages without
// reassembly state. Fed at every split point so spanning (copied) and in-chunk (viewed) payloads
// both occur.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Opcode } from '../../shared/protocol-constants.ts';
import { concat, opened, serverFrame, testEnv } from './test/harness.ts';
import { ReceivedMessage } from './received-message.ts';
import type { ProtocolEnv } from './client-protocol.ts';

const GARBAGE = 0xa5;

/** An allocator that hands out dirty memory, as Buffer.allocUnsafe may: every byte must be written. */
function dirtyEnv(): { env: ProtocolEnv; allocations: number[] } {
  const allocations: number[] = [];
  const env: ProtocolEnv = {
    ...testEnv(),
    allocPayload: (n) => {
      allocations.push(n);
      return new Uint8Array(n).fill(GARBAGE);
    },
  };
  return { env, allocations };
}

test('text is decoded once, on first read, and binary messages have none', () => {
  let decodes = 0;
  const decode = (b: Uint8Array): string => {
    decodes++;
    return new TextDecoder().decode(b);
  };
  const bytes = new TextEncoder().encode('données ✓ 😀');
  const m = new ReceivedMessage(1, 0, true, bytes, bytes.length, false, 1, decode);
  assert.equal(decodes, 0);
  assert.equal(m.text, 'données ✓ 😀');
  assert.equal(m.text, 'données ✓ 😀');
  assert.equal(decodes, 1);
  assert.equal(m.kind, 'text');
  const b = new ReceivedMessage(2, 0, false, bytes, bytes.length, false, 1, decode);
  assert.equal(b.text, undefined);
  assert.equal(b.kind, 'binary');
  assert.equal(decodes, 1);
  // The interface property is writable; assigning replaces the decoded text.
  m.text = 'replaced';
  assert.equal(m.text, 'replaced');
});

test('payloads spanning reads and reassembled fragments are exact with an uninitialised allocator', () => {
  const big = new Uint8Array(300).map((_, i) => (i * 7) & 0xff);
  const text = 'héllo wörld ✓ '.repeat(20);
  const textBytes = new TextEncoder().encode(text);
  const stream = concat(
    serverFrame({ opcode: Opcode.Binary, payload: big }),
    serverFrame({ opcode: Opcode.Text, fin: false, payload: textBytes.subarray(0, 101) }),
    serverFrame({ opcode: Opcode.Ping, payload: 'p' }),
    serverFrame({ opcode: Opcode.Continuation, payload: textBytes.subarray(101) }),
    serverFrame({ opcode: Opcode.Text, payload: 'short' }),
  );
  for (let k = 1; k < stream.length; k += 7) {
    const { env, allocations } = dirtyEnv();
    const { core, rec } = opened({}, [], env);
    allocations.length = 0;
    core.receiveData(stream.subarray(0, k));
    core.receiveData(stream.subarray(k));
    const msgs = rec.messagesIn;
    assert.equal(msgs.length, 3, `split ${k}`);
    assert.deepEqual(msgs[0].data, big, `split ${k}`);
    assert.equal(msgs[0].text, undefined);
    assert.equal(msgs[1].text, text, `split ${k}`);
    assert.deepEqual(msgs[1].data, textBytes, `split ${k}`);
    assert.equal(msgs[1].frameCount, 2);
    assert.equal(msgs[2].text, 'short');
    // Reassembly of the fragmented text always allocates; so does a payload cut by the split.
    assert.ok(allocations.includes(textBytes.length), `split ${k}: reassembly used the allocator`);
  }
});

test('an unfragmented text message with bad UTF-8 still fails with 1007 and is not delivered', () => {
  const bad = new Uint8Array([0x68, 0x69, 0xc3, 0x28]);
  for (const payload of [bad, concat(new Uint8Array(200).fill(0x61), bad), new Uint8Array([0x61, 0xe2, 0x82])]) {
    const { core, rec } = opened();
    core.receiveData(serverFrame({ opcode: Opcode.Text, payload }));
    assert.equal(rec.messagesIn.length, 0);
    assert.equal(rec.errors[0]?.closeCode, 1007);
    assert.equal(core.state, 'CLOSED');
  }
});
