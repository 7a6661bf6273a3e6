// A queue of received chunks that hands out byte ranges without copying when a range lies inside
// one chunk (the common case: many frames per TCP read), and copies exactly once when it spans
// chunks. Taken from how ws' Receiver consumes its buffer list, written for Uint8Array.

const EMPTY = new Uint8Array(0);
const zeroedAlloc = (n: number): Uint8Array => new Uint8Array(n);

export class ByteQueue {
  /**
   * Allocates the buffer a spanning range is assembled in. Every byte of it is overwritten, so an
   * uninitialised allocator (Buffer.allocUnsafe) is safe and skips zero-filling: for a 1 MiB frame
   * arriving in 64 KiB reads the zero-fill was a whole extra pass over the payload.
   */
  private readonly alloc: (n: number) => Uint8Array;
  private chunks: Uint8Array[] = [];
  /** Index of the first live chunk in `chunks` (avoids Array.shift on every chunk). */
  private head = 0;
  /** Read offset inside chunks[head]. */
  private offset = 0;
  private total = 0;

  constructor(alloc: (n: number) => Uint8Array = zeroedAlloc) {
    this.alloc = alloc;
  }

  get length(): number {
    return this.total;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.total += chunk.length;
  }

  /** Byte at position i from the read position (i < length). Header parsing only: ≤ 14 bytes. */
  byteAt(i: number): number {
    let c = this.head;
    let k = this.offset + i;
    while (k >= this.chunks[c].length) {
      k -= this.chunks[c].length;
      c++;
    }
    return this.chunks[c][k];
  }

  /** Drop n bytes (n ≤ length). */
  skip(n: number): void {
    this.total -= n;
    while (n > 0) {
      const chunk = this.chunks[this.head];
      const left = chunk.length - this.offset;
      if (n < left) {
        this.offset += n;
        return;
      }
      n -= left;
      this.dropHead();
    }
  }

  /** Take n bytes (n ≤ length): a view when they lie in one chunk, else one copy. */
  take(n: number): Uint8Array {
    if (n === 0) return EMPTY;
    const chunk = this.chunks[this.head];
    const left = chunk.length - this.offset;
    if (n <= left) {
      const view = chunk.subarray(this.offset, this.offset + n);
      this.total -= n;
      if (n === left) this.dropHead();
      else this.offset += n;
      return view;
    }
    const out = this.alloc(n);
    let filled = 0;
    while (filled < n) {
      const c = this.chunks[this.head];
      const avail = c.length - this.offset;
      const want = n - filled;
      if (want < avail) {
        out.set(c.subarray(this.offset, this.offset + want), filled);
        this.offset += want;
        filled = n;
      } else {
        out.set(this.offset === 0 ? c : c.subarray(this.offset), filled);
        filled += avail;
        this.dropHead();
      }
    }
    this.total -= n;
    return out;
  }

  /**
   * Call fn with the queued bytes from position `from` to the end, one view per chunk, without
   * consuming them. Stops (and returns false) as soon as fn returns false.
   */
  forEachFrom(from: number, fn: (piece: Uint8Array) => boolean): boolean {
    const chunks = this.chunks;
    let skip = from + this.offset;
    for (let c = this.head; c < chunks.length; c++) {
      const chunk = chunks[c];
      if (skip >= chunk.length) {
        skip -= chunk.length;
        continue;
      }
      if (!fn(skip === 0 ? chunk : chunk.subarray(skip))) return false;
      skip = 0;
    }
    return true;
  }

  clear(): void {
    this.chunks = [];
    this.head = 0;
    this.offset = 0;
    this.total = 0;
  }

  private dropHead(): void {
    this.head++;
    this.offset = 0;
    if (this.head === this.chunks.length) {
      this.chunks.length = 0;
      this.head = 0;
    } else if (this.head > COMPACT_AFTER) {
      this.chunks = this.chunks.slice(this.head);
      this.head = 0;
    }
  }
}

/** Compact the chunk list once this many consumed chunks sit in front of it. */
const COMPACT_AFTER = 64;
