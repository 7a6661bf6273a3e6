// <wc-composer>: write and send a message (text / JSON / hex / base64), ping, and close.
// Everything is validated here first and explained next to its field; an invalid message is never
// emitted. Keys: Enter sends, Shift+Enter inserts a newline, Up in an empty composer (or on its
// first line) recalls earlier messages, Down walks forward again.
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import type { ConnectionState } from '../../../shared/model.ts';
import { MAX_CLOSE_REASON_BYTES, MAX_CONTROL_PAYLOAD } from '../../../shared/protocol-constants.ts';
import {
  bytesToBase64,
  parseBase64Input,
  parseHexInput,
  parseJsonInput,
  toHex,
  utf8ByteLength,
  validateCloseInput,
  validatePingPayload,
  type Parsed,
} from '../../state/format.ts';
import { baseStyles } from '../../ui/shared-styles.ts';
import { fire } from '../../ui/events.ts';

export type ComposerMode = 'text' | 'json' | 'hex' | 'base64';
const MODES: { value: ComposerMode; label: string }[] = [
  { value: 'text', label: 'Text' },
  { value: 'json', label: 'JSON' },
  { value: 'hex', label: 'Binary (hex)' },
  { value: 'base64', label: 'Binary (base64)' },
];
/** How many sent messages Up can recall. */
export const HISTORY_LIMIT = 100;
const DEFAULT_CLOSE_CODE = '1000';

interface HistoryEntry {
  mode: ComposerMode;
  text: string;
}

export class Composer extends LitElement {
  static override properties = {
    state: { type: String },
    mode: { state: true },
    draft: { state: true },
    error: { state: true },
    pingPayload: { state: true },
    pingError: { state: true },
    closeCode: { state: true },
    closeReason: { state: true },
    closeCodeError: { state: true },
    closeReasonError: { state: true },
  };

  /** Connection state: the composer is usable only when OPEN. */
  declare state: ConnectionState;
  declare mode: ComposerMode;
  declare draft: string;
  declare error: string | null;
  declare pingPayload: string;
  declare pingError: string | null;
  declare closeCode: string;
  declare closeReason: string;
  declare closeCodeError: string | null;
  declare closeReasonError: string | null;

  #history: HistoryEntry[] = [];
  /** Index into #history while recalling with Up/Down; null when editing a fresh draft. */
  #recall: number | null = null;

