// The `wirechat` command line, importable (tests call runCli). One entry per subcommand in
// COMMANDS; each subcommand parses its own options and returns an exit code. index.ts runs it.

import { readFile } from 'node:fs/promises';
import { echoCommand } from './echo.ts';
import { connectCommand } from './connect.ts';
import { autobahnCommand } from './autobahn.ts';
import { helpFor } from './help.ts';
import type { CliCommand, CliIo } from './command.ts';
import { ExitCode } from './exit-codes.ts';

export const COMMANDS: readonly CliCommand[] = [connectCommand, echoCommand, autobahnCommand];

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Usage: wirechat <command> [options]',
    '',
    'Wirechat on the command line: the same WebSocket client as the app, without a window.',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "Run 'wirechat <command> --help' for the options of a command.",
    '',
  ].join('\n');
}

/** Run the CLI with the given arguments; resolves with the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    if (name === 'help' && rest[0]) {
      const cmd = COMMANDS.find((c) => c.name === rest[0]);
      if (cmd) {
        io.stdout(helpFor(cmd));
        return ExitCode.Ok;
      }
    }
    io.stdout(mainHelp());
    return name === undefined ? ExitCode.Usage : ExitCode.Ok;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    io.stderr(`wirechat: unknown command "${name}". Run 'wirechat --help' for the list.\n`);
    return ExitCode.Usage;
  }
  return cmd.run(rest, io);
}

export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  onInterrupt: (handler) => {
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
    return () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    };
  },
  readFile: (path) => readFile(path, 'utf8'),
};

