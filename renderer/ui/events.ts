// Names and detail types of the events components fire upwards (properties down, events up).
// Components never know a connection id; wc-connection-view adds it when calling the store.
import type { ConnectOptions } from '../../shared/model.ts';
import type { ViewName } from '../state/store.ts';

export interface WcEvents {
  'wc-connect': ConnectOptions;
  'wc-send': { kind: 'text' | 'binary'; data: string };
  'wc-ping': { payloadBase64: string };
  'wc-close-connection': { code: number; reason: string };
  'wc-load-payload': { kind: 'frame' | 'message'; seq: number };
  'wc-select-frame': { seq: number | null };
  'wc-view-change': { view: ViewName };
  'wc-reconnect': Record<never, never>;
  'wc-remove': Record<never, never>;
  'wc-dismiss-error': Record<never, never>;
}
export type WcEventName = keyof WcEvents;
export const WC_EVENT_NAMES: readonly WcEventName[] = [
  'wc-connect',
  'wc-send',
  'wc-ping',
  'wc-close-connection',
  'wc-load-payload',
  'wc-select-frame',
  'wc-view-change',
  'wc-reconnect',
  'wc-remove',
  'wc-dismiss-error',
];

export function fire<K extends WcEventName>(from: HTMLElement, name: K, detail: WcEvents[K]): void {
  from.dispatchEvent(new CustomEvent<WcEvents[K]>(name, { detail, bubbles: true, composed: true }));
}
