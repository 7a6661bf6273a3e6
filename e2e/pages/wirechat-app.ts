// Page objects: the only place that knows how Wirechat's UI is found. Every locator is by role and
// accessible name (what a screen-reader user would hear), scoped to the part of the window it
// belongs to; specs speak in user actions (connect, send, ping, close) and user-visible results.
import { expect, type Locator, type Page } from '@playwright/test';
import type { HeaderEntry } from '../../shared/model.ts';

/** The tab label main gives a connection by default: host:port plus the request target. */
export function defaultLabel(url: string): string {
  const u = new URL(url);
  const target = u.pathname + u.search;
  return u.host + (target === '/' ? '' : target);
}

export interface ConnectFormInput {
  url: string;
  protocols?: string;
  headers?: HeaderEntry[];
  /** Offer permessage-deflate (the form's default is on). */
  deflate?: boolean;
  autoPong?: boolean;
  verifyTls?: boolean;
  /** A CA certificate file chosen with the file chooser. */
  caFile?: { name: string; pem: string };
}

export class ConnectionForm {
  readonly root: Locator;
  readonly url: Locator;
  readonly connectButton: Locator;
  readonly protocols: Locator;
  readonly origin: Locator;
  readonly addHeader: Locator;
  readonly deflate: Locator;
  readonly autoPong: Locator;
  readonly verifyTls: Locator;
  readonly caFile: Locator;
  /** Errors main reported for the connect command (the form's alert region). */
  readonly alert: Locator;

  constructor(page: Page) {
    this.root = page.getByRole('form', { name: 'New connection' });
    this.url = this.root.getByRole('textbox', { name: 'URL' });
    this.connectButton = this.root.getByRole('button', { name: /^Connect/ });
    this.protocols = this.root.getByRole('textbox', { name: 'Subprotocols' });
    this.origin = this.root.getByRole('textbox', { name: 'Origin' });
    this.addHeader = this.root.getByRole('button', { name: 'Add header' });
    this.deflate = this.root.getByRole('checkbox', { name: /permessage-deflate/ });
    this.autoPong = this.root.getByRole('checkbox', { name: 'Answer pings automatically' });
    this.verifyTls = this.root.getByRole('checkbox', { name: 'Verify the server certificate' });
    this.caFile = this.root.getByLabel('Custom CA certificate (PEM)');
    this.alert = this.root.getByRole('alert');
  }

  headerName(n: number): Locator {
    return this.root.getByRole('textbox', { name: `Header ${n} name` });
  }

  headerValue(n: number): Locator {
    return this.root.getByRole('textbox', { name: `Header ${n} value` });
  }

  async fill(input: ConnectFormInput): Promise<void> {
    await this.url.fill(input.url);
    if (input.protocols !== undefined) await this.protocols.fill(input.protocols);
    for (const [i, h] of (input.headers ?? []).entries()) {
      await this.addHeader.click();
      await this.headerName(i + 1).fill(h.name);
      await this.headerValue(i + 1).fill(h.value);
    }
    if (input.deflate !== undefined) await this.deflate.setChecked(input.deflate);
    if (input.autoPong !== undefined) await this.autoPong.setChecked(input.autoPong);
    if (input.verifyTls !== undefined) await this.verifyTls.setChecked(input.verifyTls);
    if (input.caFile) {
      await this.caFile.setInputFiles({ name: input.caFile.name, mimeType: 'application/x-pem-file', buffer: Buffer.from(input.caFile.pem) });
    }
  }
}

export interface FrameRowCells {
  seq: string;
  dir: string;
  opcode: string;
  fin: string;
  rsv: string;
  mask: string;
  length: string;
  msg: string;
  preview: string;
}

export class ConnectionPanel {
  readonly page: Page;
  readonly root: Locator;
  readonly label: string;
  readonly state: Locator;
  readonly errors: Locator;
  readonly views: Locator;
  // Chat
  readonly conversation: Locator;
  readonly messageCount: Locator;
  // Composer
  readonly message: Locator;
  readonly send: Locator;
  readonly pingPayload: Locator;
  readonly ping: Locator;
  readonly closeCode: Locator;
  readonly closeReason: Locator;
  readonly close: Locator;
  readonly reconnect: Locator;
  readonly closeTab: Locator;
  // Frames
  readonly frameLog: Locator;
  readonly frameGrid: Locator;
  readonly frameDetail: Locator;
  // Handshake
  readonly handshakeRequest: Locator;
  readonly handshakeResponse: Locator;

  constructor(page: Page, label: string) {
    this.page = page;
    this.label = label;
    this.root = page.getByRole('tabpanel', { name: label, exact: true });
    this.state = this.root.getByRole('status', { name: 'Connection state' });
    this.errors = this.root.getByRole('alert', { name: 'Connection errors' });
    this.views = this.root.getByRole('tablist', { name: 'Views' });
    this.conversation = this.root.getByRole('region', { name: 'Conversation' });
    this.messageCount = this.root.getByTestId('message-count');
    this.message = this.root.getByRole('textbox', { name: 'Message', exact: true });
    this.send = this.root.getByRole('button', { name: 'Send', exact: true });
    this.pingPayload = this.root.getByRole('textbox', { name: 'Ping payload' });
    this.ping = this.root.getByRole('button', { name: 'Ping', exact: true });
    this.closeCode = this.root.getByRole('textbox', { name: 'Close code' });
    this.closeReason = this.root.getByRole('textbox', { name: 'Close reason' });
    this.close = this.root.getByRole('button', { name: 'Close', exact: true });
    this.reconnect = this.root.getByRole('button', { name: 'Reconnect' });
    this.closeTab = this.root.getByRole('button', { name: `Close tab ${label}` });
    this.frameLog = this.root.getByRole('region', { name: 'Frame log' });
    this.frameGrid = this.frameLog.getByRole('grid', { name: 'Frames' });
    this.frameDetail = this.frameLog.getByRole('region', { name: 'Frame detail' });
    this.handshakeRequest = this.root.getByLabel('Handshake request');
    this.handshakeResponse = this.root.getByLabel('Handshake response');
  }

