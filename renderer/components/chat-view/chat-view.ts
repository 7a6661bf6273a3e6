// <wc-chat-view>: the conversation. Sent messages on the right, received on the left, each with
// time and size. Content is untrusted server data: it is rendered ONLY through Lit text bindings
// (never unsafeHTML / innerHTML), so "<img onerror=…>" shows as those characters and runs nothing.
// Virtualized (@lit-labs/virtualizer) so 100,000 messages scroll smoothly with a bounded DOM.
import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { virtualize } from '@lit-labs/virtualizer/virtualize.js';
import type { ConnectionState, MessageRecord } from '../../../shared/model.ts';
import { payloadKey, type PayloadEntry } from '../../state/store.ts';
import {
  base64ToBytes,
  base64ToText,
  formatBytes,
  formatClock,
  formatInteger,
  hexDump,
  prettyJson,
} from '../../state/format.ts';
import { baseStyles } from '../../ui/shared-styles.ts';
import { fire } from '../../ui/events.ts';
import { TailFollower } from '../../ui/tail-follower.ts';

/** Text longer than this (characters or lines) is collapsed behind "Show all". */
export const COLLAPSE_CHARS = 1200;
export const COLLAPSE_LINES = 14;
/** Binary shown as a hex dump: this many bytes collapsed, at most MAX_HEX_BYTES expanded. */
export const COLLAPSED_HEX_BYTES = 128;
export const MAX_HEX_BYTES = 64 * 1024;
/** An expanded message renders at most this many characters (a 64 MB text would freeze layout). */
export const MAX_RENDER_CHARS = 1_000_000;

interface Content {
  text: string;
  /** The whole message is available (not a truncated preview). */
  complete: boolean;
}

export class ChatView extends LitElement {
  static override properties = {
    messages: { attribute: false },
    payloads: { attribute: false },
    total: { type: Number },
    state: { type: String },
    following: { state: true },
    unseen: { state: true },
    toggles: { state: true },
  };

  declare messages: readonly MessageRecord[];
  declare payloads: Readonly<Record<string, PayloadEntry>>;
  /** Messages counted on this connection (may exceed messages.length once the cap evicts). */
  declare total: number;
  /** Connection state, only to pick the right empty-state hint. */
  declare state: ConnectionState;
  declare following: boolean;
  declare unseen: number;
  /** Per-message view toggles, keyed "<seq>:<toggle>" (raw JSON, base64, expanded). */
  declare toggles: ReadonlySet<string>;

