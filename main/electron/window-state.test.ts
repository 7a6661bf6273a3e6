import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_WINDOW_STATE, loadWindowState, saveWindowState, sanitizeWindowState } from './window-state.ts';

const DISPLAY = [{ x: 0, y: 0, width: 1920, height: 1080 }];

test('save then load round-trips; the file is JSON', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wirechat-ws-'));
  try {
    const file = join(dir, 'sub', 'window-state.json');
    saveWindowState(file, { width: 1000, height: 700, x: 10, y: 20, maximized: true });
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { width: 1000, height: 700, x: 10, y: 20, maximized: true });
    assert.deepEqual(loadWindowState(file, DISPLAY), { width: 1000, height: 700, x: 10, y: 20, maximized: true });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('missing, corrupt or hostile files give the defaults, never an exception', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wirechat-ws-'));
  try {
    assert.deepEqual(loadWindowState(join(dir, 'none.json'), DISPLAY), DEFAULT_WINDOW_STATE);
    for (const text of ['{', '', 'null', '[]', '"x"', '{"width":"big"}', '\u0000\u0001']) {
      const f = join(dir, 'bad.json');
      writeFileSync(f, text);
      const s = loadWindowState(f, DISPLAY);
      assert.equal(s.width, DEFAULT_WINDOW_STATE.width, JSON.stringify(text));
      assert.equal(s.x, undefined);
    }
    const tiny = sanitizeWindowState({ width: 10, height: 1e9, x: 1.5, y: 0, maximized: 'yes' }, DISPLAY);
    assert.deepEqual(tiny, DEFAULT_WINDOW_STATE);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a position on no display (monitor unplugged) is dropped, the size kept', () => {
  const s = sanitizeWindowState({ width: 1000, height: 700, x: 5000, y: 5000 }, DISPLAY);
  assert.deepEqual(s, { width: 1000, height: 700, maximized: false });
  const second = sanitizeWindowState({ width: 1000, height: 700, x: 2000, y: 100 }, [...DISPLAY, { x: 1920, y: 0, width: 1920, height: 1080 }]);
  assert.equal(second.x, 2000);
});
