// Command-line arguments of the browser host: --port N, --open, --static-dir DIR, --help.

export interface WebArgs {
  port: number;
  open: boolean;
  staticDir?: string;
  help: boolean;
}

export const MAX_PORT = 65_535;

export const WEB_USAGE = `Usage: wirechat-web [--port N] [--open] [--static-dir DIR]

Serves the Wirechat UI and its API on http://127.0.0.1 only.
  --port N          listen on port N (default 0: a random free port)
  --open            open the default browser on the printed URL
  --static-dir DIR  serve the renderer from DIR (default: dist/renderer next to this program)
  --help            show this help`;

export function parseWebArgs(argv: readonly string[]): { ok: true; args: WebArgs } | { ok: false; message: string } {
  const args: WebArgs = { port: 0, open: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.indexOf('=');
    const name = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const inline = a.startsWith('--') && eq > 0 ? a.slice(eq + 1) : undefined;
    const value = (): string | undefined => inline ?? argv[++i];
    switch (name) {
      case '--port': {
        const v = value();
        const n = v !== undefined && /^\d+$/.test(v) ? Number(v) : NaN;
        if (!Number.isInteger(n) || n < 0 || n > MAX_PORT) return { ok: false, message: `--port needs a number from 0 to ${MAX_PORT}, got ${JSON.stringify(v ?? '')}` };
        args.port = n;
        break;
      }
      case '--open':
        args.open = true;
        break;
      case '--static-dir': {
        const v = value();
        if (!v) return { ok: false, message: '--static-dir needs a directory' };
        args.staticDir = v;
        break;
      }
      case '--help':
      case '-h':
        args.help = true;
        break;
      default:
        return { ok: false, message: `Unknown argument ${JSON.stringify(a)} (try --help)` };
    }
  }
  return { ok: true, args };
}

/** The command that opens a URL in the default browser on this platform. */
export function openerFor(platform: string, url: string): { command: string; args: string[] } {
  if (platform === 'darwin') return { command: 'open', args: [url] };
  // `start` is a cmd.exe builtin; the empty string is the window title argument.
  if (platform === 'win32') return { command: 'cmd', args: ['/c', 'start', '""', url] };
  return { command: 'xdg-open', args: [url] };
}
