// The browser host's implementation of WirechatApi (shared/api.ts): commands as POST JSON with the
// per-launch token, events as Server-Sent Events. Used when the page runs in a plain browser
// (no Electron preload).
//
// Token: the host prints http://127.0.0.1:PORT/#token=…; the fragment never reaches a server.
// We read it once, keep it in sessionStorage (this tab only, same origin only) so a reload still
// works, and remove it from the visible URL with history.replaceState.
// Events: EventSource cannot send headers, so each (re)connection first POSTs for a one-time ticket.
// A dropped stream is reopened with a growing delay; the host starts every new stream with the
// current snapshot of each connection, so the store resynchronises.

import {
  WEB_API_PREFIX,
  WEB_EVENTS_PATH,
  WEB_EVENTS_TICKET_PATH,
  WEB_TICKET_PARAM,
  WEB_TOKEN_FRAGMENT_KEY,
  WEB_TOKEN_HEADER,
  COMMAND_NAMES,
  type CommandName,
  type EventBatch,
  type EventListener,
  type WirechatApi,
} from '../../shared/api.ts';
import type { ErrorCode } from '../../shared/model.ts';

const TOKEN_STORAGE_KEY = 'wirechat.token';
const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 5_000;
const RECONNECT_FACTOR = 2;

/** What the client needs from the page; injectable for tests. */
export interface WebClientEnv {
  location: { hash: string; pathname: string; search: string };
  history: { replaceState(data: unknown, unused: string, url?: string): void };
  storage?: { getItem(k: string): string | null; setItem(k: string, v: string): void };
  fetch: typeof fetch;
  EventSource: new (url: string) => EventSourceLike;
  setTimeout: (fn: () => void, ms: number) => unknown;
}

export interface EventSourceLike {
  onmessage: ((ev: { data: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  close(): void;
}

/** Read the token from `#token=…` (or from this tab's storage) and clear it from the URL. */
export function takeToken(env: Pick<WebClientEnv, 'location' | 'history' | 'storage'>): string | null {
  const params = new URLSearchParams(env.location.hash.replace(/^#/, ''));
  const fromHash = params.get(WEB_TOKEN_FRAGMENT_KEY);
  if (fromHash) {
    env.storage?.setItem(TOKEN_STORAGE_KEY, fromHash);
    params.delete(WEB_TOKEN_FRAGMENT_KEY);
    const rest = params.toString();
    env.history.replaceState(null, '', env.location.pathname + env.location.search + (rest ? `#${rest}` : ''));
    return fromHash;
  }
  return env.storage?.getItem(TOKEN_STORAGE_KEY) ?? null;
}

function failure(code: ErrorCode, message: string): { ok: false; error: { code: ErrorCode; message: string } } {
  return { ok: false, error: { code, message } };
}

export function createWebClient(env: WebClientEnv): WirechatApi {
  const token = takeToken(env);
  const listeners = new Set<EventListener>();
  let source: EventSourceLike | null = null;
  let reconnectDelay = RECONNECT_MIN_MS;
  let reconnectPending = false;

  async function post(path: string, args: unknown): Promise<unknown> {
    if (!token) {
      return failure('INVALID_ARGUMENT', 'This page was opened without its access token: open the exact URL Wirechat printed when it started.');
    }
    let res: Response;
    try {
      res = await env.fetch(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [WEB_TOKEN_HEADER]: token },
        body: JSON.stringify(args ?? {}),
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch (e) {
      return failure('NETWORK', `The Wirechat host is not answering (${e instanceof Error ? e.message : String(e)}). Is it still running?`);
    }
    const text = await res.text().catch(() => '');
    try {
      return JSON.parse(text) as unknown;
    } catch {
      const detail = text.trim().split('\n')[0] || res.statusText;
      return failure(res.status === 401 || res.status === 403 ? 'INVALID_ARGUMENT' : 'INTERNAL', `The Wirechat host refused the request (HTTP ${res.status}): ${detail}`);
    }
  }

  function scheduleReconnect(): void {
    if (reconnectPending || listeners.size === 0) return;
    reconnectPending = true;
    const delay = reconnectDelay;
    reconnectDelay = Math.min(RECONNECT_MAX_MS, reconnectDelay * RECONNECT_FACTOR);
    env.setTimeout(() => {
      reconnectPending = false;
      void openStream();
    }, delay);
  }

  async function openStream(): Promise<void> {
    if (source || listeners.size === 0) return;
    const r = (await post(WEB_EVENTS_TICKET_PATH, {})) as { ok?: boolean; ticket?: string };
    if (!r || r.ok !== true || typeof r.ticket !== 'string') {
      scheduleReconnect();
      return;
    }
    if (source || listeners.size === 0) return;
    const es = new env.EventSource(`${WEB_EVENTS_PATH}?${WEB_TICKET_PARAM}=${encodeURIComponent(r.ticket)}`);
    source = es;
    es.onmessage = (ev) => {
      reconnectDelay = RECONNECT_MIN_MS;
      let batch: EventBatch;
      try {
        batch = JSON.parse(ev.data) as EventBatch;
      } catch {
        return; // Not ours: ignore rather than crash the page.
      }
      for (const l of [...listeners]) l(batch);
    };
    es.onerror = () => {
      // The ticket is single-use, so EventSource's own retry would be refused: start over.
      es.close();
      if (source === es) source = null;
      scheduleReconnect();
    };
  }

  const api: Partial<Record<CommandName, (args: unknown) => Promise<unknown>>> = {};
  for (const name of COMMAND_NAMES) api[name] = (args: unknown) => post(WEB_API_PREFIX + name, args);

  return {
    ...(api as unknown as Omit<WirechatApi, 'onEvents' | 'host'>),
    host: 'web',
    onEvents(listener: EventListener): () => void {
      listeners.add(listener);
      void openStream();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && source) {
          source.close();
          source = null;
        }
      };
    },
  } as WirechatApi;
}

/** The page's real environment. */
export function browserEnv(): WebClientEnv {
  let storage: WebClientEnv['storage'];
  try {
    storage = window.sessionStorage;
  } catch {
    storage = undefined; // Storage may be disabled; the token then lives only in memory.
  }
  return {
    location: window.location,
    history: window.history,
    storage,
    fetch: window.fetch.bind(window),
    EventSource: window.EventSource as unknown as WebClientEnv['EventSource'],
    setTimeout: (fn, ms) => window.setTimeout(fn, ms),
  };
}
