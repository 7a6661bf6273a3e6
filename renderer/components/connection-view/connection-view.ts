// <wc-connection-view>: one connection tab. Header (label, URL, state badge, counters, errors),
// then Chat | Frames | Handshake as a tablist. It is a view of one ConnView from the store; the
// events its children fire bubble up to <wc-app>, which adds this connection's id. Panels are kept
// alive across view switches (lit `cache`), so a draft, a filter or a scroll position survives.
import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { cache } from 'lit/directives/cache.js';
import { currentError, frameCount, messageCount, VIEW_NAMES, type ConnView, type ViewName } from '../../state/store.ts';
import { formatBytes, formatInteger } from '../../state/format.ts';
import { baseStyles } from '../../ui/shared-styles.ts';
import { fire } from '../../ui/events.ts';
import '../state-badge/state-badge.ts';
import '../chat-view/chat-view.ts';
import '../composer/composer.ts';
import '../frame-log/frame-log.ts';
import '../handshake-panel/handshake-panel.ts';

const VIEW_LABELS: Record<ViewName, string> = { chat: 'Chat', frames: 'Frames', handshake: 'Handshake' };

/**
 * The count after a view tab's label, read as "Chat 6 messages" rather than "Chat6": a real space
 * before the number and the unit as visually hidden text. The name stays content-derived (no
 * aria-label) so the visible text "Chat 6" is part of it (WCAG 2.5.3 label in name).
 */
function countBadge(n: number, one: string, many: string): TemplateResult {
  return html` <span class="n">${formatInteger(n)}</span><span class="visually-hidden"> ${n === 1 ? one : many}</span>`;
}

export class ConnectionView extends LitElement {
  static override properties = {
    conn: { attribute: false },
    active: { type: Boolean, reflect: true },
  };

  declare conn: ConnView | null;
  declare active: boolean;

  constructor() {
    super();
    this.conn = null;
    this.active = true;
  }

  static override styles = [
    baseStyles,
    css`
      :host {
        display: flex;
        flex-direction: column;
        height: 100%;
        min-height: 0;
      }
      :host(:not([active])) {
        display: none;
      }
      header {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 6px 14px;
        padding: 8px var(--wc-pad);
        background: var(--wc-surface);
        border-bottom: 1px solid var(--wc-border);
      }
      .title {
        display: flex;
        flex-direction: column;
        min-width: 0;
        flex: 0 1 auto;
      }
      h2 {
        margin: 0;
        font-size: 14px;
        white-space: nowrap;
        overflow: hidden;
        text-overflow: ellipsis;
      }
      .url {
        font-family: var(--wc-mono);
        font-size: 11px;
        color: var(--wc-text-muted);
        white-space: nowrap;
        overflow: hidden;
        text-overflow: ellipsis;
      }
      wc-state-badge {
        flex: 1 1 200px;
      }
      .stats {
        display: flex;
        gap: 12px;
        color: var(--wc-text-muted);
        font-size: var(--wc-font-size-small);
        font-variant-numeric: tabular-nums;
        white-space: nowrap;
      }
      .actions {
        display: flex;
        gap: 6px;
      }
      .alert {
        display: flex;
        gap: 10px;
        align-items: flex-start;
        margin: 0;
        padding: 6px var(--wc-pad);
        background: var(--wc-danger-soft);
        color: var(--wc-danger);
        border-bottom: 1px solid var(--wc-border);
      }
      .alert .code {
        font-family: var(--wc-mono);
        font-size: 11px;
        /* Full opacity: at 0.85 the 11px code on --wc-danger-soft fell to 4.43:1 (WCAG 1.4.3 needs 4.5:1). */
      }
      .alert .msg {
        flex: 1;
        overflow-wrap: anywhere;
      }
      .views {
        display: flex;
        align-items: flex-end;
        gap: 2px;
        padding: 0 var(--wc-pad);
        background: var(--wc-surface);
        border-bottom: 1px solid var(--wc-border);
      }
      [role='tab'] {
        border: none;
        border-bottom: 2px solid transparent;
        border-radius: 0;
        background: none;
        padding: 6px 12px;
        color: var(--wc-text-muted);
        font-weight: 600;
      }
      [role='tab'][aria-selected='true'] {
        color: var(--wc-accent);
        border-bottom-color: var(--wc-accent);
      }
      [role='tab'] .n {
        font-weight: 400;
        font-size: 11px;
      }
      [role='tabpanel'] {
        flex: 1;
        min-height: 0;
        display: flex;
        flex-direction: column;
      }
      wc-chat-view {
        flex: 1;
        min-height: 0;
      }
    `,
  ];

