// `npm start`: build, then launch Electron on dist/main/electron/main.cjs when an Electron binary is
// installed; otherwise say so in one line and start the local browser host (which prints its URL).
// Arguments (--port N, --open, …) are passed through to whichever starts.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);

const built = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

/**
 * Where the Electron binary would be, found the way the electron package's index.js finds it
 * (path.txt next to it, dist/<path>, or ELECTRON_OVERRIDE_DIST_PATH) — but WITHOUT require('electron'),
 * which tries to download the binary when it is missing (a network fetch that fails here).
 */
function electronBinary() {
  let pkgDir;
  try {
    pkgDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { why: 'the electron package is not installed' };
  }
  const pathFile = join(pkgDir, 'path.txt');
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const full = override ? join(override, executable || 'electron') : executable ? join(pkgDir, 'dist', executable) : '';
  if (full && existsSync(full)) return { path: full };
  return { why: full ? `${full} does not exist` : 'node_modules/electron has no downloaded binary: its install step did not fetch one, e.g. no access to the Electron download site' };
}

const electron = electronBinary();
let child;
if (electron.path) {
  // The app directory: Electron reads package.json (name, version) and runs its "main",
  // dist/main/electron/main.cjs.
  child = spawn(electron.path, [root, ...args], { cwd: root, stdio: 'inherit' });
} else {
  console.log(`wirechat: no Electron binary is installed (${electron.why}) — starting the browser host instead.`);
  child = spawn(process.execPath, [join(root, 'dist/main/web/server.mjs'), ...args], { cwd: root, stdio: 'inherit' });
}
// Forward Ctrl+C / SIGTERM so the child can close its connections with 1001 and exit cleanly.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
