// IPC wiring between the Electron main process and the window, kept free of the electron import
// (the ipcMain / webContents parts are structural types) so it is unit tested in plain Node.
//  - one ipcMain.handle per command channel (shared/api.ts ipcChannel), each checking the sender
//    frame (top frame of app://wirechat) before anything else, then handing the untrusted
//    arguments to SessionManager.invoke, which validates them (shared/validate.ts);
//  - one event pump per window: an EventBatcher that sends at most one batch per ~16 ms on
//    IPC_EVENTS_CHANNEL.

import { COMMAND_NAMES, IPC_EVENTS_CHANNEL, ipcChannel, type EventBatch } from '../../shared/api.ts';
import { EventBatcher } from '../session/event-batcher.ts';
import type { AnyResult, SessionManager } from '../session/session-manager.ts';
import { isTrustedSender } from './security.ts';

export interface FrameLike {
  url: string;
}

export interface IpcEventLike {
  senderFrame: FrameLike | null;
  sender: { mainFrame: FrameLike };
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export interface EventTarget {
  send(channel: string, batch: EventBatch): void;
  isDestroyed(): boolean;
}

export const UNTRUSTED_SENDER_MESSAGE = 'This request did not come from the Wirechat window and was refused.';

/** The handler body of one command channel: sender check, then the validated session call. */
export async function handleCommand(manager: SessionManager, name: string, event: IpcEventLike, args: unknown[]): Promise<AnyResult> {
  const frame = event.senderFrame;
  const top = frame !== null && frame === event.sender.mainFrame;
  if (!isTrustedSender(frame?.url, top)) return { ok: false, error: { code: 'INVALID_ARGUMENT', message: UNTRUSTED_SENDER_MESSAGE } };
  // Exactly one argument object per command (the preload passes one).
  if (args.length > 1) return { ok: false, error: { code: 'INVALID_ARGUMENT', message: `${name} takes one argument object.` } };
  return manager.invoke(name, args[0]);
}

export function registerIpc(ipcMain: IpcMainLike, manager: SessionManager): () => void {
  for (const name of COMMAND_NAMES) {
    ipcMain.handle(ipcChannel(name), (event, ...args) => handleCommand(manager, name, event, args));
  }
  return () => {
    for (const name of COMMAND_NAMES) ipcMain.removeHandler(ipcChannel(name));
  };
}

/** Start pushing batched events to one window; returns a stop function. */
export function attachEventPump(manager: SessionManager, target: EventTarget, intervalMs?: number): () => void {
  const batcher = new EventBatcher((batch) => {
    if (!target.isDestroyed()) target.send(IPC_EVENTS_CHANNEL, batch);
  }, intervalMs !== undefined ? { intervalMs } : {});
  for (const snapshot of manager.snapshots()) batcher.push({ type: 'connection', snapshot });
  const unsubscribe = manager.subscribe((e) => batcher.push(e));
  return () => {
    unsubscribe();
    batcher.dispose();
  };
}
