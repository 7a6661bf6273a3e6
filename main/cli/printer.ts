// How `wirechat connect` shows a connection: a human transcript ("<" received, ">" sent) or, with
// --json, one JSON object per line for scripts. Frame headers (--frames) mirror the app's frame
// log. Text from the server is shown with control characters escaped, so a hostile peer cannot
// drive the terminal with escape sequences; --json carries the exact data.
import type { CloseInfo, ErrorRecord, HandshakeRecord } from '../../shared/model.ts';
import { closeCodeName, isControlOpcode, Opcode, opcodeName } from '../../shared/protocol-constants.ts';
import type { WireFrame, WireMessage } from '../transport/types.ts';

export interface PrinterOptions {
  json: boolean;
  timestamps: boolean;
  frames: boolean;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** Binary payloads are shown as hex up to this many bytes in the human transcript. */
const HEX_PREVIEW_BYTES = 1024;
/** RFC 6455 §5.5.1: a close payload starts with a 2-byte status code. */
const CLOSE_CODE_BYTES = 2;
const CONTROL_CHARS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

const utf8Strict = new TextDecoder('utf-8', { fatal: true });

function escapeControls(s: string): string {
  return s.replace(CONTROL_CHARS, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function hex(bytes: Uint8Array, max = HEX_PREVIEW_BYTES): string {
  const shown = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, max)).toString('hex');
  return bytes.length > max ? `${shown}… (${bytes.length - max} more bytes; use --json for all)` : shown;
}

function b64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64');
}

function textOrNull(bytes: Uint8Array): string | null {
  try {
    return utf8Strict.decode(bytes);
  } catch {
    return null;
  }
}

function arrow(dir: 'in' | 'out'): string {
  return dir === 'in' ? '<' : '>';
}

export class Printer {
  private readonly o: PrinterOptions;
  constructor(o: PrinterOptions) {
    this.o = o;
  }

  private stamp(time: number): string {
    return this.o.timestamps ? `${new Date(time).toISOString()} ` : '';
  }

  private json(obj: Record<string, unknown>): void {
    this.o.stdout(JSON.stringify(obj) + '\n');
  }

  /** A status line: stderr in human mode so stdout stays the transcript. */
  info(text: string, time = Date.now()): void {
    if (this.o.json) this.json({ type: 'info', time, text });
    else this.o.stderr(`${this.stamp(time)}* ${text}\n`);
  }

  open(url: string, h: HandshakeRecord | undefined, time = Date.now()): void {
    if (this.o.json) {
      this.json({ type: 'open', time, url, status: h?.statusCode, protocol: h?.protocol ?? null, extensions: h?.extensions ?? null });
      return;
    }
    const extras = [h?.protocol ? `subprotocol ${h.protocol}` : '', h?.extensions ? `extensions: ${h.extensions}` : ''].filter(Boolean);
    this.info(`connected to ${url}${extras.length ? ` (${extras.join('; ')})` : ''}`, time);
  }

  handshake(h: HandshakeRecord): void {
    if (this.o.json) {
      this.json({ type: 'handshake', time: h.timings.startedAt, request: h.requestText, response: h.responseText, status: h.statusCode ?? null });
      return;
    }
    const indent = (t: string): string => t.replace(/\r\n$/, '').split('\r\n').map((l) => `  ${escapeControls(l)}`).join('\n');
    this.o.stderr(`${indent(h.requestText)}\n\n${indent(h.responseText)}\n`);
  }

  frame(f: WireFrame): void {
    if (this.o.frames) {
      const maskKey = f.maskKey ? Buffer.from(f.maskKey).toString('hex') : null;
      if (this.o.json) {
        this.json({
          type: 'frame', time: f.time, dir: f.dir, fin: f.fin, rsv1: f.rsv1, rsv2: f.rsv2, rsv3: f.rsv3,
          opcode: f.opcode, opcodeName: opcodeName(f.opcode), masked: f.masked, maskKey,
          headerLength: f.headerLength, payloadLength: f.payloadLength, compressed: f.compressed ?? false,
        });
      } else {
        const rsv = `${+f.rsv1}${+f.rsv2}${+f.rsv3}`;
        const op = `${opcodeName(f.opcode)}(0x${f.opcode.toString(16)})`;
        this.o.stdout(`${this.stamp(f.time)}${arrow(f.dir)} frame FIN=${+f.fin} RSV=${rsv} op=${op} mask=${maskKey ?? '-'} len=${f.payloadLength}${f.compressed ? ' compressed' : ''}\n`);
      }
    }
    if (isControlOpcode(f.opcode)) this.control(f);
  }