  #prettyCache = new WeakMap<MessageRecord, string | null>();
  #fullPrettyCache = new Map<string, string | null>();
  #lastLength = 0;
  readonly #follower = new TailFollower((following) => {
    this.following = following;
    if (following) this.unseen = 0;
  });

  constructor() {
    super();
    this.messages = [];
    this.payloads = {};
    this.total = 0;
    this.state = 'OPEN';
    this.following = true;
    this.unseen = 0;
    this.toggles = new Set();
  }

  static override styles = [
    baseStyles,
    css`
      :host {
        display: flex;
        flex-direction: column;
        min-height: 0;
        height: 100%;
        position: relative;
      }
      .bar {
        display: flex;
        align-items: center;
        gap: var(--wc-gap);
        padding: 4px var(--wc-pad);
        border-bottom: 1px solid var(--wc-border);
        color: var(--wc-text-muted);
        font-size: var(--wc-font-size-small);
        min-height: 30px;
      }
      .bar .count {
        font-variant-numeric: tabular-nums;
      }
      .bar .spacer {
        flex: 1;
      }
      .scroller {
        flex: 1;
        min-height: 0;
        overflow: auto;
      }
      .row {
        display: flex;
        width: 100%;
        padding: 3px var(--wc-pad);
      }
      .row.out {
        justify-content: flex-end;
      }
      .bubble {
        max-width: min(78%, 900px);
        min-width: 180px;
        border: 1px solid var(--wc-border);
        border-radius: 10px;
        padding: 6px 10px 6px;
        background: var(--wc-bubble-in);
        box-shadow: var(--wc-shadow);
      }
      .out .bubble {
        background: var(--wc-bubble-out);
        border-color: transparent;
      }
      .meta {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 6px;
        font-size: 11px;
        color: var(--wc-text-muted);
        margin-bottom: 3px;
        font-variant-numeric: tabular-nums;
      }
      .dir-in {
        color: var(--wc-in);
        font-weight: 700;
      }
      .dir-out {
        color: var(--wc-out);
        font-weight: 700;
      }
      .content {
        font-family: var(--wc-mono);
        font-size: var(--wc-font-size-small);
        white-space: pre-wrap;
        overflow-wrap: anywhere;
        margin: 0;
      }
      .content.prose {
        font-family: var(--wc-font);
        font-size: var(--wc-font-size);
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 4px;
        margin-top: 4px;
      }
      .actions button {
        font-size: 11px;
        min-height: 20px;
        padding: 0 6px;
      }
      .note {
        font-size: 11px;
        color: var(--wc-warn);
        margin: 3px 0 0;
      }
      .jump {
        position: absolute;
        right: 20px;
        bottom: 14px;
        box-shadow: var(--wc-shadow);
        border-radius: 999px;
        padding: 4px 14px;
      }
    `,
  ];

  override render(): TemplateResult {
    const count = formatInteger(this.total);
    return html`
      <div class="bar">
        <span class="count" data-testid="message-count">${count} ${this.total === 1 ? 'message' : 'messages'}</span>
        ${this.messages.length < this.total
          ? html`<span class="muted">(latest ${formatInteger(this.messages.length)} shown)</span>`
          : nothing}
        <span class="spacer"></span>
        ${this.#followStatus()}
      </div>
      <div
        class="scroller"
        role="region"
        aria-label="Conversation"
        tabindex="0"
      >
        ${this.messages.length === 0
          ? this.#empty()
          : virtualize({
              items: this.messages as MessageRecord[],
              keyFunction: (m: MessageRecord) => m.seq,
              renderItem: (m: MessageRecord) => this.#renderMessage(m),
              scroller: true,
            })}
      </div>
      ${!this.following
        ? html`<button class="jump primary" @click=${this.jumpToLatest}>
            Jump to latest${this.unseen > 0 ? ` (${formatInteger(this.unseen)} new)` : ''}
          </button>`
        : nothing}
    `;
  }

  /**
   * Only a conversation that can still grow has a "latest" to follow: nothing is shown for an empty
   * one or once the connection is CLOSED (CLOSING still receives data until the server's Close
   * frame, RFC 6455 §5.5.1).
   */
  #followStatus(): TemplateResult | typeof nothing {
    if (this.messages.length === 0 || this.state === 'CLOSED') return nothing;
    return this.following ? html`<span>Following latest</span>` : html`<span>Auto-scroll paused</span>`;
  }

  #empty(): TemplateResult {
    if (this.state === 'CLOSED' || this.state === 'CLOSING') {
      return html`<div class="empty">
        <strong>No messages were exchanged</strong>
        <span>The frame log and the handshake tab show what happened on the wire.</span>
      </div>`;
    }
    return html`<div class="empty">
      <strong>No messages yet</strong>
      <span>${this.state === 'CONNECTING' ? 'Connecting… once OPEN, type' : 'Type'} a message below and press Enter to send it.</span>
      <span>Messages from the server appear here as they arrive.</span>
    </div>`;
  }

  get #scroller(): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>('.scroller');
  }

  jumpToLatest = (): void => {
    this.unseen = 0;
    this.#follower.jump();
  };

  protected override updated(changed: PropertyValues<this>): void {
    this.#follower.attach(this.#scroller);
    if (changed.has('messages')) {
      const added = Math.max(0, this.messages.length - this.#lastLength);
      this.#lastLength = this.messages.length;
      if (!this.following && added > 0) this.unseen += added;
    }
    // Every render can change heights (new rows, a bubble expanded): while following, stick again.
    this.#follower.itemsChanged(this.messages.length);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Re-attached (e.g. back from another view): scroll position was lost with the DOM; follow again.
    if (this.hasUpdated) {
      this.#follower.attach(this.#scroller);
      if (this.following) this.#follower.jump();
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#follower.detach();
  }

  // ---- one message ---------------------------------------------------------------------------

  #has(seq: number, t: string): boolean {
    return this.toggles.has(`${seq}:${t}`);
  }

  #toggle(seq: number, t: string): void {
    const next = new Set(this.toggles);
    const key = `${seq}:${t}`;
    if (next.has(key)) next.delete(key);
    else next.add(key);
    this.toggles = next;
  }

  #showAll(m: MessageRecord): void {
    if (m.truncated) fire(this, 'wc-load-payload', { kind: 'message', seq: m.seq });
    const next = new Set(this.toggles);
    next.add(`${m.seq}:expanded`);
    this.toggles = next;
  }

  #content(m: MessageRecord): Content & { loading: boolean; error: string | null } {
    const entry = this.payloads[payloadKey('message', m.seq)];
    const expanded = this.#has(m.seq, 'expanded');
    if (expanded && entry?.state === 'ok') {
      const text = m.kind === 'text' ? base64ToText(entry.base64) : entry.base64;
      return { text, complete: true, loading: false, error: null };
    }
    const text = m.kind === 'text' ? (m.text ?? '') : (m.preview?.base64 ?? '');
    return {
      text,
      complete: !m.truncated,
      // Asked for but not here yet (the store marks it loading; no entry means the request is on its way).
      loading: expanded && m.truncated && (entry === undefined || entry.state === 'loading'),
      error: expanded && entry?.state === 'error' ? entry.message : null,
    };
  }

  #pretty(m: MessageRecord, c: Content): string | null {
    if (!c.complete) return null;
    if (m.truncated) {
      const key = String(m.seq);
      if (!this.#fullPrettyCache.has(key)) this.#fullPrettyCache.set(key, prettyJson(c.text));
      return this.#fullPrettyCache.get(key) ?? null;
    }
    if (!this.#prettyCache.has(m)) this.#prettyCache.set(m, prettyJson(c.text));
    return this.#prettyCache.get(m) ?? null;
  }

  #renderMessage(m: MessageRecord): TemplateResult {
    const c = this.#content(m);
    const sent = m.dir === 'out';
    const expanded = this.#has(m.seq, 'expanded');
    const size = m.compressed
      ? `${formatBytes(m.length)} (${formatBytes(m.wireLength)} on the wire)`
      : formatBytes(m.length);
    return html`<div class="row ${m.dir}">
      <article class="bubble" aria-label="${sent ? 'Sent' : 'Received'} ${m.kind} message ${m.seq}">
        <div class="meta">
          <span class=${sent ? 'dir-out' : 'dir-in'} aria-hidden="true">${sent ? '↑' : '↓'}</span>
          <span>${sent ? 'Sent' : 'Received'}</span>
          <time>${formatClock(m.time)}</time>
          <span>${size}</span>
          <span class="badge">${m.kind}</span>
          ${m.compressed ? html`<span class="badge" title="permessage-deflate (RFC 7692)">deflate</span>` : nothing}
          ${m.frameCount > 1 ? html`<span class="badge">${m.frameCount} frames</span>` : nothing}
        </div>
        ${m.kind === 'text' ? this.#renderText(m, c, expanded) : this.#renderBinary(m, c, expanded)}
        ${c.loading ? html`<p class="note" role="status">Loading the full message…</p>` : nothing}
        ${c.error ? html`<p class="note" role="alert">${c.error}</p>` : nothing}
      </article>
    </div>`;
  }

  #renderText(m: MessageRecord, c: Content, expanded: boolean): TemplateResult {
    const pretty = this.#pretty(m, c);
    const raw = this.#has(m.seq, 'raw');
    const shown = pretty !== null && !raw ? pretty : c.text;
    const lines = countLinesUpTo(shown, COLLAPSE_LINES + 1);
    const long = shown.length > COLLAPSE_CHARS || lines > COLLAPSE_LINES || !c.complete;
    let body = shown;
    let note: string | null = null;
    if (!expanded && long) body = clip(shown, COLLAPSE_CHARS, COLLAPSE_LINES);
    else if (shown.length > MAX_RENDER_CHARS) {
      body = shown.slice(0, MAX_RENDER_CHARS);
      note = `Showing the first ${formatInteger(MAX_RENDER_CHARS)} characters of ${formatInteger(shown.length)}.`;
    }
    return html`
      <pre class="content ${pretty === null ? 'prose' : ''}">${body}${!expanded && long ? '…' : ''}</pre>
      ${note ? html`<p class="note">${note}</p>` : nothing}
      <div class="actions">
        ${pretty !== null
          ? html`<button
              aria-pressed=${raw ? 'true' : 'false'}
              @click=${() => this.#toggle(m.seq, 'raw')}
              title="Toggle between pretty-printed JSON and the raw text"
            >
              ${raw ? 'Pretty JSON' : 'Raw'}
            </button>`
          : nothing}
        ${!expanded && long ? html`<button @click=${() => this.#showAll(m)}>Show all</button>` : nothing}
        ${expanded && long ? html`<button @click=${() => this.#toggle(m.seq, 'expanded')}>Show less</button>` : nothing}
      </div>
    `;
  }

  #renderBinary(m: MessageRecord, c: Content, expanded: boolean): TemplateResult {
    const asBase64 = this.#has(m.seq, 'b64');
    let body: string;
    let long: boolean;
    let note: string | null = null;
    if (asBase64) {
      long = c.text.length > COLLAPSE_CHARS || !c.complete;
      body = !expanded && long ? c.text.slice(0, COLLAPSE_CHARS) + '…' : c.text.slice(0, MAX_RENDER_CHARS);
    } else {
      const bytes = base64ToBytes(c.text);
      long = bytes.length > COLLAPSED_HEX_BYTES || !c.complete;
      const limit = expanded ? MAX_HEX_BYTES : COLLAPSED_HEX_BYTES;
      body = hexDump(bytes, limit);
      if (expanded && bytes.length > MAX_HEX_BYTES) {
        note = `Hex dump shows the first ${formatBytes(MAX_HEX_BYTES)} of ${formatBytes(bytes.length)}; switch to base64 for all of it.`;
      }
    }
    return html`
      <pre class="content">${body}</pre>
      ${note ? html`<p class="note">${note}</p>` : nothing}
      <div class="actions">
        <button aria-pressed=${asBase64 ? 'true' : 'false'} @click=${() => this.#toggle(m.seq, 'b64')}>
          ${asBase64 ? 'Hex' : 'Base64'}
        </button>
        ${!expanded && long ? html`<button @click=${() => this.#showAll(m)}>Show all</button>` : nothing}
        ${expanded && long ? html`<button @click=${() => this.#toggle(m.seq, 'expanded')}>Show less</button>` : nothing}
      </div>
    `;
  }
}

function countLinesUpTo(s: string, max: number): number {
  let n = 1;
  for (let i = s.indexOf('\n'); i >= 0 && n < max; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

function clip(s: string, maxChars: number, maxLines: number): string {
  let end = Math.min(s.length, maxChars);
  let lines = 1;
  for (let i = s.indexOf('\n'); i >= 0 && i < end; i = s.indexOf('\n', i + 1)) {
    if (++lines > maxLines) {
      end = i;
      break;
    }
  }
  return s.slice(0, end);
}

customElements.define('wc-chat-view', ChatView);
declare global {
  interface HTMLElementTagNameMap {
    'wc-chat-view': ChatView;
  }
}
