// The renderer's one store: it owns all UI-relevant state, talks to the WirechatApi, and hands
// immutable snapshots of that state to the components (properties down, events up).
//
// The reducer `applyBatch` is pure: one EventBatch in, one new AppState out, with every frame and
// message of the batch appended per connection in ONE array operation (house rule 8: a server
// sending 50k messages/s must not cause 50k re-renders). Logs are capped per connection; what
// falls off the front can be re-fetched with getFrames/getMessages.

import type { EventBatch, Result, WirechatApi } from '../../shared/api.ts';
import type {
  ConnectionId,
  ConnectionSnapshot,
  ConnectOptions,
  ErrorRecord,
  FrameRecord,
  MessageRecord,
} from '../../shared/model.ts';
import { Defaults } from '../../shared/protocol-constants.ts';

export type ViewName = 'chat' | 'frames' | 'handshake';
export const VIEW_NAMES: readonly ViewName[] = ['chat', 'frames', 'handshake'];

/** Renderer-side caps. Main keeps its own rings of the same size; older records are re-fetchable. */
export const MESSAGE_CAP = Defaults.messageLogCapacity;
export const FRAME_CAP = Defaults.frameLogCapacity;
/** Errors are shown one at a time; a short history is kept for the alert region. */
export const ERROR_CAP = 50;
/** How many records to fetch per page when back-filling after a start or a lost batch. */
export const BACKFILL_PAGE = 1000;
/** The API's documented maximum page size (shared/api.ts PageArgs.limit). */
export const MAX_PAGE = 10_000;

export type PayloadEntry =
  | { state: 'loading' }
  | { state: 'ok'; base64: string; length: number }
  | { state: 'error'; message: string };

export function payloadKey(kind: 'frame' | 'message', seq: number): string {
  return `${kind}:${seq}`;
}

export interface ConnView {
  id: ConnectionId;
  snapshot: ConnectionSnapshot;
  messages: readonly MessageRecord[];
  frames: readonly FrameRecord[];
  /** Records dropped from the front of the renderer arrays because of the cap. */
  evictedMessages: number;
  evictedFrames: number;
  errors: readonly ErrorRecord[];
  /** Full payloads fetched on demand ("Show all", frame detail), keyed by payloadKey(). */
  payloads: Readonly<Record<string, PayloadEntry>>;
  view: ViewName;
  selectedFrameSeq: number | null;
  /** The last failed command issued from this connection's UI (send, ping, close), in plain words. */
  commandError: string | null;
}

export interface AppState {
  /** Tab order. */
  order: readonly ConnectionId[];
  connections: Readonly<Record<ConnectionId, ConnView>>;
  /** null = the "New connection" tab (the form) is shown. */
  activeId: ConnectionId | null;
  /** Last event batch number seen; 0 before the first. */
  lastBatch: number;
  /** How many times a gap in batch numbers was seen (each one triggers a resync). */
  gaps: number;
  connecting: boolean;
  formError: string | null;
  /** Set when the host could not be reached at all (shown in the app-level alert). */
  fatalError: string | null;
}

export function initialState(): AppState {
  return {
    order: [],
    connections: {},
    activeId: null,
    lastBatch: 0,
    gaps: 0,
    connecting: false,
    formError: null,
    fatalError: null,
  };
}

export function newConnView(snapshot: ConnectionSnapshot): ConnView {
  return {
    id: snapshot.id,
    snapshot,
    messages: [],
    frames: [],
    evictedMessages: 0,
    evictedFrames: 0,
    errors: snapshot.lastError ? [snapshot.lastError] : [],
    payloads: {},
    view: 'chat',
    selectedFrameSeq: null,
    commandError: null,
  };
}

/**
 * Append records (ordered by seq) to a capped array in one operation. Records whose seq is not
 * newer than the last kept one are dropped, so overlapping back-fills and live batches never
 * duplicate a row.
 */
export function appendCapped<T extends { seq: number }>(
  old: readonly T[],
  add: readonly T[],
  cap: number,
): { items: readonly T[]; evicted: number } {
  const lastSeq = old.length > 0 ? old[old.length - 1].seq : -Infinity;
  if (add.length > 0 && add[0].seq < lastSeq && old.length > 0 && add[add.length - 1].seq >= old[0].seq) {
    // A back-fill that fills a hole inside what we hold (after a lost batch): merge (rare path).
    return mergeCapped(old, add, cap);
  }
  let start = 0;
  while (start < add.length && add[start].seq <= lastSeq) start++;
  if (start === add.length) return { items: old, evicted: 0 };
  const fresh = start === 0 ? add : add.slice(start);
  const total = old.length + fresh.length;
  if (total <= cap) return { items: old.concat(fresh), evicted: 0 };
  const evicted = total - cap;
  if (fresh.length >= cap) return { items: fresh.slice(fresh.length - cap), evicted };
  return { items: old.slice(evicted).concat(fresh), evicted };
}

