// <wc-connection-form>: everything a user can choose for one connection. Every field is checked
// as it is typed (shared rules, see state/connect-form.ts) and explained next to the field;
// nothing is emitted while anything is invalid. Ctrl+Enter (or Enter in a field) connects.
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
// live(): the form keeps its draft after Connect (quick reconnect variants), so every control is
// re-checked against the draft on each render, not against the last value Lit wrote.
import { live } from 'lit/directives/live.js';
import type { ConnectOptions, HeaderEntry } from '../../../shared/model.ts';
import {
  draftFromOptions,
  emptyDraft,
  validateDraft,
  type FormDraft,
  type FormErrors,
} from '../../state/connect-form.ts';
import { baseStyles } from '../../ui/shared-styles.ts';
import { fire } from '../../ui/events.ts';

type Field = keyof FormErrors;

export class ConnectionForm extends LitElement {
  static override properties = {
    busy: { type: Boolean },
    serverError: { type: String },
    initial: { attribute: false },
    draft: { state: true },
    touched: { state: true },
    submitted: { state: true },
  };

  declare busy: boolean;
  /** Error from main when it refused the connect command (shown in the alert region). */
  declare serverError: string | null;
  /** Options to prefill (e.g. "duplicate connection"). */
  declare initial: ConnectOptions | null;
  declare draft: FormDraft;
  declare touched: ReadonlySet<Field>;
  declare submitted: boolean;

