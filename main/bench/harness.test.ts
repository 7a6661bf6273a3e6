// The bench prints tables, it is not a test; but the statistics and the interleaving it relies on
// are code, and wrong statistics would make every ratio wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatTable, median, pairedRatio, percentile, runCase, type Case } from './harness.ts';

test('median and percentile', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
  const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(percentile(sorted, 50), 50);
  assert.equal(percentile(sorted, 99), 99);
  assert.equal(percentile(sorted, 100), 100);
  assert.equal(percentile([7], 99), 7);
});

test('runCase interleaves implementations with a rotating order and computes rates', async () => {
  const order: string[] = [];
  const mk = (name: string, units: number) => ({ name, run: () => (order.push(name), { seconds: 2, units }) });
  const c: Case = { suite: 's', workload: 'w', unit: 'msgs/s', impls: [{ ...mk('a', 10), ours: true }, { ...mk('b', 20), anchor: true }, mk('c', 40)] };
  const r = await runCase(c, { repetitions: 3, warmups: 1 });
  // Warm-ups first (one each), then rounds a b c / b c a / c a b.
  assert.deepEqual(order, ['a', 'b', 'c', 'a', 'b', 'c', 'b', 'c', 'a', 'c', 'a', 'b']);
  assert.deepEqual(r.results.map((x) => x.rates), [[5, 5, 5], [10, 10, 10], [20, 20, 20]]);
  const table = formatTable('T', [r]);
  assert.match(table, /\* a .*0\.50×/);
  assert.match(table, /b \(anchor\)/);
  assert.match(table, /c .*2\.00×/);
});

test('a failing implementation is reported, the others still measured', async () => {
  const c: Case = {
    suite: 's', workload: 'w', unit: 'MB/s',
    impls: [
      { name: 'broken', ours: true, run: () => { throw new Error('boom'); } },
      { name: 'fine', anchor: true, run: () => ({ seconds: 1, units: 2e6 }) },
    ],
  };
  const r = await runCase(c, { repetitions: 2, warmups: 0 });
  assert.equal(r.results[0].error, 'boom');
  assert.deepEqual(r.results[1].rates, [2, 2]);
  assert.match(formatTable('T', [r]), /FAILED\s+boom/);
});

test('pairedRatio takes the median of same-repetition ratios, so a load burst on one round cancels', () => {
  // True ratio 0.5. Round 1 ran under load (both 10x slower), round 2 a burst hit only ours, round 3
  // was quiet. The ratio of the medians says 0.05; the paired median says 0.5.
  assert.equal(median([1, 1, 10]) / median([2, 20, 20]), 0.05);
  assert.equal(pairedRatio([1, 1, 10], [2, 20, 20]), 0.5);
  assert.equal(pairedRatio([1, 2, 3], [2, 4]), 2 / 3);
  assert.ok(Number.isNaN(pairedRatio([], [1])));
});