function mergeCapped<T extends { seq: number }>(
  old: readonly T[],
  add: readonly T[],
  cap: number,
): { items: readonly T[]; evicted: number } {
  const bySeq = new Map<number, T>();
  for (const r of old) bySeq.set(r.seq, r);
  let added = 0;
  for (const r of add) {
    if (!bySeq.has(r.seq)) {
      bySeq.set(r.seq, r);
      added++;
    }
  }
  if (added === 0) return { items: old, evicted: 0 };
  const all = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  const evicted = Math.max(0, all.length - cap);
  return { items: evicted ? all.slice(evicted) : all, evicted };
}

function withoutId(order: readonly ConnectionId[], id: ConnectionId): ConnectionId[] {
  return order.filter((x) => x !== id);
}

/** After removing `id`, which tab becomes active: the right neighbour, else the left, else the form. */
function neighbourAfterRemoval(order: readonly ConnectionId[], id: ConnectionId): ConnectionId | null {
  const i = order.indexOf(id);
  const rest = withoutId(order, id);
  if (rest.length === 0) return null;
  return rest[Math.min(Math.max(i, 0), rest.length - 1)];
}

export function removeConnection(state: AppState, id: ConnectionId): AppState {
  if (!state.connections[id]) return state;
  const connections = { ...state.connections };
  delete connections[id];
  return {
    ...state,
    connections,
    order: withoutId(state.order, id),
    activeId: state.activeId === id ? neighbourAfterRemoval(state.order, id) : state.activeId,
  };
}

export function upsertSnapshot(state: AppState, snapshot: ConnectionSnapshot): AppState {
  const existing = state.connections[snapshot.id];
  if (!existing) {
    return {
      ...state,
      order: [...state.order, snapshot.id],
      connections: { ...state.connections, [snapshot.id]: newConnView(snapshot) },
    };
  }
  return {
    ...state,
    connections: { ...state.connections, [snapshot.id]: { ...existing, snapshot } },
  };
}

export function updateConn(state: AppState, id: ConnectionId, patch: (c: ConnView) => ConnView): AppState {
  const c = state.connections[id];
  if (!c) return state;
  return { ...state, connections: { ...state.connections, [id]: patch(c) } };
}

interface Pending {
  frames: FrameRecord[];
  messages: MessageRecord[];
}

/**
 * The pure reducer for one event batch. Frames and messages are collected per connection first
 * and appended once at the end; snapshot, stats, error and removal events apply in order.
 */
export function applyBatch(
  state: AppState,
  batch: EventBatch,
  caps: { messages: number; frames: number } = { messages: MESSAGE_CAP, frames: FRAME_CAP },
): AppState {
  let s = state;
  const gap = s.lastBatch > 0 && batch.batch !== s.lastBatch + 1;
  s = { ...s, lastBatch: batch.batch, gaps: gap ? s.gaps + 1 : s.gaps };
  const pending = new Map<ConnectionId, Pending>();
  const pendingFor = (id: ConnectionId): Pending => {
    let p = pending.get(id);
    if (!p) pending.set(id, (p = { frames: [], messages: [] }));
    return p;
  };
  for (const ev of batch.events) {
    switch (ev.type) {
      case 'connection':
        s = upsertSnapshot(s, ev.snapshot);
        break;
      case 'removed':
        pending.delete(ev.id);
        s = removeConnection(s, ev.id);
        break;
      case 'frames':
        // push(...) on a large array can exceed the argument limit; a loop is safe.
        for (const f of ev.frames) pendingFor(ev.id).frames.push(f);
        break;
      case 'messages':
        for (const m of ev.messages) pendingFor(ev.id).messages.push(m);
        break;
      case 'error':
        s = updateConn(s, ev.id, (c) => ({
          ...c,
          errors: [...c.errors, ev.error].slice(-ERROR_CAP),
        }));
        break;
      case 'stats':
        s = updateConn(s, ev.id, (c) => ({ ...c, snapshot: { ...c.snapshot, stats: ev.stats } }));
        break;
    }
  }
  for (const [id, p] of pending) {
    s = updateConn(s, id, (c) => appendRecords(c, p.messages, p.frames, caps));
  }
  return s;
}

