// "Follow the newest item" for a virtualized list: stick to the bottom as items arrive, pause as
// soon as the USER scrolls up (wheel, keys, scrollbar drag, touch), resume when they return to the
// bottom or press "Jump to latest". Programmatic scrolls and the virtualizer re-measuring rows
// never pause it, because only user input arms the pause.

/** Within this many pixels of the bottom counts as "at the newest item". */
const BOTTOM_SLACK_PX = 32;
const USER_SCROLL_KEYS = new Set(['ArrowUp', 'PageUp', 'Home', 'ArrowDown', 'PageDown', 'End', ' ']);

function isAtBottom(el: HTMLElement): boolean {
  return el.scrollHeight - el.scrollTop - el.clientHeight <= BOTTOM_SLACK_PX;
}

export class TailFollower {
  following = true;
  #el: HTMLElement | null = null;
  #userIntent = false;
  #lastTop = 0;
  #frame = 0;
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
    this.#resize.disconnect();
    this.#el = null;
  }

  /** The list now has `count` items. */
  itemsChanged(count: number): void {
    if (this.following && count > 0) this.#stick();
  }

  jump(): void {
    this.#userIntent = false;
    this.#set(true);
    this.#stick();
  }

  #set(following: boolean): void {
    if (following === this.following) return;
    this.following = following;
    this.#onChange(following);
  }

  #stick(): void {
    cancelAnimationFrame(this.#frame);
    this.#frame = requestAnimationFrame(() => {
      const el = this.#el;
      if (el && this.following) el.scrollTop = el.scrollHeight;
    });
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
    } else if (this.#userIntent && el.scrollTop < this.#lastTop) {
      this.#set(false);
    }
    this.#lastTop = el.scrollTop;
  };

  #onLayout = (): void => {
    const el = this.#el;
    if (el && this.following && !isAtBottom(el)) this.#stick();
  };
}
