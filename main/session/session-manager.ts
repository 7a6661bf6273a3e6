// The session layer: owns every connection of one app instance (Electron window or browser host),
// keeps bounded logs and payloads, turns transport events into ApiEvents for subscribers, and
// implements every command of shared/api.ts. Commands never throw: each validates its arguments
// (shared/validate.ts) and returns a Result.

import { randomBytes } from 'node:crypto';
import type { ApiError, ApiEvent, CommandArgs, CommandName, CommandResult } from '../../shared/api.ts';
import type {
  ConnectionId,
  ConnectionSnapshot,
  ConnectionStats,
  ConnectOptions,
  ErrorCode,
  ErrorRecord,
  FrameRecord,
  MessageRecord,
} from '../../shared/model.ts';
import { Defaults } from '../../shared/protocol-constants.ts';
import { DEFAULT_PAGE_LIMIT, isCommandName, validateCommandArgs } from '../../shared/validate.ts';
import { parseWsUrl } from '../../shared/ws-url.ts';
import { connect as transportConnect } from '../transport/connection.ts';
import type { Connection, ConnectionEvent, WireFrame, WireMessage } from '../transport/types.ts';
import { PayloadShelf, PayloadStore, DEFAULT_PAYLOAD_BUDGET_BYTES } from './payload-store.ts';
import { fromBase64, fromHex, frameRecord, messageRecord } from './records.ts';
import { PreviewBudget, DEFAULT_PREVIEW_BUDGET_BYTES } from './preview-budget.ts';
import { RingLog } from './ring-log.ts';

export interface SessionManagerOptions {
  frameLogCapacity?: number;
  messageLogCapacity?: number;
  previewBytes?: number;
  /** Total bytes of full payloads kept for getPayload, all connections together. */
  payloadBudgetBytes?: number;
  /** Preview bytes kept per ring (frames / messages of one connection); older previews shrink. */
  previewBudgetBytes?: number;
  /** The transport's connect; the default is main/transport/connection.ts. */
  connect?: (options: ConnectOptions) => Connection;
}

/** The Result of any command. */
export type AnyResult = CommandResult<CommandName>;

export type SessionListener = (event: ApiEvent) => void;

/** Bytes of randomness in a connection id: 8 hex characters, unique among a handful of tabs. */
const ID_BYTES = 4;
/** Extra time closeAll grants beyond the close timeout before it drops what is left. */
const CLOSE_ALL_GRACE_MS = 1000;
const ERROR_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  'INVALID_URL', 'INVALID_OPTIONS', 'INVALID_HEADER', 'DNS', 'REFUSED', 'TIMEOUT', 'NETWORK', 'TLS',
  'HANDSHAKE_STATUS', 'HANDSHAKE_UPGRADE', 'HANDSHAKE_CONNECTION', 'HANDSHAKE_ACCEPT', 'HANDSHAKE_PROTOCOL',
  'HANDSHAKE_EXTENSION', 'HANDSHAKE_TOO_LARGE', 'HANDSHAKE_MALFORMED', 'HANDSHAKE_TIMEOUT', 'PROTOCOL',
  'INVALID_UTF8', 'MESSAGE_TOO_BIG', 'CLOSE_TIMEOUT', 'KEEPALIVE_TIMEOUT', 'NOT_OPEN', 'UNKNOWN_CONNECTION',
  'INVALID_ARGUMENT', 'NOT_FOUND', 'INTERNAL',
]);

function err(code: ErrorCode, message: string): { ok: false; error: ApiError } {
  return { ok: false, error: { code, message } };
}

/** A thrown transport error (WirechatError: misuse such as NOT_OPEN) → a Result error. */
function fromThrown(e: unknown): { ok: false; error: ApiError } {
  const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
  const message = e instanceof Error ? e.message : String(e);
  return err(ERROR_CODES.has(code) ? (code as ErrorCode) : 'INTERNAL', message || 'Unexpected failure.');
}

/** RFC 6455 §7.4.1: 1001 — the endpoint is going away (app quits, tab removed). */
function closeGoingAway(conn: Connection): void {
  if (conn.goingAway) conn.goingAway();
  else conn.close(); // A transport without goingAway: still a clean close, without a code.
}

