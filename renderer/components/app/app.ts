// <wc-app>: the window. Connection tabs (+ a "New connection" tab), one <wc-connection-view> per
// connection (inactive ones hidden and not re-rendered), the connection form, global keyboard
// shortcuts and their help. It is the only component that talks to the store: children fire
// events up, the app turns them into store calls with the right connection id.
import { LitElement, css, html, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { ConnectionId, ConnectionState, ConnectOptions } from '../../../shared/model.ts';
import { initialState, type AppState, type Store, type ViewName } from '../../state/store.ts';
import { baseStyles } from '../../ui/shared-styles.ts';
import type { WcEvents } from '../../ui/events.ts';
import { ConnectionView } from '../connection-view/connection-view.ts';
import type { ShortcutsHelp } from '../shortcuts-help/shortcuts-help.ts';
import type { ConnectionForm } from '../connection-form/connection-form.ts';
import '../connection-form/connection-form.ts';
import '../shortcuts-help/shortcuts-help.ts';

const MAX_NUMBERED_TAB = 9;

type Ev<K extends keyof WcEvents> = CustomEvent<WcEvents[K]>;

export class App extends LitElement {
  static override properties = {
    store: { attribute: false },
    state: { attribute: false },
    fatal: { type: String },
  };

  declare store: Store | null;
  declare state: AppState;
  declare fatal: string | null;
  #unsubscribe: (() => void) | null = null;

  constructor() {
    super();
    this.store = null;
    this.state = initialState();
    this.fatal = null;
    this.addEventListener('wc-connect', (e) => this.#onConnect(e as Ev<'wc-connect'>));
    this.addEventListener('wc-send', (e) => this.#withId(e, (id, d: WcEvents['wc-send']) => this.store?.send(id, d.kind, d.data)));
    this.addEventListener('wc-ping', (e) => this.#withId(e, (id, d: WcEvents['wc-ping']) => this.store?.ping(id, d.payloadBase64)));
    this.addEventListener('wc-close-connection', (e) =>
      this.#withId(e, (id, d: WcEvents['wc-close-connection']) => this.store?.close(id, d.code, d.reason)),
    );
    this.addEventListener('wc-load-payload', (e) =>
      this.#withId(e, (id, d: WcEvents['wc-load-payload']) => this.store?.loadPayload(id, d.kind, d.seq)),
    );
    this.addEventListener('wc-select-frame', (e) =>
      this.#withId(e, (id, d: WcEvents['wc-select-frame']) => this.store?.selectFrame(id, d.seq)),
    );
    this.addEventListener('wc-view-change', (e) =>
      this.#withId(e, (id, d: { view: ViewName }) => this.store?.setView(id, d.view)),
    );
    this.addEventListener('wc-reconnect', (e) => this.#withId(e, (id) => this.store?.reconnect(id)));
    this.addEventListener('wc-remove', (e) => this.#withId(e, (id) => this.store?.remove(id)));
    this.addEventListener('wc-dismiss-error', (e) => this.#withId(e, (id) => this.store?.dismissCommandError(id)));
  }

  static override styles = [
    baseStyles,
    css`
      :host {
        display: flex;
        flex-direction: column;
        height: 100%;
        min-height: 0;
        background: var(--wc-bg);
      }
      .top {
        display: flex;
        align-items: stretch;
        gap: 8px;
        padding: 0 8px;
        background: var(--wc-surface-2);
        border-bottom: 1px solid var(--wc-border);
        min-height: 38px;
      }
      .brand {
        display: flex;
        align-items: center;
        gap: 6px;
        font-weight: 800;
        letter-spacing: 0.02em;
        padding: 0 8px 0 4px;
        white-space: nowrap;
      }
      .brand .logo {
        width: 18px;
        height: 18px;
        border-radius: 5px;
        background: linear-gradient(135deg, var(--wc-accent), var(--wc-in));
      }
      .tabs {
        display: flex;
        align-items: flex-end;
        gap: 2px;
        min-width: 0;
        flex: 1;
        overflow-x: auto;
        scrollbar-width: thin;
        padding-top: 5px;
      }
      .tab {
        display: flex;
        align-items: center;
        border: 1px solid transparent;
        border-bottom: none;
        border-radius: 6px 6px 0 0;
        background: transparent;
        min-width: 0;
        max-width: 240px;
        flex: 0 1 auto;
      }
      .tab.sel {
        background: var(--wc-surface);
        border-color: var(--wc-border);
      }
      /* Hover colours the whole tab (name and "×"), not only the inner button. */
      .tab:not(.sel):hover {
        background: var(--wc-surface-2);
      }
      .tab [role='tab']:hover:not(:disabled) {
        background: none;
      }
      .tab [role='tab'] {
        border: none;
        background: none;
        display: flex;
        align-items: center;
        gap: 7px;
        padding: 5px 4px 6px 10px;
        min-width: 0;
        max-width: 210px;
        color: var(--wc-text-muted);
        border-radius: 6px 6px 0 0;
      }
      .tab.sel [role='tab'] {
        color: var(--wc-text);
        font-weight: 600;
      }
      .tab [role='tab'] .name {
        white-space: nowrap;
        overflow: hidden;
        text-overflow: ellipsis;
      }
      .dot {
        width: 8px;
        height: 8px;
        border-radius: 50%;
        flex: none;
        background: var(--wc-text-muted);
      }
      .dot.OPEN {
        background: var(--wc-ok);
      }
      .dot.CONNECTING,
      .dot.CLOSING {
        background: var(--wc-warn);
      }
      .tab .x {
        cursor: pointer;
        padding: 2px 6px;
        margin-right: 4px;
        color: var(--wc-text-muted);
        border-radius: 4px;
        line-height: 1;
        font-size: 14px;
      }
      .tab .x:hover {
        background: var(--wc-surface-3);
        color: var(--wc-text);
      }
      .new[role='tab'] {
        border: 1px solid transparent;
        border-bottom: none;
        border-radius: 6px 6px 0 0;
        background: none;
        padding: 4px 12px 6px;
        font-size: 16px;
        line-height: 1;
        color: var(--wc-text-muted);
      }
      .new[role='tab'][aria-selected='true'] {
        background: var(--wc-surface);
        border-color: var(--wc-border);
        color: var(--wc-text);
      }
      .tools {
        display: flex;
        align-items: center;
        gap: 6px;
      }
      main {
        flex: 1;
        min-height: 0;
        display: flex;
        flex-direction: column;
        background: var(--wc-bg);
      }
      main > * {
        flex: 1;
        min-height: 0;
      }
      .fatal {
        margin: 0;
        padding: 8px 12px;
        background: var(--wc-danger-soft);
        color: var(--wc-danger);
      }
      .fatal:empty {
        display: none;
      }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('keydown', this.#onGlobalKey);
    this.#subscribe();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('keydown', this.#onGlobalKey);
    this.#unsubscribe?.();
    this.#unsubscribe = null;
  }

  override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('store')) this.#subscribe();
  }

  #subscribe(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    if (!this.store || !this.isConnected) return;
    this.state = this.store.state;
    // Lit coalesces property sets into one render per microtask, so a burst of store updates
    // (one per event batch) never renders more than once per task.
    this.#unsubscribe = this.store.subscribe((s) => (this.state = s));
  }

  override render(): TemplateResult {
    const s = this.state;
    const formActive = s.activeId === null;
    const fatal = this.fatal ?? s.fatalError;
    return html`
      <div class="top">
        <div class="brand"><span class="logo" aria-hidden="true"></span>Wirechat</div>
        <div class="tabs" role="tablist" aria-label="Connections" @keydown=${this.#onTabsKey}>
          ${repeat(
            s.order,
            (id) => id,
            (id, i) => this.#tab(id, i),
          )}
          <button
            class="new"
            role="tab"
            id="tab-new"
            aria-label="New connection"
            title="New connection (Ctrl+T)"
            aria-selected=${formActive ? 'true' : 'false'}
            aria-controls="form-panel"
            tabindex=${formActive ? '0' : '-1'}
            @click=${() => this.store?.setActive(null)}
          >
            +
          </button>
        </div>
        <div class="tools">
          <button class="small" @click=${this.openHelp} title="Keyboard shortcuts (F1)">Keyboard shortcuts</button>
        </div>
      </div>
      <p class="fatal" role="alert">${fatal ?? ''}</p>
      <main>
        <wc-connection-form
          id="form-panel"
          role="tabpanel"
          aria-labelledby="tab-new"
          ?hidden=${!formActive}
          .busy=${s.connecting}
          .serverError=${s.formError}
        ></wc-connection-form>
        ${repeat(
          s.order,
          (id) => id,
          (id) => html`<wc-connection-view
            id="panel-${id}"
            role="tabpanel"
            aria-labelledby="tab-${id}"
            data-id=${id}
            .conn=${s.connections[id]}
            .active=${s.activeId === id}
            ?hidden=${s.activeId !== id}
          ></wc-connection-view>`,
        )}
      </main>
      <wc-shortcuts-help></wc-shortcuts-help>
    `;
  }

  #tab(id: ConnectionId, index: number): TemplateResult {
    const c = this.state.connections[id];
    const sel = this.state.activeId === id;
    const state: ConnectionState = c.snapshot.state;
    // Only tabs may live in a tablist (WAI-ARIA): the wrapper is presentational and the "×" is a
    // mouse shortcut hidden from assistive tech; keyboard users press Delete on the tab, or use the
    // "Close tab" button in the connection header.
    return html`<div class="tab ${sel ? 'sel' : ''}" role="presentation">
      <button
        role="tab"
        id="tab-${id}"
        aria-selected=${sel ? 'true' : 'false'}
        aria-controls="panel-${id}"
        tabindex=${sel ? '0' : '-1'}
        title="${c.snapshot.options.url} — ${state}${index < MAX_NUMBERED_TAB ? ` (Ctrl+${index + 1})` : ''}. Delete closes the tab."
        @click=${() => this.store?.setActive(id)}
      >
        <span class="dot ${state}" aria-hidden="true"></span><span class="name">${c.snapshot.label}</span>
      </button>
      <span class="x" aria-hidden="true" title="Close tab" @click=${() => this.store?.remove(id)}>×</span>
    </div>`;
  }

  /** Arrow keys move between tabs (WAI-ARIA tabs pattern, automatic activation). */
  #onTabsKey = (e: KeyboardEvent): void => {
    const t = e.target as HTMLElement;
    if (t.getAttribute('role') !== 'tab') return;
    if (e.key === 'Delete' && t.id !== 'tab-new') {
      e.preventDefault();
      const id = this.state.activeId;
      if (id !== null) void this.store?.remove(id).then(() => this.#focusActiveTab());
      return;
    }
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      e.preventDefault();
      this.store?.cycleTab(e.key === 'ArrowRight' ? 1 : -1);
      this.#focusActiveTab();
    }
  };

  #focusActiveTab(): void {
    void this.updateComplete.then(() => {
      const id = this.state.activeId;
      this.renderRoot.querySelector<HTMLElement>(id === null ? '#tab-new' : `#tab-${CSS.escape(id)}`)?.focus();
    });
  }

  #onGlobalKey = (e: KeyboardEvent): void => {
    const store = this.store;
    if (!store) return;
    const ctrl = e.ctrlKey || e.metaKey;
    if (e.key === 'F1' || (ctrl && e.key === '/')) {
      e.preventDefault();
      this.openHelp();
    } else if ((ctrl || (e.altKey && !e.ctrlKey)) && (e.key === 't' || e.key === 'T') && !e.shiftKey) {
      // Alt+T as well: in a browser, Ctrl+T is taken by the browser itself.
      e.preventDefault();
      this.newConnection();
    } else if (ctrl && e.key === 'Tab') {
      e.preventDefault();
      store.cycleTab(e.shiftKey ? -1 : 1);
    } else if (ctrl && (e.key === 'PageDown' || e.key === 'PageUp')) {
      e.preventDefault();
      store.cycleTab(e.key === 'PageDown' ? 1 : -1);
    } else if (ctrl && !e.shiftKey && !e.altKey && /^[1-9]$/.test(e.key)) {
      e.preventDefault();
      store.selectTabNumber(Number(e.key));
    }
  };

  openHelp = (): void => {
    this.renderRoot.querySelector<ShortcutsHelp>('wc-shortcuts-help')?.open();
  };

  newConnection(): void {
    this.store?.setActive(null);
    void this.updateComplete.then(() => {
      const form = this.renderRoot.querySelector<ConnectionForm>('wc-connection-form');
      form?.renderRoot.querySelector<HTMLInputElement>('#url')?.focus();
    });
  }

  #onConnect(e: Ev<'wc-connect'>): void {
    const options: ConnectOptions = e.detail;
    void this.store?.connect(options);
  }

  /** Run `fn` with the id of the connection view the event came from. */
  #withId<D>(e: Event, fn: (id: ConnectionId, detail: D) => unknown): void {
    const view = e.composedPath().find((n): n is ConnectionView => n instanceof ConnectionView);
    const id = view?.conn?.id;
    if (id !== undefined) void fn(id, (e as CustomEvent<D>).detail);
  }
}

customElements.define('wc-app', App);
declare global {
  interface HTMLElementTagNameMap {
    'wc-app': App;
  }
}
