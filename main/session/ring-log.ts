// A bounded log of records numbered 1, 2, 3, … (house rule 8: logs are bounded rings). Once full,
// each push overwrites the oldest record. Records are addressed by their sequence number, so a page
// request is two index computations, never a scan.

export interface Sequenced {
  seq: number;
}

export interface RingPage<T> {
  records: T[];
  /** Oldest and newest sequence numbers still kept; both 0 when nothing was ever logged. */
  oldestSeq: number;
  newestSeq: number;
}

export class RingLog<T extends Sequenced> {
  readonly capacity: number;
  /** Grows up to `capacity`, then is reused in place: no 100,000-slot allocation per idle tab. */
  private readonly slots: T[] = [];
  private newest = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ring capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
  }

  /** Sequence number the next pushed record must carry. */
  get nextSeq(): number {
    return this.newest + 1;
  }

  get newestSeq(): number {
    return this.newest;
  }

  get oldestSeq(): number {
    return this.newest === 0 ? 0 : Math.max(1, this.newest - this.capacity + 1);
  }

  get size(): number {
    return this.newest === 0 ? 0 : this.newest - this.oldestSeq + 1;
  }

  /**
   * Append a record whose seq is `nextSeq`. Returns the sequence number of the record it
   * overwrote (evicted), or 0 when the ring was not yet full.
   */
  push(record: T): number {
    if (record.seq !== this.newest + 1) throw new RangeError(`expected seq ${this.newest + 1}, got ${record.seq}`);
    const index = (record.seq - 1) % this.capacity;
    const evicted = record.seq > this.capacity ? record.seq - this.capacity : 0;
    if (index === this.slots.length) this.slots.push(record);
    else this.slots[index] = record;
    this.newest = record.seq;
    return evicted;
  }

  get(seq: number): T | undefined {
    if (!Number.isInteger(seq) || seq < this.oldestSeq || seq > this.newest || seq < 1) return undefined;
    return this.slots[(seq - 1) % this.capacity];
  }

  /** Records with seq ≥ fromSeq (clamped to the oldest kept), at most `limit` of them. */
  page(fromSeq: number | undefined, limit: number): RingPage<T> {
    const oldestSeq = this.oldestSeq;
    const newestSeq = this.newest;
    const records: T[] = [];
    if (newestSeq > 0) {
      const start = Math.max(fromSeq ?? oldestSeq, oldestSeq);
      const end = Math.min(newestSeq, start + limit - 1);
      for (let s = start; s <= end; s++) records.push(this.slots[(s - 1) % this.capacity]);
    }
    return { records, oldestSeq, newestSeq };
  }
}
