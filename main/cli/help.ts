// Help text for one subcommand, built from its CliCommand description.

import { formatOptions } from './args.ts';
import type { CliCommand } from './command.ts';

export function helpFor(cmd: CliCommand): string {
  return [`Usage: wirechat ${cmd.usage}`, '', cmd.summary, '', ...cmd.details, '', 'Options:', ...formatOptions(cmd.options), ''].join('\n');
}
