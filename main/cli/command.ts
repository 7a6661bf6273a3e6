// What a subcommand looks like. index.ts keeps the list; adding a command (connect, autobahn, …)
// means writing one module that exports a CliCommand and adding it to that list.

import type { OptionSpec } from './args.ts';

/** Where a command writes; injected so tests and the bin share one code path. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Subscribe to Ctrl-C / SIGTERM; returns an unsubscribe function. */
  onInterrupt: (handler: () => void) => () => void;
  readFile: (path: string) => Promise<string>;
}

export interface CliCommand {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Usage line after "wirechat ", e.g. "echo [options] URL". */
  usage: string;
  /** Paragraphs printed by `wirechat <name> --help` after the usage line. */
  details: string[];
  options: OptionSpec[];
  /** Resolves with the process exit code (see exit-codes.ts). */
  run(argv: readonly string[], io: CliIo): Promise<number>;
}

