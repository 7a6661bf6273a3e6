// Coalesces ApiEvents for ONE subscriber (a window, an SSE stream) and hands them over as numbered
// EventBatches, at most one per `intervalMs` (house rule 8: ≈ one flush per animation frame).
//
// Policy:
//  - frames / messages of a connection are appended to that connection's group in the batch, in
//    order; nothing is dropped while a group holds fewer than `maxPendingRecords` records.
//  - 'connection' snapshots and 'stats' coalesce per connection: the last one wins.
//  - 'error' and 'removed' are kept, each one, in order.
//  - Memory is bounded: previews are bounded (records.ts) and a group never holds more than
//    `maxPendingRecords` (default: the ring capacity). If a paused/slow subscriber lets a group
//    exceed that (plus a slack of 1/8), the OLDEST pending records are dropped — they are also the ones the ring has
//    already evicted, so nothing retrievable is lost; the subscriber sees the gap in `seq` and may
//    page with getFrames/getMessages.
//  - pause()/resume() let a transport with backpressure (an SSE response whose write() returned
//    false) hold flushing while its socket drains.

import type { ApiEvent, EventBatch } from '../../shared/api.ts';
import type { ConnectionId, FrameRecord, MessageRecord } from '../../shared/model.ts';
import { Defaults } from '../../shared/protocol-constants.ts';

const MIN_TRIM_SLACK = 1024;
/** Slack = maxPendingRecords / 8. */
const TRIM_SLACK_SHIFT = 3;

export type BatchSink = (batch: EventBatch) => void;

export interface EventBatcherOptions {
  intervalMs?: number;
  maxPendingRecords?: number;
  /** Clock (ms, monotonic); injectable so the flush-spacing rule can be checked deterministically. */
  now?: () => number;
}

type Slot =
  | { kind: 'single'; event: ApiEvent }
  | { kind: 'frames'; id: ConnectionId; records: FrameRecord[] }
  | { kind: 'messages'; id: ConnectionId; records: MessageRecord[] };

export class EventBatcher {
  readonly intervalMs: number;
  readonly maxPendingRecords: number;
  private readonly sink: BatchSink;
  private readonly now: () => number;
  /** How far a group may exceed maxPendingRecords before it is trimmed. */
  private readonly trimSlack: number;
  /** Insertion-ordered: a key's position is its first appearance in this batch. */
  private slots = new Map<string, Slot>();
  private errorCount = 0;
  private batchNo = 0;
  private lastFlush = Number.NEGATIVE_INFINITY;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private paused = false;
  private disposed = false;

  constructor(sink: BatchSink, options: EventBatcherOptions = {}) {
    this.sink = sink;
    this.intervalMs = options.intervalMs ?? Defaults.batchIntervalMs;
    this.maxPendingRecords = options.maxPendingRecords ?? Defaults.frameLogCapacity;
    this.now = options.now ?? (() => performance.now());
    this.trimSlack = Math.max(MIN_TRIM_SLACK, this.maxPendingRecords >> TRIM_SLACK_SHIFT);
  }

  /** Number of the last batch handed to the sink (0 before the first). */
  get batchesSent(): number {
    return this.batchNo;
  }

  get hasPending(): boolean {
    return this.slots.size > 0;
  }

  push(event: ApiEvent): void {
    if (this.disposed) return;
    switch (event.type) {
      case 'frames':
        this.append('f:' + event.id, 'frames', event.id, event.frames);
        break;
      case 'messages':
        this.append('m:' + event.id, 'messages', event.id, event.messages);
        break;
      case 'connection':
        this.slots.set('c:' + event.snapshot.id, { kind: 'single', event });
        break;
      case 'stats':
        this.slots.set('s:' + event.id, { kind: 'single', event });
        break;
      case 'removed':
        this.slots.set('r:' + event.id, { kind: 'single', event });
        break;
      case 'error':
        this.slots.set('e:' + this.errorCount++, { kind: 'single', event });
        break;
    }
    this.schedule();
  }

  pause(): void {
    this.paused = true;
    this.clearTimer();
  }

  resume(): void {
    if (this.disposed) return;
    this.paused = false;
    this.schedule();
  }

  /** Hand over everything pending now, ignoring the interval (used on shutdown). */
  flushNow(): void {
    this.clearTimer();
    this.flush();
  }

  dispose(): void {
    this.disposed = true;
    this.clearTimer();
    this.slots.clear();
  }

  private append(key: string, kind: 'frames' | 'messages', id: ConnectionId, records: readonly (FrameRecord | MessageRecord)[]): void {
    let slot = this.slots.get(key);
    if (!slot) {
      slot = kind === 'frames' ? { kind, id, records: [] } : { kind, id, records: [] };
      this.slots.set(key, slot);
    }
    if (slot.kind === 'single') return;
    const list = slot.records as (FrameRecord | MessageRecord)[];
    for (const r of records) list.push(r);
    // Trim in bulk once the group is clearly over its bound (amortised O(1)), keeping the newest.
    if (list.length > this.maxPendingRecords + this.trimSlack) list.splice(0, list.length - this.maxPendingRecords);
  }

  private schedule(): void {
    if (this.timer !== undefined || this.paused || this.disposed || this.slots.size === 0) return;
    this.arm(Math.max(0, this.lastFlush + this.intervalMs - this.now()));
  }

  private arm(wait: number): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      // libuv measures timers from its cached loop time, which can lag real time after a long
      // burst of I/O, so a timer may fire early: re-check against the clock, keep the spacing.
      const remaining = this.lastFlush + this.intervalMs - this.now();
      if (remaining > 0) this.arm(remaining);
      else this.flush();
    }, wait);
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private flush(): void {
    if (this.disposed || this.slots.size === 0) return;
    const events: ApiEvent[] = [];
    for (const slot of this.slots.values()) {
      if (slot.kind === 'single') {
        // Stats are live counters: copy at flush time so the batch is a stable value.
        events.push(slot.event.type === 'stats' ? { ...slot.event, stats: { ...slot.event.stats } } : slot.event);
      } else {
        const over = slot.records.length - this.maxPendingRecords;
        if (over > 0) slot.records.splice(0, over);
        events.push(slot.kind === 'frames'
          ? { type: 'frames', id: slot.id, frames: slot.records }
          : { type: 'messages', id: slot.id, messages: slot.records });
      }
    }
    this.slots = new Map();
    this.errorCount = 0;
    this.lastFlush = this.now();
    this.batchNo++;
    try {
      this.sink({ batch: this.batchNo, events });
    } catch (e) {
      // A failing subscriber (closed window, serialisation error) must not take the process down;
      // the batch number still advances, so the subscriber can see the gap and resync.
      console.error(`wirechat: event batch ${this.batchNo} could not be delivered: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
