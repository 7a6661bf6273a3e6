// Loads the `ws` package's codec twice: as installed (with its native helpers) and as pure JS.
//
// `ws` decides at module load time which helpers to use (lib/buffer-util.js, lib/validation.js):
// node:http's websocketMask when the runtime has it, else `bufferutil` unless WS_NO_BUFFER_UTIL
// is set; Buffer.isUtf8 when the runtime has it, else `utf-8-validate` unless
// WS_NO_UTF_8_VALIDATE is set. To measure both variants in ONE process (so repetitions interleave)
// we load a second, private copy of ws/lib with those env vars set, then put the module cache
// back so every other `require('ws')` still gets the native variant. The variant actually in
// use is read back from the loaded functions, never assumed.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const nodeRequire = createRequire(import.meta.url);

export interface WsReceiver {
  on(event: 'message', fn: (data: Buffer, isBinary: boolean) => void): void;
  on(event: 'error', fn: (err: Error) => void): void;
  write(chunk: Buffer): boolean;
}
export interface WsReceiverCtor {
  new (options: {
    isServer?: boolean;
    maxPayload?: number;
    skipUTF8Validation?: boolean;
    binaryType?: string;
    allowSynchronousEvents?: boolean;
  }): WsReceiver;
}
export interface WsFrameOptions {
  fin: boolean;
  opcode: number;
  mask: boolean;
  readOnly: boolean;
  rsv1: boolean;
  maskBuffer?: Buffer;
  generateMask?: (mask: Buffer) => void;
}
export interface WsSenderStatic {
  frame(data: Buffer | string, options: WsFrameOptions): Buffer[];
}
export interface WsBufferUtil {
  mask(source: Buffer, mask: Buffer, output: Buffer, offset: number, length: number): void;
  unmask(buffer: Buffer, mask: Buffer): void;
}
export interface WsValidation {
  isValidUTF8(buf: Buffer): boolean;
}

export interface WsCodec {
  Receiver: WsReceiverCtor;
  Sender: WsSenderStatic;
  bufferUtil: WsBufferUtil;
  validation: WsValidation;
  /** What ws/lib/buffer-util.js actually masks with: 'bufferutil', 'node:http' or 'js'. */
  maskHelper: string;
  /** What ws/lib/validation.js actually validates with. */
  utf8Helper: string;
  version: string;
}

const wsRoot = dirname(nodeRequire.resolve('ws/package.json'));
const LIB_FILES = ['buffer-util.js', 'validation.js', 'receiver.js', 'sender.js'] as const;

function describe(bufferUtil: WsBufferUtil, validation: WsValidation): { maskHelper: string; utf8Helper: string } {
  const m = bufferUtil.mask.toString();
  const u = validation.isValidUTF8.toString();
  return {
    maskHelper: m.includes('bufferUtil.mask') ? 'bufferutil' : m.includes('websocketMask') ? 'node:http' : 'js',
    utf8Helper: u.includes('isUtf8(') ? 'Buffer.isUtf8' : u.includes('isValidUTF8(buf)') && !u.includes('_isValidUTF8(buf)') ? 'utf-8-validate' : 'js',
  };
}

function loadFrom(): Omit<WsCodec, 'maskHelper' | 'utf8Helper'> {
  const [bufferUtil, validation, Receiver, Sender] = LIB_FILES.map((f) => nodeRequire(join(wsRoot, 'lib', f))) as [
    WsBufferUtil,
    WsValidation,
    WsReceiverCtor,
    WsSenderStatic,
  ];
  const version = (nodeRequire('ws/package.json') as { version: string }).version;
  return { bufferUtil, validation, Receiver, Sender, version };
}

let nativeCodec: WsCodec | undefined;
let jsCodec: WsCodec | undefined;

/** ws as installed: picks up bufferutil / Buffer.isUtf8 like any application using ws. */
export function wsNative(): WsCodec {
  if (!nativeCodec) {
    nodeRequire('ws');
    const c = loadFrom();
    nativeCodec = { ...c, ...describe(c.bufferUtil, c.validation) };
  }
  return nativeCodec;
}

/** A private copy of ws/lib loaded with WS_NO_BUFFER_UTIL / WS_NO_UTF_8_VALIDATE set. */
export function wsPureJs(): WsCodec {
  if (jsCodec) return jsCodec;
  wsNative();
  const cache = nodeRequire.cache;
  const saved = new Map<string, NodeJS.Module>();
  for (const key of Object.keys(cache)) {
    if (key.startsWith(join(wsRoot, 'lib'))) {
      saved.set(key, cache[key] as NodeJS.Module);
      delete cache[key];
    }
  }
  const env = { b: process.env.WS_NO_BUFFER_UTIL, u: process.env.WS_NO_UTF_8_VALIDATE };
  process.env.WS_NO_BUFFER_UTIL = '1';
  process.env.WS_NO_UTF_8_VALIDATE = '1';
  try {
    const c = loadFrom();
    jsCodec = { ...c, ...describe(c.bufferUtil, c.validation) };
  } finally {
    if (env.b === undefined) delete process.env.WS_NO_BUFFER_UTIL;
    else process.env.WS_NO_BUFFER_UTIL = env.b;
    if (env.u === undefined) delete process.env.WS_NO_UTF_8_VALIDATE;
    else process.env.WS_NO_UTF_8_VALIDATE = env.u;
    for (const key of Object.keys(cache)) if (key.startsWith(join(wsRoot, 'lib'))) delete cache[key];
    for (const [key, mod] of saved) cache[key] = mod;
  }
  return jsCodec;
}

/** The native helper packages themselves (mask / UTF-8 anchors). */
export function bufferutilPkg(): WsBufferUtil {
  return nodeRequire('bufferutil') as WsBufferUtil;
}
export function utf8ValidatePkg(): (buf: Buffer) => boolean {
  return nodeRequire('utf-8-validate') as (buf: Buffer) => boolean;
}