  protected override shouldUpdate(changed: PropertyValues<this>): boolean {
    // Hidden tabs skip rendering entirely; they catch up when shown again.
    return this.active || changed.has('active');
  }

  override render(): TemplateResult {
    const c = this.conn;
    if (!c) return html``;
    const s = c.snapshot;
    const err = currentError(c);
    const view = c.view;
    return html`
      <header>
        <div class="title">
          <h2>${s.label}</h2>
          <span class="url" title=${s.options.url}>${s.options.url}</span>
        </div>
        <wc-state-badge
          .state=${s.state}
          .openedAt=${s.openedAt}
          .closedAt=${s.closedAt}
          .close=${s.close}
        ></wc-state-badge>
        <div class="stats" aria-label="Traffic">
          <span title="Messages sent / received">↑ ${formatInteger(s.stats.messagesOut)} ↓ ${formatInteger(s.stats.messagesIn)} msgs</span>
          <span title="Bytes sent / received">↑ ${formatBytes(s.stats.bytesOut)} ↓ ${formatBytes(s.stats.bytesIn)}</span>
        </div>
        <div class="actions">
          ${s.state === 'CLOSED' ? html`<button @click=${() => fire(this, 'wc-reconnect', {})}>Reconnect</button>` : nothing}
          <button aria-label="Close tab ${s.label}" title="Close this connection and its tab" @click=${() => fire(this, 'wc-remove', {})}>
            Close tab
          </button>
        </div>
      </header>
      <div role="alert" aria-label="Connection errors">
        ${err && s.state === 'CLOSED'
          ? html`<p class="alert"><span class="msg">${err.message}</span><span class="code">${err.code}</span></p>`
          : nothing}
        ${c.commandError
          ? html`<p class="alert">
              <span class="msg">${c.commandError}</span>
              <button class="small" @click=${() => fire(this, 'wc-dismiss-error', {})}>Dismiss</button>
            </p>`
          : nothing}
      </div>
      <div class="views" role="tablist" aria-label="Views" @keydown=${this.#onTabKey}>
        ${VIEW_NAMES.map(
          (v) => html`<button
            role="tab"
            id="tab-${v}"
            aria-selected=${v === view ? 'true' : 'false'}
            aria-controls="panel-${v}"
            tabindex=${v === view ? '0' : '-1'}
            @click=${() => fire(this, 'wc-view-change', { view: v })}
          >
            ${VIEW_LABELS[v]}${v === 'chat'
              ? countBadge(messageCount(c), 'message', 'messages')
              : v === 'frames'
                ? countBadge(frameCount(c), 'frame', 'frames')
                : nothing}
          </button>`,
        )}
      </div>
      <div role="tabpanel" id="panel-${view}" aria-labelledby="tab-${view}">${cache(this.#panel(c, view))}</div>
    `;
  }

  #panel(c: ConnView, view: ViewName): TemplateResult {
    const s = c.snapshot;
    switch (view) {
      case 'chat':
        return html`<wc-chat-view
            .messages=${c.messages}
            .payloads=${c.payloads}
            .total=${messageCount(c)}
            .state=${s.state}
          ></wc-chat-view>
          <wc-composer .state=${s.state}></wc-composer>`;
      case 'frames':
        return html`<wc-frame-log
          .frames=${c.frames}
          .total=${frameCount(c)}
          .startedAt=${s.handshake?.timings.startedAt ?? c.frames[0]?.time ?? 0}
          .selectedSeq=${c.selectedFrameSeq}
          .payloads=${c.payloads}
        ></wc-frame-log>`;
      case 'handshake':
        return html`<wc-handshake-panel .snapshot=${s}></wc-handshake-panel>`;
    }
  }

  #onTabKey = (e: KeyboardEvent): void => {
    if (!this.conn) return;
    // Move from the tab that has focus (it may differ from the selected one).
    const focused = (e.target as HTMLElement).id.replace(/^tab-/, '') as ViewName;
    const i = Math.max(0, VIEW_NAMES.indexOf(focused));
    let next: number;
    if (e.key === 'ArrowRight') next = (i + 1) % VIEW_NAMES.length;
    else if (e.key === 'ArrowLeft') next = (i - 1 + VIEW_NAMES.length) % VIEW_NAMES.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = VIEW_NAMES.length - 1;
    else return;
    e.preventDefault();
    fire(this, 'wc-view-change', { view: VIEW_NAMES[next] });
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#tab-${VIEW_NAMES[next]}`)?.focus());
  };
}

customElements.define('wc-connection-view', ConnectionView);
declare global {
  interface HTMLElementTagNameMap {
    'wc-connection-view': ConnectionView;
  }
}