  /** Pings, pongs and close frames are events in their own right (not only with --frames). */
  private control(f: WireFrame): void {
    const p = f.payload;
    if (f.opcode === Opcode.Close) {
      const code = p.length >= CLOSE_CODE_BYTES ? (p[0] << 8) | p[1] : undefined;
      const reason = p.length > CLOSE_CODE_BYTES ? textOrNull(p.subarray(CLOSE_CODE_BYTES)) ?? '' : '';
      if (this.o.json) this.json({ type: 'close-frame', time: f.time, dir: f.dir, code: code ?? null, reason });
      else this.o.stdout(`${this.stamp(f.time)}${arrow(f.dir)} close${code !== undefined ? ` ${code} (${closeCodeName(code)})` : ''}${reason ? ` ${JSON.stringify(reason)}` : ''}\n`);
      return;
    }
    const kind = f.opcode === Opcode.Ping ? 'ping' : f.opcode === Opcode.Pong ? 'pong' : opcodeName(f.opcode).toLowerCase();
    const text = textOrNull(p);
    if (this.o.json) {
      this.json({ type: kind, time: f.time, dir: f.dir, text, base64: b64(p) });
      return;
    }
    const shown = p.length === 0 ? '' : text !== null ? ` ${JSON.stringify(text)}` : ` ${hex(p)}`;
    this.o.stdout(`${this.stamp(f.time)}${arrow(f.dir)} ${kind}${shown}\n`);
  }

  message(m: WireMessage): void {
    if (this.o.json) {
      const base = { type: 'message', time: m.time, dir: m.dir, kind: m.kind, length: m.data.length, compressed: m.compressed, frames: m.frameCount };
      this.json(m.kind === 'text' ? { ...base, text: m.text ?? textOrNull(m.data) } : { ...base, base64: b64(m.data) });
      return;
    }
    const body = m.kind === 'text' ? escapeControls(m.text ?? '') : `[binary ${m.data.length} B] ${hex(m.data)}`;
    this.o.stdout(`${this.stamp(m.time)}${arrow(m.dir)} ${body}\n`);
  }

  error(e: ErrorRecord): void {
    if (this.o.json) this.json({ type: 'error', time: e.time, code: e.code, message: e.message, closeCode: e.closeCode ?? null });
    // Errors are also one clear line on stderr in JSON mode: scripts that only watch the exit
    // code and stderr still see why.
    this.o.stderr(`wirechat: ${e.message} [${e.code}${e.closeCode !== undefined ? `, close ${e.closeCode}` : ''}]\n`);
  }

  closed(c: CloseInfo, time = Date.now()): void {
    if (this.o.json) {
      this.json({ type: 'closed', time, code: c.code, reason: c.reason, wasClean: c.wasClean, initiatedBy: c.initiatedBy });
      return;
    }
    const reason = c.reason ? ` ${JSON.stringify(c.reason)}` : '';
    const how = c.wasClean ? 'clean' : 'not clean';
    const who = c.initiatedBy === 'none' ? 'connection lost' : `initiated by ${c.initiatedBy}`;
    this.info(`closed ${c.code} (${closeCodeName(c.code)})${reason} — ${how}, ${who}`, time);
  }

  /** A local problem with one input line (bad hex, unknown command): the connection goes on. */
  inputError(message: string): void {
    if (this.o.json) this.json({ type: 'input-error', time: Date.now(), message });
    this.o.stderr(`wirechat: ${message}\n`);
  }
}
