// No Electron binary can run here, so this test checks main.ts's WIRING: it bundles main.ts the way
// scripts/build.mjs does (electron external) and runs it with a stand-in `electron` module that
// records what the app asks Electron to do. It proves the security settings (BrowserWindow
// webPreferences, privileged app:// scheme with CSP responses, navigation / window.open denial,
// openExternal allow-list, permission denial), that every IPC channel is handled, and that quitting
// waits for closeAll. Protocol behaviour is not simulated here (it is tested with real sockets).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import Module from 'node:module';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { COMMAND_NAMES, ipcChannel } from '../../shared/api.ts';
import { CONTENT_SECURITY_POLICY } from '../../shared/security-headers.ts';
import { Signal } from '../../e2e/peers/wait.ts';

type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;
const mod = Module as unknown as { _load: Loader };

interface WindowRecord {
  options: { webPreferences: Record<string, unknown>; width: number; height: number; minWidth: number; minHeight: number };
  loaded: string[];
}

const signal = new Signal();
const rec = {
  privileged: [] as Array<{ scheme: string; privileges: Record<string, boolean> }>,
  protocolHandlers: new Map<string, (req: { url: string }) => Promise<Response>>(),
  ipc: new Map<string, unknown>(),
  windows: [] as WindowRecord[],
  opened: [] as string[],
  quits: 0,
  menu: [] as unknown[],
  permission: undefined as undefined | ((wc: unknown, permission: string, cb: (ok: boolean) => void) => void),
};

class FakeApp extends EventEmitter {
  isPackaged = true;
  name = 'Wirechat';
  userData = '';
  private readyResolve: () => void = () => undefined;
  readonly ready = new Promise<void>((r) => (this.readyResolve = r));
  getPath(): string {
    return this.userData;
  }
  requestSingleInstanceLock(): boolean {
    return true;
  }
  whenReady(): Promise<void> {
    return this.ready;
  }
  fireReady(): void {
    this.readyResolve();
  }
  quit(): void {
    let prevented = false;
    this.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (!prevented) {
      rec.quits++;
      signal.notify();
    }
  }
}
const app = new FakeApp();

class FakeWebContents extends EventEmitter {
  mainFrame = { url: 'app://wirechat/index.html' };
  send(): void {}
  isDestroyed(): boolean {
    return false;
  }
  setWindowOpenHandler(h: unknown): void {
    (this as unknown as { openHandler: unknown }).openHandler = h;
  }
}

class FakeBrowserWindow extends EventEmitter {
  static all: FakeBrowserWindow[] = [];
  static getAllWindows(): FakeBrowserWindow[] {
    return FakeBrowserWindow.all;
  }
  webContents = new FakeWebContents();
  record: WindowRecord;
  constructor(options: WindowRecord['options']) {
    super();
    this.record = { options, loaded: [] };
    rec.windows.push(this.record);
    FakeBrowserWindow.all.push(this);
    signal.notify();
  }
  async loadURL(url: string): Promise<void> {
    this.record.loaded.push(url);
  }
  maximize(): void {}
  isMaximized(): boolean {
    return false;
  }
  isMinimized(): boolean {
    return false;
  }
  getNormalBounds(): { x: number; y: number; width: number; height: number } {
    return { x: 0, y: 0, width: 1280, height: 800 };
  }
}

const fakeElectron = {
  app,
  BrowserWindow: FakeBrowserWindow,
  Menu: { buildFromTemplate: (t: unknown[]) => t, setApplicationMenu: (m: unknown[]) => void (rec.menu = m) },
  protocol: {
    registerSchemesAsPrivileged: (list: typeof rec.privileged) => void rec.privileged.push(...list),
    handle: (scheme: string, h: (req: { url: string }) => Promise<Response>) => void rec.protocolHandlers.set(scheme, h),
  },
  screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
  session: {
    defaultSession: {
      webRequest: { onHeadersReceived: () => undefined },
      setPermissionRequestHandler: (h: typeof rec.permission) => void (rec.permission = h),
    },
  },
  shell: { openExternal: async (url: string) => void rec.opened.push(url) },
  ipcMain: { handle: (c: string, l: unknown) => void rec.ipc.set(c, l), removeHandler: (c: string) => void rec.ipc.delete(c) },
};

