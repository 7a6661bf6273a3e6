// <wc-frame-log>: every frame in both directions, control frames included, as a virtualized grid
// (RFC 6455 §5.2 header fields per row). Filters by direction, opcode and text / regex (an invalid
// regex is explained, never thrown). Selecting a row shows <wc-frame-detail>. Frames of one
// fragmented message are drawn as a bracket in the "Msg" column (messageSeq / fragmentIndex).
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { virtualize, type VirtualizerHostElement } from '@lit-labs/virtualizer/virtualize.js';
import type { FrameRecord } from '../../../shared/model.ts';
import { isControlOpcode, Opcode, opcodeName } from '../../../shared/protocol-constants.ts';
import { payloadKey, type PayloadEntry } from '../../state/store.ts';
import {
  CompressedMessages,
  framePreview,
  IncrementalFrameFilter,
  lowerBound,
  makeFramePredicate,
  NO_FILTER,
  type DirFilter,
  type FrameFilter,
  type OpcodeFilter,
} from '../../state/frames.ts';
import { formatClock, formatInteger, formatRelativeMs } from '../../state/format.ts';
import { baseStyles } from '../../ui/shared-styles.ts';
import { fire } from '../../ui/events.ts';
import { scrollToIndex } from '../../ui/virtual-scroll.ts';
import { TailFollower } from '../../ui/tail-follower.ts';
import '../frame-detail/frame-detail.ts';

const OPCODE_OPTIONS: { value: OpcodeFilter; label: string }[] = [
  { value: 'all', label: 'All opcodes' },
  { value: 'data', label: 'Data frames' },
  { value: 'control', label: 'Control frames' },
  { value: String(Opcode.Text) as OpcodeFilter, label: 'TEXT' },
  { value: String(Opcode.Binary) as OpcodeFilter, label: 'BINARY' },
  { value: String(Opcode.Continuation) as OpcodeFilter, label: 'CONT' },
  { value: String(Opcode.Close) as OpcodeFilter, label: 'CLOSE' },
  { value: String(Opcode.Ping) as OpcodeFilter, label: 'PING' },
  { value: String(Opcode.Pong) as OpcodeFilter, label: 'PONG' },
];
const ROWS_PER_PAGE = 20;

export class FrameLog extends LitElement {
  static override properties = {
    frames: { attribute: false },
    total: { type: Number },
    startedAt: { type: Number },
    selectedSeq: { type: Number },
    payloads: { attribute: false },
    filter: { state: true },
    absoluteTime: { state: true },
    following: { state: true },
  };

  declare frames: readonly FrameRecord[];
  declare total: number;
  /** Connection start (ms since epoch): frame times are shown relative to it. */
  declare startedAt: number;
  declare selectedSeq: number | null;
  declare payloads: Readonly<Record<string, PayloadEntry>>;
  declare filter: FrameFilter;
  declare absoluteTime: boolean;
  declare following: boolean;

  #filterer = new IncrementalFrameFilter();
  readonly #compressed = new CompressedMessages();
  readonly #follower = new TailFollower((following) => (this.following = following));
  #visible: readonly FrameRecord[] = [];

