// The one API contract between the renderer (untrusted) and the process that owns the sockets
// (Electron main, or the local browser host in main/web). Both transports carry exactly these
// commands, results and events; the renderer does not know which one it talks to.

import type {
  ConnectionId,
  ConnectionSnapshot,
  ConnectOptions,
  ConnectionStats,
  ErrorCode,
  ErrorRecord,
  FrameRecord,
  MessageRecord,
  RawFrameSpec,
} from './model.ts';

export interface ApiError {
  code: ErrorCode;
  message: string;
}

/** Every command resolves to this; it never rejects for a bad argument or a dead connection. */
export type Result<T> = ({ ok: true } & T) | { ok: false; error: ApiError };

export interface SendArgs {
  id: ConnectionId;
  kind: 'text' | 'binary';
  /** Text as is for 'text'; base64 for 'binary'. */
  data: string;
  /** Split the message into frames of at most this many payload bytes (0/undefined = one frame). */
  fragmentSize?: number;
}

export interface ControlArgs {
  id: ConnectionId;
  /** Control payload, base64, at most 125 bytes decoded. */
  payloadBase64?: string;
}

export interface CloseArgs {
  id: ConnectionId;
  /** 1000 or 3000–4999; omitted = close frame without a status code. */
  code?: number;
  /** At most 123 bytes of UTF-8. Requires code. */
  reason?: string;
}

export interface PageArgs {
  id: ConnectionId;
  /** Return records with seq >= fromSeq (default: the oldest still kept). */
  fromSeq?: number;
  /** At most this many records (default 1000, max 10000). */
  limit?: number;
}

export interface PayloadArgs {
  id: ConnectionId;
  kind: 'frame' | 'message';
  seq: number;
}

/** Command name → argument and success payload. One place; channels derive from it. */
export interface Commands {
  connect: { args: ConnectOptions; result: { snapshot: ConnectionSnapshot } };
  send: { args: SendArgs; result: { bufferedAmount: number } };
  ping: { args: ControlArgs; result: { bufferedAmount: number } };
  pong: { args: ControlArgs; result: { bufferedAmount: number } };
  close: { args: CloseArgs; result: Record<never, never> };
  sendRawFrame: { args: { id: ConnectionId; frame: RawFrameSpec }; result: { bufferedAmount: number } };
  /** Close (1001 if open) and forget a connection (closing its tab). */
  remove: { args: { id: ConnectionId }; result: Record<never, never> };
  list: { args: Record<never, never>; result: { connections: ConnectionSnapshot[] } };
  getFrames: { args: PageArgs; result: { frames: FrameRecord[]; oldestSeq: number; newestSeq: number } };
  getMessages: { args: PageArgs; result: { messages: MessageRecord[]; oldestSeq: number; newestSeq: number } };
  /** Full payload (unmasked; inflated for messages). NOT_FOUND when evicted from the log. */
  getPayload: { args: PayloadArgs; result: { base64: string; length: number } };
}

export type CommandName = keyof Commands;
export type CommandArgs<K extends CommandName> = Commands[K]['args'];
export type CommandResult<K extends CommandName> = Result<Commands[K]['result']>;

export const COMMAND_NAMES = [
  'connect',
  'send',
  'ping',
  'pong',
  'close',
  'sendRawFrame',
  'remove',
  'list',
  'getFrames',
  'getMessages',
  'getPayload',
] as const satisfies readonly CommandName[];

// Compile-time check that COMMAND_NAMES lists every command exactly.
type _MissingCommands = Exclude<CommandName, (typeof COMMAND_NAMES)[number]>;
const _allCommandsListed: _MissingCommands extends never ? true : never = true;
void _allCommandsListed;

/** Events from main to the renderer. Frames and messages are grouped per connection per batch. */
export type ApiEvent =
  /** A connection was added or its snapshot changed (state, handshake, close, error). */
  | { type: 'connection'; snapshot: ConnectionSnapshot }
  | { type: 'removed'; id: ConnectionId }
  | { type: 'frames'; id: ConnectionId; frames: FrameRecord[] }
  | { type: 'messages'; id: ConnectionId; messages: MessageRecord[] }
  | { type: 'error'; id: ConnectionId; error: ErrorRecord }
  | { type: 'stats'; id: ConnectionId; stats: ConnectionStats };

export interface EventBatch {
  /** Increases by one per batch per subscriber; a gap means batches were lost. */
  batch: number;
  events: ApiEvent[];
}

export type EventListener = (batch: EventBatch) => void;

/**
 * What the renderer sees: one function per command plus an event subscription.
 * The Electron preload exposes exactly this via contextBridge; the browser host client
 * (renderer/api.ts) implements it over HTTP.
 */
export type WirechatApi = {
  [K in CommandName]: (args: CommandArgs<K>) => Promise<CommandResult<K>>;
} & {
  onEvents(listener: EventListener): () => void;
  /** 'electron' or 'web' — for the about box and diagnostics only. */
  readonly host: 'electron' | 'web';
};

// Electron IPC channel names (one per command, one for events).
export const IPC_PREFIX = 'wirechat:';
export const IPC_EVENTS_CHANNEL = 'wirechat:events';
export function ipcChannel(name: CommandName): string {
  return IPC_PREFIX + name;
}

// Browser host (main/web) HTTP surface: POST /api/<command> with JSON args, GET /api/events (SSE).
export const WEB_API_PREFIX = '/api/';
export const WEB_EVENTS_PATH = '/api/events';
export const WEB_TOKEN_HEADER = 'x-wirechat-token';
/** The page URL carries the token in its fragment (#token=…), never sent to the server by the browser. */
export const WEB_TOKEN_FRAGMENT_KEY = 'token';

/** Global name under which the Electron preload exposes the API. */
export const PRELOAD_GLOBAL = 'wirechat';

// Browser host event-stream ticket (added by the session/hosts helper). EventSource cannot send the
// token header, so the page first POSTs (with the token) to WEB_EVENTS_TICKET_PATH and receives a
// one-time, short-lived ticket, then opens GET WEB_EVENTS_PATH?ticket=… . The long-lived token
// never appears in a URL.
export const WEB_EVENTS_TICKET_PATH = '/api/events-ticket';
export const WEB_TICKET_PARAM = 'ticket';