  constructor() {
    super();
    this.state = 'CLOSED';
    this.mode = 'text';
    this.draft = '';
    this.error = null;
    this.pingPayload = '';
    this.pingError = null;
    this.closeCode = DEFAULT_CLOSE_CODE;
    this.closeReason = '';
    this.closeCodeError = null;
    this.closeReasonError = null;
  }

  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
        border-top: 1px solid var(--wc-border);
        background: var(--wc-surface);
        padding: 8px var(--wc-pad) 10px;
      }
      fieldset {
        border: none;
        margin: 0;
        padding: 0;
        min-width: 0;
      }
      .modes {
        display: flex;
        align-items: center;
        gap: 10px;
        flex-wrap: wrap;
        margin-bottom: 6px;
      }
      .segmented {
        display: inline-flex;
        border: 1px solid var(--wc-border-strong);
        border-radius: var(--wc-radius-small);
        overflow: hidden;
      }
      .segmented label {
        position: relative;
        padding: 2px 10px;
        cursor: pointer;
        font-size: var(--wc-font-size-small);
        line-height: 22px;
        border-right: 1px solid var(--wc-border);
      }
      .segmented label:last-child {
        border-right: none;
      }
      .segmented input {
        position: absolute;
        opacity: 0;
        inset: 0;
        margin: 0;
        cursor: pointer;
      }
      .segmented label:has(input:checked) {
        background: var(--wc-accent-soft);
        color: var(--wc-accent);
        font-weight: 600;
      }
      .segmented label:has(input:focus-visible) {
        outline: 2px solid var(--wc-focus);
        outline-offset: -2px;
      }
      .compose {
        display: flex;
        gap: var(--wc-gap);
        align-items: flex-start;
      }
      .compose .grow {
        flex: 1;
        min-width: 0;
      }
      textarea {
        width: 100%;
        min-height: 58px;
        max-height: 40vh;
        font-family: var(--wc-mono);
        font-size: var(--wc-font-size-small);
      }
      .send-col {
        display: flex;
        flex-direction: column;
        gap: 4px;
      }
      .controls {
        display: flex;
        flex-wrap: wrap;
        gap: 6px 16px;
        margin-top: 8px;
        align-items: flex-start;
      }
      .control {
        display: flex;
        gap: 6px;
        align-items: flex-start;
        flex-wrap: wrap;
      }
      .control .field {
        display: flex;
        flex-direction: column;
      }
      .control input {
        min-width: 0;
      }
      .control input.code {
        width: 70px;
      }
      .control input.payload {
        width: 160px;
      }
      .control input.reason {
        width: 180px;
      }
      .sr-label {
        position: absolute;
        width: 1px;
        height: 1px;
        overflow: hidden;
        clip: rect(0 0 0 0);
      }
      .disabled-note {
        margin: 0 0 6px;
        padding: 4px 8px;
        border-radius: var(--wc-radius-small);
        background: var(--wc-warn-soft);
        color: var(--wc-warn);
        font-size: var(--wc-font-size-small);
      }
      .hint {
        margin-left: auto;
      }
    `,
  ];

  get #open(): boolean {
    return this.state === 'OPEN';
  }

  #disabledReason(): string | null {
    switch (this.state) {
      case 'OPEN':
        return null;
      case 'CONNECTING':
        return 'Connecting… you can send once the connection is OPEN.';
      case 'CLOSING':
        return 'Closing: the closing handshake is in progress, nothing more can be sent (RFC 6455 §7.1.4).';
      case 'CLOSED':
        return 'The connection is closed. Use Reconnect above to open it again.';
    }
  }

  override render(): TemplateResult {
    const reason = this.#disabledReason();
    return html`
      ${reason ? html`<p class="disabled-note" id="why-disabled">${reason}</p>` : nothing}
      <fieldset ?disabled=${!this.#open} aria-describedby=${reason ? 'why-disabled' : nothing}>
        <legend class="visually-hidden">Compose a message</legend>
        <div class="modes">
          <div class="segmented" role="radiogroup" aria-label="Message format">
            ${MODES.map(
              (m) => html`<label
                ><input
                  type="radio"
                  name="mode"
                  .value=${m.value}
                  .checked=${this.mode === m.value}
                  @change=${() => this.#setMode(m.value)}
                />${m.label}</label
              >`,
            )}
          </div>
          ${this.mode === 'json' ? html`<button class="small" @click=${this.#format}>Format</button>` : nothing}
          <span class="hint">Enter to send · Shift+Enter for a new line · ↑ recalls earlier messages</span>
        </div>
        <div class="compose">
          <div class="grow">
            <label class="sr-label" for="message">Message</label>
            <textarea
              id="message"
              spellcheck="false"
              placeholder=${this.#placeholder()}
              .value=${this.draft}
              aria-invalid=${this.error ? 'true' : 'false'}
              aria-describedby=${this.error ? 'message-error' : nothing}
              @input=${this.#onInput}
              @keydown=${this.#onKeyDown}
            ></textarea>
            ${this.error ? html`<p class="field-error" id="message-error" role="alert">${this.error}</p>` : nothing}
          </div>
          <div class="send-col">
            <button class="primary" @click=${this.send}>Send</button>
          </div>
        </div>
        <div class="controls">
          <div class="control">
            <div class="field">
              <label class="sr-label" for="ping">Ping payload</label>
              <input
                id="ping"
                class="payload mono"
                type="text"
                placeholder="payload (optional)"
                .value=${this.pingPayload}
                aria-invalid=${this.pingError ? 'true' : 'false'}
                aria-describedby=${this.pingError ? 'ping-error' : nothing}
                @input=${(e: Event) => {
                  this.pingPayload = (e.target as HTMLInputElement).value;
                  this.pingError = null;
                }}
                @keydown=${(e: KeyboardEvent) => {
                  if (e.key === 'Enter') this.#ping();
                }}
              />
              ${this.pingError ? html`<p class="field-error" id="ping-error" role="alert">${this.pingError}</p>` : nothing}
            </div>
            <button @click=${this.#ping} title="Send a ping frame (RFC 6455 §5.5.2), at most ${MAX_CONTROL_PAYLOAD} bytes">
              Ping
            </button>
          </div>
          <div class="control">
            <div class="field">
              <label class="sr-label" for="close-code">Close code</label>
              <input
                id="close-code"
                class="code mono"
                type="text"
                inputmode="numeric"
                .value=${this.closeCode}
                aria-invalid=${this.closeCodeError ? 'true' : 'false'}
                aria-describedby=${this.closeCodeError ? 'close-code-error' : nothing}
                @input=${(e: Event) => {
                  this.closeCode = (e.target as HTMLInputElement).value;
                  this.closeCodeError = null;
                }}
              />
              ${this.closeCodeError
                ? html`<p class="field-error" id="close-code-error" role="alert">${this.closeCodeError}</p>`
                : nothing}
            </div>
            <div class="field">
              <label class="sr-label" for="close-reason">Close reason</label>
              <input
                id="close-reason"
                class="reason"
                type="text"
                placeholder="reason (optional)"
                title="At most ${MAX_CLOSE_REASON_BYTES} bytes of UTF-8"
                .value=${this.closeReason}
                aria-invalid=${this.closeReasonError ? 'true' : 'false'}
                aria-describedby=${this.closeReasonError ? 'close-reason-error' : nothing}
                @input=${(e: Event) => {
                  this.closeReason = (e.target as HTMLInputElement).value;
                  this.closeReasonError = null;
                }}
              />
              ${this.closeReasonError
                ? html`<p class="field-error" id="close-reason-error" role="alert">${this.closeReasonError}</p>`
                : nothing}
            </div>
            <button class="danger" @click=${this.#close} title="Start the closing handshake (RFC 6455 §7.1.2)">Close</button>
          </div>
        </div>
      </fieldset>
    `;
  }

  #placeholder(): string {
    switch (this.mode) {
      case 'text':
        return 'Type a message…';
      case 'json':
        return '{"type": "hello"}';
      case 'hex':
        return '48 65 6c 6c 6f';
      case 'base64':
        return 'SGVsbG8=';
    }
  }

  #setMode(mode: ComposerMode): void {
    // Converting the draft between binary spellings keeps the user's bytes when it parses.
    if (this.draft.trim() !== '') {
      if (this.mode === 'hex' && mode === 'base64') {
        const p = parseHexInput(this.draft);
        if (p.ok) this.draft = bytesToBase64(p.value);
      } else if (this.mode === 'base64' && mode === 'hex') {
        const p = parseBase64Input(this.draft);
        if (p.ok) this.draft = toHex(p.value);
      }
    }
    this.mode = mode;
    this.error = null;
  }

  #onInput = (e: Event): void => {
    this.draft = (e.target as HTMLTextAreaElement).value;
    this.error = null;
    this.#recall = null;
  };

  #onKeyDown = (e: KeyboardEvent): void => {
    const ta = e.target as HTMLTextAreaElement;
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      this.send();
      return;
    }
    if (e.key === 'ArrowUp' && !e.shiftKey && !e.altKey) {
      const onFirstLine = !ta.value.slice(0, ta.selectionStart).includes('\n');
      if ((ta.value === '' || onFirstLine || this.#recall !== null) && this.#history.length > 0) {
        e.preventDefault();
        const i = this.#recall === null ? this.#history.length - 1 : Math.max(0, this.#recall - 1);
        this.#recallEntry(i);
      }
      return;
    }
    if (e.key === 'ArrowDown' && this.#recall !== null) {
      const onLastLine = !ta.value.slice(ta.selectionEnd).includes('\n');
      if (!onLastLine) return;
      e.preventDefault();
      if (this.#recall >= this.#history.length - 1) {
        this.#recall = null;
        this.draft = '';
      } else this.#recallEntry(this.#recall + 1);
    }
  };

  #recallEntry(i: number): void {
    const entry = this.#history[i];
    this.#recall = i;
    this.mode = entry.mode;
    this.draft = entry.text;
    this.error = null;
  }

  #format = (): void => {
    const p = parseJsonInput(this.draft);
    if (!p.ok) {
      this.error = p.error;
      return;
    }
    this.draft = JSON.stringify(JSON.parse(this.draft), null, 2);
    this.error = null;
  };

  /** Validate the draft for the current mode; the result is what goes on the wire. */
  #validate(): Parsed<{ kind: 'text' | 'binary'; data: string }> {
    switch (this.mode) {
      case 'text':
        return { ok: true, value: { kind: 'text', data: this.draft } };
      case 'json': {
        const p = parseJsonInput(this.draft);
        return p.ok ? { ok: true, value: { kind: 'text', data: p.value } } : p;
      }
      case 'hex': {
        const p = parseHexInput(this.draft);
        return p.ok ? { ok: true, value: { kind: 'binary', data: bytesToBase64(p.value) } } : p;
      }
      case 'base64': {
        const p = parseBase64Input(this.draft);
        return p.ok ? { ok: true, value: { kind: 'binary', data: bytesToBase64(p.value) } } : p;
      }
    }
  }

  send = (): void => {
    if (!this.#open) return;
    const v = this.#validate();
    if (!v.ok) {
      this.error = v.error;
      return;
    }
    fire(this, 'wc-send', v.value);
    const last = this.#history[this.#history.length - 1];
    if (!last || last.text !== this.draft || last.mode !== this.mode) {
      this.#history = [...this.#history, { mode: this.mode, text: this.draft }].slice(-HISTORY_LIMIT);
    }
    this.#recall = null;
    this.draft = '';
    this.error = null;
  };

  #ping = (): void => {
    if (!this.#open) return;
    const p = validatePingPayload(this.pingPayload);
    if (!p.ok) {
      this.pingError = p.error;
      return;
    }
    fire(this, 'wc-ping', { payloadBase64: bytesToBase64(p.value) });
  };

  #close = (): void => {
    if (!this.#open) return;
    const v = validateCloseInput(this.closeCode, this.closeReason);
    this.closeCodeError = v.codeError ?? null;
    this.closeReasonError = v.reasonError ?? null;
    if (v.value) fire(this, 'wc-close-connection', v.value);
  };

  /** Bytes of the current draft as UTF-8 (for tests and the size hint). */
  get draftBytes(): number {
    return utf8ByteLength(this.draft);
  }
}

customElements.define('wc-composer', Composer);
declare global {
  interface HTMLElementTagNameMap {
    'wc-composer': Composer;
  }
}
