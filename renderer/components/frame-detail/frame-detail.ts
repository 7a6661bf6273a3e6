// <wc-frame-detail>: every header bit of one frame (RFC 6455 §5.2) and a hex dump of its payload
// (unmasked). For compressed frames it shows the wire size next to the inflated message size.
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import type { FrameRecord } from '../../../shared/model.ts';
import { isControlOpcode, Opcode, opcodeName } from '../../../shared/protocol-constants.ts';
import type { PayloadEntry } from '../../state/store.ts';
import {
  base64ToBytes,
  describeClosePayload,
  formatBytes,
  formatClock,
  formatInteger,
  formatRelativeMs,
  hexDump,
  utf8DecodeLenient,
} from '../../state/format.ts';
import { baseStyles } from '../../ui/shared-styles.ts';
import { fire } from '../../ui/events.ts';

/** The hex dump shows at most this much; beyond it the user can still copy base64. */
export const DETAIL_MAX_HEX_BYTES = 64 * 1024;
const TEXT_PREVIEW_CHARS = 4096;

export class FrameDetail extends LitElement {
  static override properties = {
    frame: { attribute: false },
    payload: { attribute: false },
    startedAt: { type: Number },
    inCompressedMessage: { type: Boolean },
  };

  declare frame: FrameRecord | null;
  /** The full payload if it was fetched (getPayload), else undefined. */
  declare payload: PayloadEntry | undefined;
  declare startedAt: number;
  /** The frame belongs to a compressed message (RSV1 is only set on its first frame, RFC 7692 §6.1). */
  declare inCompressedMessage: boolean;

  constructor() {
    super();
    this.frame = null;
    this.payload = undefined;
    this.startedAt = 0;
    this.inCompressedMessage = false;
  }

