// `wirechat autobahn URL`: the client side of the Autobahn|Testsuite fuzzingserver protocol.
//   1. ws://…/getCaseCount                      the server sends one text message: the case count
//   2. ws://…/runCase?case=N&agent=NAME          echo every message back until the server closes
//   3. ws://…/updateReports?agent=NAME           the server writes its reports, then closes
// The fuzzingserver judges each case itself (it watches what we echo, how we fail, how we close);
// this command's job is to run them all, show progress and say how each connection ended. Cases
// where we fail the connection on purpose (bad UTF-8, reserved opcodes, …) are expected.
import type { CloseInfo, ConnectOptions, ErrorRecord } from '../../shared/model.ts';
import { connect } from '../transport/connection.ts';
import type { Connection, WireMessage } from '../transport/types.ts';
import { parseArgs, UsageError, type OptionSpec, type ParsedArgs } from './args.ts';
import type { CliCommand, CliIo } from './command.ts';
import { CONNECT_OPTION_SPECS } from './connect-options.ts';
import { CLIENT_TLS_AND_KEEPALIVE_SPECS, fullConnectOptions } from './connect.ts';
import { helpFor } from './help.ts';
import { ExitCode, exitCodeFor } from './exit-codes.ts';

const DEFAULT_AGENT = 'wirechat';
/** Autobahn's largest messages are 16 MiB (cases 9.x); leave headroom above the app default. */
const AUTOBAHN_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
const MS_PER_S = 1000;
/** On a terminal the progress line is rewritten in place at most this often. */
const PROGRESS_INTERVAL_MS = 100;

const AUTOBAHN_SPECS: OptionSpec[] = [
  { name: 'agent', short: 'a', kind: 'value', valueName: 'NAME', description: `agent name in the reports (default "${DEFAULT_AGENT}")` },
  { name: 'cases', short: 'c', kind: 'value', valueName: 'LIST', description: 'only these case numbers, e.g. "1-16,45,200-210" (default: all)' },
  ...CONNECT_OPTION_SPECS.filter((s) => s.name !== 'protocol'),
  ...CLIENT_TLS_AND_KEEPALIVE_SPECS.filter((s) => s.name !== 'auto-pong'),
  { name: 'help', short: 'h', kind: 'flag', description: 'show this help' },
];

/** "1-3,7" → [1, 2, 3, 7]; numbers are 1-based case indexes as the fuzzingserver counts them. */
export function parseCaseList(text: string): number[] {
  const out = new Set<number>();
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new UsageError(`--cases: "${part}" is not a number or a range like 5-9`);
    const a = Number(m[1]);
    const b = m[2] !== undefined ? Number(m[2]) : a;
    if (a < 1 || b < a) throw new UsageError(`--cases: bad range "${part}"`);
    for (let n = a; n <= b; n++) out.add(n);
  }
  if (out.size === 0) throw new UsageError('--cases is empty');
  return [...out].sort((x, y) => x - y);
}

interface Outcome {
  opened: boolean;
  close: CloseInfo | undefined;
  error: ErrorRecord | undefined;
  messages: string[];
}

/** One connection to `url`; echo=true sends every message back. Resolves when it is CLOSED. */
function runConnection(options: ConnectOptions, echo: boolean): Promise<Outcome> {
  return new Promise((resolve) => {
    let conn: Connection;
    try {
      conn = connect(options);
    } catch (err) {
      const e = err as Error & { code?: ErrorRecord['code'] };
      resolve({ opened: false, close: undefined, error: { code: e.code ?? 'INTERNAL', message: e.message, time: Date.now() }, messages: [] });
      return;
    }
    const messages: string[] = [];
    let error: ErrorRecord | undefined;
    let opened = false;
    const echoBack = (m: WireMessage): void => {
      if (conn.state !== 'OPEN') return;
      try {
        if (m.kind === 'text') conn.sendText(m.text ?? new TextDecoder().decode(m.data));
        else conn.sendBinary(m.data);
      } catch {
        // The server began closing after this message arrived: nothing to echo into.
      }
    };
    const off = conn.on((event) => {
      if (event.type === 'message' && event.message.dir === 'in') {
        if (echo) echoBack(event.message);
        else if (event.message.kind === 'text') messages.push(event.message.text ?? '');
      } else if (event.type === 'error') error ??= event.error;
      else if (event.type === 'state' && event.state === 'OPEN') opened = true;
      else if (event.type === 'state' && event.state === 'CLOSED') {
        off();
        resolve({ opened, close: event.close, error, messages });
      }
    });
  });
}

function describe(o: Outcome): string {
  if (o.error) return `${o.error.code}: ${o.error.message}`;
  if (!o.close) return 'no close status';
  return `${o.close.code}${o.close.reason ? ` "${o.close.reason}"` : ''}${o.close.wasClean ? '' : ' (not clean)'}`;
}

