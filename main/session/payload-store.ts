// Full payloads kept for on-demand retrieval (getPayload), across all connections, under one total
// byte budget. Records stay in the rings; only their bytes are dropped, oldest first, when the
// budget is exceeded — a later getPayload then answers NOT_FOUND with a clear message.

/** Default total budget for kept payload bytes, all connections together. */
export const DEFAULT_PAYLOAD_BUDGET_BYTES = 256 * 1024 * 1024;

/** Where a payload lives: one connection's frames or messages. */
export class PayloadShelf {
  /** seq → bytes, or → the frame seq whose bytes are the same (single-frame uncompressed message). */
  readonly entries = new Map<number, Uint8Array | number>();
}

interface QueueEntry {
  shelf: PayloadShelf;
  seq: number;
  bytes: Uint8Array;
}

export class PayloadStore {
  readonly budgetBytes: number;
  private total = 0;
  private live = 0;
  /** FIFO of stored payloads, oldest first; entries already deleted elsewhere are skipped lazily. */
  private queue: QueueEntry[] = [];
  private head = 0;

  constructor(budgetBytes = DEFAULT_PAYLOAD_BUDGET_BYTES) {
    if (!Number.isFinite(budgetBytes) || budgetBytes < 0) throw new RangeError(`payload budget must be ≥ 0, got ${budgetBytes}`);
    this.budgetBytes = budgetBytes;
  }

  get totalBytes(): number {
    return this.total;
  }

  /**
   * Keep `bytes` for (shelf, seq). The bytes must not be shared with a buffer the caller reuses;
   * a view into a larger buffer is copied so the budget counts what is really retained.
   */
  put(shelf: PayloadShelf, seq: number, bytes: Uint8Array): void {
    const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
    if (own.byteLength > this.budgetBytes) return; // Larger than the whole budget: never kept.
    this.delete(shelf, seq);
    shelf.entries.set(seq, own);
    this.queue.push({ shelf, seq, bytes: own });
    this.total += own.byteLength;
    this.live++;
    while (this.total > this.budgetBytes && this.head < this.queue.length) this.evictOldest();
    this.compactIfStale();
  }

  /** Record that message `seq` has the very same bytes as frame payload `frameSeq` on `frames`. */
  alias(shelf: PayloadShelf, seq: number, frameSeq: number): void {
    this.delete(shelf, seq);
    shelf.entries.set(seq, frameSeq);
  }

  get(shelf: PayloadShelf, seq: number, frames?: PayloadShelf): Uint8Array | undefined {
    const e = shelf.entries.get(seq);
    if (typeof e === 'number') {
      const f = frames?.entries.get(e);
      return f instanceof Uint8Array ? f : undefined;
    }
    return e;
  }

  delete(shelf: PayloadShelf, seq: number): void {
    const e = shelf.entries.get(seq);
    if (e === undefined) return;
    shelf.entries.delete(seq);
    if (e instanceof Uint8Array) {
      this.total -= e.byteLength;
      this.live--;
    }
  }

  /** Forget every payload of a shelf (the connection was removed). */
  clear(shelf: PayloadShelf): void {
    for (const seq of [...shelf.entries.keys()]) this.delete(shelf, seq);
  }

  private evictOldest(): void {
    const e = this.queue[this.head];
    this.head++;
    // Only evict if the entry still holds these very bytes (it may have been replaced or deleted).
    if (e.shelf.entries.get(e.seq) === e.bytes) this.delete(e.shelf, e.seq);
  }

  /** Drop queue entries that no longer refer to kept bytes, so the queue stays O(live entries). */
  private compactIfStale(): void {
    const queued = this.queue.length - this.head;
    const slack = 1024;
    if (queued <= 2 * this.live + slack) return;
    this.queue = this.queue.slice(this.head).filter((e) => e.shelf.entries.get(e.seq) === e.bytes);
    this.head = 0;
  }
}
