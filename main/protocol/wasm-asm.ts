// A tiny WebAssembly assembler: just enough of the binary format (WebAssembly Core Spec 2.0,
// §5 "Binary Format") to emit one module with one memory and a few functions, from an
// instruction list written in the text-format names. It exists so the SIMD masking kernel in
// mask-simd.ts is built from readable source in this repo at load time — no downloaded wasm,
// no wabt/emscripten toolchain. Pure: no I/O, no node:*.

/** Value types, spec §5.3.1. */
export const ValType = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b } as const;
export type ValTypeName = keyof typeof ValType;

/** Block type "empty" (no result), spec §5.4.1. */
const BLOCK_EMPTY = 0x40;
const SIMD_PREFIX = 0xfd;

// Opcodes we use, spec §5.4. SIMD instructions are 0xFD followed by a LEB128 u32 (§5.4.8).
const PLAIN: Record<string, number> = {
  unreachable: 0x00,
  nop: 0x01,
  block: 0x02,
  loop: 0x03,
  br: 0x0c,
  br_if: 0x0d,
  return: 0x0f,
  end: 0x0b,
  'local.get': 0x20,
  'local.set': 0x21,
  'local.tee': 0x22,
  'i32.load': 0x28,
  'i32.load8_u': 0x2d,
  'i32.store': 0x36,
  'i32.store8': 0x3a,
  'i32.const': 0x41,
  'i32.eqz': 0x45,
  'i32.lt_u': 0x49,
  'i32.ge_u': 0x4f,
  'i32.add': 0x6a,
  'i32.sub': 0x6b,
  'i32.and': 0x71,
  'i32.or': 0x72,
  'i32.xor': 0x73,
  'i32.shl': 0x74,
  'i32.shr_u': 0x76,
  'i32.rotr': 0x78,
};
const SIMD: Record<string, number> = {
  'v128.load': 0x00,
  'v128.store': 0x0b,
  'i32x4.splat': 0x11,
  'v128.xor': 0x51,
};
/** Instructions followed by a memarg (align, offset), spec §5.4.6. */
const MEMORY_OPS = new Set(['i32.load', 'i32.load8_u', 'i32.store', 'i32.store8', 'v128.load', 'v128.store']);
/** Instructions followed by one unsigned immediate (label or local index). */
const INDEX_OPS = new Set(['br', 'br_if', 'local.get', 'local.set', 'local.tee']);

/**
 * One instruction: its text-format name and immediates, e.g. ['local.get', 0],
 * ['v128.load', { align: 4, offset: 16 }], ['i32.const', -64], ['block'].
 */
export type Instr = [string, ...(number | { align: number; offset: number })[]];

export interface FuncDef {
  name: string;
  params: ValTypeName[];
  results: ValTypeName[];
  /** Extra locals after the parameters, in order. */
  locals: ValTypeName[];
  body: Instr[];
}

export interface ModuleDef {
  /** Initial memory size in 64 KiB pages; the memory is exported as "memory". */
  memoryPages: number;
  funcs: FuncDef[];
}

function uleb(n: number): number[] {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`uleb: ${n}`);
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n = Math.floor(n / 128);
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  if (!Number.isInteger(n)) throw new RangeError(`sleb: ${n}`);
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    const done = (n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

function name(s: string): number[] {
  const bytes = [...new TextEncoder().encode(s)];
  return [...uleb(bytes.length), ...bytes];
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

function encodeInstr(ins: Instr): number[] {
  const [op, ...imm] = ins;
  const out: number[] = [];
  if (op in PLAIN) out.push(PLAIN[op]);
  else if (op in SIMD) out.push(SIMD_PREFIX, ...uleb(SIMD[op]));
  else throw new Error(`wasm-asm: unknown instruction ${op}`);
  if (op === 'block' || op === 'loop') out.push(BLOCK_EMPTY);
  else if (MEMORY_OPS.has(op)) {
    const m = imm[0];
    if (typeof m !== 'object') throw new Error(`wasm-asm: ${op} needs a memarg`);
    out.push(...uleb(m.align), ...uleb(m.offset));
  } else if (INDEX_OPS.has(op)) {
    if (typeof imm[0] !== 'number') throw new Error(`wasm-asm: ${op} needs an index`);
    out.push(...uleb(imm[0]));
  } else if (op === 'i32.const') {
    if (typeof imm[0] !== 'number') throw new Error('wasm-asm: i32.const needs a value');
    out.push(...sleb(imm[0] | 0));
  } else if (imm.length) throw new Error(`wasm-asm: ${op} takes no immediate`);
  return out;
}

const MAGIC_AND_VERSION = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
const SEC_TYPE = 1;
const SEC_FUNCTION = 3;
const SEC_MEMORY = 5;
const SEC_EXPORT = 7;
const SEC_CODE = 10;
const FUNC_TYPE = 0x60;
const EXPORT_FUNC = 0x00;
const EXPORT_MEMORY = 0x02;
const LIMITS_MIN_ONLY = 0x00;

/** Assembles a module definition into WebAssembly binary bytes. */
export function assemble(def: ModuleDef): Uint8Array<ArrayBuffer> {
  const types = def.funcs.map((f) => [
    FUNC_TYPE,
    ...vec(f.params.map((p) => [ValType[p]])),
    ...vec(f.results.map((r) => [ValType[r]])),
  ]);
  const bodies = def.funcs.map((f) => {
    // Locals are run-length encoded (count, type), spec §5.5.13.
    const runs: number[][] = [];
    for (const t of f.locals) {
      const last = runs[runs.length - 1];
      if (last && last[1] === ValType[t]) last[0]++;
      else runs.push([1, ValType[t]]);
    }
    const code = [...vec(runs.map(([count, type]) => [...uleb(count), type])), ...f.body.flatMap(encodeInstr), PLAIN.end];
    return [...uleb(code.length), ...code];
  });
  const exports = [
    ...def.funcs.map((f, i) => [...name(f.name), EXPORT_FUNC, ...uleb(i)]),
    [...name('memory'), EXPORT_MEMORY, ...uleb(0)],
  ];
  return Uint8Array.from([
    ...MAGIC_AND_VERSION,
    ...section(SEC_TYPE, vec(types)),
    ...section(SEC_FUNCTION, vec(def.funcs.map((_, i) => uleb(i)))),
    ...section(SEC_MEMORY, vec([[LIMITS_MIN_ONLY, ...uleb(def.memoryPages)]])),
    ...section(SEC_EXPORT, vec(exports)),
    ...section(SEC_CODE, vec(bodies)),
  ]);
}
