// Sandboxed preload (bundled to one CJS file by scripts/build.mjs). Exposes exactly the WirechatApi
// of shared/api.ts — one function per command plus onEvents and host — and never ipcRenderer
// itself (Electron security checklist: no Electron API handed to the page).

import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { COMMAND_NAMES, IPC_EVENTS_CHANNEL, PRELOAD_GLOBAL, ipcChannel, type EventBatch, type EventListener } from '../../shared/api.ts';

const api: Record<string, unknown> = { host: 'electron' };
for (const name of COMMAND_NAMES) {
  // One argument object per call; main validates it (shared/validate.ts) before acting.
  api[name] = (args: unknown): Promise<unknown> => ipcRenderer.invoke(ipcChannel(name), args);
}
api.onEvents = (listener: EventListener): (() => void) => {
  if (typeof listener !== 'function') throw new TypeError('onEvents needs a function');
  const handler = (_event: IpcRendererEvent, batch: EventBatch): void => listener(batch);
  ipcRenderer.on(IPC_EVENTS_CHANNEL, handler);
  return () => {
    ipcRenderer.removeListener(IPC_EVENTS_CHANNEL, handler);
  };
};

contextBridge.exposeInMainWorld(PRELOAD_GLOBAL, Object.freeze(api));
