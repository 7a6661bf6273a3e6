import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assemble } from './wasm-asm.ts';

test('assembles a module that runs: add(a, b) and a memory store/load', () => {
  const bytes = assemble({
    memoryPages: 1,
    funcs: [
      { name: 'add', params: ['i32', 'i32'], results: ['i32'], locals: [], body: [['local.get', 0], ['local.get', 1], ['i32.add']] },
      {
        name: 'poke',
        params: ['i32', 'i32'],
        results: ['i32'],
        locals: ['i32'],
        body: [
          ['local.get', 0], ['local.get', 1], ['i32.store', { align: 2, offset: 0 }],
          ['local.get', 0], ['i32.load', { align: 2, offset: 0 }], ['i32.const', -1], ['i32.xor'],
        ],
      },
    ],
  });
  assert.equal(WebAssembly.validate(bytes), true);
  const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
  const ex = inst.exports as { add: (a: number, b: number) => number; poke: (p: number, v: number) => number; memory: WebAssembly.Memory };
  assert.equal(ex.add(40, 2), 42);
  assert.equal(ex.add(0x7fffffff, 1), -0x80000000);
  assert.equal(ex.poke(8, 0x12345678), ~0x12345678);
  assert.equal(new DataView(ex.memory.buffer).getUint32(8, true), 0x12345678);
  assert.equal(ex.memory.buffer.byteLength, 64 * 1024);
});

test('signed constants encode across LEB128 byte boundaries', () => {
  for (const v of [0, 1, -1, 63, 64, -64, -65, 127, 128, 8191, -8192, 2 ** 31 - 1, -(2 ** 31)]) {
    const bytes = assemble({ memoryPages: 1, funcs: [{ name: 'k', params: [], results: ['i32'], locals: [], body: [['i32.const', v]] }] });
    const k = (new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as { k: () => number }).k;
    assert.equal(k(), v);
  }
});

test('unknown instructions and missing immediates are refused at assembly time', () => {
  const bad = (body: [string, ...number[]][]) => () =>
    assemble({ memoryPages: 1, funcs: [{ name: 'f', params: [], results: [], locals: [], body }] });
  assert.throws(bad([['i64.frobnicate']]), /unknown instruction/);
  assert.throws(bad([['local.get']]), /needs an index/);
  assert.throws(bad([['i32.load']]), /needs a memarg/);
});
