// Shared runner for the hostile-server suites: a raw peer answers the handshake, writes crafted
// frames, and the test asserts exactly what our client put on the wire in return (echoed
// messages, pongs, and the close code), Autobahn|Testsuite style: the TEST echoes messages back,
// the client only has to get the protocol right.

import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { deflateRawSync, inflateRawSync, createDeflateRaw, constants as zc } from 'node:zlib';
import { startRawPeer, type RawConnection, type RawPeer } from '../../../e2e/peers/raw-peer.ts';
import { dataMessages, encodeFrame, closePayload, Op, type DecodedFrame } from '../../../e2e/peers/frames.ts';
import { openProbe, type Probe } from './probe.ts';
import type { ConnectOptions, ErrorCode } from '../../../shared/model.ts';

/** RFC 7692 §7.2.1: the 4 bytes a sync flush ends with, removed on the wire, re-added to inflate. */
export const DEFLATE_TAIL = Buffer.from([0x00, 0x00, 0xff, 0xff]);
const MAX_7BIT = 125;
const MAX_16BIT = 0xffff;
const NORMAL_CLOSURE = 1000;

export interface ExpectedEcho {
  opcode: number;
  payload: Buffer | string;
}

export interface HostileCase {
  /** Sec-WebSocket-Extensions to answer with (e.g. permessage-deflate). */
  extensions?: string;
  client?: Partial<ConnectOptions>;
  /** What the server does after the 101. */
  send: (c: RawConnection) => Promise<void>;
  /** Data messages the client must have echoed (before its close frame). */
  echoes?: ExpectedEcho[];
  /** Pong payloads the client must have sent, in order. */
  pongs?: Array<Buffer | string>;
  /**
   * The close code the client must send. A failure code (1002/1007/1009) means the client must
   * fail the connection by itself; 'echo' means the test closes with 1000 after the echoes and
   * the client must answer 1000; a number with `serverCloses` means the server sent the close.
   */
  close: number | 'echo';
  /** The server's send() already sent a close frame; expect this code echoed back. */
  serverCloses?: boolean;
  /** Also accept an empty close payload (reply to a close without status code). */
  allowEmptyClose?: boolean;
  /** Error code the client must report for a failure close. */
  error?: ErrorCode;
  /**
   * The failure is in a close frame the server sent: which code CloseInfo reports then is not
   * pinned by RFC 6455 §7.1.5 (the received code is invalid), so only the wire is asserted.
   */
  badClose?: boolean;
}

export interface HostileResult {
  peer: RawPeer;
  conn: RawConnection;
  probe: Probe;
  closeFrame: DecodedFrame;
}

/** Frames a client must always produce: masked (§5.1, §5.3), minimal length (§5.2), no RSV2/3. */
export function assertWellFormedClientFrames(frames: readonly DecodedFrame[], deflate: boolean): void {
  for (const [i, f] of frames.entries()) {
    assert.equal(f.masked, true, `client frame ${i} is not masked (RFC 6455 §5.3)`);
    const minimal = f.payload.length <= MAX_7BIT ? '7' : f.payload.length <= MAX_16BIT ? '16' : '64';
    assert.equal(f.lengthEncoding, minimal, `client frame ${i} length encoding is not minimal (RFC 6455 §5.2)`);
    assert.equal(f.rsv2 || f.rsv3, false, `client frame ${i} has RSV2/RSV3 set`);
    if (!deflate) assert.equal(f.rsv1, false, `client frame ${i} has RSV1 without an extension`);
    if ((f.opcode & 0x8) !== 0) {
      assert.equal(f.fin, true, `client control frame ${i} is fragmented (RFC 6455 §5.5)`);
      assert.ok(f.payload.length <= MAX_7BIT, `client control frame ${i} is longer than 125 bytes`);
    }
  }
}

function asBuffer(p: Buffer | string): Buffer {
  return typeof p === 'string' ? Buffer.from(p, 'utf8') : p;
}

