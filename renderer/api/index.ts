// The renderer's one way to reach main: the Electron preload API when present (window.wirechat),
// otherwise the browser host's HTTP/SSE client. The rest of the renderer never knows which.

import { PRELOAD_GLOBAL, type WirechatApi } from '../../shared/api.ts';
import { browserEnv, createWebClient } from './web-client.ts';

let api: WirechatApi | undefined;

function preloadApi(): WirechatApi | undefined {
  const g = globalThis as unknown as Record<string, unknown>;
  const candidate = g[PRELOAD_GLOBAL];
  return typeof candidate === 'object' && candidate !== null ? (candidate as WirechatApi) : undefined;
}

/** The API for this page (created once). Async so a future transport may need set-up time. */
export async function getApi(): Promise<WirechatApi> {
  api ??= preloadApi() ?? createWebClient(browserEnv());
  return api;
}

export type { WirechatApi };
