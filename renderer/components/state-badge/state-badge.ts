// <wc-state-badge>: the connection state (RFC 6455 §4.1 / §7: CONNECTING, OPEN, CLOSING, CLOSED)
// as a live status, with how long it has been open, and for CLOSED the close code, its name,
// the reason, who closed, and whether the close was clean.
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import type { CloseInfo, ConnectionState } from '../../../shared/model.ts';
import { closeCodeName } from '../../../shared/protocol-constants.ts';
import { formatDuration } from '../../state/format.ts';
import { baseStyles } from '../../ui/shared-styles.ts';

const TICK_MS = 1000;

export function describeClose(c: CloseInfo): string {
  const who = c.initiatedBy === 'client' ? 'closed by us' : c.initiatedBy === 'server' ? 'closed by the server' : 'connection lost';
  return `${c.code} ${closeCodeName(c.code)}${c.reason ? ` “${c.reason}”` : ''} · ${who} · ${c.wasClean ? 'clean' : 'not clean'}`;
}

export class StateBadge extends LitElement {
  static override properties = {
    state: { type: String },
    openedAt: { type: Number },
    closedAt: { type: Number },
    close: { attribute: false },
    now: { state: true },
  };

  declare state: ConnectionState;
  declare openedAt: number | undefined;
  declare closedAt: number | undefined;
  declare close: CloseInfo | undefined;
  declare now: number;
  #timer: ReturnType<typeof setInterval> | null = null;

  constructor() {
    super();
    this.state = 'CONNECTING';
    this.openedAt = undefined;
    this.closedAt = undefined;
    this.close = undefined;
    this.now = Date.now();
  }

  static override styles = [
    baseStyles,
    css`
      :host {
        display: inline-flex;
        align-items: center;
        min-width: 0;
      }
      [role='status'] {
        display: flex;
        align-items: center;
        gap: 4px 8px;
        min-width: 0;
      }
      .pill {
        display: inline-flex;
        align-items: center;
        gap: 6px;
        padding: 2px 10px;
        border-radius: 999px;
        font-weight: 700;
        font-size: 11px;
        letter-spacing: 0.04em;
        white-space: nowrap;
      }
      .pill::before {
        content: '';
        width: 8px;
        height: 8px;
        border-radius: 50%;
        background: currentColor;
      }
      .CONNECTING,
      .CLOSING {
        background: var(--wc-warn-soft);
        color: var(--wc-warn);
      }
      .OPEN {
        background: var(--wc-ok-soft);
        color: var(--wc-ok);
      }
      .CLOSED {
        background: var(--wc-surface-3);
        color: var(--wc-text-muted);
      }
      .CLOSED.unclean {
        background: var(--wc-danger-soft);
        color: var(--wc-danger);
      }
      /* Wraps instead of an ellipsis: at 900 px a close description ("1006 Abnormal Closure ·
         connection lost · not clean · was open 3 s") was cut off with no way to read the rest. */
      .detail {
        color: var(--wc-text-muted);
        font-size: var(--wc-font-size-small);
        overflow-wrap: anywhere;
        min-width: 0;
      }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    this.#timer = setInterval(() => {
      if (this.state === 'OPEN') this.now = Date.now();
    }, TICK_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }

  override render(): TemplateResult {
    const unclean = this.state === 'CLOSED' && this.close !== undefined && !this.close.wasClean;
    let detail: string | null = null;
    if (this.state === 'OPEN' && this.openedAt !== undefined) {
      detail = `connected ${formatDuration(Math.max(this.now, Date.now()) - this.openedAt)}`;
    } else if (this.state === 'CLOSED' && this.close) {
      const dur =
        this.openedAt !== undefined && this.closedAt !== undefined
          ? ` · was open ${formatDuration(this.closedAt - this.openedAt)}`
          : '';
      detail = describeClose(this.close) + dur;
    }
    return html`<span role="status" aria-label="Connection state">
      <span class="pill ${this.state} ${unclean ? 'unclean' : ''}">${this.state}</span>
      ${detail ? html`<span class="detail" title=${detail}>${detail}</span>` : nothing}
    </span>`;
  }
}

customElements.define('wc-state-badge', StateBadge);
declare global {
  interface HTMLElementTagNameMap {
    'wc-state-badge': StateBadge;
  }
}