  static override styles = [
    baseStyles,
    css`
      :host(:focus-visible) {
        outline: 2px solid var(--wc-focus);
        outline-offset: -2px;
      }
      :host {
        display: block;
        overflow: auto;
        padding: 8px var(--wc-pad) 12px;
        background: var(--wc-surface);
      }
      h3 {
        font-size: 13px;
        margin: 0 0 6px;
        display: flex;
        gap: 8px;
        align-items: center;
      }
      dl {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(150px, 1fr));
        gap: 4px 16px;
        margin: 0 0 10px;
      }
      dl div {
        display: flex;
        gap: 6px;
        align-items: baseline;
        min-width: 0;
      }
      dt {
        color: var(--wc-text-muted);
        font-size: var(--wc-font-size-small);
        white-space: nowrap;
      }
      dd {
        margin: 0;
        font-family: var(--wc-mono);
        font-size: var(--wc-font-size-small);
        overflow-wrap: anywhere;
      }
      .on {
        color: var(--wc-ok);
        font-weight: 700;
      }
      .off {
        color: var(--wc-text-muted);
      }
      .dump {
        background: var(--wc-surface-2);
        border: 1px solid var(--wc-border);
        border-radius: var(--wc-radius-small);
        padding: 8px;
        white-space: pre;
        overflow: auto;
      }
      .row {
        display: flex;
        gap: 8px;
        align-items: center;
        margin: 6px 0;
      }
      .note {
        color: var(--wc-warn);
        font-size: var(--wc-font-size-small);
        margin: 4px 0;
      }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    // The pane scrolls on its own (overflow: auto) and may hold nothing focusable, so keyboard users
    // could not scroll it (WCAG 2.1.1; axe "scrollable-region-focusable"): make it a focusable,
    // named region. Added by the e2e helper after the axe scan flagged it.
    if (!this.hasAttribute('tabindex')) this.tabIndex = 0;
    if (!this.hasAttribute('role')) this.setAttribute('role', 'region');
    if (!this.hasAttribute('aria-label')) this.setAttribute('aria-label', 'Frame detail');
  }

  override render(): TemplateResult {
    const f = this.frame;
    if (!f) {
      return html`<div class="empty">
        <strong>No frame selected</strong>
        <span>Select a row in the frame log to see every header bit and the payload bytes.</span>
      </div>`;
    }
    const bit = (on: boolean) => html`<span class=${on ? 'on' : 'off'}>${on ? '1' : '0'}</span>`;
    const full = this.payload?.state === 'ok' ? base64ToBytes(this.payload.base64) : null;
    const bytes = full ?? base64ToBytes(f.payload.base64);
    const complete = full !== null || !f.payload.truncated;
    return html`
      <h3>
        Frame ${f.seq}
        <span class="badge">${f.dir === 'out' ? '↑ sent' : '↓ received'}</span>
        <span class="badge">${opcodeName(f.opcode)}</span>
        ${f.crafted ? html`<span class="badge">crafted</span>` : nothing}
      </h3>
      <dl>
        <div><dt>Time</dt><dd title=${formatClock(f.time)}>${formatRelativeMs(f.time, this.startedAt)}</dd></div>
        <div><dt>Absolute</dt><dd>${formatClock(f.time)}</dd></div>
        <div><dt>FIN</dt><dd>${bit(f.fin)}</dd></div>
        <div><dt>RSV1</dt><dd>${bit(f.rsv1)}${f.rsv1 ? ' (compressed)' : ''}</dd></div>
        <div><dt>RSV2</dt><dd>${bit(f.rsv2)}</dd></div>
        <div><dt>RSV3</dt><dd>${bit(f.rsv3)}</dd></div>
        <div><dt>Opcode</dt><dd>0x${f.opcode.toString(16).toUpperCase()} ${opcodeName(f.opcode)}</dd></div>
        <div><dt>MASK</dt><dd>${bit(f.masked)}</dd></div>
        <div><dt>Masking key</dt><dd>${f.maskKey ?? '—'}</dd></div>
        <div><dt>Header</dt><dd>${f.headerLength} bytes</dd></div>
        <div><dt>Payload (wire)</dt><dd>${formatInteger(f.payloadLength)} bytes</dd></div>
        ${f.inflatedLength !== undefined
          ? html`<div><dt>Inflated message</dt><dd>${formatInteger(f.inflatedLength)} bytes</dd></div>`
          : nothing}
        ${f.messageSeq !== undefined
          ? html`<div><dt>Message</dt><dd>#${f.messageSeq}${f.fragmentIndex !== undefined ? `, fragment ${f.fragmentIndex + 1}${f.fin ? ' (last)' : ''}` : ''}</dd></div>`
          : nothing}
        ${f.opcode === Opcode.Close
          ? html`<div><dt>Close</dt><dd>${describeClosePayload(bytes)}</dd></div>`
          : nothing}
      </dl>
      ${(f.rsv1 || this.inCompressedMessage) && !isControlOpcode(f.opcode)
        ? html`<p class="hint">
            Payload below is the compressed wire bytes (${formatBytes(f.payloadLength)}); the inflated message is
            ${f.inflatedLength !== undefined ? formatBytes(f.inflatedLength) : 'shown in the chat view'} (RFC 7692 §7.2).
          </p>`
        : nothing}
      <div class="row">
        <strong>Payload</strong>
        <span class="muted">${formatInteger(f.payload.length)} bytes, unmasked</span>
        ${!complete
          ? html`<button
              class="small"
              ?disabled=${this.payload?.state === 'loading'}
              @click=${() => fire(this, 'wc-load-payload', { kind: 'frame', seq: f.seq })}
            >
              Load full payload
            </button>`
          : nothing}
      </div>
      ${this.payload?.state === 'error' ? html`<p class="note" role="alert">${this.payload.message}</p>` : nothing}
      ${!complete ? html`<p class="note">Showing the first ${formatInteger(bytes.length)} bytes.</p>` : nothing}
      ${bytes.length > 0
        ? html`<pre class="dump" aria-label="Payload hex dump">${hexDump(bytes, DETAIL_MAX_HEX_BYTES)}</pre>
            ${bytes.length > DETAIL_MAX_HEX_BYTES
              ? html`<p class="note">Hex dump limited to the first ${formatBytes(DETAIL_MAX_HEX_BYTES)}.</p>`
              : nothing}
            ${(f.opcode === Opcode.Text || f.opcode === Opcode.Continuation) && !f.rsv1 && !this.inCompressedMessage
              ? html`<div class="row"><strong>As text</strong></div>
                  <pre class="dump">${utf8DecodeLenient(bytes.subarray(0, TEXT_PREVIEW_CHARS * 4)).slice(0, TEXT_PREVIEW_CHARS)}</pre>`
              : nothing}`
        : html`<p class="muted">Empty payload.</p>`}
    `;
  }
}

customElements.define('wc-frame-detail', FrameDetail);
declare global {
  interface HTMLElementTagNameMap {
    'wc-frame-detail': FrameDetail;
  }
}