/** Run one hostile case end to end and assert the client's wire output. */
export async function runHostile(t: TestContext, c: HostileCase): Promise<HostileResult> {
  const peer = await startRawPeer(async (conn) => {
    await conn.accept(c.extensions !== undefined ? { extensions: c.extensions } : {});
    await c.send(conn);
  });
  t.after(() => peer.stop());
  const deflate = c.extensions !== undefined && /permessage-deflate/.test(c.extensions);
  const probe = openProbe(t, { url: peer.url, deflate, ...c.client }).echo();
  const conn = await peer.waitForConnection();
  await peer.scriptDone();

  const echoes = c.echoes ?? [];
  const pongs = c.pongs ?? [];
  if (c.close === 'echo') {
    await conn.waitUntil(
      () => dataMessages(conn.frames).length >= echoes.length && conn.frames.filter((f) => f.opcode === Op.Pong).length >= pongs.length,
      `${echoes.length} echo(es) and ${pongs.length} pong(s)`,
    );
    await conn.sendFrame({ opcode: Op.Close, payload: closePayload(NORMAL_CLOSURE) });
  }
  const closeFrame = await conn.waitForClose();
  const expectedClose = c.close === 'echo' ? NORMAL_CLOSURE : c.close;
  if (c.allowEmptyClose && closeFrame.payload.length === 0) {
    // RFC 6455 §5.5.1: a close without a status code may be answered without one.
  } else {
    assert.equal(closeFrame.closeCode, expectedClose, `client close code was ${closeFrame.closeCode ?? '(none)'}; ${probe.describe()}`);
  }
  // Everything before the close frame: the echoes and pongs, in order.
  const closeIndex = conn.frames.indexOf(closeFrame);
  const before = conn.frames.slice(0, closeIndex);
  const gotEchoes = dataMessages(before).map((m) => ({ opcode: m.opcode, payload: m.payload.toString('hex') }));
  assert.deepEqual(gotEchoes, echoes.map((e) => ({ opcode: e.opcode, payload: asBuffer(e.payload).toString('hex') })), 'echoed messages');
  const gotPongs = before.filter((f) => f.opcode === Op.Pong).map((f) => f.payload.toString('hex'));
  assert.deepEqual(gotPongs, pongs.map((p) => asBuffer(p).toString('hex')), 'pong payloads');
  // Nothing after our close frame (RFC 6455 §5.5.1: no data after Close).
  const after = conn.frames.slice(closeIndex + 1);
  assert.deepEqual(after.map((f) => f.opcode), [], 'client sent frames after its close frame');
  if (!deflate) assertWellFormedClientFrames(conn.frames, false);
  else assertWellFormedClientFrames(conn.frames, true);

  // The server closes TCP (RFC 6455 §7.1.1: the server closes first); the client reaches CLOSED.
  conn.end();
  const info = await probe.closedInfo();
  if (typeof c.close === 'number' && !c.serverCloses) {
    const err = probe.errors[0];
    assert.ok(err, `no error event for a ${c.close} failure; ${probe.describe()}`);
    if (c.error) assert.equal(err.code, c.error, `error code; message: ${err.message}`);
    assert.equal(err.closeCode, c.close, 'error.closeCode');
    if (!c.badClose) {
      assert.equal(info.code, c.close, 'CloseInfo.code after failing the connection');
      assert.equal(info.initiatedBy, 'client');
    }
  } else if (c.serverCloses) {
    assert.equal(info.initiatedBy, 'server');
    assert.equal(info.wasClean, true, `close not clean: ${probe.describe()}`);
  } else {
    assert.equal(info.code, NORMAL_CLOSURE);
    assert.equal(info.wasClean, true, `close not clean: ${probe.describe()}`);
  }
  assert.deepEqual(peer.scriptErrors, []);
  return { peer, conn, probe, closeFrame };
}

/** Write bytes in chunks of `size`, each write awaited, to exercise every split point. */
export async function writeSplit(conn: RawConnection, bytes: Buffer, size: number): Promise<void> {
  conn.socket.setNoDelay(true);
  for (let i = 0; i < bytes.length; i += size) await conn.write(bytes.subarray(i, i + size));
}

/** Independently deflated message (fresh context), RFC 7692 §7.2.1 tail removed. */
export function deflateMessage(data: Buffer | string, windowBits = 15): Buffer {
  const out = deflateRawSync(asBuffer(data), { finishFlush: zc.Z_SYNC_FLUSH, windowBits });
  return out.subarray(out.length - DEFLATE_TAIL.length).equals(DEFLATE_TAIL) ? out.subarray(0, out.length - DEFLATE_TAIL.length) : out;
}

/** A server compressor that keeps its LZ77 window across messages (context takeover). */
export function contextDeflater(windowBits = 15): { compress(data: Buffer | string): Promise<Buffer>; close(): void } {
  const stream = createDeflateRaw({ windowBits });
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return {
    compress: (data) =>
      new Promise((resolve, reject) => {
        stream.write(asBuffer(data));
        stream.flush(zc.Z_SYNC_FLUSH, () => {
          const out = Buffer.concat(chunks.splice(0));
          if (!out.subarray(out.length - DEFLATE_TAIL.length).equals(DEFLATE_TAIL)) {
            reject(new Error('deflate flush did not end with 00 00 ff ff'));
            return;
          }
          resolve(out.subarray(0, out.length - DEFLATE_TAIL.length));
        });
      }),
    close: () => stream.close(),
  };
}

/**
 * Inflate the client's compressed messages. With context takeover, message k may refer back into
 * earlier messages, so the payloads are inflated as one stream (each re-terminated with the sync
 * flush tail) and split by the known lengths; without it each must inflate on its own.
 */
export function inflateClientMessages(payloads: Buffer[], lengths: number[], contextTakeover: boolean, windowBits = 15): Buffer[] {
  if (!contextTakeover) {
    return payloads.map((p) => inflateRawSync(Buffer.concat([p, DEFLATE_TAIL]), { finishFlush: zc.Z_SYNC_FLUSH, windowBits }));
  }
  const all = inflateRawSync(Buffer.concat(payloads.flatMap((p) => [p, DEFLATE_TAIL])), { finishFlush: zc.Z_SYNC_FLUSH, windowBits });
  const out: Buffer[] = [];
  let pos = 0;
  for (const n of lengths) {
    out.push(all.subarray(pos, pos + n));
    pos += n;
  }
  assert.equal(pos, all.length, 'inflated length differs from the messages sent');
  return out;
}

export { encodeFrame, closePayload, Op };