  constructor() {
    super();
    this.busy = false;
    this.serverError = null;
    this.initial = null;
    this.draft = emptyDraft();
    this.touched = new Set();
    this.submitted = false;
  }

  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
        height: 100%;
        overflow: auto;
      }
      form {
        max-width: 820px;
        margin: 0 auto;
        padding: 24px 24px 40px;
      }
      h2 {
        margin: 0 0 2px;
        font-size: 18px;
      }
      .intro {
        margin: 0 0 18px;
        color: var(--wc-text-muted);
      }
      .url-row {
        display: flex;
        gap: var(--wc-gap);
        align-items: stretch;
      }
      .url-row input {
        flex: 1;
        min-width: 0;
        font-family: var(--wc-mono);
        font-size: 14px;
        min-height: 34px;
      }
      .url-row button {
        min-height: 34px;
        padding: 4px 18px;
      }
      .field {
        display: flex;
        flex-direction: column;
        gap: 3px;
        min-width: 0;
      }
      .field > label {
        font-weight: 600;
        font-size: var(--wc-font-size-small);
      }
      fieldset {
        border: 1px solid var(--wc-border);
        border-radius: var(--wc-radius);
        background: var(--wc-surface);
        margin: 16px 0 0;
        padding: 10px 14px 14px;
      }
      legend {
        font-weight: 700;
        padding: 0 6px;
        font-size: 12px;
        text-transform: uppercase;
        letter-spacing: 0.05em;
        color: var(--wc-text-muted);
      }
      .grid2 {
        display: grid;
        grid-template-columns: 1fr 1fr;
        gap: 12px 16px;
      }
      @media (max-width: 760px) {
        .grid2 {
          grid-template-columns: 1fr;
        }
      }
      .checks {
        display: flex;
        flex-wrap: wrap;
        gap: 8px 20px;
        margin-top: 12px;
      }
      .checks label {
        display: flex;
        align-items: center;
        gap: 6px;
      }
      table {
        width: 100%;
        border-collapse: collapse;
        margin-top: 4px;
      }
      th {
        text-align: left;
        font-size: var(--wc-font-size-small);
        color: var(--wc-text-muted);
        font-weight: 600;
        padding: 2px 4px;
      }
      td {
        padding: 2px 4px;
        vertical-align: top;
      }
      td input {
        width: 100%;
        font-family: var(--wc-mono);
        font-size: var(--wc-font-size-small);
      }
      td.act {
        width: 1%;
        white-space: nowrap;
      }
      .headers-head {
        display: flex;
        align-items: center;
        justify-content: space-between;
        margin-top: 12px;
      }
      .headers-head span {
        font-weight: 600;
        font-size: var(--wc-font-size-small);
      }
      .alert {
        margin: 12px 0 0;
        padding: 8px 12px;
        border-radius: var(--wc-radius-small);
        background: var(--wc-danger-soft);
        color: var(--wc-danger);
      }
      .alert:empty {
        display: none;
      }
      .file-row {
        display: flex;
        gap: 8px;
        align-items: center;
        flex-wrap: wrap;
      }
      .field.ca {
        margin-top: 10px;
      }
      .examples {
        margin-top: 4px;
        color: var(--wc-text-muted);
        font-size: var(--wc-font-size-small);
      }
    `,
  ];

  override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('initial') && this.initial) this.draft = draftFromOptions(this.initial);
  }

  #set(patch: Partial<FormDraft>, field?: Field): void {
    this.draft = { ...this.draft, ...patch };
    if (field && !this.touched.has(field)) this.touched = new Set([...this.touched, field]);
  }

  /** Errors are shown for a field once it was edited, and for every field after a submit attempt. */
  #err(errors: FormErrors, field: Field): string | undefined {
    if (!this.submitted && !this.touched.has(field)) return undefined;
    if (field === 'header') return errors.header?.message;
    return errors[field] as string | undefined;
  }

  #errorFor(id: string, message: string | undefined): TemplateResult | typeof nothing {
    return message ? html`<p class="field-error" id="${id}-error">${message}</p>` : nothing;
  }

  #describedBy(id: string, message: string | undefined, hint?: string): string | typeof nothing {
    const ids = [message ? `${id}-error` : '', hint ?? ''].filter(Boolean).join(' ');
    return ids || nothing;
  }

  override render(): TemplateResult {
    const v = validateDraft(this.draft);
    const errors: FormErrors = v.ok ? {} : v.errors;
    const urlErr = this.#err(errors, 'url');
    const protoErr = this.#err(errors, 'protocols');
    const originErr = this.#err(errors, 'origin');
    const keepErr = this.#err(errors, 'keepaliveSec');
    const maxErr = this.#err(errors, 'maxMessageMiB');
    const caErr = this.#err(errors, 'ca');
    const headerErr = this.submitted || this.touched.has('header') ? errors.header : undefined;
    const secure = /^\s*wss:/i.test(this.draft.url);
    return html`
      <form novalidate aria-labelledby="title" @submit=${this.#submit} @keydown=${this.#onKeyDown}>
        <h2 id="title">New connection</h2>
        <p class="intro">
          Enter the address of a WebSocket server and press Connect (Ctrl+Enter). Every frame and the exact
          handshake will be shown.
        </p>
        <div class="field url">
          <label for="url">URL</label>
          <!-- Input and button share one row under the label, so Connect lines up with the input. -->
          <div class="url-row">
            <input
              id="url"
              type="text"
              autocomplete="off"
              spellcheck="false"
              placeholder="ws://127.0.0.1:8080/"
              .value=${live(this.draft.url)}
              aria-invalid=${urlErr ? 'true' : 'false'}
              aria-describedby=${this.#describedBy('url', urlErr)}
              @input=${(e: Event) => this.#set({ url: (e.target as HTMLInputElement).value }, 'url')}
            />
            <button class="primary" type="submit" ?disabled=${this.busy}>${this.busy ? 'Connecting…' : 'Connect'}</button>
          </div>
          ${this.#errorFor('url', urlErr)}
        </div>
        <div class="alert" role="alert">${this.serverError ?? ''}</div>

        <fieldset>
          <legend>Handshake</legend>
          <div class="grid2">
            <div class="field">
              <label for="protocols">Subprotocols</label>
              <input
                id="protocols"
                type="text"
                spellcheck="false"
                placeholder="chat.v2, json"
                .value=${live(this.draft.protocols)}
                aria-invalid=${protoErr ? 'true' : 'false'}
                aria-describedby=${this.#describedBy('protocols', protoErr, 'protocols-hint')}
                @input=${(e: Event) => this.#set({ protocols: (e.target as HTMLInputElement).value }, 'protocols')}
              />
              <p class="hint" id="protocols-hint">In order of preference, separated by commas or spaces.</p>
              ${this.#errorFor('protocols', protoErr)}
            </div>
            <div class="field">
              <label for="origin">Origin</label>
              <input
                id="origin"
                type="text"
                spellcheck="false"
                placeholder="https://example.com (optional)"
                .value=${live(this.draft.origin)}
                aria-invalid=${originErr ? 'true' : 'false'}
                aria-describedby=${this.#describedBy('origin', originErr)}
                @input=${(e: Event) => this.#set({ origin: (e.target as HTMLInputElement).value }, 'origin')}
              />
              ${this.#errorFor('origin', originErr)}
            </div>
          </div>
          <div class="headers-head">
            <span id="headers-label">Headers</span>
            <button type="button" class="small" @click=${this.#addHeader}>Add header</button>
          </div>
          ${this.draft.headers.length === 0
            ? html`<p class="hint">No extra headers. Add Authorization, Cookie or any custom header.</p>`
            : html`<table aria-labelledby="headers-label">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Value</th>
                    <th scope="col"><span class="visually-hidden">Actions</span></th>
                  </tr>
                </thead>
                <tbody>
                  ${this.draft.headers.map((h, i) => this.#headerRow(h, i, headerErr?.index === i ? headerErr.message : undefined))}
                </tbody>
              </table>`}
        </fieldset>

        <fieldset>
          <legend>Connection</legend>
          <div class="grid2">
            <div class="field">
              <label for="keepalive">Keepalive ping interval (seconds)</label>
              <input
                id="keepalive"
                type="number"
                min="0"
                step="1"
                placeholder="0 = off"
                .value=${live(this.draft.keepaliveSec)}
                aria-invalid=${keepErr ? 'true' : 'false'}
                aria-describedby=${this.#describedBy('keepalive', keepErr)}
                @input=${(e: Event) => this.#set({ keepaliveSec: (e.target as HTMLInputElement).value }, 'keepaliveSec')}
              />
              ${this.#errorFor('keepalive', keepErr)}
            </div>
            <div class="field">
              <label for="maxmsg">Max message size (MB)</label>
              <input
                id="maxmsg"
                type="number"
                min="0"
                step="any"
                .value=${live(this.draft.maxMessageMiB)}
                aria-invalid=${maxErr ? 'true' : 'false'}
                aria-describedby=${this.#describedBy('maxmsg', maxErr)}
                @input=${(e: Event) => this.#set({ maxMessageMiB: (e.target as HTMLInputElement).value }, 'maxMessageMiB')}
              />
              ${this.#errorFor('maxmsg', maxErr)}
            </div>
          </div>
          <div class="checks">
            <label
              ><input
                type="checkbox"
                .checked=${live(this.draft.deflate)}
                @change=${(e: Event) => this.#set({ deflate: (e.target as HTMLInputElement).checked })}
              />permessage-deflate (RFC 7692)</label
            >
            <label
              ><input
                type="checkbox"
                .checked=${live(this.draft.autoPong)}
                @change=${(e: Event) => this.#set({ autoPong: (e.target as HTMLInputElement).checked })}
              />Answer pings automatically</label
            >
          </div>
        </fieldset>

        <fieldset>
          <legend>TLS (wss:// only)</legend>
          ${!secure ? html`<p class="hint">These settings apply when the URL starts with wss://.</p>` : nothing}
          <div class="checks">
            <label
              ><input
                type="checkbox"
                .checked=${live(this.draft.verifyTls)}
                @change=${(e: Event) => this.#set({ verifyTls: (e.target as HTMLInputElement).checked })}
              />Verify the server certificate</label
            >
          </div>
          ${!this.draft.verifyTls
            ? html`<p class="hint">Not verifying: anyone on the path could read and change the traffic.</p>`
            : nothing}
          <div class="field ca">
            <label for="ca">Custom CA certificate (PEM)</label>
            <div class="file-row">
              <input
                id="ca"
                type="file"
                accept=".pem,.crt,.cer,application/x-pem-file"
                aria-invalid=${caErr ? 'true' : 'false'}
                aria-describedby=${this.#describedBy('ca', caErr)}
                @change=${this.#onCaFile}
              />
              ${this.draft.caFileName
                ? html`<span class="muted">${this.draft.caFileName}</span>
                    <button type="button" class="small" @click=${this.#clearCa}>Remove CA</button>`
                : nothing}
            </div>
            ${this.#errorFor('ca', caErr)}
          </div>
        </fieldset>
      </form>
    `;
  }

  #headerRow(h: HeaderEntry, i: number, error: string | undefined): TemplateResult {
    const id = `h${i}`;
    return html`<tr>
      <td>
        <input
          type="text"
          spellcheck="false"
          aria-label="Header ${i + 1} name"
          placeholder="Authorization"
          .value=${h.name}
          aria-invalid=${error ? 'true' : 'false'}
          aria-describedby=${error ? `${id}-error` : nothing}
          @input=${(e: Event) => this.#setHeader(i, { name: (e.target as HTMLInputElement).value })}
        />
        ${error ? html`<p class="field-error" id="${id}-error">${error}</p>` : nothing}
      </td>
      <td>
        <input
          type="text"
          spellcheck="false"
          aria-label="Header ${i + 1} value"
          .value=${h.value}
          @input=${(e: Event) => this.#setHeader(i, { value: (e.target as HTMLInputElement).value })}
        />
      </td>
      <td class="act">
        <button type="button" class="small" aria-label="Remove header ${i + 1}" @click=${() => this.#removeHeader(i)}>
          Remove
        </button>
      </td>
    </tr>`;
  }

  #addHeader = async (): Promise<void> => {
    this.#set({ headers: [...this.draft.headers, { name: '', value: '' }] });
    await this.updateComplete;
    const inputs = this.renderRoot.querySelectorAll<HTMLInputElement>('tbody tr:last-child input');
    inputs[0]?.focus();
  };

  #setHeader(i: number, patch: Partial<HeaderEntry>): void {
    this.#set({ headers: this.draft.headers.map((h, j) => (j === i ? { ...h, ...patch } : h)) }, 'header');
  }

  #removeHeader(i: number): void {
    this.#set({ headers: this.draft.headers.filter((_, j) => j !== i) }, 'header');
  }

  #onCaFile = async (e: Event): Promise<void> => {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    try {
      const text = await file.text();
      this.#set({ caPem: text, caFileName: file.name }, 'ca');
    } catch (err) {
      this.#set({ caPem: '', caFileName: file.name }, 'ca');
      this.serverError = `Could not read ${file.name}: ${(err as Error).message}`;
    }
  };

  #clearCa = (): void => {
    this.#set({ caPem: null, caFileName: null }, 'ca');
    const input = this.renderRoot.querySelector<HTMLInputElement>('#ca');
    if (input) input.value = '';
  };

  #onKeyDown = (e: KeyboardEvent): void => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      this.submit();
    }
  };

  #submit = (e: Event): void => {
    e.preventDefault();
    this.submit();
  };

  /** Validate everything; emit wc-connect only when valid, else show every error and focus the first. */
  submit(): void {
    if (this.busy) return;
    this.submitted = true;
    const v = validateDraft(this.draft);
    if (!v.ok) {
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    fire(this, 'wc-connect', v.options);
  }
}

customElements.define('wc-connection-form', ConnectionForm);
declare global {
  interface HTMLElementTagNameMap {
    'wc-connection-form': ConnectionForm;
  }
}
