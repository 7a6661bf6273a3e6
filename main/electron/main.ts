// Electron main process: app lifecycle, the one window and its security settings, the custom
// app:// protocol serving the built renderer, IPC, and closing every connection (1001) on quit.
// Logic lives in plain modules (security.ts, ipc.ts, window-state.ts, app-files.ts, menu.ts) with
// unit tests; this file only wires them to Electron.

import { app, BrowserWindow, Menu, protocol, screen, session, shell, ipcMain } from 'electron';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SECURITY_HEADERS, CONTENT_SECURITY_POLICY } from '../../shared/security-headers.ts';
import { SessionManager } from '../session/session-manager.ts';
import { resolveAppFile } from './app-files.ts';
import { attachEventPump, registerIpc } from './ipc.ts';
import { menuTemplate } from './menu.ts';
import { APP_ENTRY_URL, APP_SCHEME, isAppUrl, safeExternalUrl } from './security.ts';
import { MIN_HEIGHT, MIN_WIDTH, WINDOW_STATE_FILE, loadWindowState, saveWindowState } from './window-state.ts';

const HTTP_NOT_FOUND = 404;
const isDev = !app.isPackaged || process.env.WIRECHAT_DEV === '1';
/** dist/main/electron/main.cjs → dist/renderer, and the preload bundle next to this file. */
const rendererDir = join(__dirname, '..', '..', 'renderer');
const preloadPath = join(__dirname, 'preload.cjs');

// Must happen before 'ready': app:// behaves like https (standard, secure origin, fetch allowed).
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

const manager = new SessionManager();
let shutdownDone = false;
let mainWindow: BrowserWindow | null = null;

function createWindow(): void {
  const stateFile = join(app.getPath('userData'), WINDOW_STATE_FILE);
  const state = loadWindowState(stateFile, screen.getAllDisplays().map((d) => d.workArea));
  const win = new BrowserWindow({
    width: state.width,
    height: state.height,
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
    minWidth: MIN_WIDTH,
    minHeight: MIN_HEIGHT,
    title: 'Wirechat',
    show: false,
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      preload: preloadPath,
    },
  });
  mainWindow = win;
  if (state.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  const stopEvents = attachEventPump(manager, win.webContents);
  win.on('close', () => {
    try {
      saveWindowState(stateFile, { ...win.getNormalBounds(), maximized: win.isMaximized() });
    } catch (e) {
      console.error(`wirechat: could not save the window state: ${e instanceof Error ? e.message : String(e)}`);
    }
  });
  win.on('closed', () => {
    stopEvents();
    mainWindow = null;
    // Closing the window closes every connection cleanly (RFC 6455 §7.4.1: 1001 Going Away).
    void manager.closeAll();
  });
  void win.loadURL(APP_ENTRY_URL);
}

app.on('web-contents-created', (_event, contents) => {
  // No navigation away from our page, no new windows, no <webview>.
  contents.on('will-navigate', (e, url) => {
    if (isAppUrl(url)) return;
    e.preventDefault();
    // A plain link the user clicked (e.g. an RFC reference) opens in the system browser if https.
    const external = safeExternalUrl(url);
    if (external) void shell.openExternal(external);
  });
  contents.on('will-redirect', (e, url) => {
    if (!isAppUrl(url)) e.preventDefault();
  });
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const external = safeExternalUrl(url);
    if (external) void shell.openExternal(external);
    return { action: 'deny' };
  });
});

app.on('before-quit', (event) => {
  if (shutdownDone) return;
  // Hold the quit until every connection has sent/received its 1001 close (bounded wait).
  event.preventDefault();
  manager.closeAll().finally(() => {
    shutdownDone = true;
    app.quit();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

if (!app.requestSingleInstanceLock()) {
  shutdownDone = true;
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });
  void app.whenReady().then(() => {
    protocol.handle(APP_SCHEME, async (request) => {
      const file = resolveAppFile(request.url, rendererDir);
      if (!file) return new Response('Not found', { status: HTTP_NOT_FOUND, headers: { ...SECURITY_HEADERS } });
      const body = await readFile(file.path);
      return new Response(body, { headers: { ...SECURITY_HEADERS, 'content-type': file.contentType } });
    });
    // Belt and braces: every response in the default session carries the CSP too.
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
    });
    // The app needs no camera, notifications, geolocation…: deny every permission request.
    session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
    Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate({ isDev, platform: process.platform, appName: app.name })));
    registerIpc(ipcMain, manager);
    createWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createWindow();
    });
  });
}