/** Abort an opening handshake: close() cancels it in the transport; terminate() if that fails. */
function cancelConnecting(conn: Connection): void {
  try {
    conn.close();
  } catch {
    conn.terminate();
  }
}

function emptyStats(): ConnectionStats {
  return { framesIn: 0, framesOut: 0, messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0, bufferedAmount: 0 };
}

function defaultLabel(url: string): string {
  const p = parseWsUrl(url);
  return p.ok ? p.url.hostHeader + (p.url.target === '/' ? '' : p.url.target) : url;
}

class Session {
  readonly frames: RingLog<FrameRecord>;
  readonly messages: RingLog<MessageRecord>;
  readonly framePreviews: PreviewBudget<FrameRecord>;
  readonly messagePreviews: PreviewBudget<MessageRecord>;
  readonly framePayloads = new PayloadShelf();
  readonly messagePayloads = new PayloadShelf();
  readonly stats = emptyStats();
  /** Last data frame per direction: lets a single-frame message share its frame's stored bytes. */
  readonly lastDataFrame = { in: { messageSeq: -1, seq: 0 }, out: { messageSeq: -1, seq: 0 } };
  snapshot: ConnectionSnapshot;
  unsubscribe: () => void = () => {};
  removed = false;

  constructor(
    readonly id: ConnectionId,
    readonly conn: Connection,
    options: ConnectOptions,
    frameCapacity: number,
    messageCapacity: number,
    previewBudget: number,
  ) {
    this.frames = new RingLog(frameCapacity);
    this.messages = new RingLog(messageCapacity);
    this.framePreviews = new PreviewBudget(previewBudget);
    this.messagePreviews = new PreviewBudget(previewBudget);
    this.snapshot = {
      id,
      label: options.label || defaultLabel(options.url),
      options,
      state: conn.state,
      stats: this.stats,
    };
  }

  /** A detached copy for the wire (stats are live counters). */
  view(): ConnectionSnapshot {
    return { ...this.snapshot, stats: { ...this.stats } };
  }
}

export class SessionManager {
  readonly previewBytes: number;
  private readonly frameCapacity: number;
  private readonly messageCapacity: number;
  private readonly payloads: PayloadStore;
  private readonly previewBudget: number;
  private readonly connectFn: (options: ConnectOptions) => Connection;
  private readonly sessions = new Map<ConnectionId, Session>();
  /** Removed connections still finishing their closing handshake (closeAll waits for them too). */
  private readonly draining = new Set<Session>();
  private readonly listeners = new Set<SessionListener>();
  private readonly closedWaiters = new Map<Session, Array<() => void>>();

  constructor(options: SessionManagerOptions = {}) {
    this.frameCapacity = options.frameLogCapacity ?? Defaults.frameLogCapacity;
    this.messageCapacity = options.messageLogCapacity ?? Defaults.messageLogCapacity;
    this.previewBytes = options.previewBytes ?? Defaults.previewBytes;
    this.payloads = new PayloadStore(options.payloadBudgetBytes ?? DEFAULT_PAYLOAD_BUDGET_BYTES);
    this.previewBudget = options.previewBudgetBytes ?? DEFAULT_PREVIEW_BUDGET_BYTES;
    this.connectFn = options.connect ?? transportConnect;
  }

