// `wirechat connect URL`: an interactive client like wscat, on the same core and transport as the
// app. Stdin lines are sent as text (or are /commands, see input-commands.ts); everything received
// is printed with its direction; --frames shows each frame header as the app's frame log does;
// --json prints one JSON object per event. -x/--execute sends messages without reading stdin and
// -w/--wait lingers before closing. The exit code says how the connection ended (exit-codes.ts).
import { createInterface, type Interface } from 'node:readline';
import type { ConnectOptions, ErrorRecord, CloseInfo } from '../../shared/model.ts';
import { CloseCode } from '../../shared/protocol-constants.ts';
import { validateConnectOptions } from '../../shared/validate.ts';
import { connect } from '../transport/connection.ts';
import type { Connection } from '../transport/types.ts';
import { parseArgs, UsageError, type OptionSpec, type ParsedArgs } from './args.ts';
import type { CliCommand, CliIo } from './command.ts';
import { CONNECT_OPTION_SPECS, connectOptionsFrom } from './connect-options.ts';
import { helpFor } from './help.ts';
import { EXIT_CODE_HELP, ExitCode, exitCodeFor } from './exit-codes.ts';
import { INPUT_HELP, parseInputLine, type InputAction } from './input-commands.ts';
import { Printer } from './printer.ts';

const MS_PER_S = 1000;
/** Stop reading stdin while this much is queued in the socket (piped input faster than the link). */
const INPUT_HIGH_WATER_BYTES = 4 * 1024 * 1024;

export const CLIENT_TLS_AND_KEEPALIVE_SPECS: OptionSpec[] = [
  { name: 'cert', kind: 'value', valueName: 'FILE', description: 'client certificate (PEM) for wss://; needs --key' },
  { name: 'key', kind: 'value', valueName: 'FILE', description: 'private key (PEM) of the client certificate' },
  { name: 'ping-interval', kind: 'value', valueName: 'S', description: 'send a ping every S seconds; fail if no pong comes back' },
  { name: 'auto-pong', kind: 'flag', description: 'answer pings automatically (default on; --no-auto-pong to turn off)' },
];

const CONNECT_SPECS: OptionSpec[] = [
  ...CONNECT_OPTION_SPECS,
  ...CLIENT_TLS_AND_KEEPALIVE_SPECS,
  { name: 'execute', short: 'x', kind: 'list', valueName: 'MESSAGE', description: 'send MESSAGE (a line as typed, /commands too) instead of reading stdin, then close' },
  { name: 'wait', short: 'w', kind: 'value', valueName: 'S', description: 'after -x messages (or the end of stdin), wait S seconds before closing' },
  { name: 'frames', short: 'f', kind: 'flag', description: "print every frame's header (FIN, RSV, opcode, mask key, length)" },
  { name: 'json', short: 'j', kind: 'flag', description: 'print one JSON object per event (for scripts)' },
  { name: 'timestamps', short: 't', kind: 'flag', description: 'prefix every line with the time (ISO 8601, UTC)' },
  { name: 'show-handshake', kind: 'flag', description: 'print the exact request and response of the opening handshake' },
  { name: 'help', short: 'h', kind: 'flag', description: 'show this help' },
];

function seconds(name: string, text: string): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v) || v < 0) throw new UsageError(`--${name} must be a number of seconds ≥ 0, got "${text}"`);
  return v;
}

/** The connection options of `connect` and `autobahn`: the shared set plus client certificate and keepalive. */
export async function fullConnectOptions(url: string, args: ParsedArgs, readFile: (p: string) => Promise<string>): Promise<ConnectOptions> {
  const base = await connectOptionsFrom(url, args, readFile);
  const draft: ConnectOptions = { ...base };
  const cert = args.values.get('cert');
  const key = args.values.get('key');
  if ((cert === undefined) !== (key === undefined)) throw new UsageError('--cert and --key go together');
  if (cert !== undefined && key !== undefined) {
    const read = async (opt: string, path: string): Promise<string> => {
      try {
        return await readFile(path);
      } catch (err) {
        throw new UsageError(`cannot read --${opt} ${path}: ${(err as Error).message}`);
      }
    };
    draft.tls = { verify: true, ...draft.tls, certPem: await read('cert', cert), keyPem: await read('key', key) };
  }
  const ping = args.values.get('ping-interval');
  if (ping !== undefined) {
    const s = seconds('ping-interval', ping);
    if (s === 0) throw new UsageError('--ping-interval must be more than 0 seconds');
    draft.keepaliveIntervalSec = s;
  }
  if (args.flags.get('auto-pong') === false) draft.autoPong = false;
  const checked = validateConnectOptions(draft);
  if (!checked.ok) throw new UsageError(checked.error.message);
  return checked.value;
}

function stdinOf(io: CliIo): NodeJS.ReadableStream {
  // CliIo has no stdin (echo never reads input); tests run this command as a process.
  return (io as CliIo & { stdin?: NodeJS.ReadableStream }).stdin ?? process.stdin;
}

