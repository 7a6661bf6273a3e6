// Component test harness: mounts ONE component with fixture data and records every event it fires
// upwards. Tests drive it with page.evaluate(() => wcHarness.mount(...)). It can also mount the
// whole <wc-app> over an in-page scripted API for layout screenshots and shortcut tests.
import '../../renderer/components/app/app.ts';
import '../../renderer/components/connection-form/connection-form.ts';
import '../../renderer/components/connection-view/connection-view.ts';
import '../../renderer/components/chat-view/chat-view.ts';
import '../../renderer/components/composer/composer.ts';
import '../../renderer/components/frame-log/frame-log.ts';
import '../../renderer/components/frame-detail/frame-detail.ts';
import '../../renderer/components/handshake-panel/handshake-panel.ts';
import '../../renderer/components/state-badge/state-badge.ts';
import '../../renderer/components/shortcuts-help/shortcuts-help.ts';
import { WC_EVENT_NAMES } from '../../renderer/ui/events.ts';
import { newConnView, Store } from '../../renderer/state/store.ts';
import type { EventBatch, EventListener, WirechatApi } from '../../shared/api.ts';
import type { ConnectionSnapshot, FrameRecord, MessageRecord } from '../../shared/model.ts';
import * as data from './fixture-data.ts';

interface Recorded {
  name: string;
  detail: unknown;
}

/** An in-page API that answers from fixture data: for rendering tests and screenshots only. */
class ScriptedApi {
  readonly host = 'web' as const;
  listeners = new Set<EventListener>();
  batch = 0;
  connections: ConnectionSnapshot[] = [];
  messages = new Map<string, MessageRecord[]>();
  frames = new Map<string, FrameRecord[]>();
  calls: { name: string; args: unknown }[] = [];
  emit(events: EventBatch['events']): void {
    const b = { batch: ++this.batch, events };
    for (const l of this.listeners) l(b);
  }
  api(): WirechatApi {
    const rec = (name: string, args: unknown) => this.calls.push({ name, args });
    const ok = { ok: true as const };
    return {
      host: 'web',
      onEvents: (l) => {
        this.listeners.add(l);
        return () => this.listeners.delete(l);
      },
      connect: async (o) => {
        rec('connect', o);
        const snap = data.snapshot(`c${this.connections.length + 1}`, { options: o, label: o.url.replace(/^wss?:\/\//, ''), state: 'CONNECTING' });
        this.connections.push(snap);
        return { ...ok, snapshot: snap };
      },
      send: async (a) => (rec('send', a), { ...ok, bufferedAmount: 0 }),
      ping: async (a) => (rec('ping', a), { ...ok, bufferedAmount: 0 }),
      pong: async (a) => (rec('pong', a), { ...ok, bufferedAmount: 0 }),
      close: async (a) => (rec('close', a), ok),
      sendRawFrame: async (a) => (rec('sendRawFrame', a), { ...ok, bufferedAmount: 0 }),
      remove: async (a) => {
        rec('remove', a);
        this.connections = this.connections.filter((c) => c.id !== a.id);
        return ok;
      },
      list: async () => ({ ...ok, connections: this.connections }),
      getFrames: async (a) => {
        const all = this.frames.get(a.id) ?? [];
        const from = a.fromSeq ?? 1;
        return { ...ok, frames: all.filter((f) => f.seq >= from).slice(0, a.limit ?? 1000), oldestSeq: all[0]?.seq ?? 0, newestSeq: all.at(-1)?.seq ?? 0 };
      },
      getMessages: async (a) => {
        const all = this.messages.get(a.id) ?? [];
        const from = a.fromSeq ?? 1;
        return { ...ok, messages: all.filter((m) => m.seq >= from).slice(0, a.limit ?? 1000), oldestSeq: all[0]?.seq ?? 0, newestSeq: all.at(-1)?.seq ?? 0 };
      },
      getPayload: async (a) => {
        rec('getPayload', a);
        return { ok: false, error: { code: 'NOT_FOUND', message: 'not in fixture' } };
      },
    };
  }
}

const harness = {
  events: [] as Recorded[],
  data,
  el: null as HTMLElement | null,
  scripted: null as ScriptedApi | null,
  store: null as Store | null,
  newConnView,

  mount(tag: string, props: Record<string, unknown> = {}): HTMLElement {
    const root = document.getElementById('root') as HTMLElement;
    root.replaceChildren();
    harness.events = [];
    const el = document.createElement(tag);
    Object.assign(el, props);
    root.appendChild(el);
    harness.el = el;
    return el;
  },

  set(props: Record<string, unknown>): void {
    if (harness.el) Object.assign(harness.el, props);
  },

  /** Mount the whole app with connections (and their records) from fixture data. */
  async mountApp(setup: { connections: ConnectionSnapshot[]; messages?: Record<string, MessageRecord[]>; frames?: Record<string, FrameRecord[]> }): Promise<void> {
    const s = new ScriptedApi();
    s.connections = setup.connections;
    for (const [id, m] of Object.entries(setup.messages ?? {})) s.messages.set(id, m);
    for (const [id, f] of Object.entries(setup.frames ?? {})) s.frames.set(id, f);
    const store = new Store(s.api());
    harness.scripted = s;
    harness.store = store;
    const app = harness.mount('wc-app', { store });
    void app;
    await store.start();
  },
};

// The mounted component fills the viewport as it would inside the app (a constructed sheet: CSP-safe).
const sheet = new CSSStyleSheet();
sheet.replaceSync('#root { height: 100vh; display: flex; flex-direction: column; } #root > * { flex: 1; min-height: 0; }');
document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];

for (const name of WC_EVENT_NAMES) {
  document.addEventListener(name, (e) => harness.events.push({ name, detail: (e as CustomEvent).detail }));
}

declare global {
  var wcHarness: typeof harness;
}
globalThis.wcHarness = harness;
document.documentElement.dataset.harnessReady = 'true';
