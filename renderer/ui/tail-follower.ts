// "Follow the newest item" for a virtualized list: stick to the bottom as items arrive, pause as
// soon as the USER scrolls up (wheel, keys, scrollbar drag, touch), resume when they return to the
// bottom or press "Jump to latest". Programmatic scrolls and the virtualizer re-measuring rows
// never pause it, because only user input arms the pause.
//
// Why sticking once is not enough: @lit-labs/virtualizer keeps an "anchor" row while it re-measures
// estimated row heights, and corrects the scroll position to keep that row in place (its
// correctScrollError). After a burst that correction can pull the list thousands of rows back up
// AFTER our last stick, and it fires neither rangeChanged nor a resize. So while following, any
// scroll the user did not cause, and every settled layout, re-checks the bottom and sticks again.
import { virtualizerRef, type VirtualizerHostElement } from '@lit-labs/virtualizer/virtualize.js';

/** Within this many pixels of the bottom counts as "at the newest item". */
const BOTTOM_SLACK_PX = 32;
const USER_SCROLL_KEYS = new Set(['ArrowUp', 'PageUp', 'Home', 'ArrowDown', 'PageDown', 'End', ' ']);
/**
 * Re-sticks after settled layouts, per change of the list. Each one only happens while the list is
 * still not at the bottom; the cap keeps a layout that never settles from spinning forever.
 */
const MAX_SETTLE_RETRIES = 30;

function isAtBottom(el: HTMLElement): boolean {
  return el.scrollHeight - el.scrollTop - el.clientHeight <= BOTTOM_SLACK_PX;
}

type Scroller = HTMLElement & Partial<VirtualizerHostElement>;

export class TailFollower {
  following = true;
  #el: Scroller | null = null;
  #userIntent = false;
  #lastTop = 0;
  #frame = 0;
  #retries = 0;
  /** A check is already waiting for the virtualizer's layoutComplete (one is enough). */
  #awaitingLayout = false;
  /** The scroller shrinking (e.g. a note appearing below it) must not leave the newest item hidden. */
  readonly #resize = new ResizeObserver(() => this.#onLayout());
  readonly #onChange: (following: boolean) => void;

  constructor(onChange: (following: boolean) => void) {
    this.#onChange = onChange;
  }

  /** Attach to the scrolling element (call after each render; re-attaching the same one is free). */
  attach(el: HTMLElement | null): void {
    if (el === this.#el) return;
    this.detach();
    this.#el = el;
    if (!el) return;
    el.addEventListener('scroll', this.#onScroll, { passive: true });
    el.addEventListener('wheel', this.#arm, { passive: true });
    el.addEventListener('touchstart', this.#arm, { passive: true });
    el.addEventListener('pointerdown', this.#arm);
    el.addEventListener('keydown', this.#onKey);
    // The virtualizer announces each new layout: row heights start as estimates and grow once
    // measured, so while following, stick to the bottom again until it holds.
    el.addEventListener('visibilityChanged', this.#onLayout);
    el.addEventListener('rangeChanged', this.#onLayout);
    this.#resize.observe(el);
  }

  detach(): void {
    const el = this.#el;
    if (!el) return;
    el.removeEventListener('scroll', this.#onScroll);
    el.removeEventListener('wheel', this.#arm);
    el.removeEventListener('touchstart', this.#arm);
    el.removeEventListener('pointerdown', this.#arm);
    el.removeEventListener('keydown', this.#onKey);
    el.removeEventListener('visibilityChanged', this.#onLayout);
    el.removeEventListener('rangeChanged', this.#onLayout);
    cancelAnimationFrame(this.#frame);
    this.#frame = 0;
    this.#resize.disconnect();
    this.#el = null;
  }

  /** The list now has `count` items (call from every `updated()` that may have changed it). */
  itemsChanged(count: number): void {
    if (this.following && count > 0) {
      this.#retries = 0;
      this.#stick();
    }
  }

  jump(): void {
    this.#userIntent = false;
    this.#retries = 0;
    this.#set(true);
    this.#stick();
  }

  #set(following: boolean): void {
    if (following === this.following) return;
    this.following = following;
    this.#onChange(following);
  }

  /**
   * Scroll to the bottom on the next frame. A stick already pending is kept, not re-queued: during
   * a burst every update would otherwise push it one more frame away and it might never run.
   */
  #stick(): void {
    if (this.#frame !== 0) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      const el = this.#el;
      if (!el || !this.following) return;
      el.scrollTop = el.scrollHeight;
      this.#afterLayout(el);
    });
  }

  /** Once the virtualizer has measured and placed the rows, check the bottom again. */
  #afterLayout(el: Scroller): void {
    const virtualizer = el[virtualizerRef];
    if (!virtualizer || this.#awaitingLayout) return;
    this.#awaitingLayout = true;
    virtualizer.layoutComplete.then(
      () => {
        this.#awaitingLayout = false;
        if (el !== this.#el || !this.following || isAtBottom(el)) return;
        if (this.#retries++ < MAX_SETTLE_RETRIES) this.#stick();
      },
      // Rejected when the list is disconnected: nothing left to follow.
      () => {
        this.#awaitingLayout = false;
      },
    );
  }

  #arm = (): void => {
    this.#userIntent = true;
  };

  #onKey = (e: KeyboardEvent): void => {
    if (USER_SCROLL_KEYS.has(e.key)) this.#userIntent = true;
  };

  #onScroll = (): void => {
    const el = this.#el;
    if (!el) return;
    if (isAtBottom(el)) {
      this.#userIntent = false;
      this.#set(true);
    } else if (this.#userIntent) {
      if (el.scrollTop < this.#lastTop) this.#set(false);
    } else if (this.following) {
      // Not the user's scroll (the virtualizer correcting towards its anchor row): back down.
      this.#stick();
    }
    this.#lastTop = el.scrollTop;
  };

  #onLayout = (): void => {
    const el = this.#el;
    if (el && this.following && !isAtBottom(el)) this.#stick();
  };
}