export const autobahnCommand: CliCommand = {
  name: 'autobahn',
  summary: 'run the Autobahn|Testsuite fuzzingserver cases in echo mode and update its reports',
  usage: 'autobahn [options] URL   (URL of the fuzzingserver, e.g. ws://127.0.0.1:9001)',
  details: [
    'Asks the fuzzingserver for the case count (/getCaseCount), runs each case (/runCase?case=N&agent=NAME),',
    'echoing every message, then asks it to write the reports (/updateReports?agent=NAME). The server',
    'judges the cases; this prints progress, how each connection ended, and a summary.',
    'permessage-deflate is offered unless --no-deflate (cases 12.x and 13.x need it).',
    'Exit status: 0 when every case ran and the reports were updated; otherwise the code of the',
    'failing control connection (3 connection failed, 4 handshake failed, …); 2 on a bad command line.',
  ],
  options: AUTOBAHN_SPECS,
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    let args: ParsedArgs;
    let base: string;
    let agent: string;
    let wanted: number[] | undefined;
    let template: ConnectOptions;
    try {
      args = parseArgs(argv, AUTOBAHN_SPECS);
      if (args.flags.get('help')) {
        io.stdout(helpFor(autobahnCommand));
        return ExitCode.Ok;
      }
      if (args.positionals.length !== 1) throw new UsageError('autobahn needs the fuzzingserver URL, e.g. ws://127.0.0.1:9001');
      base = args.positionals[0].replace(/\/+$/, '');
      if (/[?#]/.test(base)) throw new UsageError('the fuzzingserver URL takes no query or fragment');
      agent = args.values.get('agent') ?? DEFAULT_AGENT;
      if (agent === '') throw new UsageError('--agent must not be empty');
      const list = args.values.get('cases');
      if (list !== undefined) wanted = parseCaseList(list);
      template = await fullConnectOptions(`${base}/getCaseCount`, args, io.readFile);
      if (args.values.get('max-message') === undefined) template.maxMessageBytes = AUTOBAHN_MAX_MESSAGE_BYTES;
    } catch (err) {
      if (err instanceof UsageError) {
        io.stderr(`wirechat autobahn: ${err.message}\nTry 'wirechat autobahn --help'.\n`);
        return ExitCode.Usage;
      }
      throw err;
    }
    const at = (path: string): ConnectOptions => ({ ...template, url: `${base}${path}`, label: path });
    const agentQ = encodeURIComponent(agent);

    let interrupted = false;
    const offInterrupt = io.onInterrupt(() => {
      interrupted = true;
      io.stderr('\nwirechat autobahn: interrupted; stopping after the current case\n');
    });
    try {
      const countRun = await runConnection(at('/getCaseCount'), false);
      const count = Number(countRun.messages[0]);
      if (!Number.isInteger(count) || count < 0) {
        const code = countRun.error ? exitCodeFor(countRun.error, countRun.close, countRun.opened) : ExitCode.ProtocolError;
        io.stderr(`wirechat autobahn: /getCaseCount did not return a case count (${countRun.messages.length ? `got "${countRun.messages[0].slice(0, 80)}"` : describe(countRun)})\n`);
        return code === ExitCode.Ok ? ExitCode.ProtocolError : code;
      }
      const cases = (wanted ?? Array.from({ length: count }, (_, i) => i + 1)).filter((n) => n <= count);
      if (wanted && cases.length < wanted.length) io.stderr(`wirechat autobahn: the server has ${count} cases; ignoring ${wanted.length - cases.length} numbers above that\n`);
      io.stderr(`autobahn: ${count} cases on the server, running ${cases.length} as agent "${agent}"\n`);

      const tty = (process.stderr as { isTTY?: boolean }).isTTY === true;
      const started = Date.now();
      let lastProgress = 0;
      const tally = { clean: 0, failedByUs: 0, closedByServer: 0, other: 0 };
      let ran = 0;
      for (const n of cases) {
        if (interrupted) break;
        const o = await runConnection(at(`/runCase?case=${n}&agent=${agentQ}`), true);
        ran++;
        if (o.error && o.close?.initiatedBy !== 'server') tally.failedByUs++;
        else if (o.close?.wasClean) tally.clean++;
        else if (o.close?.initiatedBy === 'server') tally.closedByServer++;
        else tally.other++;
        const line = `[${String(ran).padStart(String(cases.length).length)}/${cases.length}] case ${n}: ${describe(o)}`;
        if (tty) {
          const now = Date.now();
          if (now - lastProgress >= PROGRESS_INTERVAL_MS || ran === cases.length) {
            io.stderr(`\r\u001b[K${line}`);
            lastProgress = now;
          }
        } else io.stderr(line + '\n');
      }
      if (tty) io.stderr('\n');
      const seconds = ((Date.now() - started) / MS_PER_S).toFixed(1);
      const reports = await runConnection(at(`/updateReports?agent=${agentQ}`), false);
      const reportCode = exitCodeFor(reports.error, reports.close, reports.opened);
      io.stdout(
        `autobahn: ran ${ran}/${cases.length} cases in ${seconds} s — ${tally.clean} closed cleanly, ` +
          `${tally.failedByUs} failed by us (protocol checks), ${tally.closedByServer} dropped by the server, ${tally.other} other\n`,
      );
      if (reportCode !== ExitCode.Ok) {
        io.stderr(`wirechat autobahn: /updateReports failed: ${describe(reports)}\n`);
        return reportCode;
      }
      io.stdout(`autobahn: reports updated for agent "${agent}"\n`);
      return interrupted ? ExitCode.Interrupted : ExitCode.Ok;
    } finally {
      offInterrupt();
    }
  },
};
