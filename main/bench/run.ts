// `npm run bench`: builds, then runs this with --expose-gc. Prints one table per suite; every
// table compares ours with an anchor measured in the same run, interleaved (harness.ts).
//   --quick            fewer repetitions and smaller workloads (about a minute)
//   --only a,b         suites: parser, framer, mask, utf8, loopback, session
//   --no-chromium      skip the Chromium anchor in the loopback suite
//   --reps N           repetitions per case
//   --json FILE        also write the raw figures as JSON
//   --child ROLE       internal: run an echo server for the loopback suite (child.ts)
import { cpus, loadavg, totalmem } from 'node:os';
import { writeFileSync } from 'node:fs';
import { runChild } from './child.ts';
import { formatTable, runCase, type Case, type CaseResult } from './harness.ts';
import { framerCases, maskCases, parserCases, utf8Cases } from './codec.ts';
import { loopbackCases, startChild, stopChildren, wsClient, type ClientFactory } from './loopback.ts';
import { bufferutilPkg, wsNative, wsPureJs } from './ws-anchor.ts';
import { loadOurs, oursClient, sessionCases } from './ours-io.ts';

/** Issue 4: 50,000 messages arriving in a burst through the session layer. */
const SESSION_MESSAGES = 50_000;
const LOOPBACK_MAX_REPS = 5;
const SUITES = ['parser', 'framer', 'mask', 'utf8', 'loopback', 'session'] as const;
type Suite = (typeof SUITES)[number];

interface Args {
  quick: boolean;
  only: Set<Suite>;
  chromium: boolean;
  reps: number | undefined;
  json: string | undefined;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { quick: false, only: new Set(SUITES), chromium: true, reps: undefined, json: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--quick') a.quick = true;
    else if (arg === '--no-chromium') a.chromium = false;
    else if (arg === '--only') {
      const list = (argv[++i] ?? '').split(',').filter(Boolean);
      for (const s of list) if (!(SUITES as readonly string[]).includes(s)) throw new Error(`unknown suite "${s}" (have: ${SUITES.join(', ')})`);
      a.only = new Set(list as Suite[]);
    } else if (arg === '--reps') {
      a.reps = Number(argv[++i]);
      if (!Number.isInteger(a.reps) || a.reps < 1) throw new Error('--reps needs a positive integer');
    } else if (arg === '--json') a.json = argv[++i];
    else if (arg === '--help' || arg === '-h') {
      console.log('usage: npm run bench -- [--quick] [--only parser,framer,mask,utf8,loopback,session] [--no-chromium] [--reps N] [--json FILE]');
      process.exit(0);
    } else throw new Error(`unknown argument ${arg}`);
  }
  return a;
}

function machine(): string {
  const c = cpus();
  const n = wsNative();
  const j = wsPureJs();
  return [
    `machine: ${c[0]?.model ?? 'unknown CPU'} × ${c.length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${process.platform}-${process.arch}`,
    `node ${process.version} (V8 ${process.versions.v8}), gc exposed: ${typeof (globalThis as { gc?: unknown }).gc === 'function'}`,
    `ws ${n.version}: as installed masks with ${n.maskHelper}, validates UTF-8 with ${n.utf8Helper}; ` +
      `pure-JS copy masks with ${j.maskHelper}, validates with ${j.utf8Helper} (Node has Buffer.isUtf8, so ws never loads utf-8-validate)`,
    `bufferutil native: ${bufferutilPkg().mask.toString().includes('[native code]')}`,
    `load average at start: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`,
  ].join('\n');
}

async function main(): Promise<void> {
  const childAt = process.argv.indexOf('--child');
  if (childAt >= 0) {
    runChild(process.argv[childAt + 1] ?? '');
    return;
  }
  const args = parseArgs(process.argv.slice(2));
  const reps = args.reps ?? (args.quick ? 3 : 7);
  const opts = { repetitions: reps, warmups: 1, log: (l: string) => console.error(l) };
  const codecOpts = { sampleSeconds: args.quick ? 0.05 : 0.15, streamBytes: (args.quick ? 4 : 8) * 1024 * 1024 };
  console.log(`# wirechat bench${args.quick ? ' --quick' : ''} — ${new Date().toISOString()}\n`);
  console.log(machine());
  console.log(
    `repetitions: ${reps}, interleaved; figures are min / median / max of the repetitions; "vs anchor" = median over the ` +
      `repetitions of (this sample ÷ the anchor's sample in the same repetition).\n`,
  );
  const ours = await loadOurs();
  if (args.only.has('loopback') || args.only.has('session')) {
    await startChild('ws-echo');
    if (args.only.has('loopback')) await startChild('tcp-echo');
  }
  try {
    await runSuites(args, reps, opts, codecOpts, ours);
  } finally {
    await stopChildren();
  }
}

async function runSuites(
  args: Args,
  reps: number,
  opts: { repetitions: number; warmups: number; log: (l: string) => void },
  codecOpts: { sampleSeconds: number; streamBytes: number },
  ours: Awaited<ReturnType<typeof loadOurs>>,
): Promise<void> {
  const all: CaseResult[] = [];
  const runSuite = async (title: string, cases: Case[], repetitions = reps): Promise<void> => {
    const results: CaseResult[] = [];
    for (const c of cases) {
      console.error(`… ${c.suite}: ${c.workload}`);
      results.push(await runCase(c, { ...opts, repetitions }));
    }
    all.push(...results);
    console.log(formatTable(repetitions === reps ? title : `${title} — ${repetitions} repetitions`, results) + '\n');
  };
  if (args.only.has('parser')) await runSuite('Parser: server→client frames in 64 KiB reads, UTF-8 validated (payload MB/s)', parserCases(codecOpts, ours));
  if (args.only.has('framer')) await runSuite('Framer: masked client frames (payload MB/s)', framerCases(codecOpts, ours));
  if (args.only.has('mask')) await runSuite('Masking alone, 1 MiB', maskCases(codecOpts, ours));
  if (args.only.has('utf8')) await runSuite('UTF-8 validation alone, 1 MiB mixed text', utf8Cases(codecOpts, ours));
  if (args.only.has('loopback')) {
    const clients: ClientFactory[] = [];
    const oc = oursClient();
    if (oc) clients.push(oc);
    clients.push(wsClient);
    const q = args.quick;
    const lb = await loopbackCases({ pingPongCount: q ? 2000 : 5000, streamCount: q ? 20_000 : 100_000, bulkCount: q ? 16 : 32, chromium: args.chromium }, clients);
    try {
      // Each loopback sample is seconds long (Chromium's stream alone ~10 s): fewer rounds keep a
      // full run within about five minutes.
      await runSuite('Loopback echo against a ws server in another process, 127.0.0.1', lb.cases, Math.min(reps, LOOPBACK_MAX_REPS));
    } finally {
      await lb.stop();
    }
  }
  if (args.only.has('session')) {
    const session = sessionCases({ messages: SESSION_MESSAGES });
    if (session) {
      try {
        await runSuite(`Session layer: ${SESSION_MESSAGES.toLocaleString('en')} messages in a burst to a batched consumer`, session.cases);
      } finally {
        session.stop();
      }
    }
  }
  console.log(`load average at end: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  if (args.json) {
    writeFileSync(args.json, JSON.stringify(all.map((r) => ({ suite: r.case.suite, workload: r.case.workload, unit: r.case.unit, results: r.results })), null, 1));
  }
}

main().catch((err: unknown) => {
  console.error(`bench: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
