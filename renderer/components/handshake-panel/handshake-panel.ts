// <wc-handshake-panel>: the opening handshake exactly as it went over the wire (RFC 6455 §4.1,
// §4.2.2), what was negotiated (subprotocol, extensions incl. RFC 7692 parameters), timings and TLS.
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import type { ConnectionSnapshot } from '../../../shared/model.ts';
import { baseStyles } from '../../ui/shared-styles.ts';

function ms(v: number | undefined): string {
  return v === undefined ? '—' : `${v.toFixed(1)} ms`;
}

export class HandshakePanel extends LitElement {
  static override properties = {
    snapshot: { attribute: false },
  };

  declare snapshot: ConnectionSnapshot | null;

  constructor() {
    super();
    this.snapshot = null;
  }

  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
        height: 100%;
        overflow: auto;
        padding: var(--wc-pad);
      }
      .cards {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(260px, 1fr));
        gap: var(--wc-pad);
        margin-bottom: var(--wc-pad);
      }
      .card {
        background: var(--wc-surface);
        border: 1px solid var(--wc-border);
        border-radius: var(--wc-radius);
        padding: 10px 12px;
      }
      h3 {
        margin: 0 0 8px;
        font-size: 12px;
        text-transform: uppercase;
        letter-spacing: 0.05em;
        color: var(--wc-text-muted);
      }
      dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 3px 12px;
        margin: 0;
      }
      dt {
        color: var(--wc-text-muted);
      }
      dd {
        margin: 0;
        font-family: var(--wc-mono);
        font-size: var(--wc-font-size-small);
        overflow-wrap: anywhere;
      }
      .wire {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(380px, 1fr));
        gap: var(--wc-pad);
      }
      pre {
        background: var(--wc-surface);
        border: 1px solid var(--wc-border);
        border-radius: var(--wc-radius);
        padding: 10px 12px;
        white-space: pre-wrap;
      }
      .status-ok {
        color: var(--wc-ok);
      }
      .status-bad {
        color: var(--wc-danger);
      }
    `,
  ];

  override render(): TemplateResult {
    const h = this.snapshot?.handshake;
    if (!h) {
      return html`<div class="empty">
        <strong>No handshake yet</strong>
        <span>The exact HTTP Upgrade request and the server's response appear here once the connection starts.</span>
      </div>`;
    }
    const ok = h.statusCode === 101;
    const t = h.timings;
    const total = (t.tcpMs ?? 0) + (t.tlsMs ?? 0) + (t.handshakeMs ?? 0);
    return html`
      <div class="cards">
        <section class="card" aria-labelledby="neg">
          <h3 id="neg">Negotiated</h3>
          <dl>
            <dt>Status</dt>
            <dd class=${ok ? 'status-ok' : 'status-bad'}>${h.statusCode ?? '—'} ${h.statusText ?? ''}</dd>
            <dt>Subprotocol</dt>
            <dd>${h.protocol ?? 'none'}</dd>
            <dt>Extensions</dt>
            <dd>${h.extensions || 'none'}</dd>
            ${h.deflate
              ? html`<dt>Deflate</dt>
                  <dd>
                    server window ${h.deflate.serverMaxWindowBits} bits, client window ${h.deflate.clientMaxWindowBits}
                    bits${h.deflate.serverNoContextTakeover ? ', server_no_context_takeover' : ''}${h.deflate
                      .clientNoContextTakeover
                      ? ', client_no_context_takeover'
                      : ''}
                  </dd>`
              : nothing}
            <dt>Remote</dt>
            <dd>${h.remoteAddress ? `${h.remoteAddress}:${h.remotePort ?? ''}` : '—'}</dd>
          </dl>
        </section>
        <section class="card" aria-labelledby="tim">
          <h3 id="tim">Timings</h3>
          <dl>
            <dt>TCP connect</dt>
            <dd>${ms(t.tcpMs)}</dd>
            <dt>TLS</dt>
            <dd>${t.tlsMs === undefined ? 'not used' : ms(t.tlsMs)}</dd>
            <dt>Handshake</dt>
            <dd>${ms(t.handshakeMs)}</dd>
            <dt>Total</dt>
            <dd>${ms(total)}</dd>
            <dt>Started</dt>
            <dd>${new Date(t.startedAt).toISOString()}</dd>
          </dl>
        </section>
        ${h.tls
          ? html`<section class="card" aria-labelledby="tls">
              <h3 id="tls">TLS</h3>
              <dl>
                <dt>Protocol</dt>
                <dd>${h.tls.protocol ?? '—'}</dd>
                <dt>Cipher</dt>
                <dd>${h.tls.cipher ?? '—'}</dd>
                <dt>Certificate</dt>
                <dd class=${h.tls.authorized ? 'status-ok' : 'status-bad'}>
                  ${h.tls.authorized ? 'verified' : `not verified${h.tls.authorizationError ? `: ${h.tls.authorizationError}` : ''}`}
                </dd>
                <dt>Subject</dt>
                <dd>${h.tls.peerSubject ?? '—'}</dd>
              </dl>
            </section>`
          : nothing}
      </div>
      <div class="wire">
        <section aria-labelledby="req">
          <h3 id="req">Request</h3>
          <pre aria-label="Handshake request">${h.requestText}</pre>
        </section>
        <section aria-labelledby="res">
          <h3 id="res">Response</h3>
          <pre aria-label="Handshake response">${h.responseText || '(no response received)'}</pre>
        </section>
      </div>
    `;
  }
}

customElements.define('wc-handshake-panel', HandshakePanel);
declare global {
  interface HTMLElementTagNameMap {
    'wc-handshake-panel': HandshakePanel;
  }
}