export function appendRecords(
  c: ConnView,
  messages: readonly MessageRecord[],
  frames: readonly FrameRecord[],
  caps: { messages: number; frames: number } = { messages: MESSAGE_CAP, frames: FRAME_CAP },
): ConnView {
  const m = messages.length ? appendCapped(c.messages, messages, caps.messages) : { items: c.messages, evicted: 0 };
  const f = frames.length ? appendCapped(c.frames, frames, caps.frames) : { items: c.frames, evicted: 0 };
  if (m.items === c.messages && f.items === c.frames) return c;
  return {
    ...c,
    messages: m.items,
    frames: f.items,
    evictedMessages: c.evictedMessages + m.evicted,
    evictedFrames: c.evictedFrames + f.evicted,
  };
}

/** Messages shown in the counter: exact counters from main, never less than what we hold. */
export function messageCount(c: ConnView): number {
  const st = c.snapshot.stats;
  return Math.max(st.messagesIn + st.messagesOut, c.evictedMessages + c.messages.length);
}

export function frameCount(c: ConnView): number {
  const st = c.snapshot.stats;
  return Math.max(st.framesIn + st.framesOut, c.evictedFrames + c.frames.length);
}

/** The error to show for a connection: the newest of its event errors and its snapshot's lastError. */
export function currentError(c: ConnView): ErrorRecord | null {
  const fromEvents = c.errors.length ? c.errors[c.errors.length - 1] : null;
  const fromSnap = c.snapshot.lastError ?? null;
  if (fromEvents && fromSnap) return fromSnap.time > fromEvents.time ? fromSnap : fromEvents;
  return fromEvents ?? fromSnap;
}

function lastSeqOf(records: readonly { seq: number }[]): number {
  return records.length ? records[records.length - 1].seq : 0;
}

function describeFailure<T>(r: Result<T>): string | null {
  return r.ok ? null : r.error.message;
}

function failure(message: string): { ok: false; error: { code: 'INTERNAL'; message: string } } {
  return { ok: false, error: { code: 'INTERNAL', message } };
}

export type Listener = (state: AppState) => void;

/** Owns the state, talks to the API. Components call its methods; it notifies subscribers. */
export class Store {
  #state: AppState = initialState();
  readonly #listeners = new Set<Listener>();
  readonly #api: WirechatApi;
  #unsubscribe: (() => void) | null = null;
  #resyncing: Promise<void> | null = null;
  /** Per connection: the last seq held before a lost batch; resync fetches everything after it. */
  readonly #resyncFrom = new Map<ConnectionId, { messages: number; frames: number }>();

  constructor(api: WirechatApi) {
    this.#api = api;
  }

  get state(): AppState {
    return this.#state;
  }

  get host(): 'electron' | 'web' {
    return this.#api.host;
  }

  subscribe(fn: Listener): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  #set(next: AppState): void {
    if (next === this.#state) return;
    this.#state = next;
    for (const fn of this.#listeners) fn(next);
  }

  #update(fn: (s: AppState) => AppState): void {
    this.#set(fn(this.#state));
  }

