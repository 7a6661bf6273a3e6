// Scrolling a @lit-labs/virtualizer list to an item. The virtualizer creates its layout
// asynchronously; asking it to scroll before then throws, so we retry on the next frames.
import { virtualizerRef, type VirtualizerHostElement } from '@lit-labs/virtualizer/virtualize.js';

/** Frames to keep retrying while the virtualizer's layout is not ready yet. */
const MAX_ATTEMPTS = 10;

export function scrollToIndex(
  host: (HTMLElement & VirtualizerHostElement) | null,
  index: number,
  block: ScrollLogicalPosition,
  attempts = MAX_ATTEMPTS,
): void {
  if (!host || index < 0) return;
  try {
    host[virtualizerRef]?.element(index)?.scrollIntoView({ block });
  } catch {
    if (attempts > 0) requestAnimationFrame(() => scrollToIndex(host, index, block, attempts - 1));
  }
}