  viewTab(name: 'Chat' | 'Frames' | 'Handshake'): Locator {
    return this.views.getByRole('tab', { name: new RegExp(`^${name}`) });
  }

  async showView(name: 'Chat' | 'Frames' | 'Handshake'): Promise<void> {
    await this.viewTab(name).click();
    await expect(this.viewTab(name)).toHaveAttribute('aria-selected', 'true');
  }

  async expectState(state: 'CONNECTING' | 'OPEN' | 'CLOSING' | 'CLOSED'): Promise<void> {
    await expect(this.state).toContainText(new RegExp(`^\\s*${state}\\b`));
  }

  // ---- chat --------------------------------------------------------------------------------

  /** Message bubbles in the conversation ("Sent text message 3", "Received binary message 4"). */
  messages(dir?: 'Sent' | 'Received', kind?: 'text' | 'binary'): Locator {
    const name = new RegExp(`^${dir ?? '(Sent|Received)'} ${kind ?? '(text|binary)'} message \\d+$`);
    return this.conversation.getByRole('article', { name });
  }

  /** The content block of one message bubble (text, pretty JSON or hex dump). */
  messageContent(bubble: Locator): Locator {
    return bubble.locator('pre').first();
  }

  async format(name: 'Text' | 'JSON' | 'Binary (hex)' | 'Binary (base64)'): Promise<void> {
    await this.root.getByRole('radiogroup', { name: 'Message format' }).getByRole('radio', { name, exact: true }).check();
  }

  async sendMessage(text: string): Promise<void> {
    await this.message.fill(text);
    await this.send.click();
  }

  // ---- frames ------------------------------------------------------------------------------

  /** Data rows of the frame grid (the header row is in the first rowgroup). */
  frameRows(): Locator {
    return this.frameGrid.getByRole('rowgroup').nth(1).getByRole('row');
  }

  /** Rows whose direction cell says "sent"/"received" and whose opcode cell is `opcode`. */
  frameRow(dir: 'sent' | 'received', opcode: string): Locator {
    return this.frameRows()
      .filter({ has: this.page.getByRole('gridcell', { name: dir, exact: true }) })
      .filter({ has: this.page.getByRole('gridcell', { name: opcode, exact: true }) });
  }

  async cells(row: Locator): Promise<FrameRowCells> {
    const c = await row.getByRole('gridcell').allInnerTexts();
    const [seq, , dir, opcode, fin, rsv, mask, length, msg, preview] = c.map((s) => s.trim());
    return { seq, dir, opcode, fin, rsv, mask, length, msg, preview };
  }

  /** A field of the frame detail ("Masking key", "Payload (wire)", "Inflated message", …). */
  detailField(term: string): Locator {
    return this.frameDetail.locator('dl > div').filter({ has: this.page.getByText(term, { exact: true }) }).locator('dd');
  }

  async selectFrame(row: Locator): Promise<void> {
    await row.click();
    await expect(row).toHaveAttribute('aria-selected', 'true');
  }
}

export class WirechatApp {
  readonly page: Page;
  readonly tabs: Locator;
  readonly newConnectionTab: Locator;
  readonly form: ConnectionForm;
  readonly shortcutsButton: Locator;

  constructor(page: Page) {
    this.page = page;
    this.tabs = page.getByRole('tablist', { name: 'Connections' });
    this.newConnectionTab = this.tabs.getByRole('tab', { name: 'New connection' });
    this.form = new ConnectionForm(page);
    this.shortcutsButton = page.getByRole('button', { name: 'Keyboard shortcuts' });
  }

  async waitUntilReady(): Promise<void> {
    await expect(this.newConnectionTab).toBeVisible();
    await expect(this.form.url).toBeVisible();
  }

  /** Every alert currently visible (form errors, connection errors, field errors). */
  visibleAlerts(): Locator {
    return this.page.getByRole('alert').filter({ visible: true });
  }

  tab(label: string): Locator {
    return this.tabs.getByRole('tab', { name: label, exact: true });
  }

  connection(labelOrUrl: string): ConnectionPanel {
    const label = /^wss?:\/\//.test(labelOrUrl) ? defaultLabel(labelOrUrl) : labelOrUrl;
    return new ConnectionPanel(this.page, label);
  }

  /** Open the form (the "+" tab), fill it in and press Connect; returns the new connection's panel. */
  async connect(input: ConnectFormInput | string): Promise<ConnectionPanel> {
    const data = typeof input === 'string' ? { url: input } : input;
    await this.newConnectionTab.click();
    await this.form.fill(data);
    await this.form.connectButton.click();
    const conn = this.connection(data.url);
    await expect(this.tab(conn.label)).toHaveAttribute('aria-selected', 'true');
    return conn;
  }

  /** connect() and wait for the OPEN badge. */
  async open(input: ConnectFormInput | string): Promise<ConnectionPanel> {
    const conn = await this.connect(input);
    await conn.expectState('OPEN');
    return conn;
  }
}