  subscribe(listener: SessionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Current snapshots, for a new subscriber to start from. */
  snapshots(): ConnectionSnapshot[] {
    return [...this.sessions.values()].map((s) => s.view());
  }

  get payloadBytes(): number {
    return this.payloads.totalBytes;
  }

  /**
   * The one entry point for hosts (IPC handler, HTTP handler): `name` and `args` are untrusted.
   * Never throws.
   */
  async invoke(name: unknown, args: unknown): Promise<AnyResult> {
    if (!isCommandName(name)) return err('INVALID_ARGUMENT', `Unknown command ${JSON.stringify(String(name)).slice(0, 80)}.`);
    try {
      return this.run(name, args);
    } catch (e) {
      return fromThrown(e);
    }
  }

  /** Typed form of invoke for in-process callers (tests, CLI, bench). */
  call<K extends CommandName>(name: K, args: CommandArgs<K>): CommandResult<K> {
    try {
      return this.run(name, args) as CommandResult<K>;
    } catch (e) {
      return fromThrown(e);
    }
  }

  private run(name: CommandName, args: unknown): AnyResult {
    switch (name) {
      case 'connect': {
        const v = validateCommandArgs('connect', args);
        return v.ok ? this.connect(v.value) : v;
      }
      case 'send': {
        const v = validateCommandArgs('send', args);
        if (!v.ok) return v;
        const s = this.open(v.value.id);
        if (!s.ok) return s;
        const opts = v.value.fragmentSize ? { fragmentSize: v.value.fragmentSize } : undefined;
        const buffered = v.value.kind === 'text'
          ? s.session.conn.sendText(v.value.data, opts)
          : s.session.conn.sendBinary(fromBase64(v.value.data), opts);
        return { ok: true, bufferedAmount: this.noteBuffered(s.session, buffered) };
      }
      case 'ping':
      case 'pong': {
        const v = validateCommandArgs(name, args);
        if (!v.ok) return v;
        const s = this.open(v.value.id);
        if (!s.ok) return s;
        const payload = v.value.payloadBase64 !== undefined ? fromBase64(v.value.payloadBase64) : undefined;
        const buffered = name === 'ping' ? s.session.conn.ping(payload) : s.session.conn.pong(payload);
        return { ok: true, bufferedAmount: this.noteBuffered(s.session, buffered) };
      }
      case 'sendRawFrame': {
        const v = validateCommandArgs('sendRawFrame', args);
        if (!v.ok) return v;
        const s = this.open(v.value.id);
        if (!s.ok) return s;
        const f = v.value.frame;
        const buffered = s.session.conn.sendRawFrame({
          fin: f.fin, rsv1: f.rsv1, rsv2: f.rsv2, rsv3: f.rsv3, opcode: f.opcode, mask: f.mask,
          payload: fromBase64(f.payloadBase64),
          ...(f.maskKey !== undefined ? { maskKey: fromHex(f.maskKey) } : {}),
          ...(f.lengthEncoding !== undefined ? { lengthEncoding: f.lengthEncoding } : {}),
        });
        return { ok: true, bufferedAmount: this.noteBuffered(s.session, buffered) };
      }
      case 'close': {
        const v = validateCommandArgs('close', args);
        if (!v.ok) return v;
        const s = this.find(v.value.id);
        if (!s.ok) return s;
        const conn = s.session.conn;
        if (conn.state === 'CONNECTING') {
          // RFC 6455 §4.1: before the handshake completes there is no WebSocket to close: cancel.
          cancelConnecting(conn);
        } else if (conn.state === 'OPEN') {
          conn.close(v.value.code, v.value.reason);
        } else {
          return err('NOT_OPEN', `The connection is already ${conn.state === 'CLOSING' ? 'closing' : 'closed'}.`);
        }
        return { ok: true };
      }
      case 'remove': {
        const v = validateCommandArgs('remove', args);
        if (!v.ok) return v;
        const s = this.find(v.value.id);
        if (!s.ok) return s;
        this.remove(s.session);
        return { ok: true };
      }
      case 'list': {
        const v = validateCommandArgs('list', args);
        return v.ok ? { ok: true, connections: this.snapshots() } : v;
      }
      case 'getFrames':
      case 'getMessages': {
        const v = validateCommandArgs(name, args);
        if (!v.ok) return v;
        const s = this.find(v.value.id);
        if (!s.ok) return s;
        const limit = v.value.limit ?? DEFAULT_PAGE_LIMIT;
        if (name === 'getFrames') {
          const p = s.session.frames.page(v.value.fromSeq, limit);
          return { ok: true, frames: p.records, oldestSeq: p.oldestSeq, newestSeq: p.newestSeq };
        }
        const p = s.session.messages.page(v.value.fromSeq, limit);
        return { ok: true, messages: p.records, oldestSeq: p.oldestSeq, newestSeq: p.newestSeq };
      }
      case 'getPayload': {
        const v = validateCommandArgs('getPayload', args);
        if (!v.ok) return v;
        const s = this.find(v.value.id);
        if (!s.ok) return s;
        return this.getPayload(s.session, v.value.kind, v.value.seq);
      }
    }
  }

  private find(id: ConnectionId): { ok: true; session: Session } | { ok: false; error: ApiError } {
    const session = this.sessions.get(id);
    return session ? { ok: true, session } : err('UNKNOWN_CONNECTION', `No connection has the id ${JSON.stringify(id)}; it may have been removed.`);
  }

  private open(id: ConnectionId): { ok: true; session: Session } | { ok: false; error: ApiError } {
    const s = this.find(id);
    if (!s.ok) return s;
    const state = s.session.conn.state;
    if (state !== 'OPEN') return err('NOT_OPEN', `The connection is ${state.toLowerCase()}; messages can only be sent while it is open.`);
    return s;
  }

  private connect(options: ConnectOptions): CommandResult<'connect'> {
    let id: string;
    do id = randomBytes(ID_BYTES).toString('hex');
    while (this.sessions.has(id));
    const conn = this.connectFn(options);
    const session = new Session(id, conn, options, this.frameCapacity, this.messageCapacity, this.previewBudget);
    this.sessions.set(id, session);
    session.unsubscribe = conn.on((e) => this.onConnectionEvent(session, e));
    const snapshot = session.view();
    this.emit({ type: 'connection', snapshot });
    return { ok: true, snapshot };
  }

  private getPayload(s: Session, kind: 'frame' | 'message', seq: number): CommandResult<'getPayload'> {
    const log = kind === 'frame' ? s.frames : s.messages;
    if (seq > log.newestSeq) return err('NOT_FOUND', `There is no ${kind} ${seq} yet (the newest is ${log.newestSeq}).`);
    if (!log.get(seq)) {
      return err('NOT_FOUND', `${kind === 'frame' ? 'Frame' : 'Message'} ${seq} has left the log (it keeps the last ${log.capacity}); its payload is gone.`);
    }
    const bytes = kind === 'frame'
      ? this.payloads.get(s.framePayloads, seq)
      : this.payloads.get(s.messagePayloads, seq, s.framePayloads);
    if (!bytes) {
      return err('NOT_FOUND', `The full payload of ${kind} ${seq} was dropped to stay within the ${this.payloads.budgetBytes}-byte payload budget (older payloads go first); its record and preview are still kept.`);
    }
    return { ok: true, base64: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'), length: bytes.byteLength };
  }

  private noteBuffered(s: Session, buffered: number): number {
    s.stats.bufferedAmount = buffered;
    return buffered;
  }

  private emit(event: ApiEvent): void {
    for (const l of this.listeners) l(event);
  }

  private emitFor(s: Session, event: ApiEvent): void {
    if (!s.removed) this.emit(event);
  }

  private onConnectionEvent(s: Session, e: ConnectionEvent): void {
    switch (e.type) {
      case 'frame':
        this.onFrame(s, e.frame);
        break;
      case 'message':
        this.onMessage(s, e.message);
        break;
      case 'state': {
        s.snapshot = { ...s.snapshot, state: e.state };
        if (e.state === 'OPEN' && s.snapshot.openedAt === undefined) s.snapshot.openedAt = Date.now();
        if (e.state === 'CLOSED') {
          s.snapshot.closedAt = Date.now();
          if (e.close) s.snapshot.close = e.close;
        }
        s.stats.bufferedAmount = s.conn.bufferedAmount;
        this.emitFor(s, { type: 'connection', snapshot: s.view() });
        if (e.state === 'CLOSED') this.onClosed(s);
        break;
      }
      case 'handshake':
        s.snapshot = { ...s.snapshot, handshake: e.handshake };
        this.emitFor(s, { type: 'connection', snapshot: s.view() });
        break;
      case 'error': {
        const error: ErrorRecord = e.error;
        s.snapshot = { ...s.snapshot, lastError: error };
        this.emitFor(s, { type: 'error', id: s.id, error });
        this.emitFor(s, { type: 'connection', snapshot: s.view() });
        break;
      }
      case 'drain':
        s.stats.bufferedAmount = s.conn.bufferedAmount;
        this.emitFor(s, { type: 'stats', id: s.id, stats: s.stats });
        break;
    }
  }

  private onFrame(s: Session, f: WireFrame): void {
    if (s.removed) return; // A removed tab's closing frames are no longer logged or kept.
    const seq = s.frames.nextSeq;
    const record = frameRecord(seq, f, this.previewBytes);
    const evictedRecord = seq > s.frames.capacity ? s.frames.get(seq - s.frames.capacity) : undefined;
    const evicted = s.frames.push(record);
    if (evicted) this.payloads.delete(s.framePayloads, evicted);
    s.framePreviews.add(record, evictedRecord, (n) => s.frames.get(n));
    this.payloads.put(s.framePayloads, seq, f.payload);
    if (f.messageSeq !== undefined) {
      const last = s.lastDataFrame[f.dir];
      last.messageSeq = f.messageSeq;
      last.seq = seq;
    }
    const wireBytes = f.headerLength + f.payloadLength;
    if (f.dir === 'in') {
      s.stats.framesIn++;
      s.stats.bytesIn += wireBytes;
    } else {
      s.stats.framesOut++;
      s.stats.bytesOut += wireBytes;
      s.stats.bufferedAmount = s.conn.bufferedAmount;
    }
    this.emitFor(s, { type: 'frames', id: s.id, frames: [record] });
    this.emitFor(s, { type: 'stats', id: s.id, stats: s.stats });
  }

  private onMessage(s: Session, m: WireMessage): void {
    if (s.removed) return;
    const seq = s.messages.nextSeq;
    const record = messageRecord(seq, m, this.previewBytes);
    const evictedRecord = seq > s.messages.capacity ? s.messages.get(seq - s.messages.capacity) : undefined;
    const evicted = s.messages.push(record);
    if (evicted) this.payloads.delete(s.messagePayloads, evicted);
    s.messagePreviews.add(record, evictedRecord, (n) => s.messages.get(n));
    const last = s.lastDataFrame[m.dir];
    if (m.frameCount === 1 && !m.compressed && last.messageSeq === m.messageSeq && s.framePayloads.entries.has(last.seq)) {
      // The message IS its one frame's payload: keep the bytes once.
      this.payloads.alias(s.messagePayloads, seq, last.seq);
    } else {
      this.payloads.put(s.messagePayloads, seq, m.data);
    }
    if (m.dir === 'in') s.stats.messagesIn++;
    else s.stats.messagesOut++;
    this.emitFor(s, { type: 'messages', id: s.id, messages: [record] });
    this.emitFor(s, { type: 'stats', id: s.id, stats: s.stats });
  }

  private onClosed(s: Session): void {
    if (s.removed) {
      s.unsubscribe();
      this.draining.delete(s);
    }
    const waiters = this.closedWaiters.get(s);
    this.closedWaiters.delete(s);
    for (const w of waiters ?? []) w();
  }

  private remove(s: Session): void {
    if (s.removed) return;
    s.removed = true;
    this.sessions.delete(s.id);
    this.payloads.clear(s.framePayloads);
    this.payloads.clear(s.messagePayloads);
    const state = s.conn.state;
    if (state === 'OPEN') {
      closeGoingAway(s.conn);
      this.draining.add(s);
    } else if (state === 'CONNECTING') {
      cancelConnecting(s.conn);
      this.draining.add(s);
    } else if (state === 'CLOSING') {
      this.draining.add(s);
    } else {
      s.unsubscribe();
    }
    this.emit({ type: 'removed', id: s.id });
  }

  private whenClosed(s: Session): Promise<void> {
    if (s.conn.state === 'CLOSED') return Promise.resolve();
    return new Promise((resolve) => {
      const list = this.closedWaiters.get(s) ?? [];
      list.push(resolve);
      this.closedWaiters.set(s, list);
    });
  }

  /**
   * Shutdown: close every connection with 1001 Going Away (RFC 6455 §7.4.1) and wait until each
   * is CLOSED, at most `timeoutMs`; whatever is still open then is dropped (terminate).
   */
  async closeAll(timeoutMs = Defaults.closeTimeoutMs + CLOSE_ALL_GRACE_MS): Promise<void> {
    const all = [...this.sessions.values(), ...this.draining];
    for (const s of all) {
      const state = s.conn.state;
      try {
        if (state === 'OPEN') closeGoingAway(s.conn);
        else if (state === 'CONNECTING') cancelConnecting(s.conn);
      } catch {
        s.conn.terminate();
      }
    }
    const pending = all.filter((s) => s.conn.state !== 'CLOSED');
    if (pending.length === 0) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const outcome = await Promise.race([Promise.all(pending.map((s) => this.whenClosed(s))), timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') for (const s of pending) if (s.conn.state !== 'CLOSED') s.conn.terminate();
  }
}