  constructor() {
    super();
    this.frames = [];
    this.total = 0;
    this.startedAt = 0;
    this.selectedSeq = null;
    this.payloads = {};
    this.filter = NO_FILTER;
    this.absoluteTime = false;
    this.following = true;
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
      .wrap {
        display: flex;
        flex-direction: column;
        height: 100%;
        min-height: 0;
      }
      .filters {
        display: flex;
        flex-wrap: wrap;
        gap: 6px 10px;
        align-items: flex-start;
        padding: 6px var(--wc-pad);
        border-bottom: 1px solid var(--wc-border);
        background: var(--wc-surface);
      }
      .filters .search {
        display: flex;
        flex-direction: column;
        flex: 1;
        min-width: 180px;
      }
      .filters .search input {
        width: 100%;
      }
      .filters label.check {
        display: flex;
        gap: 4px;
        align-items: center;
        min-height: 28px;
      }
      .summary {
        color: var(--wc-text-muted);
        font-size: var(--wc-font-size-small);
        min-height: 28px;
        display: flex;
        align-items: center;
        font-variant-numeric: tabular-nums;
      }
      .grid {
        flex: 1 1 60%;
        min-height: 120px;
        display: flex;
        flex-direction: column;
        background: var(--wc-surface);
      }
      .r {
        display: grid;
        grid-template-columns: 52px 112px 38px 78px 40px 46px 96px 70px 70px minmax(120px, 1fr);
        align-items: center;
        width: 100%;
        height: 24px;
        font-family: var(--wc-mono);
        font-size: var(--wc-font-size-small);
        border-bottom: 1px solid var(--wc-surface-2);
        cursor: default;
      }
      .r > * {
        padding: 0 6px;
        white-space: nowrap;
        overflow: hidden;
        text-overflow: ellipsis;
      }
      .head {
        font-family: var(--wc-font);
        font-weight: 600;
        color: var(--wc-text-muted);
        background: var(--wc-surface-2);
        border-bottom: 1px solid var(--wc-border);
        height: 26px;
      }
      .body {
        flex: 1;
        min-height: 0;
        overflow: auto;
      }
      .body .r:hover {
        background: var(--wc-row-hover);
      }
      .body .r[aria-selected='true'] {
        background: var(--wc-row-selected);
      }
      /* On the selection colour, the direction/opcode hues lack contrast: plain text colour there. */
      .body .r[aria-selected='true'] > * {
        color: var(--wc-text);
      }
      .body .r:focus-visible {
        outline: 2px solid var(--wc-focus);
        outline-offset: -2px;
      }
      .num {
        text-align: right;
        font-variant-numeric: tabular-nums;
      }
      .out {
        color: var(--wc-out);
      }
      .in {
        color: var(--wc-in);
      }
      .ctl {
        color: var(--wc-warn);
        font-weight: 600;
      }
      .op-close {
        color: var(--wc-danger);
        font-weight: 600;
      }
      .bad {
        color: var(--wc-danger);
        font-weight: 700;
      }
      .dim {
        color: var(--wc-text-muted);
      }
      .grp {
        color: var(--wc-accent);
      }
      wc-frame-detail {
        flex: 0 1 40%;
        min-height: 120px;
        border-top: 2px solid var(--wc-border);
      }
    `,
  ];

  #setFilter(patch: Partial<FrameFilter>): void {
    this.filter = { ...this.filter, ...patch };
  }

  override render(): TemplateResult {
    this.#compressed.update(this.frames);
    const pred = makeFramePredicate(this.filter, (f) => this.#compressed.has(f));
    const visible = pred.ok && pred.active ? this.#filterer.run(this.frames, this.filter, pred.test) : pred.ok ? this.frames : [];
    this.#visible = visible;
    // Frames are sorted by seq: a binary search, not a scan of up to 100,000 rows per render.
    const at = this.selectedSeq === null ? -1 : lowerBound(this.frames, this.selectedSeq);
    const selected = at >= 0 && this.frames[at]?.seq === this.selectedSeq ? this.frames[at] : null;
    return html`
      <section class="wrap" aria-label="Frame log" role="region">
        <div class="filters">
          <label class="visually-hidden" for="dir">Direction</label>
          <select
            id="dir"
            .value=${this.filter.dir}
            @change=${(e: Event) => this.#setFilter({ dir: (e.target as HTMLSelectElement).value as DirFilter })}
          >
            <option value="all">Both directions</option>
            <option value="out">↑ Sent</option>
            <option value="in">↓ Received</option>
          </select>
          <label class="visually-hidden" for="op">Opcode</label>
          <select
            id="op"
            .value=${this.filter.opcode}
            @change=${(e: Event) => this.#setFilter({ opcode: (e.target as HTMLSelectElement).value as OpcodeFilter })}
          >
            ${OPCODE_OPTIONS.map((o) => html`<option value=${o.value}>${o.label}</option>`)}
          </select>
          <div class="search">
            <label class="visually-hidden" for="q">Filter frames</label>
            <input
              id="q"
              type="search"
              placeholder=${this.filter.regex ? 'Regular expression, e.g. "type":"(join|leave)"' : 'Filter by payload text'}
              .value=${this.filter.query}
              aria-invalid=${pred.ok ? 'false' : 'true'}
              aria-describedby=${pred.ok ? nothing : 'q-error'}
              @input=${(e: Event) => this.#setFilter({ query: (e.target as HTMLInputElement).value })}
            />
            ${pred.ok ? nothing : html`<p class="field-error" id="q-error" role="alert">${pred.error}</p>`}
          </div>
          <label class="check"
            ><input
              type="checkbox"
              .checked=${this.filter.regex}
              @change=${(e: Event) => this.#setFilter({ regex: (e.target as HTMLInputElement).checked })}
            />Regex</label
          >
          <button
            aria-pressed=${this.absoluteTime ? 'true' : 'false'}
            @click=${() => (this.absoluteTime = !this.absoluteTime)}
            title="Show times relative to the connection start, or as wall-clock time"
          >
            Absolute time
          </button>
          <span class="summary" data-testid="frame-count"
            >${pred.ok && pred.active
              ? `${formatInteger(visible.length)} of ${formatInteger(this.frames.length)} frames`
              : `${formatInteger(this.total)} frames`}</span
          >
        </div>
        <div class="grid" role="grid" aria-label="Frames" aria-rowcount=${visible.length + 1}>
          <div role="rowgroup">
            <div class="r head" role="row" aria-rowindex="1">
              <span role="columnheader" class="num">#</span>
              <span role="columnheader">${this.absoluteTime ? 'Time' : 'Time (ms)'}</span>
              <span role="columnheader" title="Direction">Dir</span>
              <span role="columnheader">Opcode</span>
              <span role="columnheader">FIN</span>
              <span role="columnheader" title="RSV1 RSV2 RSV3">RSV</span>
              <span role="columnheader">MASK</span>
              <span role="columnheader" class="num">Length</span>
              <span role="columnheader" title="Message and fragment">Msg</span>
              <span role="columnheader">Preview</span>
            </div>
          </div>
          <div class="body" role="rowgroup" @keydown=${this.#onKeyDown}>
            ${visible.length === 0
              ? html`<div class="empty" role="row">
                  <span role="gridcell">
                    ${this.frames.length === 0
                      ? 'No frames yet. Every frame sent or received — data and control — appears here.'
                      : 'No frame matches the filters.'}
                  </span>
                </div>`
              : virtualize({
                  items: visible as FrameRecord[],
                  keyFunction: (f: FrameRecord) => f.seq,
                  renderItem: (f: FrameRecord, i: number) => this.#row(f, i),
                  scroller: true,
                })}
          </div>
        </div>
        <wc-frame-detail
          .frame=${selected}
          .payload=${selected ? this.payloads[payloadKey('frame', selected.seq)] : undefined}
          .startedAt=${this.startedAt}
          .inCompressedMessage=${selected ? this.#compressed.has(selected) : false}
        ></wc-frame-detail>
      </section>
    `;
  }

  #row(f: FrameRecord, i: number): TemplateResult {
    const selected = f.seq === this.selectedSeq;
    const ctl = isControlOpcode(f.opcode);
    const opClass = f.opcode === Opcode.Close ? 'op-close' : ctl ? 'ctl' : f.opcode > Opcode.Binary && !ctl ? 'bad' : '';
    const rsv = `${f.rsv1 ? '1' : '·'}${f.rsv2 ? '2' : '·'}${f.rsv3 ? '3' : '·'}`;
    const time = this.absoluteTime ? formatClock(f.time) : formatRelativeMs(f.time, this.startedAt).replace(' ms', '');
    return html`<div
      class="r"
      role="row"
      id="frame-${f.seq}"
      aria-rowindex=${i + 2}
      aria-selected=${selected ? 'true' : 'false'}
      tabindex=${selected || (this.selectedSeq === null && i === 0) ? '0' : '-1'}
      @click=${() => this.#select(f.seq)}
    >
      <span role="gridcell" class="num dim">${f.seq}</span>
      <span role="gridcell" class="num" title=${this.absoluteTime ? formatRelativeMs(f.time, this.startedAt) : formatClock(f.time)}
        >${time}</span
      >
      <span role="gridcell" class=${f.dir} aria-label=${f.dir === 'out' ? 'sent' : 'received'}
        >${f.dir === 'out' ? '↑' : '↓'}</span
      >
      <span role="gridcell" class=${opClass}>${opcodeName(f.opcode)}</span>
      <span role="gridcell" class=${f.fin ? '' : 'dim'}>${f.fin ? '1' : '0'}</span>
      <span role="gridcell" class=${f.rsv1 || f.rsv2 || f.rsv3 ? '' : 'dim'} title="RSV1 RSV2 RSV3">${rsv}</span>
      <span role="gridcell" class=${f.masked ? '' : 'dim'}>${f.masked ? (f.maskKey ?? '1') : '0'}</span>
      <span role="gridcell" class="num">${formatInteger(f.payloadLength)}</span>
      <span role="gridcell" class="grp" title=${this.#groupTitle(f)}>${this.#group(f)}</span>
      <span role="gridcell">${framePreview(f, this.#compressed.has(f))}</span>
    </div>`;
  }

  /** Bracket for fragmented messages: ┌ first, ├ middle, └ last (RFC 6455 §5.4). */
  #group(f: FrameRecord): string {
    if (f.messageSeq === undefined) return '';
    const idx = f.fragmentIndex ?? 0;
    const fragmented = idx > 0 || !f.fin;
    // messageSeq counts messages per direction, so the arrow is part of the name.
    const name = `${f.dir === 'out' ? '↑' : '↓'}${f.messageSeq}`;
    if (!fragmented) return name;
    const glyph = idx === 0 ? '┌' : f.fin ? '└' : '├';
    return `${glyph} ${name}.${idx + 1}`;
  }

  #groupTitle(f: FrameRecord): string {
    if (f.messageSeq === undefined) return isControlOpcode(f.opcode) ? 'Control frame (not part of a message)' : '';
    return `${f.dir === 'out' ? 'Sent' : 'Received'} message ${f.messageSeq}, fragment ${(f.fragmentIndex ?? 0) + 1}${f.fin ? ' (final)' : ''}`;
  }

  #select(seq: number | null): void {
    this.selectedSeq = seq;
    fire(this, 'wc-select-frame', { seq });
  }

  get #body(): (HTMLElement & VirtualizerHostElement) | null {
    return this.renderRoot.querySelector<HTMLElement & VirtualizerHostElement>('.body');
  }

  /** Arrow keys move the selection like a list; Home/End jump; PageUp/PageDown by a page. */
  #onKeyDown = (e: KeyboardEvent): void => {
    const rows = this.#visible;
    if (rows.length === 0) return;
    const cur = this.selectedSeq === null ? -1 : rows.findIndex((f) => f.seq === this.selectedSeq);
    let next: number;
    switch (e.key) {
      case 'ArrowDown':
        next = Math.min(rows.length - 1, cur + 1);
        break;
      case 'ArrowUp':
        next = Math.max(0, cur - 1);
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = rows.length - 1;
        break;
      case 'PageDown':
        next = Math.min(rows.length - 1, cur + ROWS_PER_PAGE);
        break;
      case 'PageUp':
        next = Math.max(0, cur - ROWS_PER_PAGE);
        break;
      default:
        return;
    }
    e.preventDefault();
    this.#select(rows[next].seq);
    void this.#focusRow(next, rows[next].seq);
  };

  async #focusRow(index: number, seq: number): Promise<void> {
    scrollToIndex(this.#body, index, 'nearest');
    await this.updateComplete;
    await new Promise((r) => requestAnimationFrame(r));
    this.renderRoot.querySelector<HTMLElement>(`#frame-${seq}`)?.focus({ preventScroll: true });
  }

  override updated(): void {
    this.#follower.attach(this.#body);
    // Follow new frames while the user is at the bottom and has nothing selected.
    if (this.selectedSeq === null) this.#follower.itemsChanged(this.#visible.length);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#follower.detach();
  }
}

customElements.define('wc-frame-log', FrameLog);
declare global {
  interface HTMLElementTagNameMap {
    'wc-frame-log': FrameLog;
  }
}