export const connectCommand: CliCommand = {
  name: 'connect',
  summary: 'interactive client: send lines, print what arrives (like wscat, with frames and JSON)',
  usage: 'connect [options] URL',
  details: [INPUT_HELP, '', 'Ctrl-C (or the end of stdin) starts a normal close (1000); a second Ctrl-C drops the connection.', '', EXIT_CODE_HELP],
  options: CONNECT_SPECS,
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    let url: string;
    let args: ParsedArgs;
    let options: ConnectOptions;
    let waitMs: number | undefined;
    try {
      args = parseArgs(argv, CONNECT_SPECS);
      if (args.flags.get('help')) {
        io.stdout(helpFor(connectCommand));
        return ExitCode.Ok;
      }
      if (args.positionals.length !== 1) throw new UsageError(args.positionals.length === 0 ? 'connect needs a URL' : `connect takes one URL, got ${args.positionals.length} arguments`);
      url = args.positionals[0];
      const w = args.values.get('wait');
      if (w !== undefined) waitMs = seconds('wait', w) * MS_PER_S;
      options = await fullConnectOptions(url, args, io.readFile);
    } catch (err) {
      if (err instanceof UsageError) {
        io.stderr(`wirechat connect: ${err.message}\nTry 'wirechat connect --help'.\n`);
        return ExitCode.Usage;
      }
      throw err;
    }
    const printer = new Printer({
      json: args.flags.get('json') === true,
      timestamps: args.flags.get('timestamps') === true,
      frames: args.flags.get('frames') === true,
      stdout: io.stdout,
      stderr: io.stderr,
    });
    let conn: Connection;
    try {
      conn = connect(options);
    } catch (err) {
      const code = (err as { code?: string }).code ?? 'INTERNAL';
      io.stderr(`wirechat connect: ${(err as Error).message} [${code}]\n`);
      return code === 'INVALID_URL' || code === 'INVALID_OPTIONS' ? ExitCode.Usage : ExitCode.Internal;
    }
    return session(conn, url, args, printer, io, waitMs);
  },
};

function session(conn: Connection, url: string, args: ParsedArgs, printer: Printer, io: CliIo, waitMs: number | undefined): Promise<number> {
  const execute = args.lists.get('execute') ?? [];
  const showHandshake = args.flags.get('show-handshake') === true;
  return new Promise<number>((resolve) => {
    let firstError: ErrorRecord | undefined;
    let rl: Interface | undefined;
    let waitTimer: NodeJS.Timeout | undefined;
    let interrupts = 0;
    let closeRequested = false;
    let opened = false;
    let dropped = false;
    let done = false;

    const requestClose = (code?: number, reason?: string): void => {
      if (closeRequested || conn.state !== 'OPEN') return;
      closeRequested = true;
      try {
        conn.close(code, reason);
      } catch (err) {
        printer.inputError((err as Error).message);
      }
    };
    const closeSoon = (): void => {
      if (waitMs === undefined || waitMs === 0) requestClose(CloseCode.Normal);
      else waitTimer = setTimeout(() => requestClose(CloseCode.Normal), waitMs);
    };
    const stopInput = (): void => {
      // Clear rl first: its 'close' handler treats a still-set rl as "stdin ended".
      const r = rl;
      rl = undefined;
      r?.close();
      const input = stdinOf(io);
      if ('pause' in input && typeof input.pause === 'function') input.pause();
    };
    const finish = (code: number): void => {
      if (done) return;
      done = true;
      clearTimeout(waitTimer);
      stopInput();
      offInterrupt();
      off();
      resolve(code);
    };

    /** Performs one line of input; returns false when it was a /close (no more input wanted). */
    const perform = (a: InputAction): boolean => {
      try {
        switch (a.kind) {
          case 'text':
            conn.sendText(a.text);
            break;
          case 'binary':
            conn.sendBinary(a.data);
            break;
          case 'ping':
            conn.ping(a.payload);
            break;
          case 'pong':
            conn.pong(a.payload);
            break;
          case 'close':
            if (waitTimer) clearTimeout(waitTimer);
            requestClose(a.code, a.reason);
            return false;
          case 'help':
            io.stderr(INPUT_HELP + '\n');
            break;
          case 'error':
            printer.inputError(a.message);
            break;
        }
      } catch (err) {
        // Sending after the server started closing, or an argument the core refuses: report the
        // line, keep the session.
        printer.inputError((err as Error).message);
      }
      return true;
    };

    const startInput = (): void => {
      if (execute.length) {
        for (const line of execute) if (!perform(parseInputLine(line))) return;
        closeSoon();
        return;
      }
      const input = stdinOf(io);
      rl = createInterface({ input, crlfDelay: Infinity, terminal: false });
      rl.on('line', (line) => {
        if (conn.state !== 'OPEN' || closeRequested) return;
        if (!perform(parseInputLine(line))) stopInput();
        else if (conn.bufferedAmount > INPUT_HIGH_WATER_BYTES) rl?.pause();
      });
      rl.on('close', () => {
        if (rl && !done) closeSoon();
        rl = undefined;
      });
    };

    const offInterrupt = io.onInterrupt(() => {
      interrupts++;
      if (interrupts === 1 && conn.state === 'OPEN') {
        stopInput();
        requestClose(CloseCode.Normal, 'interrupted');
      } else {
        // terminate() reports CLOSED synchronously; mark first so that ending exits 130.
        dropped = true;
        printer.info('interrupted: connection dropped');
        conn.terminate();
        finish(ExitCode.Interrupted);
      }
    });

    const off = conn.on((event) => {
      switch (event.type) {
        case 'handshake':
          if (showHandshake) printer.handshake(event.handshake);
          break;
        case 'frame':
          printer.frame(event.frame);
          break;
        case 'message':
          printer.message(event.message);
          break;
        case 'error':
          firstError ??= event.error;
          printer.error(event.error);
          break;
        case 'drain':
          rl?.resume();
          break;
        case 'state':
          if (event.state === 'OPEN') {
            opened = true;
            printer.open(url, conn.handshake);
            startInput();
          } else if (event.state === 'CLOSED') {
            const close: CloseInfo | undefined = event.close;
            if (close) printer.closed(close);
            finish(dropped ? ExitCode.Interrupted : exitCodeFor(firstError, close, opened));
          }
          break;
      }
    });
    if (conn.state === 'CLOSED') finish(exitCodeFor(firstError, undefined));
  });
}
