// `npm start`: build, then launch Electron on dist/main/electron/main.cjs when an Electron binary is
// installed; otherwise say so in one line and start the local browser host (which prints its URL).
// Arguments (--port N, --open, …) are passed through to whichever starts.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);

const built = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

/** The electron package exports the binary's path; it throws or points nowhere without a binary. */
function electronBinary() {
  try {
    const path = createRequire(import.meta.url)('electron');
    if (typeof path === 'string' && existsSync(path)) return { path };
    return { why: `the electron package has no binary at ${String(path)}` };
  } catch (e) {
    return { why: (e instanceof Error ? e.message : String(e)).split('\n')[0] };
  }
}

const electron = electronBinary();
let child;
if (electron.path) {
  child = spawn(electron.path, [join(root, 'dist/main/electron/main.cjs'), ...args], { cwd: root, stdio: 'inherit' });
} else {
  console.log(`wirechat: no Electron binary is installed (${electron.why}) — starting the browser host instead.`);
  child = spawn(process.execPath, [join(root, 'dist/main/web/server.mjs'), ...args], { cwd: root, stdio: 'inherit' });
}
// Forward Ctrl+C / SIGTERM so the child can close its connections with 1001 and exit cleanly.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
