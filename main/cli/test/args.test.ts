import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgs, UsageError, type OptionSpec } from '../args.ts';

const SPECS: OptionSpec[] = [
  { name: 'protocol', short: 'p', kind: 'list', description: '' },
  { name: 'origin', kind: 'value', description: '' },
  { name: 'deflate', kind: 'flag', description: '' },
  { name: 'verbose', short: 'v', kind: 'flag', description: '' },
];

test('parses values, repeatable lists, flags, --no-flags and positionals', () => {
  const a = parseArgs(['-p', 'a', '--protocol=b', '--origin', 'http://x', '--no-deflate', '-v', 'ws://h/', '--', '--not-an-option'], SPECS);
  assert.deepEqual(a.lists.get('protocol'), ['a', 'b']);
  assert.equal(a.values.get('origin'), 'http://x');
  assert.equal(a.flags.get('deflate'), false);
  assert.equal(a.flags.get('verbose'), true);
  assert.deepEqual(a.positionals, ['ws://h/', '--not-an-option']);
});

test('usage errors: unknown option, missing value, value on a flag, repeated single value', () => {
  assert.throws(() => parseArgs(['--nope'], SPECS), UsageError);
  assert.throws(() => parseArgs(['--origin'], SPECS), /needs a value/);
  assert.throws(() => parseArgs(['--verbose=yes'], SPECS), /takes no value/);
  assert.throws(() => parseArgs(['--origin', 'a', '--origin', 'b'], SPECS), /twice/);
  assert.throws(() => parseArgs(['--no-origin'], SPECS), /unknown option/);
});
