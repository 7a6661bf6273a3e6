// Entry point of the local browser host (`npm run web`, and `npm start` without Electron).
// Prints the URL to open, runs until SIGINT/SIGTERM, then closes every connection with 1001.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openerFor, parseWebArgs, WEB_USAGE } from './args.ts';
import { startWebHost } from './host.ts';

const EXIT_USAGE = 2;
const EXIT_START_FAILED = 1;

/** dist/main/web/server.mjs → dist/renderer. */
function defaultStaticDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'renderer');
}

function openBrowser(url: string): void {
  const { command, args } = openerFor(process.platform, url);
  const warn = (why: string): void => console.error(`wirechat: could not open a browser (${why}); open the URL above yourself.`);
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.on('error', (e) => warn(`${command}: ${e.message}`));
    child.unref();
  } catch (e) {
    warn(e instanceof Error ? e.message : String(e));
  }
}

async function main(): Promise<void> {
  const parsed = parseWebArgs(process.argv.slice(2));
  if (!parsed.ok) {
    console.error(`wirechat: ${parsed.message}`);
    process.exit(EXIT_USAGE);
  }
  if (parsed.args.help) {
    console.log(WEB_USAGE);
    return;
  }
  const staticDir = parsed.args.staticDir ?? defaultStaticDir();
  if (!existsSync(join(staticDir, 'index.html'))) {
    console.error(`wirechat: no built UI at ${staticDir} (index.html missing) — run \`node scripts/build.mjs\` first.`);
    process.exit(EXIT_START_FAILED);
  }
  let host;
  try {
    host = await startWebHost({ port: parsed.args.port, staticDir });
  } catch (e) {
    console.error(`wirechat: could not start the browser host: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(EXIT_START_FAILED);
  }
  console.log(`Wirechat is running at ${host.url}`);
  if (parsed.args.open) openBrowser(host.url);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.error(`wirechat: ${signal}: closing connections (1001 Going Away)…`);
    host.close().then(
      () => process.exit(0),
      (e: unknown) => {
        console.error(`wirechat: shutdown error: ${e instanceof Error ? e.message : String(e)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

void main();
