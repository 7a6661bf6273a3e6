// `wirechat echo URL`: connect and send every received message straight back, unchanged (text as
// text, binary as binary) until the connection closes — the client side of an echo test, e.g.
// against a server that checks what comes back.

import { connect } from '../transport/connection.ts';
import type { Connection } from '../transport/types.ts';
import type { CloseInfo, ErrorRecord } from '../../shared/model.ts';
import { closeCodeName, CloseCode } from '../../shared/protocol-constants.ts';
import { parseArgs, UsageError, type OptionSpec } from './args.ts';
import { helpFor } from './help.ts';
import { CONNECT_OPTION_SPECS, connectOptionsFrom } from './connect-options.ts';
import type { CliCommand, CliIo } from './command.ts';
import { EXIT_CODE_HELP, ExitCode, exitCodeFor } from './exit-codes.ts';

const ECHO_OPTIONS: OptionSpec[] = [
  ...CONNECT_OPTION_SPECS,
  { name: 'verbose', short: 'v', kind: 'flag', description: 'log the handshake and each message to stderr' },
  { name: 'help', short: 'h', kind: 'flag', description: 'show this help' },
];

/** Exit code after a second Ctrl-C dropped the connection (128 + SIGINT, the shell convention). */
const EXIT_INTERRUPTED = 130;

function describeClose(close: CloseInfo): string {
  const reason = close.reason ? ` "${close.reason}"` : '';
  return `${close.code} ${closeCodeName(close.code)}${reason}`;
}

/** One line for stderr that says why the run failed. */
function failureLine(close: CloseInfo | undefined, error: ErrorRecord | undefined): string {
  if (error) return `wirechat echo: ${error.code}: ${error.message}`;
  if (!close) return 'wirechat echo: the connection ended without a close status';
  if (!close.wasClean) return `wirechat echo: connection lost without a closing handshake (${describeClose(close)})`;
  return `wirechat echo: ${close.initiatedBy === 'server' ? 'server' : 'connection'} closed with ${describeClose(close)}`;
}

export const echoCommand: CliCommand = {
  name: 'echo',
  summary: 'connect and echo every message back until the connection closes',
  usage: 'echo [options] URL',
  details: [
    'Every text message is sent back as text and every binary message as binary, unchanged.',
    'Any ending other than a clean close prints one line on stderr saying why.',
    'Ctrl-C starts a normal close (1000); a second Ctrl-C drops the connection.',
    '',
    EXIT_CODE_HELP,
  ],
  options: ECHO_OPTIONS,
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    let url: string;
    let verbose: boolean;
    let conn: Connection;
    try {
      const args = parseArgs(argv, ECHO_OPTIONS);
      if (args.flags.get('help')) {
        io.stdout(helpFor(echoCommand));
        return ExitCode.Ok;
      }
      if (args.positionals.length !== 1) throw new UsageError(args.positionals.length === 0 ? 'echo needs a URL' : `echo takes one URL, got ${args.positionals.length} arguments`);
      url = args.positionals[0];
      verbose = args.flags.get('verbose') === true;
      const options = await connectOptionsFrom(url, args, io.readFile);
      conn = connect(options);
    } catch (err) {
      if (err instanceof UsageError) {
        io.stderr(`wirechat echo: ${err.message}\nTry 'wirechat echo --help'.\n`);
        return ExitCode.Usage;
      }
      // connect() refusing options synchronously (a WirechatError) is a clear one-line failure too.
      const code = (err as { code?: string }).code;
      io.stderr(`wirechat echo: ${code ?? 'ERROR'}: ${(err as Error).message}\n`);
      return code?.startsWith('INVALID_') ? ExitCode.Usage : ExitCode.Internal;
    }

    return new Promise<number>((resolve) => {
      let firstError: ErrorRecord | undefined;
      let opened = false;
      let interrupts = 0;
      const offInterrupt = io.onInterrupt(() => {
        interrupts++;
        if (interrupts === 1 && conn.state === 'OPEN') conn.close(CloseCode.Normal, 'interrupted');
        else {
          conn.terminate();
          finish(EXIT_INTERRUPTED, 'wirechat echo: interrupted\n');
        }
      });
      let done = false;
      const finish = (code: number, line?: string): void => {
        if (done) return;
        done = true;
        offInterrupt();
        off();
        if (line) io.stderr(line);
        resolve(code);
      };
      const off = conn.on((event) => {
        switch (event.type) {
          case 'handshake':
            if (verbose) io.stderr(`< ${event.handshake.responseText.split('\r\n')[0] ?? ''}\n`);
            break;
          case 'message': {
            const m = event.message;
            if (m.dir !== 'in' || conn.state !== 'OPEN') break;
            if (verbose) io.stderr(`echo ${m.kind} ${m.data.length} bytes\n`);
            try {
              if (m.kind === 'text') conn.sendText(m.text ?? new TextDecoder().decode(m.data));
              else conn.sendBinary(m.data);
            } catch (err) {
              // The connection started closing between delivery and our send: nothing to echo into.
              if (verbose) io.stderr(`not echoed: ${(err as Error).message}\n`);
            }
            break;
          }
          case 'error':
            firstError ??= event.error;
            break;
          case 'state': {
            if (event.state === 'OPEN') opened = true;
            if (event.state !== 'CLOSED') break;
            const code = exitCodeFor(firstError, event.close, opened);
            if (code === ExitCode.Ok) {
              if (verbose && event.close) io.stderr(`closed: ${describeClose(event.close)}\n`);
              finish(code);
            } else {
              finish(code, failureLine(event.close, firstError) + '\n');
            }
            break;
          }
          default:
            break;
        }
      });
      // Guard against a connection that was already closed before we subscribed.
      if (conn.state === 'CLOSED') finish(ExitCode.Internal, failureLine(undefined, firstError) + '\n');
    });
  },
};

/** Re-exported: other subcommands import the help builder from here. */
export { helpFor } from './help.ts';
