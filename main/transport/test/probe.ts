// Test helper: opens a client Connection through the real transport (connect()) and records every
// event it emits, so suites can wait for conditions (state, messages, errors) instead of sleeping.

import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from '../connection.ts';
import type { Connection, ConnectionEvent, WireFrame, WireMessage } from '../types.ts';
import type { CloseInfo, ConnectOptions, ConnectionState, ErrorRecord, HandshakeRecord } from '../../../shared/model.ts';
import { Signal, DEFAULT_WAIT_MS } from '../../../e2e/peers/wait.ts';

export class Probe {
  readonly conn: Connection;
  readonly events: ConnectionEvent[] = [];
  readonly states: ConnectionState[] = [];
  readonly errors: ErrorRecord[] = [];
  handshake: HandshakeRecord | undefined;
  close: CloseInfo | undefined;
  #signal = new Signal();
  #echo = false;
  #unsubscribe: () => void;

  constructor(options: ConnectOptions) {
    this.conn = connect(options);
    this.#unsubscribe = this.conn.on((event) => this.#onEvent(event));
  }

  /** Contract violations seen in the event stream (checked when the test ends). */
  readonly violations: string[] = [];
  #handshakes = 0;
  #lastInSeq = 0;

  /**
   * The event-stream contract of main/transport/types.ts: state only moves forward, nothing
   * follows CLOSED, one handshake event, messages only once OPEN, message numbers in order.
   */
  #check(event: ConnectionEvent): void {
    const order: ConnectionState[] = ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'];
    const last = this.states[this.states.length - 1];
    if (last === 'CLOSED') this.violations.push(`'${event.type}' event after CLOSED`);
    if (event.type === 'state' && last !== undefined && order.indexOf(event.state) <= order.indexOf(last)) {
      this.violations.push(`state ${last} -> ${event.state}`);
    }
    if (event.type === 'handshake' && ++this.#handshakes > 1) this.violations.push('a second handshake event');
    if (event.type === 'message' && event.message.dir === 'in') {
      if (!this.states.includes('OPEN')) this.violations.push('a message before OPEN');
      if (event.message.messageSeq !== this.#lastInSeq + 1) this.violations.push(`incoming messageSeq ${event.message.messageSeq} after ${this.#lastInSeq}`);
      this.#lastInSeq = event.message.messageSeq;
    }
  }

  #onEvent(event: ConnectionEvent): void {
    this.#check(event);
    this.events.push(event);
    switch (event.type) {
      case 'state':
        this.states.push(event.state);
        if (event.state === 'CLOSED') this.close = event.close;
        break;
      case 'handshake':
        this.handshake = event.handshake;
        break;
      case 'error':
        this.errors.push(event.error);
        break;
      case 'message':
        // Autobahn-style echo: the test, not the client, sends the message back.
        if (this.#echo && event.message.dir === 'in' && this.conn.state === 'OPEN') {
          if (event.message.kind === 'text') this.conn.sendText(event.message.text ?? '');
          else this.conn.sendBinary(event.message.data);
        }
        break;
      default:
        break;
    }
    this.#signal.notify();
  }

  /** Echo every incoming message back (text as text, binary as binary). */
  echo(): this {
    this.#echo = true;
    return this;
  }

  /** True once the CLOSED state EVENT arrived (conn.state may flip earlier, before the events). */
  get closed(): boolean {
    return this.states.includes('CLOSED');
  }

  frames(dir?: 'in' | 'out'): WireFrame[] {
    const out: WireFrame[] = [];
    for (const e of this.events) if (e.type === 'frame' && (!dir || e.frame.dir === dir)) out.push(e.frame);
    return out;
  }

  messages(dir: 'in' | 'out' = 'in'): WireMessage[] {
    const out: WireMessage[] = [];
    for (const e of this.events) if (e.type === 'message' && e.message.dir === dir) out.push(e.message);
    return out;
  }

  describe(): string {
    const err = this.errors.map((e) => `${e.code}: ${e.message}`).join('; ');
    return `state=${this.conn.state} close=${JSON.stringify(this.close)} errors=[${err}]`;
  }

  waitFor<T>(check: () => T | undefined | null | false, what: string, timeoutMs = DEFAULT_WAIT_MS): Promise<T> {
    return this.#signal.waitFor(check, what, timeoutMs);
  }

  /** Resolve when OPEN; reject (with the errors seen) if the connection closes first. */
  async opened(timeoutMs = DEFAULT_WAIT_MS): Promise<this> {
    await this.waitFor(() => {
      if (this.conn.state === 'OPEN' || this.states.includes('OPEN')) return true;
      if (this.closed) throw new Error(`connection closed before OPEN: ${this.describe()}`);
      return false;
    }, 'state OPEN', timeoutMs);
    return this;
  }

  /** Resolve with the close info once CLOSED. */
  closedInfo(timeoutMs = DEFAULT_WAIT_MS): Promise<CloseInfo> {
    return this.waitFor(() => {
      if (!this.closed) return undefined;
      if (!this.close) throw new Error('the CLOSED state event carries no close info');
      return this.close;
    }, 'state CLOSED', timeoutMs);
  }

  /** Resolve with the first error event. */
  firstError(timeoutMs = DEFAULT_WAIT_MS): Promise<ErrorRecord> {
    return this.waitFor(() => this.errors[0], 'an error event', timeoutMs);
  }

  /** Resolve once at least n incoming messages arrived. */
  messagesIn(n: number, timeoutMs = DEFAULT_WAIT_MS): Promise<WireMessage[]> {
    return this.waitFor(() => {
      const m = this.messages('in');
      if (m.length >= n) return m;
      if (this.closed) throw new Error(`closed after ${m.length} of ${n} messages: ${this.describe()}`);
      return undefined;
    }, `${n} incoming message(s)`, timeoutMs);
  }

  /** Resolve with the first frame (in the given direction) matching the predicate. */
  frame(dir: 'in' | 'out', predicate: (f: WireFrame) => boolean, what: string, timeoutMs = DEFAULT_WAIT_MS): Promise<WireFrame> {
    return this.waitFor(() => this.frames(dir).find(predicate), what, timeoutMs);
  }

  /** Drop the connection if a test left it open; always unsubscribe. */
  dispose(): void {
    if (this.conn.state !== 'CLOSED') this.conn.terminate();
    this.#unsubscribe();
  }
}

/** Open a probed connection that is cleaned up when the test ends. */
export function openProbe(t: TestContext, options: ConnectOptions): Probe {
  const probe = new Probe(options);
  t.after(() => {
    probe.dispose();
    assert.deepEqual(probe.violations, [], 'connection event stream broke its contract');
  });
  return probe;
}

export const text = (s: string): Uint8Array => new TextEncoder().encode(s);
export const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

/**
 * ErrorRecord.message is "one human sentence" (shared/model.ts): no line breaks (raw OpenSSL
 * dumps carry them), and where it names the endpoint it says host:port once.
 */
export function assertOneSentence(message: string, port: number): void {
  assert.equal(/[\r\n]/.test(message), false, `error message spans several lines: ${JSON.stringify(message)}`);
  assert.equal(message.includes(`${port}:${port}`), false, `error message repeats the port: ${message}`);
}
