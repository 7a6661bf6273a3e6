// Bounds the memory the previews of ONE ring log hold. A ring keeps up to 100,000 records and each
// may carry a 4 KiB preview (~5.5 KB as base64): ~550 MB per ring in the worst case. Under this
// budget the oldest records' previews are shortened in place to SHRUNK_PREVIEW_BYTES (the record
// itself, its lengths and header fields stay; `truncated` says the preview is partial; the full
// payload is still fetched with getPayload while the payload store keeps it).

import type { FrameRecord, MessageRecord, PayloadPreview } from '../../shared/model.ts';

/** Default preview budget per ring (frames or messages of one connection). */
export const DEFAULT_PREVIEW_BUDGET_BYTES = 32 * 1024 * 1024;
/** A shrunk preview keeps this many payload bytes: 48 bytes = exactly 64 base64 characters. */
export const SHRUNK_PREVIEW_BYTES = 48;
const SHRUNK_BASE64_CHARS = (SHRUNK_PREVIEW_BYTES / 3) * 4;

function previewCost(r: FrameRecord | MessageRecord): number {
  if ('payload' in r) return r.payload.base64.length;
  // UTF-16 code units; V8 stores Latin-1 strings with one byte per unit, others with two.
  return (r.text?.length ?? 0) + (r.preview?.base64.length ?? 0);
}

function shrinkPreview(p: PayloadPreview): void {
  if (p.base64.length <= SHRUNK_BASE64_CHARS) return;
  p.base64 = p.base64.slice(0, SHRUNK_BASE64_CHARS);
  p.truncated = true;
}

function shrink(r: FrameRecord | MessageRecord): void {
  if ('payload' in r) {
    shrinkPreview(r.payload);
    return;
  }
  if (r.preview) {
    shrinkPreview(r.preview);
    r.truncated = r.preview.truncated;
  }
  if (r.text !== undefined && r.text.length > SHRUNK_PREVIEW_BYTES) {
    let cut = SHRUNK_PREVIEW_BYTES;
    const c = r.text.charCodeAt(cut - 1);
    if (c >= 0xd800 && c <= 0xdbff) cut--; // Do not split a surrogate pair.
    r.text = r.text.slice(0, cut);
    r.truncated = true;
  }
}

export class PreviewBudget<T extends FrameRecord | MessageRecord> {
  readonly budget: number;
  private total = 0;
  /** Oldest seq whose preview is still full size (records before it are shrunk or evicted). */
  private nextToShrink = 1;

  constructor(budget = DEFAULT_PREVIEW_BUDGET_BYTES) {
    this.budget = budget;
  }

  get bytes(): number {
    return this.total;
  }

  /**
   * Account for a new record (seq contiguous) and the one it evicted from the ring, then shrink
   * the oldest full previews until the total fits. `get` looks a kept record up by seq.
   */
  add(record: T, evicted: T | undefined, get: (seq: number) => T | undefined): void {
    if (evicted) {
      this.total -= previewCost(evicted);
      if (this.nextToShrink <= evicted.seq) this.nextToShrink = evicted.seq + 1;
    }
    this.total += previewCost(record);
    while (this.total > this.budget && this.nextToShrink <= record.seq) {
      const r = get(this.nextToShrink++);
      if (!r) continue;
      const before = previewCost(r);
      shrink(r);
      this.total -= before - previewCost(r);
    }
  }
}