  /** Subscribe to events first (nothing is missed), then load existing connections. */
  async start(): Promise<void> {
    this.#unsubscribe = this.#api.onEvents((batch) => this.handleBatch(batch));
    await this.#loadAll();
  }

  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
  }

  handleBatch(batch: EventBatch): void {
    const before = this.#state;
    this.#update((s) => applyBatch(s, batch));
    if (this.#state.gaps !== before.gaps) {
      // Records of the lost batch lie between what we held before and this batch: fetch from there.
      for (const id of before.order) {
        const c = before.connections[id];
        if (!this.#resyncFrom.has(id)) {
          this.#resyncFrom.set(id, { messages: lastSeqOf(c.messages), frames: lastSeqOf(c.frames) });
        }
      }
      void this.resync();
    }
  }

  async #loadAll(): Promise<void> {
    const r = await this.#safe(() => this.#api.list({}));
    if (!r.ok) {
      this.#update((s) => ({ ...s, fatalError: `Cannot reach Wirechat's connection host: ${r.error.message}` }));
      return;
    }
    for (const snap of r.connections) {
      this.#update((s) => upsertSnapshot(s, snap));
    }
    if (this.#state.activeId === null && this.#state.order.length > 0) this.setActive(this.#state.order[0]);
    await Promise.all(r.connections.map((c) => this.#backfill(c.id)));
  }

  /** Fetch records newer than what we hold (all of them after a lost batch, else the newest page). */
  async #backfill(id: ConnectionId): Promise<void> {
    await this.#backfillKind(id, 'messages');
    await this.#backfillKind(id, 'frames');
  }

  async #backfillKind(id: ConnectionId, kind: 'messages' | 'frames'): Promise<void> {
    const conn = this.#state.connections[id];
    if (!conn) return;
    const held = conn[kind];
    const resumeAfter = this.#resyncFrom.get(id)?.[kind];
    let fromSeq: number | undefined =
      resumeAfter !== undefined && resumeAfter > 0
        ? resumeAfter + 1
        : held.length
          ? held[held.length - 1].seq + 1
          : undefined;
    if (fromSeq === undefined) {
      // Nothing held yet: start from the newest page rather than the oldest record main keeps.
      const probe = await this.#page(id, kind, undefined, 1);
      if (!probe) return;
      fromSeq = Math.max(probe.oldestSeq, probe.newestSeq - BACKFILL_PAGE + 1);
    }
    const cap = kind === 'messages' ? MESSAGE_CAP : FRAME_CAP;
    for (let fetched = 0; fetched < cap; ) {
      const page = await this.#page(id, kind, fromSeq, MAX_PAGE);
      if (!page || page.records.length === 0) return;
      const records = page.records;
      this.#update((s) =>
        updateConn(s, id, (c) =>
          kind === 'messages'
            ? appendRecords(c, records as MessageRecord[], [])
            : appendRecords(c, [], records as FrameRecord[]),
        ),
      );
      fetched += records.length;
      fromSeq = records[records.length - 1].seq + 1;
      if (fromSeq > page.newestSeq) return;
    }
  }

  async #page(
    id: ConnectionId,
    kind: 'messages' | 'frames',
    fromSeq: number | undefined,
    limit: number,
  ): Promise<{ records: (MessageRecord | FrameRecord)[]; oldestSeq: number; newestSeq: number } | null> {
    if (kind === 'messages') {
      const r = await this.#safe(() => this.#api.getMessages({ id, fromSeq, limit }));
      return r.ok ? { records: r.messages, oldestSeq: r.oldestSeq, newestSeq: r.newestSeq } : null;
    }
    const r = await this.#safe(() => this.#api.getFrames({ id, fromSeq, limit }));
    return r.ok ? { records: r.frames, oldestSeq: r.oldestSeq, newestSeq: r.newestSeq } : null;
  }

  /** A batch was lost (gap in batch numbers): refresh snapshots and fetch the records we missed. */
  resync(): Promise<void> {
    // One resync at a time; callers during one share its promise.
    this.#resyncing ??= this.#doResync().finally(() => {
      this.#resyncing = null;
    });
    return this.#resyncing;
  }

  async #doResync(): Promise<void> {
    const r = await this.#safe(() => this.#api.list({}));
    if (!r.ok) return;
    const live = new Set(r.connections.map((c) => c.id));
    for (const id of this.#state.order) if (!live.has(id)) this.#update((s) => removeConnection(s, id));
    for (const snap of r.connections) this.#update((s) => upsertSnapshot(s, snap));
    await Promise.all(r.connections.map((c) => this.#backfill(c.id)));
    this.#resyncFrom.clear();
  }

  /** The API promises never to reject, but a broken transport could: turn that into a Result. */
  async #safe<T>(call: () => Promise<Result<T>>): Promise<Result<T>> {
    try {
      return await call();
    } catch (e) {
      return failure(`The connection host did not answer (${(e as Error).message ?? String(e)}).`);
    }
  }

  // ---- commands ------------------------------------------------------------------------------

  async connect(options: ConnectOptions): Promise<ConnectionId | null> {
    this.#update((s) => ({ ...s, connecting: true, formError: null }));
    const r = await this.#safe(() => this.#api.connect(options));
    if (!r.ok) {
      this.#update((s) => ({ ...s, connecting: false, formError: r.error.message }));
      return null;
    }
    const snap = r.snapshot;
    this.#update((s) => {
      // An event may already have delivered a newer snapshot; never overwrite it with this one.
      const withConn = s.connections[snap.id] ? s : upsertSnapshot(s, snap);
      return { ...withConn, connecting: false, activeId: snap.id };
    });
    return snap.id;
  }

  /** Open a new connection with the same options and put it in place of the old tab. */
  async reconnect(id: ConnectionId): Promise<void> {
    const old = this.#state.connections[id];
    if (!old) return;
    const index = this.#state.order.indexOf(id);
    const newId = await this.connect(old.snapshot.options);
    if (newId === null) {
      const msg = this.#state.formError;
      this.#update((s) => updateConn({ ...s, formError: null }, id, (c) => ({ ...c, commandError: msg })));
      return;
    }
    this.#update((s) => {
      const order = withoutId(s.order, newId);
      order.splice(index, 0, newId);
      return { ...s, order };
    });
    await this.remove(id);
  }

  async #command<T>(id: ConnectionId, call: () => Promise<Result<T>>): Promise<boolean> {
    this.#update((s) => updateConn(s, id, (c) => (c.commandError ? { ...c, commandError: null } : c)));
    const r = await this.#safe(call);
    const err = describeFailure(r);
    if (err !== null) this.#update((s) => updateConn(s, id, (c) => ({ ...c, commandError: err })));
    return r.ok;
  }

  send(id: ConnectionId, kind: 'text' | 'binary', data: string): Promise<boolean> {
    return this.#command(id, () => this.#api.send({ id, kind, data }));
  }

  ping(id: ConnectionId, payloadBase64: string): Promise<boolean> {
    return this.#command(id, () => this.#api.ping({ id, payloadBase64 }));
  }

  close(id: ConnectionId, code: number, reason: string): Promise<boolean> {
    return this.#command(id, () => this.#api.close({ id, code, reason }));
  }

  async remove(id: ConnectionId): Promise<void> {
    const r = await this.#safe(() => this.#api.remove({ id }));
    // UNKNOWN_CONNECTION means main already forgot it: the tab goes either way.
    if (r.ok || r.error.code === 'UNKNOWN_CONNECTION') this.#update((s) => removeConnection(s, id));
    else this.#update((s) => updateConn(s, id, (c) => ({ ...c, commandError: r.error.message })));
  }

  async loadPayload(id: ConnectionId, kind: 'frame' | 'message', seq: number): Promise<void> {
    const key = payloadKey(kind, seq);
    const existing = this.#state.connections[id]?.payloads[key];
    if (existing && existing.state !== 'error') return;
    const setEntry = (e: PayloadEntry) =>
      this.#update((s) => updateConn(s, id, (c) => ({ ...c, payloads: { ...c.payloads, [key]: e } })));
    setEntry({ state: 'loading' });
    const r = await this.#safe(() => this.#api.getPayload({ id, kind, seq }));
    if (r.ok) setEntry({ state: 'ok', base64: r.base64, length: r.length });
    else {
      const message =
        r.error.code === 'NOT_FOUND'
          ? 'The full payload is no longer kept (it was evicted from the log); only the preview is available.'
          : r.error.message;
      setEntry({ state: 'error', message });
    }
  }

  // ---- UI state ------------------------------------------------------------------------------

  setActive(id: ConnectionId | null): void {
    this.#update((s) => (id !== null && !s.connections[id] ? s : { ...s, activeId: id }));
  }

  /** Ctrl+Tab order: connection tabs, then the "New connection" tab, wrapping around. */
  cycleTab(delta: number): void {
    const slots: (ConnectionId | null)[] = [...this.#state.order, null];
    const i = slots.indexOf(this.#state.activeId);
    const next = slots[(i + delta + slots.length) % slots.length];
    this.setActive(next);
  }

  /** Ctrl+1..9: the n-th connection tab (1-based); beyond the last, nothing happens. */
  selectTabNumber(n: number): void {
    const id = this.#state.order[n - 1];
    if (id !== undefined) this.setActive(id);
  }

  setView(id: ConnectionId, view: ViewName): void {
    this.#update((s) => updateConn(s, id, (c) => ({ ...c, view })));
  }

  selectFrame(id: ConnectionId, seq: number | null): void {
    this.#update((s) => updateConn(s, id, (c) => ({ ...c, selectedFrameSeq: seq })));
  }

  dismissCommandError(id: ConnectionId): void {
    this.#update((s) => updateConn(s, id, (c) => ({ ...c, commandError: null })));
  }

  clearFormError(): void {
    this.#update((s) => ({ ...s, formError: null }));
  }
}