let dir: string;
const originalLoad = mod._load;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wirechat-electron-'));
  mkdirSync(join(dir, 'dist', 'main', 'electron'), { recursive: true });
  mkdirSync(join(dir, 'dist', 'renderer'), { recursive: true });
  writeFileSync(join(dir, 'dist', 'renderer', 'index.html'), '<!doctype html><title>Wirechat</title>');
  writeFileSync(join(dir, 'secret.txt'), 'secret');
  const outfile = join(dir, 'dist', 'main', 'electron', 'main.cjs');
  await build({
    entryPoints: [join(import.meta.dirname, 'main.ts')],
    outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['electron'], logLevel: 'warning',
  });
  app.userData = join(dir, 'userData');
  mod._load = function (request, parent, isMain) {
    if (request === 'electron') return fakeElectron;
    return originalLoad.call(this, request, parent, isMain);
  };
  Module.createRequire(outfile)(outfile);
  app.fireReady();
  await signal.waitFor(() => rec.windows.length === 1, 'the window');
});

after(() => {
  mod._load = originalLoad;
  rmSync(dir, { recursive: true, force: true });
});

test('the window is isolated and sandboxed, loads app://wirechat/, and has a minimum usable size', () => {
  const w = rec.windows[0];
  const p = w.options.webPreferences;
  assert.equal(p.contextIsolation, true);
  assert.equal(p.sandbox, true);
  assert.equal(p.nodeIntegration, false);
  assert.equal(p.webSecurity, true);
  assert.equal(p.webviewTag, false);
  assert.match(String(p.preload), /preload\.cjs$/);
  assert.deepEqual(w.loaded, ['app://wirechat/index.html']);
  assert.deepEqual([w.options.minWidth, w.options.minHeight], [900, 600]);
});

test('app:// is privileged (standard, secure) and serves only renderer files, with the strict CSP', async () => {
  assert.deepEqual(rec.privileged.map((p) => [p.scheme, p.privileges.standard, p.privileges.secure]), [['app', true, true]]);
  const handler = rec.protocolHandlers.get('app');
  assert.ok(handler);
  const page = await handler({ url: 'app://wirechat/index.html' });
  assert.equal(page.status, 200);
  assert.equal(page.headers.get('content-security-policy'), CONTENT_SECURITY_POLICY);
  assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
  assert.match(await page.text(), /Wirechat/);
  for (const url of ['app://wirechat/../../secret.txt', 'app://wirechat/%2e%2e/%2e%2e/secret.txt', 'app://other/index.html']) {
    assert.equal((await handler({ url })).status, 404, url);
  }
});

test('navigation away and window.open are denied; only https links open externally', () => {
  const contents = new FakeWebContents();
  app.emit('web-contents-created', {}, contents);
  const nav = (url: string): boolean => {
    let prevented = false;
    contents.emit('will-navigate', { preventDefault: () => (prevented = true) }, url);
    return prevented;
  };
  assert.equal(nav('https://evil.example/'), true);
  assert.equal(nav('file:///etc/passwd'), true);
  assert.equal(nav('app://wirechat/index.html'), false);
  const open = (contents as unknown as { openHandler: (d: { url: string }) => { action: string } }).openHandler;
  assert.deepEqual(open({ url: 'https://datatracker.ietf.org/doc/html/rfc6455' }), { action: 'deny' });
  assert.deepEqual(open({ url: 'javascript:alert(1)' }), { action: 'deny' });
  assert.deepEqual(open({ url: 'http://example.com/' }), { action: 'deny' });
  assert.deepEqual(rec.opened, ['https://evil.example/', 'https://datatracker.ietf.org/doc/html/rfc6455'], 'https links leave for the system browser; nothing else opens');
  let webview = false;
  contents.emit('will-attach-webview', { preventDefault: () => (webview = true) });
  assert.equal(webview, true);
});

test('every permission request is denied; every command channel is handled; no reload in a packaged app', () => {
  let granted: boolean | undefined;
  rec.permission?.({}, 'media', (ok) => (granted = ok));
  assert.equal(granted, false);
  assert.deepEqual([...rec.ipc.keys()].sort(), COMMAND_NAMES.map(ipcChannel).sort());
  const roles = JSON.stringify(rec.menu);
  assert.match(roles, /"role":"copy"/);
  assert.doesNotMatch(roles, /"role":"reload"/);
});

test('quit is held until closeAll finishes, then proceeds', async () => {
  app.quit();
  await signal.waitFor(() => rec.quits === 1, 'the quit to proceed after closeAll');
});
