// Window size and position, remembered between launches as JSON in app.getPath('userData').
// A missing, corrupt or hostile file never stops the app: it yields the defaults. A saved position
// that is no longer on any display (monitor unplugged) is dropped, keeping the size.

import { readFileSync, writeFileSync, renameSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export const WINDOW_STATE_FILE = 'window-state.json';
export const DEFAULT_WIDTH = 1280;
export const DEFAULT_HEIGHT = 800;
/** "Usable at 900×600" (issue 3): the window may not get smaller. */
export const MIN_WIDTH = 900;
export const MIN_HEIGHT = 600;
/** Guard against absurd values in the file. */
const MAX_DIMENSION = 16_384;
/** How much of the title bar must be on a display for a saved position to count as visible. */
const MIN_VISIBLE_PX = 64;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  width: number;
  height: number;
  x?: number;
  y?: number;
  maximized: boolean;
}

export const DEFAULT_WINDOW_STATE: WindowState = { width: DEFAULT_WIDTH, height: DEFAULT_HEIGHT, maximized: false };

function intIn(v: unknown, min: number, max: number): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : undefined;
}

function intersects(a: Rect, b: Rect): boolean {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w >= MIN_VISIBLE_PX && h >= MIN_VISIBLE_PX;
}

/** Validate parsed JSON against the displays' work areas. */
export function sanitizeWindowState(raw: unknown, displays: readonly Rect[]): WindowState {
  if (typeof raw !== 'object' || raw === null) return { ...DEFAULT_WINDOW_STATE };
  const r = raw as Record<string, unknown>;
  const state: WindowState = {
    width: intIn(r.width, MIN_WIDTH, MAX_DIMENSION) ?? DEFAULT_WIDTH,
    height: intIn(r.height, MIN_HEIGHT, MAX_DIMENSION) ?? DEFAULT_HEIGHT,
    maximized: r.maximized === true,
  };
  const x = intIn(r.x, -MAX_DIMENSION, MAX_DIMENSION);
  const y = intIn(r.y, -MAX_DIMENSION, MAX_DIMENSION);
  if (x !== undefined && y !== undefined) {
    const titleBar: Rect = { x, y, width: state.width, height: MIN_VISIBLE_PX };
    if (displays.some((d) => intersects(titleBar, d))) {
      state.x = x;
      state.y = y;
    }
  }
  return state;
}

export function loadWindowState(file: string, displays: readonly Rect[]): WindowState {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { ...DEFAULT_WINDOW_STATE };
  }
  try {
    return sanitizeWindowState(JSON.parse(text), displays);
  } catch {
    return { ...DEFAULT_WINDOW_STATE };
  }
}

/** Write atomically (temp file + rename) so a crash mid-write cannot leave a corrupt file. */
export function saveWindowState(file: string, state: WindowState): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 2) + '\n', 'utf8');
  renameSync(tmp, file);
}
