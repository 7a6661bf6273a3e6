// <wc-shortcuts-help>: a modal dialog listing the keyboard shortcuts (native <dialog>: focus is
// trapped and Escape closes it, with no extra code).
import { LitElement, css, html, type TemplateResult } from 'lit';
import { baseStyles } from '../../ui/shared-styles.ts';

export const SHORTCUTS: readonly { keys: string; what: string }[] = [
  { keys: 'Ctrl+T or Alt+T', what: 'New connection tab' },
  { keys: 'Ctrl+Tab / Ctrl+Shift+Tab', what: 'Next / previous connection tab' },
  { keys: 'Ctrl+PageDown / Ctrl+PageUp', what: 'Next / previous tab (also works in a browser)' },
  { keys: 'Ctrl+1 … Ctrl+9', what: 'Go to connection tab 1–9' },
  { keys: '← / →, Delete', what: 'On a connection tab: move between tabs, close the tab' },
  { keys: 'Ctrl+Enter', what: 'Connect (in the connection form)' },
  { keys: 'Enter', what: 'Send the message (in the composer)' },
  { keys: 'Shift+Enter', what: 'New line in the message' },
  { keys: '↑ / ↓', what: 'Recall earlier messages (empty composer or first line)' },
  { keys: '↑ ↓ Home End', what: 'Move through frames (in the frame log)' },
  { keys: 'F1 or Ctrl+/', what: 'Show this help' },
];

export class ShortcutsHelp extends LitElement {
  static override styles = [
    baseStyles,
    css`
      dialog {
        border: 1px solid var(--wc-border);
        border-radius: var(--wc-radius);
        background: var(--wc-surface);
        color: var(--wc-text);
        padding: 16px 20px;
        width: min(560px, 90vw);
        box-shadow: 0 10px 40px rgba(0, 0, 0, 0.25);
      }
      dialog::backdrop {
        background: rgba(0, 0, 0, 0.35);
      }
      h2 {
        margin: 0 0 10px;
        font-size: 16px;
      }
      table {
        width: 100%;
        border-collapse: collapse;
      }
      th,
      td {
        text-align: left;
        padding: 5px 4px;
        border-bottom: 1px solid var(--wc-surface-2);
      }
      kbd {
        font-family: var(--wc-mono);
        font-size: var(--wc-font-size-small);
        background: var(--wc-surface-2);
        border: 1px solid var(--wc-border);
        border-radius: 3px;
        padding: 1px 5px;
        white-space: nowrap;
      }
      .foot {
        display: flex;
        justify-content: flex-end;
        margin-top: 12px;
      }
    `,
  ];

  override render(): TemplateResult {
    return html`<dialog aria-labelledby="t">
      <h2 id="t">Keyboard shortcuts</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Keys</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          ${SHORTCUTS.map((s) => html`<tr><td><kbd>${s.keys}</kbd></td><td>${s.what}</td></tr>`)}
        </tbody>
      </table>
      <p class="hint">
        In a web browser some Ctrl shortcuts are taken by the browser itself; there, use Alt+T and the arrow keys
        on the connection tabs.
      </p>
      <div class="foot"><button class="primary" @click=${this.close}>Close</button></div>
    </dialog>`;
  }

  open(): void {
    this.renderRoot.querySelector('dialog')?.showModal();
  }

  close = (): void => {
    this.renderRoot.querySelector('dialog')?.close();
  };
}

customElements.define('wc-shortcuts-help', ShortcutsHelp);
declare global {
  interface HTMLElementTagNameMap {
    'wc-shortcuts-help': ShortcutsHelp;
  }
}
