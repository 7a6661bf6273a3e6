// Benchmark harness: interleaved repetitions, min/median/max, ratio tables.
//
// House rule 11: a benchmark is a script that prints a table (ours vs. the anchor, as a ratio, in
// one run). The machine is shared and noisy, so every case runs all of its implementations in
// turn, repetition after repetition (A B C, B C A, C A B, …): a burst of load hits every
// implementation alike, and the ratio of medians taken in the same run is what we compare.

/** One measured sample: how much work was done in how long. */
export interface Sample {
  seconds: number;
  /** Units of work (messages, frames, bytes — see Case.unit). */
  units: number;
  /** Optional secondary figures, e.g. latency percentiles, batches, peak memory. */
  extra?: Record<string, number>;
}

export interface Impl {
  name: string;
  /** True for the implementation under test (ours). */
  ours?: boolean;
  /** True for the implementation our figure is divided by. */
  anchor?: boolean;
  /** Prepared once before the first repetition (and its warm-up). */
  setup?: () => Promise<void> | void;
  /** One sample. */
  run: () => Promise<Sample> | Sample;
  teardown?: () => Promise<void> | void;
}

export interface Case {
  suite: string;
  workload: string;
  /** Label of Sample.units / s, e.g. 'MB/s' (then units are bytes and scaled by 1e6). */
  unit: 'MB/s' | 'msgs/s' | 'frames/s' | 'events/s' | 'GB/s';
  impls: Impl[];
  /** Extra columns to show from Sample.extra (median of each), with their labels. */
  extraColumns?: { key: string; label: string; lowerIsBetter?: boolean }[];
}

export interface ImplResult {
  name: string;
  ours: boolean;
  anchor: boolean;
  rates: number[];
  extras: Record<string, number[]>;
  error?: string;
}

export interface CaseResult {
  case: Case;
  results: ImplResult[];
}

export interface RunOptions {
  repetitions: number;
  /** Warm-up samples per implementation, discarded. */
  warmups: number;
  log?: (line: string) => void;
}

const UNIT_SCALE: Record<Case['unit'], number> = {
  'MB/s': 1e6,
  'GB/s': 1e9,
  'msgs/s': 1,
  'frames/s': 1,
  'events/s': 1,
};

declare const gc: undefined | (() => void);
/** Collect garbage between samples (npm run bench passes --expose-gc) so one implementation's
 * garbage is not paid for by the next one. */
export function collectGarbage(): void {
  if (typeof gc === 'function') gc();
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx];
}

/** High-resolution monotonic clock in seconds. */
export function now(): number {
  return Number(process.hrtime.bigint()) / 1e9;
}

/** Runs one case: set-up, warm-ups, then `repetitions` rounds with a rotating order. */
export async function runCase(c: Case, opts: RunOptions): Promise<CaseResult> {
  const results: ImplResult[] = c.impls.map((i) => ({
    name: i.name,
    ours: !!i.ours,
    anchor: !!i.anchor,
    rates: [],
    extras: {},
  }));
  const alive = c.impls.map(() => true);
  const fail = (k: number, err: unknown): void => {
    alive[k] = false;
    results[k].error = err instanceof Error ? err.message : String(err);
    opts.log?.(`  ! ${c.suite}/${c.workload}/${c.impls[k].name}: ${results[k].error}`);
  };
  for (let k = 0; k < c.impls.length; k++) {
    try {
      await c.impls[k].setup?.();
      for (let w = 0; w < opts.warmups; w++) await c.impls[k].run();
    } catch (err) {
      fail(k, err);
    }
  }
  for (let r = 0; r < opts.repetitions; r++) {
    for (let j = 0; j < c.impls.length; j++) {
      const k = (j + r) % c.impls.length;
      if (!alive[k]) continue;
      collectGarbage();
      try {
        const s = await c.impls[k].run();
        results[k].rates.push(s.units / s.seconds / UNIT_SCALE[c.unit]);
        for (const [key, v] of Object.entries(s.extra ?? {})) (results[k].extras[key] ??= []).push(v);
      } catch (err) {
        fail(k, err);
      }
    }
  }
  for (const impl of c.impls) {
    try {
      await impl.teardown?.();
    } catch {
      // A failing teardown must not hide the figures already measured.
    }
  }
  return { case: c, results };
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) return '—';
  const a = Math.abs(v);
  if (a >= 1e6) return `${(v / 1e6).toFixed(2)}M`;
  if (a >= 1e4) return `${(v / 1e3).toFixed(1)}k`;
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

/** Renders the results of several cases of one suite as an aligned text table. */
/**
 * Our figure relative to the anchor's: the median over repetitions of the ratio of the two
 * samples taken in the SAME repetition (moments apart), so a burst of load from elsewhere that
 * lasts a few seconds cancels out instead of landing on one side. Falls back to the ratio of the
 * medians when the series are not aligned (an implementation failed part-way).
 */
export function pairedRatio(ours: readonly number[], anchor: readonly number[]): number {
  if (ours.length === 0 || anchor.length === 0) return Number.NaN;
  if (ours.length !== anchor.length) return median(ours) / median(anchor);
  return median(ours.map((v, i) => v / anchor[i]));
}

export function formatTable(title: string, cases: readonly CaseResult[]): string {
  const extraCols = new Map<string, { key: string; label: string }>();
  for (const cr of cases) for (const col of cr.case.extraColumns ?? []) extraCols.set(col.key, col);
  const header = ['workload', 'implementation', 'unit', 'min', 'median', 'max', 'vs anchor', ...[...extraCols.values()].map((c) => c.label)];
  const rows: string[][] = [];
  for (const cr of cases) {
    const anchor = cr.results.find((r) => r.anchor);
    for (const r of cr.results) {
      const med = median(r.rates);
      const q = anchor && !r.anchor ? pairedRatio(r.rates, anchor.rates) : Number.NaN;
      const ratio = Number.isFinite(q) ? `${q.toFixed(2)}×` : '';
      rows.push([
        cr.case.workload,
        (r.ours ? '* ' : '  ') + r.name + (r.anchor ? ' (anchor)' : ''),
        cr.case.unit,
        r.error && r.rates.length === 0 ? 'FAILED' : fmt(Math.min(...r.rates)),
        r.error && r.rates.length === 0 ? r.error.slice(0, 60) : fmt(med),
        r.rates.length ? fmt(Math.max(...r.rates)) : '',
        ratio,
        ...[...extraCols.keys()].map((k) => (r.extras[k] ? fmt(median(r.extras[k])) : '')),
      ]);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]): string =>
    cells.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ').trimEnd();
  const out = [`## ${title}`, '', line(header), widths.map((w) => '-'.repeat(w)).join('  ')];
  let prev = '';
  for (const row of rows) {
    if (prev && row[0] !== prev) out.push('');
    out.push(line(row[0] === prev ? ['', ...row.slice(1)] : row));
    prev = row[0];
  }
  return out.join('\n');
}
