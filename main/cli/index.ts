// The `wirechat` program: bin/wirechat.mjs imports this file (or its bundle in dist/) to run the CLI.
// Everything testable lives in cli.ts.

import { runCli, processIo } from './cli.ts';

const code = await runCli(process.argv.slice(2), processIo);
// Exit now: on Linux, writes to stdout/stderr pipes and files are synchronous, so nothing is lost,
// and a lingering timer or half-closed socket cannot keep the process alive after the result.
process.exit(code);
