// A small argv parser shared by every subcommand: `--name value`, `--name=value`, repeatable
// options, boolean flags (`--flag`, `--no-flag`), and `--` to end options. Unknown options are
// usage errors (a typo must not be silently ignored).

export interface OptionSpec {
  /** Long name without dashes, e.g. "protocol". */
  name: string;
  /** One-letter alias without the dash, e.g. "p". */
  short?: string;
  /** 'flag' takes no value; 'value' takes one; 'list' takes one per use and may repeat. */
  kind: 'flag' | 'value' | 'list';
  /** Placeholder shown in help, e.g. "NAME". */
  valueName?: string;
  description: string;
}

export interface ParsedArgs {
  flags: Map<string, boolean>;
  values: Map<string, string>;
  lists: Map<string, string[]>;
  positionals: string[];
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function parseArgs(argv: readonly string[], specs: readonly OptionSpec[]): ParsedArgs {
  const out: ParsedArgs = { flags: new Map(), values: new Map(), lists: new Map(), positionals: [] };
  const byName = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short as string, s]));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      out.positionals.push(...argv.slice(i + 1));
      break;
    }
    let spec: OptionSpec | undefined;
    let inline: string | undefined;
    let negated = false;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
      spec = byName.get(name);
      if (!spec && name.startsWith('no-')) {
        const positive = byName.get(name.slice(3));
        if (positive?.kind === 'flag') {
          spec = positive;
          negated = true;
        }
      }
      if (!spec) throw new UsageError(`unknown option --${name}`);
    } else if (arg.startsWith('-') && arg.length > 1) {
      spec = byShort.get(arg.slice(1));
      if (!spec) throw new UsageError(`unknown option ${arg}`);
    } else {
      out.positionals.push(arg);
      continue;
    }
    if (spec.kind === 'flag') {
      if (inline !== undefined) throw new UsageError(`--${spec.name} takes no value`);
      out.flags.set(spec.name, !negated);
      continue;
    }
    let value = inline;
    if (value === undefined) {
      if (i + 1 >= argv.length) throw new UsageError(`--${spec.name} needs a value`);
      value = argv[++i];
    }
    if (spec.kind === 'value') {
      if (out.values.has(spec.name)) throw new UsageError(`--${spec.name} given twice`);
      out.values.set(spec.name, value);
    } else {
      const list = out.lists.get(spec.name) ?? [];
      list.push(value);
      out.lists.set(spec.name, list);
    }
  }
  return out;
}

/** Help text lines for a list of options, aligned. */
export function formatOptions(specs: readonly OptionSpec[]): string[] {
  const left = specs.map((s) => {
    const names = (s.short ? `-${s.short}, ` : '    ') + `--${s.name}`;
    return s.kind === 'flag' ? names : `${names} ${s.valueName ?? 'VALUE'}`;
  });
  const width = Math.max(...left.map((l) => l.length));
  return specs.map((s, i) => `  ${left[i].padEnd(width)}  ${s.description}${s.kind === 'list' ? ' (repeatable)' : ''}`);
}
